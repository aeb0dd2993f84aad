"""Shared mechanics of the decomposers: cutting a text into parts that respect spans."""
from __future__ import annotations

import re
from typing import Iterable, Sequence

from ptmo_middleware.types import Part, SensitivityLevel, Span
from ptmo_middleware.vault import MaskVault


def make_part(text: str, start: int, end: int, spans: Sequence[Span], vault: MaskVault) -> Part:
    """The part ``text[start:end]`` with the spans inside it (topic spans clipped to it),
    its level, maskability, and placeholder text."""
    sub = text[start:end]
    inside: list[Span] = []
    for s in spans:
        if s.maskable and start <= s.start and s.end <= end:
            inside.append(s.shifted(-start))
        elif not s.maskable and s.start < end and start < s.end:
            a, b = max(s.start, start) - start, min(s.end, end) - start
            inside.append(Span(a, b, s.entity_type, s.level, s.score, s.source, sub[a:b], False))
    level = max((s.level for s in inside), default=SensitivityLevel.PUBLIC)
    maskable = all(s.maskable for s in inside if s.level > SensitivityLevel.PUBLIC)
    return Part(text=sub, start=start, level=level, maskable=maskable, spans=inside,
                masked_text=vault.mask(sub, inside))


def split_at(text: str, boundaries: Iterable[int], spans: Sequence[Span]) -> list[tuple[int, int]]:
    """Cut ``text`` at the given offsets, skipping any that fall inside a maskable span;
    each piece keeps its trailing white space trimmed off and empty pieces are dropped."""
    inside = [(s.start, s.end) for s in spans if s.maskable]
    cuts = sorted({b for b in boundaries if 0 < b < len(text)
                   and not any(a < b < e for a, e in inside)})
    pieces = []
    prev = 0
    for c in cuts + [len(text)]:
        seg = text[prev:c]
        lead = len(seg) - len(seg.lstrip())
        s, e = prev + lead, prev + len(seg.rstrip())
        if e > s:
            pieces.append((s, e))
        prev = c
    return pieces


_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9\u00C0-\u024F\u0400-\u04FF])"  # Latin / Cyrillic
    r"|(?<=[。！？])"                                                               # CJK full stops
    r"|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)"                                        # paragraphs, list items
)
_ABBREVIATIONS = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|vs|etc|e\.g|i\.e|No|Inc|Ltd|Co)\.$", re.IGNORECASE)


def sentence_boundaries(text: str) -> list[int]:
    """Offsets where a new sentence starts (not after common abbreviations)."""
    out = []
    for m in _SENTENCE_END.finditer(text):
        if _ABBREVIATIONS.search(text[max(0, m.start() - 6):m.start()]):
            continue
        out.append(m.end())
    return out
