"""Shared, encrypted stores of the conversations' mask maps, so that replicas behind a
load balancer restore each other's placeholders.

``memory`` (the default) keeps each conversation's map in its process
(:class:`~ptmo_middleware.vault.VaultRegistry`); ``sqlite`` (one host) and ``redis``
(many hosts) keep it in a :class:`VaultStore`, behind an :class:`EncryptedLedger` that
encrypts every value with ``$PTMO_VAULT_KEY`` and lets a conversation expire
``ttl_s`` after its last use.
"""
from __future__ import annotations

from ..config import VaultSettings
from .cipher import VaultCipher
from .ledger import EncryptedLedger
from .store import VaultStore, open_vault_store

__all__ = ["EncryptedLedger", "VaultCipher", "VaultStore", "open_ledger", "open_vault_store"]


def open_ledger(settings: VaultSettings) -> EncryptedLedger:
    """The ledger of a persistent ``settings.store`` (``sqlite``, ``redis://``); it needs
    ``$PTMO_VAULT_KEY`` (a :class:`ConfigError` says so)."""
    cipher = VaultCipher.from_env()
    return EncryptedLedger(open_vault_store(settings.store), cipher, settings.ttl_s)
