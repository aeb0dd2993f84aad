"""Train the unit judge (:mod:`ptmo_middleware.plugins.classifiers.unit_judge`).

Candidates are the spans ``ner`` and ``ml`` (the tagger at the judge's lower candidate
threshold) find in five sources: PUPA_New's training split, the public prompts of the
prompt corpus's ``tune`` family and the clean code snippets of
:mod:`~ptmo_lab.evaluation.code_corpus` (every candidate is public, weighted ``PUBLIC_WEIGHT``
and ``CODE_WEIGHT``; they teach the models of code and of pastes only),
the prompt corpus's disclosures (private when it overlaps a marked value), and ``SYNTHETIC`` sentences
of the synthetic-PII generator's even templates (private where a gold span is). PUPA's
labels are partial (its annotator marks a country in one prompt and not in the next), so a PUPA candidate
counts as private: fully when it overlaps a labelled unit, with weight
``UNLABELLED_WEIGHT`` when not. The judge thus learns to let names through where the
framing is public, not to second-guess the detectors inside personal prompts.
The corpus's ``held`` family and PUPA's dev split are never read here. There is one
model per place a unit sits in (:data:`MODELS`: prose, the prose of a prompt holding
code, a line of code). The prose model's threshold is the lowest whose out-of-fold
judgement leaves at most ``max_public_changed`` of the tune public prompts with a kept
candidate; the others', the lowest that leaves at most ``MAX_CODE_CHANGED`` of the code
snippets. Same data and seed, same bytes.
"""
from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from ptmo_middleware.components import ClassifyContext
from ptmo_middleware.config import Settings
from ptmo_lab.evaluation import code_corpus
from ptmo_lab.evaluation.leakage import data_dir, load_pupa, train_split
from ptmo_lab.evaluation.prompt_corpus import PRIVATE, PUBLIC, tune
from ptmo_lab.evaluation.synthetic_pii import generate
from ptmo_lab.evaluation.train_classifier import fit_linear, unit_labels
from ptmo_middleware.pipeline import Planner
from ptmo_middleware.plugins.classifiers.unit_judge import (
    ARTIFACT, JUDGED_SOURCES, MODELS, frame_of, judge_features, latin, logistic, overlapping_sources,
)
from ptmo_middleware.plugins.classifiers.ml import load_models
from ptmo_middleware.types import Span

CANDIDATE_THRESHOLD = 0.15
C = 0.5
PUBLIC_WEIGHT = 6.0
CODE_WEIGHT = 6.0
UNLABELLED_WEIGHT = 0.1
MAX_PUBLIC_CHANGED = 0.05
MAX_CODE_CHANGED = 0.03
FOLDS = 5
SYNTHETIC = 400


@dataclass
class Sample:
    """One prompt: its candidates, their labels, and the group it belongs to."""

    text: str
    candidates: list[Span]
    labels: list[int]
    kind: str
    """``pupa``, ``public``, ``code`` or ``private``."""
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
    for t in code_corpus.snippets():
        c = candidates(planner, t)
        samples.append(Sample(t, c, [0] * len(c), "code", "code", code_corpus.template_of(t)))
    for d in tune(PRIVATE):
        c = candidates(planner, d.text)
        samples.append(Sample(d.text, c, _labels(c, _ranges(d.text, d.private)), "private", d.kind,
                              d.template or d.text))
    for g in generate(SYNTHETIC, seed=seed + 1, templates="even"):
        c = candidates(planner, g.text)
        samples.append(Sample(g.text, c, _labels(c, [(a, b) for a, b, _ in g.spans]), "private", "synthetic",
                              f"synthetic-{g.template}"))
    return samples


@dataclass
class Design:
    """Every candidate judged in training: features, label, weight, the index of its
    sample, the model of :data:`MODELS` that judges it, whether it comes from a code
    snippet, and its sample's own label (PUPA's labelled units; :attr:`y` counts every
    PUPA candidate private)."""

    X: list[list[str]] = field(default_factory=list)
    y: list[int] = field(default_factory=list)
    w: list[float] = field(default_factory=list)
    owner: list[int] = field(default_factory=list)
    model: list[str] = field(default_factory=list)
    snippet: list[bool] = field(default_factory=list)
    labelled: list[int] = field(default_factory=list)


def design(samples: Sequence[Sample]) -> Design:
    """The candidates of ``samples``; the code snippets' only where they are code."""
    lexicon = load_models()[0].lexicon
    d = Design()
    for i, s in enumerate(samples):
        frame = frame_of(s.text)
        for span, label, sources in zip(s.candidates, s.labels, overlapping_sources(s.candidates)):
            model, feats = judge_features(s.text, span, frame, lexicon, sources)
            d.X.append(feats)
            d.model.append(model)
            d.snippet.append(s.kind == "code")
            d.labelled.append(label)
            d.owner.append(i)
            if s.kind == "pupa":
                d.y.append(1)
                d.w.append(1.0 if label else UNLABELLED_WEIGHT)
            else:
                d.y.append(label)
                d.w.append({"public": PUBLIC_WEIGHT, "code": CODE_WEIGHT}.get(s.kind, 1.0))
    return d


def fit_models(d: Design, idx: Iterable[int], seed: int, C: float = C) -> dict[str, tuple[dict[str, float], float]]:
    """Each model of :data:`MODELS` fitted on its candidates among ``idx`` (the prose
    model without the code snippets': they teach the models of code and pastes)."""
    idx = list(idx)
    models = {}
    for kind in MODELS:
        part = [j for j in idx if d.model[j] == kind and not (kind == "prose" and d.snippet[j])]
        models[kind] = fit_linear([d.X[j] for j in part], [d.y[j] for j in part], C, seed, [d.w[j] for j in part])
    return models


def out_of_fold(samples: Sequence[Sample], d: Design, seed: int, C: float = C) -> list[float]:
    """Each candidate's probability from models that saw neither its prompt nor its template."""
    groups = {g: i % FOLDS for i, g in enumerate(sorted({s.group for s in samples}))}
    fold = [groups[samples[o].group] for o in d.owner]
    probs = [0.0] * len(d.X)
    for k in range(FOLDS):
        models = fit_models(d, (j for j in range(len(d.X)) if fold[j] != k), seed, C)
        for j in range(len(d.X)):
            if fold[j] == k:
                probs[j] = logistic(*models[d.model[j]], d.X[j])
    return probs


def curve(samples: Sequence[Sample], d: Design, probs: Sequence[float], thresholds: Iterable[float],
          model: str) -> list[dict[str, float]]:
    """For one model of :data:`MODELS`, per threshold: the share of its public texts (the
    public prompts for prose, the code snippets for the others) with a candidate it
    keeps, and of the private candidates it judges (PUPA's labelled ones, the
    disclosures') that it drops."""
    kind = "public" if model == "prose" else "code"
    n_texts = sum(1 for s in samples if s.kind == kind)
    mine = [j for j in range(len(probs)) if d.model[j] == model]
    positives = [probs[j] for j in mine if d.labelled[j]]
    rows = []
    for t in thresholds:
        kept = {d.owner[j] for j in mine if probs[j] >= t and samples[d.owner[j]].kind == kind}
        rows.append({"threshold": round(t, 3), "public_changed": round(len(kept) / max(1, n_texts), 4),
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
    d = design(samples)
    probs = out_of_fold(samples, d, seed)
    grid = [round(0.05 * i, 2) for i in range(1, 20)]
    curves = {kind: curve(samples, d, probs, grid, kind) for kind in MODELS}
    thresholds = {kind: choose_threshold(rows, max_public_changed if kind == "prose" else MAX_CODE_CHANGED)
                  for kind, rows in curves.items()}
    fitted = fit_models(d, range(len(d.X)), seed)
    meta = {"seed": seed, "C": C, "public_weight": PUBLIC_WEIGHT, "code_weight": CODE_WEIGHT,
            "unlabelled_weight": UNLABELLED_WEIGHT, "candidates": {k: d.model.count(k) for k in MODELS},
            "positives": sum(d.y),
            "prompts": {k: sum(1 for s in samples if s.kind == k) for k in ("pupa", "public", "code", "private")},
            "out_of_fold": curves}
    art = {"models": {kind: {"weights": dict(sorted(w.items())), "bias": round(b, 4), "threshold": thresholds[kind]}
                      for kind, (w, b) in fitted.items()},
           "candidate_threshold": CANDIDATE_THRESHOLD, "meta": meta}
    with open(out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as fh:
        fh.write(json.dumps(art, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return {"thresholds": thresholds, **{k: v for k, v in meta.items() if k != "out_of_fold"}}
