"""The benchmark suite's full run: cloud-only, local-only, threshold and rl at
each privacy budget, on the RL environment's held-out sessions and on the PUPA dev split,
with the canary results of benchmarks/attacks.py when present. Writes
benchmarks/results/suite.md and its plots under benchmarks/results/suite/.

    .venv/bin/python benchmarks/suite.py [--episodes 100] [--budgets 0.3,0.5,0.7,1.0]
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
from pathlib import Path

from machine import describe  # noqa: E402  (benchmarks/machine.py)

os.environ.setdefault("HF_HUB_OFFLINE", "1")

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--episodes", type=int, default=100)
    ap.add_argument("--budgets", default="0.3,0.5,0.7,1.0")
    ap.add_argument("--limit", type=int, default=None, help="first rows of the PUPA dev split (default: all)")
    args = ap.parse_args()

    from tqdm import tqdm

    from ptmo_lab.evaluation.benchmark import BenchmarkConfig, BenchmarkSuite

    cfg = BenchmarkConfig(num_episodes=args.episodes, privacy_budgets=[float(b) for b in args.budgets.split(",")],
                          pupa_limit=args.limit, canary_results=str(RESULTS / "attacks.json"))
    suite = BenchmarkSuite(cfg)
    bar = tqdm(desc="benchmark", unit="step")

    def step(done: int, total: int, what: str) -> None:
        bar.total = total
        bar.update(done - bar.n)
        bar.set_postfix_str(what)
    suite.run_benchmark(progress=step)
    bar.close()
    report = suite.generate_report(RESULTS / "suite")
    body = report.split("\n", 1)[1]  # the report's own title gives way to the fragment's heading
    body = re.sub(r"\]\((\w+\.png)\)", r"](suite/\1)", body).replace("## ", "### ")
    body = body.replace(str(RESULTS.parent.parent) + "/", "")  # repository-relative paths
    date = subprocess.run(["date", "-u", "+%F"], capture_output=True, text=True).stdout.strip()
    cmd = f".venv/bin/python benchmarks/suite.py --episodes {args.episodes} --budgets {args.budgets}"
    cmd += f" --limit {args.limit}" if args.limit else ""
    fragment = (f"## Benchmark suite: routing policies at each privacy budget\n{body}\n"
                f"Command: `{cmd}`. Machine: {describe()}. Date: {date}.\n")
    (RESULTS / "suite.md").write_text(fragment, encoding="utf-8")
    print(fragment)


if __name__ == "__main__":
    main()
