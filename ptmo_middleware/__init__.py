"""ptmo-middleware: on-device privacy routing for LLM applications.

>>> from ptmo_middleware import PrivacyRouter
>>> plan = PrivacyRouter(classifiers=["rules"]).plan("My password is secret123. What is Python?")
>>> plan.route.value
'hybrid'
"""
from __future__ import annotations

from typing import Any

from .config import Settings
from .errors import (BackendError, BudgetExhausted, BudgetStoreError, CloudBackendUnavailable, ConfigError,
                     InvalidPromptError, LocalBackendUnavailable, PluginError, PtmoError, RequestTimeout)
from .backends import Backend, BackendReply, Usage
from .execution import Reply, ReplyChunk
from .hookspecs import hookimpl
from .router import PrivacyRouter
from .seed_api import OffloadingDecision, PrivacyManager, QueryDecomposer, SensitivityClassifier
from .types import Classification, Message, Part, Plan, Route, SensitivityLevel, Span
from .vault import MaskVault

__version__ = "0.1.0"

#: The seed's offline names, which live in the lab (:mod:`ptmo_lab`, never imported by the
#: runtime): found on first use, so ``from ptmo_middleware import LoRATrainer`` still works.
_LAZY = {
    "LoRATrainer": "ptmo_lab.personalization.trainer",
    "train_personal_lora": "ptmo_lab.personalization.trainer",
    "BenchmarkSuite": "ptmo_lab.evaluation.benchmark",
    "BenchmarkConfig": "ptmo_lab.evaluation.benchmark",
    "PrivacyAttackSimulator": "ptmo_lab.evaluation.attacks",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "PrivacyRouter", "Settings", "hookimpl", "Reply", "ReplyChunk", "Usage", "Backend", "BackendReply",
    "SensitivityLevel", "Span", "Classification", "Part", "Plan", "Route", "Message", "MaskVault",
    "SensitivityClassifier", "PrivacyManager", "QueryDecomposer", "OffloadingDecision",
    "PtmoError", "ConfigError", "InvalidPromptError", "PluginError", "BackendError",
    "LocalBackendUnavailable", "CloudBackendUnavailable", "RequestTimeout", "BudgetExhausted", "BudgetStoreError",
    "LoRATrainer", "train_personal_lora", "BenchmarkSuite", "BenchmarkConfig", "PrivacyAttackSimulator",
]
