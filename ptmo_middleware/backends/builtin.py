"""The built-in backends, registered through the ``register_backends`` hook like any
plugin's: ``ollama:<model>``, ``groq:<model>`` and ``embedded[:<adapter>]``. Each
factory imports its SDK only when a backend of its kind is built."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ConfigError
from ..hookspecs import Register, hookimpl

if TYPE_CHECKING:
    from ..config import Settings
    from . import Backend


def _model(arg: str, kind: str) -> str:
    if not arg.strip():
        raise ConfigError(f"backend {kind!r} names no model, e.g. '{kind}:llama3.2:3b'")
    return arg.strip()


def ollama(arg: str, settings: "Settings") -> "Backend":
    """A model served by Ollama (``OLLAMA_HOST``)."""
    from .ollama import OllamaBackend

    return OllamaBackend(_model(arg, "ollama"), timeout=settings.backend_timeout_s)


def groq(arg: str, settings: "Settings") -> "Backend":
    """A Groq-hosted model. The router's egress retries cloud calls itself (each attempt
    budgeted and audited), so the SDK makes none."""
    from .groq import GroqBackend

    return GroqBackend(_model(arg, "groq"), api_key=settings.groq_api_key, timeout=settings.backend_timeout_s)


def embedded(arg: str, settings: "Settings") -> "Backend":
    """Gemma 3 270M in this process, with the PEFT adapter ``arg`` names, if any."""
    from .embedded import EmbeddedBackend

    return EmbeddedBackend(adapter=arg or None)


@hookimpl
def register_backends(register: Register) -> None:
    register(ollama, name="ollama")
    register(groq, name="groq")
    register(embedded, name="embedded")
