"""The audit log: every decision recorded, never any raw text of a prompt."""
from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ptmo_middleware import PrivacyRouter
from ptmo_middleware.audit import (AuditLog, AuditLogError, default_path, parse_time, read_records,
                                   resolve_path, summarize)
from ptmo_middleware.cli import app
from ptmo_middleware.types import Message

# Values a user would not want anywhere on disk: detected ones and undetected ones alike.
PLANTED = ["hunter2-Orbit!77", "Zeynep Kaya", "zeynep.kaya@example.org", "4111 1111 1111 1111",
           "DE89370400440532013000", "sk-" + "Ab3" * 16, "078-05-1120", "Baker Street 221b"]
PROMPTS = [
    f"My password is {PLANTED[0]}. What is Python?",
    f"I am {PLANTED[1]}, write to {PLANTED[2]} about the invoice.",
    f"Charge card {PLANTED[3]} and refund IBAN {PLANTED[4]}.",
    f"openai.api_key = '{PLANTED[5]}' fails, why?",
    f"SSN {PLANTED[6]}, address {PLANTED[7]}.",
]


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    return tmp_path / "logs" / "audit.jsonl"


def _router(path: Path, **kw) -> PrivacyRouter:
    return PrivacyRouter(classifiers=["rules"], audit_log=str(path), **kw)


def test_log_never_holds_planted_text(log_path: Path) -> None:
    router = _router(log_path)
    history = [{"role": "user", "content": PROMPTS[0]}, {"role": "assistant", "content": f"Noted {PLANTED[0]}."}]
    for policy in ("threshold", "cloud-only", "local-only"):
        for i, prompt in enumerate(PROMPTS):
            router.plan(prompt, policy=policy, principal="alice", conversation_id=f"c{i}")
        router.plan(history + [{"role": "user", "content": PROMPTS[1]}], policy=policy, principal="bob")
    raw = log_path.read_bytes().decode("ascii")  # records are ASCII JSON
    decoded = json.dumps([json.loads(line) for line in raw.splitlines()], ensure_ascii=False).casefold()
    for value in PLANTED:
        for needle in {value, value.casefold(), value.replace(" ", "")}:
            assert needle.casefold() not in raw.casefold()
            assert needle.casefold() not in decoded
    assert len(raw.splitlines()) == 3 * (len(PROMPTS) + 1)


def test_record_fields_match_the_plan(log_path: Path) -> None:
    router = _router(log_path)
    plan = router.plan(PROMPTS[0], principal="alice", conversation_id="conv-7")
    local = router.plan(PROMPTS[0], policy="local-only", principal="alice", conversation_id="conv-7")
    first, second = read_records(log_path)
    assert first["event"] == "plan" and first["v"] == 1
    assert (first["principal"], first["conversation_id"], first["route"]) == ("alice", "conv-7", plan.route.value)
    assert first["policy"] == "threshold" and first["policy_version"]
    assert first["span_types"] == {"PASSWORD": 1} and first["level"] == "PRIVATE"
    assert first["payload_hash"] == plan.payload_hash() and first["n_cloud_messages"] == 1
    assert first["budget_cost"] == plan.budget_cost and first["request_id"] == plan.request_id
    parse_time(first["time"])  # a valid UTC time stamp
    assert second["route"] == local.route.value == "local" and second["payload_hash"] is None


def test_send_record_hashes_what_left(log_path: Path) -> None:
    router = _router(log_path)
    plan = router.plan(PROMPTS[0])
    assert router.audit is not None
    same = router.audit.record_send(plan, plan.cloud_messages, backend="groq", budget_spent=0.25)
    other = router.audit.record_send(plan, [Message("user", "something else")], backend="groq")
    assert same["matches_plan"] and same["payload_hash"] == plan.payload_hash() and same["budget_spent"] == 0.25
    assert not other["matches_plan"]
    assert [r["event"] for r in read_records(log_path)] == ["plan", "send", "send"]


def test_off_by_default_and_default_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PTMO_AUDIT_LOG", raising=False)
    monkeypatch.delenv("PTMO_DATA_HOME", raising=False)
    assert PrivacyRouter(classifiers=["rules"]).audit is None
    assert resolve_path(None) is None and resolve_path("") is None
    assert resolve_path("default") == default_path()
    assert default_path().name == "audit.jsonl" and "ptmo-middleware" in default_path().parts
    monkeypatch.setenv("PTMO_DATA_HOME", str(tmp_path))
    assert resolve_path("default") == tmp_path / "audit.jsonl"
    monkeypatch.setenv("PTMO_AUDIT_LOG", str(tmp_path / "env.jsonl"))
    router = PrivacyRouter(classifiers=["rules"])
    router.plan("hello there")
    assert len(list(read_records(tmp_path / "env.jsonl"))) == 1


def test_file_is_private_and_append_only(log_path: Path) -> None:
    _router(log_path).plan("first")
    _router(log_path).plan("second")  # a new router appends, never truncates
    assert len(list(read_records(log_path))) == 2
    assert stat.S_IMODE(os.stat(log_path).st_mode) == 0o600


def test_concurrent_writers_never_interleave(log_path: Path) -> None:
    router = _router(log_path)
    n_threads, per_thread = 8, 40

    def work(t: int) -> None:
        for i in range(per_thread):
            router.plan(f"{PROMPTS[i % len(PROMPTS)]} turn {i}", principal=f"p{t}", conversation_id=f"t{t}")

    threads = [threading.Thread(target=work, args=(t,)) for t in range(n_threads)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    lines = log_path.read_text(encoding="ascii").splitlines()
    assert len(lines) == n_threads * per_thread
    records = [json.loads(line) for line in lines]  # every line is one whole record
    assert {r["principal"] for r in records} == {f"p{t}" for t in range(n_threads)}


def test_unwritable_log_fails_closed(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    router = _router(blocker / "audit.jsonl")
    with pytest.raises(AuditLogError, match="cannot open audit log"):
        router.plan(PROMPTS[0])


def test_filters_and_torn_line(log_path: Path) -> None:
    router = _router(log_path)
    router.plan("What is Python?", principal="alice")
    router.plan(PROMPTS[0], principal="bob")
    router.plan(PROMPTS[0], principal="bob", policy="local-only")
    with open(log_path, "a", encoding="ascii") as f:
        f.write('{"v": 1, "event": "pl')  # a crash mid-write leaves a torn last line
    assert [r["principal"] for r in read_records(log_path)] == ["alice", "bob", "bob"]
    assert [r["route"] for r in read_records(log_path, principal="bob")] == ["hybrid", "local"]
    assert len(list(read_records(log_path, route="cloud"))) == 1
    assert len(list(read_records(log_path, since="1h"))) == 3
    assert list(read_records(log_path, until="2000-01-01")) == []
    assert summarize(read_records(log_path))["plans_by_route"] == {"cloud": 1, "hybrid": 1, "local": 1}
    with pytest.raises(AuditLogError, match="bad time"):
        list(read_records(log_path, since="yesterday"))
    with pytest.raises(AuditLogError, match="no audit log"):
        list(read_records(log_path.parent / "missing.jsonl"))


def test_cli_queries_the_log(log_path: Path) -> None:
    router = _router(log_path)
    router.plan(PROMPTS[0], principal="alice")
    router.plan("What is Python?", principal="bob")
    runner = CliRunner()
    out = runner.invoke(app, ["audit", "--path", str(log_path), "--principal", "alice", "--json"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert [r["principal"] for r in rows] == ["alice"]
    table = runner.invoke(app, ["audit", "--path", str(log_path), "--last", "1"], env={"COLUMNS": "250"})
    assert table.exit_code == 0 and "bob" in table.output and "alice" not in table.output
    assert all(v not in table.output for v in PLANTED)
    summary = runner.invoke(app, ["audit", "--path", str(log_path), "--summary", "--json"])
    assert json.loads(summary.output)["events"] == {"plan": 2}
    missing = runner.invoke(app, ["audit", "--path", str(log_path.parent / "nope.jsonl")])
    assert missing.exit_code == 2 and "no audit log" in missing.output


def test_write_failure_is_an_audit_error(log_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = AuditLog(log_path)

    def full_disk(fd: int, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(AuditLogError, match="No space left"):
        log.write({"event": "plan"})


def test_sends_are_recorded_with_the_hash_of_what_left(log_path: Path) -> None:
    from ptmo_lab.evaluation.load import TimedEchoBackend

    cloud = TimedEchoBackend("cloud", latency_s=0.0)
    router = _router(log_path, local=TimedEchoBackend("local", latency_s=0.0), cloud=cloud,
                     thresholds={"private": "local"}, decomposer="sentence")
    replies = [router.invoke(PROMPTS[0], principal="alice", conversation_id="x"),
               list(router.stream(PROMPTS[1], principal="alice", conversation_id="x"))[-1].reply,
               router.invoke("What is Python?", policy="local-only", principal="alice")]
    records = list(read_records(log_path))
    assert [r["event"] for r in records] == ["plan", "send", "plan", "send", "plan"]
    for (plan_rec, send_rec), reply in zip([(records[0], records[1]), (records[2], records[3])], replies):
        assert send_rec["request_id"] == plan_rec["request_id"] == reply.plan.request_id
        assert send_rec["payload_hash"] == plan_rec["payload_hash"] == reply.plan.payload_hash()
        assert send_rec["matches_plan"] and send_rec["backend"] == "cloud"
    assert len(cloud.received) == 2  # one send record per cloud call, none for the local-only one
    raw = log_path.read_text(encoding="ascii").casefold()
    for value in PLANTED[:3]:  # stated in the prompts, restored in the replies: never in the log
        assert value.casefold() not in raw
    assert PLANTED[2] in replies[1].text  # the restored reply held the e-mail; the log did not
