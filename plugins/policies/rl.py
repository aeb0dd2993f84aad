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
        from ptmo_middleware.rl.value import ExpectedReward

        self.settings = settings
        path = os.environ.get("PTMO_RL_POLICY") or SHIPPED
        self.net = NumpyPolicy.load(path)
        self.reward = ExpectedReward.beside(path)
        self.risk_model = RiskModel.shipped()

    def route(self, parts: list[Part], request: RouteRequest) -> list[Route]:
        from ptmo_middleware.rl.features import action_routes, describe, observation

        spans = request.classification.spans
        if not spans:
            request.reasons.append("rl: nothing was found, so the request goes to the cloud without asking the "
                                   "policy (keeping it local would buy no privacy)")
            return [Route.CLOUD] * len(parts)
        text = " ".join(p.text for p in parts)
        view = describe(request.features, parts, spans, text, self.risk_model)
        epsilon = request.budget_epsilon or self.settings.budget.epsilon
        remaining = epsilon if request.budget_remaining is None else request.budget_remaining
        obs = observation(view, self.reward(view), remaining, epsilon)
        scores = self.net.scores(obs)
        action = self.net.decide(obs, scores)
        request.reasons.extend(_reasons(obs, scores, action, request.features))
        return action_routes(action, parts)


def _reasons(obs, scores, chosen, features) -> list[str]:
    """What the policy saw and weighed (counts and numbers only)."""
    from ptmo_middleware.rl.features import EPSILON_INDEX, REMAINING_INDEX, TASK_SLICE, TASKS, per_action
    from ptmo_middleware.rl.policy import affordable

    risk, retain, local_share, gain = per_action(obs)
    rows = zip(type(chosen), (risk + 0.0).tolist(), local_share.tolist(), retain.tolist(), gain.tolist(),
               scores.tolist(), affordable(obs).tolist())  # Python floats format several times faster
    lines = [f"rl: budget left {float(obs[REMAINING_INDEX]):.3g} of {float(obs[EPSILON_INDEX]):.3g}; request level "
             f"{int(features['level'])}, {int(features['n_spans_private'])} private and "
             f"{int(features['n_spans_semi'])} semi-sensitive span(s), task {TASKS[int(obs[TASK_SLICE].argmax())]}"]
    for action, r, local, sent, g, score, ok in rows:
        lines.append(f"rl:   {action.name.lower():6} risk {r:.3f}, keeps {local:.0%} local, sends {sent:.0%} of the "
                     f"words, expected gain over local {g:+.3f}, score {score:+.2f}"
                     + ("" if ok else " (over the budget left)") + (" <- chosen" if action is chosen else ""))
    return lines


@hookimpl
def register_router_policies(register):
    register(RLPolicy)
