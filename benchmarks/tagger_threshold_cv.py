"""How the unit tagger's threshold was chosen: 2-fold cross-validation on PUPA_New's
training split only (rows whose index is not divisible by 5), never on the dev split.

    python benchmarks/tagger_threshold_cv.py [--data DIR]

Each fold trains the tagger (same recipe as ``ptmo train-classifier``) on one half of
the training rows plus generated data, and plans the other half at each threshold with
two routers: the full default (rules + ner + ml) and rules + ml (no spaCy). For each
router the shipped threshold is the lowest whose cross-validated retain is at least
0.90 (the retain floor): ``threshold`` and ``threshold_without_ner`` in the artifact.
Writes benchmarks/results/tagger_threshold_cv.md.
"""
from __future__ import annotations

import argparse
import datetime
import os
from pathlib import Path
from typing import Any, Callable

from machine import describe  # noqa: E402  (benchmarks/machine.py)

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from ptmo_middleware import PrivacyRouter  # noqa: E402
from ptmo_lab.evaluation.leakage import data_dir, load_pupa, score  # noqa: E402
from ptmo_lab.evaluation.train_classifier import (  # noqa: E402
    L2_C, N_SYNTH, build_lexicon, fit_linear, tagger_corpus)
from ptmo_middleware.plugins.classifiers.unit_tagger import UnitTagger  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GRID = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)
ROUTERS = {"full default (rules + ner + ml)": None, "rules + ml": ["rules", "ml"]}
SEED = 13


def memoised(classify: Callable) -> Callable:
    """A classifier whose answer does not depend on the tagger is run once per text."""
    cache: dict[str, Any] = {}

    def run(text, ctx):
        if text not in cache:
            cache[text] = classify(text, ctx)
        return cache[text]
    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "tagger_threshold_cv.md"))
    args = ap.parse_args()
    rows = load_pupa(data_dir(args.data) / "PUPA_New.csv")
    train_idx = [i for i in range(len(rows)) if i % 5]
    folds = [[i for i in train_idx if (i // 5) % 2 == k] for k in (0, 1)]
    lex = build_lexicon()
    routers = {name: PrivacyRouter(classifiers=cls) for name, cls in ROUTERS.items()}
    for router in routers.values():
        for c in router.planner.classifiers:
            if c.name != "ml":
                c.classify = memoised(c.classify)
    pooled = {(name, t): ([], []) for name in routers for t in GRID}
    n = 0
    for k in (0, 1):
        X, y, w = tagger_corpus(lex, [rows[i] for i in folds[1 - k]], N_SYNTH, SEED)
        weights, bias = fit_linear(X, y, L2_C, SEED, w)
        tagger = UnitTagger(weights, bias, lex)
        for t in GRID:
            for name, router in routers.items():
                ml = next(c for c in router.planner.classifiers if c.name == "ml")
                ml.tagger, ml.threshold = tagger, t
                for i in folds[k]:
                    n += 1
                    plan = router.plan(rows[i]["query"], conversation_id=f"cv-{n}")
                    pooled[(name, t)][0].append(rows[i])
                    pooled[(name, t)][1].append("\n".join(plan.cloud_payloads) if plan.cloud_payloads else None)
    scores = {key: score(*v) for key, v in pooled.items()}
    full, alone = ROUTERS
    chosen = {name: min((t for t in GRID if scores[(name, t)]["retain"] >= 0.90), default=max(GRID))
              for name in ROUTERS}
    lines = ["## Unit-tagger threshold: 2-fold cross-validation on PUPA_New's training split", "",
             f"{len(train_idx)} training rows (index not divisible by 5), two folds. Shipped thresholds: the lowest "
             f"with retain >= 0.90, **{chosen[full]}** beside NER (full default router) and **{chosen[alone]}** "
             "without it (rules + ml).", "",
             f"| threshold | leak, {full} | retain, {full} | leak, {alone} | retain, {alone} |",
             "|---|---|---|---|---|"]
    lines += [f"| {t} | {scores[(full, t)]['leak']:.3f} | {scores[(full, t)]['retain']:.3f} | "
              f"{scores[(alone, t)]['leak']:.3f} | {scores[(alone, t)]['retain']:.3f} |" for t in GRID]
    lines += ["", f"Reproduce: `.venv/bin/python benchmarks/tagger_threshold_cv.py`. Machine: {describe()}. "
              f"Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d}.", ""]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
