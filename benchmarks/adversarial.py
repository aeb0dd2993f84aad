"""Detection rate per adversarial category: ptmo-middleware vs Presidio defaults, one run.

    python benchmarks/adversarial.py [--corpus tests/adversarial/corpus.jsonl] [--no-presidio]

"Detected" means the planted value does not survive into what would reach the cloud
(see ptmo_middleware.evaluation.adversarial.survives): for ptmo, the plan's cloud
payloads under the default settings (threshold policy, every installed classifier);
for Presidio, AnalyzerEngine + AnonymizerEngine with defaults (spaCy small model) applied
to every message of the conversation. Writes benchmarks/results/adversarial.md.
"""
from __future__ import annotations

import argparse
import datetime
import itertools
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ptmo_middleware import PrivacyRouter  # noqa: E402
from ptmo_middleware.evaluation.adversarial import (CategoryResult, Sanitizer, evaluate,  # noqa: E402
                                                    load_corpus)

CORPUS = ROOT / "tests" / "adversarial" / "corpus.jsonl"
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
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine

    model = "en_core_web_sm" if "en_core_web_sm" in spacy.util.get_installed_models() else \
        next(iter(spacy.util.get_installed_models()))
    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
    analyzer = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=conf).create_engine())
    anonymizer = AnonymizerEngine()

    def sanitize(messages: list[dict[str, str]]) -> list[str]:
        out = []
        for m in messages:
            results = analyzer.analyze(text=m["content"], language="en")
            out.append(anonymizer.anonymize(text=m["content"], analyzer_results=results).text)
        return out

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


def _total(results: dict[str, CategoryResult]) -> tuple[int, int]:
    return sum(r.detected for r in results.values()), sum(r.units for r in results.values())


def render(ours: dict[str, CategoryResult], ours_ms: list[float], classifiers: list[str],
           presidio: dict[str, CategoryResult] | None, presidio_ms: list[float], command: str) -> str:
    head = "| category | records | planted values | ptmo detected | ptmo clean records |"
    rule = "|---|---|---|---|---|"
    if presidio is not None:
        head += " Presidio detected |"
        rule += "---|"
    lines = ["## Adversarial corpus: detection rate per category", "",
             "A planted value counts as detected when neither it nor any contiguous half of it "
             "(at least 6 characters, compared after folding Unicode look-alikes, invisible "
             "characters, case and separators) reaches the cloud payloads. "
             f"ptmo: default settings (threshold policy), classifiers: {', '.join(classifiers) or 'none'}. "
             "Presidio: AnalyzerEngine + AnonymizerEngine defaults with spaCy en_core_web_sm, "
             "every message anonymised. Corpus: tests/adversarial/corpus.jsonl "
             "(regenerate with `python tests/adversarial/generate.py`).", "", head, rule]
    for cat, r in ours.items():
        row = f"| {cat} | {r.records} | {r.units} | {r.rate:.1%} | {r.records_clean}/{r.records} |"
        if presidio is not None:
            row += f" {presidio[cat].rate:.1%} |"
        lines.append(row)
    d, u = _total(ours)
    row = f"| **all** | {sum(r.records for r in ours.values())} | {u} | **{d / u:.1%}** | " \
          f"{sum(r.records_clean for r in ours.values())}/{sum(r.records for r in ours.values())} |"
    if presidio is not None:
        pd, pu = _total(presidio)
        row += f" **{pd / pu:.1%}** |"
    lines.append(row)
    lines += ["", f"Latency per conversation, p50 / p95: ptmo {_pct(ours_ms, 50):.2f} / {_pct(ours_ms, 95):.2f} ms"
              + (f"; Presidio {_pct(presidio_ms, 50):.2f} / {_pct(presidio_ms, 95):.2f} ms" if presidio else "")
              + ".", "",
              f"Reproduce: `{command}`  ", "Machine: 2-core x86_64 CPU, no GPU  ",
              f"Date: {datetime.datetime.now(datetime.timezone.utc).date().isoformat()}", ""]
    below = [c for c, r in ours.items() if r.rate < 0.95]
    if below:
        lines.append(f"Categories below 95 % for ptmo: {', '.join(below)} (see docs/limitations.md).")
    return "\n".join(lines) + "\n"


def _pct(values: list[float], q: int) -> float:
    if not values:
        return 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--no-presidio", action="store_true", help="skip the Presidio column")
    args = ap.parse_args(argv)
    records = load_corpus(args.corpus)
    router = PrivacyRouter()
    ours, ours_ms = measure(records, ours_sanitizer(router))
    presidio, presidio_ms = (None, [])
    if not args.no_presidio:
        presidio, presidio_ms = measure(records, presidio_sanitizer())
    command = "python benchmarks/adversarial.py" + (" --no-presidio" if args.no_presidio else "")
    text = render(ours, ours_ms, router.classifier_names, presidio, presidio_ms, command)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
