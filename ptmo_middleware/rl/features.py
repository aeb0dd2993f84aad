"""What the RL router sees of one request, computed the same way in training and at run time.

``describe`` turns a classified, decomposed request into a :class:`RequestView`: the
planner's features, a task category, the association score, and for every action the
risk of what would leave (after the shield), the share of the prompt's words that
reach the cloud (retain) and the share answered locally. ``observation`` adds what each
action is expected to earn over answering locally (:mod:`.value`) and the live budget.
Both the environment and the ``rl`` router plugin call these two functions.

Association (TMO: how relevant the user's images are to the question, a bonus for
uploading them) is reinterpreted for text as **how much the answer needs the user's
personal context**, which only the local, personalised model (the user's LoRA adapter)
holds: five times the share of words that are first-person words or detected personal
spans, capped at 1 (one such word in five already means "about me"). The reward pays it in proportion to the share answered locally.
"""
from __future__ import annotations

import copy
import math
import re
from collections import Counter
from dataclasses import dataclass
from enum import IntEnum
from typing import Mapping, Sequence

import numpy as np

from ..budget.risk import RiskModel
from ..shield import apply_shield
from ..types import Part, Route, SensitivityLevel, Span


class Action(IntEnum):
    """What the router does with a request."""

    LOCAL = 0
    CLOUD = 1
    MASKED = 2
    SPLIT = 3
    """PUBLIC parts to the cloud raw, every other part local."""


TASKS = ("Assistive System", "Message Editing", "Query", "Recommendation")
"""M4A1's task categories."""

_TASK_WORDS = (
    (1, re.compile(r"(?i)\b(rewrite|rephrase|edit|proofread|polish|paraphrase|improve|correct|draft|write|"
                   r"reply|respond|translate|summari[sz]e|shorten|letter|email|message|essay)\b")),
    (3, re.compile(r"(?i)\b(recommend\w*|suggest\w*|which (one|should)|best|ideas?|options?|where (can|should)|"
                   r"what should i)\b")),
    (0, re.compile(r"(?i)\b(turn (on|off|up|down)|switch|set (the|a|an|my)|play|open|close|remind|schedule|"
                   r"lights?|temperature|thermostat|alarm|timer|tv|volume)\b")),
)
_FIRST_PERSON = re.compile(r"(?i)\b(i|i'm|i've|i'd|me|my|mine|myself|we|our|us)\b")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'@._-]*")


def task_category(text: str) -> int:
    """Index in :data:`TASKS` of the request's task, by keyword rules (``Query`` otherwise)."""
    head = text[:600]
    for index, pattern in _TASK_WORDS:
        if pattern.search(head):
            return index
    return 2


def association(text: str, spans: Sequence[Span]) -> float:
    """Need for personal context, in [0, 1] (see the module doc)."""
    words = max(len(_WORD.findall(text)), 1)
    personal = len(_FIRST_PERSON.findall(text)) + sum(1 for s in spans if s.level > SensitivityLevel.PUBLIC)
    return min(1.0, 5.0 * personal / words)


def _words(text: str) -> Counter[str]:
    return Counter(w.casefold() for w in _WORD.findall(text))


def word_retain(text: str, payload: str) -> float:
    """Share of the prompt's words (with multiplicity) that reach the cloud payload."""
    words = _words(text)
    total = sum(words.values())
    if not total or not payload:
        return 0.0
    sent = _words(payload)
    return sum(min(n, sent[w]) for w, n in words.items()) / total


def action_routes(action: Action, parts: Sequence[Part]) -> list[Route]:
    """The route per part the policy asks for (the shield may still override it)."""
    if action is Action.SPLIT:
        return [Route.LOCAL if p.level > SensitivityLevel.PUBLIC else Route.CLOUD for p in parts]
    return [{Action.LOCAL: Route.LOCAL, Action.CLOUD: Route.CLOUD, Action.MASKED: Route.MASKED}[action]] * len(parts)


def _shield_pass(parts: Sequence[Part], route: Route, spans: Sequence[Span]) -> list[Part]:
    """Copies of ``parts``, all asked to take ``route``, as the shield leaves them."""
    out = [copy.copy(p) for p in parts]
    apply_shield(out, [route] * len(out), spans)
    return out


@dataclass(frozen=True)
class RequestView:
    """A request as the policy sees it, before the budget; per-action arrays by :class:`Action`."""

    base: np.ndarray
    task: int
    association: float
    risk: np.ndarray
    retain: np.ndarray
    local_share: np.ndarray
    payload_chars: np.ndarray


LENGTH_INDEX = 7
"""Where the request's base features keep log1p(characters) / log1p(20 000)."""
NOTHING_FOUND_INDEX = 9
"""1 where no classifier found anything in the request."""
TASK_SLICE = slice(10, 10 + len(TASKS))
BASE_DIM = TASK_SLICE.stop + 1
ASSOCIATION_INDEX = BASE_DIM - 1


def describe(features: Mapping[str, float], parts: Sequence[Part], spans: Sequence[Span], text: str,
             risk_model: RiskModel) -> RequestView:
    """The :class:`RequestView` of a request (``features``: ``pipeline.request_features``)."""
    task = task_category(text)
    assoc = association(text, spans)
    base = np.zeros(BASE_DIM, dtype=np.float32)
    base[:9] = (
        features["level"] / 2.0, features["score"], min(features["n_spans_private"], 5) / 5.0,
        min(features["n_spans_semi"], 10) / 10.0, min(features["n_topic_spans"], 5) / 5.0,
        features["maskable_share"], features["sensitive_char_share"],
        min(math.log1p(features["length_chars"]) / math.log1p(20_000), 1.0), min(features["n_parts"], 20) / 20.0,
    )
    base[NOTHING_FOUND_INDEX] = float(not spans)
    base[TASK_SLICE.start + task] = 1.0
    base[ASSOCIATION_INDEX] = assoc
    # The shield treats each part on its own, so two passes give every action:
    # SPLIT is the CLOUD pass restricted to PUBLIC parts.
    cloud, masked = _shield_pass(parts, Route.CLOUD, spans), _shield_pass(parts, Route.MASKED, spans)
    leaving = {
        Action.LOCAL: [],
        Action.CLOUD: [i for i, q in enumerate(cloud) if q.route.leaves_device],
        Action.MASKED: [i for i, q in enumerate(masked) if q.route.leaves_device],
        Action.SPLIT: [i for i, q in enumerate(cloud) if q.route.leaves_device
                       and parts[i].level == SensitivityLevel.PUBLIC],
    }
    n_words = [len(_WORD.findall(p.text)) for p in parts]
    masked_kept: dict[int, int] = {}  # words of a masked part that survive in its placeholder text
    total_words = max(sum(n_words), 1)
    total_chars = max(sum(len(p.text) for p in parts), 1)
    n = len(Action)
    risk, retain, local_share, chars = (np.zeros(n, dtype=np.float32) for _ in range(4))
    for a, indices in leaving.items():
        routed = [(cloud if a is not Action.MASKED else masked)[i] for i in indices]
        kept = 0
        for i, q in zip(indices, routed):
            if q.payload == parts[i].text:
                kept += n_words[i]
            else:
                if i not in masked_kept:
                    words, sent = _words(parts[i].text), _words(q.payload or "")
                    masked_kept[i] = sum(min(c, sent[w]) for w, c in words.items())
                kept += masked_kept[i]
        risk[a] = risk_model.request_risk(routed)
        retain[a] = kept / total_words
        local_share[a] = 1.0 - sum(len(parts[i].text) for i in indices) / total_chars
        chars[a] = sum(len(q.payload or "") for q in routed) + max(len(routed) - 1, 0)
    return RequestView(base, task, assoc, risk, retain, local_share, chars)


_N = len(Action) - 1
RISK_SLICE = slice(BASE_DIM, BASE_DIM + _N)
"""Where :func:`observation` puts the risk of CLOUD, MASKED and SPLIT;"""
RETAIN_SLICE = slice(RISK_SLICE.stop, RISK_SLICE.stop + _N)
"""their retain,"""
LOCAL_SHARE_SLICE = slice(RETAIN_SLICE.stop, RETAIN_SLICE.stop + _N)
"""their local share,"""
GAIN_SLICE = slice(LOCAL_SHARE_SLICE.stop, LOCAL_SHARE_SLICE.stop + _N)
"""and their expected reward over answering locally (:mod:`.value`)."""
OBS_DIM = GAIN_SLICE.stop + 3
REMAINING_INDEX, EPSILON_INDEX = OBS_DIM - 3, OBS_DIM - 2
"""Where it puts the remaining budget and the session's budget."""


def observation(view: RequestView, expected: np.ndarray, remaining: float, epsilon: float) -> np.ndarray:
    """The policy's input: the request, the expected reward of each action
    (:class:`~.value.ExpectedReward`) and the live budget."""
    budget = np.array([min(remaining, 2.0), min(epsilon, 2.0), min(remaining / epsilon, 1.0) if epsilon > 0 else 0.0],
                      dtype=np.float32)
    return np.concatenate([view.base, view.risk[1:], view.retain[1:], view.local_share[1:],
                           expected[1:] - expected[0], budget]).astype(np.float32)


def per_action(obs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Risk, retain, local share and expected gain of every action (LOCAL first) from an observation."""
    return (np.concatenate([[0.0], obs[RISK_SLICE]]), np.concatenate([[0.0], obs[RETAIN_SLICE]]),
            np.concatenate([[1.0], obs[LOCAL_SHARE_SLICE]]), np.concatenate([[0.0], obs[GAIN_SLICE]]))
