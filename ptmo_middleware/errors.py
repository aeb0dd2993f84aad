"""Exceptions a caller may want to catch, all under :class:`PtmoError`."""
from __future__ import annotations


class PtmoError(Exception):
    """Base class of every ptmo-middleware error."""


class ConfigError(PtmoError, ValueError):
    """The configuration (file, environment or arguments) is invalid."""


class InvalidPromptError(PtmoError, ValueError):
    """The prompt cannot be planned: empty, too large, or not text."""


class PluginError(PtmoError):
    """A plugin is unknown, or does not fulfil its contract."""


class BackendError(PtmoError):
    """A model backend failed (down, timed out, returned garbage).

    ``retryable``: the same request may succeed if sent again (rate limit, server error,
    connection failure); ``retry_after``: the seconds the server asked to wait, if any.
    """

    def __init__(self, message: str, *, retryable: bool = False, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class LocalBackendUnavailable(BackendError):
    """The local model is needed and cannot answer. Nothing was sent to the cloud."""


class CloudBackendUnavailable(BackendError):
    """The cloud model failed after retries."""


class RequestTimeout(BackendError):
    """A request did not complete within ``request_timeout_s``."""


class BudgetExhausted(PtmoError):
    """The principal's privacy budget cannot pay for this payload."""


class BudgetStoreError(PtmoError):
    """The privacy budget's store failed (a locked or full SQLite file, Redis down).

    The budget could not be read or charged, so nothing was charged and nothing was sent
    to the cloud: from ``plan()`` no plan is made; at send time the cloud's part is
    answered locally and the reply is flagged ``budget_store_failed_answered_locally``.
    The store's own exception is the ``__cause__``."""


class ToolsUnsupported(PtmoError):
    """A request asks for tools or structured output and must be answered by a backend
    that cannot take them (the embedded model). Nothing was sent to the cloud."""


class ImagesUnsupported(PtmoError):
    """A request carries images and cannot be answered by the cloud, whole: images
    cannot be classified on the device and no local model here can see them, so such a
    request is never split, never answered locally in the cloud's place. Nothing was
    sent to the cloud (unless the cloud itself failed)."""


class VaultStoreError(PtmoError):
    """The shared store of the conversations' mask maps failed (Redis down, a locked
    SQLite file), or holds a value this key cannot decrypt. Nothing was sent to the
    cloud. The store's own exception is the ``__cause__``."""
