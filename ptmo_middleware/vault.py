"""Reversible masking: per-conversation placeholder maps, and restoring (also on streams).

A :class:`MaskVault` belongs to one conversation. The same value always gets the same
placeholder (``[PERSON_1]``), so the cloud model can reason about "[PERSON_1]" across
turns; vaults are never shared between conversations. With a :class:`PlaceholderLedger`
(a shared store, see :mod:`ptmo_middleware.vaultstore`) a conversation's map outlives
the process and is the same in every replica that uses the store. Restoring writes
values only where the user reads them: a placeholder where a client would fetch (a URL,
a markdown link or image target, an HTML tag, a download command; see
:mod:`ptmo_middleware.fetchable`) stays masked.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection
from typing import Container, Iterable, Iterator, Protocol

import regex

from .fetchable import CONTEXTS, LOOKBACK, fetch_context
from .types import Span

_TYPE_CLEAN = re.compile(r"[^A-Z0-9]+")


def _norm_value(value: str) -> str:
    return " ".join(value.casefold().split())


def _label(entity_type: str) -> str:
    return _TYPE_CLEAN.sub("_", entity_type.upper()).strip("_") or "ENTITY"


def _placeholder_regex(labels: set[str], digits: int | None = None) -> regex.Pattern[str]:
    """A placeholder of one of ``labels`` (numbers of at most ``digits`` digits),
    tolerating a model's case changes, a space or dash for an underscore, and other
    brackets or none; a bracket is taken only with its partner (at most one space
    inside), so the surrounding text is kept."""
    ordered = sorted(labels, key=len, reverse=True)
    words = "|".join(r"[\s_-]?".join(map(regex.escape, lab.split("_"))) for lab in ordered)
    number = rf"\d{{1,{digits}}}" if digits else r"\d+"
    core = rf"(?<!\w)(?P<label>{words})[\s_-]?(?P<num>{number})\b"
    return regex.compile(rf"(?:(?P<open>[\[\(\{{<])\s?)?{core}(?(open)\s?[\]\)\}}>])",
                         regex.IGNORECASE | regex.VERSION0)


def _canonical(m: regex.Match[str]) -> str:
    """The canonical placeholder (``[PERSON_1]``) a match of :func:`_placeholder_regex` stands for."""
    return f"[{_TYPE_CLEAN.sub('_', m.group('label').upper())}_{int(m.group('num'))}]"


class PlaceholderLedger(Protocol):
    """Keeps conversations' placeholders outside the process (shared by replicas)."""

    def load(self, conversation_id: str) -> list[tuple[str, str]]:
        """(placeholder, original value) of everything masked so far in the conversation."""
        ...

    def claim(self, conversation_id: str, label: str, value_key: str, value: str,
              avoid: Collection[int]) -> tuple[str, str]:
        """The placeholder of the value whose normalised form is ``value_key``, and the
        original stored with it: the one already recorded (by any replica), else a new
        ``[LABEL_n]`` whose ``n`` is not in ``avoid``, recorded atomically."""
        ...

    def drop(self, conversation_id: str) -> None:
        """Forget the conversation."""
        ...

    def ping(self) -> None:
        """Raise when the store cannot be reached."""
        ...


class MaskVault:
    """Placeholder <-> original map of one conversation. Thread-safe. ``withhold``: the
    :data:`~ptmo_middleware.fetchable.CONTEXTS` where placeholders are not restored;
    ``ledger``: the shared store new placeholders are claimed in (the map starts as the
    ledger holds it)."""

    def __init__(self, conversation_id: str = "default", withhold: Collection[str] = CONTEXTS,
                 ledger: PlaceholderLedger | None = None) -> None:
        self.conversation_id = conversation_id
        self.withhold = tuple(withhold)
        self._ledger = ledger
        self._lock = threading.Lock()
        self._by_value: dict[tuple[str, str], str] = {}
        self._originals: dict[str, str] = {}
        self._types: dict[str, str] = {}
        self._counters: dict[str, int] = {}
        self._pattern: regex.Pattern[str] | None = None
        for placeholder, value in ledger.load(conversation_id) if ledger is not None else ():
            self._record(placeholder, value)

    def _record(self, placeholder: str, value: str) -> None:
        """Add ``placeholder`` (``[LABEL_n]``) for ``value`` (the lock held, or not yet shared)."""
        label, _, number = placeholder[1:-1].rpartition("_")
        self._by_value[(label, _norm_value(value))] = placeholder
        self._originals[placeholder] = value
        self._types[placeholder] = label
        self._counters[label] = max(self._counters.get(label, 0), int(number))
        self._pattern = None

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

    def placeholder_for(self, value: str, entity_type: str, avoid: Collection[str] = ()) -> str:
        """The placeholder of ``value``; the same value always gets the same one. A new
        one skips the placeholders in ``avoid`` (those the text already contains)."""
        label = _label(entity_type)
        key = (label, _norm_value(value))
        with self._lock:
            ph = self._by_value.get(key)
            if ph is None and self._ledger is not None:
                numbers = {int(a[len(label) + 2:-1]) for a in avoid
                           if a.startswith(f"[{label}_") and a[len(label) + 2:-1].isdigit()}
                ph, value = self._ledger.claim(self.conversation_id, label, key[1], value, numbers)
                self._record(ph, value)
            elif ph is None:
                n = self._counters.get(label, 0) + 1
                while f"[{label}_{n}]" in avoid:
                    n += 1
                ph = f"[{label}_{n}]"
                self._record(ph, value)
            return ph

    def mask(self, text: str, spans: Iterable[Span]) -> str:
        """``text`` with every maskable span replaced by its placeholder.
        Offsets are relative to ``text``; overlapping spans must already be merged.
        Text that already looks like a placeholder (``person 1``) keeps its number out
        of use, so that restoring never rewrites what the user typed."""
        spans = sorted((s for s in spans if s.maskable), key=lambda s: s.start)
        if not spans:
            return text
        with self._lock:
            labels = {_label(s.entity_type) for s in spans} | set(self._types.values())
        taken = {_canonical(m) for m in _placeholder_regex(labels).finditer(text)}
        out: list[str] = []
        pos = 0
        for span in spans:
            if span.start < pos:
                continue
            value = text[span.start:span.end]
            out.append(text[pos:span.start])
            out.append(self.placeholder_for(value, span.entity_type, taken))
            pos = span.end
        out.append(text[pos:])
        return "".join(out)

    def _regex(self) -> regex.Pattern[str] | None:
        with self._lock:
            if self._pattern is None and self._types:
                digits = max(len(str(n)) for n in self._counters.values())
                self._pattern = _placeholder_regex(set(self._types.values()), digits)
            return self._pattern

    def restore(self, text: str, pos: int = 0, only: Container[str] | None = None,
                escape: Callable[[str], str] | None = None) -> str:
        """Put the original values back wherever a placeholder (or a near variant) occurs
        at or after ``pos`` (the text before it is context, returned unchanged), except
        where a client would fetch it (``withhold``). With ``only``, just those
        placeholders are restored (e.g. the ones a cloud call carried: a model that
        invents another one gets no original value out of it). ``escape`` writes each
        value as the text around it needs (inside a JSON string, say)."""
        pattern = self._regex()
        if pattern is None or not text:
            return text
        originals = self.mapping
        if only is not None:
            originals = {ph: v for ph, v in originals.items() if ph in only}

        def sub(m: regex.Match[str]) -> str:
            original = originals.get(_canonical(m))
            if original is None or (self.withhold and fetch_context(text, m.start(), self.withhold)):
                return m.group(0)
            return original if escape is None else escape(original)

        return pattern.sub(sub, text, pos=pos)

    def withheld(self, text: str, only: Container[str]) -> list[str]:
        """The placeholders of ``only`` that ``text`` (a restored answer) still holds:
        those left masked where a client would fetch them."""
        pattern = self._regex()
        if pattern is None:
            return []
        return sorted({c for m in pattern.finditer(text) if (c := _canonical(m)) in only})

    @property
    def max_placeholder_len(self) -> int:
        """The longest text a placeholder variant can take: the longest placeholder plus
        the two spaces a model may put inside its brackets (0 when nothing is masked)."""
        with self._lock:
            longest = max((len(p) for p in self._originals), default=0)
        return longest + 2 if longest else 0

    def stream_restorer(self, only: Container[str] | None = None,
                        escape: Callable[[str], str] | None = None) -> "StreamRestorer":
        """A fresh :class:`StreamRestorer` over this vault (for sync or async streams);
        ``only`` and ``escape`` as in :meth:`restore`."""
        return StreamRestorer(self, only, escape)

    def restore_stream(self, chunks: Iterable[str], only: Container[str] | None = None) -> Iterator[str]:
        """Restore placeholders in a stream of text chunks (see :class:`StreamRestorer`)."""
        restorer = self.stream_restorer(only)
        for chunk in chunks:
            out = restorer.feed(chunk)
            if out:
                yield out
        tail = restorer.flush()
        if tail:
            yield tail


class StreamRestorer:
    """Restores placeholders in text that arrives in pieces.

    ``feed`` returns what can be shown now; it holds back only a tail that could still
    become (or grow into) a placeholder, never more than
    :attr:`MaskVault.max_placeholder_len` characters, so a placeholder split across
    chunks is never shown half-masked. The concatenated output equals
    ``vault.restore`` of the whole text.
    """

    def __init__(self, vault: MaskVault, only: Container[str] | None = None,
                 escape: Callable[[str], str] | None = None) -> None:
        self._vault = vault
        self._only = only
        self._escape = escape
        self._buf = ""
        self._before = ""  # the end of what was released: context for boundaries and withholding

    @property
    def held(self) -> int:
        """Characters received but not yet released."""
        return len(self._buf)

    def feed(self, chunk: str) -> str:
        """Take the next chunk; return the restored text that is safe to show."""
        self._buf += chunk
        pattern = self._vault._regex()
        text = self._before + self._buf
        if pattern is None:
            return self._release(text, len(text))
        return self._release(text, self._safe_cut(pattern, text, len(self._before)))

    def flush(self) -> str:
        """The end of the stream: release and restore what is held."""
        text = self._before + self._buf
        return self._release(text, len(text))

    def _release(self, text: str, cut: int) -> str:
        """Restore ``text[:cut]`` (minus the context character) and keep the rest."""
        offset = len(self._before)
        out = self._vault.restore(text[:cut], offset, self._only, self._escape)[offset:]
        if cut > offset:
            self._before = text[max(0, cut - LOOKBACK):cut]
        self._buf = text[cut:]
        return out

    def _safe_cut(self, pattern: regex.Pattern[str], text: str, start: int) -> int:
        """The first position from which the rest of ``text`` could still be (part of) a
        placeholder match, or ``len(text)``; never inside a complete match."""
        longest = self._vault.max_placeholder_len
        window = max(start, len(text) - longest)
        cut = len(text)
        for i in range(window, len(text)):
            m = pattern.match(text, i, partial=True)
            if m is not None and m.end() == len(text):
                cut = i
                break
        for m in pattern.finditer(text, max(start, window - longest)):
            if m.start() < cut < m.end():
                return m.start()
        return cut


class VaultRegistry:
    """Vaults by conversation id, bounded (least recently used are dropped); each
    restores with the registry's ``withhold``. With a ``ledger`` nothing is kept here:
    :meth:`get` reads the conversation's map from the ledger each time, so what another
    replica added is there."""

    def __init__(self, max_conversations: int = 10_000, withhold: Collection[str] = CONTEXTS,
                 ledger: PlaceholderLedger | None = None) -> None:
        self._vaults: OrderedDict[str, MaskVault] = OrderedDict()
        self._lock = threading.Lock()
        self.max_conversations = max_conversations
        self.withhold = tuple(withhold)
        self.ledger = ledger

    def new(self, conversation_id: str) -> MaskVault:
        """A vault that is not kept here (one call's own)."""
        return MaskVault(conversation_id, self.withhold)

    def get(self, conversation_id: str) -> MaskVault:
        if self.ledger is not None:
            return MaskVault(conversation_id, self.withhold, self.ledger)
        with self._lock:
            vault = self._vaults.get(conversation_id)
            if vault is None:
                vault = self.new(conversation_id)
                self._vaults[conversation_id] = vault
                while len(self._vaults) > self.max_conversations:
                    self._vaults.popitem(last=False)
            else:
                self._vaults.move_to_end(conversation_id)
            return vault

    def drop(self, conversation_id: str) -> None:
        if self.ledger is not None:
            self.ledger.drop(conversation_id)
        with self._lock:
            self._vaults.pop(conversation_id, None)

    def __len__(self) -> int:
        return len(self._vaults)
