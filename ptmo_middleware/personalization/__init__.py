"""On-device personalisation at run time: the adapter store (Personal / Group / General)
and adapter switching on a loaded model. Training adapters is the lab's
(:mod:`ptmo_lab.personalization`).

Importing this package is light; torch, transformers and peft load only when attaching
adapters.
"""
from __future__ import annotations

from typing import Any

_LAZY = {
    "AdapterStore": "adapters", "AdapterLevel": "adapters", "AdapterInfo": "adapters",
    "Resolution": "adapters", "AdapterError": "adapters",
    "AdapterRuntime": "runtime",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
