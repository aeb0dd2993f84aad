"""Hard baselines for the learned router, a greedy rule on the reward model, a per-session
greedy knapsack and a contextual bandit with a budget (none sees an outcome before
choosing), and the bound no policy within budget can beat.

- :func:`online_greedy` takes, request by request, the action with the best expected gain
  over answering locally (:class:`~ptmo_middleware.rl.value.ExpectedReward`, the same
  figures the learned policy sees) that the remaining budget can pay.

- :class:`BudgetDP` is the best online policy for the gains the observations show: by
  dynamic programming over the remaining budget and the requests left in the session,
  on requests drawn as the environment draws them from the *training* pool, it learns
  the value of each amount of budget left, and takes the affordable action whose gain
  plus the value of the budget it leaves is largest. It knows the session's length
  (the learned policy does not), never the requests to come.
- :class:`SessionKnapsack` is handed the session's requests up front (their observations,
  never their draws) and solves the session as a multiple-choice knapsack: the value of
  an action is the expected gain over answering locally that its observation shows
  (:class:`~ptmo_middleware.rl.value.ExpectedReward`, from the calibration means), its
  weight the action's privacy risk. Greedy by gain per unit of risk over each request's upper
  hull of (risk, gain), until epsilon is spent. Seeing the session ahead is more than the
  learned policy knows, so this is an optimistic baseline.
- :class:`BudgetedBandit` knows no reward model: it learns online, per request kind
  (task category x sensitivity level), the mean reward of each action from the rewards
  it observes (UCB exploration). Its spend rate is capped at epsilon / horizon per
  request: after t requests of a session it has spent at most t * epsilon / horizon, so
  it never exceeds the budget. A Lagrangian price on risk, raised while it spends at
  more than the cap and lowered while it spends less, keeps the allowance for the
  requests where the cloud gains the most.
- :func:`session_bound` is the linear relaxation of the same knapsack on exact expected
  rewards: an upper bound on what any policy within budget can expect.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ptmo_lab.rl.env import OffloadEnv
from ptmo_lab.rl.evaluate import AdaptivePolicy
from ptmo_middleware.rl.features import EPSILON_INDEX, REMAINING_INDEX, TASK_SLICE, TASKS, Action, per_action

_LEVEL = 0
_TOL = 1e-9
_SAFETY = 1 - 1e-6  # the observation holds epsilon in float32: never plan up to its rounded-up value


def _increments(gain: np.ndarray, risk: np.ndarray) -> tuple[list[int], list[tuple[float, int, int, float, float]]]:
    """Each request's best risk-free action, and the steps up its upper hull of (risk, gain):
    (gain per unit of risk, request, action, risk increment, gain increment), best first."""
    actions = range(gain.shape[1])
    base: list[int] = []
    steps: list[tuple[float, int, int, float, float]] = []
    for i in range(len(gain)):
        hull = [max((a for a in actions if risk[i, a] <= _TOL), key=lambda a: gain[i, a])]
        for a in sorted(actions, key=lambda a: (risk[i, a], -gain[i, a])):
            if risk[i, a] <= _TOL or gain[i, a] <= gain[i, hull[-1]]:
                continue
            while len(hull) > 1 and _slope(gain, risk, i, hull[-2], hull[-1]) <= _slope(gain, risk, i, hull[-1], a):
                hull.pop()
            hull.append(a)
        base.append(hull[0])
        steps += [(_slope(gain, risk, i, a, b), i, b, float(risk[i, b] - risk[i, a]), float(gain[i, b] - gain[i, a]))
                  for a, b in zip(hull, hull[1:])]
    return base, sorted(steps, key=lambda s: -s[0])


def greedy_knapsack(gain: np.ndarray, risk: np.ndarray, budget: float) -> list[int]:
    """One action per request (rows; column 0 is LOCAL, gain and risk 0) within ``budget``.

    Each request's actions on the upper hull of (risk, gain) give increments of decreasing
    gain per unit of risk; all increments are taken in that order while the budget pays
    them, and a request whose increment does not fit takes none of its later ones."""
    plan, steps = _increments(gain, risk)
    left, blocked = budget, set()
    for _, i, b, extra, _gain in steps:
        if i in blocked:
            continue
        if extra <= left:
            plan[i], left = b, left - extra
        else:
            blocked.add(i)
    return plan


def knapsack_bound(gain: np.ndarray, risk: np.ndarray, budget: float) -> tuple[float, float]:
    """(gain, risk) of the linear relaxation of the same knapsack: the hull increments in
    order, the first that does not fit taken in part. No choice of one action per request
    within ``budget`` gains more."""
    base, steps = _increments(gain, risk)
    total = float(sum(gain[i, a] for i, a in enumerate(base)))
    spent = float(sum(risk[i, a] for i, a in enumerate(base)))
    left = budget - spent
    for _, _, _, extra, more in steps:
        part = min(1.0, max(left, 0.0) / extra)
        total, left = total + part * more, left - part * extra
        if part < 1.0:
            break
    return total, budget - left


def _slope(gain: np.ndarray, risk: np.ndarray, i: int, a: int, b: int) -> float:
    return float((gain[i, b] - gain[i, a]) / (risk[i, b] - risk[i, a]))


def session_bound(env: OffloadEnv, epsilon: float, sessions: int, seed: int) -> dict[str, float]:
    """Mean over the sessions :func:`~.evaluate.run_sessions` plays (same seeds) of the most
    any policy that stays within ``epsilon`` can expect: each session's requests known
    ahead, their exact expected rewards (true task, payload size), the knapsack's linear
    relaxation, and the budget bonus. Outcome draws are independent of the choices made
    before, so no in-budget policy, online or not, expects more."""
    rewards, risks = [], []
    for k in range(sessions):
        env.reset(seed=seed * 100_003 + k, options={"epsilon": epsilon})
        values = np.stack([env.expected_rewards(i) for i in env.requests])
        risk = np.stack([env.pool.risk[i] for i in env.requests])
        gain, spent = knapsack_bound(values - values[:, :1], risk, epsilon)
        rewards.append(float(values[:, 0].sum()) + gain + env.weights.g)
        risks.append(spent)
    return {"reward": float(np.mean(rewards)), "risk": float(np.mean(risks))}


def online_greedy(obs: np.ndarray, rng: np.random.Generator) -> int:
    """The affordable action with the best expected gain the observation shows (see the module doc)."""
    risk, _, _, gain = per_action(obs)
    return int(np.argmax(np.where(risk <= max(float(obs[REMAINING_INDEX]), 0.0) + _TOL, gain, -np.inf)))


class BudgetDP(AdaptivePolicy):
    """Online dynamic programming over the budget left (see the module doc).

    ``values[t]`` holds V_t(b) on ``grid``: the expected gain over answering locally of the
    requests t, t+1, ... of a session with b of the budget left, acting as this policy does,
    V_t(b) = mean over sampled requests of max over affordable a of (gain_a + V_{t+1}(b - risk_a)).
    """

    def __init__(self, training: OffloadEnv, samples: int = 3000, grid_points: int = 600,
                 top: float = 2.0, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        sources = rng.choice(len(training.by_source), size=samples, p=training.mix)
        rows = np.array([rng.choice(training.by_source[k]) for k in sources])
        seen = training.seen_rewards(rows)
        gain, risk = seen - seen[:, :1], training.pool.risk[rows].astype(float)
        self.grid = np.linspace(0.0, top, grid_points)
        self.values = [np.zeros_like(self.grid)]
        for _ in range(training.horizon):
            after = self.grid[:, None, None] - risk[None, :, :]
            later = np.interp(np.maximum(after, 0.0), self.grid, self.values[0])
            best = np.where(after >= -_TOL, gain[None, :, :] + later, -np.inf).max(axis=2)
            self.values.insert(0, best.mean(axis=1))
        self.t = 0

    def begin(self, env: OffloadEnv) -> None:
        self.t = 0

    def __call__(self, obs: np.ndarray, rng: np.random.Generator) -> int:
        risk, _, _, gain = per_action(obs)
        left = max(float(obs[REMAINING_INDEX]), 0.0) - risk
        later = np.interp(np.maximum(left, 0.0), self.grid, self.values[min(self.t + 1, len(self.values) - 1)])
        self.t += 1
        return int(np.argmax(np.where(left >= -_TOL, gain + later, -np.inf)))


class SessionKnapsack(AdaptivePolicy):
    """Plans each session with :func:`greedy_knapsack` on the expected reward gains its
    observations show."""

    def __init__(self) -> None:
        self.plan: list[int] = []
        self.t = 0

    def begin(self, env: OffloadEnv) -> None:
        seen = [per_action(o) for o in env.preview()]
        self.plan = greedy_knapsack(np.stack([a[3] for a in seen]), np.stack([a[0] for a in seen]), env.epsilon)
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
        return int(round(2 * float(obs[_LEVEL]))) * len(TASKS) + int(np.argmax(obs[TASK_SLICE]))

    def cap(self, obs: np.ndarray) -> float:
        """The spend-rate cap: the session's budget spread evenly over its requests."""
        return float(obs[EPSILON_INDEX]) / self.horizon

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
