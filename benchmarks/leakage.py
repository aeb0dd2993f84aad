"""Leakage vs utility on PUPA_New: what leaves the device, ours beside Presidio.

    python benchmarks/leakage.py [--data DIR] [--out benchmarks/results/leakage.md]

Every system plans all 664 prompts once (a fresh conversation per prompt); the
figures are given on all rows and on the dev split (0-based row
index divisible by 5: the rows no model was trained on), from the
same run. Metric: ptmo_lab.evaluation.leakage (identical to
shared/bench/pupa_leakage.py). Writes a Markdown fragment.
"""
from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

from machine import describe  # noqa: E402  (benchmarks/machine.py)

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from ptmo_middleware import PrivacyRouter  # noqa: E402
from ptmo_lab.evaluation.leakage import (  # noqa: E402
    by_category, data_dir, load_pupa, score)

ROOT = Path(__file__).resolve().parent.parent


def presidio_default() -> Callable[[str], str]:
    """Presidio AnalyzerEngine + AnonymizerEngine with defaults on spaCy sm (as the anchor)."""
    from ptmo_lab.evaluation.presidio_anchor import sanitizer

    return sanitizer()


def ours(classifiers: list[str] | None, **settings: object) -> Callable[[str], str | None]:
    router = PrivacyRouter(classifiers=classifiers, **settings)
    for clf in router.planner.classifiers:
        if clf.name == "ner":
            clf.cache_size = 0  # time spaCy on every prompt, as Presidio runs it (PUPA repeats some)
    counter = iter(range(10**9))

    def fn(q: str) -> str | None:
        plan = router.plan(q, conversation_id=f"leak-{next(counter)}")
        return "\n".join(plan.cloud_payloads) if plan.cloud_payloads else None
    fn("warm up: John Smith works at Acme in Paris.")
    return fn


SYSTEMS: list[tuple[str, Callable[[], Callable[[str], str | None]]]] = [
    ("send everything (no protection)", lambda: (lambda q: q)),
    ("keep everything local", lambda: (lambda q: None)),
    ("Presidio default (Analyzer+Anonymizer, spaCy sm)", presidio_default),
    ("ours: rules only", lambda: ours(["rules"])),
    ("ours: rules + ner", lambda: ours(["rules", "ner"])),
    ("ours: rules + ml (no spaCy)", lambda: ours(["rules", "ml"])),
    ("ours: rules + ner + ml, ner_gate off (spaCy reads everything)", lambda: ours(None, ner_gate=False)),
    ("ours: rules + ner + ml, ner_gate_budget=1200 (spaCy reads at most 1200 characters)",
     lambda: ours(None, ner_gate_budget=1200)),
    ("ours: full default (rules + ner + ml)", lambda: ours(None)),
]


NOTES = """Where the targets are missed, and why:
- Leak above 0.05. What still leaks on the dev split: lower-case names, brands and places
  ("jeddah", "mareda", handles written as words) and code identifiers (package names, user
  ids in scripts), which the tagger scores low because in its training data most rare
  lower-case tokens are typos, foreign words or code; well-known entities the PUPA labels
  mark only sometimes (countries, agencies, sports teams); parts of multi-word units; and
  units no span detector can hide (pronouns labelled as units, two-letter units that the
  metric finds as substrings of other words). The tagger retrained on 2026-11-27 (richer
  context, a place gazetteer, per-prompt weighting, dashes split; tagger_threshold_cv.md)
  cut the leak of rules + ml on this split from 0.272 to about 0.21, but left the full
  router where it was: 0.123 with the old tagger and spaCy reading everything, the same
  now with spaCy reading everything, a little more with the default gate. Tried: masking every capitalised token
  (much lower retain for little gain), lower tagger thresholds (the cross-validated curve
  in tagger_threshold_cv.md: leak falls by about 0.05 when retain falls below 0.88), the
  ner classifier's false-positive filters (neutral on leak), growing units over touching
  capitalised words and name particles, and masking every mention of a masked value (both
  kept).
- Latency: spaCy's ner is nearly all of plan() (rules and ml together take about a
  millisecond on a median prompt), and Presidio runs the same small model (with its
  tagger, parser and lemmatizer besides). So the ner classifier reads only windows of 25
  characters around capitalised words (ner_gate, see plugins/classifiers/ner.py); what is
  left at the median is spaCy's fixed cost per call (about 1.5 ms) and its cost per token
  on those windows, and at the p95 spaCy on the windows of a long prompt beside the ml
  tagger's pass over it. A cap on the characters spaCy reads (ner_gate_budget) would bound
  the p95 but leave names in long prompts unread, so the default has none (the row
  "ner_gate_budget=1200" shows that trade in the same run). The gate costs
  leak: the row "ner_gate off" above is the same router reading everything, in the same
  run. The row without spaCy (rules + ml) shows the fast path and what it gives up in leak.
"""


def interleaved(rows: list[dict], systems: list[tuple[str, Callable[[str], str | None]]]
                ) -> dict[str, tuple[list[str | None], list[float]]]:
    """Run every system on each prompt in turn, so that the load of a shared machine
    weighs on all of them alike; returns payloads and seconds per system."""
    out: dict[str, tuple[list[str | None], list[float]]] = {name: ([], []) for name, _ in systems}
    for row in rows:
        for name, fn in systems:
            t = time.perf_counter()
            payload = fn(row["query"])
            out[name][1].append(time.perf_counter() - t)
            out[name][0].append(payload)
    return out


def fmt_row(name: str, s: dict[str, float], ratio: str = "") -> str:
    ms = f"{s['ms_p50']:.2f} / {s['ms_p95']:.2f}" if "ms_p50" in s else "-"
    return f"| {name} | {s['leak']:.3f} | {s['retain']:.3f} | {s['cloud']:.2f} | {ms} | {ratio} |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="folder holding PUPA_New.csv (default $PTMO_DATA_DIR or ../shared/data)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "leakage.md"))
    args = ap.parse_args()
    rows = load_pupa(data_dir(args.data) / "PUPA_New.csv")
    dev_idx = [i for i in range(len(rows)) if i % 5 == 0]
    dev = [rows[i] for i in dev_idx]
    results = interleaved(rows, [(name, make()) for name, make in SYSTEMS])
    for name, (payloads, times) in results.items():
        print(f"{name}: all {score(rows, payloads, times)}", file=sys.stderr)

    def section(title: str, idx: list[int]) -> list[str]:
        sub = [rows[i] for i in idx]
        scored = {n: score(sub, [p[i] for i in idx], [t[i] for i in idx]) for n, (p, t) in results.items()}
        pres = scored[SYSTEMS[2][0]]["ms_p50"]
        lines = [f"### {title} ({len(sub)} prompts, {int(scored[SYSTEMS[0][0]]['units'])} private units)", "",
                 "| system | leak | retain | cloud | p50 / p95 ms | p50 vs Presidio |", "|---|---|---|---|---|---|"]
        for n in results:
            ratio = f"{scored[n]['ms_p50'] / pres:.2f}x" if n.startswith(("ours", "Presidio")) else ""
            lines.append(fmt_row(n, scored[n], ratio))
        return lines + [""]

    full = SYSTEMS[-1][0]
    cats = by_category(dev, [results[full][0][i] for i in dev_idx])
    pres_cats = by_category(dev, [results[SYSTEMS[2][0]][0][i] for i in dev_idx])
    lens = sorted(len(r["query"]) for r in rows)
    lines = ["## Leakage on PUPA_New: what reaches the cloud", "",
             "Metric exactly as shared/bench/pupa_leakage.py (leak: share of private units that reach the cloud "
             "whole or by half their 3+ character tokens; retain: share of the other words that reach it; "
             "cloud: share of prompts sent at all). Ours is `PrivacyRouter(...).plan(query)` with default "
             "settings (threshold policy: SEMI_SENSITIVE and PRIVATE spans masked, decomposer auto); latency is "
             f"the whole plan() call, Presidio's is analyze+anonymize, same prompts, same run, the systems taking "
             f"turns on each prompt. Prompts: median "
             f"{lens[len(lens) // 2]} characters, longest {lens[-1]}.", ""]
    lines += section("Dev split: row index divisible by 5 (never trained on)", dev_idx)
    lines += section("All rows (the ml tagger saw the 531 non-dev rows in training)", list(range(len(rows))))
    lines += ["### Dev split by PUPA category (leak / retain)", "",
              "| category | units | Presidio default | ours full default |", "|---|---|---|---|"]
    for c, s in cats.items():
        p = pres_cats[c]
        lines.append(f"| {c} | {int(s['units'])} | {p['leak']:.3f} / {p['retain']:.3f} | "
                     f"{s['leak']:.3f} / {s['retain']:.3f} |")
    times_full = [results[full][1][i] * 1e3 for i in dev_idx]
    lines += ["", f"Ours full default, dev split: mean plan() {statistics.mean(times_full):.2f} ms.", "",
              "Targets (dev split): leak <= 0.05 with retain >= 0.90; plan() p50 <= 1/3 of Presidio's "
              "p50 measured side by side; p95 <= 25 ms. The tagger's threshold was chosen on the training split "
              "(tagger_threshold_cv.md), not on these rows.", "", NOTES,
              f"Reproduce: `.venv/bin/python benchmarks/leakage.py`. Machine: {describe()} (shared with other "
              f"jobs, so compare within the table). Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d}.",
              ""]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
