"""Running policies over held-out sessions: the figures of the benchmark.

A policy here maps an observation to an :class:`~.features.Action`. Baselines:
``local-only``, ``cloud-only`` (no protection beyond the shield), ``random``, and
``threshold`` (the rules policy: PUBLIC requests raw to the cloud, others masked); a
``+guard`` suffix runs a policy with the budget enforced as the run-time guard does
(a request the budget cannot pay is answered locally). Learned policies are evaluated
without the guard, so their own over-budget share is what is measured. An
:class:`AdaptivePolicy` (the baselines of :mod:`.baselines`) is also told when a session
starts and what each of its decisions yielded.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ptmo_lab.rl.env import OffloadEnv
from ptmo_middleware.rl.features import NOTHING_FOUND_INDEX, Action

Policy = Callable[[np.ndarray, np.random.Generator], int]


class AdaptivePolicy(ABC):
    """A policy with state: it may plan when a session starts and learn from each step."""

    @abstractmethod
    def __call__(self, obs: np.ndarray, rng: np.random.Generator) -> int:
        """The action for the request of ``obs``."""

    def begin(self, env: OffloadEnv) -> None:
        """Called after ``env.reset``, before the session's first decision."""

    def observe(self, obs: np.ndarray, action: int, info: dict[str, Any]) -> None:
        """Called after each step with the observation decided on and the step's ``info``."""


BASELINES: dict[str, Policy] = {
    "local-only": lambda obs, rng: int(Action.LOCAL),
    "cloud-only": lambda obs, rng: int(Action.CLOUD),
    "random": lambda obs, rng: int(rng.integers(len(Action))),
    "threshold": lambda obs, rng: int(Action.CLOUD if obs[0] == 0 else Action.MASKED),
}


def sb3_policy(model: Any) -> Policy:
    """A deterministic policy from a trained SB3 model."""
    return lambda obs, rng: int(model.predict(obs, deterministic=True)[0])


@dataclass
class SessionStats:
    reward: float
    expected: float
    """The reward the session's choices were expected to earn (under the task the outcomes
    are drawn from, budget bonus included): the reward without the draws' noise, which is
    what :func:`~.baselines.session_bound` bounds."""
    quality: float
    latency: float
    cost: float
    risk: float
    over_budget: bool
    clean: int
    """Requests of the session in which nothing was found,"""
    clean_cloud: int
    """and how many of them went to the cloud."""


def run_sessions(env: OffloadEnv, policy: Policy | AdaptivePolicy, epsilon: float, sessions: int, seed: int) -> list[SessionStats]:
    """``sessions`` episodes at a fixed epsilon; the same seed gives the same sessions and draws."""
    rng = np.random.default_rng(seed + 7919)
    adaptive = isinstance(policy, AdaptivePolicy)
    out = []
    for k in range(sessions):
        obs, _ = env.reset(seed=seed * 100_003 + k, options={"epsilon": epsilon})
        if adaptive:
            policy.begin(env)
        total = {"reward": 0.0, "expected": 0.0, "quality": 0.0, "latency": 0.0, "cost": 0.0}
        clean = clean_cloud = 0
        info: dict[str, Any] = {}
        for request in env.requests:
            decided = obs
            obs, _, _, _, info = env.step(policy(decided, rng))
            if adaptive:
                policy.observe(decided, info["action"], info)
            if decided[NOTHING_FOUND_INDEX] >= 0.5:
                clean += 1
                clean_cloud += info["action"] != Action.LOCAL
            total["reward"] += info["reward_task"]
            total["expected"] += float(env.expected_rewards(request)[info["action"]])
            for key in ("quality", "latency", "cost"):
                total[key] += info[key]
        n = env.horizon
        total["expected"] += env.weights.g * (not info["over_budget"])
        out.append(SessionStats(total["reward"], total["expected"], total["quality"] / n, total["latency"] / n,
                                total["cost"] / n, info["session_risk"], bool(info["over_budget"]), clean, clean_cloud))
    return out


def summarise(stats: list[SessionStats]) -> dict[str, float]:
    """Means over sessions (over-budget as a share; ``clean_cloud``: the share of requests
    in which nothing was found that went to the cloud)."""
    return {
        "reward": float(np.mean([s.reward for s in stats])),
        "expected": float(np.mean([s.expected for s in stats])),
        "quality": float(np.mean([s.quality for s in stats])),
        "latency": float(np.mean([s.latency for s in stats])),
        "cost": float(np.mean([s.cost for s in stats])),
        "risk": float(np.mean([s.risk for s in stats])),
        "over_budget": float(np.mean([s.over_budget for s in stats])),
        "clean_cloud": sum(s.clean_cloud for s in stats) / max(sum(s.clean for s in stats), 1),
    }
