"""Shared test set-up: no third-party plugin autoload, offline model hubs."""
from __future__ import annotations

import os
import sys

sys._called_from_test = True  # type: ignore[attr-defined]  # plugin_manager skips entry points
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
