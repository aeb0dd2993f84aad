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
    """A model backend failed (down, timed out, returned garbage)."""


class LocalBackendUnavailable(BackendError):
    """The local model is needed and cannot answer. Nothing was sent to the cloud."""


class CloudBackendUnavailable(BackendError):
    """The cloud model failed after retries."""


class BudgetExhausted(PtmoError):
    """The principal's privacy budget cannot pay for this payload."""
