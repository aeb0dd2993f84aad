"""The Redis store against a real ``redis-server`` started on a free loopback port."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

redis = pytest.importorskip("redis", reason="the redis client is not installed (extra [redis])")
REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS_SERVER is None,
                                reason="redis-server not installed (Debian: apt-get install redis-server)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(workdir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("redis-server did not start")
    yield url
    proc.terminate()
    proc.wait(10)


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
