"""ptmo-middleware: on-device privacy routing for LLM applications.

>>> from ptmo_middleware import PrivacyRouter
>>> plan = PrivacyRouter(classifiers=["rules"]).plan("My password is secret123. What is Python?")
>>> plan.route.value
'hybrid'
"""
from __future__ import annotations

from .config import Settings
from .errors import (BackendError, BudgetExhausted, CloudBackendUnavailable, ConfigError,
                     InvalidPromptError, LocalBackendUnavailable, PluginError, PtmoError)
from .hookspecs import hookimpl
from .router import PrivacyRouter
from .seed_api import OffloadingDecision, PrivacyManager, QueryDecomposer, SensitivityClassifier
from .types import Classification, Message, Part, Plan, Route, SensitivityLevel, Span
from .vault import MaskVault

__version__ = "0.1.0"

__all__ = [
    "PrivacyRouter", "Settings", "hookimpl",
    "SensitivityLevel", "Span", "Classification", "Part", "Plan", "Route", "Message", "MaskVault",
    "SensitivityClassifier", "PrivacyManager", "QueryDecomposer", "OffloadingDecision",
    "PtmoError", "ConfigError", "InvalidPromptError", "PluginError", "BackendError",
    "LocalBackendUnavailable", "CloudBackendUnavailable", "BudgetExhausted",
]
