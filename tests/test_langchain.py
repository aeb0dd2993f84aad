"""PrivacyRouterChatModel in LangChain: LCEL chains, streaming restore, multi-turn
masking, metadata, and what reached the cloud."""
from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import ParrotFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from ptmo_middleware.types import Message
from ptmo_middleware.integrations.langchain import LangChainBackend, PrivacyRouterChatModel
from recording_backend import RecordingBackend
from servers import GroqServer, OllamaServer, groq_server, ollama_server  # noqa: F401  (fixtures)

SECRET = "hunter2xyz"
QUESTION = f"My password is {SECRET}. What is Python?"


def make_model(chunk_chars: int = 3, **kwargs: Any) -> tuple[PrivacyRouterChatModel, RecordingBackend, RecordingBackend]:
    local = RecordingBackend("local-echo", chunk_chars=chunk_chars)
    cloud = RecordingBackend("cloud-echo", chunk_chars=chunk_chars)
    model = PrivacyRouterChatModel(local=local, cloud=cloud, router_settings={"classifiers": ["rules"]}, **kwargs)
    return model, local, cloud


def assert_cloud_clean(cloud: RecordingBackend) -> None:
    assert cloud.received, "the cloud was never called: the test proves nothing"
    assert not any(SECRET in text for text in cloud.texts)


def chain_of(model: PrivacyRouterChatModel) -> Any:
    prompt = ChatPromptTemplate.from_messages([("system", "You answer briefly."), ("human", "{question}")])
    return prompt | model | StrOutputParser()


def test_lcel_chain_masks_for_the_cloud_and_restores_the_answer() -> None:
    model, _, cloud = make_model()
    answer = chain_of(model).invoke({"question": QUESTION})
    assert_cloud_clean(cloud)
    assert any("[PASSWORD_1]" in text for text in cloud.texts)
    # The cloud echoed the placeholder; the user sees the original value again.
    assert "cloud-echo heard" in answer and SECRET in answer and "[PASSWORD" not in answer


def test_chain_over_the_wire_never_sends_the_secret_to_groq(ollama_server: OllamaServer,
                                                           groq_server: GroqServer) -> None:
    """Config strings, the real ollama and groq clients, loopback servers: the Groq server
    streams 3-character SSE chunks, so the placeholder arrives split."""
    model = PrivacyRouterChatModel(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile",
                                   router_settings={"classifiers": ["rules"]})
    chain = chain_of(model)
    answer = chain.invoke({"question": QUESTION})
    streamed = "".join(chain.stream({"question": QUESTION}))
    history = [HumanMessage(f"Remember: my password is {SECRET}."), AIMessage("Noted."),
               HumanMessage("What is Python?")]
    model.invoke(history)
    assert len(groq_server.bodies) == 3
    assert SECRET not in groq_server.received_text and "[PASSWORD_1]" in groq_server.received_text
    assert answer == streamed and answer.startswith("groq heard:") and SECRET in answer


@pytest.mark.parametrize("chunk_chars", [1, 2, 3, 5, 8])
def test_stream_restores_placeholders_split_across_chunks(chunk_chars: int) -> None:
    model, _, cloud = make_model(chunk_chars=chunk_chars)
    chain = chain_of(model)
    pieces = list(chain.stream({"question": QUESTION}))
    assert len(pieces) > 2
    streamed = "".join(pieces)
    assert SECRET in streamed
    # Pieces only append, so a fragment of a placeholder shown in any piece would be in
    # the joined text; the question has no bracket of its own.
    assert "[" not in streamed, "a placeholder (or part of one) reached the user"
    assert_cloud_clean(cloud)
    model2, _, _ = make_model(chunk_chars=chunk_chars)
    assert streamed == chain_of(model2).invoke({"question": QUESTION})


async def test_astream_and_ainvoke_restore_and_keep_the_cloud_clean() -> None:
    model, _, cloud = make_model(chunk_chars=2)
    pieces = [chunk.text async for chunk in model.astream(QUESTION)]
    assert SECRET in "".join(pieces)
    reply = await model.ainvoke(QUESTION)
    assert SECRET in reply.text
    assert_cloud_clean(cloud)


def test_multi_turn_history_is_masked_consistently() -> None:
    model, _, cloud = make_model()
    history = [
        SystemMessage("You are a helpful assistant."),
        HumanMessage(f"Remember: my password is {SECRET}."),
        AIMessage(f"Noted, your password is {SECRET}."),
        HumanMessage("Which programming language is named after a comedy group?"),
    ]
    model.invoke(history)
    assert_cloud_clean(cloud)
    sent = cloud.received[-1]
    assert [m.role for m in sent][-1] == "user"
    # The value is masked with the same placeholder in every earlier message.
    masked = [m.content for m in sent if "[PASSWORD" in m.content]
    assert len(masked) == 2 and all("[PASSWORD_1]" in c for c in masked)


def test_conversation_id_from_run_metadata_keeps_one_mask_map() -> None:
    model, _, cloud = make_model()
    router = model.get_router()
    model.invoke(QUESTION, config={"metadata": {"conversation_id": "conv-42"}})
    assert len(router.vaults) == 1 and SECRET in router.vault("conv-42").mapping.values()
    # A later turn names the value without the word "password": only the
    # conversation's mask map knows it, and it is masked all the same.
    model.invoke(f"Is {SECRET} a strong one?", config={"metadata": {"thread_id": "conv-42"}})
    assert cloud.received[-1][-1].content.startswith("Is [PASSWORD_1]")
    model.invoke(f"Is {SECRET} a strong one?", conversation_id="conv-42")
    assert_cloud_clean(cloud)
    assert len(router.vaults) == 1
    # In a chain (or a LangGraph node) the configurable's thread_id names it too.
    chain_of(model).invoke({"question": f"Is {SECRET} a strong one?"}, config={"configurable": {"thread_id": "conv-42"}})
    assert_cloud_clean(cloud)
    assert len(router.vaults) == 1


def test_calls_without_a_conversation_leave_no_mask_map_behind() -> None:
    model, _, _ = make_model()
    router = model.get_router()
    model.invoke(QUESTION)
    list(model.stream(QUESTION))
    model.batch([QUESTION, "What is Rust?"])
    assert len(router.vaults) == 0


def test_response_metadata_summarises_the_plan_without_private_text() -> None:
    model, _, _ = make_model()
    reply = model.invoke(QUESTION)
    meta = reply.response_metadata
    assert meta["model_provider"] == "ptmo" and meta["model_name"]
    summary = meta["ptmo"]
    assert summary["level"] == "PRIVATE"
    assert "PASSWORD" in summary["span_types"]
    assert summary["route"] in ("hybrid", "local")
    assert SECRET not in json.dumps(meta)
    usage = reply.usage_metadata
    assert usage is not None and usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"] > 0


def test_stream_carries_usage_and_metadata_once() -> None:
    model, _, _ = make_model()
    chunks = list(model.stream(QUESTION))
    with_usage = [c for c in chunks if c.usage_metadata]
    assert len(with_usage) == 1 and chunks[-1].chunk_position == "last"
    full = chunks[0]
    for c in chunks[1:]:
        full = full + c
    assert full.response_metadata["ptmo"]["level"] == "PRIVATE"


def test_streamed_tokens_reach_callbacks() -> None:
    tokens: list[str] = []

    class Tokens(BaseCallbackHandler):
        def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
            tokens.append(token)

    model, _, _ = make_model(chunk_chars=2)
    streamed = "".join(c.text for c in model.stream(QUESTION, config={"callbacks": [Tokens()]}))
    assert "".join(tokens) == streamed and SECRET in streamed


def test_options_reach_the_backend() -> None:
    model, _, cloud = make_model(temperature=0.2, max_tokens=50)
    model.invoke("What is Python?", stop=["never"], seed=7)
    options = cloud.options[-1]
    assert options["temperature"] == 0.2 and options["max_tokens"] == 50
    assert options["stop"] == ["never"] and options["seed"] == 7


def test_langchain_chat_models_as_local_and_cloud() -> None:
    seen: list[str] = []

    class Seen(BaseCallbackHandler):
        def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
            seen.extend(m.text for batch in messages for m in batch)

    cloud = ParrotFakeChatModel(callbacks=[Seen()])
    model = PrivacyRouterChatModel(local=ParrotFakeChatModel(), cloud=cloud,
                                   router_settings={"classifiers": ["rules"]})
    answer = model.invoke(QUESTION)
    assert seen and not any(SECRET in s for s in seen)
    assert any("[PASSWORD_1]" in s for s in seen)
    # The parrot repeats the masked question; the user gets the real value back.
    assert SECRET in answer.text
    streamed = "".join(chunk.text for chunk in model.stream(QUESTION))
    assert SECRET in streamed and not any(SECRET in s for s in seen)


@pytest.mark.parametrize("bad", [
    [HumanMessage(content=[{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}])],
    [HumanMessage("look"), AIMessage("ok"),
     ToolMessage(content=[{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}],
                 tool_call_id="1")],
])
def test_unclassifiable_input_is_refused_before_any_backend(bad: list[Any]) -> None:
    model, local, cloud = make_model()
    with pytest.raises(ValueError):
        model.invoke(bad)
    assert not local.received and not cloud.received


def test_unknown_options_and_model_override_are_refused() -> None:
    model, _, cloud = make_model()
    with pytest.raises(TypeError):
        model.invoke("hi", functions=[{"name": "x"}])
    with pytest.raises(ValueError):
        model.invoke("hi", model="other")
    assert not cloud.received


def test_construction_is_cheap_and_lazy() -> None:
    model = PrivacyRouterChatModel(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile")
    assert model.model_name == "ollama:llama3.2:3b+groq:llama-3.3-70b-versatile"
    assert model._lazy._router is None
    params = model._get_ls_params(stop=["x"])
    assert params["ls_provider"] == "ptmo" and params["ls_stop"] == ["x"]


def test_standard_parameters_reach_the_router_settings() -> None:
    model, _, _ = make_model(api_key="gsk-test", max_retries=5, timeout=9.5)
    settings = model.get_router().settings
    assert settings.groq_api_key is not None and settings.groq_api_key.get_secret_value() == "gsk-test"
    assert settings.cloud_max_retries == 5 and settings.backend_timeout_s == 9.5
    assert "gsk-test" not in repr(model)


def test_streaming_flag_makes_invoke_stream_and_keeps_metadata() -> None:
    model, _, cloud = make_model(streaming=True)
    tokens: list[str] = []

    class Tokens(BaseCallbackHandler):
        def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
            tokens.append(token)

    reply = model.invoke(QUESTION, config={"callbacks": [Tokens()]})
    assert len(tokens) > 2 and "".join(tokens) == reply.text and SECRET in reply.text
    assert reply.usage_metadata is not None and reply.response_metadata["ptmo"]["level"] == "PRIVATE"
    assert_cloud_clean(cloud)


@pytest.mark.parametrize("named", [True, False])
async def test_concurrent_conversations_keep_their_masks_apart(named: bool) -> None:
    """Every conversation's password becomes [PASSWORD_1] in its own mask map; each
    answer must get its own value back, never another conversation's."""
    model, _, cloud = make_model(chunk_chars=2)
    secrets = [f"pw{i}q{i * 7}zz" for i in range(12)]
    configs = [{"metadata": {"conversation_id": f"conv-{i}"}} if named else {} for i in range(12)]
    replies = await model.abatch([f"My password is {s}. What is Python?" for s in secrets], config=configs)
    for secret, reply in zip(secrets, replies):
        assert secret in reply.text
        assert not any(other in reply.text for other in secrets if other != secret)
    assert len(cloud.received) == 12
    assert not any(s in text for s in secrets for text in cloud.texts)
    assert len(model.get_router().vaults) == (12 if named else 0)


class WordCountChat(BaseChatModel):
    """A LangChain chat model that echoes the last message slowly and reports, as usage,
    the words it read and wrote (so every call's usage is distinct)."""

    @property
    def _llm_type(self) -> str:
        return "word-count"

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: Any = None, **kwargs: Any) -> ChatResult:
        time.sleep(0.05)
        text = messages[-1].text
        n = len(text.split())
        message = AIMessage(text, usage_metadata={"input_tokens": n, "output_tokens": n, "total_tokens": 2 * n})
        return ChatResult(generations=[ChatGeneration(message=message)])


@pytest.mark.parametrize("streaming", [False, True])
def test_batched_calls_on_one_wrapped_model_report_their_own_usage(streaming: bool) -> None:
    model = PrivacyRouterChatModel(local=WordCountChat(), cloud=WordCountChat(), streaming=streaming,
                                   router_settings={"classifiers": ["rules"]})
    prompts = [" ".join(["word"] * n) for n in range(1, 11)]
    replies = model.batch(prompts, config={"max_concurrency": 10})
    assert [r.usage_metadata["input_tokens"] for r in replies] == list(range(1, 11))


def test_interleaved_streams_of_one_wrapped_model_keep_their_own_usage() -> None:
    """Streams of one adapter, interleaved in one thread and in one event loop: each
    stream's usage is its own call's."""
    backend = LangChainBackend(WordCountChat())
    ask = [Message("user", "a b")], [Message("user", "a b c d e")]
    first, second = backend.stream(ask[0]), backend.stream(ask[1])
    assert next(first) and next(second)
    list(second)
    list(first)
    assert (first.usage.input_tokens, second.usage.input_tokens) == (2, 5)

    async def both() -> tuple[int, int]:
        a, b = backend.astream(ask[0]), backend.astream(ask[1])
        await a.__anext__()
        await b.__anext__()
        [_ async for _ in b]
        [_ async for _ in a]
        return a.usage.input_tokens, b.usage.input_tokens

    assert asyncio.run(both()) == (2, 5)


def test_wrapped_model_streams_are_cut_at_a_stop_split_across_chunks() -> None:
    """A LangChain model that ignores ``stop`` (the parrot) is cut by the adapter, also
    when the stop string arrives split over chunks."""
    backend = LangChainBackend(ParrotFakeChatModel())
    text = "".join(backend.stream([Message("user", "alpha beta STOP gamma")], stop=["STOP"]))
    assert text == "alpha beta "
    assert backend.chat([Message("user", "alpha STOP gamma")], stop=["STOP"]).text == "alpha "


def test_a_configured_chat_ollama_as_the_local_side(ollama_server: OllamaServer, groq_server: GroqServer) -> None:
    """The user's own ChatOllama (partner package, real client, loopback server) as
    the local model; Groq as the cloud."""
    from langchain_ollama import ChatOllama

    local = ChatOllama(model="llama3.2:3b", base_url=ollama_server.url, num_predict=64)
    model = PrivacyRouterChatModel(local=local, cloud="groq:llama-3.3-70b-versatile",
                                   router_settings={"classifiers": ["rules"]})
    on_device = model.invoke(QUESTION, policy="local-only")
    streamed = "".join(c.text for c in model.stream(QUESTION, policy="local-only"))
    assert on_device.text.startswith("ollama heard:") and SECRET in on_device.text and streamed == on_device.text
    assert on_device.usage_metadata is not None and on_device.usage_metadata["input_tokens"] > 0
    assert on_device.response_metadata["model_name"] == "llama3.2:3b"
    assert [b["options"].get("num_predict") for b in ollama_server.bodies] == [64, 64]
    assert not groq_server.bodies
    model.invoke("What is Python?", policy="local-only", max_tokens=5, temperature=0.3)
    assert ollama_server.bodies[-1]["options"]["num_predict"] == 5
    assert ollama_server.bodies[-1]["options"]["temperature"] == 0.3
    model.invoke(QUESTION)  # the threshold policy: masked, to the cloud
    assert len(groq_server.bodies) == 1 and SECRET not in groq_server.received_text


def test_metadata_names_the_models_that_answered() -> None:
    """``reply.backends`` maps side -> model name: the summary keeps that mapping and
    ``model_name`` joins the names (never the side keys "local"/"cloud")."""
    model = PrivacyRouterChatModel(local=RecordingBackend("local-echo"), cloud=RecordingBackend("cloud-echo"),
                                   router_settings={"classifiers": ["rules"], "thresholds": {"private": "local"},
                                                    "decomposer": "sentence"})
    both = model.invoke(QUESTION).response_metadata
    assert both["ptmo"]["backends"] == {"local": "local-echo", "cloud": "cloud-echo"}
    assert both["model_name"] == "local-echo+cloud-echo"
    on_device = model.invoke(QUESTION, policy="local-only").response_metadata
    assert on_device["ptmo"]["backends"] == {"local": "local-echo"} and on_device["model_name"] == "local-echo"
    chunks = list(model.stream(QUESTION))
    assert chunks[-1].response_metadata["ptmo"]["backends"] == {"local": "local-echo", "cloud": "cloud-echo"}
    assert chunks[-1].response_metadata["model_name"] == "local-echo+cloud-echo"
