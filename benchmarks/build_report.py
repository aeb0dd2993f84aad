"""Assemble BENCHMARKS.md from the fragments the benchmark scripts write.

Each script in benchmarks/ writes benchmarks/results/<name>.md with its table, the
command that reproduces it, the machine and the date. This file only concatenates
them in a fixed order, so every figure in BENCHMARKS.md comes from a script run.

    python benchmarks/build_report.py
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
ORDER = ["leakage", "pii_detection", "rules_latency", "tagger_threshold_cv", "embedded", "embedded_speed",
         "rl_router", "rl_router_constraint_only", "rl_router_constraint_only_a2c_dqn", "lora_cpu", "qlora_gpu", "attacks", "attacks_dp",
         "suite", "profile", "adversarial", "secrets_identifiers", "public_prompts", "execution", "agent_overhead", "load",
         "gateway_load", "cold_start"]

#: What a missing fragment means, where it is expected to be missing.
ABSENT = {
    "qlora_gpu": "QLoRA on a GPU: not measured in this checkout (it needs a CUDA GPU); "
                 "`benchmarks/qlora_gpu.py` is the prepared script for one (see docs/personalization.md).",
}

HEADER = """# Benchmarks

Every figure we claim, each with the command that reproduces it, the machine and the
date of the run. Anchors (Presidio, baselines) are measured in the same run as ours.
Regenerate everything with `make bench` (this file is assembled by
`benchmarks/build_report.py` from `benchmarks/results/*.md`).
"""


def main() -> None:
    fragments = {p.stem: p for p in RESULTS.glob("*.md")}
    names = [n for n in ORDER if n in fragments] + sorted(set(fragments) - set(ORDER))
    body = [HEADER]
    for name in names:
        body.append(fragments[name].read_text(encoding="utf-8").strip())
    missing = [n for n in ORDER if n not in fragments]
    if missing:
        body.append("## Not measured yet\n\n" + "\n".join(f"- {ABSENT.get(n, n)}" for n in missing))
    (ROOT / "BENCHMARKS.md").write_text("\n\n".join(body) + "\n", encoding="utf-8")
    print(f"BENCHMARKS.md: {len(names)} sections")


if __name__ == "__main__":
    main()
