"""Quality, latency and cost of the local and the cloud model per task, from M4A1.

M4A1 logs, per turn, the action TMO's system took (0 local, 1 cloud), a judge's score,
the interaction time and the usage cost. Text-only cloud turns (no image) and local
turns of the training dialogues give, per task category, empirical distributions the
environment samples from. Scores are divided by the largest per-task mean, latency by
10 s and cost by 0.001 USD (M4A1's cloud text turns cost about 0.0004 USD).
Cloud cost grows with the characters sent (tokens in): a turn of M4A1 averages its
question length plus about 1000 characters of answer.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ptmo_lab.datasets import Split, load_m4a1
from ptmo_middleware.rl.features import TASKS
from ptmo_middleware.rl.value import OutcomeMeans, cloud_cost_factor

LATENCY_SCALE_S = 10.0
COST_SCALE_USD = 0.001


@dataclass(frozen=True)
class Calibration:
    """Per task (index of :data:`TASKS`) and side (0 local, 1 cloud): samples of
    normalised quality, latency and cost."""

    quality: list[list[np.ndarray]]
    latency: list[list[np.ndarray]]
    cost: list[list[np.ndarray]]
    question_chars: float

    def sample(self, rng: np.random.Generator, task: int, side: int) -> tuple[float, float, float]:
        """One (quality, latency, cost) draw for ``task`` on ``side``, taken from one logged turn."""
        i = int(rng.integers(len(self.quality[task][side])))
        return (float(self.quality[task][side][i]), float(self.latency[task][side][i]),
                float(self.cost[task][side][i]))

    def cloud_cost_factor(self, payload_chars: float) -> float:
        """How much more a payload of this size costs than M4A1's average cloud turn."""
        return cloud_cost_factor(payload_chars, self.question_chars)

    def means(self) -> OutcomeMeans:
        """The per-task means the policy's reward model uses (E[max] for a split's latency)."""
        tasks = range(len(TASKS))

        def mean(table: list[list[np.ndarray]], side: int) -> tuple[float, ...]:
            return tuple(float(table[k][side].mean()) for k in tasks)

        both = tuple(float(np.maximum.outer(self.latency[k][0], self.latency[k][1]).mean()) for k in tasks)
        return OutcomeMeans(mean(self.quality, 0), mean(self.quality, 1), mean(self.latency, 0),
                            mean(self.latency, 1), both, mean(self.cost, 0), mean(self.cost, 1), self.question_chars)


def calibrate(split: Split = "train") -> Calibration:
    """Build the calibration from M4A1 (image turns are left out: our cloud calls are text)."""
    turns = [t for t in load_m4a1(split) if not t.with_image]
    raw: dict[tuple[int, int], list] = {(k, s): [] for k in range(len(TASKS)) for s in (0, 1)}
    for t in turns:
        raw[(TASKS.index(t.task_cat), t.action)].append((t.score, t.interaction_time, t.usage_cost))
    for key, rows in raw.items():
        if not rows:
            raise ValueError(f"M4A1 split {split!r} has no turns for task {TASKS[key[0]]!r}, side {key[1]}")
    top = max(np.mean([r[0] for r in rows]) for rows in raw.values())

    def table(col: int, scale: float) -> list[list[np.ndarray]]:
        return [[np.array([r[col] for r in raw[(k, s)]]) / scale for s in (0, 1)] for k in range(len(TASKS))]

    q_chars = float(np.mean([len(t.question) for t in turns if t.action == 1]))
    return Calibration(table(0, top), table(1, LATENCY_SCALE_S), table(2, COST_SCALE_USD), q_chars)
