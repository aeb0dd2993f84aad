"""Threshold policy: each part's level decides (configurable in ``Settings.thresholds``)."""
from __future__ import annotations

from ptmo_middleware.components import RouteRequest
from ptmo_middleware.config import Settings
from ptmo_middleware.hookspecs import hookimpl
from ptmo_middleware.types import Part, Route

_ACTIONS = {"cloud": Route.CLOUD, "masked": Route.MASKED, "local": Route.LOCAL}


class ThresholdPolicy:
    """PUBLIC parts to the cloud raw, SEMI_SENSITIVE and PRIVATE parts masked, by default."""

    name = "threshold"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def route(self, parts: list[Part], request: RouteRequest) -> list[Route]:
        return [_ACTIONS[self.settings.thresholds[p.level]] for p in parts]


@hookimpl
def register_router_policies(register):
    register(ThresholdPolicy)
