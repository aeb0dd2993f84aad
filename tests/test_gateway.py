"""``ptmo serve``: the OpenAI-compatible gateway, driven by the official ``openai`` client
(and httpx for bodies no client would send) on a loopback port, in front of the loopback
Ollama and Groq servers (tests/servers.py). What reached the "cloud" is grepped for every
private value; answers must come back restored."""
from __future__ import annotations

import json
import re
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed")
uvicorn = pytest.importorskip("uvicorn", reason="the serve extra is not installed")
openai = pytest.importorskip("openai", reason="the openai client is not installed")
import httpx  # noqa: E402

from ptmo_middleware.backends import AsyncTextStream  # noqa: E402
from ptmo_middleware.errors import ConfigError, VaultStoreError  # noqa: E402
from ptmo_middleware.gateway import create_app  # noqa: E402
from ptmo_middleware.router import PrivacyRouter  # noqa: E402
from redis_support import free_port, redis_server  # noqa: E402
from recording_backend import RecordingBackend  # noqa: E402
from servers import GroqServer, OllamaServer, groq_server, ollama_server  # noqa: E402,F401  (fixtures)

EMAIL = "alice.smith@corp-mail.com"
PASSWORD = "hunter2xyz"
PHONE = "+1 415 555 0134"
OTHER_EMAIL = "bob.jones@example.org"
PRIVATE = (EMAIL, PASSWORD, PHONE, OTHER_EMAIL)
REQUEST = f"My password is {PASSWORD}. Write a short note to {EMAIL} about lunch."
KEYS = {"key-alice": "alice", "key-bob": "bob"}
VAULT_KEY = "k" * 8 + "0123456789abcdefghijklmnopqrstuv"
LOOKUP = {"type": "function", "function": {
    "name": "lookup_contact", "description": "Look up a contact.",
    "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}}}


class LiveGateway:
    """The gateway app on uvicorn, on a free loopback port, in a daemon thread."""

    def __init__(self, router: PrivacyRouter) -> None:
        self.router = router
        self.app = create_app(router)
        self.url = f"http://127.0.0.1:{free_port()}"
        port = int(self.url.rsplit(":", 1)[1])
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the gateway did not start")
            time.sleep(0.02)

    def client(self, key: str = "key-alice", **kwargs: Any) -> "openai.OpenAI":
        return openai.OpenAI(api_key=key, base_url=f"{self.url}/v1", max_retries=0, **kwargs)

    def post(self, body: bytes | dict[str, Any], key: str | None = "key-alice",
             headers: dict[str, str] | None = None) -> httpx.Response:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        auth = {"authorization": f"Bearer {key}"} if key else {}
        return httpx.post(f"{self.url}/v1/chat/completions", content=data, timeout=30,
                          headers={"content-type": "application/json", **auth, **(headers or {})})

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def make_router(**settings: Any) -> PrivacyRouter:
    gateway = {"api_keys": dict(KEYS), **settings.pop("gateway", {})}
    return PrivacyRouter(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile",
                         classifiers=["rules"], gateway=gateway, **settings)


@pytest.fixture
def live(groq_server: GroqServer, ollama_server: OllamaServer) -> Iterator[LiveGateway]:
    gateway = LiveGateway(make_router(gateway={"max_body_bytes": 64 * 1024}, max_prompt_chars=20_000))
    yield gateway
    gateway.close()


def assert_nothing_private_left(server: GroqServer) -> None:
    assert server.bodies, "the cloud was never called: the test proves nothing"
    leaked = [value for value in PRIVATE if value in server.received_text]
    assert not leaked, f"raw private values reached the cloud: {leaked}"


def assert_headers_clean(headers: Any) -> None:
    assert not [v for v in PRIVATE if any(v in value for value in headers.values())]


# -- answers ----------------------------------------------------------------------------
def test_invoke_is_masked_on_the_way_out_and_restored_on_the_way_back(live: LiveGateway,
                                                                       groq_server: GroqServer) -> None:
    raw = live.client().chat.completions.with_raw_response.create(
        model="ptmo", messages=[{"role": "system", "content": "You are terse."},
                                {"role": "user", "content": REQUEST}])
    completion = raw.parse()
    answer = completion.choices[0].message.content
    assert answer == f"groq heard: {REQUEST}"
    assert completion.choices[0].finish_reason == "stop" and completion.usage.total_tokens > 0
    assert_nothing_private_left(groq_server)
    sent = groq_server.bodies[0]["messages"]
    assert sent[0] == {"role": "system", "content": "You are terse."}
    assert "[EMAIL_ADDRESS_1]" in sent[-1]["content"] and "[PASSWORD_1]" in sent[-1]["content"]
    assert raw.headers["x-ptmo-route"] == "hybrid"
    assert raw.headers["x-ptmo-masked-spans"] == "EMAIL_ADDRESS=1,PASSWORD=1"
    assert raw.headers["x-ptmo-conversation"].startswith("auto-")
    assert re.fullmatch(r"ptmo;dur=\d+\.\d{3}, cloud;dur=\d+\.\d{3}", raw.headers["server-timing"])
    assert_headers_clean(raw.headers)


def test_stream_is_restored_and_ends_with_done(live: LiveGateway, groq_server: GroqServer) -> None:
    groq_server.delay = 0.001
    raw = live.client().chat.completions.with_raw_response.create(
        model="ptmo", stream=True, stream_options={"include_usage": True},
        messages=[{"role": "user", "content": REQUEST}])
    assert raw.headers["content-type"].startswith("text/event-stream")
    assert raw.headers["x-ptmo-masked-spans"] == "EMAIL_ADDRESS=1,PASSWORD=1"
    chunks = list(raw.parse())
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == f"groq heard: {REQUEST}"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens > 0
    assert_nothing_private_left(groq_server)
    # On the wire: SSE events closed by [DONE].
    with httpx.stream("POST", f"{live.url}/v1/chat/completions", timeout=30,
                      headers={"authorization": "Bearer key-alice"},
                      json={"model": "ptmo", "stream": True, "messages": [{"role": "user", "content": REQUEST}]}) as r:
        lines = [line for line in r.iter_lines() if line]
    assert lines[-1] == "data: [DONE]" and all(line.startswith("data: ") for line in lines)


@pytest.mark.parametrize("stream", [False, True])
def test_tool_calls_come_back_restored_and_tool_results_leave_masked(live: LiveGateway, groq_server: GroqServer,
                                                                     stream: bool) -> None:
    client = live.client()
    messages: list[dict[str, Any]] = [{"role": "user", "content": f"Who is {EMAIL}?"}]
    if stream:
        chunks = list(client.chat.completions.create(model="ptmo", messages=messages, tools=[LOOKUP], stream=True))
        deltas = [d for c in chunks if c.choices for d in c.choices[0].delta.tool_calls or []]
        call = {"id": deltas[0].id, "type": "function",
                "function": {"name": deltas[0].function.name, "arguments": deltas[0].function.arguments}}
        assert chunks[-1].choices[0].finish_reason == "tool_calls"
    else:
        completion = client.chat.completions.create(model="ptmo", messages=messages, tools=[LOOKUP],
                                                    tool_choice="auto")
        assert completion.choices[0].finish_reason == "tool_calls"
        call = completion.choices[0].message.tool_calls[0].model_dump()
    assert json.loads(call["function"]["arguments"]) == {"query": f"Who is {EMAIL}?"}
    messages += [{"role": "assistant", "content": None, "tool_calls": [call]},
                 {"role": "tool", "tool_call_id": call["id"], "content": f"phone {PHONE}"}]
    final = client.chat.completions.create(model="ptmo", messages=messages, tools=[LOOKUP])
    assert final.choices[0].message.content == f"tool said: phone {PHONE}"
    assert_nothing_private_left(groq_server)
    second = groq_server.bodies[-1]["messages"]
    assert json.loads(second[1]["tool_calls"][0]["function"]["arguments"]) == {"query": "Who is [EMAIL_ADDRESS_1]?"}


def test_json_response_format_is_restored_inside_the_json(live: LiveGateway, groq_server: GroqServer) -> None:
    completion = live.client().chat.completions.create(
        model="ptmo", response_format={"type": "json_object"},
        messages=[{"role": "user", "content": f"Give 'to' and 'subject' for a note to {EMAIL}."}])
    answer = json.loads(completion.choices[0].message.content)
    assert EMAIL in answer["to"]
    assert_nothing_private_left(groq_server)


def test_an_unmodified_client_keeps_its_placeholders_across_turns(live: LiveGateway,
                                                                  groq_server: GroqServer) -> None:
    client = live.client()
    messages = [{"role": "user", "content": f"Draft a note to {EMAIL}."}]
    first = client.chat.completions.with_raw_response.create(model="ptmo", messages=messages)
    messages += [{"role": "assistant", "content": first.parse().choices[0].message.content},
                 {"role": "user", "content": f"Now one to {OTHER_EMAIL}, copying {EMAIL}."}]
    second = client.chat.completions.with_raw_response.create(model="ptmo", messages=messages)
    assert first.headers["x-ptmo-conversation"] == second.headers["x-ptmo-conversation"]
    assert second.parse().choices[0].message.content == f"groq heard: Now one to {OTHER_EMAIL}, copying {EMAIL}."
    last = groq_server.bodies[-1]["messages"][-1]["content"]
    assert last == "Now one to [EMAIL_ADDRESS_2], copying [EMAIL_ADDRESS_1]."
    assert_nothing_private_left(groq_server)
    # Another key, the same opening: another conversation, its own map.
    other = live.client("key-bob").chat.completions.with_raw_response.create(model="ptmo", messages=messages[:1])
    assert other.headers["x-ptmo-conversation"] != first.headers["x-ptmo-conversation"]


def test_models_health_ready_and_metrics(live: LiveGateway) -> None:
    ids = [m.id for m in live.client().models.list()]
    assert ids == ["ptmo", "ollama:llama3.2:3b", "groq:llama-3.3-70b-versatile"]
    assert httpx.get(f"{live.url}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{live.url}/readyz").json() == {"status": "ready"}
    live.client().chat.completions.create(model="ptmo", messages=[{"role": "user", "content": REQUEST}])
    live.post({"model": "ptmo", "messages": []})
    metrics = httpx.get(f"{live.url}/metrics").text
    assert 'ptmo_gateway_requests_total{route="hybrid",status="200"} 1.0' in metrics
    assert 'ptmo_gateway_requests_total{route="none",status="400"} 1.0' in metrics
    assert 'ptmo_gateway_masked_spans_total{type="EMAIL_ADDRESS"} 1.0' in metrics
    assert "ptmo_gateway_middleware_seconds_count 1.0" in metrics
    assert 'ptmo_gateway_backend_seconds_count{side="cloud"} 1.0' in metrics
    assert not [v for v in PRIVATE if v in metrics]


def test_the_local_model_name_keeps_the_request_on_the_device(live: LiveGateway, groq_server: GroqServer,
                                                              ollama_server: OllamaServer) -> None:
    raw = live.client().chat.completions.with_raw_response.create(
        model="ollama:llama3.2:3b", messages=[{"role": "user", "content": REQUEST}])
    assert raw.headers["x-ptmo-route"] == "local" and raw.headers["x-ptmo-masked-spans"] == "none"
    assert raw.parse().choices[0].message.content == f"ollama heard: {REQUEST}"
    assert not groq_server.bodies and ollama_server.bodies


def test_a_failed_cloud_answered_locally_is_flagged(live: LiveGateway, groq_server: GroqServer) -> None:
    groq_server.failures = [(500, None)] * 4
    raw = live.client().chat.completions.with_raw_response.create(
        model="ptmo", messages=[{"role": "user", "content": REQUEST}])
    assert raw.headers["x-ptmo-flags"] == "cloud_failed_fell_back_to_local"
    assert raw.parse().choices[0].message.content.startswith("ollama heard: ")


def test_langchain_chat_openai_against_the_gateway(live: LiveGateway, groq_server: GroqServer) -> None:
    langchain_openai = pytest.importorskip("langchain_openai", reason="langchain-openai is not installed")
    model = langchain_openai.ChatOpenAI(model="ptmo", base_url=f"{live.url}/v1", api_key="key-alice", max_retries=0)
    assert model.invoke(REQUEST).content == f"groq heard: {REQUEST}"
    assert "".join(c.content for c in model.stream(REQUEST)) == f"groq heard: {REQUEST}"
    call = model.bind_tools([LOOKUP], tool_choice="lookup_contact").invoke(f"Who is {EMAIL}?").tool_calls[0]
    assert call["name"] == "lookup_contact" and call["args"] == {"query": f"Who is {EMAIL}?"}
    assert_nothing_private_left(groq_server)


# -- errors -------------------------------------------------------------------------------
def _error(response: httpx.Response) -> tuple[int, str | None]:
    body = response.json()["error"]
    assert set(body) == {"message", "type", "param", "code"}
    return response.status_code, body["code"]


def test_bad_requests_are_refused_in_openai_shape_and_nothing_leaves(live: LiveGateway,
                                                                     groq_server: GroqServer) -> None:
    good = {"model": "ptmo", "messages": [{"role": "user", "content": REQUEST}]}
    cases = {
        "no key": (live.post(good, key=None), (401, "invalid_api_key")),
        "wrong key": (live.post(good, key="key-mallory"), (401, "invalid_api_key")),
        "malformed JSON": (live.post(b'{"model": "ptmo", "messages": [', ), (400, None)),
        "invalid UTF-8": (live.post(b'{"model": "ptmo", "messages": [{"role": "user", "content": "\xff\xfe"}]}'),
                          (400, None)),
        "lone surrogate": (live.post(b'{"model": "ptmo", "messages": [{"role": "user", "content": "a\\ud800"}]}'),
                           (400, "invalid_prompt")),
        "unknown role": (live.post({"model": "ptmo", "messages": [{"role": "wizard", "content": "hi"}]}),
                         (400, None)),
        "no messages": (live.post({"model": "ptmo", "messages": []}), (400, None)),
        "image content": (live.post({"model": "ptmo", "messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "http://x"}}]}]}), (400, None)),
        "bad temperature": (live.post({**good, "temperature": "hot"}), (400, None)),
        "bad tool arguments": (live.post({"model": "ptmo", "messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": None, "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{not json"}}]},
            {"role": "tool", "tool_call_id": "c1", "content": "ok"}]}), (400, None)),
        "tool without its call id": (live.post({"model": "ptmo", "messages": [{"role": "tool", "content": "x"}]}),
                                     (400, None)),
        "unknown model": (live.post({**good, "model": "gpt-4o"}), (404, "model_not_found")),
        "10 MB body": (live.post(b"x" * 10_000_000), (413, "request_too_large")),
        "prompt too long": (live.post({"model": "ptmo", "messages": [{"role": "user", "content": "word " * 5000}]}),
                            (413, "prompt_too_large")),
    }
    got = {name: _error(response) for name, (response, _) in cases.items()}
    assert got == {name: expected for name, (_, expected) in cases.items()}
    assert _error(httpx.get(f"{live.url}/v1/nowhere")) == (404, "not_found")
    assert not groq_server.bodies
    with pytest.raises(openai.AuthenticationError):
        live.client("key-mallory").chat.completions.create(**good)
    # The server keeps serving.
    assert live.client().chat.completions.create(**good).choices[0].message.content == f"groq heard: {REQUEST}"


def test_an_exhausted_budget_is_429(groq_server: GroqServer, ollama_server: OllamaServer) -> None:
    router = make_router(budget={"enabled": True, "store": "memory", "window": "none", "epsilon": 0.5})
    live = LiveGateway(router)
    try:
        assert router.budget.budget is not None
        router.budget.budget.charge(0.5, "spent-it", "alice")
        refused = live.post({"model": "ptmo", "messages": [{"role": "user", "content": REQUEST}]})
        assert _error(refused) == (429, "privacy_budget_exhausted")
        assert live.post({"model": "ptmo", "messages": [{"role": "user", "content": "hi"}]},
                         key="key-bob").status_code == 200
        assert "ptmo_gateway_budget_refusals_total 1.0" in httpx.get(f"{live.url}/metrics").text
    finally:
        live.close()


def test_backends_down_are_502_and_503(groq_server: GroqServer, ollama_server: OllamaServer) -> None:
    live = LiveGateway(make_router(cloud_fallback="error", cloud_max_retries=0))
    try:
        groq_server.failures = [(500, None)]
        cloud = live.post({"model": "ptmo", "messages": [{"role": "user", "content": REQUEST}]})
        assert _error(cloud) == (502, "cloud_backend_unavailable")
        ollama_server.fail_with = (500, "model crashed")
        local = live.post({"model": "ollama:llama3.2:3b", "messages": [{"role": "user", "content": REQUEST}]})
        assert _error(local) == (503, "local_backend_unavailable")
        streamed = live.post({"model": "ollama:llama3.2:3b", "stream": True,
                              "messages": [{"role": "user", "content": REQUEST}]})
        assert _error(streamed) == (503, "local_backend_unavailable")
    finally:
        live.close()


class _BreaksMidAnswer(RecordingBackend):
    """A cloud backend whose stream fails after its first piece."""

    def astream(self, messages: list[Any], **options: Any) -> AsyncTextStream:
        async def pieces() -> AsyncIterator[str]:
            yield "The answer is "
            raise ConnectionError("connection reset by peer")

        return AsyncTextStream(pieces())


def test_a_stream_that_fails_mid_answer_ends_with_an_error_event(ollama_server: OllamaServer) -> None:
    router = PrivacyRouter(local="ollama:llama3.2:3b", cloud=_BreaksMidAnswer("breaks"), classifiers=["rules"],
                           cloud_max_retries=0)
    live = LiveGateway(router)
    try:
        with httpx.stream("POST", f"{live.url}/v1/chat/completions", timeout=30, json={
                "model": "ptmo", "stream": True, "messages": [{"role": "user", "content": "What is 2 + 2?"}]}) as r:
            assert r.status_code == 200
            events = [json.loads(line[6:]) for line in r.iter_lines() if line.startswith("data: {")]
        assert events[1]["choices"][0]["delta"]["content"] == "The answer is "
        assert events[-1]["error"]["code"] == "cloud_backend_unavailable"
        assert 'status="502"' in httpx.get(f"{live.url}/metrics").text
    finally:
        live.close()


# -- shared vault stores ----------------------------------------------------------------
def test_a_persistent_vault_store_needs_a_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PTMO_VAULT_KEY", raising=False)
    with pytest.raises(ConfigError, match="PTMO_VAULT_KEY"):
        make_router(vault={"store": f"sqlite:///{tmp_path}/vault.db"})
    monkeypatch.setenv("PTMO_VAULT_KEY", "short")
    with pytest.raises(ConfigError, match="at least 32"):
        make_router(vault={"store": f"sqlite:///{tmp_path}/vault.db"})


def test_sqlite_vault_is_encrypted_expires_and_needs_the_same_key(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    from ptmo_middleware.config import VaultSettings
    from ptmo_middleware.vaultstore import open_ledger

    monkeypatch.setenv("PTMO_VAULT_KEY", VAULT_KEY)
    spec = f"sqlite:///{tmp_path}/vault.db"
    one, two = (make_router(vault={"store": spec}) for _ in range(2))
    ph = one.vault("c").placeholder_for(EMAIL, "EMAIL_ADDRESS")
    assert two.vault("c").restore(f"to {ph}") == f"to {EMAIL}"
    assert two.vault("c").placeholder_for(EMAIL.upper(), "EMAIL_ADDRESS") == ph
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert EMAIL.encode() not in stored and b"alice" not in stored
    monkeypatch.setenv("PTMO_VAULT_KEY", VAULT_KEY[::-1])
    with pytest.raises(VaultStoreError, match="does not decrypt"):
        make_router(vault={"store": spec}).vault("c")
    monkeypatch.setenv("PTMO_VAULT_KEY", VAULT_KEY)
    short = open_ledger(VaultSettings(store=spec, ttl_s=0.05))
    short.claim("brief", "PERSON", "ann lee", "Ann Lee", ())
    assert short.load("brief")
    time.sleep(0.1)
    assert short.load("brief") == [] and one.vault("c").mapping == {ph: EMAIL}


def test_replicas_claiming_at_once_never_share_a_placeholder(monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv("PTMO_VAULT_KEY", VAULT_KEY)
    routers = [make_router(vault={"store": f"sqlite:///{tmp_path}/vault.db"}) for _ in range(2)]

    def mask(i: int) -> tuple[str, str]:
        value = f"person{i % 20}@example.org"
        return value, routers[i % 2].vault("shared").placeholder_for(value, "EMAIL_ADDRESS")

    with ThreadPoolExecutor(8) as pool:
        pairs = set(pool.map(mask, range(200)))
    assert len(pairs) == 20 and len({ph for _, ph in pairs}) == 20
    assert routers[0].vault("shared").mapping == {ph: value for value, ph in pairs}


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    with redis_server(tmp_path) as url:
        yield url


def test_two_replicas_on_redis_restore_each_others_placeholders(
        redis_url: str, groq_server: GroqServer, ollama_server: OllamaServer, monkeypatch: pytest.MonkeyPatch) -> None:
    import redis

    monkeypatch.setenv("PTMO_VAULT_KEY", VAULT_KEY)
    groq_server.answer = lambda messages: " | ".join(m["content"] or "" for m in messages)  # repeats the history
    replicas = [LiveGateway(make_router(vault={"store": redis_url})) for _ in range(2)]
    try:
        messages: list[dict[str, Any]] = []
        turns = [f"Draft a note to {EMAIL}.", f"Add {OTHER_EMAIL} in copy.", f"Call {PHONE} about {EMAIL}.",
                 "Summarise."]
        for i, turn in enumerate(turns):  # alternate replicas, no conversation header
            messages.append({"role": "user", "content": turn})
            completion = replicas[i % 2].client().chat.completions.create(model="ptmo", messages=messages)
            answer = completion.choices[0].message.content
            assert answer == " | ".join(m["content"] for m in messages), f"turn {i}"
            messages.append({"role": "assistant", "content": answer})
        streamed = "".join(c.choices[0].delta.content or "" for c in replicas[1].client().chat.completions.create(
            model="ptmo", messages=messages + [{"role": "user", "content": "Again."}], stream=True) if c.choices)
        assert EMAIL in streamed and OTHER_EMAIL in streamed and PHONE in streamed
        assert_nothing_private_left(groq_server)
        last = groq_server.bodies[-1]["messages"]
        assert "[EMAIL_ADDRESS_1]" in last[0]["content"] and "[EMAIL_ADDRESS_2]" in last[2]["content"]
        assert not re.search(r"EMAIL_ADDRESS_[3-9]", groq_server.received_text)
        stored = redis.Redis.from_url(redis_url)
        dump = b"".join(k + b"".join(stored.hgetall(k).values()) for k in stored.scan_iter("ptmo:vault:*"))
        assert dump and not [v for v in PRIVATE if v.encode() in dump]
        assert all(0 < stored.pttl(k) <= 86_400_000 for k in stored.scan_iter("ptmo:vault:*"))
        assert httpx.get(f"{replicas[0].url}/readyz").json() == {"status": "ready"}
    finally:
        for replica in replicas:
            replica.close()


def test_concurrent_conversations_over_two_replicas_each_get_their_own_values(
        redis_url: str, groq_server: GroqServer, ollama_server: OllamaServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every conversation's value is ``[EMAIL_ADDRESS_1]`` to the cloud; each must come back
    as its own conversation's, whichever replica answers; the budget counts every body once."""
    import asyncio

    import redis

    monkeypatch.setenv("PTMO_VAULT_KEY", VAULT_KEY)
    shared = {"vault": {"store": redis_url},
              "budget": {"enabled": True, "store": redis_url, "window": "none", "epsilon": 1000}}
    replicas = [LiveGateway(make_router(**json.loads(json.dumps(shared)))) for _ in range(2)]
    n = 60

    async def conversation(i: int) -> list[str]:
        messages: list[dict[str, Any]] = []
        answers = []
        for turn, text in enumerate([f"Write to user{i}@example.org.", f"Copy user{i}@example.org again."]):
            messages.append({"role": "user", "content": text})
            client = openai.AsyncOpenAI(api_key="key-alice", base_url=f"{replicas[(i + turn) % 2].url}/v1",
                                        max_retries=0, timeout=120)
            completion = await client.chat.completions.create(model="ptmo", messages=messages)
            await client.close()
            answers.append(completion.choices[0].message.content)
            messages.append({"role": "assistant", "content": answers[-1]})
        return answers

    async def run() -> list[list[str]]:
        return await asyncio.gather(*(conversation(i) for i in range(n)))

    try:
        results = asyncio.run(run())
        for i, (first, second) in enumerate(results):
            assert first == f"groq heard: Write to user{i}@example.org."
            assert second == f"groq heard: Copy user{i}@example.org again."
        assert "@example.org" not in groq_server.received_text
        store = redis.Redis.from_url(redis_url)
        ledger = store.hgetall("ptmo:budget:ledger:alice|all")
        assert len(ledger) == len(groq_server.bodies) == 2 * n
        assert int(store.get("ptmo:budget:total:alice|all")) == sum(int(v) for v in ledger.values())
    finally:
        for replica in replicas:
            replica.close()


class ServeProcess:
    """``ptmo serve`` in a process of its own (a replica)."""

    def __init__(self, config: Path, log: Path) -> None:
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from ptmo_middleware.cli import app; app()", "serve", "--config", str(config),
             "--port", self.url.rsplit(":", 1)[1], "--log-level", "warning"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"ptmo serve did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)

    def client(self) -> "openai.OpenAI":
        return openai.OpenAI(api_key="key-alice", base_url=f"{self.url}/v1", max_retries=0)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(20)
        self.log.close()


def test_two_serve_processes_on_redis_survive_a_replica_killed_mid_stream(
        redis_url: str, groq_server: GroqServer, ollama_server: OllamaServer, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    """Turns alternate between two ``ptmo serve`` processes; one is killed (SIGKILL) in
    the middle of a stream: every body that reached the cloud was charged exactly once,
    and the survivor serves the conversation on, restoring every placeholder."""
    import redis

    monkeypatch.setenv("PTMO_VAULT_KEY", VAULT_KEY)
    config = tmp_path / "ptmo.toml"
    config.write_text(f"""
local = "ollama:llama3.2:3b"
cloud = "groq:llama-3.3-70b-versatile"
classifiers = ["rules"]
[gateway]
api_keys = {{ "key-alice" = "alice" }}
[vault]
store = "{redis_url}"
[budget]
enabled = true
store = "{redis_url}"
window = "none"
epsilon = 100
""", encoding="utf-8")
    groq_server.answer = lambda messages: " | ".join(m["content"] or "" for m in messages)
    replicas = [ServeProcess(config, tmp_path / f"replica{i}.log") for i in range(2)]
    try:
        messages: list[dict[str, Any]] = []
        for i, turn in enumerate([f"Draft a note to {EMAIL}.", f"Add {OTHER_EMAIL} in copy."]):
            messages.append({"role": "user", "content": turn})
            answer = replicas[i % 2].client().chat.completions.create(model="ptmo", messages=messages)
            messages.append({"role": "assistant", "content": answer.choices[0].message.content})
            assert messages[-1]["content"] == " | ".join(m["content"] for m in messages[:-1])
        groq_server.delay = 0.05
        body = {"model": "ptmo", "stream": True, "messages": messages + [{"role": "user", "content": "Again."}]}
        received = 0
        with pytest.raises(httpx.HTTPError):
            with httpx.stream("POST", f"{replicas[0].url}/v1/chat/completions", json=body, timeout=30,
                              headers={"authorization": "Bearer key-alice"}) as response:
                for line in response.iter_lines():
                    received += line.startswith("data: ")
                    if received == 4:
                        os.kill(replicas[0].proc.pid, signal.SIGKILL)
        replicas[0].proc.wait(10)
        groq_server.delay = 0.0
        messages.append({"role": "user", "content": f"Call {PHONE}."})
        answer = replicas[1].client().chat.completions.create(model="ptmo", messages=messages)
        assert answer.choices[0].message.content == " | ".join(m["content"] for m in messages)
        assert_nothing_private_left(groq_server)
        store = redis.Redis.from_url(redis_url)
        ledger = {k: int(v) for k, v in store.hgetall("ptmo:budget:ledger:alice|all").items()}
        assert len(ledger) == len(groq_server.bodies) == 4  # two turns, the killed stream, the last turn
        assert int(store.get("ptmo:budget:total:alice|all")) == sum(ledger.values()) > 0
    finally:
        for replica in replicas:
            replica.close()


# -- configuration and the command ------------------------------------------------------
def test_api_keys_and_vault_store_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ptmo_middleware.config import Settings

    config = tmp_path / "ptmo.toml"
    config.write_text('[gateway]\nmax_body_bytes = 1000\n[vault]\nttl_s = 60\n', encoding="utf-8")
    monkeypatch.setenv("PTMO_API_KEYS", "sk-1:alice, sk-2:bob")
    monkeypatch.setenv("PTMO_VAULT__STORE", "redis://cache:6379/0")
    settings = Settings.load(config)
    assert settings.gateway.api_keys == {"sk-1": "alice", "sk-2": "bob"} and settings.gateway.max_body_bytes == 1000
    assert (settings.vault.store, settings.vault.ttl_s) == ("redis://cache:6379/0", 60)
    assert "sk-1" not in repr(settings)
    monkeypatch.setenv("PTMO_API_KEYS", "no-principal")
    with pytest.raises(ConfigError, match="key:principal"):
        Settings.load()


# -- the command ------------------------------------------------------------------------
def test_serve_refuses_workers_without_a_shared_vault(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from ptmo_middleware.cli import app

    monkeypatch.delenv("PTMO_VAULT__STORE", raising=False)
    result = CliRunner().invoke(app, ["serve", "--workers", "2"])
    assert result.exit_code == 2 and "the workers share" in result.output
