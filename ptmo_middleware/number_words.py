"""Digits written as words: "five five one nine", "oh four double seven", "fifty-five
nineteen", "fünf fünf eins neun", "cinq cinq un neuf", "cinco cinco uno nueve".

:func:`spelled_runs` finds the runs of number words in a lower-cased text (words joined
by blanks, commas, dashes, dots or slashes) and reads each as the digit string it spells:
a digit word is one digit, "double"/"triple" repeats the next one, a teen or a tens word
("fifty", "fifty-five") is two digits. English, German, French and Spanish digit words.
"""
from __future__ import annotations

import re
from typing import Iterator, NamedTuple, Sequence

_UNITS: dict[str, int] = {
    **dict.fromkeys(("zero", "oh", "nought", "null", "zéro", "cero"), 0),
    **dict.fromkeys(("one", "eins", "uno", "un"), 1),
    **dict.fromkeys(("two", "zwei", "zwo", "deux", "dos"), 2),
    **dict.fromkeys(("three", "drei", "trois", "tres"), 3),
    **dict.fromkeys(("four", "vier", "quatre", "cuatro"), 4),
    **dict.fromkeys(("five", "fünf", "fuenf", "funf", "cinq", "cinco"), 5),
    **dict.fromkeys(("six", "sechs", "seis"), 6),
    **dict.fromkeys(("seven", "sieben", "sept", "siete"), 7),
    **dict.fromkeys(("eight", "acht", "huit", "ocho"), 8),
    **dict.fromkeys(("nine", "neun", "neuf", "nueve"), 9),
}
_TEENS = {w: 10 + i for i, w in enumerate(("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                                           "seventeen", "eighteen", "nineteen"))}
_TENS = {w: 10 * (i + 2) for i, w in enumerate(("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
                                                "ninety"))}
_REPEAT = {"double": 2, "triple": 3}
_EN_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _alt(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_TOKEN_SRC = (rf"(?:(?:{_alt(_TENS)})(?:[- ](?:{_alt(_EN_UNITS)}))?|(?:{_alt(_TEENS)})"
              rf"|(?:(?:{_alt(_REPEAT)})[ ])?(?:{_alt(_UNITS)}))")
_SEP_SRC = r"(?:[ \t]{0,2}[,;./\-–—][ \t]{0,2}|[ \t]{1,3}|[ \t]?\r?\n[ \t]?)"
_TOKEN = re.compile(rf"(?<!\w)({_TOKEN_SRC})(?!\w)")
#: A run of two or more number words, whole words only.
_RUN = re.compile(rf"(?<!\w)(?:{_TOKEN_SRC})(?:{_SEP_SRC}(?:{_TOKEN_SRC}))+(?!\w)")


_ALL_WORDS = frozenset((*_UNITS, *_TEENS, *_TENS, *_REPEAT))


def plain_words(low: str) -> list[str]:
    """The words of ``low``, split at blanks, commas, dots and dashes (for quick tests)."""
    return low.replace("-", " ").replace(",", " ").replace(".", " ").split()


def run_heads(words: Sequence[str]) -> set[str]:
    """The number words that a second one follows among ``words`` (see :func:`plain_words`):
    the words a run can start with; empty when there is no run."""
    if _ALL_WORDS.isdisjoint(words):
        return set()
    flags = bytes(map(_ALL_WORDS.__contains__, words))
    heads, i = set(), flags.find(b"\x01\x01")
    while i >= 0:
        heads.add(words[i])
        i = flags.find(b"\x01\x01", i + 1)
    return heads


class SpelledRun(NamedTuple):
    """A run of number words: ``[start, end)`` in the text, the digits it spells, and the
    number each word (or word pair) stands for."""

    start: int
    end: int
    digits: str
    values: tuple[int, ...]

    @property
    def counting(self) -> bool:
        """Whether the run counts up or down by one ("one two three four")."""
        steps = {b - a for a, b in zip(self.values, self.values[1:])}
        return len(self.values) > 2 and steps in ({1}, {-1})


def _read(token: str) -> tuple[str, int]:
    """The digits of one token and the number it stands for."""
    head, _, tail = token.replace("-", " ").partition(" ")
    if head in _REPEAT:
        d = _UNITS[tail]
        return str(d) * _REPEAT[head], d
    if head in _TENS:
        n = _TENS[head] + (_UNITS[tail] if tail else 0)
        return str(n), n
    n = _TEENS.get(head, _UNITS.get(head, 0))
    return str(n), n


def _starts(low: str, heads: set[str]) -> list[int]:
    """The offsets where one of ``heads`` stands as a whole word in ``low`` (sorted)."""
    out = []
    for w in heads:
        i = low.find(w)
        while i >= 0:
            if (i == 0 or not low[i - 1].isalnum()) and not low[i + len(w):i + len(w) + 1].isalnum():
                out.append(i)
            i = low.find(w, i + 1)
    return sorted(out)


def spelled_runs(low: str, words: Sequence[str] | None = None) -> Iterator[SpelledRun]:
    """The runs of two or more number words in ``low`` (a lower-cased text), whose
    :func:`plain_words` may be given. Only the places where a number word another
    follows are read, so a text without such a pair costs a pass over its words."""
    heads = run_heads(plain_words(low) if words is None else words)
    seen = 0
    for i in _starts(low, heads) if heads else ():
        m = _RUN.match(low, i) if i >= seen else None
        if m is None:
            continue
        seen = m.end()
        parts = [_read(t.group(1)) for t in _TOKEN.finditer(low, m.start(), m.end())]
        yield SpelledRun(m.start(), m.end(), "".join(d for d, _ in parts), tuple(v for _, v in parts))


def spelled_digits(text: str) -> str | None:
    """The digits ``text`` spells when it is one run of number words and nothing else."""
    low = text.strip().lower()
    for run in spelled_runs(low):
        return run.digits if (run.start, run.end) == (0, len(low)) else None
    return None
