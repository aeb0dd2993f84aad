"""The user-history format the LoRA trainer learns from, its validator, and secret scrubbing.

A history file is JSON or JSONL (one record a line). A JSON file holds a list of records,
or an object ``{"conversations": [...]}`` / ``{"pairs": [...]}``. A record is either

* a **pair**: ``{"prompt": "...", "response": "...", "timestamp": "2025-03-01T09:30:00Z"}``
* a **conversation**: ``{"id": "c1", "messages": [{"role": "user", "content": "...",
  "timestamp": 1740821400}, {"role": "assistant", "content": "..."}, ...]}``

Roles are ``system``, ``user`` and ``assistant``. Timestamps are optional: ISO 8601 text or
Unix seconds, on the record or on a message. Every assistant message that follows a user
message becomes one training :class:`Turn` (the reply is what is learnt; earlier messages
of its conversation are context). Held-out turns are the latest ones by timestamp.

Before training, :func:`scrub_turns` classifies every message with our own classifier
(:meth:`PrivacyRouter.classify`) and masks (default) or removes every span at level
PRIVATE (passwords, keys, government IDs), so the adapter cannot memorise them.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Literal

from ptmo_middleware.errors import PtmoError
from ptmo_middleware.types import Message, SensitivityLevel, Span
from ptmo_middleware.vault import MaskVault

ROLES = ("system", "user", "assistant")
DEFAULT_MAX_HISTORY_BYTES = 512 * 1024 * 1024


class HistoryError(PtmoError, ValueError):
    """A history file is missing, empty, malformed or too large; the message says where."""


@dataclass(frozen=True)
class Turn:
    """One learnable exchange: ``context`` (earlier messages), the user's ``prompt``, the ``response``."""

    prompt: str
    response: str
    context: tuple[Message, ...] = ()
    timestamp: float | None = None
    conversation_id: str = ""

    def messages(self) -> list[Message]:
        """Context, prompt and response as chat messages."""
        return [*self.context, Message("user", self.prompt), Message("assistant", self.response)]


@dataclass
class ScrubReport:
    """What scrubbing did: how many spans of each entity type were masked or removed."""

    mode: str
    by_type: dict[str, int] = field(default_factory=dict)
    messages_changed: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_type.values())


def _parse_time(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise HistoryError(f"{where}: timestamp must be ISO 8601 text or Unix seconds, not {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise HistoryError(f"{where}: timestamp {value!r} is not ISO 8601") from None
        return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).timestamp()
    raise HistoryError(f"{where}: timestamp must be ISO 8601 text or Unix seconds, not {type(value).__name__}")


def _text(record: dict[str, Any], key: str, where: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise HistoryError(f"{where}: {key!r} must be a non-empty string")
    return value


def _pair_turn(record: dict[str, Any], where: str, index: int) -> Turn:
    return Turn(_text(record, "prompt", where), _text(record, "response", where),
                timestamp=_parse_time(record.get("timestamp"), where),
                conversation_id=str(record.get("id", f"pair-{index}")))


def _conversation_turns(record: dict[str, Any], where: str, index: int) -> list[Turn]:
    messages = record["messages"]
    if not isinstance(messages, list) or not messages:
        raise HistoryError(f"{where}: 'messages' must be a non-empty list")
    conv_id = str(record.get("id", f"conversation-{index}"))
    conv_time = _parse_time(record.get("timestamp"), where)
    turns: list[Turn] = []
    seen: list[Message] = []
    times: list[float | None] = []
    for j, msg in enumerate(messages):
        mwhere = f"{where}, message {j}"
        if not isinstance(msg, dict):
            raise HistoryError(f"{mwhere}: expected an object with 'role' and 'content'")
        role = msg.get("role")
        if role not in ROLES:
            raise HistoryError(f"{mwhere}: role {role!r} is not one of {', '.join(ROLES)}")
        content = _text(msg, "content", mwhere)
        times.append(_parse_time(msg.get("timestamp"), mwhere))
        if role == "assistant" and seen and seen[-1].role == "user":
            stamp = times[-1] if times[-1] is not None else times[-2] if times[-2] is not None else conv_time
            turns.append(Turn(seen[-1].content, content, tuple(seen[:-1]), stamp, conv_id))
        seen.append(Message(role, content))
    if not turns:
        raise HistoryError(f"{where}: no assistant reply follows a user message, nothing to learn")
    return turns


def _records(raw: Any, path: Path) -> list[Any]:
    if isinstance(raw, list):
        return raw
    if isinstance(raw, dict):
        for key in ("conversations", "pairs", "history"):
            if isinstance(raw.get(key), list):
                return raw[key]
        if "messages" in raw or "prompt" in raw:
            return [raw]
    raise HistoryError(f"{path}: expected a list of records or an object with a 'conversations' list")


def parse_records(records: Iterable[Any], source: str = "history") -> list[Turn]:
    """Validate records (pairs or conversations) and flatten them into turns."""
    turns: list[Turn] = []
    for i, record in enumerate(records):
        where = f"{source}: record {i}"
        if not isinstance(record, dict):
            raise HistoryError(f"{where}: expected an object, got {type(record).__name__}")
        if "messages" in record:
            turns.extend(_conversation_turns(record, where, i))
        elif "prompt" in record or "response" in record:
            turns.append(_pair_turn(record, where, i))
        else:
            raise HistoryError(f"{where}: needs 'messages' (a conversation) or 'prompt' and 'response' (a pair)")
    if not turns:
        raise HistoryError(f"{source}: the history holds no turns")
    return turns


def _available_memory() -> int | None:
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def load_history(path: str | os.PathLike[str], max_bytes: int | None = None) -> list[Turn]:
    """Read and validate a JSON/JSONL history file into turns.

    Raises :class:`HistoryError` for a missing, empty or malformed file, or one larger
    than ``max_bytes`` (default: 512 MiB, or an eighth of the free memory if less: parsing
    and tokenising take several times the file size).
    """
    p = Path(path)
    if not p.is_file():
        raise HistoryError(f"history file not found: {p}")
    size = p.stat().st_size
    if max_bytes is None:
        free = _available_memory()
        max_bytes = min(DEFAULT_MAX_HISTORY_BYTES, free // 8) if free else DEFAULT_MAX_HISTORY_BYTES
    if size > max_bytes:
        raise HistoryError(f"{p} is {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:.1f} MiB this "
                           "machine can train from; split it or pass a larger max_history_bytes")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise HistoryError(f"{p} is not UTF-8 text: {exc}") from None
    if not text.strip():
        raise HistoryError(f"{p} is empty")
    if p.suffix.lower() in (".jsonl", ".ndjson"):
        records = []
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise HistoryError(f"{p}, line {n}: not valid JSON ({exc.msg})") from None
    else:
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise HistoryError(f"{p}, line {exc.lineno}: not valid JSON ({exc.msg})") from None
        records = _records(raw, p)
    return parse_records(records, str(p))


def split_turns(turns: list[Turn], val_fraction: float) -> tuple[list[Turn], list[Turn]]:
    """Hold out the latest ``val_fraction`` of turns (by timestamp, else file order)."""
    if not 0.0 <= val_fraction < 1.0:
        raise ValueError("val_fraction must be in [0, 1)")
    order = sorted(range(len(turns)), key=lambda i: (turns[i].timestamp is None, turns[i].timestamp or 0.0, i))
    n_val = int(round(len(turns) * val_fraction))
    if val_fraction > 0 and len(turns) >= 2:
        n_val = max(1, n_val)
    n_train = len(turns) - n_val
    return [turns[i] for i in order[:n_train]], [turns[i] for i in order[n_train:]]


class Scrubber:
    """Masks or removes spans at or above ``min_level`` in history messages.

    ``classify`` is a text -> :class:`~ptmo_middleware.types.Classification` callable,
    by default :meth:`PrivacyRouter.classify` with the configured classifiers. One
    :class:`MaskVault` per conversation remembers scrubbed values, so a value keeps its
    placeholder across turns and is caught again where the classifier alone would miss it.
    """

    def __init__(self, classify: Any = None, mode: Literal["mask", "remove"] = "mask",
                 min_level: SensitivityLevel = SensitivityLevel.PRIVATE) -> None:
        if mode not in ("mask", "remove"):
            raise ValueError("scrub mode must be 'mask' or 'remove'")
        if classify is None:
            from ptmo_middleware.router import PrivacyRouter
            classify = PrivacyRouter().classify
        self.classify = classify
        self.mode = mode
        self.min_level = min_level

    def scrub_text(self, text: str, vault: MaskVault, report: ScrubReport) -> str:
        """``text`` with its sensitive spans masked (maskable ones) or cut out. Values
        already scrubbed earlier in the conversation are scrubbed wherever they recur."""
        spans = [s for s in self.classify(text).spans if s.level >= self.min_level]
        for value, etype in vault.known_values():
            spans.extend(Span(m.start(), m.end(), etype, self.min_level, 1.0, "history", m.group(0))
                         for m in re.finditer(re.escape(value), text, re.IGNORECASE))
        spans.sort(key=lambda s: (s.start, -s.end))
        if not spans:
            return text
        out: list[str] = []
        pos = 0
        for span in spans:
            if span.end <= pos:
                continue
            start = max(span.start, pos)
            out.append(text[pos:start])
            placeholder = vault.placeholder_for(text[start:span.end], span.entity_type)
            if self.mode == "mask" and span.maskable:
                out.append(placeholder)
            report.by_type[span.entity_type] = report.by_type.get(span.entity_type, 0) + 1
            pos = span.end
        out.append(text[pos:])
        report.messages_changed += 1
        return "".join(out)

    def scrub(self, turns: list[Turn]) -> tuple[list[Turn], ScrubReport]:
        """Scrub every message of every turn; turns left empty are dropped."""
        report = ScrubReport(self.mode)
        vaults: dict[str, MaskVault] = {}
        cache: dict[tuple[str, str], str] = {}

        def clean(conv: str, text: str) -> str:
            key = (conv, text)
            if key not in cache:
                cache[key] = self.scrub_text(text, vaults.setdefault(conv, MaskVault(conv)), report)
            return cache[key]

        out: list[Turn] = []
        for t in turns:
            c = t.conversation_id
            context = tuple(Message(m.role, clean(c, m.content)) for m in t.context)
            turn = replace(t, prompt=clean(c, t.prompt), response=clean(c, t.response), context=context)
            if turn.prompt.strip() and turn.response.strip():
                out.append(turn)
        return out, report


def scrub_turns(turns: list[Turn], classify: Any = None, mode: Literal["mask", "remove"] = "mask",
                min_level: SensitivityLevel = SensitivityLevel.PRIVATE) -> tuple[list[Turn], ScrubReport]:
    """Mask (or remove) the PRIVATE spans of every turn; see :class:`Scrubber`."""
    return Scrubber(classify, mode, min_level).scrub(turns)
