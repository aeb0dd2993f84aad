"""Two hard baselines for the learned router: a per-session greedy knapsack and a
contextual bandit with a budget. Neither sees an outcome before choosing.

- :class:`SessionKnapsack` is handed the session's requests up front (their observations,
  never their draws) and solves the session as a multiple-choice knapsack: the value of
  an action is its expected task reward minus that of answering locally
  (:class:`ExpectedReward`, from the calibration means and the observation), its weight
  the action's privacy risk. Greedy by gain per unit of risk over each request's upper
  hull of (risk, gain), until epsilon is spent. Seeing the session ahead is more than the
  learned policy knows, so this is an optimistic baseline.
- :class:`BudgetedBandit` knows no reward model: it learns online, per request kind
  (task category x sensitivity level), the mean reward of each action from the rewards
  it observes (UCB exploration). Its spend rate is capped at epsilon / horizon per
  request: after t requests of a session it has spent at most t * epsilon / horizon, so
  it never exceeds the budget. A Lagrangian price on risk, raised while it spends at
  more than the cap and lowered while it spends less, keeps the allowance for the
  requests where the cloud gains the most.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ptmo_lab.rl.calibration import Calibration
from ptmo_lab.rl.env import OffloadEnv, RewardWeights
from ptmo_lab.rl.evaluate import AdaptivePolicy
from ptmo_middleware.rl.features import BASE_DIM, OBS_DIM, RISK_SLICE, TASKS, Action

_LEVEL, _LENGTH, _TASK, _ASSOCIATION = 0, 7, slice(9, 9 + len(TASKS)), BASE_DIM - 1
_N = len(Action) - 1
_RETAIN = slice(RISK_SLICE.stop, RISK_SLICE.stop + _N)
_LOCAL_SHARE = slice(_RETAIN.stop, _RETAIN.stop + _N)
_EPSILON_INDEX = OBS_DIM - 2
_MAX_LENGTH = 20_000  # the length feature is log1p(chars) / log1p(20 000), capped at 1
_TOL = 1e-9
_SAFETY = 1 - 1e-6  # the observation holds epsilon in float32: never plan up to its rounded-up value


def per_action(obs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Risk, retain and local share of every action (LOCAL first) from an observation."""
    risk = np.concatenate([[0.0], obs[RISK_SLICE]])
    retain = np.concatenate([[0.0], obs[_RETAIN]])
    local_share = np.concatenate([[1.0], obs[_LOCAL_SHARE]])
    return risk, retain, local_share


class ExpectedReward:
    """Expected task reward of each action of a request, from what the observation shows
    and the calibration means of its task (the session's budget bonus left out)."""

    def __init__(self, calibration: Calibration, weights: RewardWeights = RewardWeights()) -> None:
        self.cal, self.weights = calibration, weights
        tasks = range(len(TASKS))
        self.q_local = np.array([calibration.quality[k][0].mean() for k in tasks])
        self.q_cloud = np.array([calibration.quality[k][1].mean() for k in tasks])
        self.lat_local = np.array([calibration.latency[k][0].mean() for k in tasks])
        self.lat_cloud = np.array([calibration.latency[k][1].mean() for k in tasks])
        # a split answer waits for the slower side: E[max] over independent draws
        self.lat_both = np.array([np.maximum.outer(calibration.latency[k][0], calibration.latency[k][1]).mean()
                                  for k in tasks])
        self.cost_local = np.array([calibration.cost[k][0].mean() for k in tasks])
        self.cost_cloud = np.array([calibration.cost[k][1].mean() for k in tasks])

    def __call__(self, obs: np.ndarray) -> np.ndarray:
        risk, retain, local_share = per_action(obs)
        task = int(np.argmax(obs[_TASK]))
        chars = math.expm1(float(obs[_LENGTH]) * math.log1p(_MAX_LENGTH))
        local = local_share > 0
        cloud = local_share < 1
        latency = np.where(local & cloud, self.lat_both[task],
                           np.where(cloud, self.lat_cloud[task], self.lat_local[task]))
        # the payload is estimated as the share of the prompt's characters that leaves
        factor = np.array([self.cal.cloud_cost_factor(chars * (1.0 - s)) for s in local_share])
        cost = local * self.cost_local[task] + cloud * self.cost_cloud[task] * factor
        w = self.weights
        quality = retain * self.q_cloud[task] + local_share * self.q_local[task]
        return (w.a * quality + w.b1 * float(obs[_ASSOCIATION]) * local_share - w.b2 * latency - w.b3 * cost
                - w.b4 * risk)


def greedy_knapsack(gain: np.ndarray, risk: np.ndarray, budget: float) -> list[int]:
    """One action per request (rows; column 0 is LOCAL, gain and risk 0) within ``budget``.

    Each request's actions on the upper hull of (risk, gain) give increments of decreasing
    gain per unit of risk; all increments are taken in that order while the budget pays
    them, and a request whose increment does not fit takes none of its later ones."""
    actions = range(gain.shape[1])
    plan: list[int] = []
    steps: list[tuple[float, int, int, float]] = []  # (gain per risk, request, action, risk increment)
    for i in range(len(gain)):
        hull = [max((a for a in actions if risk[i, a] <= _TOL), key=lambda a: gain[i, a])]
        for a in sorted(actions, key=lambda a: (risk[i, a], -gain[i, a])):
            if risk[i, a] <= _TOL or gain[i, a] <= gain[i, hull[-1]]:
                continue
            while len(hull) > 1 and _slope(gain, risk, i, hull[-2], hull[-1]) <= _slope(gain, risk, i, hull[-1], a):
                hull.pop()
            hull.append(a)
        plan.append(hull[0])
        steps += [(_slope(gain, risk, i, a, b), i, b, float(risk[i, b] - risk[i, a])) for a, b in zip(hull, hull[1:])]
    left, blocked = budget, set()
    for _, i, b, extra in sorted(steps, key=lambda s: -s[0]):
        if i in blocked:
            continue
        if extra <= left:
            plan[i], left = b, left - extra
        else:
            blocked.add(i)
    return plan


def _slope(gain: np.ndarray, risk: np.ndarray, i: int, a: int, b: int) -> float:
    return float((gain[i, b] - gain[i, a]) / (risk[i, b] - risk[i, a]))


class SessionKnapsack(AdaptivePolicy):
    """Plans each session with :func:`greedy_knapsack` on expected reward gains."""

    def __init__(self, model: ExpectedReward) -> None:
        self.model = model
        self.plan: list[int] = []
        self.t = 0

    def begin(self, env: OffloadEnv) -> None:
        views = env.preview()
        values = np.stack([self.model(o) for o in views])
        risks = np.stack([per_action(o)[0] for o in views])
        self.plan = greedy_knapsack(values - values[:, :1], risks, env.epsilon)
        self.t = 0

    def __call__(self, obs: np.ndarray, rng: np.random.Generator) -> int:
        action = self.plan[self.t]
        self.t += 1
        return action


class BudgetedBandit(AdaptivePolicy):
    """UCB over actions per request kind, with an online Lagrangian price on risk.

    Actions allowed at the session's request t (from 0): those with (risk spent in the
    session) + risk <= (t + 1) * cap, ``cap = epsilon / horizon``. Score of an allowed action: mean observed
    reward + ``explore`` * sqrt(ln N / n) - price * risk (an untried one first). After each
    step the price takes a dual step on the relative overspend,
    ``price <- max(0, price + price_lr * (risk / cap - 1))``, so it moves at the same
    pace whatever the budget."""

    def __init__(self, horizon: int, explore: float = 0.5, price_lr: float = 1.0) -> None:
        self.horizon, self.explore, self.price_lr = horizon, explore, price_lr
        kinds = 3 * len(TASKS)
        self.counts = np.zeros((kinds, len(Action)))
        self.sums = np.zeros((kinds, len(Action)))
        self.price = 0.0
        self.t = 0
        self.spent = 0.0

    @staticmethod
    def kind(obs: np.ndarray) -> int:
        """The request kind: sensitivity level (0, 1, 2) x task category."""
        return int(round(2 * float(obs[_LEVEL]))) * len(TASKS) + int(np.argmax(obs[_TASK]))

    def cap(self, obs: np.ndarray) -> float:
        """The spend-rate cap: the session's budget spread evenly over its requests."""
        return float(obs[_EPSILON_INDEX]) / self.horizon

    def __call__(self, obs: np.ndarray, rng: np.random.Generator) -> int:
        k = self.kind(obs)
        risk = per_action(obs)[0]
        n = self.counts[k]
        with np.errstate(divide="ignore", invalid="ignore"):
            ucb = np.where(n > 0, self.sums[k] / n + self.explore * np.sqrt(math.log(max(n.sum(), 1.0)) / n), np.inf)
        allowed = (risk <= _TOL) | (self.spent + risk <= (self.t + 1) * self.cap(obs) * _SAFETY)
        score = np.where(allowed, ucb - self.price * risk, -np.inf)
        best = np.flatnonzero(score == score.max())
        return int(rng.choice(best))

    def begin(self, env: OffloadEnv) -> None:
        self.t, self.spent = 0, 0.0

    def observe(self, obs: np.ndarray, action: int, info: dict[str, Any]) -> None:
        self.t += 1
        self.spent += info["risk"]
        k = self.kind(obs)
        self.counts[k, action] += 1
        self.sums[k, action] += info["reward_task"]
        self.price = max(0.0, self.price + self.price_lr * (info["risk"] / self.cap(obs) - 1.0))
