"""Auto decomposer: mask entities when that hides everything sensitive, else split by sentence."""
from __future__ import annotations

from ptmo_middleware.config import Settings
from ptmo_middleware.hookspecs import hookimpl
from ptmo_middleware.types import Part, SensitivityLevel, Span
from ptmo_middleware.vault import MaskVault

from .entity import EntityDecomposer
from .sentence import SentenceDecomposer


class AutoDecomposer:
    """Entity masking keeps the most of the prompt for the cloud; when a passage is
    PRIVATE as a whole (a sensitive topic, a failed classifier), split by sentence so
    only that passage stays local."""

    name = "auto"

    def __init__(self, settings: Settings | None = None) -> None:
        self._entity = EntityDecomposer(settings)
        self._sentence = SentenceDecomposer(settings)

    def decompose(self, text: str, spans: list[Span], vault: MaskVault) -> list[Part]:
        if any(not s.maskable and s.level >= SensitivityLevel.PRIVATE for s in spans):
            return self._sentence.decompose(text, spans, vault)
        return self._entity.decompose(text, spans, vault)


@hookimpl
def register_decomposers(register):
    register(AutoDecomposer)
