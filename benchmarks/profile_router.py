"""Profile of the router: per-stage latency of plan() on the PUPA dev split, and
of full invoke() with the embedded Gemma 3 270M answering locally for a few prompts;
peak RSS and the energy sources this machine exposes. Writes benchmarks/results/profile.md.

    .venv/bin/python benchmarks/profile_router.py [--plans 133] [--e2e 3] [--tokens 16]

(Not named profile.py: that would shadow the standard library's ``profile`` module, which
cProfile imports, for every script in this folder.)
"""
from __future__ import annotations

import argparse
import os
import subprocess
from itertools import count
from pathlib import Path

from machine import describe  # noqa: E402  (benchmarks/machine.py)

os.environ.setdefault("HF_HUB_OFFLINE", "1")

RESULTS = Path(__file__).resolve().parent / "results"


def _table(title: str, report) -> str:  # noqa: ANN001 - ProfileReport
    lines = [f"**{title}** ({report.runs} prompts)", "", "| stage | p50 ms | p95 ms | mean ms |", "|---|---|---|---|"]
    lines += [f"| {k} | {s['p50']:.2f} | {s['p95']:.2f} | {s['mean']:.2f} |" for k, s in report.stages.items()]
    present = ", ".join(f"{k} {'present' if v else 'absent'}" for k, v in report.sources.items())
    return "\n".join(lines + ["", f"Peak RSS {report.peak_rss_mib:.0f} MiB; energy sources: {present}."])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=133, help="PUPA dev prompts to plan (the split has 133)")
    ap.add_argument("--e2e", type=int, default=3, help="prompts answered end to end by the embedded model (0: skip)")
    ap.add_argument("--tokens", type=int, default=16, help="max new tokens per embedded answer")
    args = ap.parse_args()

    from ptmo_lab.evaluation.leakage import data_dir, dev_split, load_pupa
    from ptmo_lab.evaluation.profiler import profile
    from ptmo_middleware.router import PrivacyRouter

    prompts = [r["query"] for r in dev_split(load_pupa(data_dir() / "PUPA_New.csv"))][:args.plans]
    router = PrivacyRouter()
    ids = count()
    router.plan(prompts[0], conversation_id="warm-up")
    plans = profile(lambda q: router.plan(q, conversation_id=f"p-{next(ids)}").timings_ms, prompts)
    sections = [_table("plan() with the default classifiers (rules + ner + ml) on the PUPA dev split", plans)]
    if args.e2e:
        local = PrivacyRouter(policy="local-only")
        local.invoke(prompts[0], conversation_id="warm-up", max_tokens=2)
        e2e = profile(lambda q: local.invoke(q, conversation_id=f"e-{next(ids)}", max_tokens=args.tokens).timings_ms,
                      prompts[:args.e2e])
        sections.append(_table(f"invoke(), policy local-only, embedded Gemma 3 270M, up to {args.tokens} new tokens", e2e))
        total, model = e2e.stages["total"]["mean"], e2e.stages["local"]["mean"]
        sections.append(f"Middleware share of the end-to-end time (total minus the model's answer): "
                        f"{(total - model) / total:.2%}.")
    date = subprocess.run(["date", "-u", "+%F"], capture_output=True, text=True).stdout.strip()
    md = ("## Profile: per-stage latency, memory, energy\n\n" + "\n\n".join(sections) +
          "\n\nRAPL, NVML and tegrastats are used only where present; absent ones are not estimated.\n"
          f"Command: `.venv/bin/python benchmarks/profile_router.py --plans {args.plans} --e2e {args.e2e} --tokens {args.tokens}`. "
          f"Machine: {describe()} (shared). Date: {date}.\n")
    (RESULTS / "profile.md").write_text(md, encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
