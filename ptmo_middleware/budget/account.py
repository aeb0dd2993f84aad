"""Privacy budget accounts: one per principal and window, charged before a payload leaves.

``PrivacyBudget.charge`` is the atomic check-and-spend: it charges the cost only if the
account can pay it in full, keyed by a request id so a retried or replayed request is
charged once. Accounts are ``"<principal>|<window>"``: the conversation id, the UTC day,
or ``all`` (window ``none``).
"""
from __future__ import annotations

import datetime
from typing import Callable

from ..config import BudgetSettings
from .store import BudgetStore, MemoryStore, SpendResult, to_units


def open_store(spec: str) -> BudgetStore:
    """A store from its spec: ``memory``, ``sqlite`` (user data dir), ``sqlite:path``,
    ``sqlite:///relative/path`` or ``sqlite:////absolute/path`` (SQLAlchemy style),
    ``redis://host:port/db``."""
    if spec == "memory":
        return MemoryStore()
    if spec == "sqlite" or spec.startswith("sqlite:"):
        from .sqlite import SQLiteStore

        rest = spec[len("sqlite:"):]
        return SQLiteStore(rest.removeprefix("///") or None)
    if spec.startswith(("redis://", "rediss://", "unix://")):
        from .redis_store import RedisStore

        return RedisStore(spec)
    raise ValueError(f"unknown budget store {spec!r}; use memory, sqlite, sqlite:///path or redis://host:port/db")


class PrivacyBudget:
    """Risk accounts of every principal under one epsilon and window."""

    def __init__(self, settings: BudgetSettings | None = None, store: BudgetStore | None = None,
                 clock: Callable[[], datetime.datetime] | None = None) -> None:
        self.settings = settings or BudgetSettings(enabled=True)
        self.store = store if store is not None else open_store(self.settings.store)
        self._clock = clock or (lambda: datetime.datetime.now(datetime.timezone.utc))

    @property
    def epsilon(self) -> float:
        return self.settings.epsilon

    def account(self, principal: str, conversation_id: str = "default") -> str:
        """The account key charged for ``principal`` in the current window."""
        if "|" in principal:
            raise ValueError(f"principal {principal!r} must not contain '|'")
        window = self.settings.window
        if window == "conversation":
            wid = f"conv:{conversation_id}"
        elif window == "day":
            wid = f"day:{self._clock().date().isoformat()}"
        else:
            wid = "all"
        return f"{principal}|{wid}"

    def spent(self, principal: str, conversation_id: str = "default") -> float:
        return self.store.spent(self.account(principal, conversation_id))

    def remaining(self, principal: str, conversation_id: str = "default") -> float:
        """What the account can still pay in its current window (>= 0)."""
        return max(0.0, self.epsilon - self.spent(principal, conversation_id))

    def can_pay(self, cost: float, principal: str, conversation_id: str = "default") -> bool:
        """Whether ``cost`` fits now (advisory: only :meth:`charge` reserves it)."""
        spent = self.store.spent(self.account(principal, conversation_id))
        return to_units(spent) + to_units(cost) <= to_units(self.epsilon)

    def charge(self, cost: float, request_id: str, principal: str,
               conversation_id: str = "default") -> SpendResult:
        """Atomically charge ``cost`` unless the account cannot pay it in full."""
        if not request_id:
            raise ValueError("a spend needs a request id (for idempotency)")
        return self.store.spend(self.account(principal, conversation_id), to_units(cost),
                                to_units(self.epsilon), request_id)

    def accounts(self) -> dict[str, float]:
        """Every account and what it has spent."""
        return self.store.accounts()

    def reset(self, principal: str | None = None) -> int:
        """Forget the spends of ``principal`` (all windows), or of everyone."""
        return self.store.reset(principal)
