"""How the unit tagger's threshold was chosen: 2-fold cross-validation on PUPA_New's
training split only (rows whose index is not divisible by 5), never on the dev split.

    python benchmarks/tagger_threshold_cv.py [--data DIR]

Each fold trains the tagger (same recipe as ``ptmo train-classifier``) on one half of
the training rows plus generated data, and plans the other half with the full default
router (rules + ner + ml) at each threshold. The shipped threshold is the lowest one
whose cross-validated retain is at least 0.90 (issue 3's floor). Writes
benchmarks/results/tagger_threshold_cv.md.
"""
from __future__ import annotations

import argparse
import datetime
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from ptmo_middleware import PrivacyRouter  # noqa: E402
from ptmo_middleware.evaluation.leakage import data_dir, load_pupa, score  # noqa: E402
from ptmo_middleware.evaluation.train_classifier import build_lexicon, fit_linear, tagger_corpus  # noqa: E402
from ptmo_middleware.plugins.classifiers.unit_tagger import UnitTagger  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GRID = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "tagger_threshold_cv.md"))
    args = ap.parse_args()
    rows = load_pupa(data_dir(args.data) / "PUPA_New.csv")
    train_idx = [i for i in range(len(rows)) if i % 5]
    folds = [[i for i in train_idx if (i // 5) % 2 == k] for k in (0, 1)]
    lex = build_lexicon()
    router = PrivacyRouter()
    ml = next(c for c in router.planner.classifiers if c.name == "ml")
    ner = next(c for c in router.planner.classifiers if c.name == "ner")
    cache: dict[str, list] = {}
    classify = ner.classify

    def cached(text, ctx):  # spaCy's answer does not depend on the threshold
        if text not in cache:
            cache[text] = classify(text, ctx)
        return cache[text]
    ner.classify = cached
    pooled: dict[float, tuple[list, list]] = {t: ([], []) for t in GRID}
    n = 0
    for k in (0, 1):
        fit_rows, test_rows = [rows[i] for i in folds[1 - k]], [rows[i] for i in folds[k]]
        X, y = tagger_corpus(lex, fit_rows, 1500, 13)
        weights, bias = fit_linear(X, y, 0.5, 13)
        for t in GRID:
            ml.tagger = UnitTagger(weights, bias, lex, t)
            for row in test_rows:
                n += 1
                plan = router.plan(row["query"], conversation_id=f"cv-{n}")
                pooled[t][0].append(row)
                pooled[t][1].append("\n".join(plan.cloud_payloads) if plan.cloud_payloads else None)
    scores = {t: score(*pooled[t]) for t in GRID}
    chosen = min((t for t in GRID if scores[t]["retain"] >= 0.90), default=max(GRID))
    lines = ["## Unit-tagger threshold: 2-fold cross-validation on PUPA_New's training split", "",
             f"{len(train_idx)} training rows (index not divisible by 5), two folds; full default router. "
             f"Shipped threshold: the lowest with retain >= 0.90: **{chosen}**.", "",
             "| threshold | leak | retain |", "|---|---|---|"]
    lines += [f"| {t} | {s['leak']:.3f} | {s['retain']:.3f} |" for t, s in scores.items()]
    lines += ["", "Reproduce: `.venv/bin/python benchmarks/tagger_threshold_cv.py`. Machine: 2-core x86_64 CPU, "
              f"no GPU. Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d}.", ""]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
