"""Detection rate per adversarial category: ptmo-middleware vs Presidio defaults, one run.

    python benchmarks/adversarial.py [--heldout-seed 2026] [--no-presidio]

"Detected" means the planted value does not survive into what would reach the cloud
(see ptmo_lab.evaluation.adversarial.survives): for ptmo, the plan's cloud
payloads under the default settings (threshold policy, every installed classifier);
for Presidio, AnalyzerEngine + AnonymizerEngine with defaults (spaCy small model) applied
to every message of the conversation. Measured on the committed corpus and on a held-out
one the same generator makes with another seed. Writes benchmarks/results/adversarial.md.
"""
from __future__ import annotations

import argparse
import datetime
import importlib.util
import itertools
import statistics
import sys
import time
from pathlib import Path

from machine import describe  # noqa: E402  (benchmarks/machine.py)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ptmo_middleware import PrivacyRouter  # noqa: E402
from ptmo_lab.evaluation.adversarial import (CategoryResult, Sanitizer, evaluate,  # noqa: E402
                                                    load_corpus)

CORPUS = ROOT / "tests" / "adversarial" / "corpus.jsonl"
GENERATOR = ROOT / "tests" / "adversarial" / "generate.py"
OUT = ROOT / "benchmarks" / "results" / "adversarial.md"


def ours_sanitizer(router: PrivacyRouter) -> Sanitizer:
    """Cloud payloads of a fresh conversation's plan (its mask map dropped afterwards)."""
    ids = itertools.count()

    def sanitize(messages: list[dict[str, str]]) -> list[str]:
        cid = f"adversarial-{next(ids)}"
        try:
            return router.plan(messages, conversation_id=cid).cloud_payloads
        finally:
            router.vaults.drop(cid)

    return sanitize


def presidio_sanitizer() -> Sanitizer:
    """Presidio defaults on the installed spaCy model; every message anonymised."""
    from ptmo_lab.evaluation.presidio_anchor import sanitizer

    sanitize_text = sanitizer()

    def sanitize(messages: list[dict[str, str]]) -> list[str]:
        return [sanitize_text(m["content"]) for m in messages]

    return sanitize


def timed(fn: Sanitizer, latencies: list[float]) -> Sanitizer:
    def run(messages: list[dict[str, str]]) -> list[str]:
        t0 = time.perf_counter()
        try:
            return fn(messages)
        finally:
            latencies.append((time.perf_counter() - t0) * 1e3)
    return run


def measure(records: list[dict], fn: Sanitizer) -> tuple[dict[str, CategoryResult], list[float]]:
    latencies: list[float] = []
    return evaluate(records, timed(fn, latencies)), latencies


def _total(results: dict[str, CategoryResult]) -> CategoryResult:
    return CategoryResult(units=sum(r.units for r in results.values()),
                          detected=sum(r.detected for r in results.values()),
                          records=sum(r.records for r in results.values()),
                          records_clean=sum(r.records_clean for r in results.values()),
                          records_local=sum(r.records_local for r in results.values()))


Run = dict[str, CategoryResult]


def render(runs: dict[str, tuple[Run, list[float]]], classifiers: list[str], seeds: tuple[int, int],
           command: str) -> str:
    """``runs``: "ptmo committed", "ptmo held-out" and, when measured, the Presidio pair."""
    names = list(runs)
    lines = ["## Adversarial corpus: detection rate per category", "",
             "A planted value counts as detected when neither it nor any contiguous half of it "
             "(at least 6 characters, compared after folding Unicode look-alikes, invisible "
             "characters, case and separators) reaches the cloud payloads. "
             f"ptmo: default settings (threshold policy), classifiers: {', '.join(classifiers) or 'none'}. "
             "Presidio: AnalyzerEngine + AnonymizerEngine defaults with spaCy en_core_web_sm, "
             "every message anonymised. *committed*: tests/adversarial/corpus.jsonl (seed "
             f"{seeds[0]}; the detectors were developed while it existed, so it is optimistic); "
             f"*held-out*: the same generator with seed {seeds[1]}, made at benchmark time.", "",
             "| category | planted values (committed / held-out) | " + " | ".join(names) + " |",
             "|---|---|" + "---|" * len(names)]
    first = runs[names[0]][0]
    held = runs[names[1]][0]
    for cat in first:
        cells = " | ".join(f"{runs[n][0][cat].rate:.1%}" for n in names)
        lines.append(f"| {cat} | {first[cat].units} / {held[cat].units} | {cells} |")
    totals = " | ".join(f"**{_total(runs[n][0]).rate:.1%}**" for n in names)
    lines.append(f"| **all** | {_total(first).units} / {_total(held).units} | {totals} |")
    latency = "; ".join(f"{n} {_pct(ms, 50):.2f} / {_pct(ms, 95):.2f} ms" for n, (_, ms) in runs.items()
                        if n.endswith("held-out"))
    kept = "; ".join(f"{n} {_total(runs[n][0]).records_local} of {_total(runs[n][0]).records}" for n in names[:2])
    lines += ["", f"Conversations with no cloud payload at all (detection bought by answering wholly on the "
                  f"device): {kept}.", "", f"Latency per conversation, p50 / p95: {latency}.", "",
              f"Reproduce: `{command}`  ", f"Machine: {describe()}  ",
              f"Date: {datetime.datetime.now(datetime.timezone.utc).date().isoformat()}", ""]
    below = sorted({c for n in names[:2] for c, r in runs[n][0].items() if r.rate < 0.95})
    if below:
        lines.append(f"Categories below 95 % for ptmo: {', '.join(below)} (see docs/limitations.md).")
    return "\n".join(lines) + "\n"


def _pct(values: list[float], q: int) -> float:
    if not values:
        return 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def _generator():
    spec = importlib.util.spec_from_file_location("adversarial_generate", GENERATOR)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)  # type: ignore[union-attr]
    return gen


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--heldout-seed", type=int, default=2026)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--no-presidio", action="store_true", help="skip the Presidio columns")
    args = ap.parse_args(argv)
    corpora = {"committed": load_corpus(args.corpus),
               "held-out": _generator().generate(args.heldout_seed, 40)}
    router = PrivacyRouter()
    runs = {f"ptmo {k}": measure(v, ours_sanitizer(router)) for k, v in corpora.items()}
    if not args.no_presidio:
        presidio = presidio_sanitizer()
        runs.update({f"Presidio {k}": measure(v, presidio) for k, v in corpora.items()})
    command = "python benchmarks/adversarial.py" + (" --no-presidio" if args.no_presidio else "")
    text = render(runs, router.classifier_names, (9, args.heldout_seed), command)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
