"""The ``rl`` router: a policy trained under a privacy budget (see ptmo_middleware.rl).

It loads the shipped SB3 policy (``ptmo_middleware/rl/data/ppo_router.zip``, or the zip
named by ``$PTMO_RL_POLICY``), reads the live budget from the request, and picks one
action for the request: local, cloud raw, cloud masked, or split (PUBLIC parts to the
cloud, the rest local), among those the remaining budget can pay. The shield still
applies afterwards. Without a budget the policy acts as if a fresh budget of
``settings.budget.epsilon`` were left. A request in which no classifier found anything
goes to the cloud without asking the policy: keeping it local would buy no privacy.
"""
from __future__ import annotations

import os

from ptmo_middleware.budget.risk import RiskModel
from ptmo_middleware.components import RouteRequest
from ptmo_middleware.config import Settings
from ptmo_middleware.hookspecs import hookimpl
from ptmo_middleware.types import Part, Route


class RLPolicy:
    """Learned offloading under the privacy budget (PPO-Lagrangian by default)."""

    name = "rl"

    def __init__(self, settings: Settings) -> None:
        from ptmo_middleware.rl.policy import SHIPPED, NumpyPolicy

        self.settings = settings
        self.net = NumpyPolicy.load(os.environ.get("PTMO_RL_POLICY") or SHIPPED)
        self.risk_model = RiskModel.shipped()

    def route(self, parts: list[Part], request: RouteRequest) -> list[Route]:
        from ptmo_middleware.rl.features import action_routes, describe, observation

        spans = request.classification.spans
        if not spans:
            return [Route.CLOUD] * len(parts)
        text = " ".join(p.text for p in parts)
        view = describe(request.features, parts, spans, text, self.risk_model)
        epsilon = request.budget_epsilon or self.settings.budget.epsilon
        remaining = epsilon if request.budget_remaining is None else request.budget_remaining
        obs = observation(view.base, view.risk, view.retain, view.local_share, remaining, epsilon)
        return action_routes(self.net.decide(obs, view.risk, remaining), parts)


@hookimpl
def register_router_policies(register):
    register(RLPolicy)
