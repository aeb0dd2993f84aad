"""LangChain 1.x agents: :class:`PrivacyMiddleware`, an ``AgentMiddleware`` that puts a
:class:`~ptmo_middleware.PrivacyRouter` around every model call of ``create_agent``::

    agent = create_agent(ChatGroq(model="llama-3.3-70b-versatile"), tools,
                         middleware=[PrivacyMiddleware(local=ChatOllama(model="llama3.2:3b"))])
    agent.invoke({"messages": [...]}, {"configurable": {"thread_id": "alice"}})

Before each model call the whole request (system prompt, user text, past tool calls'
arguments, tool results) is classified and masked with the thread's placeholders, and
routed by the router's policy. A request that may leave the device goes to the agent's
own model, masked, through the router's egress (budget charged, body audited); its
answer (text, tool calls, structured output) comes back restored before it enters the
agent's state, so tools run on the real values. A request whose private part must stay
on the device goes, unmasked, to ``local``; with no local model it fails
(:class:`~ptmo_middleware.errors.LocalBackendUnavailable`) and nothing is sent.

The agent's own streaming of tokens (``stream_mode="messages"``) is restored too: the
cloud call is made through :class:`RestoringChatModel`, which restores the text as it
streams (a placeholder split across chunks is held back until it is complete) and
gives the tool calls whole, restored, on the last chunk; the agent's model itself runs
tagged ``nostream``, so its masked tokens are never streamed.
"""
from __future__ import annotations

import asyncio
import dataclasses
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Any

from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain.chat_models import init_chat_model
from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, SystemMessage, ToolMessage
from langchain_core.messages.tool import tool_call_chunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableConfig
from langgraph.constants import TAG_NOSTREAM
from pydantic import BaseModel, ConfigDict

from ptmo_middleware.egress import Egress
from ptmo_middleware.errors import BudgetExhausted, BudgetStoreError, LocalBackendUnavailable, ToolsUnsupported
from ptmo_middleware.router import PrivacyRouter
from ptmo_middleware.tools import json_escape, map_strings
from ptmo_middleware.types import Plan
from ptmo_middleware.vault import MaskVault

from ._routing import LazyRouter, build_router, plan_fields
from .langchain import LangChainBackend, to_langchain_messages, to_router_messages


@dataclasses.dataclass(frozen=True)
class Decision:
    """Where one model call goes: ``request`` is what the agent's handler is given (the
    masked request for the cloud, or the original one with the local model)."""

    request: ModelRequest
    plan: Plan
    vault: MaskVault
    cloud: bool
    note: str | None = None
    kept: bool = True
    """Whether the mask map stays for later calls (a thread's, or the default one)."""


class PrivacyMiddleware(AgentMiddleware):
    """Masks, routes and restores every model call of a LangChain agent.

    ``local`` answers what must stay on the device: a LangChain chat model, or a
    ``"provider:model"`` string for ``init_chat_model`` (``"ollama:llama3.2:3b"``);
    ``None``: such a request raises. The router is ``router``, or one built from
    ``config`` (a ptmo TOML file), ``policy`` and ``settings`` (any other
    :class:`~ptmo_middleware.Settings` field). Each agent thread (``thread_id``) keeps
    one mask map; without a thread, ``conversation_id``, else each run has its own.
    """

    def __init__(self, local: BaseChatModel | str | None = None, *, router: PrivacyRouter | None = None,
                 config: str | None = None, policy: str | None = None, settings: dict[str, Any] | None = None,
                 conversation_id: str | None = None, principal: str | None = None) -> None:
        super().__init__()
        self.local = init_chat_model(local) if isinstance(local, str) else local
        self.conversation_id = conversation_id
        self.principal = principal
        self._router = router
        self._lazy = LazyRouter(lambda: build_router(local=None, cloud=None, config=config,
                                                     settings=dict(settings or {}), policy=policy))

    def get_router(self) -> PrivacyRouter:
        """The router that plans every call, built on first use."""
        return self._router if self._router is not None else self._lazy.get()

    # -- the agent's hooks ------------------------------------------------------------
    def wrap_model_call(self, request: ModelRequest,
                        handler: Callable[[ModelRequest], ModelResponse]) -> ModelResponse:
        """Mask and route ``request``, call the model it goes to, restore the answer."""
        decision = self.decide(request)
        try:
            return self.restore(handler(decision.request), decision)
        finally:
            self._release(decision)

    async def awrap_model_call(self, request: ModelRequest,
                               handler: Callable[[ModelRequest], Awaitable[ModelResponse]]) -> ModelResponse:
        """Async :meth:`wrap_model_call` (planning runs off the event loop)."""
        decision = await asyncio.to_thread(self.decide, request)
        try:
            return self.restore(await handler(decision.request), decision)
        finally:
            self._release(decision)

    # -- deciding ---------------------------------------------------------------------
    def decide(self, request: ModelRequest) -> Decision:
        """Plan ``request`` with its thread's mask map; charge and audit what leaves."""
        router = self.get_router()
        conversation, kept = self._conversation(request)
        try:
            plan = router.plan(to_router_messages(_prompt(request)), conversation_id=conversation,
                               principal=self.principal, tools=True)
            vault = router.vault(conversation)
            if not plan.cloud_messages:
                return self._local(request, plan, vault, kept)
            try:
                Egress(LangChainBackend(request.model), router.budget, router.audit, 0).leave(plan)
            except (BudgetExhausted, BudgetStoreError) as exc:
                return self._local(request, plan, vault, kept, f"the cloud was refused: {exc}")
            restoring = RestoringChatModel.around(request.model, vault, plan.placeholders)
            return Decision(self._masked(request.override(model=restoring), plan), plan, vault, cloud=True,
                            kept=kept)
        except BaseException:
            if not kept:
                router.vaults.drop(conversation)
            raise

    def _conversation(self, request: ModelRequest) -> tuple[str, bool]:
        """The mask map's id (the agent thread's, the default one, or the call's own)
        and whether it is kept after the call."""
        info = getattr(request.runtime, "execution_info", None)
        thread = getattr(info, "thread_id", None)
        if thread:
            return f"thread-{thread}", True
        if self.conversation_id:
            return self.conversation_id, True
        return f"call-{uuid.uuid4().hex}", False

    def _release(self, decision: Decision) -> None:
        """Forget a call's own mask map once its answer is restored."""
        if not decision.kept:
            self.get_router().vaults.drop(decision.vault.conversation_id)

    def _masked(self, request: ModelRequest, plan: Plan) -> ModelRequest:
        """``request`` with the plan's cloud messages in place of its own (fresh messages:
        nothing of the originals' other fields leaves)."""
        cloud = to_langchain_messages(plan.cloud_messages)
        for original, message in zip(_prompt(request), cloud):
            if isinstance(original, ToolMessage):
                message.name = original.name  # the tool's name, as its schema gives it
        if request.system_message is not None:
            system, *messages = cloud
            return request.override(system_message=SystemMessage(system.content), messages=messages)
        return request.override(messages=cloud)

    def _local(self, request: ModelRequest, plan: Plan, vault: MaskVault, kept: bool,
               note: str | None = None) -> Decision:
        """``request`` for the local model; fails closed when there is none, or when it
        cannot take the agent's tools."""
        if self.local is None:
            reason = note or (f"part of this request must stay on the device (level {plan.level.name}, "
                              f"{', '.join(plan.classification.entity_types) or 'no maskable span'})")
            raise LocalBackendUnavailable(f"{reason}, and PrivacyMiddleware has no local model (pass local=...). "
                                          "Nothing was sent to the cloud.")
        if request.tools and type(self.local).bind_tools is BaseChatModel.bind_tools:
            raise ToolsUnsupported(
                f"this request must be answered by the local model {type(self.local).__name__}, which cannot "
                "take the agent's tools. Nothing was sent to the cloud.")
        return Decision(request.override(model=self.local), plan, vault, cloud=False, note=note, kept=kept)

    # -- restoring --------------------------------------------------------------------
    def restore(self, response: ModelResponse, decision: Decision) -> ModelResponse:
        """The model's answer with the plan's placeholders restored (text, tool calls,
        structured output) and ``response_metadata["ptmo"]`` saying what was decided.
        (The cloud's answer comes restored from :class:`RestoringChatModel` already;
        this restores it again in case a middleware inside this one swapped the model.)"""
        if decision.cloud:
            only = decision.plan.placeholders

            def restore_text(text: str) -> str:
                return decision.vault.restore(text, only=only)

            def restore_json(text: str) -> str:
                return decision.vault.restore(text, only=only, escape=json_escape)

            result = [_restored_message(m, restore_text, restore_json) for m in response.result]
            structured = _restored_value(response.structured_response, restore_text)
        else:
            result, structured = list(response.result), response.structured_response
        summary = {**plan_fields(decision.plan), "answered_by": "cloud" if decision.cloud else "local",
                   "left_device": decision.cloud, "note": decision.note}
        result = [m.model_copy(update={"response_metadata": {**m.response_metadata, "ptmo": summary}})
                  if isinstance(m, AIMessage) else m for m in result]
        return ModelResponse(result=result, structured_response=structured)


def _prompt(request: ModelRequest) -> list[BaseMessage]:
    """Everything the model is asked: the system message, then the messages."""
    return [*([request.system_message] if request.system_message is not None else []), *request.messages]


def _restored_message(message: BaseMessage, restore: Callable[[str], str],
                      restore_json: Callable[[str], str]) -> BaseMessage:
    """``message`` with its content restored; an AI message's tool calls too (their
    arguments string by string, unparsed ones as JSON text). The provider's raw copy
    of the tool calls in ``additional_kwargs`` is dropped: ``tool_calls`` is the one
    LangChain sends back."""
    update: dict[str, Any] = {"content": map_strings(message.content, restore)}
    if isinstance(message, AIMessage):
        update["tool_calls"] = [{**c, "args": map_strings(c["args"], restore)} for c in message.tool_calls]
        update["invalid_tool_calls"] = [{**c, "args": restore_json(c["args"]) if c.get("args") else c.get("args")}
                                        for c in message.invalid_tool_calls]
        update["additional_kwargs"] = {k: v for k, v in message.additional_kwargs.items()
                                       if k not in ("tool_calls", "function_call")}
    return message.model_copy(update=update)


def _restored_value(value: Any, restore: Callable[[str], str]) -> Any:
    """A structured answer (a pydantic model, a dataclass, or JSON-like data) with every
    string in it restored."""
    if isinstance(value, BaseModel):
        return type(value).model_validate(_restored_value(value.model_dump(), restore))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _restored_value(getattr(value, f.name), restore)
                                             for f in dataclasses.fields(value) if f.init})
    return map_strings(value, restore)


#: The wrapped model's run: traced with the agent's callbacks, never streamed as messages.
_NOSTREAM: RunnableConfig = {"tags": [TAG_NOSTREAM]}


class RestoringChatModel(BaseChatModel):
    """The agent's model for one masked cloud call, answering with the plan's
    placeholders restored, in ``invoke`` and in streams alike.

    Streamed text goes through the vault's split-safe
    :class:`~ptmo_middleware.vault.StreamRestorer`; the tool calls (and usage, and the
    provider's metadata) come whole, their arguments restored, on the last chunk. The
    wrapped model's run is tagged ``nostream``, so LangGraph's ``stream_mode="messages"``
    shows this model's restored chunks and never the wrapped one's masked tokens. A JSON
    answer (``response_format``) has its values written escaped for JSON strings. Only
    text content is passed on. Never cached: its answers hold the real values.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    inner: Runnable[Any, Any]
    """The agent's model, or its binding with tools."""
    vault: MaskVault
    placeholders: dict[str, str]
    """The plan's placeholders: only these are restored."""
    json_answer: bool = False
    model_name: str | None = None
    """The wrapped model's name (the agent reads it to pick a structured-output strategy)."""

    @classmethod
    def around(cls, model: BaseChatModel, vault: MaskVault, placeholders: dict[str, str]) -> "RestoringChatModel":
        """``model`` wrapped, with its name and profile (what the agent inspects)."""
        name = getattr(model, "model_name", None) or getattr(model, "model", None)
        return cls(inner=model, vault=vault, placeholders=placeholders, cache=False, profile=model.profile,
                   model_name=name if isinstance(name, str) else None)

    @property
    def _llm_type(self) -> str:
        return "ptmo-restoring"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Runnable[Any, AIMessage]:
        """The wrapped model's ``bind_tools`` (its own tool format), still restoring."""
        response_format = kwargs.get("response_format")
        json_answer = isinstance(response_format, dict) and response_format.get("type") in ("json_object",
                                                                                            "json_schema")
        bound = self.inner.bind_tools(tools, **kwargs)  # type: ignore[attr-defined]
        return self.model_copy(update={"inner": bound, "json_answer": json_answer})

    def _restored(self, message: AIMessage) -> AIMessage:
        """``message`` restored: its text (escaped in a JSON answer), its tool calls' arguments."""
        def restore(text: str) -> str:
            return self.vault.restore(text, only=self.placeholders)

        def restore_json(text: str) -> str:
            return self.vault.restore(text, only=self.placeholders, escape=json_escape)

        restored = _restored_message(message, restore, restore_json)
        return restored.model_copy(update={"content": (restore_json if self.json_answer else restore)(message.text)})

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        message = self.inner.invoke(messages, _NOSTREAM, stop=stop, **kwargs)
        return ChatResult(generations=[ChatGeneration(message=self._restored(message))])

    async def _agenerate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                         run_manager: AsyncCallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        message = await self.inner.ainvoke(messages, _NOSTREAM, stop=stop, **kwargs)
        return ChatResult(generations=[ChatGeneration(message=self._restored(message))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        pieces = _Pieces(self)
        for chunk in self.inner.stream(messages, _NOSTREAM, stop=stop, **kwargs):
            if out := pieces.feed(chunk):
                if run_manager:
                    run_manager.on_llm_new_token(out.text, chunk=out)
                yield out
        last = pieces.last()
        if run_manager:
            run_manager.on_llm_new_token(last.text, chunk=last)
        yield last

    async def _astream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                       run_manager: AsyncCallbackManagerForLLMRun | None = None,
                       **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:
        pieces = _Pieces(self)
        async for chunk in self.inner.astream(messages, _NOSTREAM, stop=stop, **kwargs):
            if out := pieces.feed(chunk):
                if run_manager:
                    await run_manager.on_llm_new_token(out.text, chunk=out)
                yield out
        last = pieces.last()
        if run_manager:
            await run_manager.on_llm_new_token(last.text, chunk=last)
        yield last


class _Pieces:
    """One restored stream: text released as the restorer allows; the whole message
    (tool calls, usage, metadata) gathered for the last chunk."""

    def __init__(self, model: RestoringChatModel) -> None:
        self.model = model
        self.restorer = model.vault.stream_restorer(model.placeholders,
                                                    json_escape if model.json_answer else None)
        self.full: AIMessageChunk | None = None

    def feed(self, chunk: AIMessageChunk) -> ChatGenerationChunk | None:
        """The restored text this chunk releases, if any."""
        self.full = chunk if self.full is None else self.full + chunk
        text = self.restorer.feed(chunk.text)
        return ChatGenerationChunk(message=AIMessageChunk(content=text)) if text else None

    def last(self) -> ChatGenerationChunk:
        """The held-back text, and the whole answer's tool calls (restored), usage and metadata."""
        full = self.full if self.full is not None else AIMessageChunk(content="")
        restored = self.model._restored(AIMessage(content="", tool_calls=full.tool_calls,
                                                  invalid_tool_calls=full.invalid_tool_calls))
        calls = [tool_call_chunk(name=c["name"], args=json.dumps(c["args"], ensure_ascii=False), id=c["id"],
                                 index=i) for i, c in enumerate(restored.tool_calls)]
        calls += [tool_call_chunk(name=c.get("name"), args=c.get("args"), id=c.get("id"), index=len(calls) + i)
                  for i, c in enumerate(restored.invalid_tool_calls)]
        return ChatGenerationChunk(message=AIMessageChunk(
            content=self.restorer.flush(), tool_call_chunks=calls, usage_metadata=full.usage_metadata,
            response_metadata=full.response_metadata, chunk_position="last"))
