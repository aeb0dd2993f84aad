"""An example ptmo-middleware plugin: a classifier for employee IDs such as ``EMP-123456``.

Installed, it is found through the ``ptmo_middleware`` entry-point group; the IDs it
finds are PRIVATE (unless the user's ``level_policy`` sets ``EMPLOYEE_ID`` otherwise),
so they never leave the device unmasked.
"""
from __future__ import annotations

import re

from ptmo_middleware import SensitivityLevel, Settings, Span, hookimpl
from ptmo_middleware.components import ClassifyContext

_EMPLOYEE_ID = re.compile(r"\bEMP-\d{6}\b", re.IGNORECASE)


class EmployeeIdClassifier:
    """Finds ``EMP-`` followed by six digits."""

    name = "employee-id"
    inline = True  # cheap regex: run in the request's thread

    def __init__(self, settings: Settings) -> None:
        self.level = settings.level_policy.get("EMPLOYEE_ID", SensitivityLevel.PRIVATE)

    def classify(self, text: str, context: ClassifyContext) -> list[Span]:
        return [Span(m.start(), m.end(), "EMPLOYEE_ID", self.level, 0.99, self.name, m.group(0))
                for m in _EMPLOYEE_ID.finditer(text)]


@hookimpl
def register_classifiers(register):
    register(EmployeeIdClassifier)
