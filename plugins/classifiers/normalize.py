"""Adversarial-spelling normalisation for the rules detectors.

Detectors run on a *working string*: the original text with invisible characters
(zero-width, bidi controls, soft hyphen) removed, compatibility forms folded by NFKC
(full-width digits and letters, ligatures) and other-script decimal digits turned into
ASCII digits. An index map sends every working offset back to the original text, so
spans land on the original characters, invisible ones included.

Look-alike letters in *keywords* (Cyrillic/Greek homoglyphs, leetspeak) are handled by
:func:`keyword_pattern`, which turns keywords into a pattern accepting those spellings;
values are never rewritten beyond the folding above.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Iterable

#: Characters that render as nothing (or only reorder text) and so can hide inside values.
INVISIBLE = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)]      # ZW space/non-joiner/joiner, LRM, RLM
    + [chr(c) for c in range(0x202A, 0x202F)]    # bidi embeddings and overrides
    + [chr(c) for c in range(0x2060, 0x2065)]    # word joiner, invisible operators
    + [chr(c) for c in range(0x2066, 0x206A)]    # bidi isolates
    + ["\uFEFF", "\u00AD", "\u180E", "\u034F"]   # BOM/ZWNBSP, soft hyphen, Mongolian VS, CGJ
)

_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


@dataclass(frozen=True)
class Normalized:
    """A working string and, when it differs from the original, its offset map.

    ``index[i]`` is the original offset of working character ``i``; ``index`` has one
    extra entry, the original length, so that end offsets map too.
    """

    text: str
    original: str
    index: tuple[int, ...] | None = None

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
    if ch in INVISIBLE:
        return ""
    digit = unicodedata.decimal(ch, None)
    if digit is not None:
        return str(digit)
    return unicodedata.normalize("NFKC", ch)


def _needs_folding(run: str) -> bool:
    return (not unicodedata.is_normalized("NFKC", run) or any(ch in INVISIBLE for ch in run)
            or any(ch.isdecimal() for ch in run))


def normalize(text: str) -> Normalized:
    """The working string of ``text`` (the text itself when nothing needs folding)."""
    if text.isascii():
        return Normalized(text, text)
    runs = [m for m in _NON_ASCII_RUN.finditer(text) if _needs_folding(m.group())]
    if not runs:
        return Normalized(text, text)
    pieces: list[str] = []
    index: list[int] = []
    pos = 0
    for m in runs:
        pieces.append(text[pos:m.start()])
        index.extend(range(pos, m.start()))
        for offset, ch in enumerate(m.group(), m.start()):
            folded = _fold_char(ch)
            pieces.append(folded)
            index.extend([offset] * len(folded))
        pos = m.end()
    pieces.append(text[pos:])
    index.extend(range(pos, len(text) + 1))
    return Normalized("".join(pieces), text, tuple(index))


# -- keyword spellings ------------------------------------------------------------------

#: Look-alikes of each Latin letter: Cyrillic and Greek homoglyphs, leetspeak digits and
#: symbols. Keywords are matched in lower-cased text, so lower case suffices.
_VARIANTS: dict[str, str] = {
    "a": "a@4аαá", "b": "b8ьвβ", "c": "c(сς¢", "d": "dԁ", "e": "e3еєεё€", "g": "g9ɡ",
    "h": "hһн", "i": "i1!|іїιí", "k": "kкκ", "l": "l1|ӏ", "m": "mм", "n": "nпη",
    "o": "o0оοσó", "p": "pрρ", "r": "rг", "s": "s5$ѕ", "t": "t7+тτ", "u": "uυμ",
    "w": "wѡω", "x": "xхχ", "y": "yуγ",
}


_CANONICAL = {v: letter for letter, variants in reversed(_VARIANTS.items()) for v in variants}
_JOINERS = re.compile(r"[\s_-]+")


def _letter_class(ch: str) -> str:
    variants = _VARIANTS.get(ch)
    if variants is None:
        return re.escape(ch)
    return "[" + "".join(re.escape(v) for v in variants) + "]"


def keyword_pattern(words: Iterable[str], spell: bool = False) -> str:
    """A regex source matching any of the lower-case ``words``, built as a prefix trie
    (one branch per distinct letter, longest word preferred) so that a scan stays cheap.
    With ``spell``, each Latin letter also matches its look-alikes (``p@ssw0rd``,
    ``pаssword`` with a Cyrillic ``а``). A space matches up to two blanks, dashes or
    underscores, or nothing."""
    branches: dict[str, list[str]] = {}
    ends = False
    for word in words:
        if word:
            branches.setdefault(word[0], []).append(word[1:])
        else:
            ends = True
    alternatives = []
    for ch, rests in sorted(branches.items()):
        head = r"[\s_-]{0,2}" if ch == " " else _letter_class(ch) if spell else re.escape(ch)
        alternatives.append(head + keyword_pattern(rests, spell))
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    return f"(?:{body})?" if ends else body


def canonical(keyword: str) -> str:
    """The plain spelling of a (lower-case) keyword matched with look-alikes, joiners
    dropped: ``p@ss-w0rd`` -> ``password``."""
    return "".join(_CANONICAL.get(ch, ch) for ch in _JOINERS.sub("", keyword))


def whole_word(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is not glued to letters or digits (``_`` may touch
    it: ``db_password``). Keywords in scripts written without spaces (CJK) always are."""
    if ord(text[start]) >= 0x3000:
        return True
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())
