"""Sentence decomposer: each sentence is a part, routed on its own."""
from __future__ import annotations

from ptmo_middleware.config import Settings
from ptmo_middleware.hookspecs import hookimpl
from ptmo_middleware.types import Part, Span
from ptmo_middleware.vault import MaskVault

from .base import make_parts, sentence_boundaries, split_at


class SentenceDecomposer:
    """Split at sentence ends (never inside a span); each sentence keeps its own level."""

    name = "sentence"

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings

    def decompose(self, text: str, spans: list[Span], vault: MaskVault) -> list[Part]:
        pieces = split_at(text, sentence_boundaries(text), spans) or [(0, len(text))]
        return make_parts(text, pieces, spans, vault)


@hookimpl
def register_decomposers(register):
    register(SentenceDecomposer)
