"""Rules classifier: regular expressions with validation (checksums), and secrets."""
from __future__ import annotations

import re

from ptmo_middleware.components import ClassifyContext
from ptmo_middleware.config import Settings
from ptmo_middleware.hookspecs import hookimpl
from ptmo_middleware.types import Span

_PASSWORD = re.compile(r"(?i)\b(?:password|passwd|pwd|pw|passcode|pin)\b\s*(?:is|:|=)?\s*[\"']?(?P<v>\S+?)[\"']?(?=[\s,;]|[.!?](?:\s|$)|$)")


class RulesClassifier:
    """Regex + validation detectors; fast and dependency-free."""

    name = "rules"
    inline = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def classify(self, text: str, context: ClassifyContext) -> list[Span]:
        out = []
        for m in _PASSWORD.finditer(text):
            out.append(Span(m.start("v"), m.end("v"), "PASSWORD", self.settings.level_of("PASSWORD"), 0.95, self.name))
        return out


@hookimpl
def register_classifiers(register):
    register(RulesClassifier)
