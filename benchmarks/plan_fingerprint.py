"""A fingerprint of what the router decides on every PUPA_New prompt: the SHA-256 of all
plans (text included, timings and generated conversation ids left out). Run it before
and after a refactor; equal fingerprints mean byte-identical plans.

    python benchmarks/plan_fingerprint.py [--data DIR]
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ptmo_lab.evaluation.leakage import data_dir  # noqa: E402
from ptmo_middleware import PrivacyRouter  # noqa: E402


def fingerprint(queries: list[str], router: PrivacyRouter) -> str:
    digest = hashlib.sha256()
    for query in queries:
        plan = router.plan(query).to_dict(include_text=True)
        plan.pop("timings_ms", None)
        plan.pop("conversation_id", None)
        digest.update(json.dumps(plan, sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="folder holding PUPA_New.csv (else $PTMO_DATA_DIR or ../shared/data)")
    args = ap.parse_args()
    csv.field_size_limit(10**9)
    with open(data_dir(args.data) / "PUPA_New.csv", encoding="utf-8") as fh:
        queries = [row["user_query"] for row in csv.DictReader(fh)]
    print(f"{len(queries)} plans: {fingerprint(queries, PrivacyRouter())}")


if __name__ == "__main__":
    main()
