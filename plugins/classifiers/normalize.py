"""Adversarial-spelling normalisation for the rules detectors.

Detectors run on a *working string*: the original text with invisible characters
(zero-width, bidi controls, soft hyphen, tag characters, variation selectors, lone
surrogates, control characters other than white space) removed, white-space control
characters (vertical tab, form feed, U+001C-U+001F, U+0085) turned into spaces,
compatibility forms folded by NFKC
(full-width digits and letters, ligatures) and other-script decimal digits turned into
ASCII digits. An index map sends every working offset back to the original text, so
spans land on the original characters, invisible ones included.

Some texts are read more than once (:func:`readings`). One with a white-space control
is read again with those removed too: a vertical tab inside ``hunter2`` hides one value,
a form feed after ``card`` separates a keyword from a number, and each reading sees only
one of them. One with a right-to-left override (U+202E) is read again in display order,
as a bidi-aware client shows it (see :func:`_display_runs`), while a model reads it in
logical order.

Cyrillic/Greek look-alike letters are folded to Latin in the working string when a word
mixes them with Latin letters or digits (a disguise). Keywords are sought in a
*skeleton* of the working string (lower case, leetspeak folded: ``p@ssw0rd``), offset for
offset, while values are read from the working string itself.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Iterable, Sequence

#: Invisible characters beyond the BMP: tag characters (used to smuggle text) and
#: variation selectors supplement.
_ASTRAL_INVISIBLE = "\U000E0000-\U000E007F\U000E0100-\U000E01EF"


#: Control characters that are white space (``str.isspace``) besides tab, newline and
#: carriage return: a space in the working string, nothing in the glued reading.
BLANK_CONTROLS = "\x0b\x0c\x1c\x1d\x1e\x1f\x85"
_BLANK_CONTROL = re.compile("[" + re.escape(BLANK_CONTROLS) + "]")


def _invisible(ch: str) -> bool:
    """Renders as nothing, only reorders text, or is a lone surrogate: format characters
    (zero-width, bidi controls, soft hyphen, BOM), C1 control characters other than
    U+0085, variation selectors, Hangul fillers."""
    return ((unicodedata.category(ch) in ("Cf", "Cs", "Cc") and ch not in BLANK_CONTROLS)
            or "\ufe00" <= ch <= "\ufe0f"
            or ch in "\u034f\u115f\u1160\u180b\u180c\u180d\u180e\u180f\u3164\uffa0")


#: ASCII control characters other than tab, newline and carriage return (NUL, ESC, DEL ...).
_ASCII_CONTROLS = "".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]))
_ASCII_CONTROL_BYTES = _ASCII_CONTROLS.encode("ascii")


def _has_ascii_control(text: str) -> bool:
    """Whether ASCII ``text`` holds one of :data:`_ASCII_CONTROLS` (a few microseconds for
    some kilobytes: a byte deletion counts them faster than a regex scan finds one)."""
    if text.isprintable():
        return False
    data = text.encode("ascii")
    return len(data.translate(None, _ASCII_CONTROL_BYTES)) != len(data)


_BMP = [chr(c) for c in range(0x80, 0x10000)]
#: Characters that can hide inside values (BMP ones; see also _ASTRAL_INVISIBLE).
INVISIBLE = frozenset(_ASCII_CONTROLS).difference(BLANK_CONTROLS).union(ch for ch in _BMP if _invisible(ch))

#: An invisible character, a white-space control, or a decimal digit other than 0-9
#: (a class, for a fast scan).
_SPECIAL = re.compile("[" + "".join(re.escape(ch) for ch in sorted(INVISIBLE | set(BLANK_CONTROLS)
                                                                    | {ch for ch in _BMP if ch.isdecimal()}))
                      + _ASTRAL_INVISIBLE + "]")


@dataclass(frozen=True)
class Normalized:
    """A working string and, when it differs from the original, its offset map.

    ``index[i]`` is the original offset of working character ``i``; ``index`` has one
    extra entry, the original length, so that end offsets map too.
    """

    text: str
    original: str
    index: tuple[int, ...] | None = None
    shared: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)
    """Results detectors share about this text (computed once, by the first who needs it)."""
    reordered: bool = False
    """Whether some text was put in display order (``index`` is then not increasing)."""

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a working-string span ``[start, end)`` onto the original text; the
        result covers every original character that produced it (invisible ones between
        them included)."""
        if self.index is None:
            return start, end
        if end <= start:
            o = self.index[start]
            return o, o
        if self.reordered:
            offsets = self.index[start:end]
            return min(offsets), max(offsets) + 1
        return self.index[start], self.index[end - 1] + 1

    @cached_property
    def skeleton(self) -> str:
        """:func:`skeleton` of the lower-cased working text, offset for offset."""
        return skeleton(self.lower)

    @cached_property
    def lower(self) -> str:
        """The working text in lower case, offset for offset (a character whose lower
        case is longer, like ``İ``, is left as it is)."""
        low = self.text.lower()
        if len(low) == len(self.text):
            return low
        return "".join(c.lower() if len(c.lower()) == 1 else c for c in self.text)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """The working form of one non-ASCII or control character."""
    if ch in INVISIBLE or "\U000e0000" <= ch <= "\U000e01ef":
        return ""
    if ch in BLANK_CONTROLS:
        return " "
    digit = unicodedata.decimal(ch, None)
    if digit is not None:
        return str(digit)
    return unicodedata.normalize("NFKC", ch)


def _needs_folding(run: str) -> bool:
    return not unicodedata.is_normalized("NFKC", run) or _SPECIAL.search(run) is not None


#: Supplementary blocks with characters NFKC changes that prompts use: mathematical
#: alphanumerics, enclosed alphanumerics, CJK compatibility ideographs. (Kept as ranges:
#: a class with characters beyond the BMP loses the engine's fast bitmap.)
_SUPPLEMENTARY = "[\U0001D400-\U0001D7FF\U0001F100-\U0001F1FF\U0002F800-\U0002FA1F" + _ASTRAL_INVISIBLE + "]"


@lru_cache(maxsize=1)
def _foldable() -> re.Pattern[str]:
    """Runs of characters the working string may change (built once, some 40 ms, on the
    first text that needs it)."""
    bmp = sorted(ch for ch in _BMP if unicodedata.normalize("NFKC", ch) != ch or ch.isdecimal() or ch in INVISIBLE)
    bmp += BLANK_CONTROLS
    return re.compile("(?:[" + re.escape(_ASCII_CONTROLS) + "".join(re.escape(c) for c in bmp) + "]|"
                      + _SUPPLEMENTARY + ")+")


def normalize(text: str, *, glue: bool = False, display: bool = False) -> Normalized:
    """The working string of ``text`` (the text itself when nothing needs folding);
    with ``glue``, white-space controls are dropped instead of turned into spaces; with
    ``display``, text under right-to-left overrides is put in display order."""
    if text.isascii():
        if not _has_ascii_control(text):
            return Normalized(text, text)
    elif not _needs_folding(text):
        return _unmix(Normalized(text, text))
    reordered = display and _RLO in text
    if reordered:
        runs = _display_runs(text)
        shown = "".join(text[start:end][::-1] if backwards else text[start:end] for start, end, backwards in runs)
        offsets: list[int] = []
        for start, end, backwards in runs:
            offsets.extend(range(end - 1, start - 1, -1) if backwards else range(start, end))
        pieces, index = _fold(shown, offsets, glue)
    else:
        pieces, index = _fold(text, range(len(text)), glue)
    index.append(len(text))
    return _unmix(Normalized("".join(pieces), text, tuple(index), reordered=reordered))


def readings(text: str) -> list[Normalized]:
    """The working strings detectors scan: :func:`normalize` of ``text``; the glued one
    too when it holds a white-space control; the display-order one when it holds U+202E."""
    norm = normalize(text)
    if norm.index is None:
        return [norm]
    out = [norm]
    if _BLANK_CONTROL.search(text) is not None:
        out.append(normalize(text, glue=True))
    if _RLO in text:
        out.append(normalize(text, display=True))
    return out


def _fold(run: str, offsets: Sequence[int], glue: bool) -> tuple[list[str], list[int]]:
    """The working form of ``run`` in pieces, and the original offset of each working
    character (``offsets[i]`` is that of ``run[i]``)."""
    pieces: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _foldable().finditer(run):
        pieces.append(run[pos:m.start()])
        index.extend(offsets[pos:m.start()])
        for i in range(m.start(), m.end()):
            folded = "" if glue and run[i] in BLANK_CONTROLS else _fold_char(run[i])
            pieces.append(folded)
            index.extend([offsets[i]] * len(folded))
        pos = m.end()
    pieces.append(run[pos:])
    index.extend(offsets[pos:])
    return pieces, index


def _unmix(norm: Normalized) -> Normalized:
    """Fold look-alike letters when a word mixes them with Latin (same length, same map)."""
    if norm.text.isascii() or not _MIXED_SCRIPT.search(norm.text):
        return norm
    return Normalized(fold_lookalikes(norm.text), norm.original, norm.index, reordered=norm.reordered)


# -- display order -------------------------------------------------------------------------

_RLO, _LRO, _PDF, _PDI = "\u202e", "\u202d", "\u202c", "\u2069"
#: Paragraph separators end every override, embedding and isolate; a line separator
#: (U+2028) only ends the line that is reordered.
_PARAGRAPH_END = "\n\r\x1c\x1d\x1e\x85\u2029"
_BIDI_STOP = re.compile("[\u202a-\u202e\u2066-\u2069\u2028" + _PARAGRAPH_END + "]")
#: Nesting deeper than this adds no level (the Unicode bidi algorithm's limit).
_MAX_LEVEL = 125


class _Group:
    """Runs and deeper groups at one bidi level or higher, in logical order."""

    __slots__ = ("level", "items")

    def __init__(self, level: int) -> None:
        self.level = level
        self.items: list[Any] = []


def _display_runs(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, backwards)`` runs of ``text`` in display order (bidi controls left
    out; they produce nothing in the working string).

    A simplified Unicode bidi algorithm, on a left-to-right paragraph, that reorders
    only what an override forces: U+202E (RLO) opens a run read right to left, closed by
    U+202C (PDF) or by the end of the paragraph; U+202D (LRO) nested in it opens a run
    read left to right again. Embeddings (U+202A/B, closed by PDF) and isolates
    (U+2066-2068, closed by U+2069) reorder nothing themselves: text in them, and text
    outside overrides, is taken as left to right (right-to-left scripts keep their
    logical order). Nesting deeper than 125 levels is ignored. Levels then reverse as in
    the algorithm's rule L2, line by line, in linear time.
    """
    stack = [(0, False)]                      # (level, opened by an isolate)
    runs: list[tuple[int, int, int]] = []     # (level, start, end) in logical order
    pos = 0
    for m in _BIDI_STOP.finditer(text):
        i = m.start()
        level = stack[-1][0]
        if i > pos:
            runs.append((level, pos, i))
        pos = i + 1
        ch = text[i]
        if ch in "\u202a\u202b\u202d\u202e\u2066\u2067\u2068":
            if ch == _RLO:
                new = level + 1 if level % 2 == 0 else level + 2    # the next odd level
            elif ch == _LRO:
                new = level + 2 if level % 2 == 0 else level + 1    # the next even level
            else:
                new = level + level % 2                             # even: left to right
            stack.append((new if new <= _MAX_LEVEL else level, ch >= "\u2066"))
        elif ch == _PDF:
            if len(stack) > 1 and not stack[-1][1]:
                stack.pop()
        elif ch == _PDI:
            if any(isolate for _, isolate in stack):
                while not stack.pop()[1]:
                    pass
        else:                                 # a line or paragraph separator
            runs.append((0, i, i + 1))
            if ch != "\u2028":
                del stack[1:]
    if pos < len(text):
        runs.append((stack[-1][0], pos, len(text)))

    root = _Group(0)
    open_groups = [root]
    for run in runs:
        level = run[0]
        while open_groups[-1].level > level:
            open_groups.pop()
        while open_groups[-1].level < level:
            group = _Group(open_groups[-1].level + 1)
            open_groups[-1].items.append(group)
            open_groups.append(group)
        open_groups[-1].items.append(run)

    out: list[tuple[int, int, bool]] = []
    todo: list[tuple[Any, bool]] = [(root, False)]
    while todo:                               # depth first, without recursion
        item, backwards = todo.pop()
        if isinstance(item, _Group):
            backwards ^= item.level > 0       # every level above the paragraph's reverses
            children = item.items if backwards else item.items[::-1]
            todo.extend((child, backwards) for child in children)
        else:
            out.append((item[1], item[2], backwards))
    return out


# -- look-alikes ---------------------------------------------------------------------------

#: Cyrillic and Greek letters drawn like Latin ones. The working string is folded with
#: this table when a text glues such letters to Latin letters or digits inside one word
#: ("pаssword", "sk-рrој-..."): a sign of disguise, not of Russian or Greek prose.
_HOMOGLYPHS = str.maketrans(
    "аАвВеЕёЁєЄкКмМнНоОрРсСтТуУхХѕЅіІїЇјЈԁһӏԛԜԝ"
    "αΑβΒεΕζΖηΗιΙκΚμΜνΝοΟρΡτΤυΥχΧγωσς",
    "aABBeEeEeEkKmMHHoOpPcCTTyYxXsSiIiIjJdhlqWw"
    "aABBeEZZnHiIkKuMvNoOpPtTuYxXywoc",
)
_MIXED_SCRIPT = re.compile(r"[\u0370-\u03ff\u0400-\u052f](?:(?<=[A-Za-z0-9].)|(?=[A-Za-z0-9]))")

#: Leetspeak in keywords ("p@ssw0rd", "$3cr37 70k3n"), folded in the keyword skeleton only.
#: ASCII bytes never occur inside multi-byte UTF-8 sequences, so translating the UTF-8
#: bytes keeps every other character, and the length in characters, intact.
_LEET = bytes.maketrans(b"@4310$57!|", b"aaeiosstil")
_JOINERS = re.compile(r"[\s_-]+")


def fold_lookalikes(text: str) -> str:
    """``text`` with Cyrillic/Greek look-alike letters replaced by Latin ones."""
    return text.translate(_HOMOGLYPHS)


def skeleton(text: str) -> str:
    """Lower case with leetspeak folded, offset for offset: where keywords are sought."""
    return text.encode("utf-8", "surrogatepass").translate(_LEET).decode("utf-8", "surrogatepass")


def keyword_key(matched: str) -> str:
    """The lookup key of a keyword as matched in a skeleton (joiners dropped)."""
    return _JOINERS.sub("", matched)


def keyword_variants(word: str) -> set[str]:
    """The skeleton spellings under which ``word`` can appear (as written, and with its
    look-alike letters folded, as in a folded working string)."""
    word = word.lower()
    return {skeleton(word), skeleton(fold_lookalikes(word).lower())}


def keyword_pattern(words: Iterable[str]) -> str:
    """A regex source matching any of ``words`` in a skeleton, built as a prefix trie (one
    branch per distinct letter, the longest word preferred) so that a scan stays cheap.
    A space in a keyword matches up to two blanks, dashes or underscores, or nothing."""
    return _trie(sorted({v for w in words for v in keyword_variants(w)}))


def _trie(words: list[str]) -> str:
    branches: dict[str, list[str]] = {}
    ends = False
    for word in words:
        if word:
            branches.setdefault(word[0], []).append(word[1:])
        else:
            ends = True
    alternatives = [(r"[\s_-]{0,2}" if ch == " " else re.escape(ch)) + _trie(rests)
                    for ch, rests in sorted(branches.items())]
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    return f"(?:{body})?" if ends else body


def whole_word(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is not glued to letters or digits (``_`` may touch
    it: ``db_password``). Keywords in scripts written without spaces (CJK) always are."""
    if ord(text[start]) >= 0x3000:
        return True
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())
