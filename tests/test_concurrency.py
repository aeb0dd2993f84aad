"""One model of concurrency for sync, async, threaded, streamed and batched calls, checked
by counting what the loopback Ollama and Groq servers receive: every cloud part arrives
exactly once, every local part reaches the local server, one audit record and one
budget charge per body, no hang, no value of one conversation in another's answer."""
from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from servers import dead_url, groq_server, ollama_server  # noqa: F401  (fixtures)

from ptmo_middleware.audit import read_records
from ptmo_middleware.errors import RequestTimeout
from ptmo_middleware.execution import FLAG_CLOUD_FAILED
from ptmo_middleware.router import PrivacyRouter

LOCAL, CLOUD = "ollama:llama3.2:3b", "groq:llama-3.3-70b-versatile"
CALL_TIMEOUT_S = 60


def make_router(tmp_path, **kw) -> PrivacyRouter:
    """PRIVATE sentences stay local, identifying values are masked, the rest goes out."""
    settings = dict(classifiers=["rules"], local=LOCAL, cloud=CLOUD, thresholds={"private": "local"},
                    decomposer="sentence", audit_log=str(tmp_path / "audit.jsonl"),
                    budget={"enabled": True, "store": "memory", "epsilon": 1e6, "window": "none"})
    settings.update(kw)
    return PrivacyRouter(**settings)


def prompts(k: int) -> list[tuple[str, str | None]]:
    """(prompt, the value only this caller ``k`` knows): cloud-only, masked, split."""
    email, password = f"user{k}.x@example.org", f"Pw{k}-zq7Lmx!"
    return [("What is the capital of France?", None),
            (f"Email {email} about the Python meetup.", email),
            (f"My password is {password}. What is Python?", password)]


def call(router: PrivacyRouter, mode: str, prompt: str, conversation: str | None):
    """One request in ``mode``; returns the reply (a stream's text must equal it)."""
    if mode == "invoke":
        return router.invoke(prompt, conversation_id=conversation)
    chunks = list(router.stream(prompt, conversation_id=conversation))
    reply = chunks[-1].reply
    assert reply is not None and "".join(c.text for c in chunks) == reply.text
    return reply


def check_counts(router: PrivacyRouter, replies: list, ollama_server, groq_server, tmp_path) -> None:
    """Each cloud part arrived once, each local part reached the local server, and the
    audit log and the budget saw exactly the bodies sent."""
    sent = [r for r in replies if r.plan.cloud_messages]
    assert all(r.left_device and not r.flags for r in sent), {f for r in replies for f in r.flags}
    expected = Counter(json.dumps([m.to_dict() for m in r.plan.cloud_messages]) for r in sent)
    received = Counter(json.dumps(b["messages"]) for b in groq_server.bodies)
    assert received == expected  # exactly once each: no retry, no duplicate, nothing missing
    assert len(ollama_server.bodies) == sum(bool(r.plan.local_parts) for r in replies)
    sends = [r for r in read_records(tmp_path / "audit.jsonl") if r["event"] == "send"]
    assert len(sends) == len(groq_server.bodies)
    assert Counter(r["request_id"] for r in sends) == Counter(r.plan.request_id for r in sent)
    spent = router.budget.budget.spent(router.settings.principal)
    assert spent == pytest.approx(sum(r.plan.budget_cost for r in sent), abs=1e-3)


def check_own_values(reply, own: str | None, others: set[str]) -> None:
    """The answer holds the caller's own value (restored) and no other caller's."""
    if own is not None and not reply.plan.local_parts:
        assert own in reply.text
    assert not any(v in reply.text for v in others - {own})


def test_200_sync_calls_in_a_row(tmp_path, ollama_server, groq_server):
    router = make_router(tmp_path)
    replies = []
    for i in range(200):
        prompt, own = prompts(0)[i % 3]
        reply = call(router, "invoke" if i % 2 else "stream", prompt, None)
        check_own_values(reply, own, set())
        replies.append(reply)
    check_counts(router, replies, ollama_server, groq_server, tmp_path)
    secrets = {v for _, v in prompts(0) if v}
    assert not any(s in groq_server.received_text for s in secrets)


def test_50_threads_mixing_invoke_stream_and_batch(tmp_path, ollama_server, groq_server):
    from ptmo_middleware.integrations.langchain import PrivacyRouterChatModel

    router = make_router(tmp_path)
    model = PrivacyRouterChatModel(router=router)
    values = {v for k in range(50) for _, v in prompts(k) if v}
    replies: list = []
    batched: list[dict] = []  # the plan summaries of the batched calls
    lock = threading.Lock()

    def caller(k: int) -> int:
        mine = prompts(k)
        done = 0
        for i in range(20):
            if i % 5 == 4:  # LangChain batch (its own thread pool), no conversation id
                messages = model.batch([p for p, _ in mine])
                for (_, own), message in zip(mine, messages):
                    assert message.response_metadata["ptmo"]["flags"] == []
                    assert not any(v in message.content for v in values - {own})
                with lock:
                    batched.extend(m.response_metadata["ptmo"] for m in messages)
                done += len(mine)
                continue
            prompt, own = mine[i % 3]
            reply = call(router, "invoke" if i % 2 else "stream", prompt, f"conv-{k}")
            check_own_values(reply, own, values)
            with lock:
                replies.append(reply)
            done += 1
        return done

    started = time.monotonic()
    with ThreadPoolExecutor(50) as pool:
        futures = [pool.submit(caller, k) for k in range(50)]
        counts = [f.result(timeout=CALL_TIMEOUT_S * 5) for f in futures]
    assert sum(counts) == 50 * (16 + 4 * 3) and len(batched) == 50 * 4 * 3
    sent = [r for r in replies if r.plan.cloud_messages]
    assert len(groq_server.bodies) == len(sent) + sum(m["left_device"] for m in batched)
    assert len(ollama_server.bodies) == (sum(bool(r.plan.local_parts) for r in replies)
                                         + sum("local" in m["backends"] for m in batched))
    assert not any(v in groq_server.received_text for v in values if "@" not in v)  # passwords never left
    assert time.monotonic() - started < CALL_TIMEOUT_S * 5
    sends = [r for r in read_records(tmp_path / "audit.jsonl") if r["event"] == "send"]
    assert len(sends) == len(groq_server.bodies)
    assert len({r["request_id"] for r in sends}) == len(sends)  # one body per request
    spent = router.budget.budget.spent(router.settings.principal)
    expected = sum(r.plan.budget_cost for r in sent) + sum(m["budget_spent"] for m in batched if m["left_device"])
    assert spent == pytest.approx(expected, abs=1e-3)  # charged once per body


async def test_asyncio_tasks_on_one_loop(tmp_path, ollama_server, groq_server):
    router = make_router(tmp_path)
    values = {v for k in range(50) for _, v in prompts(k) if v}

    async def caller(k: int) -> list:
        out = []
        for i, (prompt, own) in enumerate(prompts(k)):
            if (i + k) % 2:
                reply = await router.ainvoke(prompt, conversation_id=f"a-{k}")
            else:
                chunks = [c async for c in router.astream(prompt, conversation_id=f"a-{k}")]
                reply = chunks[-1].reply
                assert "".join(c.text for c in chunks) == reply.text
            check_own_values(reply, own, values)
            out.append(reply)
        return out

    results = await asyncio.wait_for(asyncio.gather(*(caller(k) for k in range(50))), CALL_TIMEOUT_S * 3)
    check_counts(router, [r for rs in results for r in rs], ollama_server, groq_server, tmp_path)


async def test_sync_calls_from_inside_a_running_loop(tmp_path, ollama_server, groq_server):
    router = make_router(tmp_path)  # as in a notebook or an async framework's sync callback
    replies = [router.invoke("What is the capital of France?") for _ in range(3)]
    replies += [list(router.stream("My password is Pw1-zq7Lmx!. What is Python?"))[-1].reply for _ in range(3)]
    check_counts(router, replies, ollama_server, groq_server, tmp_path)


def test_a_retry_is_one_more_audited_body_charged_once(tmp_path, ollama_server, groq_server):
    groq_server.failures = [(503, "0"), (429, "0")]
    router = make_router(tmp_path, cloud_max_retries=3)
    reply = router.invoke("Email ana.lopez@example.org about the Python meetup.")
    assert reply.flags == [] and reply.left_device
    assert len(groq_server.bodies) == 3
    sends = [r for r in read_records(tmp_path / "audit.jsonl") if r["event"] == "send"]
    assert [r["attempt"] for r in sends] == [1, 2, 3]
    assert [r["budget_spent"] > 0 for r in sends] == [True, False, False]
    assert router.budget.budget.spent("default") == pytest.approx(reply.plan.budget_cost, abs=1e-3)


def test_a_stream_is_retried_only_before_its_first_piece(tmp_path, ollama_server, groq_server):
    groq_server.failures = [(429, "0")]
    router = make_router(tmp_path, cloud_max_retries=1)
    chunks = list(router.stream("What is the capital of France?"))
    assert chunks[-1].reply.text == "groq heard: What is the capital of France?"
    assert len(groq_server.bodies) == 2


def test_no_retry_unless_asked(tmp_path, ollama_server, groq_server):
    groq_server.failures = [(503, "0")]
    reply = make_router(tmp_path, cloud_max_retries=0).invoke("What is the capital of France?")
    assert len(groq_server.bodies) == 1 and reply.flags == [FLAG_CLOUD_FAILED]


def test_a_hung_cloud_times_out_and_falls_back_loudly(tmp_path, ollama_server, groq_server, caplog):
    groq_server.stall = 3.0  # the server says nothing for 3 s: the read times out first
    router = make_router(tmp_path, backend_timeout_s=0.5, cloud_max_retries=0)
    started = time.monotonic()
    reply = router.invoke("What is the capital of France?")
    assert time.monotonic() - started < 3
    assert FLAG_CLOUD_FAILED in reply.flags and "Groq" in reply.cloud_error
    assert "Groq" in caplog.text  # logged with the backend's message
    assert reply.backends == {"local": LOCAL}


def test_a_request_that_cannot_complete_raises_request_timeout(tmp_path, ollama_server, groq_server):
    ollama_server.stall = 5.0  # the local model says nothing for 5 s
    router = make_router(tmp_path, request_timeout_s=1.0)
    prompt = "My password is Pw1-zq7Lmx!. What is Python?"
    for run in (lambda: router.invoke(prompt), lambda: list(router.stream(prompt))):
        started = time.monotonic()
        with pytest.raises(RequestTimeout, match="request_timeout_s"):
            run()
        assert time.monotonic() - started < 2.5


def test_no_api_key_is_said_out_loud_and_nothing_leaves(tmp_path, ollama_server, groq_server, monkeypatch):
    monkeypatch.delenv("GROQ_API_KEY")
    router = make_router(tmp_path)
    for reply in (router.invoke("What is the capital of France?"),
                  list(router.stream("What is the capital of France?"))[-1].reply):
        assert reply.flags == [FLAG_CLOUD_FAILED] and not reply.left_device
        assert "GROQ_API_KEY" in reply.cloud_error
    assert groq_server.bodies == []
    assert not [r for r in read_records(tmp_path / "audit.jsonl") if r["event"] == "send"]
    assert router.budget.budget.spent("default") == 0


def test_a_cloud_failure_reaches_the_langchain_and_llamaindex_metadata(tmp_path, ollama_server, dead_url, monkeypatch):
    from ptmo_middleware.integrations.langchain import PrivacyRouterChatModel
    from ptmo_middleware.integrations.llamaindex import PrivacyRouterLLM

    monkeypatch.setenv("GROQ_BASE_URL", dead_url)
    monkeypatch.setenv("GROQ_API_KEY", "k")
    router = make_router(tmp_path, cloud_max_retries=0)
    meta = PrivacyRouterChatModel(router=router).invoke("What is the capital of France?").response_metadata["ptmo"]
    assert meta["flags"] == [FLAG_CLOUD_FAILED] and "cannot reach Groq" in meta["cloud_error"]
    raw = PrivacyRouterLLM(router=router).complete("What is the capital of France?").raw
    assert "cannot reach Groq" in raw["ptmo"]["cloud_error"]


def test_closing_a_sync_stream_early_ends_it(tmp_path, ollama_server, groq_server):
    groq_server.delay = 0.05
    router = make_router(tmp_path)
    stream = router.stream("Tell me about the history of the Python programming language please.")
    next(stream)
    stream.close()
    assert router.invoke("What is the capital of France?").flags == []  # the loop is still healthy


def test_a_new_event_loop_per_call_works_and_leaves_no_noise(tmp_path, ollama_server, groq_server, caplog):
    """Scripts often run each request in its own asyncio.run: clients of closed loops are
    dropped without errors, and each call still sends once."""
    import gc

    router = make_router(tmp_path)
    replies = []
    for k in range(4):
        replies.append(asyncio.run(router.ainvoke(f"My password is Pw{k}-zq7Lmx!. What is Python?")))
        gc.collect()
    check_counts(router, replies, ollama_server, groq_server, tmp_path)
    assert "never retrieved" not in caplog.text and "Event loop is closed" not in caplog.text
