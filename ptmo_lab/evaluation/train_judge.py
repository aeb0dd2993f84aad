"""Train the unit judge (:mod:`ptmo_middleware.plugins.classifiers.unit_judge`).

Candidates are the spans ``ner`` and ``ml`` (the tagger at the judge's lower candidate
threshold) find in four sources: PUPA_New's training split, the public prompts of the
prompt corpus's ``tune`` family (every candidate is public, weighted ``PUBLIC_WEIGHT``),
its disclosures (private when it overlaps a marked value), and ``SYNTHETIC`` sentences
of the synthetic-PII generator's even templates (private where a gold span is). PUPA's
labels are partial (its annotator marks a country in one prompt and not in the next), so a PUPA candidate
counts as private: fully when it overlaps a labelled unit, with weight
``UNLABELLED_WEIGHT`` when not. The judge thus learns to let names through where the
framing is public, not to second-guess the detectors inside personal prompts.
The corpus's ``held`` family and PUPA's dev split are never read here. The threshold is
the lowest whose out-of-fold judgement leaves at most ``max_public_changed`` of the tune
public prompts with a kept candidate. Same data and seed, same bytes.
"""
from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from ptmo_middleware.components import ClassifyContext
from ptmo_middleware.config import Settings
from ptmo_lab.evaluation.leakage import data_dir, load_pupa, train_split
from ptmo_lab.evaluation.prompt_corpus import PRIVATE, PUBLIC, tune
from ptmo_lab.evaluation.synthetic_pii import generate
from ptmo_lab.evaluation.train_classifier import fit_linear, unit_labels
from ptmo_middleware.pipeline import Planner
from ptmo_middleware.plugins.classifiers.unit_judge import (
    ARTIFACT, JUDGED_SOURCES, frame_of, latin, logistic, overlapping_sources, span_features,
)
from ptmo_middleware.plugins.classifiers.ml import load_models
from ptmo_middleware.types import Span

CANDIDATE_THRESHOLD = 0.15
C = 0.5
PUBLIC_WEIGHT = 6.0
UNLABELLED_WEIGHT = 0.1
MAX_PUBLIC_CHANGED = 0.05
FOLDS = 5
SYNTHETIC = 400


@dataclass
class Sample:
    """One prompt: its candidates, their labels, and the group it belongs to."""

    text: str
    candidates: list[Span]
    labels: list[int]
    kind: str
    """``pupa``, ``public`` or ``private``."""
    category: str
    group: str
    """Prompts made from one template share a group (and so a cross-validation fold)."""


def candidate_planner(candidate_threshold: float = CANDIDATE_THRESHOLD) -> Planner:
    """A planner without the judge whose tagger proposes at ``candidate_threshold``."""
    planner = Planner(Settings(unit_judge=False))
    for clf in planner.classifiers:
        if clf.name == "ml":
            clf.threshold = candidate_threshold
    return planner


def candidates(planner: Planner, text: str) -> list[Span]:
    """The maskable spans of the judged classifiers that the judge judges (Latin script)."""
    ctx = ClassifyContext(planner.settings)
    out: list[Span] = []
    for clf in planner.classifiers:
        if clf.name in JUDGED_SOURCES:
            out += [s for s in clf.classify(text, ctx) if s.maskable and s.start < s.end and latin(s.text)]
    return out


def _labels(spans: Sequence[Span], ranges: Iterable[tuple[int, int]]) -> list[int]:
    ranges = list(ranges)
    return [int(any(a < s.end and s.start < b for a, b in ranges)) for s in spans]


def _ranges(text: str, values: Iterable[str]) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for v in values for m in re.finditer(re.escape(v), text)]


def build_samples(pupa_rows: Sequence[dict[str, Any]], planner: Planner, seed: int = 13) -> list[Sample]:
    samples = []
    for row in pupa_rows:
        c = candidates(planner, row["query"])
        samples.append(Sample(row["query"], c, _labels(c, unit_labels(row["query"], row["units"])), "pupa",
                              row["category"], row["query"]))
    for p in tune(PUBLIC):
        c = candidates(planner, p.text)
        samples.append(Sample(p.text, c, [0] * len(c), "public", p.kind, p.template or p.text))
    for d in tune(PRIVATE):
        c = candidates(planner, d.text)
        samples.append(Sample(d.text, c, _labels(c, _ranges(d.text, d.private)), "private", d.kind,
                              d.template or d.text))
    for g in generate(SYNTHETIC, seed=seed + 1, templates="even"):
        c = candidates(planner, g.text)
        samples.append(Sample(g.text, c, _labels(c, [(a, b) for a, b, _ in g.spans]), "private", "synthetic",
                              f"synthetic-{g.template}"))
    return samples


def design(samples: Sequence[Sample]) -> tuple[list[list[str]], list[int], list[float], list[int]]:
    """Features, labels, weights and the sample index of every candidate."""
    lexicon = load_models()[0].lexicon
    X, y, w, owner = [], [], [], []
    for i, s in enumerate(samples):
        frame = frame_of(s.text)
        for span, label, sources in zip(s.candidates, s.labels, overlapping_sources(s.candidates)):
            X.append(span_features(s.text, span, frame, lexicon, sources))
            if s.kind == "pupa":
                y.append(1)
                w.append(1.0 if label else UNLABELLED_WEIGHT)
            else:
                y.append(label)
                w.append(PUBLIC_WEIGHT if s.kind == "public" else 1.0)
            owner.append(i)
    return X, y, w, owner


def out_of_fold(samples: Sequence[Sample], X, y, w, owner, seed: int, C: float = C) -> list[float]:
    """Each candidate's probability from a model that saw neither its prompt nor its template."""
    groups = {g: i % FOLDS for i, g in enumerate(sorted({s.group for s in samples}))}
    fold = [groups[samples[o].group] for o in owner]
    probs = [0.0] * len(X)
    for k in range(FOLDS):
        train_idx = [j for j in range(len(X)) if fold[j] != k]
        weights, bias = fit_linear([X[j] for j in train_idx], [y[j] for j in train_idx], C, seed,
                                   [w[j] for j in train_idx])
        for j in range(len(X)):
            if fold[j] == k:
                probs[j] = logistic(weights, bias, X[j])
    return probs


def curve(samples: Sequence[Sample], probs: Sequence[float], owner: Sequence[int],
          thresholds: Iterable[float]) -> list[dict[str, float]]:
    """Per threshold: the share of public prompts with a kept candidate, and of private
    candidates (PUPA's labelled ones and the disclosures') dropped."""
    n_public = sum(1 for s in samples if s.kind == "public")
    labelled = [label for s in samples for label in s.labels]
    positives = [p for p, label in zip(probs, labelled) if label]
    rows = []
    for t in thresholds:
        kept_public = {owner[j] for j, p in enumerate(probs) if p >= t and samples[owner[j]].kind == "public"}
        rows.append({"threshold": round(t, 3), "public_changed": round(len(kept_public) / max(1, n_public), 4),
                     "private_dropped": round(sum(1 for p in positives if p < t) / max(1, len(positives)), 4)})
    return rows


def choose_threshold(rows: Sequence[dict[str, float]], max_public_changed: float) -> float:
    ok = [r["threshold"] for r in rows if r["public_changed"] <= max_public_changed]
    return min(ok) if ok else max(r["threshold"] for r in rows)


def train(seed: int = 13, data: str | Path | None = None, out: str | Path = ARTIFACT,
          max_public_changed: float = MAX_PUBLIC_CHANGED, exclude_categories: Iterable[str] = ()) -> dict[str, Any]:
    """Fit the judge, choose its threshold out of fold, write the artifact; returns its
    metadata. ``exclude_categories``: PUPA categories left out (for cross-validation)."""
    excluded = set(exclude_categories)
    rows = [r for r in train_split(load_pupa(data_dir(data) / "PUPA_New.csv")) if r["category"] not in excluded]
    samples = build_samples(rows, candidate_planner(), seed)
    X, y, w, owner = design(samples)
    probs = out_of_fold(samples, X, y, w, owner, seed)
    grid = [round(0.05 * i, 2) for i in range(1, 20)]
    rows_curve = curve(samples, probs, owner, grid)
    threshold = choose_threshold(rows_curve, max_public_changed)
    weights, bias = fit_linear(X, y, C, seed, w)
    meta = {"seed": seed, "C": C, "public_weight": PUBLIC_WEIGHT, "unlabelled_weight": UNLABELLED_WEIGHT, "candidates": len(X), "positives": sum(y),
            "prompts": {k: sum(1 for s in samples if s.kind == k) for k in ("pupa", "public", "private")},
            "out_of_fold": rows_curve}
    art = {"weights": dict(sorted(weights.items())), "bias": round(bias, 4), "threshold": threshold,
           "candidate_threshold": CANDIDATE_THRESHOLD, "meta": meta}
    with open(out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as fh:
        fh.write(json.dumps(art, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return {"threshold": threshold, **{k: v for k, v in meta.items() if k != "out_of_fold"}}
