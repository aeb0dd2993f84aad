"""Reversible masking: per-conversation placeholder maps, and restoring (also on streams).

A :class:`MaskVault` belongs to one conversation. The same value always gets the same
placeholder (``[PERSON_1]``), so the cloud model can reason about "[PERSON_1]" across
turns; vaults are never shared between conversations.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Iterable, Iterator

from .types import Span

_TYPE_CLEAN = re.compile(r"[^A-Z0-9]+")


def _norm_value(value: str) -> str:
    return " ".join(value.casefold().split())


def _label(entity_type: str) -> str:
    return _TYPE_CLEAN.sub("_", entity_type.upper()).strip("_") or "ENTITY"


class MaskVault:
    """Placeholder <-> original map of one conversation. Thread-safe."""

    def __init__(self, conversation_id: str = "default") -> None:
        self.conversation_id = conversation_id
        self._lock = threading.Lock()
        self._by_value: dict[tuple[str, str], str] = {}
        self._originals: dict[str, str] = {}
        self._types: dict[str, str] = {}
        self._counters: dict[str, int] = {}
        self._pattern: re.Pattern[str] | None = None

    def __len__(self) -> int:
        return len(self._originals)

    @property
    def mapping(self) -> dict[str, str]:
        """Placeholder -> original value (a copy)."""
        with self._lock:
            return dict(self._originals)

    def known_values(self) -> list[tuple[str, str]]:
        """(original value, entity type) of everything masked so far in this conversation."""
        with self._lock:
            return [(orig, self._types[ph]) for ph, orig in self._originals.items()]

    def placeholder_for(self, value: str, entity_type: str) -> str:
        """The placeholder of ``value``; the same value always gets the same one."""
        label = _label(entity_type)
        key = (label, _norm_value(value))
        with self._lock:
            ph = self._by_value.get(key)
            if ph is None:
                n = self._counters.get(label, 0) + 1
                self._counters[label] = n
                ph = f"[{label}_{n}]"
                self._by_value[key] = ph
                self._originals[ph] = value
                self._types[ph] = label
                self._pattern = None
            return ph

    def mask(self, text: str, spans: Iterable[Span]) -> str:
        """``text`` with every maskable span replaced by its placeholder.
        Offsets are relative to ``text``; overlapping spans must already be merged."""
        out: list[str] = []
        pos = 0
        for span in sorted((s for s in spans if s.maskable), key=lambda s: s.start):
            if span.start < pos:
                continue
            value = text[span.start:span.end]
            out.append(text[pos:span.start])
            out.append(self.placeholder_for(value, span.entity_type))
            pos = span.end
        out.append(text[pos:])
        return "".join(out)

    def _regex(self) -> re.Pattern[str] | None:
        with self._lock:
            if self._pattern is None and self._types:
                labels = sorted({t for t in self._types.values()}, key=len, reverse=True)
                words = "|".join(r"[\s_-]?".join(map(re.escape, lab.split("_"))) for lab in labels)
                # Tolerates case changes, spaces or dashes for underscores, other brackets
                # or none, and markdown emphasis around the placeholder.
                self._pattern = re.compile(
                    rf"[\[\(\{{<]?\s*\**\b({words})[\s_-]?(\d+)\b\**\s*[\]\)\}}>]?", re.IGNORECASE)
            return self._pattern

    def restore(self, text: str) -> str:
        """Put the original values back wherever a placeholder (or a near variant) occurs."""
        pattern = self._regex()
        if pattern is None or not text:
            return text
        originals = self._originals

        def sub(m: re.Match[str]) -> str:
            label = _TYPE_CLEAN.sub("_", m.group(1).upper())
            ph = f"[{label}_{int(m.group(2))}]"
            return originals.get(ph, m.group(0))

        return pattern.sub(sub, text)

    @property
    def max_placeholder_len(self) -> int:
        """Length of the longest placeholder issued, plus slack for variants."""
        with self._lock:
            longest = max((len(p) for p in self._originals), default=0)
        return longest + 8 if longest else 0

    def restore_stream(self, chunks: Iterable[str]) -> Iterator[str]:
        """Restore placeholders in a stream of text chunks.

        A placeholder split across chunks is never shown half-masked: the stream holds
        back at most the longest placeholder's length, and only while the tail could
        still grow into a placeholder.
        """
        pattern = self._regex()
        if pattern is None:
            yield from chunks
            return
        hold = self.max_placeholder_len
        buf = ""
        for chunk in chunks:
            buf += chunk
            cut = self._safe_cut(buf, hold)
            if cut:
                yield self.restore(buf[:cut])
                buf = buf[cut:]
        if buf:
            yield self.restore(buf)

    def _safe_cut(self, buf: str, hold: int) -> int:
        """Index up to which ``buf`` can be restored and emitted now."""
        start = max(0, len(buf) - hold)
        candidates = [i for i in range(start, len(buf)) if buf[i] in "[({<*" or buf[i].isalpha()]
        pattern = self._regex()
        assert pattern is not None
        for i in candidates:
            tail = buf[i:]
            if i > 0 and tail[0].isalpha() and buf[i - 1].isalnum():
                continue  # a placeholder word starts at a word boundary
            # A complete match that ends before the buffer end is safe to emit as is;
            # a match touching the end could still grow (e.g. "[PERSON_1" + "2]").
            m = pattern.match(buf, i)
            if m and m.end() < len(buf):
                continue
            if self._could_be_placeholder_prefix(tail):
                return i
        return len(buf)

    def _could_be_placeholder_prefix(self, tail: str) -> bool:
        t = tail.lstrip("[({<* ").upper().replace(" ", "_").replace("-", "_")
        if not t:
            return True
        for ph in self._originals:
            label = ph[1:-1]
            if label.startswith(t) or t.startswith(label.rsplit("_", 1)[0]) and _is_num_tail(t, label):
                return True
        return False


def _is_num_tail(t: str, label: str) -> bool:
    base = label.rsplit("_", 1)[0]
    rest = t[len(base):].lstrip("_")
    rest = rest.rstrip("]})>* ")
    return rest == "" or rest.isdigit()


class VaultRegistry:
    """Vaults by conversation id, bounded (least recently used are dropped)."""

    def __init__(self, max_conversations: int = 10_000) -> None:
        self._vaults: OrderedDict[str, MaskVault] = OrderedDict()
        self._lock = threading.Lock()
        self.max_conversations = max_conversations

    def get(self, conversation_id: str) -> MaskVault:
        with self._lock:
            vault = self._vaults.get(conversation_id)
            if vault is None:
                vault = MaskVault(conversation_id)
                self._vaults[conversation_id] = vault
                while len(self._vaults) > self.max_conversations:
                    self._vaults.popitem(last=False)
            else:
                self._vaults.move_to_end(conversation_id)
            return vault

    def drop(self, conversation_id: str) -> None:
        with self._lock:
            self._vaults.pop(conversation_id, None)

    def __len__(self) -> int:
        return len(self._vaults)
