"""Redis vault store: mask maps shared by replicas on many hosts.

A conversation is three hashes (digest -> placeholder, placeholder -> ciphertext, label ->
last number); a claim is one Lua script, which Redis runs atomically, and renews the
hashes' expiry.
"""
from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ..budget.redis_store import connect

_CLAIM = """
local ph = redis.call('HGET', KEYS[1], ARGV[1])
if not ph then
  local avoid = {}
  for i = 5, #ARGV do avoid[ARGV[i]] = true end
  local n = tonumber(redis.call('HGET', KEYS[3], ARGV[2]) or '0') + 1
  while avoid[tostring(n)] do n = n + 1 end
  redis.call('HSET', KEYS[3], ARGV[2], n)
  ph = '[' .. ARGV[2] .. '_' .. n .. ']'
  redis.call('HSET', KEYS[1], ARGV[1], ph)
  redis.call('HSET', KEYS[2], ph, ARGV[3])
end
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[4]) end
return {ph, redis.call('HGET', KEYS[2], ph)}
"""


class RedisVaultStore:
    """Mask-map entries in Redis (``redis://host:port/db``); keys under ``prefix``."""

    def __init__(self, url: str = "redis://localhost:6379/0", *, prefix: str = "ptmo:vault:",
                 client: Any = None) -> None:
        client = client if client is not None else connect(url, "vault")
        self._r = client
        self._prefix = prefix
        self._claim = client.register_script(_CLAIM)

    def _keys(self, conversation_id: str) -> list[str]:
        return [f"{self._prefix}{conversation_id}:{part}" for part in ("index", "values", "counters")]

    def claim(self, conversation_id: str, label: str, digest: str, ciphertext: bytes,
              avoid: Collection[int], ttl_s: float) -> tuple[str, bytes]:
        ph, blob = self._claim(keys=self._keys(conversation_id),
                               args=[digest, label, ciphertext, int(ttl_s * 1000), *sorted(avoid)])
        return ph.decode() if isinstance(ph, bytes) else ph, blob

    def load(self, conversation_id: str, ttl_s: float) -> list[tuple[str, bytes]]:
        keys = self._keys(conversation_id)
        pipe = self._r.pipeline()
        pipe.hgetall(keys[1])
        for key in keys:
            pipe.pexpire(key, int(ttl_s * 1000))
        entries = pipe.execute()[0]
        return [(ph.decode() if isinstance(ph, bytes) else ph, blob) for ph, blob in entries.items()]

    def drop(self, conversation_id: str) -> None:
        self._r.delete(*self._keys(conversation_id))

    def ping(self) -> None:
        self._r.ping()
