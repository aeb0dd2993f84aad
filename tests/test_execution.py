"""Executing plans end to end: the real ``ollama`` and ``groq`` clients against loopback
servers; assertions on exactly what the "cloud" server received."""
from __future__ import annotations

import asyncio
import json

import pytest
from servers import dead_url, groq_server, ollama_server  # noqa: F401  (fixtures)

from ptmo_middleware.errors import CloudBackendUnavailable, InvalidPromptError, LocalBackendUnavailable
from ptmo_middleware.execution import FLAG_BUDGET_REFUSED, FLAG_CLOUD_FAILED
from ptmo_middleware.plugins.aggregators.merge import LOCAL_SECTION
from ptmo_middleware.router import PrivacyRouter

LOCAL, CLOUD = "ollama:llama3.2:3b", "groq:llama-3.3-70b-versatile"

#: Prompts with planted PRIVATE values (the second item) that must never reach the cloud.
SECRETS = [
    ("My password is hunter2secret. What is Python?", "hunter2secret"),
    ("Write to ana.lopez@example.org: my card 4111 1111 1111 1111 expired.", "4111 1111 1111 1111"),
    ("Use key sk-proj-AbCdEf1234567890AbCdEf1234567890 to call it. How do I list files?",
     "sk-proj-AbCdEf1234567890AbCdEf1234567890"),
    ("My SSN is 123-45-6789. What should I eat?", "123-45-6789"),
]


def router(**kw) -> PrivacyRouter:
    return PrivacyRouter(classifiers=["rules"], local=LOCAL, cloud=CLOUD, **kw)


def split_router(**kw) -> PrivacyRouter:
    """PRIVATE sentences stay local, the rest goes to the cloud: plans with both sides."""
    return router(thresholds={"private": "local"}, decomposer="sentence", **kw)


def stream_text(r: PrivacyRouter, prompt: str, **kw):
    chunks = list(r.stream(prompt, **kw))
    assert chunks[-1].reply is not None and all(c.reply is None for c in chunks[:-1])
    return chunks, chunks[-1].reply


@pytest.mark.parametrize("policy", ["threshold", "cloud-only"])
def test_cloud_never_receives_a_private_span(ollama_server, groq_server, policy):
    r = router(policy=policy)
    for prompt, secret in SECRETS:
        reply = r.invoke(prompt)
        assert secret in reply.text  # the echoed placeholder was restored for the user
        _, streamed = stream_text(r, prompt)
        assert streamed.text == reply.text
    sent = groq_server.received_text
    assert len(groq_server.bodies) == 2 * len(SECRETS)
    for _, secret in SECRETS:
        assert secret not in sent and json.dumps(secret)[1:-1] not in sent
    assert "[PASSWORD_1]" in sent and "[API_KEY_1]" in sent


def test_the_cloud_call_carries_exactly_the_plan_payload(ollama_server, groq_server):
    r = split_router()
    reply = r.invoke("My password is hunter2secret. What is Python?", max_tokens=40)
    assert groq_server.bodies[-1]["messages"] == [m.to_dict() for m in reply.plan.cloud_messages]
    assert groq_server.bodies[-1]["messages"] == [{"role": "user", "content": "What is Python?"}]
    # the local model saw the original private text: it runs on the device
    assert ollama_server.bodies[-1]["messages"][-1]["content"] == "My password is hunter2secret."
    assert groq_server.bodies[-1]["max_tokens"] == 40 and ollama_server.bodies[-1]["options"]["num_predict"] == 40


def test_hybrid_reply_merges_both_answers_and_reports(ollama_server, groq_server):
    r = split_router()
    reply = r.invoke("My password is hunter2secret. What is Python?")
    assert reply.text == ("groq heard: What is Python?" + LOCAL_SECTION
                          + "ollama heard: My password is hunter2secret.")
    assert reply.backends == {"local": LOCAL, "cloud": CLOUD}
    assert reply.flags == []
    assert {"classify", "decompose", "route", "local", "cloud", "aggregate", "total"} <= set(reply.timings_ms)
    assert reply.usage.input_tokens == 3 + 4 and reply.usage.total_tokens > reply.usage.input_tokens
    chunks, streamed = stream_text(r, "My password is hunter2secret. What is Python?")
    assert "".join(c.text for c in chunks) == reply.text == streamed.text
    assert streamed.backends == reply.backends


def test_local_only_request_never_touches_the_cloud(ollama_server, groq_server):
    reply = router(policy="local-only").invoke("What is Python?")
    assert reply.text == "ollama heard: What is Python?" and reply.backends == {"local": LOCAL}
    _, streamed = stream_text(router(policy="local-only"), "What is Python?")
    assert streamed.text == reply.text
    assert groq_server.bodies == []


def test_streamed_placeholders_are_never_shown_half_masked(ollama_server, groq_server):
    r = router()
    prompt = "Write to ana.lopez@example.org and bob.k@example.com about [the plan]."
    chunks, reply = stream_text(r, prompt)
    assert len(chunks) > 10  # the server split the answer in 3-character pieces
    assert "".join(c.text for c in chunks) == f"groq heard: {prompt}"
    for c in chunks:
        assert "EMAIL" not in c.text.upper() and "ADDRESS_" not in c.text.upper()
    assert "[EMAIL_ADDRESS_2]" in groq_server.received_text


@pytest.mark.parametrize("how", ["invoke", "ainvoke", "stream"])
def test_local_down_fails_closed_and_nothing_reaches_the_cloud(groq_server, dead_url, monkeypatch, how):
    monkeypatch.setenv("OLLAMA_HOST", dead_url)
    r = split_router()
    prompt = "My password is hunter2secret. What is Python?"
    with pytest.raises(LocalBackendUnavailable, match="Nothing was sent to the cloud"):
        if how == "invoke":
            r.invoke(prompt)
        elif how == "ainvoke":
            asyncio.run(r.ainvoke(prompt))
        else:
            list(r.stream(prompt))
    assert groq_server.bodies == []


@pytest.mark.parametrize("how", ["invoke", "stream"])
def test_cloud_429_is_retried_then_falls_back_to_local(ollama_server, groq_server, how):
    groq_server.failures = [(429, "0.05")] * 10
    r = router(cloud_max_retries=2)
    prompt = "What is Python?"
    reply = r.invoke(prompt) if how == "invoke" else stream_text(r, prompt)[1]
    assert len(groq_server.bodies) == 3  # first try + 2 retries
    assert reply.flags == [FLAG_CLOUD_FAILED]
    assert reply.text == "ollama heard: What is Python?" and reply.backends == {"local": LOCAL}


def test_cloud_down_falls_back_with_the_original_text_on_device(ollama_server, dead_url, monkeypatch):
    monkeypatch.setenv("GROQ_BASE_URL", dead_url)
    monkeypatch.setenv("GROQ_API_KEY", "k")
    reply = router(cloud_max_retries=0).invoke("Email ana.lopez@example.org about Python.")
    assert reply.flags == [FLAG_CLOUD_FAILED]
    assert reply.text == "ollama heard: Email ana.lopez@example.org about Python."


def test_cloud_failure_raises_when_configured(ollama_server, groq_server):
    groq_server.failures = [(500, None)] * 5
    r = router(cloud_fallback="error", cloud_max_retries=0)
    with pytest.raises(CloudBackendUnavailable, match="500"):
        r.invoke("What is Python?")
    with pytest.raises(CloudBackendUnavailable):
        list(r.stream("What is Python?"))
    assert ollama_server.bodies == []


def test_budget_refusal_at_send_time_answers_locally(ollama_server, groq_server, monkeypatch):
    r = router()
    monkeypatch.setattr(r.budget, "charge", lambda plan: False)
    reply = r.invoke("Email ana.lopez@example.org about Python.")
    assert reply.flags == [FLAG_BUDGET_REFUSED] and groq_server.bodies == []
    assert reply.text == "ollama heard: Email ana.lopez@example.org about Python."


def test_every_send_is_audited(ollama_server, groq_server, tmp_path):
    path = tmp_path / "audit.jsonl"
    r = router(audit_log=str(path))
    r.invoke("My password is hunter2secret. What is Python?")
    records = [json.loads(line) for line in path.read_text().splitlines()]
    sends = [rec for rec in records if rec["event"] == "send"]
    assert len(sends) == 1 and sends[0]["matches_plan"] is True and sends[0]["backend"] == CLOUD
    assert "hunter2secret" not in path.read_text()


async def test_fifty_concurrent_conversations_keep_their_masks_apart(ollama_server, groq_server):
    groq_server.delay = 0.002  # interleave the streams
    r = router()
    people = [f"user{i:02d}.name@example.org" for i in range(50)]

    async def converse(i: int) -> str:
        prompt = f"Send the minutes to {people[i]} today."
        if i % 2:
            return (await r.ainvoke(prompt, conversation_id=f"conv-{i}")).text
        return "".join([c.text async for c in r.astream(prompt, conversation_id=f"conv-{i}")])

    answers = await asyncio.gather(*(converse(i) for i in range(50)))
    for i, text in enumerate(answers):
        assert text == f"groq heard: Send the minutes to {people[i]} today."
    assert len(groq_server.bodies) == 50
    for body in groq_server.bodies:
        assert body["messages"][-1]["content"] == "Send the minutes to [EMAIL_ADDRESS_1] today."
    assert not any(p in groq_server.received_text for p in people)
    assert {r.vault(f"conv-{i}").mapping["[EMAIL_ADDRESS_1]"] for i in range(50)} == set(people)


def test_local_refine_lets_the_local_model_write_the_answer(ollama_server, groq_server):
    r = router(aggregator="local-refine")
    reply = r.invoke("Email ana.lopez@example.org about Python.")
    refine = ollama_server.bodies[-1]["messages"][-1]["content"]
    assert "Draft answer: groq heard: Email ana.lopez@example.org about Python." in refine
    assert reply.text == f"ollama heard: {refine}"
    assert reply.backends == {"local": LOCAL, "cloud": CLOUD}
    chunks, streamed = stream_text(r, "Email ana.lopez@example.org about Python.")
    assert streamed.text == reply.text and "".join(c.text for c in chunks) == reply.text
    assert "ana.lopez" not in groq_server.received_text
    # The refined answer is streamed as the local model writes it (3-character NDJSON
    # pieces from the loopback server), not handed over in one chunk at the end.
    assert len(chunks) - 1 == len(range(0, len(reply.text), 3)) > 10
    assert streamed.usage == reply.usage and streamed.usage.output_tokens > 0


async def test_local_refine_shows_refined_tokens_before_the_refinement_ends(ollama_server, groq_server):
    ollama_server.delay = 0.05  # the refinement takes a while: its first pieces must not wait for its end
    r = router(aggregator="local-refine")
    arrivals = []
    async for chunk in r.astream("Email ana.lopez@example.org about Python."):
        arrivals.append((asyncio.get_running_loop().time(), chunk))
    texts = [t for t, c in arrivals if c.text]
    assert arrivals[-1][1].reply is not None and len(texts) > 10
    assert texts[-1] - texts[0] > 0.3  # spread over the generation, not a burst at the end


def test_restore_is_the_default_and_merges_local_parts(ollama_server, groq_server):
    r = split_router()
    assert r.aggregator.name == "restore"
    assert LOCAL_SECTION in r.invoke("My password is hunter2secret. What is Python?").text


async def test_sync_invoke_works_inside_a_running_loop(ollama_server, groq_server):
    assert router().invoke("What is Python?").text == "groq heard: What is Python?"


def test_bad_input_fails_before_anything_is_sent(ollama_server, groq_server):
    with pytest.raises(InvalidPromptError):
        router().invoke("   ")
    with pytest.raises(TypeError, match="top_k"):
        router().invoke("What is Python?", top_k=3)
    assert groq_server.bodies == [] and ollama_server.bodies == []


def test_backend_objects_are_kept_on_the_router(ollama_server, groq_server):
    from ptmo_middleware.backends.ollama import OllamaBackend

    local = OllamaBackend("llama3.2:3b")
    r = PrivacyRouter(classifiers=["rules"], local=local, cloud=CLOUD, policy="local-only")
    assert r.local_backend is local and r.settings.local == "ollama:llama3.2:3b"
    assert r.invoke("Hi there").backends == {"local": "ollama:llama3.2:3b"}


def test_ptmo_chat_streams_answers_and_shows_routes(ollama_server, groq_server, monkeypatch):
    from typer.testing import CliRunner

    from ptmo_middleware.cli import app

    monkeypatch.setenv("PTMO_CLASSIFIERS", "rules")
    result = CliRunner().invoke(app, ["chat", "--local", LOCAL, "--cloud", CLOUD, "--show-route"],
                                input="My password is hunter2secret. What is Python?\n/route\nWhat is Rust?\n/quit\n")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())  # rich wraps long lines
    assert "groq heard: My password is hunter2secret. What is Python?" in out
    assert "groq heard: What is Rust?" in out
    assert "left the device: My password is [PASSWORD_1]. What is Python?" in out
    assert "left the device: What is Rust?" not in out  # the display was toggled off
    assert "hunter2secret" not in groq_server.received_text


def test_leaving_a_stream_early_stops_it(ollama_server, groq_server):
    import time

    groq_server.delay = 0.3  # 3-character pieces, 0.3 s apart: the whole answer takes > 4 s
    stream = router().stream("What is Python? Explain it in detail please.")
    assert next(stream).text
    t0 = time.monotonic()
    stream.close()  # what leaving a for loop does
    assert time.monotonic() - t0 < 2


def test_a_placeholder_the_cloud_was_not_sent_is_not_restored(ollama_server, groq_server):
    groq_server.answer = lambda messages: "Keep [PASSWORD_1] safe."  # invents one it never received
    r = split_router()
    reply = r.invoke("My password is hunter2secret. What is Python?", conversation_id="c")
    assert "[PASSWORD_1]" in r.vault("c").mapping  # the local part's secret is in the mask map ...
    assert reply.text.startswith("Keep [PASSWORD_1] safe." + LOCAL_SECTION)  # ... but never put in
    chunks, streamed = stream_text(r, "My password is hunter2secret. What is Python?", conversation_id="c")
    assert "".join(c.text for c in chunks) == streamed.text == reply.text
