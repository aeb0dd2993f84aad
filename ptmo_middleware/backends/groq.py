"""Groq backend (the cloud) through the official ``groq`` SDK.

The API key comes from the settings (a ``SecretStr``) or ``GROQ_API_KEY``; the base URL
from ``base_url`` or the SDK's ``GROQ_BASE_URL``. The SDK retries nothing unless
``max_retries`` says so: behind a router, each cloud attempt is made by the router's
egress, which budgets and audits every body it sends. Failures that a retry may cure
(408, 409, 429, 5xx, connection errors and timeouts) are :class:`BackendError` with
``retryable`` set and the server's ``retry-after``. The key is never put in a message,
a log line or a repr. Async calls use one client per event loop. The per-call option
``model`` asks another Groq model for that call. Tools, ``tool_choice``
and ``response_format`` are passed as OpenAI's Chat Completions API takes them; the
tool calls of a streamed answer are assembled from their deltas and reported whole.
"""
from __future__ import annotations

import json
import os
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

from pydantic import SecretStr

from ..errors import BackendError
from ..tools import TOOL_OPTIONS, parse_arguments
from ..types import Message, ToolCall
from . import (MODEL_OPTION, AsyncTextStream, BackendReply, PerLoop, TextStream, Usage, atranslated, check_options,
               translated)

#: Statuses a retry may cure (the SDK's own list).
RETRYABLE_STATUSES = frozenset({408, 409, 429})


class GroqBackend:
    """Chat with a Groq-hosted model over its OpenAI-compatible API."""

    provider = "groq"
    supports_tools = True
    supports_images = True
    per_call_model = True

    def __init__(self, model: str, api_key: SecretStr | str | None = None, base_url: str | None = None,
                 timeout: float | None = None, max_retries: int = 0) -> None:
        self.model = model
        self.name = f"groq:{model}"
        self._api_key = SecretStr(api_key) if isinstance(api_key, str) else api_key
        self.base_url = base_url
        self.timeout = timeout
        self.max_retries = max_retries
        self._sync_client: Any = None
        self._sync_lock = threading.Lock()
        self._async_clients: PerLoop[Any] = PerLoop(lambda: self._make_client(True))

    def __repr__(self) -> str:
        return f"GroqBackend(model={self.model!r}, base_url={self.base_url!r})"

    def _key(self) -> str:
        key = self._api_key.get_secret_value() if self._api_key else os.environ.get("GROQ_API_KEY", "")
        if not key:
            raise BackendError("no Groq API key: set GROQ_API_KEY or groq_api_key in the config")
        return key

    def check_ready(self) -> None:
        """Raise :class:`BackendError` when no call can be made (no API key), before
        anything is charged or sent."""
        self._key()

    def _make_client(self, asynchronous: bool) -> Any:
        import groq

        options: dict[str, Any] = dict(api_key=self._key(), base_url=self.base_url, timeout=self.timeout,
                                       max_retries=self.max_retries)
        if not asynchronous:
            return groq.Groq(**options)
        # The SDK's own async HTTP client schedules its close on whatever loop runs when it
        # is collected, which fails for one made on a loop that has closed since.
        return groq.AsyncGroq(**options, http_client=groq.DefaultAsyncHttpxClient())

    def _client(self, asynchronous: bool) -> Any:
        """The sync client (one, thread-safe), or the running loop's async client."""
        if asynchronous:
            return self._async_clients.get()
        with self._sync_lock:
            if self._sync_client is None:
                self._sync_client = self._make_client(False)
            return self._sync_client

    def _request(self, messages: list[Message], options: dict[str, Any]) -> dict[str, Any]:
        opts = check_options(options, TOOL_OPTIONS | {MODEL_OPTION})
        body: dict[str, Any] = {"model": opts.get(MODEL_OPTION) or self.model, "messages": [_wire(m) for m in messages]}
        body.update({k: opts[k] for k in ("temperature", "max_tokens", "stop", "seed", "timeout") if k in opts})
        body.update({k: opts[k] for k in sorted(TOOL_OPTIONS) if opts.get(k)})
        return body

    def chat(self, messages: list[Message], **options: Any) -> BackendReply:
        """One complete answer."""
        request = self._request(messages, options)
        with translated(self._translate):
            r = self._client(False).chat.completions.create(**request)
        return self._reply(r)

    async def achat(self, messages: list[Message], **options: Any) -> BackendReply:
        """One complete answer, without blocking the event loop."""
        request = self._request(messages, options)
        async with atranslated(self._translate):
            r = await self._client(True).chat.completions.create(**request)
        return self._reply(r)

    def stream(self, messages: list[Message], **options: Any) -> TextStream:
        """The answer as server-sent events arrive; the stream's ``usage`` is set from
        the usage the last event carries."""
        return TextStream(self._stream(self._request(messages, options)))

    def _stream(self, request: dict[str, Any]) -> Iterator[str | Usage]:
        with translated(self._translate):
            chunks = 0
            calls = _ToolCallDeltas()
            for chunk in self._client(False).chat.completions.create(**request, stream=True):
                chunks += 1
                calls.add(chunk)
                yield from _take(chunk)
            _check_stream_had_events(chunks)
            yield from calls.complete()

    def astream(self, messages: list[Message], **options: Any) -> AsyncTextStream:
        """The answer as server-sent events arrive, asynchronously (``usage`` as for :meth:`stream`)."""
        return AsyncTextStream(self._astream(self._request(messages, options)))

    async def _astream(self, request: dict[str, Any]) -> AsyncIterator[str | Usage]:
        async with atranslated(self._translate):
            chunks = 0
            calls = _ToolCallDeltas()
            async for chunk in await self._client(True).chat.completions.create(**request, stream=True):
                chunks += 1
                calls.add(chunk)
                for item in _take(chunk):
                    yield item
            _check_stream_had_events(chunks)
            for call in calls.complete():
                yield call

    def _reply(self, r: Any) -> BackendReply:
        u = r.usage
        usage = Usage(u.prompt_tokens or 0, u.completion_tokens or 0) if u else Usage()
        message = r.choices[0].message
        calls = [ToolCall(c.id, c.function.name, parse_arguments(c.function.arguments, c.function.name))
                 for c in message.tool_calls or []]
        return BackendReply(text=message.content or "", usage=usage, model=r.model or self.model,
                            provider=self.provider, tool_calls=calls)

    def _translate(self, exc: Exception) -> BackendError | None:
        """A clear :class:`BackendError` for an API or transport failure, else ``None``."""
        import groq

        where = self.base_url or os.environ.get("GROQ_BASE_URL") or "api.groq.com"
        if isinstance(exc, groq.APIStatusError):
            status = exc.status_code
            hint = {401: " (check GROQ_API_KEY)", 429: " (rate limited)"}.get(status, "")
            return BackendError(f"Groq at {where} answered {status}{hint}: {_error_message(exc)}",
                                retryable=status in RETRYABLE_STATUSES or status >= 500,
                                retry_after=_retry_after(exc.response.headers))
        if isinstance(exc, groq.APIError):  # connection errors and timeouts
            return BackendError(f"cannot reach Groq at {where}: {type(exc).__name__}", retryable=True)
        return None


def _wire(m: Message) -> dict[str, Any]:
    """A message in the Chat Completions form (tool calls' arguments as JSON text; with
    images, the content as a text part and ``image_url`` parts)."""
    content: Any = m.content
    if m.images:
        content = ([{"type": "text", "text": m.content}] if m.content else []) + [
            {"type": "image_url", "image_url": {"url": url}} for url in m.images]
    d: dict[str, Any] = {"role": m.role, "content": content}
    if m.tool_calls:
        d["tool_calls"] = [{"id": c.id, "type": "function",
                            "function": {"name": c.name, "arguments": json.dumps(c.arguments, ensure_ascii=False)}}
                           for c in m.tool_calls]
    if m.tool_call_id is not None:
        d["tool_call_id"] = m.tool_call_id
    return d


class _ToolCallDeltas:
    """Assembles the tool calls of a streamed answer from their deltas (by index:
    the id and name come first, the arguments' JSON text in pieces)."""

    def __init__(self) -> None:
        self._calls: dict[int, dict[str, str]] = {}

    def add(self, chunk: Any) -> None:
        for choice in chunk.choices:
            for delta in choice.delta.tool_calls or []:
                call = self._calls.setdefault(delta.index, {"id": "", "name": "", "arguments": ""})
                call["id"] = delta.id or call["id"]
                function = delta.function
                if function is not None:
                    call["name"] = function.name or call["name"]
                    call["arguments"] += function.arguments or ""

    def complete(self) -> list[ToolCall]:
        return [ToolCall(c["id"], c["name"], parse_arguments(c["arguments"], c["name"]))
                for _, c in sorted(self._calls.items())]


def _retry_after(headers: Any) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``retry-after`` (seconds), if given."""
    for name, scale in (("retry-after-ms", 1e-3), ("retry-after", 1.0)):
        try:
            return max(0.0, float(headers.get(name)) * scale)
        except (TypeError, ValueError):
            continue
    return None


def _take(chunk: Any) -> list[str | Usage]:
    """The text of one stream chunk, then the usage when the chunk carries it (the last
    one does, in ``x_groq``)."""
    items: list[str | Usage] = ["".join(c.delta.content or "" for c in chunk.choices)]
    usage = getattr(getattr(chunk, "x_groq", None), "usage", None) or getattr(chunk, "usage", None)
    if usage is not None:
        items.append(Usage(usage.prompt_tokens or 0, usage.completion_tokens or 0))
    return items


def _check_stream_had_events(chunks: int) -> None:
    """A 200 answer whose body holds no server-sent event is not an (empty) answer."""
    if not chunks:
        raise BackendError("Groq's streamed answer held no event (not server-sent events?)")


def _error_message(exc: Any) -> str:
    body = exc.body if isinstance(getattr(exc, "body", None), dict) else {}
    err = body.get("error", body)
    return str(err.get("message") if isinstance(err, dict) else err or exc.message)[:300]
