"""The vault-store contract (opaque bytes: the ledger encrypts) and how to open one.

A store keeps, per conversation, entries ``placeholder -> (digest, ciphertext)`` and
assigns placeholder numbers atomically across processes: :meth:`VaultStore.claim`
returns the entry already recorded under a digest, or records a new ``[LABEL_n]``.
Each claim or load renews the conversation's expiry (``ttl_s`` from now).
"""
from __future__ import annotations

from collections.abc import Collection
from typing import Protocol, runtime_checkable

from ..errors import ConfigError


@runtime_checkable
class VaultStore(Protocol):
    def claim(self, conversation_id: str, label: str, digest: str, ciphertext: bytes,
              avoid: Collection[int], ttl_s: float) -> tuple[str, bytes]:
        """(placeholder, ciphertext) recorded under ``digest``: the existing entry, or a
        new ``[label_n]`` (``n`` above the label's numbers so far, not in ``avoid``)."""
        ...

    def load(self, conversation_id: str, ttl_s: float) -> list[tuple[str, bytes]]:
        """Every (placeholder, ciphertext) of a live conversation; renews its expiry."""
        ...

    def drop(self, conversation_id: str) -> None: ...

    def ping(self) -> None:
        """Raise when the store cannot be reached."""
        ...


def open_vault_store(spec: str) -> VaultStore:
    """A store from its spec: ``sqlite`` (user data dir), ``sqlite:///path``, or
    ``redis://host:port/db`` (also ``rediss://``, ``unix://``)."""
    if spec == "sqlite" or spec.startswith("sqlite:"):
        from .sqlite import SQLiteVaultStore

        return SQLiteVaultStore(spec[len("sqlite:"):].removeprefix("///") or None)
    if spec.startswith(("redis://", "rediss://", "unix://")):
        from .redis_store import RedisVaultStore

        return RedisVaultStore(spec)
    raise ConfigError(f"unknown vault store {spec!r}; use memory, sqlite, sqlite:///path or redis://host:port/db")
