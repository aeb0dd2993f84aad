"""Shared test set-up: no third-party plugin autoload, offline model hubs."""
from __future__ import annotations

import os
import sys

sys._called_from_test = True  # type: ignore[attr-defined]  # plugin_manager skips entry points
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


import pytest  # noqa: E402


@pytest.fixture
def register_plugin():
    """``register_plugin(obj, name)`` registers a throwaway plugin object with the plugin
    manager for the duration of one test (unregistered at teardown, as llm's tests do)."""
    from ptmo_middleware.plugin_manager import load_plugins, pm

    load_plugins()
    names: list[str] = []

    def register(plugin: object, name: str) -> object:
        pm.register(plugin, name=name)
        names.append(name)
        return plugin

    try:
        yield register
    finally:
        for name in names:
            pm.unregister(name=name)
