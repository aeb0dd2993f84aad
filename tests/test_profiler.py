"""The profiler aggregates stage timings and reports only the sources that exist."""
from __future__ import annotations

import pytest

from ptmo_middleware import PrivacyRouter
from ptmo_lab.evaluation.profiler import RaplMeter, peak_rss_mib, profile


def test_profile_of_plan_stages():
    router = PrivacyRouter(classifiers=["rules"])
    prompts = ["My password is hunter22. What is Python?", "What is the capital of France?"] * 5
    report = profile(lambda q: router.plan(q).timings_ms, prompts)
    assert report.runs == 10
    assert {"classify", "decompose", "route", "wall_per_item"} <= set(report.stages)
    for stats in report.stages.values():
        assert 0 <= stats["p50"] <= stats["p95"] + 1e-9
    assert report.peak_rss_mib == pytest.approx(peak_rss_mib(), rel=0.5)
    assert report.sources["rapl"] == RaplMeter().available
    if not report.sources["nvml"]:
        assert report.gpu_memory_mib is None and report.gpu_energy_j is None
    assert report.to_dict()["runs"] == 10


def test_profile_needs_items():
    with pytest.raises(ValueError):
        profile(lambda q: {}, [])
