"""Encryption of vault values at rest: AES-256-GCM, and keyed digests to look values up.

Both keys are derived (HKDF-SHA256) from one secret, ``$PTMO_VAULT_KEY`` (at least 32
characters: ``python -c "import secrets; print(secrets.token_urlsafe(32))"``). Every
ciphertext is bound to its conversation (the conversation id is the associated data),
and a digest names a value only within one conversation, so the store learns neither
the values nor which conversations share one.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..errors import ConfigError, VaultStoreError

KEY_ENV = "PTMO_VAULT_KEY"
MIN_KEY_CHARS = 32
_NONCE = 12


class VaultCipher:
    """Encrypts and digests the values of conversations' mask maps."""

    def __init__(self, secret: str) -> None:
        if len(secret) < MIN_KEY_CHARS:
            raise ConfigError(f"{KEY_ENV} must be at least {MIN_KEY_CHARS} characters of random secret")
        keys = HKDF(algorithm=hashes.SHA256(), length=64, salt=None,
                    info=b"ptmo-middleware vault v1").derive(secret.encode("utf-8"))
        self._aead = AESGCM(keys[:32])
        self._mac_key = keys[32:]

    @classmethod
    def from_env(cls) -> "VaultCipher":
        """The cipher of ``$PTMO_VAULT_KEY``; a :class:`ConfigError` when it is not set."""
        secret = os.environ.get(KEY_ENV)
        if not secret:
            raise ConfigError(f"a persistent vault store (sqlite, redis) keeps values encrypted: set {KEY_ENV} "
                              "to a secret of at least 32 characters, the same on every replica")
        return cls(secret)

    def encrypt(self, conversation_id: str, value: str) -> bytes:
        nonce = secrets.token_bytes(_NONCE)
        return nonce + self._aead.encrypt(nonce, value.encode("utf-8", "surrogatepass"), conversation_id.encode())

    def decrypt(self, conversation_id: str, blob: bytes) -> str:
        try:
            plain = self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], conversation_id.encode())
        except InvalidTag:
            raise VaultStoreError(f"a vault value of conversation {conversation_id!r} does not decrypt with "
                                  f"this {KEY_ENV} (another key, or a tampered store)") from None
        return plain.decode("utf-8", "surrogatepass")

    def digest(self, conversation_id: str, label: str, value_key: str) -> str:
        """A keyed digest of a normalised value: how the store finds it again."""
        data = "\0".join((conversation_id, label, value_key)).encode("utf-8", "surrogatepass")
        return hmac.new(self._mac_key, data, hashlib.sha256).hexdigest()
