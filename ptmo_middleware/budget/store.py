"""The budget-store contract and the in-memory store.

Spends are kept in integer micro-units (``UNITS`` per unit of risk), rounded up, so that
totals are exact whatever the order of concurrent spends and a tiny risk is never
charged as zero. Every spend carries a request id: spending the same id twice charges
once (a retried request, or one replayed after a crash, is not double-counted).
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

UNITS = 1_000_000


def to_units(value: float) -> int:
    """Risk -> integer micro-units, rounded up (never undercharge)."""
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"risk must be a finite number >= 0, got {value!r}")
    return math.ceil(round(value * UNITS, 6))


def from_units(units: int) -> float:
    return units / UNITS


@dataclass(frozen=True)
class SpendResult:
    """Outcome of an atomic check-and-spend.

    ``granted``: the cost was charged now, or had been charged before under the same
    request id (``duplicate``). ``spent``: the account's total after the call.
    """

    granted: bool
    spent: float
    duplicate: bool = False


@runtime_checkable
class BudgetStore(Protocol):
    """Where spends live. ``spend`` must be atomic across threads (and processes, for
    shared stores): check ``spent + cost <= limit`` and record the spend in one step."""

    def spend(self, key: str, cost: int, limit: int, request_id: str) -> SpendResult: ...

    def spent(self, key: str) -> float: ...

    def accounts(self) -> dict[str, float]: ...

    def reset(self, principal: str | None = None) -> int:
        """Delete the accounts of ``principal`` (every window), or all; return how many."""
        ...


def owned_by(key: str, principal: str | None) -> bool:
    """Whether account ``key`` (``"principal|window"``) belongs to ``principal`` (any if None)."""
    return principal is None or key.split("|", 1)[0] == principal


class MemoryStore:
    """Process-local store (tests, single-process apps that need no persistence)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._totals: dict[str, int] = {}
        self._ledger: dict[tuple[str, str], int] = {}

    def spend(self, key: str, cost: int, limit: int, request_id: str) -> SpendResult:
        with self._lock:
            total = self._totals.get(key, 0)
            if (key, request_id) in self._ledger:
                return SpendResult(True, from_units(total), duplicate=True)
            if total + cost > limit:
                return SpendResult(False, from_units(total))
            self._ledger[(key, request_id)] = cost
            self._totals[key] = total + cost
            return SpendResult(True, from_units(total + cost))

    def spent(self, key: str) -> float:
        with self._lock:
            return from_units(self._totals.get(key, 0))

    def accounts(self) -> dict[str, float]:
        with self._lock:
            return {k: from_units(v) for k, v in sorted(self._totals.items())}

    def reset(self, principal: str | None = None) -> int:
        with self._lock:
            keys = {k for k in self._totals if owned_by(k, principal)}
            for k in keys:
                del self._totals[k]
            self._ledger = {rk: v for rk, v in self._ledger.items() if rk[0] not in keys}
            return len(keys)
