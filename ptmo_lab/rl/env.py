"""The offloading environment: sessions of real requests under a privacy budget.

One episode is a session of ``horizon`` requests drawn from a :class:`~.corpus.Pool`
(PUPA, M4A1 and generated public prompts, mixed by ``mix``) for one principal whose
budget epsilon is drawn per episode (so one policy serves every budget). Actions:
:class:`~.features.Action` (local, cloud raw, cloud masked, split). The shield is the
run-time one: the per-action outcomes were computed by routing copies of the parts
through :func:`ptmo_middleware.shield.apply_shield`, so asking for raw cloud on a
PRIVATE request yields what the shield lets out (masked, or local), never raw.

Per step, with q/latency/cost drawn from M4A1 logs of the task (:mod:`.calibration`):

    Quality     = retain * q_cloud + local_share * q_local
    Association = association(request) * local_share
    R = a*Quality + b1*Association - b2*Latency - b3*Cost - b4*PrivacyRisk
        (+ g*BudgetBonus at the end of the session: 1 if sum PrivacyRisk <= epsilon)

The constraint sum_t PrivacyRisk <= epsilon enters as a Lagrangian: the agent receives
``R - lambda * c_t`` with c_t the part of this step's risk beyond the budget, and the
trainer raises or lowers the multipliers by dual ascent (:mod:`.train`). ``lagrange`` is
one multiplier, or one per epsilon bucket (``lagrange_edges`` cut the epsilon axis), in
which case a session pays the multiplier of its own budget. ``constraint`` picks c_t:
``"amount"`` (default) the risk beyond the budget, so the constraint bounds the mean
overshoot; ``"share"`` 1 at the step that first crosses the budget, so it bounds the
share of sessions over budget (the benchmark's target) and a small overshoot costs as
much as a large one. ``info["session_cost"]`` is the session's total c. ``info`` carries
the unpenalised reward and, at the end of a session, its risk and whether it went over.
"""
from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

import gymnasium as gym
import numpy as np

from ptmo_lab.rl.calibration import Calibration
from ptmo_lab.rl.corpus import SOURCES, Pool
from ptmo_middleware.rl.features import OBS_DIM, Action, observation
from ptmo_middleware.rl.value import ExpectedReward, RewardWeights

__all__ = ["OffloadEnv", "RewardWeights"]


class OffloadEnv(gym.Env):
    """Sessions of requests; see the module doc."""

    metadata: dict[str, Any] = {"render_modes": []}

    def __init__(self, pool: Pool, calibration: Calibration, *, horizon: int = 10,
                 epsilon: float | tuple[float, float] = (0.2, 1.2), mix: tuple[float, float, float] = (0.4, 0.3, 0.3),
                 weights: RewardWeights = RewardWeights(), enforce_budget: bool = False, lagrange: float | Sequence[float] = 0.0,
                 lagrange_edges: Sequence[float] = (), constraint: str = "amount") -> None:
        super().__init__()
        if horizon < 1:
            raise ValueError("horizon must be >= 1")
        self.pool, self.cal, self.horizon, self.weights = pool, calibration, horizon, weights
        self.epsilon_spec = epsilon
        self.mix = np.asarray(mix, dtype=float) / np.sum(mix)
        self.by_source = [pool.indices(s) for s in SOURCES]
        self.enforce_budget = enforce_budget
        self.lagrange = lagrange
        self.lagrange_edges = tuple(lagrange_edges)
        if constraint not in ("amount", "share"):
            raise ValueError(f"constraint must be 'amount' or 'share', got {constraint!r}")
        self.constraint = constraint
        self.observation_space = gym.spaces.Box(-np.inf, np.inf, shape=(OBS_DIM,), dtype=np.float32)
        self.action_space = gym.spaces.Discrete(len(Action))
        self._session = np.zeros(horizon, dtype=int)
        self._t = 0
        self.epsilon = 1.0
        self.spent = 0.0
        # the reward model a trained policy ships with: the observation shows its gains
        self.reward_model = ExpectedReward(calibration.means(), weights)
        self._seen = np.stack([self.reward_model(pool.view(i)) for i in range(len(pool))])
        self._true = np.stack([self.reward_model(pool.view(i, true_task=True)) for i in range(len(pool))])

    def multiplier(self) -> float:
        """The Lagrange multiplier of this session's epsilon."""
        if isinstance(self.lagrange, (int, float)):
            return float(self.lagrange)
        values = list(self.lagrange)
        if len(values) != len(self.lagrange_edges) + 1:
            raise ValueError(f"{len(values)} multipliers for {len(self.lagrange_edges)} bucket edges")
        return float(values[bisect.bisect_right(self.lagrange_edges, self.epsilon)])

    def _obs_of(self, i: int, remaining: float) -> np.ndarray:
        return observation(self.pool.view(i), self._seen[i], remaining, self.epsilon)

    def _obs(self) -> np.ndarray:
        return self._obs_of(int(self._session[self._t]), max(self.epsilon - self.spent, 0.0))

    def preview(self) -> list[np.ndarray]:
        """Observations of this session's requests, each as seen with the whole budget left:
        what a planner that is handed the session up front knows (never the outcomes)."""
        return [self._obs_of(int(i), self.epsilon) for i in self._session]

    @property
    def requests(self) -> list[int]:
        """Pool rows of this session's requests, in order."""
        return [int(i) for i in self._session]

    def expected_rewards(self, i: int) -> np.ndarray:
        """Expected reward of every action on request ``i`` (session bonus left out), under
        the task its outcomes are drawn from (the policy sees the task the rules find)."""
        return self._true[i]

    def seen_rewards(self, rows: np.ndarray) -> np.ndarray:
        """Expected reward of every action on each pool row of ``rows``, as the observation
        shows it (under the task the rules find)."""
        return self._seen[rows]

    def reset(self, *, seed: int | None = None, options: dict | None = None) -> tuple[np.ndarray, dict]:
        super().reset(seed=seed)
        spec = (options or {}).get("epsilon", self.epsilon_spec)
        self.epsilon = float(self.np_random.uniform(*spec)) if isinstance(spec, tuple) else float(spec)
        sources = self.np_random.choice(len(SOURCES), size=self.horizon, p=self.mix)
        self._session = np.array([self.np_random.choice(self.by_source[s]) for s in sources])
        self._t = 0
        self.spent = 0.0
        return self._obs(), {"epsilon": self.epsilon}

    def outcome(self, i: int, action: Action) -> dict[str, float]:
        """Sampled quality, latency, cost of answering request ``i`` with ``action``."""
        p, rng = self.pool, self.np_random
        task = int(p.task[i])
        q_l, lat_l, cost_l = self.cal.sample(rng, task, 0)
        q_c, lat_c, cost_c = self.cal.sample(rng, task, 1)
        share_local = float(p.local_share[i, action])
        chars = float(p.payload_chars[i, action])
        cloud = chars > 0
        return {
            "quality": float(p.retain[i, action]) * q_c + share_local * q_l,
            "association": float(p.base[i, -1]) * share_local,
            "latency": max(lat_l if share_local > 0 else 0.0, lat_c if cloud else 0.0),
            "cost": (cost_l if share_local > 0 else 0.0) + (cost_c * self.cal.cloud_cost_factor(chars) if cloud else 0.0),
            "risk": float(p.risk[i, action]),
        }

    def step(self, action: int) -> tuple[np.ndarray, float, bool, bool, dict]:
        i = int(self._session[self._t])
        act = Action(int(action))
        if self.enforce_budget and self.spent + float(self.pool.risk[i, act]) > self.epsilon + 1e-9:
            act = Action.LOCAL
        o = self.outcome(i, act)
        w = self.weights
        before = max(self.spent - self.epsilon, 0.0)
        self.spent += o["risk"]
        over = max(self.spent - self.epsilon, 0.0)
        reward = (w.a * o["quality"] + w.b1 * o["association"] - w.b2 * o["latency"] - w.b3 * o["cost"]
                  - w.b4 * o["risk"])
        self._t += 1
        done = self._t >= self.horizon
        if done:
            reward += w.g * float(self.spent <= self.epsilon + 1e-9)
        if self.constraint == "amount":
            cost = over - before
        else:
            cost = float(before <= 1e-9 < over)
        info: dict[str, Any] = {**o, "action": int(act), "reward_task": reward, "constraint_cost": cost}
        if done:
            over_budget = self.spent > self.epsilon + 1e-9
            info.update(session_risk=self.spent, epsilon=self.epsilon, overshoot=over, over_budget=over_budget,
                        session_cost=over if self.constraint == "amount" else float(over > 1e-9))
            self._t -= 1  # the terminal observation repeats the last request
        return self._obs(), reward - self.multiplier() * cost, done, False, info
