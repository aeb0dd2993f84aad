"""The privacy risk of a request: a documented function of what leaves the device.

This is a *risk budget in the spirit of epsilon-differential privacy*, not differential
privacy: no noise is added and no formal guarantee about an adversary follows. It is a
bounded, additive score of how much sensitive content a payload exposes, charged
against a per-principal budget epsilon.

Units of exposure in one request (only what actually leaves: the payloads after the
shield):
- every detected span in a part sent **raw**: weight ``w[level]`` (PUBLIC 0,
  SEMI_SENSITIVE 0.2, PRIVATE 1.0; PRIVATE never leaves raw past the shield);
- every detected span in a part sent **masked**: ``w[level] * masked_leak`` for a
  maskable span (the chance a placeholder still lets the value through), the full
  ``w[level]`` for a topic span, which masking cannot hide;
- what the classifiers **missed**: ``missed_per_kchar`` private units per 1000
  payload characters, each of weight ``residual_weight``. Both leak figures are
  measured on the training split of PUPA with :mod:`ptmo_lab.budget_calibration`
  and shipped in ``leak.json``.

Each unit i is treated as an independent chance c_i of exposing something private, so
the request's risk is ``1 - prod(1 - c_i)`` in [0, 1]; local parts contribute nothing.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Sequence

from ..tools import wire_text
from ..types import Part, Plan, Route, SensitivityLevel

DEFAULT_WEIGHTS: dict[SensitivityLevel, float] = {
    SensitivityLevel.PUBLIC: 0.0,
    SensitivityLevel.SEMI_SENSITIVE: 0.2,
    SensitivityLevel.PRIVATE: 1.0,
}


def _shipped_leak() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("leak.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class RiskModel:
    """Parameters of the risk function (defaults: the shipped measurement)."""

    masked_leak: float
    missed_per_kchar: float
    residual_weight: float = 0.2
    weights: dict[SensitivityLevel, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    def __post_init__(self) -> None:
        for name in ("masked_leak", "residual_weight"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {getattr(self, name)}")
        if self.missed_per_kchar < 0:
            raise ValueError("missed_per_kchar must be >= 0")

    @classmethod
    def shipped(cls) -> "RiskModel":
        """The model with the leak rates measured for the shipped masker."""
        leak = _shipped_leak()
        return cls(masked_leak=float(leak["masked_leak"]), missed_per_kchar=float(leak["missed_per_kchar"]))

    def exposures(self, parts: Sequence[Part], payload_chars: int | None = None) -> list[float]:
        """The chance c_i of each exposure unit in what leaves (see the module doc)."""
        out: list[float] = []
        for part in parts:
            if part.route is Route.CLOUD:
                out.extend(self.weights[s.level] for s in part.spans)
            elif part.route is Route.MASKED:
                out.extend(self.weights[s.level] * (self.masked_leak if s.maskable else 1.0) for s in part.spans)
        if payload_chars is None:
            payload_chars = sum(len(p.payload or "") for p in parts if p.route.leaves_device)
        missed = self.missed_per_kchar * payload_chars / 1000.0
        if missed > 0:
            out.append(1.0 - (1.0 - self.residual_weight) ** missed)
        return [c for c in out if c > 0]

    def request_risk(self, parts: Sequence[Part], payload_chars: int | None = None) -> float:
        """Risk in [0, 1] of sending ``parts`` as routed (``payload_chars``: all cloud text,
        history included; by default the parts' payloads)."""
        log_keep = sum(math.log1p(-min(c, 1.0 - 1e-12)) for c in self.exposures(parts, payload_chars))
        return -math.expm1(log_keep)

    def plan_risk(self, plan: Plan) -> float:
        """Risk of a plan: its parts, plus the residual risk of every cloud character
        (the masked history it carries and its tool calls included)."""
        if not plan.cloud_messages:
            return 0.0
        return self.request_risk(plan.parts, sum(len(wire_text(m)) for m in plan.cloud_messages))
