"""Value propagation: a value that is masked once is masked wherever it comes back.

Three sources of values, each with its own matching rule:

- the conversation's vault (:class:`VaultValues`): every value masked earlier in the
  conversation, anywhere and in any case, and the name parts of a person's name as
  whole words, any case;
- one text (:func:`repeats_in_text`): the other occurrences of a value found in it
  (PRIVATE anywhere, SEMI_SENSITIVE as whole words, same case);
- the messages of one request (:func:`shared_across`): a value found in one message,
  in all of them (PRIVATE anywhere in the same case, others as whole words, any case).

A :class:`ValueIndex` holds the values. It looks for a value only in texts that hold it
at all (a substring test, on the case-folded text for a case-blind value), then with
``str.find`` when case matters or a pattern compiled once per value when it does not;
so a conversation with thousands of masked values costs a pass of substring tests per
text, not a regex compile per value.
"""
from __future__ import annotations

import dataclasses
import functools
import re
import threading
import weakref
from typing import Callable, Iterable, Iterator, Sequence

from .types import SensitivityLevel, Span
from .vault import MaskVault

#: Letters that ``re.IGNORECASE`` matches to "i"/"I" but case folding leaves apart.
_DOTTED_I = str.maketrans({"İ": "i", "ı": "i"})


def _fold(text: str) -> str:
    """Case-folded ``text``: a value that ``re.IGNORECASE`` finds in a text is a substring
    of it after folding (the converse need not hold; the regex decides)."""
    return text.translate(_DOTTED_I).casefold()


@dataclasses.dataclass(frozen=True)
class _Rule:
    """One value to look for, how it matches, and the span a match makes."""

    value: str
    whole_word: bool
    ignore_case: bool
    entity_type: str
    level: SensitivityLevel
    score: float
    source: str

    @functools.cached_property
    def key(self) -> str:
        """What a text must contain (after folding, for a case-blind rule) to match."""
        return _fold(self.value) if self.ignore_case else self.value

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        body = re.escape(self.value)
        if self.whole_word:
            body = rf"(?<!\w){body}(?!\w)"
        return re.compile(body, re.IGNORECASE if self.ignore_case else 0)

    def find(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of the matches in ``text``, as ``re.finditer`` of :attr:`pattern`
        gives them; a case-sensitive value is found with ``str.find`` (no regex to
        compile for the values of a single request)."""
        if self.ignore_case:
            yield from (m.span() for m in self.pattern.finditer(text))
            return
        n = len(self.value)
        i = text.find(self.value)
        while i >= 0:
            if self.whole_word and (_word_char(text, i - 1) or _word_char(text, i + n)):
                i = text.find(self.value, i + 1)
                continue
            yield i, i + n
            i = text.find(self.value, i + n)


def _word_char(text: str, i: int) -> bool:
    """Whether ``text[i]`` exists and is what ``\\w`` matches."""
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")


class ValueIndex:
    """Values to find in texts, each with its matching rule and the span it makes."""

    def __init__(self) -> None:
        self._rules: list[_Rule] = []

    def __len__(self) -> int:
        return len(self._rules)

    def add(self, value: str, entity_type: str, level: SensitivityLevel, score: float, source: str, *,
            whole_word: bool, ignore_case: bool) -> None:
        """Look for ``value``: as a whole word or anywhere, in any case or the same."""
        self._rules.append(_Rule(value, whole_word, ignore_case, entity_type, level, score, source))

    def add_like(self, value: str, like: Span, *, whole_word: bool, ignore_case: bool) -> None:
        """Look for ``value``; a match is typed, levelled, scored and sourced as ``like``."""
        self.add(value, like.entity_type, like.level, like.score, like.source,
                 whole_word=whole_word, ignore_case=ignore_case)

    def spans(self, text: str) -> list[Span]:
        """A span for every match in ``text``: by value in the order added, then by
        position; the matches of one value do not overlap (as ``re.finditer``)."""
        folded: str | None = None
        out = []
        for rule in self._rules:
            if rule.ignore_case:
                if folded is None:
                    folded = _fold(text)
                if rule.key not in folded:
                    continue
            elif rule.key not in text:
                continue
            out += [Span(a, b, rule.entity_type, rule.level, rule.score, rule.source, text[a:b])
                    for a, b in rule.find(text)]
        return out


def name_parts(value: str, entity_type: str) -> list[str]:
    """The given names and surnames of a masked person's name (capitalised words of 5+
    letters), so that "Whitfield" alone is masked after "Sharon Whitfield" was."""
    if entity_type != "PERSON":
        return []
    words = value.split()
    return [w for w in words if len(words) > 1 and len(w) >= 5 and w[:1].isupper() and w.isalpha()]


class VaultValues:
    """The values a vault has masked, as a :class:`ValueIndex` per vault that grows with
    it (vaults only gain values), for one planner's level policy."""

    def __init__(self, level_of: Callable[[str], SensitivityLevel]) -> None:
        self._level_of = level_of
        self._lock = threading.Lock()
        self._indexes: weakref.WeakKeyDictionary[MaskVault, tuple[int, ValueIndex]] = weakref.WeakKeyDictionary()

    def spans(self, text: str, vault: MaskVault) -> list[Span]:
        """Every occurrence in ``text`` of a value ``vault`` masked: the value anywhere, in
        any case; a person's name parts as whole words, in any case."""
        return self._index(vault).spans(text)

    def _index(self, vault: MaskVault) -> ValueIndex:
        with self._lock:
            seen, index = self._indexes.get(vault) or (0, ValueIndex())
            if len(vault) != seen:
                known = vault.known_values()
                for value, etype in known[seen:]:
                    if not value.strip():
                        continue
                    level = self._level_of(etype)
                    index.add(value, etype, level, 1.0, "vault", whole_word=False, ignore_case=True)
                    for part in name_parts(value, etype):
                        index.add(part, etype, level, 1.0, "vault", whole_word=True, ignore_case=True)
                self._indexes[vault] = (len(known), index)
            return index


def repeats_in_text(text: str, spans: Iterable[Span]) -> list[Span]:
    """Every other occurrence of a value that will be masked, so that a secret or a name
    found once is masked wherever it appears (a SEMI_SENSITIVE value only where it
    stands as a whole word, in the same case)."""
    index = ValueIndex()
    origin: dict[str, int] = {}
    for s in spans:
        value = text[s.start:s.end]
        if s.level < SensitivityLevel.SEMI_SENSITIVE or not s.maskable or len(value) < 4 or value in origin:
            continue
        origin[value] = s.start
        index.add_like(value, s, whole_word=s.level < SensitivityLevel.PRIVATE, ignore_case=False)
    return [s for s in index.spans(text) if s.start != origin[s.text]]


def shared_across(spans: Sequence[Sequence[Span]], texts: Sequence[str]) -> list[list[Span]]:
    """The occurrences, in each of a request's messages (``texts``, with their ``spans``),
    of a value found in any of them: a secret or a name stated once may come back,
    earlier or later, in another turn (an assistant's echo). PRIVATE values match
    anywhere in the same case; other values (3+ characters) as whole words, any case."""
    index = ValueIndex()
    found: set[str] = set()

    def add(value: str, s: Span) -> None:
        if value not in found:
            found.add(value)
            private = s.level >= SensitivityLevel.PRIVATE
            index.add_like(value, s, whole_word=not private, ignore_case=not private)

    for message_spans in spans:
        for s in message_spans:
            value = s.text.strip()
            if not s.maskable or s.level <= SensitivityLevel.PUBLIC:
                continue
            if len(value) >= 4 or (len(value) >= 3 and s.level < SensitivityLevel.PRIVATE):
                add(value, s)
            for part in name_parts(value, s.entity_type):
                add(part, s)
    return [index.spans(text) if len(index) else [] for text in texts]
