"""On-device personalisation: LoRA/QLoRA training on the user's history, the adapter store
(Personal / Group / General), adapter switching on a loaded model, and Ollama export.

Importing this package is light; torch, transformers and peft load only when training or
attaching adapters.
"""
from __future__ import annotations

from typing import Any

_LAZY = {
    "LoRATrainer": "trainer", "TrainingConfig": "trainer", "TrainResult": "trainer",
    "train_personal_lora": "trainer",
    "AdapterStore": "adapters", "AdapterLevel": "adapters", "AdapterInfo": "adapters",
    "Resolution": "adapters", "AdapterError": "adapters",
    "AdapterRuntime": "runtime",
    "HistoryError": "history", "Turn": "history", "load_history": "history", "scrub_turns": "history",
    "generate_history": "generator",
    "export_to_ollama": "ollama_export",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
