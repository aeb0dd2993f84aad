"""Training the router: PPO-Lagrangian (and A2C, DQN variants) with dual ascent on lambda.

The Lagrange multipliers are real dual variables, one per budget bucket: epsilon is
drawn per session, so the constraint E[overshoot | epsilon] <= target is one constraint
per budget, and one multiplier for all of them makes the policy equally cautious at
every epsilon (too cautious with a large budget, not enough with a small one). The
sampled range of epsilon is cut at ``edges`` (by default between the benchmark budgets
0.3, 0.5, 0.7 and 1.0) and every ``update_every`` steps each bucket k with finished
sessions takes a step

    lambda_k <- max(0, lambda_k + lr * (mean overshoot of bucket k's sessions - target))

(overshoot = max(0, sum risk - epsilon)), as OpenAI's Safety Gym PPO-Lagrangian
baselines do with their cost limit. The multipliers are pushed into the environments,
which pay ``R - lambda_k(epsilon) * c_t``. ``edges=()`` gives the single shared multiplier.
With ``constraint="share"`` (see :class:`~.env.OffloadEnv`) a session's cost is 1 if it
went over budget, so each bucket's step uses its measured over-budget share instead.

``ptmo train-router`` trains with :data:`SHIPPED_WEIGHTS`, :data:`SHIPPED_TIMESTEPS` and
:data:`SHIPPED_DUAL_TARGET` by default (the shipped policy) and writes ``ppo_router.zip``
and its record (how it was trained, and the reward model the policy reads) to ``--out``.
"""
from __future__ import annotations

import bisect
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ptmo_middleware.rl.policy import SHIPPED
from ptmo_middleware.rl.value import RewardWeights

ALGOS = ("ppo", "a2c", "dqn")
DATA_DIR = SHIPPED.parent
"""Where the shipped policy lives (in the runtime package, which runs it)."""


#: Bucket edges of epsilon: midpoints between the benchmark budgets 0.3, 0.5, 0.7, 1.0.
BUDGET_EDGES: tuple[float, ...] = (0.4, 0.6, 0.85)
SHIPPED_WEIGHTS = RewardWeights(b3=0.0, b4=0.0)
"""The shipped policy's reward: no cost or risk term, so only the budget holds a request
back (a flat-rate cloud plan; the user's epsilon is the privacy they will spend)."""
SHIPPED_TIMESTEPS = 500_000
SHIPPED_DUAL_TARGET = 0.005


@dataclass
class DualAscent:
    """The multipliers, one per epsilon bucket (``edges`` cut the epsilon axis)."""

    lr: float = 0.5
    target: float = 0.0005
    edges: tuple[float, ...] = BUDGET_EDGES
    values: list[float] = field(default_factory=list)
    history: list[tuple[int, int, float, float]] = field(default_factory=list)
    """(step, bucket, mean overshoot of its sessions, lambda after the step)."""

    def __post_init__(self) -> None:
        if list(self.edges) != sorted(self.edges):
            raise ValueError(f"bucket edges must be increasing, got {self.edges}")
        if not self.values:
            self.values = [0.0] * (len(self.edges) + 1)
        if len(self.values) != len(self.edges) + 1:
            raise ValueError(f"{len(self.edges)} edges need {len(self.edges) + 1} multipliers")

    def bucket(self, epsilon: float) -> int:
        """Index of the bucket of ``epsilon`` (an edge belongs to the bucket above it)."""
        return bisect.bisect_right(self.edges, epsilon)

    def lagrange(self, epsilon: float) -> float:
        """The multiplier of a session with budget ``epsilon``."""
        return self.values[self.bucket(epsilon)]

    @property
    def value(self) -> float:
        """The largest multiplier (the single one when there are no edges)."""
        return max(self.values)

    def update(self, step: int, sessions: list[tuple[float, float]]) -> list[float]:
        """One dual-ascent step per bucket from finished ``(epsilon, overshoot)`` sessions;
        a bucket with no finished session keeps its multiplier."""
        grouped: dict[int, list[float]] = {}
        for epsilon, overshoot in sessions:
            grouped.setdefault(self.bucket(epsilon), []).append(overshoot)
        for k in sorted(grouped):
            mean = float(np.mean(grouped[k]))
            self.values[k] = max(0.0, self.values[k] + self.lr * (mean - self.target))
            self.history.append((step, k, mean, self.values[k]))
        return list(self.values)

    def buckets(self) -> list[str]:
        """Readable bucket ranges, e.g. ``['<0.4', '0.4-0.6', '0.6-0.85', '>=0.85']``."""
        if not self.edges:
            return ["all"]
        inner = [f"{a:g}-{b:g}" for a, b in zip(self.edges, self.edges[1:])]
        return [f"<{self.edges[0]:g}"] + inner + [f">={self.edges[-1]:g}"]


def _callback(dual: DualAscent, update_every: int, on_step: Callable[[int], None] | None):
    from stable_baselines3.common.callbacks import BaseCallback

    class LagrangeCallback(BaseCallback):
        """Collects the (epsilon, overshoot) of finished sessions; updates the multipliers."""

        def __init__(self) -> None:
            super().__init__()
            self.pending: list[tuple[float, float]] = []

        def _push(self, name: str, value: Any) -> None:
            # set_attr would set it on SB3's Monitor wrapper, which the env never reads:
            # set_wrapper_attr reaches the OffloadEnv under the wrappers
            self.training_env.env_method("set_wrapper_attr", name, value)

        def _on_training_start(self) -> None:
            self._push("lagrange_edges", tuple(dual.edges))
            self._push("lagrange", list(dual.values))

        def _on_step(self) -> bool:
            for info, done in zip(self.locals["infos"], self.locals["dones"]):
                if done and "session_cost" in info:
                    self.pending.append((info["epsilon"], info["session_cost"]))
            if self.num_timesteps % update_every < self.training_env.num_envs:
                lams = dual.update(self.num_timesteps, self.pending)
                self.pending = []
                self._push("lagrange", lams)
                for name, lam in zip(dual.buckets(), lams):
                    self.logger.record(f"lagrange/lambda_{name}", lam)
            if on_step is not None:
                on_step(self.training_env.num_envs)
            return True

    return LagrangeCallback()


def make_env(split: str = "train", **kwargs: Any):
    """The environment over a featurised pool of ``split``."""
    from ptmo_lab.rl.calibration import calibrate
    from ptmo_lab.rl.corpus import build_pool
    from ptmo_lab.rl.env import OffloadEnv

    return OffloadEnv(build_pool(split), calibrate("train"), **kwargs)


def make_model(algo: str, env: Any, seed: int) -> Any:
    """An SB3 model with a small MLP policy."""
    import stable_baselines3 as sb3

    net = [64, 64]
    if algo == "ppo":
        return sb3.PPO("MlpPolicy", env, n_steps=2048, batch_size=256, n_epochs=5, gamma=0.97, learning_rate=3e-4,
                       ent_coef=0.01, policy_kwargs={"net_arch": net}, seed=seed, device="cpu", verbose=0)
    if algo == "a2c":
        return sb3.A2C("MlpPolicy", env, n_steps=20, gamma=0.97, learning_rate=7e-4, ent_coef=0.01,
                       policy_kwargs={"net_arch": net}, seed=seed, device="cpu", verbose=0)
    if algo == "dqn":
        return sb3.DQN("MlpPolicy", env, learning_starts=2000, buffer_size=50_000, batch_size=128, gamma=0.97,
                       train_freq=4, target_update_interval=1000, exploration_fraction=0.3,
                       exploration_final_eps=0.02, learning_rate=5e-4, policy_kwargs={"net_arch": net},
                       seed=seed, device="cpu", verbose=0)
    raise ValueError(f"unknown algorithm {algo!r}; use one of {', '.join(ALGOS)}")


def train(algo: str = "ppo", timesteps: int = 200_000, seed: int = 0, out: Path | None = None,
          update_every: int = 2048, dual: DualAscent | None = None,
          on_step: Callable[[int], None] | None = None, **env_kwargs: Any) -> tuple[Any, dict[str, Any]]:
    """Train one policy; save ``<algo>_router.zip`` and its record under ``out`` if given.
    ``env_kwargs`` go to the environment (``weights=RewardWeights(...)``, ``horizon``...)."""
    import torch

    torch.set_num_threads(1)
    env = make_env("train", **env_kwargs)
    model = make_model(algo, env, seed)
    dual = dual or DualAscent()
    t0 = time.perf_counter()
    model.learn(total_timesteps=timesteps, callback=_callback(dual, update_every, on_step))
    record = {
        "algo": algo, "timesteps": timesteps, "seed": seed, "seconds": round(time.perf_counter() - t0, 1),
        "final_lambda": dual.value, "final_lambdas": dict(zip(dual.buckets(), dual.values)),
        "lambda_history": dual.history[-40:], "dual_lr": dual.lr, "dual_target": dual.target,
        "dual_edges": list(dual.edges), "constraint": env.constraint, "pool": env.pool.meta,
        **env.reward_model.to_record(),
        "command": f"ptmo train-router --algo {algo} --timesteps {timesteps} --seed {seed} "
                   f"--cost-weight {env.weights.b3:g} --risk-weight {env.weights.b4:g} --dual-target {dual.target:g}"
                   + (f" --constraint {env.constraint}" if env.constraint != "amount" else ""),
    }
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        model.save(out / f"{algo}_router.zip")
        (out / f"{algo}_router.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return model, record
