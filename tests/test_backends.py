"""The Ollama and Groq backends, driven through the real SDKs against loopback servers
that speak their wire protocols."""
from __future__ import annotations

import logging

import pytest
from servers import dead_url, groq_server, ollama_server  # noqa: F401  (fixtures)

from ptmo_middleware.backends import Usage, check_options, resolve_backend
from ptmo_middleware.backends.groq import GroqBackend
from ptmo_middleware.backends.ollama import OllamaBackend
from ptmo_middleware.config import Settings
from ptmo_middleware.errors import BackendError, ConfigError
from ptmo_middleware.types import Message

ASK = [Message("system", "Be brief."), Message("user", "What is Python?")]


# -- Ollama -------------------------------------------------------------------------------
def test_ollama_chat_sends_messages_and_options(ollama_server):
    b = OllamaBackend("llama3.2:3b")
    r = b.chat(ASK, temperature=0.2, max_tokens=50, stop=["\n\n"], seed=7, num_ctx=2048)
    assert r.text == "ollama heard: What is Python?"
    assert (r.provider, r.model) == ("ollama", "llama3.2:3b")
    assert r.usage == Usage(input_tokens=5, output_tokens=5)
    body = ollama_server.bodies[-1]
    assert ollama_server.paths[-1] == "/api/chat"
    assert body["messages"] == [m.to_dict() for m in ASK]
    assert body["options"] == {"temperature": 0.2, "num_predict": 50, "stop": ["\n\n"], "seed": 7, "num_ctx": 2048}
    assert body["stream"] is False


def test_ollama_stream_yields_ndjson_chunks_and_usage(ollama_server):
    b = OllamaBackend("llama3.2:3b")
    stream = b.stream(ASK)
    chunks = list(stream)
    assert len(chunks) > 3 and "".join(chunks) == "ollama heard: What is Python?"
    assert stream.usage == Usage(5, 5)
    assert ollama_server.bodies[-1]["stream"] is True


async def test_ollama_async_chat_and_stream(ollama_server):
    b = OllamaBackend("llama3.2:3b")
    assert (await b.achat(ASK)).text == "ollama heard: What is Python?"
    stream = b.astream(ASK)
    chunks = [c async for c in stream]
    assert "".join(chunks) == "ollama heard: What is Python?" and stream.usage.total_tokens == 10


def test_ollama_lists_models(ollama_server):
    assert OllamaBackend("x").list_models() == ["llama3.2:3b"]


def test_ollama_missing_model_says_pull(ollama_server):
    with pytest.raises(BackendError, match=r"no model 'mistral'.*ollama pull mistral"):
        OllamaBackend("mistral").chat(ASK)
    with pytest.raises(BackendError, match="ollama pull"):
        list(OllamaBackend("mistral").stream(ASK))


def test_ollama_server_error_is_a_backend_error(ollama_server):
    ollama_server.fail_with = (500, "out of memory")
    with pytest.raises(BackendError, match="500: out of memory"):
        OllamaBackend("llama3.2:3b").chat(ASK)


def test_ollama_down_is_a_clear_error(dead_url, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", dead_url)
    with pytest.raises(BackendError, match=f"cannot reach Ollama at {dead_url}"):
        OllamaBackend("llama3.2:3b").chat(ASK)


async def test_ollama_down_async(dead_url):
    with pytest.raises(BackendError, match="cannot reach Ollama"):
        [c async for c in OllamaBackend("llama3.2:3b", host=dead_url).astream(ASK)]


# -- Groq ---------------------------------------------------------------------------------
def test_groq_chat_sends_bearer_key_and_options(groq_server):
    b = GroqBackend("llama-3.3-70b-versatile")
    r = b.chat(ASK, temperature=0, max_tokens=64, stop="END", seed=3)
    assert r.text == "groq heard: What is Python?" and r.usage == Usage(5, 5)
    assert groq_server.paths[-1] == "/openai/v1/chat/completions"
    assert groq_server.headers[-1]["Authorization"] == f"Bearer {groq_server.api_key}"
    body = groq_server.bodies[-1]
    assert body["messages"] == [m.to_dict() for m in ASK]
    assert (body["temperature"], body["max_tokens"], body["stop"], body["seed"]) == (0, 64, ["END"], 3)


def test_groq_stream_reads_sse_and_x_groq_usage(groq_server):
    b = GroqBackend("llama-3.3-70b-versatile")
    stream = b.stream(ASK)
    chunks = list(stream)
    assert len(chunks) > 3 and "".join(chunks) == "groq heard: What is Python?"
    assert stream.usage == Usage(5, 5)
    assert groq_server.bodies[-1]["stream"] is True


async def test_groq_async_chat_and_stream(groq_server):
    b = GroqBackend("m")
    assert (await b.achat(ASK)).text == "groq heard: What is Python?"
    stream = b.astream(ASK)
    assert "".join([c async for c in stream]) == "groq heard: What is Python?"
    assert stream.usage == Usage(5, 5)


def test_groq_retries_429_and_5xx_honouring_retry_after(groq_server):
    groq_server.failures = [(429, "0.3"), (503, "0.2"), (429, "0.3")]
    r = GroqBackend("m", max_retries=3).chat(ASK)
    assert r.text == "groq heard: What is Python?"
    t = groq_server.times
    assert len(t) == 4
    gaps = [b - a for a, b in zip(t, t[1:])]
    assert gaps[0] >= 0.29 and gaps[1] >= 0.19 and gaps[2] >= 0.29, gaps


def test_groq_stream_is_retried_too(groq_server):
    groq_server.failures = [(429, "0.1")]
    assert "".join(GroqBackend("m", max_retries=1).stream(ASK)) == "groq heard: What is Python?"
    assert len(groq_server.bodies) == 2


def test_groq_gives_up_after_max_retries(groq_server):
    groq_server.failures = [(429, "0.05")] * 5
    with pytest.raises(BackendError, match="429 .*rate limited"):
        GroqBackend("m", max_retries=2).chat(ASK)
    assert len(groq_server.bodies) == 3


def test_groq_bad_key_never_shows_the_key(groq_server, caplog):
    secret = "gsk_SECRET_should_never_be_logged_123"
    b = resolve_backend("groq:m", Settings(groq_api_key=secret))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(BackendError, match="401 \\(check GROQ_API_KEY\\)") as info:
        b.chat(ASK)
    assert groq_server.headers[-1]["Authorization"] == f"Bearer {secret}"
    assert secret not in str(info.value) and secret not in repr(b) and secret not in caplog.text
    assert secret not in repr(Settings(groq_api_key=secret))


def test_groq_without_key_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("GROQ_API_KEY", raising=False)
    with pytest.raises(BackendError, match="no Groq API key"):
        GroqBackend("m").chat(ASK)


def test_groq_unreachable(dead_url):
    with pytest.raises(BackendError, match="cannot reach Groq"):
        GroqBackend("m", api_key="k", base_url=dead_url, max_retries=0).chat(ASK)


# -- usage is per call --------------------------------------------------------------------
def _ask(words: int) -> list[Message]:
    return [Message("user", " ".join(["word"] * words))]


@pytest.mark.parametrize("kind", ["ollama", "groq"])
def test_interleaved_streams_on_one_backend_each_report_their_own_usage(ollama_server, groq_server, kind):
    """Two streams of one backend object, the first finishing before the second: each
    stream's usage is its own call's (a backend-wide "last usage" would give the first
    stream's reader the second call's counts, or none)."""
    b = OllamaBackend("llama3.2:3b") if kind == "ollama" else GroqBackend("m")
    short, long = b.stream(_ask(2)), b.stream(_ask(9))
    first_short, first_long = next(short), next(long)
    assert first_short and first_long
    list(short)
    list(long)
    assert (short.usage.input_tokens, long.usage.input_tokens) == (2, 9)


@pytest.mark.parametrize("kind", ["ollama", "groq"])
async def test_concurrent_async_streams_on_one_backend_each_report_their_own_usage(ollama_server, groq_server,
                                                                                    kind):
    import asyncio

    b = OllamaBackend("llama3.2:3b") if kind == "ollama" else GroqBackend("m")

    async def one(words: int) -> int:
        stream = b.astream(_ask(words))
        async for _ in stream:
            await asyncio.sleep(0)
        return stream.usage.input_tokens

    assert await asyncio.gather(*(one(n) for n in range(1, 9))) == list(range(1, 9))


async def test_router_replies_carry_their_own_usage_under_concurrency(ollama_server, groq_server):
    """Concurrent requests through one router (one backend object per side): every
    reply's usage is its own call's."""
    import asyncio

    from ptmo_middleware.router import PrivacyRouter

    groq_server.delay = 0.002  # interleave the streams
    r = PrivacyRouter(classifiers=["rules"], local="ollama:llama3.2:3b", cloud="groq:m")

    async def one(words: int, stream: bool) -> int:
        prompt = " ".join(["word"] * words)
        if stream:
            chunks = [c async for c in r.astream(prompt, conversation_id=f"c{words}")]
            return chunks[-1].reply.usage.input_tokens
        return (await r.ainvoke(prompt, conversation_id=f"c{words}")).usage.input_tokens

    got = await asyncio.gather(*(one(n, n % 2 == 0) for n in range(1, 13)))
    assert got == list(range(1, 13))


# -- stop strings split across chunks -----------------------------------------------------
def test_stop_cutter_equals_cutting_the_whole_text_at_every_split():
    from ptmo_middleware.backends import StopCutter, cut_at_stop

    text = "Paris is the capital.\nQuestion: and Rome?"
    for stop in (["\nQuestion:"], ["capital", "\nQ"], ["never"], []):
        whole, _ = cut_at_stop(text, stop)
        for a in range(len(text) + 1):
            for b in range(a, len(text) + 1):
                cutter = StopCutter(stop)
                out = [cutter.feed(p) for p in (text[:a], text[a:b], text[b:])] + [cutter.flush()]
                assert "".join(out) == whole, (stop, a, b)


def test_stop_cutter_holds_back_only_what_could_become_a_stop():
    from ptmo_middleware.backends import StopCutter

    cutter = StopCutter(["\nQuestion:"])
    assert cutter.feed("Paris.") == "Paris."  # nothing here starts a stop string
    assert cutter.feed("\nQue") == ""  # could still be "\nQuestion:"
    assert cutter.feed("ue") == "\nQueue"  # it was not
    assert cutter.feed(" then\nQuestion: x") == " then" and cutter.stopped
    assert cutter.feed("more") == "" and cutter.flush() == ""


def test_stop_cutter_strip_drops_the_answers_outer_whitespace():
    from ptmo_middleware.backends import StopCutter

    cutter = StopCutter(["\nQuestion:"], strip=True)
    out = [cutter.feed(p) for p in ("  ", " Paris ", " is.  ", "\nQuest", "ion: next")] + [cutter.flush()]
    assert "".join(out) == "Paris  is."
    cutter = StopCutter(["\nQuestion:"], strip=True)
    assert "".join([cutter.feed(" Paris.  "), cutter.flush()]) == "Paris."


# -- specs and options --------------------------------------------------------------------
def test_resolve_backend_specs(monkeypatch):
    s = Settings()
    assert resolve_backend("ollama:llama3.2:3b", s).name == "ollama:llama3.2:3b"
    assert resolve_backend("groq:llama-3.3-70b-versatile", s).provider == "groq"
    embedded = resolve_backend("embedded", s)
    assert (embedded.name, embedded.provider) == ("embedded", "embedded")
    assert resolve_backend("embedded:/tmp/adapter", s).adapter == "/tmp/adapter"
    obj = OllamaBackend("x")
    assert resolve_backend(obj, s) is obj
    for bad in ("openai:gpt", "ollama:", "groq", 42):
        with pytest.raises(ConfigError):
            resolve_backend(bad, s)


def test_unknown_option_is_a_type_error():
    assert check_options({"stop": "x", "seed": None}) == {"stop": ["x"]}
    with pytest.raises(TypeError, match="top_k"):
        check_options({"top_k": 3})


def test_loopback_ollama_speaks_generate_too(ollama_server):
    import ollama

    r = ollama.Client().generate(model="llama3.2:3b", prompt="Why is the sky blue?")
    assert r.response == "ollama heard: Why is the sky blue?" and r.done
    assert ollama_server.paths[-1] == "/api/generate"
