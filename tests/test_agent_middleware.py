"""PrivacyMiddleware in LangChain 1.x agents, on the wire: ``create_agent`` with a
``ChatOpenAI`` pointed at the loopback Groq server (OpenAI's wire protocol), two tools
that read and write personal data, and a ``ChatOllama`` on the loopback Ollama server
as the local model. Every body the cloud received is grepped for every private value;
what each tool received is checked for the real ones."""
from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, ToolMessage
from langchain_ollama import ChatOllama
from langchain_openai import ChatOpenAI
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from ptmo_middleware.errors import LocalBackendUnavailable, ToolsUnsupported
from ptmo_middleware.integrations.langchain_agent import PrivacyMiddleware
from servers import GroqServer, OllamaServer, groq_server, ollama_server  # noqa: F401  (fixtures)
from tool_support import DIRECTORY_EMAIL, EMAIL, PASSWORD, PHONE, PRIVATE, REQUEST, SETTINGS, Toolbox

class LookupThenSend(AgentMiddleware):
    """Steers the scripted server: force lookup_contact, then send_text, then answer."""

    @staticmethod
    def _steered(request: ModelRequest) -> ModelRequest:
        done = sum(isinstance(m, ToolMessage) for m in request.messages)
        return request.override(tool_choice=["lookup_contact", "send_text", None][min(done, 2)])

    def wrap_model_call(self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]) -> ModelResponse:
        return handler(self._steered(request))

    async def awrap_model_call(self, request: ModelRequest,
                               handler: Callable[[ModelRequest], Awaitable[ModelResponse]]) -> ModelResponse:
        return await handler(self._steered(request))


def cloud_model(server: GroqServer) -> ChatOpenAI:
    return ChatOpenAI(model="llama-3.3-70b-versatile", base_url=f"{server.url}/openai/v1",
                      api_key=server.api_key, max_retries=0)


def local_model(server: OllamaServer) -> ChatOllama:
    return ChatOllama(model="llama3.2:3b", base_url=server.url)


def assert_nothing_private_left(server: GroqServer) -> None:
    assert server.bodies, "the cloud was never called: the test proves nothing"
    leaked = [value for value in PRIVATE if value in server.received_text]
    assert not leaked, f"raw private values reached the cloud: {leaked}"


def make_agent(groq: GroqServer, ollama: OllamaServer | None, box: Toolbox, *extra: AgentMiddleware,
               **kwargs: Any) -> tuple[Any, PrivacyMiddleware]:
    kwargs.setdefault("settings", dict(SETTINGS))
    privacy = PrivacyMiddleware(local=local_model(ollama) if ollama is not None else None, **kwargs)
    agent = create_agent(cloud_model(groq), box.as_list(), middleware=[privacy, *extra],
                         system_prompt="You are a helpful assistant.", checkpointer=InMemorySaver())
    return agent, privacy


def run(agent: Any, text: str, thread: str, mode: str) -> dict[str, Any]:
    state = {"messages": [{"role": "user", "content": text}]}
    config = {"configurable": {"thread_id": thread}}
    return agent.invoke(state, config) if mode == "sync" else asyncio.run(agent.ainvoke(state, config))


# -- a multi-step agent run, on the wire ---------------------------------------------
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_agent_run_sends_no_private_value_and_tools_get_the_real_ones(
        mode: str, groq_server: GroqServer, ollama_server: OllamaServer) -> None:
    """lookup_contact, then send_text with what the lookup found (the server echoes the
    last tool result into the arguments), then the final answer: three cloud turns."""
    box = Toolbox()
    agent, privacy = make_agent(groq_server, ollama_server, box, LookupThenSend())
    messages = run(agent, REQUEST, f"agent-{mode}", mode)["messages"]
    assert len(groq_server.bodies) == 3 and not ollama_server.bodies
    assert_nothing_private_left(groq_server)
    # The cloud saw placeholders: in the user text, the tool calls it made and the tool results.
    sent = groq_server.received_text
    assert "[EMAIL_ADDRESS_1]" in sent and "[PASSWORD_1]" in sent and "[PHONE_NUMBER_1]" in sent
    third = groq_server.bodies[2]["messages"]
    assert [m["role"] for m in third] == ["system", "user", "assistant", "tool", "assistant", "tool"]
    assert "[EMAIL_ADDRESS_1]" in third[2]["tool_calls"][0]["function"]["arguments"]
    assert "[PHONE_NUMBER_1]" in third[3]["content"] and "[PHONE_NUMBER_1]" in third[5]["content"]
    # Every tool got the real values.
    (name1, args1), (name2, args2) = box.received
    assert name1 == "lookup_contact" and EMAIL in args1["query"] and PASSWORD in args1["query"]
    assert name2 == "send_text" and PHONE in args2["recipient"] and DIRECTORY_EMAIL in args2["body"]
    assert "[" not in str(args1) + str(args2)
    # The agent's state holds the restored messages; the last answer echoes send_text's result.
    calls = [c for m in messages if isinstance(m, AIMessage) for c in m.tool_calls]
    assert EMAIL in calls[0]["args"]["query"] and PHONE in calls[1]["args"]["recipient"]
    final = messages[-1]
    assert isinstance(final, AIMessage) and not final.tool_calls
    assert PHONE in final.text and "[" not in final.text
    ptmo = final.response_metadata["ptmo"]
    assert ptmo["answered_by"] == "cloud" and ptmo["left_device"] and ptmo["level"] == "PRIVATE"
    assert EMAIL not in str(ptmo) and "PHONE_NUMBER" in ptmo["span_types"]
    # One mask map for the thread.
    vault = privacy.get_router().vault(f"thread-agent-{mode}")
    assert {EMAIL, PASSWORD, PHONE, DIRECTORY_EMAIL} <= set(vault.mapping.values())


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_streamed_messages_show_the_real_values(mode: str, groq_server: GroqServer,
                                                ollama_server: OllamaServer) -> None:
    """``stream_mode="messages"``: what the user sees of the cloud's answers is restored
    as it streams (the server sends 3-character chunks, so placeholders arrive split),
    tool calls included; the cloud got placeholders only."""
    agent, _ = make_agent(groq_server, ollama_server, Toolbox(), LookupThenSend())
    state = {"messages": [{"role": "user", "content": REQUEST}]}
    config = {"configurable": {"thread_id": f"stream-{mode}"}}

    async def collect() -> list[Any]:
        return [message async for message, _ in agent.astream(state, config, stream_mode="messages")]

    streamed = ([message for message, _ in agent.stream(state, config, stream_mode="messages")]
                if mode == "sync" else asyncio.run(collect()))
    assert len(groq_server.bodies) == 3
    assert_nothing_private_left(groq_server)
    assert "[PHONE_NUMBER_1]" in groq_server.received_text
    chunks = [m for m in streamed if isinstance(m, AIMessageChunk)]
    text = "".join(c.text for c in chunks)
    calls = json.dumps([c.tool_call_chunks for c in chunks], ensure_ascii=False)
    assert PHONE in text and EMAIL in calls and PHONE in calls
    assert not re.search(r"\[[A-Z_]+_\d+\]", text + calls), "a placeholder was streamed to the user"


def test_each_thread_keeps_its_own_placeholders(groq_server: GroqServer, ollama_server: OllamaServer) -> None:
    box = Toolbox()
    agent, privacy = make_agent(groq_server, ollama_server, box, LookupThenSend())
    run(agent, REQUEST, "alice", "sync")
    run(agent, f"And what is the email of {EMAIL}?", "alice", "sync")
    run(agent, "Text +1 212 555 0199 please.", "bob", "sync")
    assert_nothing_private_left(groq_server)
    router = privacy.get_router()
    alice, bob = router.vault("thread-alice").mapping, router.vault("thread-bob").mapping
    assert EMAIL in alice.values() and EMAIL not in bob.values()
    # The second turn on alice's thread reuses the first turn's placeholder for her email.
    turn2 = groq_server.bodies[3]["messages"]
    assert "[EMAIL_ADDRESS_1]" in turn2[-1]["content"]
    assert "+1 212 555 0199" not in groq_server.received_text


def test_private_request_goes_to_the_local_model_with_the_tools(groq_server: GroqServer,
                                                                ollama_server: OllamaServer) -> None:
    box = Toolbox()
    agent, _ = make_agent(groq_server, ollama_server, box, policy="local-only")
    messages = run(agent, REQUEST, "local", "async")["messages"]
    assert not groq_server.bodies and ollama_server.bodies
    assert ollama_server.bodies[0]["tools"], "the local model did not get the tools"
    (name, args), = box.received
    assert name == "lookup_contact" and EMAIL in args["query"]
    assert messages[-1].response_metadata["ptmo"]["answered_by"] == "local"


def test_a_spent_privacy_budget_sends_the_agent_to_the_local_model(groq_server: GroqServer,
                                                                   ollama_server: OllamaServer) -> None:
    box = Toolbox()
    agent, _ = make_agent(groq_server, ollama_server, box, settings={
        **SETTINGS, "budget": {"enabled": True, "store": "memory", "epsilon": 1e-6, "window": "none"}})
    messages = run(agent, REQUEST, "budget", "sync")["messages"]
    assert not groq_server.bodies and ollama_server.bodies
    assert messages[-1].response_metadata["ptmo"]["answered_by"] == "local"


def test_without_a_local_model_a_private_request_fails_closed(groq_server: GroqServer) -> None:
    agent, _ = make_agent(groq_server, None, Toolbox(), policy="local-only")
    with pytest.raises(LocalBackendUnavailable, match="Nothing was sent to the cloud"):
        run(agent, REQUEST, "no-local", "sync")
    assert not groq_server.bodies


def test_a_local_model_without_tools_fails_closed(groq_server: GroqServer) -> None:
    privacy = PrivacyMiddleware(local=GenericFakeChatModel(messages=iter([AIMessage("hi")])),
                                settings=dict(SETTINGS), policy="local-only")
    agent = create_agent(cloud_model(groq_server), Toolbox().as_list(), middleware=[privacy])
    with pytest.raises(ToolsUnsupported, match="cannot take the agent's tools"):
        agent.invoke({"messages": [{"role": "user", "content": REQUEST}]})
    assert not groq_server.bodies


class Contact(BaseModel):
    """A contact card."""

    name: str
    email: str


def test_structured_response_is_restored(groq_server: GroqServer) -> None:
    privacy = PrivacyMiddleware(settings=dict(SETTINGS))
    agent = create_agent(cloud_model(groq_server), [], response_format=Contact, middleware=[privacy])
    out = agent.invoke({"messages": [{"role": "user", "content": f"Make a contact card for {EMAIL}."}]})
    assert_nothing_private_left(groq_server)
    card = out["structured_response"]
    assert isinstance(card, Contact) and EMAIL in card.email and "[" not in card.email
    assert len(privacy.get_router().vaults) == 0, "a call without a thread left its mask map behind"
