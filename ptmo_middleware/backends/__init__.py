"""Model backends behind one small interface: chat, stream, and their async forms.

A backend is chosen by a spec string: ``"ollama:<model>"``, ``"groq:<model>"``,
``"embedded"`` (Gemma 3 270M in-process) or ``"embedded:<adapter dir>"`` (with a PEFT
adapter). Any object satisfying :class:`Backend` can be passed instead of a spec.

Generation options every backend accepts: ``temperature``, ``max_tokens``, ``stop``
(a list of strings), ``seed`` and ``timeout`` (seconds). Ollama also takes ``num_ctx``.
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from ..errors import BackendError, ConfigError
from ..types import Message

if TYPE_CHECKING:
    from ..config import Settings

#: Options every backend understands.
GENERATION_OPTIONS = frozenset({"temperature", "max_tokens", "stop", "seed", "timeout"})


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


@runtime_checkable
class Backend(Protocol):
    """What the router needs of a model. ``stream`` sets ``last_usage`` once exhausted."""

    name: str
    provider: str
    last_usage: Usage | None

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


T = TypeVar("T")

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


def resolve_backend(spec: "str | Backend", settings: "Settings") -> Backend:
    """A backend from a spec string (or the object itself when one is given)."""
    if not isinstance(spec, str):
        if not isinstance(spec, Backend):
            raise ConfigError(f"{spec!r} is neither a backend spec string nor a Backend object")
        return spec
    kind, _, arg = spec.partition(":")
    kind = kind.strip().lower()
    if kind == "ollama":
        from .ollama import OllamaBackend

        return OllamaBackend(_model(arg, spec), timeout=settings.backend_timeout_s)
    if kind == "groq":
        from .groq import GroqBackend

        return GroqBackend(_model(arg, spec), api_key=settings.groq_api_key,
                           timeout=settings.backend_timeout_s, max_retries=settings.cloud_max_retries)
    if kind == "embedded":
        from .embedded import EmbeddedBackend

        return EmbeddedBackend(adapter=arg or None)
    raise ConfigError(f"unknown backend {spec!r}; use 'ollama:<model>', 'groq:<model>' or 'embedded'")


def _model(arg: str, spec: str) -> str:
    if not arg.strip():
        raise ConfigError(f"backend {spec!r} names no model, e.g. 'ollama:llama3.2:3b'")
    return arg.strip()


__all__ = ["Backend", "BackendReply", "Usage", "GENERATION_OPTIONS", "check_options", "cut_at_stop",
           "iterate_in_thread", "resolve_backend", "translated", "atranslated"]
