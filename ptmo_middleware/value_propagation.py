"""Value propagation: a value that is masked once is masked wherever it comes back.

Three sources of values, each with its own matching rule:

- the conversation's vault (:class:`VaultValues`): every value masked earlier in the
  conversation, anywhere and in any case, and the name parts of a person's name as
  whole words, any case;
- one text (:func:`repeats_in_text`): the other occurrences of a value found in it
  (PRIVATE anywhere, SEMI_SENSITIVE as whole words, same case);
- the messages of one request (:func:`shared_across`): a value found in one message,
  in all of them (PRIVATE anywhere in the same case, others as whole words, any case).

A value made of digits (an SSN, a card, a PIN, an IBAN; also one spelled out in number
words) is found again in other forms too (:class:`ValueForms`): with other separators
or none ("176-02-1791", "176 02 1791", "176021791") and spelled out ("one seven six ...").

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

from .number_words import spelled_digits, spelled_runs
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


#: A value that is digits with separators, or an IBAN-like code (letters and digits).
_DIGIT_VALUE = re.compile(r"[\d\s.\-/()+]+")
_CODE_VALUE = re.compile(r"[A-Za-z]{2}\d{2}[A-Za-z0-9\s.\-]{4,}")
_SEPARATORS = re.compile(r"[\W_]+")
#: Groups holding a digit, joined by one or two separator characters.
_GROUP = re.compile(r"[A-Za-z0-9]*\d[A-Za-z0-9]*")
_GROUP_RUN = re.compile(r"\d[A-Za-z0-9]*(?:[ \t.\-/]{1,2}[A-Za-z0-9]*\d[A-Za-z0-9]*)*")
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_MIN_DIGITS = 4


def canonical_form(value: str) -> str | None:
    """The form of ``value`` that :class:`ValueForms` compares: its digits (or its letters
    and digits, upper case, for a code such as an IBAN) without separators, or the
    digits a spelled-out value reads as; ``None`` for other values."""
    stripped = value.strip()
    if _DIGIT_VALUE.fullmatch(stripped):
        digits = re.sub(r"\D", "", stripped)
    elif _CODE_VALUE.fullmatch(stripped):
        digits = _SEPARATORS.sub("", stripped).upper()
    else:
        digits = spelled_digits(stripped) or ""
    return digits if sum(c.isdigit() for c in digits) >= _MIN_DIGITS else None


class ValueForms:
    """Values found again in another form: digits with other separators or none, or
    spelled out in number words (see :func:`canonical_form`). A text is scanned only
    when some value has such a form."""

    def __init__(self) -> None:
        self._forms: dict[str, tuple[str, SensitivityLevel, float, str]] = {}
        self._digits = False
        self._shortest = 1 << 30

    def __len__(self) -> int:
        return len(self._forms)

    def add(self, value: str, entity_type: str, level: SensitivityLevel, score: float, source: str) -> None:
        form = canonical_form(value)
        if form is not None and form not in self._forms:
            self._forms[form] = (entity_type, level, score, source)
            self._digits = self._digits or form.isdigit()
            self._shortest = min(self._shortest, len(form))

    def spans(self, text: str) -> list[Span]:
        """A span for every group run (or spelled run) of ``text`` whose form is a value's."""
        if not self._forms:
            return []
        out = []
        for a, b in self._matches(text):
            etype, level, score, source = self._forms[self._key(text, a, b)]
            out.append(Span(a, b, etype, level, score, source, text[a:b]))
        return out

    def _key(self, text: str, a: int, b: int) -> str:
        form = _SEPARATORS.sub("", text[a:b]).upper()
        return form if form in self._forms else spelled_digits(text[a:b]) or ""

    def _matches(self, text: str) -> Iterator[tuple[int, int]]:
        for run in _GROUP_RUN.finditer(text):
            start = run.start()
            while start > 0 and text[start - 1] in _ALNUM:        # the group's letters ("DE89")
                start -= 1
            if run.end() - start < self._shortest:
                continue
            if text[start:run.end()].isalnum():                   # one group: the common case
                if text[start:run.end()].upper() in self._forms:
                    yield start, run.end()
                continue
            groups = [(g.start(), g.end(), g.group().upper()) for g in _GROUP.finditer(text, start, run.end())]
            yield from self._sub_runs(groups)
        if self._digits:
            low = text.lower()
            if len(low) == len(text):
                for r in spelled_runs(low):
                    if len(r.digits) >= _MIN_DIGITS and r.digits in self._forms:
                        yield r.start, r.end

    def _sub_runs(self, groups: list[tuple[int, int, str]]) -> Iterator[tuple[int, int]]:
        """The longest runs of consecutive ``groups`` whose joined text is a known form."""
        i = 0
        while i < len(groups):
            joined, best = "", None
            for j in range(i, len(groups)):
                joined += groups[j][2]
                if joined in self._forms:
                    best = j
                if len(joined) > 40:
                    break
            if best is None:
                i += 1
                continue
            yield groups[i][0], groups[best][1]
            i = best + 1


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
        self._indexes: weakref.WeakKeyDictionary[MaskVault, tuple[int, ValueIndex, ValueForms]] = \
            weakref.WeakKeyDictionary()

    def spans(self, text: str, vault: MaskVault) -> list[Span]:
        """Every occurrence in ``text`` of a value ``vault`` masked: the value anywhere, in
        any case; a person's name parts as whole words, in any case; a value of digits in
        another form (see :class:`ValueForms`)."""
        index, forms = self._index(vault)
        return index.spans(text) + forms.spans(text)

    def _index(self, vault: MaskVault) -> tuple[ValueIndex, ValueForms]:
        with self._lock:
            seen, index, forms = self._indexes.get(vault) or (0, ValueIndex(), ValueForms())
            if len(vault) != seen:
                known = vault.known_values()
                for value, etype in known[seen:]:
                    if not value.strip():
                        continue
                    level = self._level_of(etype)
                    index.add(value, etype, level, 1.0, "vault", whole_word=False, ignore_case=True)
                    forms.add(value, etype, level, 1.0, "vault")
                    for part in name_parts(value, etype):
                        index.add(part, etype, level, 1.0, "vault", whole_word=True, ignore_case=True)
                self._indexes[vault] = (len(known), index, forms)
            return index, forms


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
    forms = ValueForms()
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
                forms.add(value, s.entity_type, s.level, s.score, s.source)
            for part in name_parts(value, s.entity_type):
                add(part, s)
    return [(index.spans(text) if len(index) else []) + (forms.spans(text) if len(texts) > 1 else [])
            for text in texts]
