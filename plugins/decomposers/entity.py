"""Entity decomposer: the whole prompt is one part; sensitive spans become placeholders."""
from __future__ import annotations

from ptmo_middleware.config import Settings
from ptmo_middleware.hookspecs import hookimpl
from ptmo_middleware.types import Part, Span
from ptmo_middleware.vault import MaskVault

from .base import make_part


class EntityDecomposer:
    """One part; maskable spans replaced by typed, numbered placeholders (``[PERSON_1]``)."""

    name = "entity"

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings

    def decompose(self, text: str, spans: list[Span], vault: MaskVault) -> list[Part]:
        return [make_part(text, 0, len(text), spans, vault)]


@hookimpl
def register_decomposers(register):
    register(EntityDecomposer)
