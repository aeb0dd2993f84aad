"""Who is asking, and in which conversation.

API keys (``gateway.api_keys`` or ``$PTMO_API_KEYS``) map to principals, each with its
own privacy budget. A conversation is named by the ``x-ptmo-conversation`` header or,
without it, by a digest of the principal and the conversation's opening (its first
system and first user message), which every later turn of an unmodified OpenAI client
repeats; the router's conversation id is always scoped by the principal, so no key
reaches another's mask map.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping

from ..types import Message
from .errors import ApiError

CONVERSATION_HEADER = "x-ptmo-conversation"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class Principals:
    """API key -> principal; without keys every request is ``default``'s."""

    def __init__(self, api_keys: Mapping[str, str], default: str) -> None:
        self._by_digest = {_digest(k): p for k, p in api_keys.items()}
        self.default = default

    @property
    def open(self) -> bool:
        """Whether no key is asked for."""
        return not self._by_digest

    def authenticate(self, authorization: str | None) -> str:
        """The principal of an ``Authorization: Bearer <key>`` header; 401 otherwise."""
        if self.open:
            return self.default
        scheme, _, key = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise ApiError(401, "missing API key: send Authorization: Bearer <key>", code="invalid_api_key")
        principal = self._by_digest.get(_digest(key.strip()))
        if principal is None:
            raise ApiError(401, "incorrect API key", code="invalid_api_key")
        return principal


def conversation_of(principal: str, header: str | None, messages: list[Message]) -> tuple[str, str]:
    """(the conversation's name as the client sees it, the router's conversation id)."""
    if header:
        name = header.strip()
        if not name or len(name) > 200:
            raise ApiError(400, f"{CONVERSATION_HEADER} must be 1 to 200 characters", param=CONVERSATION_HEADER)
    else:
        opening = [next((m.content for m in messages if m.role == role), "") for role in ("system", "user")]
        name = "auto-" + _digest("\0".join([principal, *opening]))[:32]
    return name, f"{principal}/{name}"
