"""Core value types: sensitivity levels, spans, classifications, parts, routes and plans."""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from typing import Any, Literal


class SensitivityLevel(IntEnum):
    """How sensitive a span or a request is; ordered, so ``max`` gives the strongest."""

    PUBLIC = 0
    SEMI_SENSITIVE = 1
    PRIVATE = 2

    @classmethod
    def parse(cls, value: "str | int | SensitivityLevel") -> "SensitivityLevel":
        """Accept a member, its value, or a name such as ``"private"`` / ``"semi-sensitive"``."""
        if isinstance(value, cls):
            return value
        if isinstance(value, int):
            return cls(value)
        key = str(value).strip().upper().replace("-", "_").replace(" ", "_")
        try:
            return cls[key]
        except KeyError:
            raise ValueError(
                f"unknown sensitivity level {value!r}; use one of "
                + ", ".join(m.name.lower().replace("_", "-") for m in cls)
            ) from None


class Route(str, Enum):
    """Where a part (or a whole request) goes.

    A part is ``LOCAL`` or ``CLOUD``; ``MASKED`` is a cloud part whose sensitive spans are
    replaced by placeholders. A whole plan is ``LOCAL``, ``CLOUD`` (the raw prompt leaves)
    or ``HYBRID`` (something stays on the device: a local part or a masked span).
    """

    LOCAL = "local"
    CLOUD = "cloud"
    MASKED = "masked"
    HYBRID = "hybrid"

    @property
    def leaves_device(self) -> bool:
        return self in (Route.CLOUD, Route.MASKED)


@dataclass(frozen=True)
class Span:
    """A detected sensitive region of a text: ``text[start:end]``.

    ``maskable`` spans are units a placeholder can stand in for (a name, a key);
    non-maskable spans mark a passage whose topic is sensitive (a diagnosis sentence):
    they cannot be hidden by a placeholder, only kept local.
    """

    start: int
    end: int
    entity_type: str
    level: SensitivityLevel
    score: float
    source: str
    text: str = ""
    maskable: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span offsets {self.start}..{self.end}")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"span score {self.score} outside [0, 1]")

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def shifted(self, offset: int) -> "Span":
        """The same span with offsets moved by ``offset`` (for parts of a text)."""
        return Span(self.start + offset, self.end + offset, self.entity_type, self.level,
                    self.score, self.source, self.text, self.maskable)

    def to_dict(self, include_text: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "start": self.start, "end": self.end, "type": self.entity_type,
            "level": self.level.name, "score": round(self.score, 4), "source": self.source,
            "maskable": self.maskable,
        }
        if include_text:
            d["text"] = self.text
        return d


@dataclass
class Classification:
    """The verdict on one text: its level, a score in [0, 1] and the spans behind it."""

    level: SensitivityLevel
    score: float
    spans: list[Span] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """Names of classifiers that raised or timed out (the request is then PRIVATE)."""

    @property
    def entity_types(self) -> list[str]:
        return sorted({s.entity_type for s in self.spans})


@dataclass
class Part:
    """A piece of the prompt with its own level and route.

    ``payload`` is the exact text that would leave the device for this part: the raw
    text for ``CLOUD``, the placeholder text for ``MASKED``, ``None`` for ``LOCAL``.
    """

    text: str
    start: int
    level: SensitivityLevel
    maskable: bool
    spans: list[Span] = field(default_factory=list)
    masked_text: str = ""
    route: Route = Route.LOCAL
    payload: str | None = None

    def to_dict(self, include_text: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "start": self.start, "level": self.level.name, "maskable": self.maskable,
            "route": self.route.value, "payload": self.payload,
            "span_types": sorted({s.entity_type for s in self.spans}),
        }
        if include_text:
            d["text"] = self.text
        return d


Role = Literal["system", "user", "assistant", "tool"]


@dataclass(frozen=True)
class ToolCall:
    """A call of a tool that a model asked for: its id, the tool's name and the
    arguments (parsed JSON)."""

    id: str
    name: str
    arguments: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "arguments": self.arguments}


@dataclass
class Message:
    """A chat message as the router sees it: its text, and for tool use the calls an
    assistant message made (``tool_calls``) or the call a tool result answers
    (``tool_call_id``).

    ``images`` are inline images (``data:image/...;base64,...`` URLs) attached by a
    caller that opted in: they cannot be classified, so they go to the cloud as they
    are, with the message's masked text, or the request fails
    (:class:`~ptmo_middleware.errors.ImagesUnsupported`)."""

    role: str
    content: str
    tool_calls: list[ToolCall] = field(default_factory=list)
    tool_call_id: str | None = None
    images: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.tool_calls:
            d["tool_calls"] = [c.to_dict() for c in self.tool_calls]
        if self.tool_call_id is not None:
            d["tool_call_id"] = self.tool_call_id
        if self.images:
            d["images"] = list(self.images)
        return d


def messages_hash(messages: "list[Message]") -> str:
    """SHA-256 of chat messages (role and content of each, in order, and the tool calls
    or tool call id, and the images, of those that have them)."""
    h = hashlib.sha256()
    for m in messages:
        h.update(m.role.encode() + b"\0" + m.content.encode("utf-8", "surrogatepass") + b"\0")
        if m.tool_calls or m.tool_call_id is not None or m.images:
            extra = {k: v for k, v in m.to_dict().items() if k in ("tool_calls", "tool_call_id", "images")}
            h.update(json.dumps(extra, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


@dataclass
class Plan:
    """Everything decided about one request before any model is called.

    ``cloud_messages`` is exactly what the cloud backend would receive (``[]`` when
    nothing leaves the device); ``cloud_payloads`` lists their texts.
    """

    messages: list[Message]
    classification: Classification
    decomposer: str
    policy: str
    parts: list[Part]
    route: Route
    cloud_messages: list[Message]
    placeholders: dict[str, str]
    conversation_id: str
    principal: str = "default"
    budget_cost: float = 0.0
    notes: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    """Why the policy chose the routes, in its own words (no values of the prompt)."""
    timings_ms: dict[str, float] = field(default_factory=dict)
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    """Unique per plan: the privacy budget charges a request id at most once."""

    @property
    def level(self) -> SensitivityLevel:
        return self.classification.level

    @property
    def spans(self) -> list[Span]:
        return self.classification.spans

    @property
    def text(self) -> str:
        """The request's last message: the one being answered."""
        return self.messages[-1].content if self.messages else ""

    @property
    def cloud_payloads(self) -> list[str]:
        return [m.content for m in self.cloud_messages]

    @property
    def local_parts(self) -> list[Part]:
        return [p for p in self.parts if p.route is Route.LOCAL]

    @property
    def cloud_parts(self) -> list[Part]:
        return [p for p in self.parts if p.route.leaves_device]

    def payload_hash(self) -> str:
        """SHA-256 of what leaves the device (for audit logs: never the text itself)."""
        return messages_hash(self.cloud_messages)

    def to_dict(self, include_text: bool = True) -> dict[str, Any]:
        """JSON-ready form. ``include_text=False`` drops every raw text of the prompt
        (spans, parts, placeholders' originals), keeping what leaves the device."""
        d: dict[str, Any] = {
            "level": self.level.name,
            "score": round(self.classification.score, 4),
            "route": self.route.value,
            "decomposer": self.decomposer,
            "policy": self.policy,
            "conversation_id": self.conversation_id,
            "principal": self.principal,
            "cloud_payloads": self.cloud_payloads,
            "cloud_messages": [m.to_dict() for m in self.cloud_messages],
            "spans": [s.to_dict(include_text) for s in self.spans],
            "parts": [p.to_dict(include_text) for p in self.parts],
            "budget_cost": round(self.budget_cost, 6),
            "failed_classifiers": list(self.classification.failed),
            "notes": list(self.notes),
            "reasons": list(self.reasons),
            "timings_ms": {k: round(v, 3) for k, v in self.timings_ms.items()},
        }
        if include_text:
            d["placeholders"] = dict(self.placeholders)
        return d
