"""LlamaIndex integration: :class:`PrivacyRouterLLM`, an ``LLM`` whose every call goes
through a :class:`~ptmo_middleware.PrivacyRouter`.

Swap it in where the LLM was::

    Settings.llm = PrivacyRouterLLM(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile")
    engine = index.as_query_engine(llm=PrivacyRouterLLM(...))

A query engine puts the retrieved passages into the prompt it sends the LLM, so they
are classified with the question: private spans of the documents are masked or kept
local like any other, and never shipped raw to the cloud. Each response's ``raw``
holds the usage and the plan summary (``raw["ptmo"]``, no private text).

It is a ``FunctionCallingLLM``: a ``FunctionAgent`` (or ``chat_with_tools``) gets the
tool calls as ``ToolCallBlock`` blocks of the answer, their arguments restored; tool
results and earlier tool calls are classified and masked like any text.
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from llama_index.core.base.llms.generic_utils import (achat_to_completion_decorator,
                                                      astream_chat_to_completion_decorator,
                                                      chat_to_completion_decorator,
                                                      stream_chat_to_completion_decorator)
from llama_index.core.base.llms.types import (ChatMessage, ChatResponse, ChatResponseAsyncGen, ChatResponseGen,
                                              CompletionResponse, CompletionResponseAsyncGen,
                                              CompletionResponseGen, LLMMetadata, MessageRole, TextBlock,
                                              ToolCallBlock)
from llama_index.core.llms import LLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.llms.llm import ToolSelection
from llama_index.core.tools.types import BaseTool
from pydantic import Field, PrivateAttr

from ptmo_middleware.backends import AsyncTextStream, BackendReply, StopCutter, TextStream, Usage, cut_at_stop
from ptmo_middleware.router import PrivacyRouter
from ptmo_middleware.tools import TOOL_OPTIONS, parse_arguments
from ptmo_middleware.types import Message, ToolCall

from ._routing import (LazyRouter, answered_by, build_router, plan_summary,
                       side_label, split_options, with_options)


_ROLE_ALIASES = {"chatbot": "assistant", "model": "assistant", "developer": "system"}


def to_router_messages(messages: Sequence[ChatMessage]) -> list[Message]:
    """LlamaIndex chat messages as the router's messages: text, tool calls
    (``ToolCallBlock``), tool results (role ``tool`` with ``additional_kwargs["tool_call_id"]``).
    An image or a document cannot be classified, so it is refused."""
    out = []
    for i, m in enumerate(messages):
        kinds = {type(b).__name__ for b in m.blocks} - {"TextBlock", "ToolCallBlock"}
        if kinds:
            raise ValueError(f"message {i}: only text is supported, got {sorted(kinds)}")
        role = m.role.value if isinstance(m.role, MessageRole) else str(m.role)
        if role == "function" or m.additional_kwargs.get("tool_calls"):
            raise ValueError(f"message {i}: tool calls must be ToolCallBlock blocks and tool results role 'tool' "
                             "messages (another LLM's forms are not supported by PrivacyRouterLLM)")
        calls = [ToolCall(b.tool_call_id or "", b.tool_name, parse_arguments(b.tool_kwargs, b.tool_name))
                 for b in m.blocks if isinstance(b, ToolCallBlock)]
        call_id = m.additional_kwargs.get("tool_call_id") if role == "tool" else None
        if role == "tool" and not call_id:
            raise ValueError(f"message {i}: a tool result needs additional_kwargs['tool_call_id']")
        out.append(Message(_ROLE_ALIASES.get(role, role), m.content or "", tool_calls=calls, tool_call_id=call_id))
    return out


def to_llamaindex_messages(messages: Sequence[Message]) -> list[ChatMessage]:
    """Router messages as LlamaIndex chat messages (for a wrapped LlamaIndex LLM)."""
    return [ChatMessage(role=m.role, content=m.content) for m in messages]


def _usage_of(response: ChatResponse) -> Usage:
    """Token counts a LlamaIndex response reports (in ``raw["usage"]`` or the
    ``additional_kwargs``, as the Ollama and OpenAI-style integrations do); 0 if none."""
    raw = response.raw if isinstance(response.raw, dict) else {}
    usage = raw.get("usage") or {}
    usage = usage if isinstance(usage, dict) else getattr(usage, "__dict__", {})
    counts = {**response.additional_kwargs, **usage}
    return Usage(input_tokens=int(counts.get("prompt_tokens") or 0),
                 output_tokens=int(counts.get("completion_tokens") or 0))


def _label(side: Any) -> str:
    return side.metadata.model_name if isinstance(side, LLM) else side_label(side)


class LlamaIndexBackend:
    """Any LlamaIndex LLM as a ptmo backend (``chat``, ``stream``, ``achat``, ``astream``).

    Options the LLM has a field for (``temperature``, ``max_tokens`` in its own
    spelling, ``seed``) are set on a copy of it for the call; ``stop`` cuts the answer
    at the first stop string. Usage is per call: in the reply, or in the returned
    stream's ``usage``.
    """

    def __init__(self, llm: LLM) -> None:
        self.llm = llm
        self.name = _label(llm)
        self.provider = llm.class_name()

    def _reply(self, response: ChatResponse, stop: list[str] | None) -> BackendReply:
        text, _ = cut_at_stop(response.message.content or "", stop)
        return BackendReply(text=text, usage=_usage_of(response), model=self.name, provider=self.provider)

    def chat(self, messages: list[Message], **options: Any) -> BackendReply:
        """One answer from the wrapped LLM."""
        response = with_options(self.llm, options).chat(to_llamaindex_messages(messages))
        return self._reply(response, options.get("stop"))

    async def achat(self, messages: list[Message], **options: Any) -> BackendReply:
        """One answer from the wrapped LLM, asynchronously."""
        response = await with_options(self.llm, options).achat(to_llamaindex_messages(messages))
        return self._reply(response, options.get("stop"))

    def stream(self, messages: list[Message], **options: Any) -> TextStream:
        """The wrapped LLM's answer as text chunks, cut at a stop string; the stream's
        ``usage`` is set at its end."""
        llm = with_options(self.llm, options)
        return TextStream(self._stream(llm, to_llamaindex_messages(messages), options.get("stop")))

    @staticmethod
    def _stream(llm: LLM, messages: list[ChatMessage], stop: list[str] | None) -> Iterator[str | Usage]:
        cutter = StopCutter(stop)
        last = None
        for last in llm.stream_chat(messages):
            yield cutter.feed(last.delta or "")
            if cutter.stopped:
                break
        yield cutter.flush()
        yield _usage_of(last) if last is not None else Usage()

    def astream(self, messages: list[Message], **options: Any) -> AsyncTextStream:
        """The wrapped LLM's answer as text chunks, asynchronously (``usage`` as for :meth:`stream`)."""
        llm = with_options(self.llm, options)
        return AsyncTextStream(self._astream(llm, to_llamaindex_messages(messages), options.get("stop")))

    @staticmethod
    async def _astream(llm: LLM, messages: list[ChatMessage], stop: list[str] | None) -> AsyncIterator[str | Usage]:
        cutter = StopCutter(stop)
        last = None
        async for last in await llm.astream_chat(messages):
            yield cutter.feed(last.delta or "")
            if cutter.stopped:
                break
        yield cutter.flush()
        yield _usage_of(last) if last is not None else Usage()


class PrivacyRouterLLM(FunctionCallingLLM):
    """A LlamaIndex LLM that routes each call through a :class:`PrivacyRouter`.

    ``local`` and ``cloud`` are config strings (``"ollama:llama3.2:3b"``,
    ``"groq:llama-3.3-70b-versatile"``, ``"embedded"``), ptmo backends or LlamaIndex
    LLMs; or pass a ready ``router``. Without a ``conversation_id`` (field or call argument) every
    call gets a fresh mask map.
    """

    local: Any = Field(default="embedded", description="Local side: a config string, a backend or an LLM.")
    cloud: Any = Field(default="groq:llama-3.3-70b-versatile",
                       description="Cloud side: a config string, a backend or an LLM.")
    router: Any = Field(default=None, description="A ready PrivacyRouter (then local/cloud/config are unused).")
    config: str | None = Field(default=None, description="Path of a ptmo TOML config file.")
    policy: str | None = Field(default=None, description="Router policy by name.")
    router_settings: dict[str, Any] = Field(default_factory=dict,
                                            description="Any other ptmo Settings field.")
    conversation_id: str | None = Field(default=None, description="Conversation whose mask map is reused.")
    temperature: float | None = Field(default=None, description="Sampling temperature.")
    max_tokens: int | None = Field(default=None, description="Most tokens to generate.")
    timeout: float | None = Field(default=None, description="Per-request timeout in seconds.")
    context_window: int = Field(default=8192, description="Context window reported to LlamaIndex.")

    _lazy: LazyRouter = PrivateAttr()

    def model_post_init(self, context: Any, /) -> None:
        super().model_post_init(context)
        self._lazy = LazyRouter(self._build_router)

    def _build_router(self) -> PrivacyRouter:
        def backend(side: Any) -> Any:
            return LlamaIndexBackend(side) if isinstance(side, LLM) else side

        return build_router(local=backend(self.local), cloud=backend(self.cloud), config=self.config,
                            settings=self.router_settings, policy=self.policy, timeout=self.timeout)

    @classmethod
    def class_name(cls) -> str:
        return "PrivacyRouterLLM"

    @property
    def model_name(self) -> str:
        """``<local>+<cloud>``: the two models this router chooses between."""
        if self.router is not None:
            return f"{side_label(self.router.settings.local)}+{side_label(self.router.settings.cloud)}"
        return f"{_label(self.local)}+{_label(self.cloud)}"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=self.context_window, num_output=self.max_tokens or 256,
                           is_chat_model=True, is_function_calling_model=True, model_name=self.model_name)

    def get_router(self) -> PrivacyRouter:
        """The router behind this LLM, built on first use."""
        return self.router if self.router is not None else self._lazy.get()

    def _options(self, kwargs: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
        defaults = {"temperature": self.temperature, "max_tokens": self.max_tokens}
        conversation, options = split_options(kwargs, defaults, type(self).__name__, TOOL_OPTIONS)
        return conversation or self.conversation_id, options

    def _raw(self, reply: Any) -> dict[str, Any]:
        usage = reply.usage
        return {"model": answered_by(reply, self.model_name), "ptmo": plan_summary(reply),
                "usage": {"prompt_tokens": usage.input_tokens, "completion_tokens": usage.output_tokens,
                          "total_tokens": usage.total_tokens}}

    def _response(self, text: str, reply: Any | None, delta: str | None = None) -> ChatResponse:
        """An answer: its text, and once complete its tool calls (restored) and ``raw``."""
        blocks: list[Any] = [TextBlock(text=text)]
        if reply is not None:
            blocks += [ToolCallBlock(tool_call_id=c.id, tool_name=c.name, tool_kwargs=c.arguments)
                       for c in reply.tool_calls]
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks), delta=delta,
                            raw=self._raw(reply) if reply is not None else None)

    # -- function calling --------------------------------------------------------------
    def _prepare_chat_with_tools(self, tools: Sequence[BaseTool], user_msg: str | ChatMessage | None = None,
                                 chat_history: list[ChatMessage] | None = None, verbose: bool = False,
                                 allow_parallel_tool_calls: bool = False, tool_required: bool = False,
                                 tool_choice: str | dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        """``chat`` arguments for a turn with ``tools`` (OpenAI function definitions, sent
        as given); ``tool_choice``: ``"auto"``, ``"none"``, ``"required"`` or a tool's name."""
        messages = list(chat_history or [])
        if user_msg is not None:
            messages.append(ChatMessage(role=MessageRole.USER, content=user_msg) if isinstance(user_msg, str)
                            else user_msg)
        choice = tool_choice or ("required" if tool_required else None)
        if isinstance(choice, str) and choice not in ("auto", "none", "required"):
            choice = {"type": "function", "function": {"name": choice}}
        return {"messages": messages, "tools": [t.metadata.to_openai_tool() for t in tools],
                "tool_choice": choice, **kwargs}

    def get_tool_calls_from_response(self, response: ChatResponse, error_on_no_tool_call: bool = True,
                                     **kwargs: Any) -> list[ToolSelection]:
        """The tool calls of an answer (its ``ToolCallBlock`` blocks, arguments restored)."""
        calls = [ToolSelection(tool_id=b.tool_call_id or "", tool_name=b.tool_name,
                               tool_kwargs=parse_arguments(b.tool_kwargs, b.tool_name))
                 for b in response.message.blocks if isinstance(b, ToolCallBlock)]
        if not calls and error_on_no_tool_call:
            raise ValueError(f"expected at least one tool call, got {len(calls)}")
        return calls

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        prompt = to_router_messages(messages)
        conversation, options = self._options(kwargs)
        router = self.get_router()
        reply = router.invoke(prompt, conversation_id=conversation, **options)
        return self._response(reply.text, reply)

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        prompt = to_router_messages(messages)
        conversation, options = self._options(kwargs)
        router = self.get_router()
        reply = await router.ainvoke(prompt, conversation_id=conversation, **options)
        return self._response(reply.text, reply)

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        prompt = to_router_messages(messages)
        conversation, options = self._options(kwargs)
        router = self.get_router()

        def gen() -> ChatResponseGen:
            text = ""
            for piece in router.stream(prompt, conversation_id=conversation, **options):
                text += piece.text
                if piece.text or piece.reply is not None:
                    yield self._response(text, piece.reply, piece.text)

        return gen()

    @llm_chat_callback()
    async def astream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseAsyncGen:
        prompt = to_router_messages(messages)
        conversation, options = self._options(kwargs)
        router = self.get_router()

        async def gen() -> ChatResponseAsyncGen:
            text = ""
            async for piece in router.astream(prompt, conversation_id=conversation, **options):
                text += piece.text
                if piece.text or piece.reply is not None:
                    yield self._response(text, piece.reply, piece.text)

        return gen()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return chat_to_completion_decorator(self.chat)(prompt, **kwargs)

    @llm_completion_callback()
    async def acomplete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return await achat_to_completion_decorator(self.achat)(prompt, **kwargs)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        return stream_chat_to_completion_decorator(self.stream_chat)(prompt, **kwargs)

    @llm_completion_callback()
    async def astream_complete(self, prompt: str, formatted: bool = False,
                               **kwargs: Any) -> CompletionResponseAsyncGen:
        return await astream_chat_to_completion_decorator(self.astream_chat)(prompt, **kwargs)
