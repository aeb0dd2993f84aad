"""What an action is expected to earn: the router's reward model, shared by training and run time.

The reward of answering a request (see the environment in ``ptmo_lab.rl.env``) is

    R = a*Quality + b1*Association - b2*Latency - b3*Cost - b4*PrivacyRisk

with Quality = retain * q_cloud + local_share * q_local. :class:`OutcomeMeans` holds,
per task category, the mean quality, latency and cost of a local and of a cloud answer
measured in M4A1's logs (written beside the trained policy); :class:`ExpectedReward`
turns them and a request's per-action risk, retain and local share into the expected
reward of every action. The policy sees the gain of each action over answering locally,
and ``ptmo plan --why`` prints it.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from .features import TASKS, RequestView

ANSWER_CHARS = 1000.0
"""Characters of a typical answer: a cloud call costs its payload plus this."""


@dataclass(frozen=True)
class RewardWeights:
    """Coefficients of R (TMO's a = 1, b1 = b2 = b3 = 1/3; b4 and the session bonus g are ours)."""

    a: float = 1.0
    b1: float = 1 / 3
    b2: float = 1 / 3
    b3: float = 1 / 3
    b4: float = 0.5
    g: float = 0.2


def cloud_cost_factor(payload_chars: float, question_chars: float) -> float:
    """How much more a cloud call with this payload costs than an average logged one."""
    return (payload_chars + ANSWER_CHARS) / (question_chars + ANSWER_CHARS)


@dataclass(frozen=True)
class OutcomeMeans:
    """Per task of :data:`~.features.TASKS`: mean normalised quality, latency and cost of a
    local and a cloud answer; ``latency_both`` is E[max] of the two (a split waits for both)."""

    quality_local: tuple[float, ...]
    quality_cloud: tuple[float, ...]
    latency_local: tuple[float, ...]
    latency_cloud: tuple[float, ...]
    latency_both: tuple[float, ...]
    cost_local: tuple[float, ...]
    cost_cloud: tuple[float, ...]
    question_chars: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "OutcomeMeans":
        try:
            values = {k: (float(v) if k == "question_chars" else tuple(float(x) for x in v)) for k, v in data.items()}
            means = cls(**values)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"not a table of outcome means: {exc}") from None
        if any(len(v) != len(TASKS) for v in values.values() if isinstance(v, tuple)):
            raise ValueError(f"outcome means need one value per task ({len(TASKS)})")
        return means


class ExpectedReward:
    """Expected reward of each action of a request (the session's budget bonus left out)."""

    def __init__(self, means: OutcomeMeans, weights: RewardWeights = RewardWeights()) -> None:
        self.means, self.weights = means, weights
        self._table = {k: np.asarray(v) for k, v in asdict(means).items() if k != "question_chars"}

    def to_record(self) -> dict[str, Any]:
        """What a trained policy's record keeps of its reward model."""
        return {"outcomes": self.means.to_dict(), "weights": asdict(self.weights)}

    @classmethod
    def beside(cls, policy: str | Path) -> "ExpectedReward":
        """The reward model a policy was trained with, from the record written beside its
        zip (``ppo_router.zip`` -> ``ppo_router.json``)."""
        path = Path(policy).with_suffix(".json")
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            return cls(OutcomeMeans.from_dict(record["outcomes"]), RewardWeights(**record["weights"]))
        except FileNotFoundError:
            raise FileNotFoundError(f"{path} not found: a router policy needs the record that training writes "
                                    "beside it (`ptmo train-router`)") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path} holds no reward model ({exc}); retrain with `ptmo train-router`") from None

    def __call__(self, view: RequestView) -> np.ndarray:
        """Per action (by :class:`~.features.Action`) of a described request."""
        t, w = self._table, self.weights
        task, local, cloud = view.task, view.local_share > 0, view.payload_chars > 0
        latency = np.where(local & cloud, t["latency_both"][task],
                           np.where(cloud, t["latency_cloud"][task], t["latency_local"][task]))
        factor = np.array([cloud_cost_factor(c, self.means.question_chars) for c in view.payload_chars])
        cost = local * t["cost_local"][task] + cloud * t["cost_cloud"][task] * factor
        quality = view.retain * t["quality_cloud"][task] + view.local_share * t["quality_local"][task]
        return (w.a * quality + w.b1 * view.association * view.local_share - w.b2 * latency - w.b3 * cost
                - w.b4 * view.risk)
