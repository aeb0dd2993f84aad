"""The :class:`~ptmo_middleware.vault.PlaceholderLedger` over a :class:`VaultStore`:
values encrypted before they reach the store, store failures as :class:`VaultStoreError`."""
from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator

from ..budget.account import store_errors
from ..errors import VaultStoreError
from .cipher import VaultCipher
from .store import VaultStore


@contextlib.contextmanager
def _store_call(what: str) -> Iterator[None]:
    try:
        yield
    except store_errors() as exc:
        raise VaultStoreError(f"the vault store failed to {what}: {type(exc).__name__}: {exc}. "
                              "Nothing was sent to the cloud.") from exc


class EncryptedLedger:
    """Conversations' placeholders in a shared store, their values encrypted."""

    def __init__(self, store: VaultStore, cipher: VaultCipher, ttl_s: float) -> None:
        self.store = store
        self.cipher = cipher
        self.ttl_s = ttl_s

    def load(self, conversation_id: str) -> list[tuple[str, str]]:
        with _store_call("load a conversation"):
            entries = self.store.load(conversation_id, self.ttl_s)
        return [(ph, self.cipher.decrypt(conversation_id, blob)) for ph, blob in entries]

    def claim(self, conversation_id: str, label: str, value_key: str, value: str,
              avoid: Collection[int]) -> tuple[str, str]:
        digest = self.cipher.digest(conversation_id, label, value_key)
        with _store_call("record a placeholder"):
            ph, blob = self.store.claim(conversation_id, label, digest, self.cipher.encrypt(conversation_id, value),
                                        avoid, self.ttl_s)
        return ph, self.cipher.decrypt(conversation_id, blob)

    def drop(self, conversation_id: str) -> None:
        with _store_call("drop a conversation"):
            self.store.drop(conversation_id)

    def ping(self) -> None:
        """Raise :class:`VaultStoreError` when the store cannot be reached."""
        with _store_call("answer"):
            self.store.ping()
