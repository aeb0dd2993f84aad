"""Errors in OpenAI's shape (``{"error": {"message", "type", "param", "code"}}``) and the
status code of each failure of the router."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import (BackendError, BudgetExhausted, BudgetStoreError, CloudBackendUnavailable, ConfigError,
                      InvalidPromptError, LocalBackendUnavailable, PluginError, RequestTimeout, ToolsUnsupported,
                      VaultStoreError)


@dataclass
class ApiError(Exception):
    """A failure the client is told about: HTTP ``status`` and OpenAI's error fields."""

    status: int
    message: str
    type: str = "invalid_request_error"
    code: str | None = None
    param: str | None = None

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


def bad_request(message: str, param: str | None = None) -> ApiError:
    return ApiError(400, message, param=param)


#: Router failures -> (status, type, code); the first class that matches wins.
_STATUS: list[tuple[type[Exception], int, str, str]] = [
    (InvalidPromptError, 400, "invalid_request_error", "invalid_prompt"),
    (ToolsUnsupported, 400, "invalid_request_error", "tools_unsupported"),
    (BudgetExhausted, 429, "insufficient_quota", "privacy_budget_exhausted"),
    (BudgetStoreError, 503, "server_error", "budget_store_unavailable"),
    (VaultStoreError, 503, "server_error", "vault_store_unavailable"),
    (LocalBackendUnavailable, 503, "server_error", "local_backend_unavailable"),
    (RequestTimeout, 504, "server_error", "timeout"),
    (CloudBackendUnavailable, 502, "server_error", "cloud_backend_unavailable"),
    (BackendError, 502, "server_error", "backend_error"),
    (ConfigError, 500, "server_error", "configuration_error"),
    (PluginError, 500, "server_error", "plugin_error"),
]


def api_error(exc: Exception) -> ApiError:
    """The client-facing error of a router failure. Its message is the router's own,
    which names components and limits, never prompt text."""
    for kind, status, type_, code in _STATUS:
        if isinstance(exc, kind):
            return ApiError(status, str(exc), type_, code)
    return ApiError(500, f"internal error ({type(exc).__name__})", "server_error", "internal_error")
