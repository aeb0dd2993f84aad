"""The shield: enforces invariant 1 of docs/architecture.md after any router policy.

No span at level PRIVATE may appear in a cloud payload. A part the policy sends raw to
the cloud is masked instead when all its PRIVATE content is maskable, and kept local
otherwise; a final check looks for every PRIVATE value in the payloads and keeps the
part local if one is still there. Policies, including learned ones, act only inside it.
"""
from __future__ import annotations

from typing import Sequence

from .types import Part, Route, SensitivityLevel, Span


def apply_shield(parts: Sequence[Part], routes: Sequence[Route], spans: Sequence[Span]) -> list[str]:
    """Set each part's final ``route`` and ``payload``; return notes on what was overridden."""
    notes: list[str] = []
    private_values = {s.text.strip() for s in spans
                      if s.level >= SensitivityLevel.PRIVATE and s.maskable and s.text.strip()}
    for i, (part, wanted) in enumerate(zip(parts, routes)):
        route = Route(wanted)
        if route is Route.HYBRID:
            route = Route.MASKED
        private = [s for s in part.spans if s.level >= SensitivityLevel.PRIVATE]
        if route.leaves_device and any(not s.maskable for s in private):
            notes.append(f"part {i}: PRIVATE content that cannot be masked; kept local (policy asked {wanted.value})")
            route = Route.LOCAL
        elif route is Route.CLOUD and private:
            notes.append(f"part {i}: PRIVATE spans masked (policy asked raw cloud)")
            route = Route.MASKED
        payload = {Route.CLOUD: part.text, Route.MASKED: part.masked_text}.get(route)
        if payload is not None and any(v in payload for v in private_values):
            notes.append(f"part {i}: a PRIVATE value survived masking; kept local")
            route, payload = Route.LOCAL, None
        part.route = route
        part.payload = payload
    return notes
