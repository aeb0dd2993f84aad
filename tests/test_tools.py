"""Tool calling and structured output through the router, on the wire: the real ``groq``
and ``ollama`` clients against loopback servers that answer with tool calls and JSON
(tests/servers.py). What the cloud received is grepped for every private value; what
each tool received is checked for the real ones."""
from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from pydantic import BaseModel
from typing_extensions import TypedDict

from ptmo_middleware.errors import ToolsUnsupported
from ptmo_middleware.integrations.langchain import PrivacyRouterChatModel
from ptmo_middleware.router import PrivacyRouter
from ptmo_middleware.tools import json_escape
from ptmo_middleware.types import Message, ToolCall
from ptmo_middleware.vault import MaskVault
from recording_backend import RecordingBackend
from servers import GroqServer, OllamaServer, groq_server, ollama_server  # noqa: F401  (fixtures)
from tool_support import DIRECTORY_EMAIL, EMAIL, PASSWORD, PHONE, PRIVATE, REQUEST, SETTINGS, Toolbox

def make_model(**kwargs: Any) -> PrivacyRouterChatModel:
    return PrivacyRouterChatModel(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile",
                                  router_settings=dict(SETTINGS), **kwargs)


def assert_nothing_private_left(server: GroqServer) -> None:
    assert server.bodies, "the cloud was never called: the test proves nothing"
    sent = server.received_text
    leaked = [value for value in PRIVATE if value in sent]
    assert not leaked, f"raw private values reached the cloud: {leaked}"


async def call(model: Any, messages: list[BaseMessage], mode: str, config: dict[str, Any]) -> AIMessage:
    """One model turn, the way ``mode`` says: invoke, ainvoke or stream (chunks added up)."""
    if mode == "invoke":
        return model.invoke(messages, config=config)
    if mode == "ainvoke":
        return await model.ainvoke(messages, config=config)
    full = None
    for chunk in model.stream(messages, config=config):
        full = chunk if full is None else full + chunk
    assert full is not None
    return AIMessage(content=full.content, tool_calls=full.tool_calls)


# -- a multi-step agent run, on the wire ---------------------------------------------
@pytest.mark.parametrize("mode", ["invoke", "ainvoke", "stream"])
def test_agent_run_sends_no_private_value_and_tools_get_the_real_ones(
        mode: str, groq_server: GroqServer, ollama_server: OllamaServer) -> None:
    """lookup_contact (forced), then send_text (forced) with what the lookup found (the
    server echoes the last tool result into the arguments), then the final answer: three
    cloud turns; the tools read and write personal data."""
    box = Toolbox()
    model = make_model()
    config = {"configurable": {"thread_id": f"agent-{mode}"}}
    messages: list[BaseMessage] = [HumanMessage(REQUEST)]
    for choice in ("lookup_contact", "send_text", None):
        bound = model.bind_tools(list(box.tools.values()), tool_choice=choice)
        ai = asyncio.run(call(bound, messages, mode, config))
        messages.append(ai)
        for tc in ai.tool_calls:
            messages.append(box.tools[tc["name"]].invoke(tc))
    assert len(groq_server.bodies) == 3 and not ollama_server.bodies
    assert_nothing_private_left(groq_server)
    # The cloud saw placeholders, in the texts and in the tool calls it got back.
    assert "[EMAIL_ADDRESS_1]" in groq_server.received_text and "[PASSWORD_1]" in groq_server.received_text
    second = groq_server.bodies[1]["messages"]
    assert [m["role"] for m in second] == ["user", "assistant", "tool"]
    assert "[EMAIL_ADDRESS_1]" in second[1]["tool_calls"][0]["function"]["arguments"]
    assert second[2]["tool_call_id"] == second[1]["tool_calls"][0]["id"]
    # Every tool got the real values.
    (name1, args1), (name2, args2) = box.received
    assert name1 == "lookup_contact" and EMAIL in args1["query"] and PASSWORD in args1["query"]
    assert name2 == "send_text" and PHONE in args2["recipient"] and DIRECTORY_EMAIL in args2["body"]
    assert "[" not in json.dumps(args2)
    # The last answer echoes the send_text result, restored.
    final = messages[-1]
    assert final.tool_calls == [] and PHONE in final.text and DIRECTORY_EMAIL in final.text and "[" not in final.text


def test_streamed_tool_call_split_placeholders_are_restored(groq_server: GroqServer) -> None:
    """The server streams the arguments' JSON in 3-character pieces, so every placeholder
    arrives split; the call is restored on the assembled arguments."""
    box = Toolbox()
    bound = make_model().bind_tools([box.tools["send_text"]], tool_choice="any")
    chunks = list(bound.stream(REQUEST))
    assert all(not c.tool_call_chunks for c in chunks[:-1])  # arguments only whole, at the end
    full = sum(chunks[1:], chunks[0])
    assert full.tool_calls[0]["args"] == {"recipient": REQUEST, "body": REQUEST}
    assert full.tool_calls[0]["args"] == bound.invoke(REQUEST).tool_calls[0]["args"]
    assert_nothing_private_left(groq_server)


def test_tool_results_and_past_tool_calls_are_masked_with_the_conversation_placeholders(
        groq_server: GroqServer) -> None:
    history = [HumanMessage(f"Who is {EMAIL}?"),
               AIMessage("", tool_calls=[{"name": "lookup_contact", "args": {"query": EMAIL}, "id": "c1"}]),
               ToolMessage(f"phone {PHONE}, email {EMAIL}", tool_call_id="c1")]
    make_model().bind_tools(list(Toolbox().tools.values())).invoke(history)
    sent = groq_server.bodies[0]["messages"]
    assert_nothing_private_left(groq_server)
    ph = "[EMAIL_ADDRESS_1]"
    assert ph in sent[0]["content"] and json.loads(sent[1]["tool_calls"][0]["function"]["arguments"]) == {"query": ph}
    assert ph in sent[2]["content"] and PHONE not in sent[2]["content"]


def test_an_empty_tool_result_goes_to_the_cloud(groq_server: GroqServer) -> None:
    history = [HumanMessage(f"Text {EMAIL}"),
               AIMessage("", tool_calls=[{"name": "send_text", "args": {"recipient": EMAIL, "body": "hi"},
                                          "id": "c1"}]),
               ToolMessage("", tool_call_id="c1")]
    ai = make_model().bind_tools(list(Toolbox().tools.values())).invoke(history)
    assert ai.text == "tool said: " and groq_server.bodies[0]["messages"][2] == {
        "role": "tool", "content": "", "tool_call_id": "c1"}
    assert_nothing_private_left(groq_server)


# -- what must stay local ------------------------------------------------------------
def test_local_route_gives_the_tools_to_ollama_and_nothing_to_the_cloud(
        groq_server: GroqServer, ollama_server: OllamaServer) -> None:
    box = Toolbox()
    bound = make_model(policy="local-only").bind_tools(list(box.tools.values()))
    ai = bound.invoke(REQUEST)
    chunks = list(bound.stream(REQUEST))
    streamed = sum(chunks[1:], chunks[0])
    assert not groq_server.bodies
    assert len(ollama_server.bodies) == 2
    assert ollama_server.bodies[0]["tools"][0]["function"]["name"] == "lookup_contact"
    assert ai.tool_calls[0]["name"] == "lookup_contact" and ai.tool_calls[0]["args"] == {"query": REQUEST}
    assert ai.tool_calls[0]["id"] and streamed.tool_calls[0]["args"] == {"query": REQUEST}
    assert ai.response_metadata["ptmo"]["route"] == "local"


def test_local_structured_output_uses_ollama_format(groq_server: GroqServer, ollama_server: OllamaServer) -> None:
    structured = make_model(policy="local-only").with_structured_output(Contact, method="json_schema")
    prompt = f"Make a contact for {EMAIL}."
    assert structured.invoke(prompt) == Contact(email=prompt, note=prompt)
    assert ollama_server.bodies[0]["format"]["properties"].keys() == {"email", "note"} and not groq_server.bodies


def test_a_request_with_tools_is_never_split(groq_server: GroqServer, ollama_server: OllamaServer) -> None:
    """PRIVATE sentences kept local by the thresholds: without tools the public sentence
    goes to the cloud; with tools the whole request is answered by the local model."""
    settings = {**SETTINGS, "decomposer": "sentence", "thresholds": {"private": "local"}}
    model = PrivacyRouterChatModel(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile",
                                   router_settings=settings)
    prompt = f"What is Python? My password is {PASSWORD}."
    model.invoke(prompt)
    assert len(groq_server.bodies) == 1 and len(ollama_server.bodies) == 1
    ai = model.bind_tools(list(Toolbox().tools.values())).invoke(prompt)
    assert len(groq_server.bodies) == 1 and len(ollama_server.bodies) == 2
    assert ai.tool_calls and ai.response_metadata["ptmo"]["route"] == "local"
    assert PASSWORD not in groq_server.received_text


def test_a_local_model_without_tools_fails_closed(groq_server: GroqServer) -> None:
    local = RecordingBackend("embedded-like")
    model = PrivacyRouterChatModel(local=local, cloud="groq:llama-3.3-70b-versatile", policy="local-only",
                                   router_settings=dict(SETTINGS))
    bound = model.bind_tools(list(Toolbox().tools.values()))
    with pytest.raises(ToolsUnsupported, match="cannot take them"):
        bound.invoke(REQUEST)
    with pytest.raises(ToolsUnsupported):
        list(bound.stream(REQUEST))
    assert not local.received and not groq_server.bodies


def test_a_cloud_backend_without_tools_fails_closed() -> None:
    local, cloud = RecordingBackend("local"), RecordingBackend("cloud")
    model = PrivacyRouterChatModel(local=local, cloud=cloud, router_settings=dict(SETTINGS))
    with pytest.raises(ToolsUnsupported):
        model.bind_tools(list(Toolbox().tools.values())).invoke(REQUEST)
    assert not local.received and not cloud.received


# -- structured output ---------------------------------------------------------------
class Contact(BaseModel):
    """A contact."""

    email: str
    note: str


class ContactDict(TypedDict):
    """A contact."""

    email: str
    note: str


CONTACT_SCHEMA = Contact.model_json_schema()


@pytest.mark.parametrize("method", ["function_calling", "json_schema"])
@pytest.mark.parametrize("schema", [Contact, ContactDict, CONTACT_SCHEMA], ids=["pydantic", "typeddict", "json"])
def test_structured_output_restores_every_string_field(method: str, schema: Any, groq_server: GroqServer) -> None:
    structured = make_model().with_structured_output(schema, method=method)
    prompt = f"Make a contact for {EMAIL}."
    results = [structured.invoke(prompt), list(structured.stream(prompt))[-1]]
    for result in results:
        fields = result.model_dump() if isinstance(result, BaseModel) else result
        assert fields == {"email": prompt, "note": prompt}
    assert_nothing_private_left(groq_server)
    body = groq_server.bodies[0]
    by_tool = method == "function_calling"
    assert ("tools" in body) == by_tool and ("response_format" in body) == (not by_tool)


def test_json_mode_restores_values_escaped_for_json(groq_server: GroqServer) -> None:
    structured = make_model().with_structured_output(None, method="json_mode")
    prompt = f"Reply with 'email' and 'note' for {EMAIL}."
    assert structured.invoke(prompt) == {"email": prompt, "note": prompt}
    assert groq_server.bodies[0]["response_format"] == {"type": "json_object"}
    assert_nothing_private_left(groq_server)


def test_include_raw_returns_the_message_with_its_plan(groq_server: GroqServer) -> None:
    structured = make_model().with_structured_output(Contact, include_raw=True)
    out = structured.invoke(f"Make a contact for {EMAIL}.")
    assert out["parsing_error"] is None and EMAIL in out["parsed"].email
    raw = out["raw"]
    assert isinstance(raw, AIMessage) and raw.tool_calls[0]["args"]["email"] == out["parsed"].email
    summary = raw.response_metadata["ptmo"]
    assert summary["left_device"] and "EMAIL_ADDRESS" in summary["span_types"] and EMAIL not in json.dumps(summary)


# -- the core, without LangChain -----------------------------------------------------
def test_router_reply_carries_restored_tool_calls(groq_server: GroqServer) -> None:
    router = PrivacyRouter(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile", classifiers=["rules"])
    tools = [{"type": "function", "function": {"name": "notify", "parameters": {
        "type": "object", "properties": {"to": {"type": "string"}, "urgent": {"type": "boolean"}}}}}]
    reply = router.invoke(f"Notify {EMAIL} now", tools=tools, tool_choice="required")
    assert reply.tool_calls == [ToolCall("call_1_0", "notify", {"to": f"Notify {EMAIL} now", "urgent": True})]
    assert reply.left_device and EMAIL not in groq_server.received_text
    assert reply.plan.cloud_messages[0].content == "Notify [EMAIL_ADDRESS_1] now"


def test_last_message_with_tool_calls_is_refused() -> None:
    router = PrivacyRouter(local=RecordingBackend("l"), cloud=RecordingBackend("c"), classifiers=["rules"])
    with pytest.raises(ValueError, match="last message carries tool calls"):
        router.plan([Message("user", "hi"), Message("assistant", "calling f", [ToolCall("1", "f", {})])])


def test_restore_escapes_values_for_json() -> None:
    vault = MaskVault("c")
    ph = vault.placeholder_for('Bob "the \\ builder"', "PERSON")
    text = json.dumps({"name": ph})
    assert json.loads(vault.restore(text, escape=json_escape)) == {"name": 'Bob "the \\ builder"'}
    restorer = vault.stream_restorer(escape=json_escape)
    streamed = "".join(restorer.feed(text[i:i + 2]) for i in range(0, len(text), 2)) + restorer.flush()
    assert json.loads(streamed) == {"name": 'Bob "the \\ builder"'}


# -- LlamaIndex ------------------------------------------------------------------------
@pytest.mark.parametrize("streaming", [False, True])
def test_llamaindex_function_agent_runs_tools_with_real_values(streaming: bool, groq_server: GroqServer) -> None:
    from llama_index.core.agent.workflow import FunctionAgent
    from llama_index.core.tools import FunctionTool

    from ptmo_middleware.integrations.llamaindex import PrivacyRouterLLM

    box = Toolbox()

    def lookup_contact(query: str) -> str:
        """Look up a contact in the local directory."""
        return box.tools["lookup_contact"].invoke({"query": query})

    llm = PrivacyRouterLLM(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile",
                           router_settings=dict(SETTINGS), conversation_id=f"li-agent-{streaming}")
    agent = FunctionAgent(tools=[FunctionTool.from_defaults(lookup_contact)], llm=llm, streaming=streaming,
                          system_prompt="You help with contacts.")

    async def run() -> Any:
        return await agent.run(user_msg=REQUEST)

    result = asyncio.run(run())
    assert box.received == [("lookup_contact", {"query": REQUEST})]
    assert len(groq_server.bodies) == 2 and groq_server.bodies[0]["tools"][0]["function"]["name"] == "lookup_contact"
    assert_nothing_private_left(groq_server)
    assert PHONE in str(result) and DIRECTORY_EMAIL in str(result)


def test_llamaindex_chat_with_tools_restores_the_calls(groq_server: GroqServer) -> None:
    from llama_index.core.tools import FunctionTool

    from ptmo_middleware.integrations.llamaindex import PrivacyRouterLLM

    def notify(to: str) -> str:
        """Notify someone."""
        return "ok"

    llm = PrivacyRouterLLM(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile",
                           router_settings=dict(SETTINGS))
    tool_ = FunctionTool.from_defaults(notify)
    assert llm.metadata.is_function_calling_model
    response = llm.chat_with_tools([tool_], user_msg=f"Notify {EMAIL}", tool_required=True)
    [selection] = llm.get_tool_calls_from_response(response)
    assert selection.tool_name == "notify" and selection.tool_kwargs == {"to": f"Notify {EMAIL}"}
    assert groq_server.bodies[0]["tool_choice"] == "required"
    last = list(llm.stream_chat_with_tools([tool_], user_msg=f"Notify {EMAIL}", tool_required=True))[-1]
    assert llm.get_tool_calls_from_response(last)[0].tool_kwargs == {"to": f"Notify {EMAIL}"}
    assert_nothing_private_left(groq_server)
