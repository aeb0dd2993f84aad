"""The gateway under load (slow tier): 200 concurrent conversations over two ``ptmo serve``
replicas sharing a Redis vault and budget, each conversation with its own values, turns
alternating replicas: every answer restored with its own values only, nothing raw in the
cloud, one budget charge per cloud request. Figures at 1000: benchmarks/gateway_load.py."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed")
pytest.importorskip("uvicorn", reason="the serve extra is not installed")
pytest.importorskip("redis", reason="the redis client is not installed (extra [redis])")
from redis_support import REDIS_SERVER  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import gateway_load  # noqa: E402

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server not installed (apt-get install redis-server)")]


def test_200_conversations_over_two_replicas_keep_their_values_and_budget(tmp_path: Path) -> None:
    n = 200
    gateway, proxy = gateway_load.measure(n, concurrency=100, workdir=tmp_path)
    assert gateway_load.failures(gateway, n) == []
    assert gateway_load.failures(proxy, n) == []
    assert gateway.requests == sum(len(gateway_load.turns(i)) for i in range(n)) == gateway.cloud_requests
    assert gateway.raw_in_cloud == 0 and gateway.leaks == [] and gateway.unrestored == 0
    assert gateway.charges == gateway.expected_charges == gateway.requests and gateway.charges_exact
