"""LangChain integration: :class:`PrivacyRouterChatModel`, a ``BaseChatModel`` (so a
Runnable) whose every call goes through a :class:`~ptmo_middleware.PrivacyRouter`.

Swap it in where the chat model was::

    llm = PrivacyRouterChatModel(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile")
    chain = prompt | llm | StrOutputParser()

The local and cloud sides are config strings, ptmo backends, or any LangChain chat
model (a ``ChatOllama``, a ``ChatGroq``, a fake), which :class:`LangChainBackend` makes
fit the backend protocol. The whole message history is classified and masked by the
core; the answer's ``response_metadata["ptmo"]`` summarises the plan without any raw
private text.

Tools work as with any chat model (``bind_tools``, ``with_structured_output``): tool
schemas go to the model as given; the arguments of the tool calls the cloud returns
have their placeholders restored before they reach ``AIMessage.tool_calls``; tool
calls and tool results in the history are classified and masked like any text.
"""
from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any, Literal

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LangSmithParams
from langchain_core.load.serializable import Serializable, SerializedConstructor, SerializedNotImplemented
from langchain_core.messages import (AIMessage, AIMessageChunk, BaseMessage, ChatMessage, HumanMessage,
                                     SystemMessage, ToolMessage)
from langchain_core.messages.ai import UsageMetadata
from langchain_core.messages.tool import ToolCall as LCToolCall, tool_call, tool_call_chunk
from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableMap, RunnablePassthrough
from langchain_core.runnables.config import var_child_runnable_config
from langchain_core.tools import BaseTool
from langchain_core.utils import secret_from_env
from langchain_core.utils.function_calling import convert_to_json_schema, convert_to_openai_tool
from langchain_core.utils.pydantic import is_basemodel_subclass
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr

from ptmo_middleware.backends import (MODEL_OPTION, AsyncTextStream, BackendReply, StopCutter, TextStream, Usage,
                                      cut_at_stop)
from ptmo_middleware.router import PrivacyRouter
from ptmo_middleware.tools import TOOL_OPTIONS
from ptmo_middleware.types import Message, ToolCall

from ._routing import (LazyRouter, answered_by, build_router, plan_summary,
                       side_label, split_options, with_options)

#: Run-metadata keys read as the conversation id (LangGraph uses ``thread_id``).
CONVERSATION_KEYS = ("conversation_id", "thread_id")

_ROLE_OF: tuple[tuple[type[BaseMessage], str], ...] = (
    (HumanMessage, "user"), (AIMessage, "assistant"), (SystemMessage, "system"))


#: Content blocks that repeat an AI message's ``tool_calls`` (Anthropic's form, LangChain's own).
_TOOL_CALL_BLOCKS = frozenset({"tool_use", "tool_call"})


def to_router_messages(messages: Sequence[BaseMessage], *, allow_images: bool = False) -> list[Message]:
    """LangChain messages as the router's messages: text, an AI message's tool calls,
    a tool result's call id; with ``allow_images``, inline images too.

    Anything else is refused rather than sent anywhere unchecked: audio, files, image
    URLs (text that would leave unclassified), and without ``allow_images`` any image
    (it cannot be classified).
    """
    out = []
    for i, m in enumerate(messages):
        calls = getattr(m, "tool_calls", None) or []
        images = [_image_url(i, b, allow_images) for b in (m.content if isinstance(m.content, list) else [])
                  if not isinstance(b, str) and b.get("type") != "text"
                  and not (calls and b.get("type") in _TOOL_CALL_BLOCKS)]
        if isinstance(m, ToolMessage):
            out.append(Message("tool", m.text, tool_call_id=m.tool_call_id, images=images))
            continue
        role = m.role if isinstance(m, ChatMessage) else next(
            (r for kind, r in _ROLE_OF if isinstance(m, kind)), None)
        if role is None:
            raise ValueError(f"message {i}: unsupported message type {m.type!r}")
        out.append(Message(role, m.text, tool_calls=[ToolCall(c.get("id") or "", c["name"], dict(c["args"]))
                                                     for c in calls], images=images))
    return out


def _image_url(index: int, block: dict[str, Any], allow_images: bool) -> str:
    """An inline image content block (LangChain's ``image`` with ``base64``, or OpenAI's
    ``image_url`` with a ``data:`` URL) as a ``data:`` URL; anything else raises."""
    kind = block.get("type")
    if kind not in ("image", "image_url"):
        raise ValueError(f"message {index}: only text and images are supported ({kind!r} content cannot be "
                         "classified)")
    if not allow_images:
        raise ValueError(f"message {index}: an image cannot be classified on the device, so it is refused; "
                         "pass allow_images=True to send images to the cloud unchecked")
    if kind == "image_url":
        url = block["image_url"].get("url") if isinstance(block.get("image_url"), dict) else block.get("image_url")
    elif block.get("base64") or block.get("data"):
        if not block.get("mime_type"):
            raise ValueError(f"message {index}: an inline image needs its mime_type")
        url = f"data:{block['mime_type']};base64,{block.get('base64') or block.get('data')}"
    else:
        url = block.get("url")
    if not isinstance(url, str) or not url.startswith("data:image/"):
        raise ValueError(f"message {index}: only inline images (base64) are supported; an image URL is text "
                         "that would leave the device unclassified")
    return url


def to_langchain_tool_calls(calls: Sequence[ToolCall]) -> list[LCToolCall]:
    """The router's tool calls as LangChain's."""
    return [tool_call(name=c.name, args=c.arguments, id=c.id) for c in calls]


def tool_choice_option(tool_choice: dict[str, Any] | str | bool | None) -> dict[str, Any] | str | None:
    """LangChain's ``tool_choice`` in OpenAI's form: ``"any"`` or ``True`` -> ``"required"``,
    a tool's name -> that function; ``"auto"``, ``"none"``, ``"required"`` and dicts as given."""
    if tool_choice is None or tool_choice is False:
        return None
    if tool_choice is True or tool_choice == "any":
        return "required"
    if isinstance(tool_choice, str) and tool_choice not in ("auto", "none", "required"):
        return {"type": "function", "function": {"name": tool_choice}}
    return tool_choice


def to_langchain_messages(messages: Sequence[Message]) -> list[BaseMessage]:
    """Router messages as LangChain messages: text, an assistant message's tool calls,
    a tool result's call id, images (as ``image_url`` content blocks)."""
    out: list[BaseMessage] = []
    for m in messages:
        content: Any = m.content
        if m.images:
            content = ([{"type": "text", "text": m.content}] if m.content else []) + [
                {"type": "image_url", "image_url": {"url": url}} for url in m.images]
        if m.role == "assistant":
            out.append(AIMessage(content, tool_calls=to_langchain_tool_calls(m.tool_calls)))
        elif m.role == "tool":
            out.append(ToolMessage(content, tool_call_id=m.tool_call_id or ""))
        elif m.role in ("user", "system"):
            out.append((HumanMessage if m.role == "user" else SystemMessage)(content))
        else:
            out.append(ChatMessage(role=m.role, content=content))
    return out


def _usage_of(message: BaseMessage) -> Usage:
    meta = getattr(message, "usage_metadata", None) or {}
    return Usage(input_tokens=int(meta.get("input_tokens", 0)), output_tokens=int(meta.get("output_tokens", 0)))


def model_label(side: Any) -> str:
    """A short name of one side: a config string, a ptmo backend or a LangChain model."""
    if isinstance(side, BaseChatModel):
        return str(side._get_ls_params().get("ls_model_name") or side._llm_type)
    return side_label(side)


class LangChainBackend:
    """Any LangChain chat model as a ptmo backend (``chat``, ``stream``, ``achat``, ``astream``).

    Options the wrapped model has a field for (``temperature``, ``max_tokens`` in its
    own spelling, ``seed``) are set on a copy of it for the call; ``stop`` goes through
    LangChain's own ``stop`` argument, and the answer is cut at the first stop string
    too (for a model that ignores it); ``timeout`` stays what the model was built with.
    Usage is per call: in the reply, or in the returned stream's ``usage``.
    """

    supports_images = True

    def __init__(self, model: BaseChatModel) -> None:
        self.model = model
        self.name = model_label(model)
        self.provider = str(model._get_ls_params().get("ls_provider") or "langchain")

    def _configured(self, options: dict[str, Any]) -> tuple[BaseChatModel, list[str] | None]:
        return with_options(self.model, options), options.get("stop") or None

    def _reply(self, message: BaseMessage, stop: list[str] | None) -> BackendReply:
        model = message.response_metadata.get("model_name") or self.name
        text, _ = cut_at_stop(message.text, stop)
        return BackendReply(text=text, usage=_usage_of(message), model=str(model), provider=self.provider)

    def chat(self, messages: list[Message], **options: Any) -> BackendReply:
        """One answer from the wrapped model."""
        model, stop = self._configured(options)
        return self._reply(model.invoke(to_langchain_messages(messages), stop=stop), stop)

    async def achat(self, messages: list[Message], **options: Any) -> BackendReply:
        """One answer from the wrapped model, asynchronously."""
        model, stop = self._configured(options)
        return self._reply(await model.ainvoke(to_langchain_messages(messages), stop=stop), stop)

    def stream(self, messages: list[Message], **options: Any) -> TextStream:
        """The wrapped model's answer as text chunks, cut at a stop string; the stream's
        ``usage`` is set at its end."""
        model, stop = self._configured(options)
        return TextStream(self._stream(model, to_langchain_messages(messages), stop))

    @staticmethod
    def _stream(model: BaseChatModel, messages: list[BaseMessage], stop: list[str] | None) -> Iterator[str | Usage]:
        cutter = StopCutter(stop)
        full: AIMessageChunk | None = None
        for chunk in model.stream(messages, stop=stop):
            full = chunk if full is None else full + chunk
            yield cutter.feed(chunk.text)
            if cutter.stopped:
                break
        yield cutter.flush()
        yield _usage_of(full) if full is not None else Usage()

    def astream(self, messages: list[Message], **options: Any) -> AsyncTextStream:
        """The wrapped model's answer as text chunks, asynchronously (``usage`` as for :meth:`stream`)."""
        model, stop = self._configured(options)
        return AsyncTextStream(self._astream(model, to_langchain_messages(messages), stop))

    @staticmethod
    async def _astream(model: BaseChatModel, messages: list[BaseMessage],
                       stop: list[str] | None) -> AsyncIterator[str | Usage]:
        cutter = StopCutter(stop)
        full: AIMessageChunk | None = None
        async for chunk in model.astream(messages, stop=stop):
            full = chunk if full is None else full + chunk
            yield cutter.feed(chunk.text)
            if cutter.stopped:
                break
        yield cutter.flush()
        yield _usage_of(full) if full is not None else Usage()


class PrivacyRouterChatModel(BaseChatModel):
    """A LangChain chat model that routes each call through a :class:`PrivacyRouter`.

    ``local`` and ``cloud`` are config strings (``"ollama:llama3.2:3b"``,
    ``"groq:llama-3.3-70b-versatile"``, ``"embedded"``), ptmo backends, or LangChain
    chat models; or pass a ready ``router``. ``config`` is a ptmo TOML file and
    ``router_settings`` any other :class:`~ptmo_middleware.Settings` fields.
    The conversation whose masks are reused is ``conversation_id`` from the call's
    keyword arguments, from the run metadata or the enclosing chain's ``configurable``
    (``conversation_id`` or ``thread_id``), or this model's ``conversation_id``; with
    none, every call gets a fresh mask map. A call's ``model=`` picks the cloud's model
    for that call (a ``groq:`` cloud; any other raises ``ValueError``); what is routed
    where, and the local model, stay as they are.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True, populate_by_name=True)

    local: Any = "embedded"
    """Local side: a config string, a ptmo backend or a LangChain chat model."""
    cloud: Any = "groq:llama-3.3-70b-versatile"
    """Cloud side: a config string, a ptmo backend or a LangChain chat model."""
    router: PrivacyRouter | None = None
    """A ready router; when given, ``local``, ``cloud``, ``config``, ``policy`` and
    ``router_settings`` are not used."""
    config: str | None = None
    """Path of a ptmo TOML config file."""
    policy: str | None = None
    """Router policy by name (``threshold``, ``local-only``, ``cloud-only``, ``rl``, ...)."""
    router_settings: dict[str, Any] = Field(default_factory=dict)
    """Any other :class:`~ptmo_middleware.Settings` field, e.g. ``{"classifiers": ["rules"]}``."""
    conversation_id: str | None = None
    """Default conversation id (its mask map is reused across calls)."""
    temperature: float | None = None
    max_tokens: int | None = None
    timeout: float | None = None
    """Per-call timeout of the backends in seconds (``None``: the router's ``backend_timeout_s``)."""
    stop: list[str] | None = Field(default=None, alias="stop_sequences")
    max_retries: int | None = None
    """Retries of a failed cloud call (``None``: the router's ``cloud_max_retries``)."""
    api_key: SecretStr | None = Field(default_factory=secret_from_env("GROQ_API_KEY", default=None))
    """Groq API key (default ``$GROQ_API_KEY``); used when ``cloud`` is a ``groq:`` string."""
    streaming: bool = False
    allow_images: bool = False
    """Send inline images (base64) to the cloud as they are. They cannot be classified on
    the device: by default a message with an image raises ``ValueError``. With this on,
    the text is still classified and masked, and a request with images is answered by
    the cloud, whole, or raises :class:`~ptmo_middleware.errors.ImagesUnsupported`
    (never answered locally without them). Image URLs are always refused."""

    _lazy: LazyRouter = PrivateAttr()

    def model_post_init(self, context: Any, /) -> None:
        super().model_post_init(context)
        self._lazy = LazyRouter(self._build_router)

    @property
    def _llm_type(self) -> str:
        return "ptmo-privacy-router"

    @classmethod
    def is_lc_serializable(cls) -> bool:
        """Whether ``dumpd`` / ``load`` can round-trip this class: yes (see :meth:`to_json`)."""
        return True

    @property
    def lc_secrets(self) -> dict[str, str]:
        """``api_key`` is serialised as a reference to ``$GROQ_API_KEY``, never its value."""
        return {"api_key": "GROQ_API_KEY"}

    def to_json(self) -> SerializedConstructor | SerializedNotImplemented:
        """``dumpd``'s form: this model's constructor arguments, the API key as a secret
        reference. Not implemented when a side or ``router`` is a live object (a ptmo
        backend, a ready router, a LangChain model that is not serialisable itself):
        those cannot be rebuilt from JSON."""
        live = [side for side in (self.local, self.cloud, self.router) if side is not None
                and not isinstance(side, str) and not (isinstance(side, Serializable) and side.is_lc_serializable())]
        return self.to_json_not_implemented() if live else super().to_json()

    @property
    def model_name(self) -> str:
        """``<local>+<cloud>``: the two models this router chooses between."""
        if self.router is not None:
            return f"{side_label(self.router.settings.local)}+{side_label(self.router.settings.cloud)}"
        return f"{model_label(self.local)}+{model_label(self.cloud)}"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "policy": self.policy, "config": self.config,
                "temperature": self.temperature, "max_tokens": self.max_tokens, "stop": self.stop}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(ls_provider="ptmo", ls_model_name=str(kwargs.get("model", self.model_name)),
                                 ls_model_type="chat")
        temperature = kwargs.get("temperature", self.temperature)
        if temperature is not None:
            params["ls_temperature"] = temperature
        max_tokens = kwargs.get("max_tokens", self.max_tokens)
        if max_tokens is not None:
            params["ls_max_tokens"] = max_tokens
        if ls_stop := stop or self.stop:
            params["ls_stop"] = list(ls_stop)
        return params

    # -- the router ------------------------------------------------------------------
    def get_router(self) -> PrivacyRouter:
        """The router behind this model, built on first use."""
        return self.router if self.router is not None else self._lazy.get()

    def _build_router(self) -> PrivacyRouter:
        def backend(side: Any) -> Any:
            return LangChainBackend(side) if isinstance(side, BaseChatModel) else side

        return build_router(local=backend(self.local), cloud=backend(self.cloud), config=self.config,
                            settings=self.router_settings, policy=self.policy, api_key=self.api_key,
                            max_retries=self.max_retries, timeout=self.timeout)

    # -- tools and structured output --------------------------------------------------
    def bind_tools(self, tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool], *,
                   tool_choice: dict[str, Any] | str | bool | None = None,
                   **kwargs: Any) -> Runnable[Any, AIMessage]:
        """This model with ``tools`` (converted to OpenAI's function definitions, sent to
        the model as given) and ``tool_choice`` (``"auto"``, ``"any"``/``"required"``,
        ``"none"`` or a tool's name) bound to every call."""
        formatted = [convert_to_openai_tool(t) for t in tools]
        choice = tool_choice_option(tool_choice)
        if choice is not None:
            kwargs["tool_choice"] = choice
        return self.bind(tools=formatted, **kwargs)

    def with_structured_output(self, schema: dict[str, Any] | type | None = None, *,
                               method: Literal["function_calling", "json_schema", "json_mode"] = "function_calling",
                               include_raw: bool = False, strict: bool | None = None,
                               **kwargs: Any) -> Runnable[Any, dict[str, Any] | BaseModel]:
        """Answers as ``schema`` (a pydantic model, a TypedDict or a JSON schema), every
        string in them restored. ``method``: ``"function_calling"`` (a forced tool call,
        LangChain's own implementation over :meth:`bind_tools`), ``"json_schema"`` (the
        model's JSON answer constrained by the schema) or ``"json_mode"`` (any JSON
        object; the prompt must say which). ``include_raw=True`` returns
        ``{"raw": AIMessage, "parsed": ..., "parsing_error": ...}``."""
        if method == "function_calling":
            if schema is None:
                raise ValueError("method='function_calling' needs a schema")
            return super().with_structured_output(schema, include_raw=include_raw, **kwargs)
        if method not in ("json_schema", "json_mode"):
            raise ValueError(f"unknown method {method!r}; use 'function_calling', 'json_schema' or 'json_mode'")
        if kwargs:
            raise ValueError(f"unsupported argument(s) {sorted(kwargs)}")
        if method == "json_schema":
            if schema is None:
                raise ValueError("method='json_schema' needs a schema")
            json_schema = convert_to_json_schema(schema)
            spec: dict[str, Any] = {"name": json_schema.get("title", "output"), "schema": json_schema}
            if strict is not None:
                spec["strict"] = strict
            response_format: dict[str, Any] = {"type": "json_schema", "json_schema": spec}
        else:
            response_format = {"type": "json_object"}
        llm = self.bind(response_format=response_format,
                        ls_structured_output_format={"kwargs": {"method": method}, "schema": schema})
        parser: Runnable[Any, Any] = (PydanticOutputParser(pydantic_object=schema)
                                      if isinstance(schema, type) and is_basemodel_subclass(schema)
                                      else JsonOutputParser())
        if not include_raw:
            return llm | parser
        parsed = RunnablePassthrough.assign(parsed=itemgetter("raw") | parser, parsing_error=lambda _: None)
        return RunnableMap(raw=llm) | parsed.with_fallbacks([RunnablePassthrough.assign(parsed=lambda _: None)],
                                                            exception_key="parsing_error")

    # -- one call --------------------------------------------------------------------
    def _call_args(self, stop: list[str] | None, run_manager: Any,
                   kwargs: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
        """(conversation id or None, keyword arguments for the router)."""
        kwargs = {k: v for k, v in kwargs.items() if k != "stream"}
        defaults = {"temperature": self.temperature, "max_tokens": self.max_tokens, "stop": stop or self.stop}
        conversation, options = split_options(kwargs, defaults, type(self).__name__, TOOL_OPTIONS | {MODEL_OPTION})
        # Run metadata, then the enclosing chain's (or LangGraph node's) configurable.
        sources = [getattr(run_manager, "metadata", None) or {},
                   (var_child_runnable_config.get() or {}).get("configurable") or {}]
        conversation = conversation or next(
            (str(src[k]) for src in sources for k in CONVERSATION_KEYS if src.get(k)), None) or self.conversation_id
        return conversation, options

    def _message_fields(self, reply: Any) -> dict[str, Any]:
        usage = reply.usage
        return {
            "usage_metadata": UsageMetadata(input_tokens=usage.input_tokens, output_tokens=usage.output_tokens,
                                            total_tokens=usage.total_tokens),
            "response_metadata": {"model_name": answered_by(reply, self.model_name), "model_provider": "ptmo",
                                  "ptmo": plan_summary(reply)},
        }

    def _result(self, reply: Any) -> ChatResult:
        message = AIMessage(content=reply.text, tool_calls=to_langchain_tool_calls(reply.tool_calls),
                            **self._message_fields(reply))
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        prompt = to_router_messages(messages, allow_images=self.allow_images)
        conversation, options = self._call_args(stop, run_manager, kwargs)
        router = self.get_router()
        return self._result(router.invoke(prompt, conversation_id=conversation, **options))

    async def _agenerate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                         run_manager: AsyncCallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        prompt = to_router_messages(messages, allow_images=self.allow_images)
        conversation, options = self._call_args(stop, run_manager, kwargs)
        router = self.get_router()
        return self._result(await router.ainvoke(prompt, conversation_id=conversation, **options))

    def _chunk(self, piece: Any) -> ChatGenerationChunk | None:
        """A router stream piece as a LangChain chunk: its text, and on the last piece
        the tool calls (whole, their arguments restored), the usage and the plan summary."""
        if piece.reply is not None:
            chunks = [tool_call_chunk(name=c.name, args=json.dumps(c.arguments, ensure_ascii=False), id=c.id, index=i)
                      for i, c in enumerate(piece.reply.tool_calls)]
            return ChatGenerationChunk(message=AIMessageChunk(
                content=piece.text, tool_call_chunks=chunks, chunk_position="last",
                **self._message_fields(piece.reply)))
        return ChatGenerationChunk(message=AIMessageChunk(content=piece.text)) if piece.text else None

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        prompt = to_router_messages(messages, allow_images=self.allow_images)
        conversation, options = self._call_args(stop, run_manager, kwargs)
        router = self.get_router()
        for piece in router.stream(prompt, conversation_id=conversation, **options):
            chunk = self._chunk(piece)
            if chunk is None:
                continue
            if run_manager and piece.text:
                run_manager.on_llm_new_token(piece.text, chunk=chunk)
            yield chunk

    async def _astream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                       run_manager: AsyncCallbackManagerForLLMRun | None = None,
                       **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:
        prompt = to_router_messages(messages, allow_images=self.allow_images)
        conversation, options = self._call_args(stop, run_manager, kwargs)
        router = self.get_router()
        async for piece in router.astream(prompt, conversation_id=conversation, **options):
            chunk = self._chunk(piece)
            if chunk is None:
                continue
            if run_manager and piece.text:
                await run_manager.on_llm_new_token(piece.text, chunk=chunk)
            yield chunk
