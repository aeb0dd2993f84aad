"""The leakage scorer: semantics, and identical figures to the reference scorer."""
from __future__ import annotations

import csv
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ptmo_middleware import PrivacyRouter
from ptmo_lab.evaluation import leakage
from ptmo_lab.evaluation.leakage import by_category, data_dir, dev_split, load_pupa, score, train_split

REFERENCE = data_dir().parent / "bench" / "pupa_leakage.py"
PUPA = data_dir() / "PUPA_New.csv"

ROWS = [
    {"query": "Dear Sharon, Boom General Contractors sent my resume.", "units": ["sharon", "boom general contractors"],
     "category": "a"},
    {"query": "kvalitet obrazovanja u Makau", "units": ["makau"], "category": "b"},
    {"query": "What is Python?", "units": [], "category": "b"},
]


def test_send_everything_leaks_all_and_keeps_all() -> None:
    s = score(ROWS, [r["query"] for r in ROWS])
    assert s["leak"] == 1.0 and s["retain"] == 1.0 and s["cloud"] == 1.0


def test_keep_local_leaks_nothing_and_keeps_nothing() -> None:
    s = score(ROWS, [None] * len(ROWS))
    assert s["leak"] == 0.0 and s["retain"] == 0.0 and s["cloud"] == 0.0


def test_half_of_a_units_tokens_is_a_leak() -> None:
    payload = "Dear [PERSON_1], Boom General [ORG_1] sent my resume."
    s = score(ROWS[:1], [payload])
    assert s["leak"] == 0.5  # "boom" and "general" survive: 2 of 3 tokens
    masked = "Dear [PERSON_1], [ORG_1] sent my resume."
    assert score(ROWS[:1], [masked])["leak"] == 0.0
    assert score(ROWS[:1], [masked])["retain"] == 1.0


def test_by_category_splits_rows() -> None:
    cats = by_category(ROWS, [r["query"] for r in ROWS])
    assert set(cats) == {"a", "b"} and cats["b"]["queries"] == 2


def test_splits_are_disjoint_and_cover() -> None:
    rows = [{"i": i} for i in range(23)]
    dev, train = dev_split(rows), train_split(rows)
    assert [r["i"] for r in dev] == [0, 5, 10, 15, 20]
    assert len(dev) + len(train) == 23 and not {r["i"] for r in dev} & {r["i"] for r in train}


def _reference():
    if not REFERENCE.exists():
        pytest.skip("reference scorer not found beside the data")
    spec = importlib.util.spec_from_file_location("pupa_leakage_reference", REFERENCE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_same_figures_as_reference_on_hand_made_payloads() -> None:
    ref = _reference()
    payloads = ["Dear [P], Boom sent my resume.", None, "What is Python?"]
    ours = score(ROWS, payloads)
    theirs = ref.score(ROWS, payloads)
    assert ours == theirs


@pytest.mark.skipif(not PUPA.exists(), reason="PUPA_New.csv not found (set PTMO_DATA_DIR)")
def test_same_figures_as_reference_script_on_our_plans(tmp_path: Path) -> None:
    """Our plans of the first 150 PUPA prompts (rules + ml: fast), scored by our scorer and
    by the reference script's --jsonl mode (on a temporary CSV of those rows), give
    identical figures."""
    ref = _reference()
    rows = load_pupa(PUPA)
    assert rows == ref.load(str(PUPA))
    rows = rows[:150]
    csv.field_size_limit(10**9)
    with open(PUPA, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        head = [next(reader) for _ in range(150)]
    part = tmp_path / "pupa_head.csv"
    with open(part, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=reader.fieldnames)
        writer.writeheader()
        writer.writerows(head)
    router = PrivacyRouter(classifiers=["rules", "ml"])
    plans = [router.plan(r["query"], conversation_id=f"xcheck-{i}").to_dict(include_text=False)
             for i, r in enumerate(rows)]
    path = tmp_path / "plans.jsonl"
    path.write_text("\n".join(json.dumps({"cloud_payloads": p["cloud_payloads"]}) for p in plans) + "\n")
    out = subprocess.run([sys.executable, str(REFERENCE), str(part), "--jsonl", str(path)],
                         capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    ours = score(rows, [leakage.payload_of(p) for p in plans])
    assert ours == theirs
    assert ours["leak"] < 0.5  # and the plans do protect something
