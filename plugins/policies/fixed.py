"""Fixed policies: everything local, or everything to the cloud (still inside the shield)."""
from __future__ import annotations

from ptmo_middleware.components import RouteRequest
from ptmo_middleware.config import Settings
from ptmo_middleware.hookspecs import hookimpl
from ptmo_middleware.types import Part, Route


class LocalOnlyPolicy:
    """Nothing leaves the device."""

    name = "local-only"

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings

    def route(self, parts: list[Part], request: RouteRequest) -> list[Route]:
        return [Route.LOCAL] * len(parts)


class CloudOnlyPolicy:
    """Every part asks for the raw cloud; the shield still masks or keeps PRIVATE spans."""

    name = "cloud-only"

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings

    def route(self, parts: list[Part], request: RouteRequest) -> list[Route]:
        return [Route.CLOUD] * len(parts)


class MaskedOnlyPolicy:
    """Every part leaves masked (what the budget falls back to with when_exhausted = "mask")."""

    name = "masked-only"

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings

    def route(self, parts: list[Part], request: RouteRequest) -> list[Route]:
        return [Route.MASKED] * len(parts)


@hookimpl
def register_router_policies(register):
    register(LocalOnlyPolicy)
    register(CloudOnlyPolicy)
    register(MaskedOnlyPolicy)
