"""Privacy budget accounts: one per principal and window, charged before a payload leaves.

``PrivacyBudget.charge`` is the atomic check-and-spend: it charges the cost only if the
account can pay it in full, keyed by a request id so a retried or replayed request is
charged once. Accounts are ``"<principal>|<window>"``: the conversation id, the UTC day,
or ``all`` (window ``none``).

Every call that reaches the store turns the store's own failures (``sqlite3.Error``,
``redis.RedisError``, ``OSError``) into :class:`~ptmo_middleware.errors.BudgetStoreError`,
the original as its cause: a caller catches one :class:`PtmoError` whatever the store.
"""
from __future__ import annotations

import contextlib
import datetime
import sqlite3
import sys
from collections.abc import Iterator
from typing import Callable

from ..config import BudgetSettings
from ..errors import BudgetStoreError
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


def store_errors() -> tuple[type[BaseException], ...]:
    """The exception types of a failing store: SQLite's, the OS's, and Redis's when the
    redis client is loaded (a Redis store imports it)."""
    kinds: list[type[BaseException]] = [sqlite3.Error, OSError]
    redis = sys.modules.get("redis")
    if redis is not None and hasattr(redis, "RedisError"):
        kinds.append(redis.RedisError)
    return tuple(kinds)


@contextlib.contextmanager
def _store_call(what: str) -> Iterator[None]:
    """Run a store call; its failure becomes a :class:`BudgetStoreError`."""
    try:
        yield
    except store_errors() as exc:
        raise BudgetStoreError(f"the privacy budget store failed to {what}: "
                               f"{type(exc).__name__}: {exc}. Nothing was charged.") from exc


class PrivacyBudget:
    """Risk accounts of every principal under one epsilon and window."""

    def __init__(self, settings: BudgetSettings | None = None, store: BudgetStore | None = None,
                 clock: Callable[[], datetime.datetime] | None = None) -> None:
        self.settings = settings or BudgetSettings(enabled=True)
        if store is None:
            with _store_call(f"open ({self.settings.store})"):
                store = open_store(self.settings.store)
        self.store = store
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
        """What the account has spent in its current window."""
        key = self.account(principal, conversation_id)
        with _store_call("read the account"):
            return self.store.spent(key)

    def remaining(self, principal: str, conversation_id: str = "default") -> float:
        """What the account can still pay in its current window (>= 0)."""
        return max(0.0, self.epsilon - self.spent(principal, conversation_id))

    def can_pay(self, cost: float, principal: str, conversation_id: str = "default") -> bool:
        """Whether ``cost`` fits now (advisory: only :meth:`charge` reserves it)."""
        spent = self.spent(principal, conversation_id)
        return to_units(spent) + to_units(cost) <= to_units(self.epsilon)

    def charge(self, cost: float, request_id: str, principal: str,
               conversation_id: str = "default") -> SpendResult:
        """Atomically charge ``cost`` unless the account cannot pay it in full."""
        if not request_id:
            raise ValueError("a spend needs a request id (for idempotency)")
        key, units, limit = self.account(principal, conversation_id), to_units(cost), to_units(self.epsilon)
        with _store_call("charge the account"):
            return self.store.spend(key, units, limit, request_id)

    def accounts(self) -> dict[str, float]:
        """Every account and what it has spent."""
        with _store_call("list the accounts"):
            return self.store.accounts()

    def reset(self, principal: str | None = None) -> int:
        """Forget the spends of ``principal`` (all windows), or of everyone."""
        with _store_call("reset accounts"):
            return self.store.reset(principal)
