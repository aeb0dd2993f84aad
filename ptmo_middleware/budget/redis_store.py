"""Redis budget store: accounts shared by many app replicas.

Check-and-spend is one Lua script, which Redis runs atomically: it checks the request
id in the account's ledger hash, checks the limit, then records the spend. Totals are
integers (micro-units), so concurrent spends add up exactly.
"""
from __future__ import annotations

from typing import Any

from .store import SpendResult, from_units, owned_by

_SPEND = """
local total = tonumber(redis.call('GET', KEYS[1]) or '0')
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return {1, total, 1} end
local cost = tonumber(ARGV[2])
if total + cost > tonumber(ARGV[3]) then return {0, total, 0} end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return {1, redis.call('INCRBY', KEYS[1], cost), 0}
"""


def connect(url: str, store: str) -> Any:
    """A Redis client for ``url``; a clear error naming the ``store`` when the client
    package is not installed."""
    try:
        import redis
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(f"the redis {store} store needs: pip install 'ptmo-middleware[redis]'") from None
    return redis.Redis.from_url(url)


class RedisStore:
    """Budget accounts in Redis (``redis://host:port/db``); keys under ``prefix``."""

    def __init__(self, url: str = "redis://localhost:6379/0", *, prefix: str = "ptmo:budget:",
                 client: Any = None) -> None:
        client = client if client is not None else connect(url, "budget")
        self._r = client
        self._prefix = prefix
        self._spend = client.register_script(_SPEND)

    def _keys(self, key: str) -> list[str]:
        return [f"{self._prefix}total:{key}", f"{self._prefix}ledger:{key}"]

    def spend(self, key: str, cost: int, limit: int, request_id: str) -> SpendResult:
        granted, total, duplicate = self._spend(keys=self._keys(key), args=[request_id, cost, limit])
        return SpendResult(bool(granted), from_units(int(total)), bool(duplicate))

    def spent(self, key: str) -> float:
        return from_units(int(self._r.get(self._keys(key)[0]) or 0))

    def accounts(self) -> dict[str, float]:
        head = f"{self._prefix}total:"
        out = {}
        for raw in self._r.scan_iter(match=head + "*"):
            name = raw.decode() if isinstance(raw, bytes) else raw
            out[name[len(head):]] = from_units(int(self._r.get(name) or 0))
        return dict(sorted(out.items()))

    def reset(self, principal: str | None = None) -> int:
        keys = [k for k in self.accounts() if owned_by(k, principal)]
        for k in keys:
            self._r.delete(*self._keys(k))
        return len(keys)
