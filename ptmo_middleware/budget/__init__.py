"""The per-principal privacy-risk budget: risk function, accounts, stores.

A risk budget in the spirit of epsilon-DP, not differential privacy (see
:mod:`ptmo_middleware.budget.risk`).
"""
from __future__ import annotations

from .account import PrivacyBudget, open_store
from .risk import RiskModel
from .store import BudgetStore, MemoryStore, SpendResult

__all__ = ["PrivacyBudget", "open_store", "RiskModel", "BudgetStore", "MemoryStore", "SpendResult"]
