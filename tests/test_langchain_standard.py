"""LangChain's own standard test suites (PyPI ``langchain-tests``) for
PrivacyRouterChatModel. Every flag turned off here is listed, with its reason, in
docs/integrations.md."""
from __future__ import annotations

from typing import Any

import pytest
from langchain_tests.integration_tests import ChatModelIntegrationTests
from langchain_tests.unit_tests import ChatModelUnitTests

from ptmo_middleware.integrations.langchain import PrivacyRouterChatModel
from servers import GroqServer, OllamaServer, groq_server, ollama_server  # noqa: F401  (fixtures)


class _Flags:
    """The capabilities PrivacyRouterChatModel declares (see docs/integrations.md)."""

    @property
    def chat_model_class(self) -> type[PrivacyRouterChatModel]:
        return PrivacyRouterChatModel

    @property
    def has_tool_calling(self) -> bool:
        return True

    @property
    def has_tool_choice(self) -> bool:
        return True

    @property
    def has_structured_output(self) -> bool:
        return True

    @property
    def supports_json_mode(self) -> bool:
        return True

    @property
    def supports_model_override(self) -> bool:
        return False

    @property
    def returns_usage_metadata(self) -> bool:
        return True


class TestPrivacyRouterChatModelUnit(_Flags, ChatModelUnitTests):
    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"local": "ollama:llama3.2:3b", "cloud": "groq:llama-3.3-70b-versatile"}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return {"GROQ_API_KEY": "gsk-from-env"}, {}, {"api_key": "gsk-from-env"}


class TestPrivacyRouterChatModelIntegration(_Flags, ChatModelIntegrationTests):
    """Runs offline against loopback servers speaking Ollama's and Groq's wire protocols,
    through the real ``ollama`` and ``groq`` clients."""

    @pytest.fixture(autouse=True)
    def _loopback(self, ollama_server: OllamaServer, groq_server: GroqServer) -> None:
        """Fresh servers for every test; OLLAMA_HOST / GROQ_BASE_URL / GROQ_API_KEY point at them."""

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"local": "ollama:llama3.2:3b", "cloud": "groq:llama-3.3-70b-versatile",
                "router_settings": {"classifiers": ["rules"]}}
