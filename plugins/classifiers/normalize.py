"""Adversarial-spelling normalisation for the rules detectors.

Detectors run on a *working string*: the original text with invisible characters
(zero-width, bidi controls, soft hyphen, tag characters, variation selectors, lone
surrogates) removed, compatibility forms folded by NFKC
(full-width digits and letters, ligatures) and other-script decimal digits turned into
ASCII digits. An index map sends every working offset back to the original text, so
spans land on the original characters, invisible ones included.

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
from typing import Any, Iterable

#: Invisible characters beyond the BMP: tag characters (used to smuggle text) and
#: variation selectors supplement.
_ASTRAL_INVISIBLE = "\U000E0000-\U000E007F\U000E0100-\U000E01EF"


def _invisible(ch: str) -> bool:
    """Renders as nothing, only reorders text, or is a lone surrogate: format characters
    (zero-width, bidi controls, soft hyphen, BOM), variation selectors, Hangul fillers."""
    return (unicodedata.category(ch) in ("Cf", "Cs") or "\ufe00" <= ch <= "\ufe0f"
            or ch in "\u034f\u115f\u1160\u180b\u180c\u180d\u180e\u180f\u3164\uffa0")


_BMP = [chr(c) for c in range(0x80, 0x10000)]
#: Characters that can hide inside values (BMP ones; see also _ASTRAL_INVISIBLE).
INVISIBLE = frozenset(ch for ch in _BMP if _invisible(ch))

#: An invisible character, or a decimal digit other than 0-9 (a class, for a fast scan).
_SPECIAL = re.compile("[" + "".join(re.escape(ch) for ch in sorted(INVISIBLE | {ch for ch in _BMP if ch.isdecimal()}))
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

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a working-string span ``[start, end)`` onto the original text; the
        result covers every original character that produced it (invisible ones between
        them included)."""
        if self.index is None:
            return start, end
        if end <= start:
            o = self.index[start]
            return o, o
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
    """The working form of one non-ASCII character."""
    if ch in INVISIBLE or "\U000e0000" <= ch <= "\U000e01ef":
        return ""
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
    return re.compile("(?:[" + "".join(re.escape(c) for c in bmp) + "]|" + _SUPPLEMENTARY + ")+")


def normalize(text: str) -> Normalized:
    """The working string of ``text`` (the text itself when nothing needs folding)."""
    if text.isascii() or not _needs_folding(text):
        return _unmix(Normalized(text, text))
    pieces: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _foldable().finditer(text):
        pieces.append(text[pos:m.start()])
        index.extend(range(pos, m.start()))
        for offset, ch in enumerate(m.group(), m.start()):
            folded = _fold_char(ch)
            pieces.append(folded)
            index.extend([offset] * len(folded))
        pos = m.end()
    pieces.append(text[pos:])
    index.extend(range(pos, len(text) + 1))
    return _unmix(Normalized("".join(pieces), text, tuple(index)))


def _unmix(norm: Normalized) -> Normalized:
    """Fold look-alike letters when a word mixes them with Latin (same length, same map)."""
    if norm.text.isascii() or not _MIXED_SCRIPT.search(norm.text):
        return norm
    return Normalized(fold_lookalikes(norm.text), norm.original, norm.index)


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
