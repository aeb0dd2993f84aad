"""Ollama backend through the official ``ollama`` SDK.

The server is the SDK's: ``OLLAMA_HOST`` (default ``127.0.0.1:11434``) unless a host is
given. Errors become :class:`~ptmo_middleware.errors.BackendError` with a message that
says what to do (start the server, pull the model). Async calls use one client per
event loop; sync calls share one thread-safe client (per timeout).

Tools go to ``/api/chat`` as given (Ollama takes OpenAI's function definitions);
``response_format`` becomes Ollama's ``format`` (``"json"``, or the JSON schema);
``tool_choice`` has no Ollama equivalent and is left to the model. Ollama's tool calls
carry no id, so each gets one here.
"""
from __future__ import annotations

import os
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

from ..errors import BackendError
from ..tools import TOOL_OPTIONS, parse_arguments
from ..types import Message, ToolCall
from . import AsyncTextStream, BackendReply, PerLoop, TextStream, Usage, atranslated, check_options, translated

_EXTRA = frozenset({"num_ctx"}) | TOOL_OPTIONS


class OllamaBackend:
    """Chat with a model served by Ollama (local: the text may be the original)."""

    provider = "ollama"
    supports_tools = True

    def __init__(self, model: str, host: str | None = None, timeout: float | None = None) -> None:
        self.model = model
        self.name = f"ollama:{model}"
        self.host = host
        self.timeout = timeout
        self._clients: dict[tuple[bool, float | None], Any] = {}
        self._lock = threading.Lock()

    @property
    def where(self) -> str:
        """The server address, for messages."""
        return self.host or os.environ.get("OLLAMA_HOST") or "127.0.0.1:11434"

    def _client(self, asynchronous: bool, timeout: float | None) -> Any:
        """The sync client, or the running loop's async client, for ``timeout``."""
        import ollama

        key = (asynchronous, timeout or self.timeout)
        with self._lock:
            if key not in self._clients:
                if asynchronous:
                    self._clients[key] = PerLoop(lambda: ollama.AsyncClient(host=self.host, timeout=key[1]))
                else:
                    self._clients[key] = ollama.Client(host=self.host, timeout=key[1])
            client = self._clients[key]
        return client.get() if asynchronous else client

    def _request(self, messages: list[Message], options: dict[str, Any]) -> dict[str, Any]:
        opts = check_options(options, _EXTRA)
        model_options = {k: opts[k] for k in ("temperature", "stop", "seed", "num_ctx") if k in opts}
        if "max_tokens" in opts:
            model_options["num_predict"] = opts["max_tokens"]
        request: dict[str, Any] = {"model": self.model, "messages": _wire(messages), "options": model_options}
        if opts.get("tools"):
            request["tools"] = opts["tools"]
        fmt = _format(opts.get("response_format"))
        if fmt is not None:
            request["format"] = fmt
        return request

    def chat(self, messages: list[Message], **options: Any) -> BackendReply:
        """One complete answer."""
        with self._errors():
            r = self._client(False, options.get("timeout")).chat(**self._request(messages, options), stream=False)
        return self._reply(r)

    async def achat(self, messages: list[Message], **options: Any) -> BackendReply:
        """One complete answer, without blocking the event loop."""
        async with self._aerrors():
            r = await self._client(True, options.get("timeout")).chat(**self._request(messages, options),
                                                                      stream=False)
        return self._reply(r)

    def stream(self, messages: list[Message], **options: Any) -> TextStream:
        """The answer as it is generated (NDJSON chunks from the server); the stream's
        ``usage`` is set from the final chunk."""
        return TextStream(self._stream(self._request(messages, options), options.get("timeout")))

    def _stream(self, request: dict[str, Any], timeout: float | None) -> Iterator[str | Usage]:
        with self._errors():
            for part in self._client(False, timeout).chat(**request, stream=True):
                yield part.message.content or ""
                yield from _tool_calls(part.message)
                if part.done:
                    yield _usage(part)

    def astream(self, messages: list[Message], **options: Any) -> AsyncTextStream:
        """The answer as it is generated, asynchronously (``usage`` as for :meth:`stream`)."""
        return AsyncTextStream(self._astream(self._request(messages, options), options.get("timeout")))

    async def _astream(self, request: dict[str, Any], timeout: float | None) -> AsyncIterator[str | Usage]:
        async with self._aerrors():
            async for part in await self._client(True, timeout).chat(**request, stream=True):
                yield part.message.content or ""
                for call in _tool_calls(part.message):
                    yield call
                if part.done:
                    yield _usage(part)

    def list_models(self) -> list[str]:
        """Names of the models the server has (``/api/tags``)."""
        with self._errors():
            return [m.model for m in self._client(False, None).list().models]

    def _reply(self, r: Any) -> BackendReply:
        return BackendReply(text=r.message.content or "", usage=_usage(r), model=self.model,
                            provider=self.provider, tool_calls=_tool_calls(r.message))

    def _errors(self) -> Any:
        return translated(self._translate)

    def _aerrors(self) -> Any:
        return atranslated(self._translate)

    def _translate(self, exc: Exception) -> BackendError | None:
        """A clear :class:`BackendError` for a server or transport failure, else ``None``."""
        import httpx
        import ollama

        if isinstance(exc, ollama.ResponseError):
            if exc.status_code == 404:
                return BackendError(f"Ollama at {self.where} has no model {self.model!r} "
                                    f"(run: ollama pull {self.model}): {exc.error}")
            return BackendError(f"Ollama at {self.where} answered {exc.status_code}: {exc.error}")
        if isinstance(exc, (ConnectionError, httpx.TransportError)):
            return BackendError(f"cannot reach Ollama at {self.where} (is `ollama serve` running? "
                                f"OLLAMA_HOST sets the address): {type(exc).__name__}: {exc}")
        return None


def _wire(messages: list[Message]) -> list[dict[str, Any]]:
    """Messages in ``/api/chat``'s form: tool calls with their arguments as objects, a
    tool result with the name of the tool it answers."""
    names = {c.id: c.name for m in messages for c in m.tool_calls}
    out = []
    for m in messages:
        d: dict[str, Any] = {"role": m.role, "content": m.content}
        if m.tool_calls:
            d["tool_calls"] = [{"function": {"name": c.name, "arguments": c.arguments}} for c in m.tool_calls]
        if m.tool_call_id in names:
            d["tool_name"] = names[m.tool_call_id]
        out.append(d)
    return out


def _format(response_format: dict[str, Any] | None) -> str | dict[str, Any] | None:
    """Ollama's ``format`` for an OpenAI ``response_format``."""
    kind = (response_format or {}).get("type")
    if kind == "json_object":
        return "json"
    if kind == "json_schema":
        return dict(response_format["json_schema"]["schema"])  # type: ignore[index]
    return None


def _tool_calls(message: Any) -> list[ToolCall]:
    """The tool calls of an answer's message, each given an id."""
    return [ToolCall(f"call_{uuid.uuid4().hex[:24]}", c.function.name,
                     parse_arguments(c.function.arguments, c.function.name))
            for c in message.tool_calls or []]


def _usage(r: Any) -> Usage:
    return Usage(int(getattr(r, "prompt_eval_count", 0) or 0), int(getattr(r, "eval_count", 0) or 0))
