"""Faults (issue 9): what happens when a part of the system fails, and that nothing leaks.

| fault | documented outcome |
|---|---|
| a classifier raises, returns garbage or hangs | it is time-boxed; the text is PRIVATE and stays local |
| the audit log cannot be written (full disk) | ``AuditLogError``: the decision is not acted on |
| the SQLite budget file is locked by another writer | the charge waits ``timeout_s`` then raises ``sqlite3.OperationalError``; nothing is charged; a retry after the lock is released charges once |
| the disk under the SQLite budget is full | the charge raises ``sqlite3.OperationalError``; the total is unchanged |
| Redis restarts while in use | calls during the outage raise ``redis.ConnectionError`` (plan() too: the budget cannot be read); with AOF on, every spend survives the restart and the client reconnects by itself |
"""
from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from ptmo_middleware import PrivacyRouter, hookimpl
from ptmo_middleware.budget import PrivacyBudget
from ptmo_middleware.budget.guard import BudgetGuard
from ptmo_middleware.budget.sqlite import SQLiteStore
from ptmo_middleware.config import BudgetSettings
from ptmo_middleware.types import SensitivityLevel

SECRET = "Tulip!2231x"
PROMPT = f"My password is {SECRET}. What is a good recipe for bread?"
HISTORY = [{"role": "user", "content": "Hello, what is a sourdough starter?"},
           {"role": "assistant", "content": "A culture of flour and water."},
           {"role": "user", "content": PROMPT}]


def _classifier_plugin(cls: type) -> object:
    class Plugin:
        @hookimpl
        def register_classifiers(self, register):
            register(cls)
    return Plugin()


class Raising:
    name = "raising"
    inline = False

    def __init__(self, settings) -> None:
        pass

    def classify(self, text, context):
        raise RuntimeError("model file corrupt")


class RaisingInline(Raising):
    name = "raising-inline"
    inline = True


class Garbage(Raising):
    name = "garbage"

    def classify(self, text, context):
        return [("PASSWORD", 0, 4)]


RELEASE = threading.Event()


class Hanging(Raising):
    name = "hanging"

    def classify(self, text, context):
        RELEASE.wait(30)  # released at the end of the test, so no pool thread is left behind
        return []


def _assert_fail_closed(plan, name: str) -> None:
    assert plan.level is SensitivityLevel.PRIVATE
    assert name in plan.classification.failed
    assert plan.cloud_messages == [], plan.cloud_payloads  # history included: nothing leaves


@pytest.mark.parametrize("cls", [Raising, RaisingInline, Garbage], ids=lambda c: c.name)
@pytest.mark.parametrize("policy", ["threshold", "cloud-only"])
def test_failing_classifier_keeps_everything_local(register_plugin, cls, policy) -> None:
    register_plugin(_classifier_plugin(cls), f"test-faults-{cls.name}")
    router = PrivacyRouter(classifiers=["rules", cls.name])
    for prompt in ("What is the capital of France?", HISTORY):
        _assert_fail_closed(router.plan(prompt, policy=policy), cls.name)


def test_hanging_classifier_is_time_boxed(register_plugin) -> None:
    register_plugin(_classifier_plugin(Hanging), "test-faults-hanging")
    router = PrivacyRouter(classifiers=["rules", "hanging"], classifier_timeout_s=0.3)
    try:
        t0 = time.monotonic()
        plan = router.plan("What is the capital of France?", policy="cloud-only")
        elapsed = time.monotonic() - t0
        _assert_fail_closed(plan, "hanging")
        assert 0.3 <= elapsed < 2.0
    finally:
        RELEASE.set()


def _run_limited(script: str, limit_bytes: int, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run ``script`` in a child whose files cannot grow past ``limit_bytes`` (a full disk)."""
    prelude = textwrap.dedent(f"""
        import resource, signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # writes past the limit fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit_bytes}, {limit_bytes}))
    """)
    return subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(script)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


def test_full_disk_under_the_audit_log_stops_the_request(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    log.write_bytes(b"x" * 100)
    out = _run_limited(f"""
        from ptmo_middleware import PrivacyRouter
        from ptmo_middleware.audit import AuditLogError
        router = PrivacyRouter(classifiers=["rules"], audit_log={str(log)!r})
        try:
            router.plan({PROMPT!r})
        except AuditLogError as exc:
            print("AuditLogError:", exc)
    """, 120, tmp_path)
    assert "AuditLogError: cannot write audit log" in out.stdout, out.stderr
    assert log.read_bytes() == b"x" * 100  # nothing half-written


def _sqlite_router(path: Path, timeout_s: float = 0.2) -> tuple[PrivacyRouter, PrivacyBudget]:
    settings = BudgetSettings(enabled=True, epsilon=100.0, window="none", store=f"sqlite:///{path}")
    router = PrivacyRouter(classifiers=["rules"], budget=settings)
    budget = PrivacyBudget(settings, SQLiteStore(path, timeout_s=timeout_s))
    router.budget = BudgetGuard(budget)
    return router, budget


def test_locked_sqlite_budget_refuses_then_charges_once(tmp_path: Path) -> None:
    path = tmp_path / "budget.sqlite3"
    router, budget = _sqlite_router(path)
    plan = router.plan(PROMPT, principal="alice")
    assert plan.cloud_messages and plan.budget_cost > 0
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # another process is writing and does not let go
    try:
        t0 = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            router.budget.charge(plan)
        assert time.monotonic() - t0 < 5
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert budget.spent("alice") == 0.0  # nothing was charged
    assert router.budget.charge(plan) and router.budget.charge(plan)  # the retry charges once
    assert budget.spent("alice") == pytest.approx(plan.budget_cost, abs=1e-6)


def test_full_disk_under_the_sqlite_budget_charges_nothing(tmp_path: Path) -> None:
    path = tmp_path / "budget.sqlite3"
    _, budget = _sqlite_router(path)
    for i in range(3):
        assert budget.charge(0.01, f"warm-{i}", "alice").granted
    before = budget.spent("alice")
    size = max(p.stat().st_size for p in tmp_path.iterdir())
    out = _run_limited(f"""
        import sqlite3
        from ptmo_middleware.budget import PrivacyBudget
        from ptmo_middleware.budget.sqlite import SQLiteStore
        from ptmo_middleware.config import BudgetSettings
        settings = BudgetSettings(enabled=True, epsilon=100.0, window="none", store="memory")
        budget = PrivacyBudget(settings, SQLiteStore({str(path)!r}, timeout_s=0.5))
        try:
            for i in range(2000):  # enough new ledger rows to need a page past the limit
                budget.charge(0.01, f"req-{{i}}-" + "x" * 200, "alice")
            print("no error")
        except sqlite3.OperationalError as exc:
            print("OperationalError:", exc)
    """, size, tmp_path)
    assert "OperationalError:" in out.stdout, (out.stdout, out.stderr)
    after = budget.spent("alice")
    ledger = SQLiteStore(path).ledger_total("alice|all")
    assert after == pytest.approx(ledger)  # the total and the ledger still agree
    assert after >= before


# -- Redis restarting -----------------------------------------------------------------------
REDIS_SERVER = shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_redis(port: int, workdir: Path) -> subprocess.Popen:
    redis = pytest.importorskip("redis")
    proc = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(workdir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(200):
        try:
            client.ping()
            return proc
        except redis.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    pytest.fail("redis-server did not start")


@pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server not installed (apt-get install redis-server)")
def test_redis_restart_loses_no_spend(tmp_path: Path) -> None:
    redis = pytest.importorskip("redis")
    port = _free_port()
    proc = _start_redis(port, tmp_path)
    try:
        settings = BudgetSettings(enabled=True, epsilon=100.0, window="none", store=f"redis://127.0.0.1:{port}/0")
        router = PrivacyRouter(classifiers=["rules"], budget=settings)
        plan = router.plan(PROMPT, principal="alice")
        assert router.budget.charge(plan)
        spent = router.budget.budget.spent("alice")
        proc.terminate()
        proc.wait(10)
        with pytest.raises(redis.ConnectionError):
            router.plan(PROMPT, principal="alice")  # the budget cannot be read: no plan, nothing sent
        with pytest.raises(redis.ConnectionError):
            router.budget.budget.charge(0.5, "during-outage", "alice")
        proc = _start_redis(port, tmp_path)
        assert router.budget.budget.spent("alice") == pytest.approx(spent)  # AOF kept it
        again = router.plan(PROMPT, principal="alice")  # the client reconnected by itself
        assert router.budget.charge(again) and router.budget.charge(plan)  # plan: already charged
        assert router.budget.budget.spent("alice") == pytest.approx(spent + again.budget_cost, abs=1e-6)
    finally:
        proc.terminate()
        proc.wait(10)
