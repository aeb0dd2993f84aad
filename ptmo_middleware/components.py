"""Protocols the plugin components satisfy, and the context objects they receive."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Protocol, runtime_checkable

from .types import Classification, Part, Plan, Route, Span

if TYPE_CHECKING:
    from .config import Settings
    from .vault import MaskVault


@dataclass
class ClassifyContext:
    """What a classifier may know beyond the text itself."""

    settings: "Settings"
    conversation_id: str = "default"
    role: str = "user"


@dataclass
class RouteRequest:
    """What a router policy sees: the classification, the settings and the budget."""

    classification: Classification
    settings: "Settings"
    budget_remaining: float | None = None
    budget_epsilon: float | None = None
    features: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    """A policy may append short lines on why it chose the routes (numbers and counts,
    never a value of the prompt); they become ``plan.reasons`` (``ptmo plan --why``)."""


@dataclass
class Answers:
    """Raw answers of the backends to one plan (``None`` where a side was not called)."""

    local: str | None = None
    cloud: str | None = None
    local_backend: Any = None
    """The local model, for aggregators that write with it (``local-refine``)."""
    options: dict[str, Any] = field(default_factory=dict)
    """Generation options of the request, for such aggregators."""
    extra_usage: list[Any] = field(default_factory=list)
    """Usage of calls an aggregator made itself (it appends; the reply adds them up)."""
    emit: Callable[[str], None] | None = None
    """Set by the executor while streaming (else ``None``): an aggregator that writes
    text itself (``local-refine``) may pass each piece of its reply's text here as it is
    produced, in order, so the stream shows it token by token. What it emits continues
    the streamed text and must be a prefix of what ``aggregate`` returns; the rest of
    that text follows as one chunk."""


@runtime_checkable
class Classifier(Protocol):
    name: str

    def classify(self, text: str, context: ClassifyContext) -> list[Span]: ...


@runtime_checkable
class Decomposer(Protocol):
    name: str

    def decompose(self, text: str, spans: list[Span], vault: "MaskVault") -> list[Part]: ...


@runtime_checkable
class RouterPolicy(Protocol):
    name: str

    def route(self, parts: list[Part], request: RouteRequest) -> list[Route]: ...


@runtime_checkable
class Aggregator(Protocol):
    """Makes the reply from the backends' answers. Two methods, one for each way a
    reply is produced:

    - ``aggregate`` returns the whole reply (``invoke``; and, for ``stream``, the
      reply the streamed text must be a prefix of);
    - ``stream_restorer`` is the only streaming method: the executor feeds it the
      cloud's chunks as they arrive (sync and async streams alike) and shows what it
      releases. What it releases, joined, must be a prefix of ``aggregate``'s text for
      the same answers; the executor sends the rest of that text after the stream.
    """

    name: str

    def aggregate(self, plan: Plan, answers: Answers, vault: "MaskVault") -> str: ...

    def stream_restorer(self, plan: Plan, vault: "MaskVault") -> "ChunkRestorer": ...


class ChunkRestorer(Protocol):
    """Takes a stream's chunks one by one; returns what may be shown now."""

    def feed(self, chunk: str) -> str: ...

    def flush(self) -> str: ...
