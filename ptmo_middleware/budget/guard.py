"""Planning within the budget, and the charge made before a payload leaves.

``BudgetGuard.plan_within_budget`` prices every plan (``Plan.budget_cost`` = its risk) and, when the
principal's account cannot pay it, routes the same analysis again (nothing is
classified twice) so that the request is answered locally (or, with
``when_exhausted = "mask"``, with every part masked if that fits) and says so in
``Plan.notes``. ``BudgetGuard.charge`` is the atomic check-and-spend the execution
path calls right before the cloud call; if a concurrent request took the budget in the
meantime it refuses, and the caller must answer locally.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..config import Settings
from .account import PrivacyBudget
from .risk import RiskModel

if TYPE_CHECKING:
    from ..pipeline import MessagesLike, Planner
    from ..types import Plan
    from ..vault import MaskVault


class BudgetGuard:
    """Prices plans with a :class:`RiskModel` and keeps them within a :class:`PrivacyBudget`."""

    def __init__(self, budget: PrivacyBudget | None, risk: RiskModel | None = None) -> None:
        self.budget = budget
        self.risk = risk or RiskModel.shipped()

    @classmethod
    def from_settings(cls, settings: Settings) -> "BudgetGuard":
        """A guard with the configured store when the budget is enabled, pricing only otherwise."""
        return cls(PrivacyBudget(settings.budget) if settings.budget.enabled else None)

    def plan_within_budget(self, planner: "Planner", prompt: "MessagesLike", vault: "MaskVault", *,
             policy: str | None = None, decomposer: str | None = None, principal: str | None = None) -> "Plan":
        """``planner.plan`` with the live budget passed to the policy and enforced."""
        principal = principal or planner.settings.principal
        conv = vault.conversation_id
        remaining = epsilon = None
        if self.budget is not None:
            remaining, epsilon = self.budget.remaining(principal, conv), self.budget.epsilon
        analysis = planner.analyse(prompt, vault, decomposer)

        def decide(policy_name: str | None) -> "Plan":
            plan = planner.decide(analysis, vault, policy=policy_name, principal=principal,
                                  budget_remaining=remaining, budget_epsilon=epsilon)
            plan.budget_cost = self.risk.plan_risk(plan)
            return plan

        plan = decide(policy)
        if self.budget is None or self.budget.can_pay(plan.budget_cost, principal, conv):
            return plan
        why = (f"privacy budget: this payload's risk {plan.budget_cost:.4f} exceeds the {remaining:.4f} "
               f"left of epsilon {epsilon:g} for {principal!r}")
        if planner.settings.budget.when_exhausted == "mask":
            masked = decide("masked-only")
            if self.budget.can_pay(masked.budget_cost, principal, conv):
                masked.notes.append(f"{why}; every part masked instead (risk {masked.budget_cost:.4f})")
                return masked
        local = decide("local-only")
        local.budget_cost = 0.0
        local.notes.append(f"{why}; answered locally (policy {plan.policy} asked {plan.route.value})")
        return local

    def charge(self, plan: "Plan") -> bool:
        """Atomically spend ``plan.budget_cost`` before its payload leaves; ``False``: the
        account cannot pay now, nothing may leave. Idempotent per ``plan.request_id``."""
        if self.budget is None or not plan.cloud_messages:
            return True
        return self.budget.charge(plan.budget_cost, plan.request_id, plan.principal,
                                  plan.conversation_id).granted
