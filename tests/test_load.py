"""Load and soak (slow tier): concurrent conversations keep their masks apart, leak
nothing and are charged exactly; 100k plans keep memory bounded. Figures: benchmarks/load.py."""
from __future__ import annotations

import asyncio

import pytest
import servers

from ptmo_middleware import PrivacyRouter
from ptmo_middleware.config import BudgetSettings
from ptmo_lab.evaluation.load import LoadResult, TimedEchoBackend, run_conversations, soak

pytestmark = pytest.mark.slow
BUDGET = BudgetSettings(enabled=True, epsilon=1e6, window="none", store="memory")
#: RSS may grow this much between the first sample (10k plans) and the last (100k plans).
RSS_BOUND_MIB = 32.0


def _assert_clean(r: LoadResult) -> None:
    assert r.crossings == [] and r.leaks == [] and r.budget_mismatches == [] and r.errors == []
    assert len(r.overhead_ms) == r.requests


@pytest.mark.parametrize("n", [50, 200, 1000])
def test_concurrent_conversations_in_process(n: int) -> None:
    router = PrivacyRouter(classifiers=["rules"], local=TimedEchoBackend("local"),
                           cloud=TimedEchoBackend("cloud"), budget=BUDGET)
    r = asyncio.run(run_conversations(router, n))
    _assert_clean(r)
    assert r.fallbacks == 0
    assert len(router.cloud_backend.received) == r.requests  # every turn went out, masked


@pytest.mark.parametrize("n", [50, 200])
def test_concurrent_conversations_over_loopback_http(monkeypatch, n: int) -> None:
    # socketserver's listen backlog of 5 would refuse connections: that tests the server.
    monkeypatch.setattr(servers.ThreadingHTTPServer, "request_queue_size", 4096)
    ollama, groq = servers.OllamaServer(), servers.GroqServer()
    monkeypatch.setenv("OLLAMA_HOST", ollama.url)
    monkeypatch.setenv("GROQ_BASE_URL", groq.url)
    monkeypatch.setenv("GROQ_API_KEY", groq.api_key)
    try:
        router = PrivacyRouter(classifiers=["rules"], local="ollama:llama3.2:3b",
                               cloud="groq:llama-3.3-70b-versatile", budget=BUDGET, cloud_max_retries=0)
        r = asyncio.run(run_conversations(router, n, cloud_received=lambda: [groq.received_text]))
    finally:
        ollama.close()
        groq.close()
    _assert_clean(r)
    assert len(groq.bodies) == r.requests


def test_soak_100k_plans_memory_is_bounded() -> None:
    s = soak(PrivacyRouter(classifiers=["rules"]), 100_000, every=10_000)
    assert len(s.rss_mib) == 10
    assert s.growth_mib < RSS_BOUND_MIB, s.rss_mib
