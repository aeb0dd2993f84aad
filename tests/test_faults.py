"""Faults: what happens when a part of the system fails, and that nothing leaks.

| fault | documented outcome |
|---|---|
| a classifier raises, returns garbage or hangs | it is time-boxed; the text is PRIVATE and stays local; later requests are classified normally |
| the audit log cannot be written (full disk) | ``AuditLogError``: the decision is not acted on |
| the SQLite budget file is locked by another writer | the charge waits ``timeout_s`` then raises ``BudgetStoreError`` (cause: ``sqlite3.OperationalError``); nothing is charged; a retry after the lock is released charges once |
| the disk under the SQLite budget is full | the charge raises ``BudgetStoreError`` (cause: ``sqlite3.OperationalError``); the total is unchanged |
| Redis restarts while in use | calls during the outage raise ``BudgetStoreError`` (cause: ``redis.ConnectionError``; plan() too: the budget cannot be read); with AOF on, every spend survives the restart and the client reconnects by itself |
| the budget store fails at send time | the charge fails, so nothing is sent: the cloud's part is answered locally (``budget_store_failed_answered_locally`` flag), also with ``cloud_fallback = "error"`` |
| the cloud hangs past its timeout, resets the connection, or answers malformed JSON, the wrong shape or HTML | the local model answers the cloud's part (``cloud_failed`` flag); ``cloud_fallback = "error"`` raises ``CloudBackendUnavailable`` |
| the cloud resets mid-stream | ``CloudBackendUnavailable`` ("mid-answer"): what was shown stays, no other model's text is spliced in |
| the local model hangs, resets (before or mid-stream) or answers garbage | ``LocalBackendUnavailable``; the cloud is not called before the local model's first token, and never sees PRIVATE text |

A streamed cloud answer that is a 200 but holds no server-sent event is a cloud failure
(local fallback), not a silently empty reply.

Hung classifier calls do not starve later requests: the classifier pool is replaced
when a call times out.
"""
from __future__ import annotations

import shutil
import socket
import sqlite3
import struct
import subprocess
import sys
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from servers import groq_server, ollama_server  # noqa: F401  (fixtures)

from ptmo_middleware import PrivacyRouter, hookimpl
from ptmo_middleware.budget import PrivacyBudget
from ptmo_middleware.budget.guard import BudgetGuard
from ptmo_middleware.budget.sqlite import SQLiteStore
from ptmo_middleware.config import BudgetSettings
from ptmo_middleware.errors import BudgetStoreError, CloudBackendUnavailable, LocalBackendUnavailable, PtmoError
from ptmo_middleware.execution import FLAG_BUDGET_STORE_FAILED, FLAG_CLOUD_FAILED
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


class HangsOnCue(Raising):
    name = "hangs-on-cue"

    def classify(self, text, context):
        if "hang" in text:
            RELEASE_CUE.wait(30)
        return []


RELEASE_CUE = threading.Event()


def test_hung_classifier_calls_do_not_starve_later_requests(register_plugin) -> None:
    register_plugin(_classifier_plugin(HangsOnCue), "test-faults-hangs-on-cue")
    router = PrivacyRouter(classifiers=["rules", "hangs-on-cue"], classifier_timeout_s=0.2)
    try:
        for _ in range(5):
            router.plan("please hang now")
        assert router.plan("What is the capital of France?").classification.failed == []
    finally:
        RELEASE_CUE.set()


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
        with pytest.raises(BudgetStoreError, match="locked") as err:
            router.budget.charge(plan)
        assert time.monotonic() - t0 < 5
        assert isinstance(err.value, PtmoError) and isinstance(err.value.__cause__, sqlite3.OperationalError)
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
        from ptmo_middleware.errors import BudgetStoreError
        from ptmo_middleware.budget import PrivacyBudget
        from ptmo_middleware.budget.sqlite import SQLiteStore
        from ptmo_middleware.config import BudgetSettings
        settings = BudgetSettings(enabled=True, epsilon=100.0, window="none", store="memory")
        budget = PrivacyBudget(settings, SQLiteStore({str(path)!r}, timeout_s=0.5))
        try:
            for i in range(2000):  # enough new ledger rows to need a page past the limit
                budget.charge(0.01, f"req-{{i}}-" + "x" * 200, "alice")
            print("no error")
        except BudgetStoreError as exc:
            print("BudgetStoreError from", type(exc.__cause__).__name__, exc)
    """, size, tmp_path)
    assert "BudgetStoreError from OperationalError" in out.stdout, (out.stdout, out.stderr)
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
        with pytest.raises(BudgetStoreError) as err:
            router.plan(PROMPT, principal="alice")  # the budget cannot be read: no plan, nothing sent
        assert isinstance(err.value.__cause__, redis.ConnectionError)
        with pytest.raises(BudgetStoreError) as err:
            router.budget.budget.charge(0.5, "during-outage", "alice")
        assert isinstance(err.value.__cause__, redis.ConnectionError)
        proc = _start_redis(port, tmp_path)
        assert router.budget.budget.spent("alice") == pytest.approx(spent)  # AOF kept it
        again = router.plan(PROMPT, principal="alice")  # the client reconnected by itself
        assert router.budget.charge(again) and router.budget.charge(plan)  # plan: already charged
        assert router.budget.budget.spent("alice") == pytest.approx(spent + again.budget_cost, abs=1e-6)
    finally:
        proc.terminate()
        proc.wait(10)


# -- backends misbehaving on the wire -------------------------------------------------------
class FaultServer:
    """A loopback HTTP server that speaks just enough Groq (SSE/JSON) or Ollama (NDJSON)
    to fail in a scripted way, and records every request body it read."""

    MODES = ("hang", "reset", "reset_mid_stream", "malformed", "wrong_shape", "html")

    def __init__(self, protocol: str, mode: str) -> None:
        assert mode in self.MODES
        self.protocol, self.mode = protocol, mode
        self.bodies: list[str] = []
        self.wake = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                outer.bodies.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())
                outer.misbehave(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def url(self) -> str:
        return "http://%s:%d" % self.httpd.server_address[:2]

    def _chunk(self, text: str) -> bytes:
        if self.protocol == "groq":
            return f'data: {{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{{"index":0,"delta":{{"content":"{text}"}},"finish_reason":null}}]}}\n\n'.encode()
        return f'{{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{{"role":"assistant","content":"{text}"}},"done":false}}\n'.encode()

    def misbehave(self, h: BaseHTTPRequestHandler) -> None:
        streaming = '"stream": true' in self.bodies[-1] or '"stream":true' in self.bodies[-1] \
            or (self.protocol == "ollama" and '"stream": false' not in self.bodies[-1])
        if self.mode == "hang":
            self.wake.wait(30)
            return
        if self.mode == "reset":
            return _reset(h)
        if self.mode == "reset_mid_stream":
            h.send_response(200)
            h.send_header("Content-Type", "text/event-stream" if self.protocol == "groq" else "application/x-ndjson")
            h.end_headers()
            for word in ("Hello", " there"):
                h.wfile.write(self._chunk(word))
                h.wfile.flush()
                time.sleep(0.05)
            return _reset(h)
        body = {"malformed": b'{"choices": [{"message": {"content": "trunc',
                "wrong_shape": b'{"unexpected": true}', "html": b"<html><body>502 Bad Gateway</body></html>"}[self.mode]
        if streaming and self.mode == "malformed":
            body = b"data: {not json}\n\n" if self.protocol == "groq" else b"{not json}\n"
        h.send_response(200)
        h.send_header("Content-Type", "text/html" if self.mode == "html" else "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    def close(self) -> None:
        self.wake.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def _reset(h: BaseHTTPRequestHandler) -> None:
    """Close the connection with a TCP RST (SO_LINGER 0), as a crashed peer does."""
    h.wfile.flush()
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()
    h.close_connection = True


@pytest.fixture
def fault_server():
    servers: list[FaultServer] = []

    def make(protocol: str, mode: str) -> FaultServer:
        servers.append(FaultServer(protocol, mode))
        return servers[-1]

    yield make
    for s in servers:
        s.close()


LOCAL, CLOUD = "ollama:llama3.2:3b", "groq:llama-3.3-70b-versatile"
#: PRIVATE sentences stay local, the rest goes to the cloud: a plan that needs both sides.
SPLIT = {"thresholds": {"private": "local"}, "decomposer": "sentence"}


def _exec_router(**kw) -> PrivacyRouter:
    return PrivacyRouter(classifiers=["rules"], local=LOCAL, cloud=CLOUD, backend_timeout_s=0.5,
                         cloud_max_retries=0, **kw)


CLOUD_FAULTS = [pytest.param(mode, how, id=f"{mode}-{how}")
                for mode in ("hang", "reset", "malformed", "wrong_shape", "html") for how in ("invoke", "stream")]


@pytest.mark.parametrize("mode, how", CLOUD_FAULTS)
def test_cloud_fault_answers_locally_and_leaks_nothing(ollama_server, fault_server, monkeypatch, mode, how):
    cloud = fault_server("groq", mode)
    monkeypatch.setenv("GROQ_BASE_URL", cloud.url)
    monkeypatch.setenv("GROQ_API_KEY", "gsk_test")
    router = _exec_router()
    t0 = time.monotonic()
    reply = router.invoke(PROMPT) if how == "invoke" else list(router.stream(PROMPT))[-1].reply
    assert time.monotonic() - t0 < 10
    assert reply.flags == [FLAG_CLOUD_FAILED]
    assert reply.text.startswith("ollama heard:")  # the local model answered the cloud's part
    assert cloud.bodies and all(SECRET not in b for b in cloud.bodies)
    with pytest.raises(CloudBackendUnavailable):
        _exec_router(cloud_fallback="error").invoke(PROMPT)


def test_cloud_reset_mid_stream_is_a_clear_error_not_a_silent_switch(ollama_server, fault_server, monkeypatch):
    cloud = fault_server("groq", "reset_mid_stream")
    monkeypatch.setenv("GROQ_BASE_URL", cloud.url)
    monkeypatch.setenv("GROQ_API_KEY", "gsk_test")
    shown: list[str] = []
    with pytest.raises(CloudBackendUnavailable, match="mid-answer"):
        for chunk in _exec_router().stream(PROMPT):
            shown.append(chunk.text)
    assert "".join(shown).startswith("Hello")  # what was shown stays; no other model's text is spliced in
    assert all(SECRET not in b for b in cloud.bodies)


@pytest.mark.parametrize("how", ["invoke", "stream"])
@pytest.mark.parametrize("mode", ["hang", "reset", "reset_mid_stream", "malformed", "wrong_shape"])
def test_local_fault_is_a_clear_error_and_nothing_private_leaves(groq_server, fault_server, monkeypatch, mode, how):
    local = fault_server("ollama", mode)
    monkeypatch.setenv("OLLAMA_HOST", local.url)
    router = _exec_router(**SPLIT)
    with pytest.raises(LocalBackendUnavailable):
        if how == "invoke":
            router.invoke(PROMPT)
        else:
            list(router.stream(PROMPT))
    assert local.bodies  # the local model was asked (it may see the original)
    assert SECRET not in groq_server.received_text
    if mode != "reset_mid_stream":  # the cloud call waits for the local model's first token
        assert groq_server.bodies == []


@pytest.mark.parametrize("how", ["invoke", "stream"])
@pytest.mark.parametrize("fallback", ["local", "error"])
def test_budget_store_locked_at_send_time_answers_locally(ollama_server, groq_server, tmp_path: Path,
                                                          how: str, fallback: str) -> None:
    path = tmp_path / "budget.sqlite3"
    settings = BudgetSettings(enabled=True, epsilon=100.0, window="none", store=f"sqlite:///{path}")
    router = _exec_router(budget=settings, cloud_fallback=fallback)
    budget = PrivacyBudget(settings, SQLiteStore(path, timeout_s=0.2))
    router.budget = BudgetGuard(budget)
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # readers still read (WAL): plan() works, the charge cannot
    try:
        reply = router.invoke(PROMPT, principal="alice") if how == "invoke" else \
            list(router.stream(PROMPT, principal="alice"))[-1].reply
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert reply.plan.cloud_messages  # the plan did want to send
    assert reply.flags == [FLAG_BUDGET_STORE_FAILED] and groq_server.bodies == []  # not charged: not sent
    assert reply.text.startswith("ollama heard:")
    assert budget.spent("alice") == 0.0
