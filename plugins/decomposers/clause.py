"""Clause decomposer: sentences further split at clause boundaries."""
from __future__ import annotations

import re

from ptmo_middleware.config import Settings
from ptmo_middleware.hookspecs import hookimpl
from ptmo_middleware.types import Part, Span
from ptmo_middleware.vault import MaskVault

from .base import make_parts, sentence_boundaries, split_at

_CLAUSE = re.compile(
    r"(?<=[,;:])\s+|\s+(?=(?:and|but|because|so|while|although|though|whereas|which|who|since|unless)\b)",
    re.IGNORECASE)


class ClauseDecomposer:
    """Split at sentence ends, then at ``, ; :`` and before subordinating conjunctions."""

    name = "clause"

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings

    def decompose(self, text: str, spans: list[Span], vault: MaskVault) -> list[Part]:
        cuts = sentence_boundaries(text) + [m.end() for m in _CLAUSE.finditer(text)]
        pieces = split_at(text, cuts, spans) or [(0, len(text))]
        return make_parts(text, pieces, spans, vault)


@hookimpl
def register_decomposers(register):
    register(ClauseDecomposer)
