"""The names of the Privacy-TMO API (docs/architecture.md), on top of :class:`PrivacyRouter`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .config import Settings
from .router import PrivacyRouter
from .types import Classification, Part, Plan, Route


class SensitivityClassifier:
    """``SensitivityClassifier().classify(text)`` -> :class:`Classification` (``.level``,
    ``.score`` in [0, 1], ``.spans``)."""

    def __init__(self, router: PrivacyRouter | None = None, **settings: Any) -> None:
        self.router = router or PrivacyRouter(**settings)

    def classify(self, text: str) -> Classification:
        return self.router.classify(text)


@dataclass
class OffloadingDecision:
    """``decision`` is LOCAL, CLOUD or HYBRID; ``plan`` holds the detail."""

    decision: Route
    plan: Plan

    @property
    def cloud_payloads(self) -> list[str]:
        return self.plan.cloud_payloads


class PrivacyManager:
    """``PrivacyManager().make_offloading_decision(query)`` as in the seed."""

    def __init__(self, router: PrivacyRouter | None = None, **settings: Any) -> None:
        self.router = router or PrivacyRouter(**settings)

    def make_offloading_decision(self, query: str, conversation_id: str = "default") -> OffloadingDecision:
        plan = self.router.plan(query, conversation_id=conversation_id)
        return OffloadingDecision(plan.route, plan)


class QueryDecomposer:
    """``QueryDecomposer().decompose(query, decomposer="sentence"|"clause"|"entity"|"auto")``
    -> the routed parts."""

    def __init__(self, router: PrivacyRouter | None = None, **settings: Any) -> None:
        self.router = router or PrivacyRouter(**settings)

    def decompose(self, query: str, decomposer: str = "auto") -> list[Part]:
        return self.router.plan(query, decomposer=decomposer).parts


__all__ = ["SensitivityClassifier", "PrivacyManager", "QueryDecomposer", "OffloadingDecision", "Settings"]
