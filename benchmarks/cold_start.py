"""Cold start: `ptmo plan` in a fresh process, beside Presidio's analyze+anonymize in one.

    python benchmarks/cold_start.py [--runs 5]

Each run is a new Python process (imports, model loads, one plan), timed from outside;
the figure is the median. Writes benchmarks/results/cold_start.md.
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "cold_start.md"
PROMPT = "My friend Alice Johnson lives in Paris. My password is secret123. What is Python?"
PTMO = str(Path(sys.executable).parent / "ptmo")
#: Presidio with its defaults on the installed spaCy small model (the other benchmarks' anchor).
PRESIDIO = ("from ptmo_lab.evaluation.presidio_anchor import sanitizer; "
            f"sanitizer()({PROMPT!r})")

CASES = [
    ("`ptmo plan` (default classifiers: rules, ner, ml)", [PTMO, "plan", PROMPT]),
    ("`ptmo plan -c rules`", [PTMO, "plan", "-c", "rules", PROMPT]),
    ("Presidio analyze + anonymize (anchor)", [sys.executable, "-c", PRESIDIO]),
]


def seconds(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    for _, cmd in CASES:  # warm the OS file cache: the figures are cold processes, not cold disks
        seconds(cmd)
    rows = []
    for label, cmd in CASES:
        times = [seconds(cmd) for _ in range(args.runs)]
        rows.append(f"| {label} | {statistics.median(times):.2f} | {min(times):.2f} | {max(times):.2f} |")
        print(rows[-1], flush=True)
    load = os.getloadavg()[0]
    OUT.write_text("\n".join([
        "## Cold start",
        "",
        f"`python benchmarks/cold_start.py --runs {args.runs}`; {datetime.date.today()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, 1-min load average {load:.1f} at the end. Seconds from starting a new process "
        f"to its exit, planning one prompt ({PROMPT!r}); the file cache warm. Target for `ptmo plan`: 2 s.",
        "",
        "| what | median s | min s | max s |",
        "|---|---:|---:|---:|",
        *rows,
    ]) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
