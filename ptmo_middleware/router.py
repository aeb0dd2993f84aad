"""PrivacyRouter: the public entry point. ``plan`` decides; nothing is called."""
from __future__ import annotations

import os
from typing import Any

from .audit import AuditLog, component_version, resolve_path
from .budget.guard import BudgetGuard
from .config import Settings
from .pipeline import MessagesLike, Planner
from .types import Classification, Plan
from .vault import MaskVault, VaultRegistry


class PrivacyRouter:
    """Decides, on the device, what of each request may leave it.

    ``PrivacyRouter(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile",
    policy="threshold")``; any :class:`Settings` field can be given as a keyword, or
    ``config="ptmo.toml"`` (environment variables ``PTMO_*`` apply in between).
    """

    def __init__(self, config: str | os.PathLike[str] | Settings | None = None, **overrides: Any) -> None:
        if isinstance(config, Settings):
            self.settings = config.model_copy(update=overrides) if overrides else config
        else:
            self.settings = Settings.load(config, **overrides)
        self.planner = Planner(self.settings)
        self.vaults = VaultRegistry()
        self.budget = BudgetGuard.from_settings(self.settings)
        audit_path = resolve_path(self.settings.audit_log)
        self.audit: AuditLog | None = AuditLog(audit_path) if audit_path else None

    def vault(self, conversation_id: str = "default") -> MaskVault:
        """The mask map of one conversation."""
        return self.vaults.get(conversation_id)

    def classify(self, text: str, conversation_id: str = "default") -> Classification:
        """Sensitivity of one text: level, score and spans."""
        return self.planner.classify(text, self.vault(conversation_id))

    def plan(self, prompt: MessagesLike, *, conversation_id: str = "default", policy: str | None = None,
             strategy: str | None = None, principal: str | None = None) -> Plan:
        """Classify, decompose and route ``prompt`` without calling any model.

        ``plan.cloud_messages`` is exactly what would leave the device.
        """
        plan = self.budget.plan(self.planner, prompt, self.vault(conversation_id), policy=policy,
                                strategy=strategy, principal=principal)
        if self.audit is not None:
            self.audit.record_plan(plan, component_version(self.planner.policy(plan.policy)))
        return plan

    @property
    def classifier_names(self) -> list[str]:
        return [c.name for c in self.planner.classifiers]
