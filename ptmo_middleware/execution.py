"""Executing a plan: call the local and cloud backends, aggregate, restore.

One :class:`Execution` answers one planned request. Its rules (the invariants in docs/architecture.md):

- The cloud receives ``plan.cloud_messages`` and nothing else, and only through the
  router's :class:`~ptmo_middleware.egress.Egress` (budget charged, every body audited).
- The local model sees the original text (it runs on the device): the whole request
  when nothing leaves the device, else the text of the parts kept local.
- When both sides are needed they run concurrently, but the cloud call starts only once
  the local model has produced its first token (or finished): a local model that is down
  raises :class:`LocalBackendUnavailable` and nothing is sent to the cloud.
- A cloud failure (after the egress's retries), or a budget that refuses the charge,
  answers the cloud's parts locally from their original text, flags the reply, puts the
  backend's message in ``reply.cloud_error`` and logs it (logger
  ``ptmo_middleware.execution``); ``cloud_fallback = "error"`` raises
  :class:`CloudBackendUnavailable` instead. A budget
  store that fails at the charge (:class:`BudgetStoreError`) sends nothing either: the
  cloud's parts are answered locally, flagged ``budget_store_failed_answered_locally``.
- With an adapter store configured and a local backend that switches adapters per call,
  every local generation of the request (its local parts, a cloud fallback, a refining
  aggregator) uses the adapter(s) the request's principal resolves to, passed as the
  call's ``adapter`` option; the cloud's calls never carry it.
- A request that has not finished within ``request_timeout_s`` (planning included)
  raises :class:`RequestTimeout`.
- A request that asks for tools or structured output (``tools``, ``tool_choice``,
  ``response_format``) is answered by one side, which gets those options (the router
  never splits it): the cloud's text and tool calls come back with their placeholders
  restored (in a JSON answer, escaped for JSON strings), the local model's as they
  are; no aggregator is involved. A side that cannot take tools raises
  :class:`ToolsUnsupported` before it is called, so nothing is sent in its place.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .backends import (ADAPTER_OPTION, MODEL_OPTION, Backend, Usage, called_name, supports_images, supports_tools,
                       tool_calls_of, usage_of)
from .components import Answers, ChunkRestorer
from .errors import (BudgetExhausted, BudgetStoreError, CloudBackendUnavailable, ImagesUnsupported,
                     LocalBackendUnavailable, PluginError, RequestTimeout, ToolsUnsupported)
from .tools import asks_for_tools, json_escape, restore_tool_calls
from .types import Message, Part, Plan, ToolCall

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from .config import Settings
    from .egress import Egress
    from .personalization.adapters import Resolution
    from .vault import MaskVault


class Host(Protocol):
    """What an execution draws on (the router provides it): its settings, the two
    backends (built on first use), the one door to the cloud, the aggregator, and the
    adapter lookup for a principal."""

    settings: "Settings"

    @property
    def local_backend(self) -> Backend: ...

    @property
    def cloud_backend(self) -> Backend: ...

    @property
    def egress(self) -> "Egress": ...

    @property
    def aggregator(self) -> Any: ...

    def adapter_for(self, principal: str) -> "Resolution | None": ...

#: Flags a reply may carry.
FLAG_CLOUD_FAILED = "cloud_failed_fell_back_to_local"
FLAG_BUDGET_REFUSED = "budget_refused_answered_locally"
FLAG_BUDGET_STORE_FAILED = "budget_store_failed_answered_locally"
FLAG_NO_ADAPTER = "no_adapter_for_principal"
"""An adapter store is configured but holds nothing for the request's principal, its
groups or everyone: the local model answered without a per-principal adapter
(``backends["local_adapter"]`` says with what)."""
FLAG_WITHHELD = "placeholders_withheld_where_fetched"
"""Some placeholders stayed masked in the answer because a client would fetch them there
(a URL, a link or image target, an HTML tag, a download command): see
:mod:`ptmo_middleware.fetchable` and ``Settings.restore_withheld_in``."""


@dataclass
class Reply:
    """The answer to one request, with what was decided and what it cost."""

    text: str
    plan: Plan
    usage: Usage = field(default_factory=Usage)
    timings_ms: dict[str, float] = field(default_factory=dict)
    """Per stage: classify, decompose, route (planning), local, cloud, aggregate, total."""
    backends: dict[str, str] = field(default_factory=dict)
    """``{"local": name, "cloud": name}`` for the sides that were called; with an adapter
    store, ``"local_adapter"``: the adapter (or weighted mix) the local model used, or
    ``"base"``."""
    flags: list[str] = field(default_factory=list)
    left_device: bool = False
    """Whether any body was handed to the cloud backend (``plan.cloud_messages`` says what
    a body holds; the audit log has one record per body). A body whose connection failed
    counts too: whether it reached the provider cannot be known."""
    cloud_error: str | None = None
    """The cloud backend's message when it failed and the reply was answered locally."""
    tool_calls: list[ToolCall] = field(default_factory=list)
    """The tools the model asked to call, with the real values in their arguments."""


@dataclass
class ReplyChunk:
    """A piece of a streamed answer; the last one carries the full :class:`Reply`."""

    text: str
    reply: Reply | None = None


def local_messages(plan: Plan, parts: list[Part]) -> list[Message]:
    """What the local model is asked: the original history, then the whole last message
    when ``parts`` are all of it, else the original text of ``parts``."""
    last = plan.messages[-1]
    content = last.content if len(parts) == len(plan.parts) else " ".join(p.text for p in parts)
    return plan.messages[:-1] + [Message(last.role, content)]


class Execution:
    """Answers one plan with its host's backends and aggregator (async core)."""

    def __init__(self, host: Host, plan: Plan, vault: "MaskVault", options: dict[str, Any],
                 started: float) -> None:
        self.host = host
        self.plan = plan
        self.options = options
        self.started = started
        self.deadline = started + host.settings.request_timeout_s
        self.vault = vault
        self.bodies_sent = 0
        self.cloud_error: str | None = None
        self.aggregator = host.aggregator
        self.usage = Usage()
        self.timings: dict[str, float] = dict(plan.timings_ms)
        self.backends: dict[str, str] = {}
        self.flags: list[str] = []
        self.needs_cloud = bool(plan.cloud_messages)
        self.needs_local = bool(plan.local_parts) or not self.needs_cloud
        self.local_options, self.local_adapter = self._adapter_options(options)
        self.tools = asks_for_tools(options)
        self.tool_calls: list[ToolCall] = []
        json_answer = (options.get("response_format") or {}).get("type") in ("json_object", "json_schema")
        self.escape = json_escape if json_answer else None

    def _adapter_options(self, options: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        """The local calls' options (with the principal's adapter when one resolves; never
        the cloud's per-call model) and the name to report for it (``None``: no adapter
        store in use)."""
        options = {k: v for k, v in options.items() if k != MODEL_OPTION}
        resolution = self.host.adapter_for(self.plan.principal)
        if resolution is None:
            return options, None
        if resolution.adapters:
            return {**options, ADAPTER_OPTION: resolution}, resolution.key
        own = getattr(self.host.local_backend, "adapter", None)
        return options, str(own) if own else "base"

    def _timed_out(self) -> RequestTimeout:
        return RequestTimeout(f"the request did not complete within {self.host.settings.request_timeout_s:g} s "
                              "(request_timeout_s); it was cancelled")

    def _sent(self) -> None:
        self.bodies_sent += 1

    # -- complete answers -------------------------------------------------------------
    async def run(self) -> Reply:
        """Call what the plan needs, aggregate, and return the reply (within the deadline)."""
        try:
            return await asyncio.wait_for(self._run(), max(0.0, self.deadline - time.perf_counter()))
        except asyncio.TimeoutError:
            raise self._timed_out() from None

    async def _run(self) -> Reply:
        answers = Answers(local_backend=self.host.local_backend, options=self.local_options)
        if not self.needs_cloud:
            answers.local = await self._local(local_messages(self.plan, self.plan.parts))
        else:
            local = await self._start_local() if self.needs_local else None
            try:
                answers.cloud = await self._cloud()
                answers.local = await local if local is not None else None
            finally:
                _cancel(local)
        if self.tools:
            text = (answers.local or "") if answers.cloud is None else self._restore(answers.cloud)
            return self._reply(text, answers)
        t0 = time.perf_counter()
        text = await asyncio.to_thread(self.aggregator.aggregate, self.plan, answers, self.vault)
        self.timings["aggregate"] = _ms(t0)
        return self._reply(text, answers)

    async def _start_local(self) -> "asyncio.Task[str]":
        """Start the local parts' answer; return once the local model has produced its
        first token (or finished). Raises :class:`LocalBackendUnavailable`, before
        anything can leave the device, when it fails first."""
        gate = asyncio.Event()
        local = asyncio.create_task(self._local(local_messages(self.plan, self.plan.local_parts), gate))
        await gate.wait()
        if local.done() and local.exception() is not None:
            await local
        return local

    async def _local(self, messages: list[Message], gate: asyncio.Event | None = None) -> str:
        """The local model's whole answer; its first token (or its end) opens ``gate``."""
        try:
            return "".join([piece async for piece in self._local_stream(messages, gate)])
        finally:
            if gate is not None:
                gate.set()

    async def _local_stream(self, messages: list[Message], gate: asyncio.Event | None = None) -> AsyncIterator[str]:
        """The local model's answer as it is generated."""
        backend = self.host.local_backend
        self._check_tools(backend, "local")
        t0 = time.perf_counter()
        stream = None
        try:
            stream = backend.astream(messages, **self.local_options)
            async for piece in stream:
                if gate is not None:
                    gate.set()
                yield piece
        except Exception as exc:
            raise LocalBackendUnavailable(
                f"the local model {backend.name} failed: {exc}. Nothing was sent to the cloud in its place."
            ) from exc
        finally:
            self.timings["local"] = self.timings.get("local", 0.0) + _ms(t0)
        self.tool_calls = tool_calls_of(stream)
        self._count("local", backend, usage_of(stream))

    async def _cloud(self) -> str:
        """The cloud's answer to ``plan.cloud_messages``, or the local fallback."""
        cloud = self.host.cloud_backend
        self._check_tools(cloud, "cloud")
        self._check_images(cloud)
        t0 = time.perf_counter()
        try:
            reply = await self.host.egress.chat(self.plan, self.options, self._sent)
        except Exception as exc:
            return await self._fallback(exc)
        finally:
            self.timings["cloud"] = _ms(t0)
        self._count("cloud", cloud, reply.usage)
        self.tool_calls = restore_tool_calls(reply.tool_calls, self.vault, self.plan.placeholders)
        return reply.text

    async def _fallback(self, exc: Exception) -> str:
        """Answer the cloud's parts on the device after ``exc``, or re-raise per settings
        (and always for a request with images, which no local model here can see)."""
        if any(m.images for m in self.plan.messages):
            raise ImagesUnsupported(f"the cloud model {self.host.cloud_backend.name} could not answer ({exc}), and "
                                    "this request carries images, which no local model here can see") from exc
        if isinstance(exc, BudgetExhausted):
            self.flags.append(FLAG_BUDGET_REFUSED)
        elif isinstance(exc, BudgetStoreError):  # fail closed: nothing was charged, nothing left
            self.flags.append(FLAG_BUDGET_STORE_FAILED)
        elif self.host.settings.cloud_fallback == "error":
            raise CloudBackendUnavailable(f"the cloud model {self.host.cloud_backend.name} failed: {exc}") from exc
        else:
            self.flags.append(FLAG_CLOUD_FAILED)
            self.cloud_error = f"{type(exc).__name__}: {exc}"
            logger.warning("the cloud model %s failed; its part is answered on this device: %s",
                           self.host.cloud_backend.name, self.cloud_error)
        return await self._local(local_messages(self.plan, self.plan.cloud_parts))

    # -- streams ----------------------------------------------------------------------
    async def stream(self) -> AsyncIterator[ReplyChunk]:
        """The answer as it arrives: the cloud's stream restored live, then what the
        aggregator adds (the local section, or a refined answer); a last chunk with the
        reply. Each chunk must come before the request's deadline."""
        chunks = self._stream().__aiter__()
        try:
            while True:
                try:
                    chunk = await asyncio.wait_for(chunks.__anext__(), max(0.0, self.deadline - time.perf_counter()))
                except StopAsyncIteration:
                    return
                except asyncio.TimeoutError:
                    raise self._timed_out() from None
                yield chunk
        finally:
            await chunks.aclose()

    async def _stream(self) -> AsyncIterator[ReplyChunk]:
        if not self.needs_cloud:
            pieces: list[str] = []
            async for piece in self._local_stream(local_messages(self.plan, self.plan.parts)):
                pieces.append(piece)
                yield ReplyChunk(piece)
            text = "".join(pieces)
            yield ReplyChunk("", self._reply(text, Answers(local=text)))
            return
        answers = Answers(local_backend=self.host.local_backend, options=self.local_options)
        local = await self._start_local() if self.needs_local else None
        shown: list[str] = []
        try:
            restorer = (self.vault.stream_restorer(self.plan.placeholders, self.escape) if self.tools
                        else self._stream_restorer())
            async for piece in self._cloud_stream(answers):
                shown.append(restorer.feed(piece))
                if shown[-1]:
                    yield ReplyChunk(shown[-1])
            shown.append(restorer.flush())
            if shown[-1]:
                yield ReplyChunk(shown[-1])
            answers.local = await local if local is not None else None
        finally:
            _cancel(local)
        if self.tools:
            yield ReplyChunk("", self._reply("".join(shown), answers))
            return
        t0 = time.perf_counter()
        result: list[str] = []
        async for piece in self._aggregate_emitting(answers, result):
            shown.append(piece)
            yield ReplyChunk(piece)
        text = result[0]
        self.timings["aggregate"] = _ms(t0)
        streamed = "".join(shown)
        if not text.startswith(streamed):
            raise PluginError(f"aggregator {self.aggregator.name!r} streamed text that its aggregate() "
                              "does not start with")
        if text[len(streamed):]:
            yield ReplyChunk(text[len(streamed):])
        yield ReplyChunk("", self._reply(text, answers))

    async def _aggregate_emitting(self, answers: Answers, result: list[str]) -> AsyncIterator[str]:
        """Run ``aggregate`` in a worker thread, yielding the pieces it passes to
        ``answers.emit`` as they come (a refined answer, token by token); its text is
        appended to ``result``."""
        loop = asyncio.get_running_loop()
        pieces: asyncio.Queue[str | None] = asyncio.Queue()

        def put(piece: str | None) -> None:
            try:
                loop.call_soon_threadsafe(pieces.put_nowait, piece)
            except RuntimeError:  # the loop is gone: the consumer left the stream
                pass

        def emit(piece: str) -> None:
            if piece:
                put(piece)

        def work() -> str:
            try:
                return self.aggregator.aggregate(self.plan, answers, self.vault)
            finally:
                put(None)

        answers.emit = emit
        task = asyncio.ensure_future(asyncio.to_thread(work))
        try:
            while (piece := await pieces.get()) is not None:
                yield piece
            result.append(await task)
        finally:
            answers.emit = None

    def _stream_restorer(self) -> ChunkRestorer:
        """The aggregator's restorer for the cloud's stream (its one streaming method)."""
        make = getattr(self.aggregator, "stream_restorer", None)
        if not callable(make):
            raise PluginError(f"aggregator {self.aggregator.name!r} cannot stream: it has no "
                              "stream_restorer(plan, vault) (see the Aggregator protocol in docs/plugins.md)")
        return make(self.plan, self.vault)

    async def _cloud_stream(self, answers: Answers) -> AsyncIterator[str]:
        """Raw cloud pieces (recorded in ``answers.cloud``); on a failure before the
        first piece, the local fallback's answer as one piece."""
        cloud = self.host.cloud_backend
        self._check_tools(cloud, "cloud")
        self._check_images(cloud)
        t0 = time.perf_counter()
        pieces: list[str] = []
        try:
            stream = self.host.egress.stream(self.plan, self.options, self._sent)
            async for piece in stream:
                pieces.append(piece)
                yield piece
        except Exception as exc:
            if pieces:  # part of the answer is already shown: no silent switch of model
                raise CloudBackendUnavailable(f"the cloud model {cloud.name} failed mid-answer: {exc}") from exc
            self.timings["cloud"] = _ms(t0)
            answers.cloud = await self._fallback(exc)
            yield answers.cloud
            return
        self.timings["cloud"] = _ms(t0)
        answers.cloud = "".join(pieces)
        self.tool_calls = restore_tool_calls(tool_calls_of(stream), self.vault, self.plan.placeholders)
        self._count("cloud", cloud, usage_of(stream))

    # -- tools ------------------------------------------------------------------------
    def _check_images(self, cloud: Backend) -> None:
        """Refuse, before it is called, a cloud backend that would drop the request's images."""
        if any(m.images for m in self.plan.cloud_messages) and not supports_images(cloud):
            raise ImagesUnsupported(f"this request carries images and the cloud model {cloud.name} cannot take "
                                    "them. Nothing was sent to the cloud.")

    def _check_tools(self, backend: Backend, side: str) -> None:
        """Refuse, before it is called, a backend that cannot take the request's tools."""
        if self.tools and not supports_tools(backend):
            raise ToolsUnsupported(
                f"the request asks for tools or structured output and is answered by the {side} model "
                f"{backend.name}, which cannot take them (an Ollama or Groq backend can); nothing was sent "
                "to the cloud in its place")

    def _restore(self, text: str) -> str:
        """The cloud's text with the plan's placeholders restored (escaped in JSON)."""
        return self.vault.restore(text, only=self.plan.placeholders, escape=self.escape)

    # -- bookkeeping ------------------------------------------------------------------
    def _count(self, side: str, backend: Backend, usage: Usage) -> None:
        """Record that ``backend`` answered on ``side`` with this call's own ``usage``
        (from its reply, or from the stream it returned: never backend state)."""
        self.backends[side] = called_name(backend, self.options) if side == "cloud" else backend.name
        self.usage = self.usage + usage
        if side == "local":
            self._note_adapter()

    def _note_adapter(self) -> None:
        """Say which adapter the local model used (when an adapter store is in use)."""
        if self.local_adapter is None or "local_adapter" in self.backends:
            return
        self.backends["local_adapter"] = self.local_adapter
        if ADAPTER_OPTION not in self.local_options:
            self.flags.append(FLAG_NO_ADAPTER)

    def _reply(self, text: str, answers: Answers) -> Reply:
        usage = sum(answers.extra_usage, self.usage)
        if answers.extra_usage:
            self.backends.setdefault("local", self.host.local_backend.name)
            self._note_adapter()
        if self.plan.placeholders and self.vault.withheld(text, self.plan.placeholders):
            self.flags.append(FLAG_WITHHELD)
        self.timings["total"] = _ms(self.started)
        return Reply(text=text, plan=self.plan, usage=usage, timings_ms=self.timings,
                     backends=dict(self.backends), flags=list(self.flags), left_device=self.bodies_sent > 0,
                     cloud_error=self.cloud_error, tool_calls=list(self.tool_calls))


def _cancel(task: "asyncio.Task[Any] | None") -> None:
    if task is not None and not task.done():
        task.cancel()


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1e3
