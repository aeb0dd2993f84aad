"""The request pool of the environment: real prompts featurised by our own ``plan()``.

Sources: PUPA (real WildChat prompts with private content), M4A1's questions (an
assistant's everyday tasks, with their true task category) and public prompts
generated from templates (general knowledge, no personal data). Each split uses its
own rows (see :mod:`ptmo_lab.datasets`; generated prompts: a seeded 3:1 split).
Featurising runs the classifiers once per prompt; the arrays are cached as ``.npz``
under ``$PTMO_CACHE_DIR`` or the user cache dir, keyed by the classifiers, the leak
rates and the prompts.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from ptmo_middleware.budget.risk import RiskModel
from ptmo_lab.datasets import Split, load_m4a1, load_pupa
from ptmo_middleware.pipeline import request_features
from ptmo_middleware.vault import MaskVault
from ptmo_middleware.rl import features
from ptmo_middleware.rl.features import ASSOCIATION_INDEX, TASK_SLICE, TASKS, RequestView, describe

SOURCES = ("pupa", "m4a1", "public")

_PUBLIC_TEMPLATES = (
    (2, "What is {topic}?"), (2, "Explain {topic} in simple terms."), (2, "How does {topic} work?"),
    (2, "Give me three facts about {topic}."), (2, "What is the history of {topic}?"),
    (3, "Recommend a good book about {topic}."), (3, "Suggest a weekend project related to {topic}."),
    (1, "Rewrite this sentence to sound more formal: {topic} is really interesting."),
    (1, "Summarize the main ideas of {topic} in one paragraph."),
    (0, "Set a timer for 20 minutes while I read about {topic}."),
)
_TOPICS = ("photosynthesis", "the French Revolution", "black holes", "machine learning", "the water cycle",
           "plate tectonics", "the stock market", "vaccines", "the Roman Empire", "quantum computing",
           "climate change", "the printing press", "jazz music", "volcanoes", "the immune system",
           "renewable energy", "the Silk Road", "prime numbers", "coral reefs", "the Renaissance",
           "neural networks", "the theory of evolution", "supply and demand", "the Great Wall of China",
           "electric cars", "the human heart", "chess openings", "sourdough bread", "the moon landing",
           "blockchain", "honey bees", "the Olympic Games", "Impressionism", "tides", "the internet")


def public_prompts(split: Split) -> list[tuple[str, int]]:
    """Generated public prompts and their task index (every template x topic, seeded split)."""
    items = [(t.format(topic=topic), task) for task, t in _PUBLIC_TEMPLATES for topic in _TOPICS]
    random.Random(13).shuffle(items)
    cut = len(items) * 3 // 4
    return {"train": items[:cut], "test": items[cut:], "all": items}[split]


def raw_prompts(split: Split) -> Iterator[tuple[str, str, int]]:
    """(source, prompt, task index or -1 when unknown) of a split."""
    for row in load_pupa(split):
        yield "pupa", row.query, -1
    for turn in load_m4a1(split):
        yield "m4a1", turn.question, TASKS.index(turn.task_cat)
    for text, task in public_prompts(split):
        yield "public", text, task


@dataclass
class Pool:
    """Featurised requests, one row each (per-action columns indexed by ``Action``)."""

    source: np.ndarray
    task: np.ndarray
    base: np.ndarray
    risk: np.ndarray
    retain: np.ndarray
    local_share: np.ndarray
    payload_chars: np.ndarray
    meta: dict

    def __len__(self) -> int:
        return len(self.source)

    def indices(self, source: str) -> np.ndarray:
        return np.flatnonzero(self.source == SOURCES.index(source))

    def view(self, i: int, *, true_task: bool = False) -> RequestView:
        """Request ``i`` as :func:`describe` saw it; with ``true_task``, under the task it was
        drawn from (M4A1 knows it) instead of the one the keyword rules found."""
        task = int(self.task[i]) if true_task else int(np.argmax(self.base[i, TASK_SLICE]))
        return RequestView(self.base[i], task, float(self.base[i, ASSOCIATION_INDEX]), self.risk[i], self.retain[i],
                           self.local_share[i], self.payload_chars[i])


def featurise(prompts: list[tuple[str, str, int]], router, risk_model: RiskModel, *, progress: bool = False,
              label: str = "") -> Pool:
    """A :class:`Pool` of (source, prompt, task or -1) triples, each planned by ``router``."""
    rows = []
    iterator = prompts
    if progress:
        from rich.progress import track

        iterator = track(prompts, description=f"featurising {label} prompts")
    for i, (source, text, task) in enumerate(iterator):
        # planned local; describe() re-routes copies of the parts for each action
        plan = router.planner.plan(text, MaskVault(f"rl-{label}-{i}"), policy="local-only")
        view = describe(request_features(plan.classification, plan.parts, text), plan.parts, plan.spans, text,
                        risk_model)
        rows.append((SOURCES.index(source), view.task if task < 0 else task, view))
    return Pool(
        source=np.array([r[0] for r in rows], dtype=np.int8), task=np.array([r[1] for r in rows], dtype=np.int8),
        base=np.stack([r[2].base for r in rows]), risk=np.stack([r[2].risk for r in rows]),
        retain=np.stack([r[2].retain for r in rows]), local_share=np.stack([r[2].local_share for r in rows]),
        payload_chars=np.stack([r[2].payload_chars for r in rows]),
        meta={"split": label, "classifiers": router.classifier_names, "decomposer": router.settings.decomposer,
              "n": len(rows)})


def cache_dir() -> Path:
    env = os.environ.get("PTMO_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("ptmo-middleware", appauthor=False))


def build_pool(split: Split, router=None, risk_model: RiskModel | None = None, *, use_cache: bool = True,
               progress: bool = False) -> Pool:
    """Featurise every prompt of ``split`` with ``router`` (default: ``PrivacyRouter()`` with
    the sentence decomposer, so SPLIT can keep single sentences local)."""
    from ptmo_middleware.router import PrivacyRouter

    router = router or PrivacyRouter(decomposer="sentence", policy="local-only")
    risk_model = risk_model or RiskModel.shipped()
    prompts = list(raw_prompts(split))
    layout = hashlib.sha256(Path(features.__file__).read_bytes()).hexdigest()
    key = hashlib.sha256(json.dumps([split, layout, router.classifier_names, router.settings.decomposer,
                                     risk_model.masked_leak, risk_model.missed_per_kchar,
                                     risk_model.residual_weight, [p[1] for p in prompts]]).encode()).hexdigest()[:16]
    path = cache_dir() / "rl" / f"pool-{split}-{key}.npz"
    if use_cache and path.exists():
        with np.load(path, allow_pickle=False) as z:
            return Pool(**{k: z[k] for k in z.files if k != "meta"}, meta=json.loads(str(z["meta"])))
    pool = featurise(prompts, router, risk_model, progress=progress, label=split)
    pool.meta["key"] = key
    if use_cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, source=pool.source, task=pool.task, base=pool.base, risk=pool.risk,
                            retain=pool.retain, local_share=pool.local_share, payload_chars=pool.payload_chars,
                            meta=np.array(json.dumps(pool.meta)))
    return pool
