"""Model backends behind one small interface: chat, stream, and their async forms.

A backend is chosen by a spec string: ``"ollama:<model>"``, ``"groq:<model>"``,
``"embedded"`` (Gemma 3 270M in-process) or ``"embedded:<adapter dir>"`` (with a PEFT
adapter). Any object satisfying :class:`Backend` can be passed instead of a spec.

Generation options every backend accepts: ``temperature``, ``max_tokens``, ``stop``
(a list of strings), ``seed`` and ``timeout`` (seconds). Ollama also takes ``num_ctx``.

Usage is per call, never backend state: ``chat`` returns it in its
:class:`BackendReply`, and ``stream`` / ``astream`` return a :class:`TextStream` /
:class:`AsyncTextStream` whose ``usage`` is set once that stream is exhausted, so
concurrent calls on one backend object never read each other's token counts.

A backend that switches LoRA adapters per call on one loaded base model (``embedded``)
sets ``per_call_adapter = True`` and also accepts the option ``adapter``
(:data:`ADAPTER_OPTION`): the adapter(s) for that call alone. The router passes it to
such a backend only (never to the cloud), from its adapter store and the request's
principal.

A backend that takes tools sets ``supports_tools = True`` and also accepts the options
``tools``, ``tool_choice`` and ``response_format`` (OpenAI's forms,
:data:`~ptmo_middleware.tools.TOOL_OPTIONS`); the tool calls of its answer are in the
reply's ``tool_calls``, or in the stream's ``tool_calls`` once it is exhausted
(complete calls only: a backend's stream yields each :class:`ToolCall` whole).

A backend that sends a message's ``images`` on (``groq``) sets ``supports_images = True``;
the router gives images to no other.

A cloud backend that can answer with another model of its provider per call (``groq``)
sets ``per_call_model = True`` and also accepts the option ``model``
(:data:`MODEL_OPTION`): the model name for that call alone. The router passes it to
the cloud backend only (never to the local model).
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, runtime_checkable

from ..errors import BackendError, ConfigError
from ..types import Message, ToolCall

if TYPE_CHECKING:
    from ..config import Settings

#: Options every backend understands.
GENERATION_OPTIONS = frozenset({"temperature", "max_tokens", "stop", "seed", "timeout"})

#: The per-call adapter option of backends with ``per_call_adapter = True``.
ADAPTER_OPTION = "adapter"

#: The per-call model option of cloud backends with ``per_call_model = True``.
MODEL_OPTION = "model"


def supports_tools(backend: Any) -> bool:
    """Whether ``backend`` accepts tools and structured output (``supports_tools``)."""
    return getattr(backend, "supports_tools", False) is True


def takes_adapters(backend: Any) -> bool:
    """Whether ``backend`` accepts the per-call :data:`ADAPTER_OPTION`."""
    return getattr(backend, "per_call_adapter", False) is True


def supports_images(backend: Any) -> bool:
    """Whether ``backend`` sends a message's ``images`` on (``supports_images``)."""
    return getattr(backend, "supports_images", False) is True


def takes_model(backend: Any) -> bool:
    """Whether ``backend`` accepts the per-call :data:`MODEL_OPTION`."""
    return getattr(backend, "per_call_model", False) is True


def called_name(backend: Any, options: dict[str, Any]) -> str:
    """The name of the model a call with ``options`` reaches: ``<provider>:<model>`` when
    they hold a :data:`MODEL_OPTION`, else the backend's own name."""
    model = options.get(MODEL_OPTION)
    return f"{backend.provider}:{model}" if model else str(backend.name)


@dataclass(frozen=True)
class Usage:
    """Tokens read and written by one call (0 where a backend does not report them)."""

    input_tokens: int = 0
    output_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(self.input_tokens + other.input_tokens, self.output_tokens + other.output_tokens)


@dataclass(frozen=True)
class BackendReply:
    """A complete answer of one backend."""

    text: str
    usage: Usage
    model: str
    provider: str
    tool_calls: list[ToolCall] = field(default_factory=list)


class TextStream(Iterator[str]):
    """One streamed answer: iterates its text chunks; ``usage`` is the call's own usage,
    set once the stream is exhausted (``None`` before, or when the backend reported none).

    ``chunks`` is what a backend's generator yields: text, complete tool calls, and
    once (at its end) the call's :class:`Usage`; usage and tool calls are recorded
    here (``usage``, ``tool_calls``) instead of being passed on. Empty strings are
    skipped.
    """

    def __init__(self, chunks: Iterable[str | Usage | ToolCall]) -> None:
        self._chunks = iter(chunks)
        self.usage: Usage | None = None
        self.tool_calls: list[ToolCall] = []

    def __iter__(self) -> "TextStream":
        return self

    def __next__(self) -> str:
        while True:
            item = next(self._chunks)
            if isinstance(item, Usage):
                self.usage = item
            elif isinstance(item, ToolCall):
                self.tool_calls.append(item)
            elif item:
                return item

    def close(self) -> None:
        """Stop the underlying generator early (what leaving a ``for`` loop does to it)."""
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()


class AsyncTextStream(AsyncIterator[str]):
    """:class:`TextStream` for async iteration (``usage`` and ``tool_calls`` set once exhausted)."""

    def __init__(self, chunks: AsyncIterable[str | Usage | ToolCall]) -> None:
        self._chunks = chunks.__aiter__()
        self.usage: Usage | None = None
        self.tool_calls: list[ToolCall] = []

    def __aiter__(self) -> "AsyncTextStream":
        return self

    async def __anext__(self) -> str:
        while True:
            item = await self._chunks.__anext__()
            if isinstance(item, Usage):
                self.usage = item
            elif isinstance(item, ToolCall):
                self.tool_calls.append(item)
            elif item:
                return item

    async def aclose(self) -> None:
        """Stop the underlying async generator early."""
        aclose = getattr(self._chunks, "aclose", None)
        if aclose is not None:
            await aclose()


def usage_of(stream: Any) -> Usage:
    """The usage a finished stream reports: its ``usage`` attribute (a
    :class:`TextStream`), or nothing (``Usage()``) for a plain iterator."""
    usage = getattr(stream, "usage", None)
    return usage if isinstance(usage, Usage) else Usage()


def tool_calls_of(stream: Any) -> list[ToolCall]:
    """The tool calls a finished stream reports (none for a plain iterator)."""
    return list(getattr(stream, "tool_calls", None) or [])


@runtime_checkable
class Backend(Protocol):
    """What the router needs of a model.

    ``stream`` and ``astream`` return an iterator of text chunks; to report usage it
    should be a :class:`TextStream` / :class:`AsyncTextStream` (its ``usage``, set when
    exhausted, belongs to that call alone). A plain iterator works too and counts as
    no usage.
    """

    name: str
    provider: str

    def chat(self, messages: list[Message], **options: Any) -> BackendReply: ...

    def stream(self, messages: list[Message], **options: Any) -> Iterator[str]: ...

    async def achat(self, messages: list[Message], **options: Any) -> BackendReply: ...

    def astream(self, messages: list[Message], **options: Any) -> AsyncIterator[str]: ...


def check_options(options: dict[str, Any], extra: frozenset[str] = frozenset()) -> dict[str, Any]:
    """``options`` without ``None`` values; unknown names raise :class:`TypeError`."""
    unknown = set(options) - GENERATION_OPTIONS - extra
    if unknown:
        raise TypeError(f"unknown generation option(s) {sorted(unknown)}; "
                        f"use {', '.join(sorted(GENERATION_OPTIONS | extra))}")
    stop = options.get("stop")
    if isinstance(stop, str):
        options = {**options, "stop": [stop]}
    return {k: v for k, v in options.items() if v is not None}


def cut_at_stop(text: str, stop: list[str] | None) -> tuple[str, bool]:
    """``text`` up to the first stop string, and whether one was found."""
    cut = min((text.index(s) for s in stop or [] if s and s in text), default=-1)
    return (text, False) if cut < 0 else (text[:cut], True)


class StopCutter:
    """Cuts streamed text at the first stop string, which may be split across chunks.

    ``feed(chunk)`` returns what may be shown now: everything except a tail that could
    still grow into a stop string (the longest end of the text that is the start of
    one). Once a stop string is complete, ``stopped`` is true, what precedes it is
    returned and later chunks return nothing. ``flush()`` returns the held tail at the
    end of the stream. With ``strip``, the answer's leading whitespace and the
    whitespace before the stop (or the end) are dropped, as a transcript-prompted
    model's answer needs. What is released, joined, always equals cutting the whole
    text at once.
    """

    def __init__(self, stop: Iterable[str] | None, strip: bool = False) -> None:
        self.stop = [s for s in stop or [] if s]
        self.strip = strip
        self.stopped = False
        self._buffer = ""
        self._started = not strip

    def _held(self) -> int:
        """Length of the longest end of the buffer that is a proper start of a stop string."""
        longest = max((len(s) for s in self.stop), default=1) - 1
        for n in range(min(longest, len(self._buffer)), 0, -1):
            tail = self._buffer[-n:]
            if any(s.startswith(tail) for s in self.stop):
                return n
        return 0

    def feed(self, chunk: str) -> str:
        """What of the text so far may be shown now (``""`` once stopped)."""
        if self.stopped:
            return ""
        self._buffer += chunk
        if not self._started:  # an answer starts at its first visible character
            self._buffer = self._buffer.lstrip()
            self._started = bool(self._buffer)
        text, self.stopped = cut_at_stop(self._buffer, self.stop)
        if self.stopped:
            self._buffer = ""
            return text.rstrip() if self.strip else text
        release = len(self._buffer) - self._held()
        if self.strip:  # trailing whitespace may yet be the end of the answer: hold it
            release = len(self._buffer[:release].rstrip())
        out, self._buffer = self._buffer[:release], self._buffer[release:]
        return out

    def flush(self) -> str:
        """The held tail, at the end of the stream (no stop string came)."""
        out, self._buffer = self._buffer, ""
        return out.rstrip() if self.strip else out


T = TypeVar("T")


class PerLoop(Generic[T]):
    """One object per event loop, made by ``make`` on first use on each loop.

    An async SDK client holds connections bound to the loop it first ran on; using it
    from another loop, or after that loop closed, fails or hangs. Entries of closed loops
    are dropped. Thread-safe."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._by_loop: dict[asyncio.AbstractEventLoop, T] = {}
        self._lock = threading.Lock()

    def get(self) -> T:
        """The object of the running loop."""
        loop = asyncio.get_running_loop()
        with self._lock:
            obj = self._by_loop.get(loop)
            if obj is None:
                for closed in [lp for lp in self._by_loop if lp.is_closed()]:
                    del self._by_loop[closed]
                obj = self._by_loop[loop] = self._make()
            return obj


Translate = Callable[[Exception], BackendError | None]


@contextmanager
def translated(translate: Translate) -> Iterator[None]:
    """Re-raise an SDK's failure as the :class:`BackendError` ``translate`` makes of it
    (other exceptions pass unchanged)."""
    try:
        yield
    except Exception as exc:
        err = translate(exc)
        if err is None:
            raise
        raise err from exc


@asynccontextmanager
async def atranslated(translate: Translate) -> AsyncIterator[None]:
    """:func:`translated` for async code."""
    try:
        yield
    except Exception as exc:
        err = translate(exc)
        if err is None:
            raise
        raise err from exc


async def iterate_in_thread(make: Callable[[], Iterator[T]]) -> AsyncIterator[T]:
    """Run a blocking iterator in a worker thread and yield its items without blocking
    the event loop. Exceptions of the iterator are raised here."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
    stop = threading.Event()

    def work() -> None:
        try:
            for item in make():
                loop.call_soon_threadsafe(queue.put_nowait, ("item", item))
                if stop.is_set():
                    break
        except BaseException as exc:  # handed to the consumer, raised there
            loop.call_soon_threadsafe(queue.put_nowait, ("error", exc))
        else:
            loop.call_soon_threadsafe(queue.put_nowait, ("done", None))

    worker = threading.Thread(target=work, name="ptmo-backend-stream", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = await queue.get()
            if kind == "item":
                yield value
            elif kind == "error":
                raise value
            else:
                return
    finally:
        stop.set()


def resolve_backend(spec: "str | Backend", settings: "Settings | None") -> Backend:
    """A backend from a spec string, through the ``register_backends`` hook
    (``"ollama:<model>"``, ``"groq:<model>"``, ``"embedded"``, or a plugin's prefix), or
    the object itself when one is given."""
    if not isinstance(spec, str):
        if not isinstance(spec, Backend):
            raise ConfigError(f"{spec!r} is neither a backend spec string nor a Backend object")
        return spec
    from ..config import Settings
    from ..plugin_manager import get_backends

    kind, _, arg = spec.partition(":")
    factories = get_backends()
    factory = factories.get(kind.strip().lower())
    if factory is None:
        raise ConfigError(f"unknown backend {spec!r}; available: "
                          + ", ".join(f"'{name}:...'" for name in sorted(factories)))
    return factory(arg, settings or Settings())


__all__ = ["ADAPTER_OPTION", "AsyncTextStream", "Backend", "BackendReply", "GENERATION_OPTIONS", "MODEL_OPTION",
           "PerLoop", "StopCutter", "TextStream", "Usage", "atranslated", "called_name", "check_options", "cut_at_stop",
           "iterate_in_thread", "resolve_backend", "supports_images", "supports_tools", "takes_adapters", "takes_model",
           "tool_calls_of", "translated", "usage_of"]
