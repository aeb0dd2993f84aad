"""Scoring the adversarial corpus: did a planted value survive into the cloud payloads?

A value *survives* when, after folding both sides to a canonical form (NFKC, invisible
and bidi characters removed, Cyrillic/Greek look-alikes mapped to Latin, case folded,
only letters and digits kept), the whole value or any contiguous half of it (at least
6 characters) appears in the text sent to the cloud; placeholders count as boundaries. So a card number with one group
masked, or a key with its zero-width joiners stripped, still counts as leaked.
A planted value is *detected* when it does not survive.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

#: Characters that render as nothing or only reorder text.
_INVISIBLE = {c: None for c in [*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x206A),
                                0xFEFF, 0x00AD, 0x180E, 0x034F]}
#: Cyrillic and Greek letters that look like Latin ones (the generator's set and kin).
_CONFUSABLES = str.maketrans({
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y",
    "\u0445": "x", "\u0455": "s", "\u0456": "i", "\u0458": "j", "\u0410": "A", "\u0412": "B",
    "\u0415": "E", "\u041a": "K", "\u041c": "M", "\u041d": "H", "\u041e": "O", "\u0420": "P",
    "\u0421": "C", "\u0422": "T", "\u0425": "X", "\u0391": "A", "\u0392": "B", "\u0395": "E",
    "\u0396": "Z", "\u0397": "H", "\u0399": "I", "\u039a": "K", "\u039c": "M", "\u039d": "N",
    "\u039f": "O", "\u03a1": "P", "\u03a4": "T", "\u03a5": "Y", "\u03a7": "X", "\u03bf": "o",
    "\u03bd": "v", "\u03b1": "a",
})
MIN_FRAGMENT = 6
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9_]*_\d+\]")

Sanitizer = Callable[[list[dict[str, str]]], list[str]]
"""Maps a conversation (``[{"role", "content"}]``) to the texts that would reach the cloud."""


def canonical(text: str) -> str:
    """The comparison form of a text: letters and digits only, look-alikes folded."""
    folded = unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).translate(_CONFUSABLES)
    return "".join(ch for ch in folded.casefold() if ch.isalnum())


def survives(value: str, payloads: Sequence[str]) -> bool:
    """Whether ``value`` (or a contiguous half of it) reaches any of ``payloads``."""
    target = canonical(value)
    if not target:
        return False
    # A placeholder is a boundary: "Remember [CONNECTION_STRING_1]" must not read as "...emberconnection...".
    haystack = "\x00".join(canonical(piece) for p in payloads for piece in _PLACEHOLDER.split(p))
    if target in haystack:
        return True
    n = max(MIN_FRAGMENT, (len(target) + 1) // 2)
    return n < len(target) and any(target[i:i + n] in haystack for i in range(len(target) - n + 1))


def load_corpus(path: str | Path) -> list[dict[str, Any]]:
    """The records of a corpus file (one JSON object a line)."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@dataclass
class CategoryResult:
    """Detection counts of one category."""

    units: int = 0
    detected: int = 0
    records: int = 0
    records_clean: int = 0
    records_local: int = 0
    """Records with no cloud payload at all (detection that costs the cloud answer)."""
    missed_ids: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.detected / self.units if self.units else 1.0


def evaluate(records: Iterable[dict[str, Any]], sanitize: Sanitizer) -> dict[str, CategoryResult]:
    """Per-category detection: a unit is detected when it does not survive
    ``sanitize(record["messages"])``; a record is clean when all its units are."""
    results: dict[str, CategoryResult] = {}
    for rec in records:
        res = results.setdefault(rec["category"], CategoryResult())
        payloads = sanitize(rec["messages"])
        leaked = [v for v in rec["planted"] if survives(v, payloads)]
        res.units += len(rec["planted"])
        res.detected += len(rec["planted"]) - len(leaked)
        res.records += 1
        res.records_local += not payloads
        if leaked:
            res.missed_ids.append(rec["id"])
        else:
            res.records_clean += 1
    return results
