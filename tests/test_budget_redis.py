"""The Redis store against a real ``redis-server`` started on a free loopback port."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from redis_support import REDIS_SERVER, redis_server

redis = pytest.importorskip("redis", reason="the redis client is not installed (extra [redis])")
pytestmark = pytest.mark.skipif(REDIS_SERVER is None,
                                reason="redis-server not installed (Debian: apt-get install redis-server)")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


def test_redis_check_and_spend_idempotent_and_bounded(redis_url):
    from ptmo_middleware.budget import PrivacyBudget
    from ptmo_middleware.config import BudgetSettings

    b = PrivacyBudget(BudgetSettings(enabled=True, epsilon=0.5, window="none", store=redis_url))
    b.reset()
    assert b.charge(0.3, "r1", "alice").granted
    assert b.charge(0.3, "r1", "alice").duplicate
    assert not b.charge(0.3, "r2", "alice").granted
    assert b.remaining("alice") == pytest.approx(0.2)
    assert b.accounts() == {"alice|all": pytest.approx(0.3)}
    assert b.reset("alice") == 1 and b.remaining("alice") == 0.5


def test_redis_replicas_spending_concurrently_total_exactly(redis_url):
    from ptmo_middleware.budget.redis_store import RedisStore

    replicas = [RedisStore(redis_url) for _ in range(4)]  # separate clients, as app replicas
    replicas[0].reset()
    limit = 333 * 200

    def worker(w: int) -> int:
        store = replicas[w % 4]
        return sum(store.spend("shared|all", 333, limit, f"w{w}-{i}").granted for i in range(60))

    with ThreadPoolExecutor(8) as pool:
        granted = sum(pool.map(worker, range(8)))
    assert granted == 200
    assert replicas[3].spent("shared|all") == pytest.approx(limit / 1e6, abs=0)
