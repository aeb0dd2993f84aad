"""BenchmarkSuite (seed API) on small sizes, `ptmo bench --quick` and `ptmo profile`."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ptmo_lab.evaluation.attacks import CanaryFormat
from ptmo_lab.evaluation.benchmark import BenchmarkConfig, BenchmarkSuite
from ptmo_lab.evaluation.canary_experiment import CanaryExperimentResult, VariantResult

PNG = b"\x89PNG\r\n\x1a\n"


def _canary_file(path):
    """A saved canary result (report input for the rendering path; not a measurement)."""
    def variant(name, exposures):
        return VariantResult(name, {}, [{"repetitions": r, "exposure": e} for r, e in exposures],
                             [{"repetitions": r, "extracted": r == 20} for r, _ in exposures],
                             [{"attack": a, "auc": 0.6, "tpr_at_1pct_fpr": 0.1} for a in
                              ("loss-threshold", "reference-calibrated")])
    result = CanaryExperimentResult({"prefix": "p", "digits": 4}, 13.29, True,
                                    [variant("unscrubbed", [(1, 1.0), (5, 6.0), (20, 13.0)]),
                                     variant("scrubbed", [(1, 1.2), (5, 0.8), (20, 1.1)])], {})
    return result.save(path)


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    canaries = _canary_file(tmp_path_factory.mktemp("canaries") / "attacks.json")
    s = BenchmarkSuite(BenchmarkConfig(num_episodes=6, privacy_budgets=[0.3, 1.0], pupa_limit=12,
                                       classifiers=["rules"], canary_results=str(canaries)))
    steps = []
    s.run_benchmark(progress=lambda done, total, what: steps.append((done, total)))
    assert steps[-1][0] == steps[-1][1] == len(steps)
    return s


def test_seed_api_names_are_exported():
    import ptmo_middleware

    assert ptmo_middleware.BenchmarkSuite is BenchmarkSuite
    assert ptmo_middleware.BenchmarkConfig is BenchmarkConfig
    assert ptmo_middleware.PrivacyAttackSimulator(CanaryFormat()).prepare_canary_attack(num_canaries=2)


def test_environment_rows_per_policy_and_budget(suite):
    env = suite.results.env
    assert set(env) == {"cloud-only", "local-only", "threshold", "rl"}
    for per in env.values():
        assert set(per) == {0.3, 1.0}
    assert env["local-only"][0.3]["risk"] == 0 and env["local-only"][0.3]["over_budget"] == 0
    assert env["cloud-only"][0.3]["risk"] > env["threshold"][0.3]["risk"] > 0
    assert env["cloud-only"][0.3]["over_budget"] >= env["cloud-only"][1.0]["over_budget"]


def test_real_prompt_rows(suite):
    pupa = suite.results.pupa
    assert pupa["local-only"]["any"]["leak"] == 0 and pupa["local-only"]["any"]["cloud"] == 0
    assert pupa["cloud-only"]["any"]["cloud"] == 1.0
    assert pupa["threshold"]["any"]["queries"] == 12
    assert set(pupa["rl"]) == {"0.3", "1"}
    assert all(0 <= m["leak"] <= 1 and 0 <= m["retain"] <= 1 for per in pupa.values() for m in per.values())


def test_report_and_files(suite, tmp_path):
    report = suite.generate_report(tmp_path)
    assert "| rl | 0.3 |" in report and "## Canary exposure" in report and "| unscrubbed | 1.00 | 6.00 | 13.00 |" in report
    assert (tmp_path / "report.md").read_text() == report
    for png in ("frontier.png", "reward_vs_budget.png", "exposure.png"):
        assert (tmp_path / png).read_bytes().startswith(PNG) and f"({png})" in report
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["pupa"]["local-only"]["any"]["leak"] == 0


def test_unknown_policy_is_refused():
    with pytest.raises(ValueError, match="unknown policies"):
        BenchmarkSuite(BenchmarkConfig(policies=("nope",))).run_benchmark()


def test_ptmo_profile_prints_stages_and_writes_json(tmp_path):
    from ptmo_middleware.cli import app

    prompts = tmp_path / "prompts.txt"
    prompts.write_text("My password is hunter2. What is Python?\nWhat is the capital of France?\n")
    out = tmp_path / "profile.json"
    config = tmp_path / "ptmo.toml"
    config.write_text('classifiers = ["rules"]\n')
    result = CliRunner().invoke(app, ["--config", str(config), "profile", "-n", "6", "--prompts", str(prompts),
                                      "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "classify" in result.output and "peak RSS" in result.output and "rapl:" in result.output
    data = json.loads(out.read_text())
    assert data["runs"] == 6 and {"classify", "decompose", "route"} <= set(data["stages_ms"])
    assert data["peak_rss_mib"] > 0


@pytest.mark.slow
def test_ptmo_bench_quick_writes_the_report(tmp_path):
    from ptmo_middleware.cli import app

    result = CliRunner().invoke(app, ["bench", "--quick", "--out", str(tmp_path), "--canaries", str(tmp_path / "none.json")])
    assert result.exit_code == 0, result.output
    report = (tmp_path / "report.md").read_text()
    assert "| threshold | any |" in report and (tmp_path / "frontier.png").exists()
