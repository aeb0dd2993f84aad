"""Privacy leakage vs utility of what leaves the device, on PUPA-style data.

Computes exactly what the reference scorer (``shared/bench/pupa_leakage.py``) does,
for the same cloud payloads (a test checks both give the same figures):

- leak: fraction of private units (those that occur in the query) that survive into
  the cloud-bound text: whole (case-folded, white space collapsed), or at least half
  of their tokens of 3+ characters;
- retain: mean over queries of the fraction of the query's other words that survive
  (0 for a query kept local);
- cloud: fraction of queries that reach the cloud at all; latency p50 / p95.

Data: PUPA_New.csv from github.com/Columbia-NLP-Lab/PAPILLON (pupa/PUPA_New.csv, MIT),
read from ``$PTMO_DATA_DIR`` or ``../shared/data`` next to the repository.
"""
from __future__ import annotations

import csv
import os
import re
import statistics
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from ptmo_lab.datasets import default_data_dir

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'@._-]*")

Row = dict[str, Any]


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Folder of the shared data sets: ``path``, else ``$PTMO_DATA_DIR``, else
    ``../shared/data`` beside the repository root."""
    return Path(path) if path else default_data_dir()


def norm(s: str) -> str:
    """Case-fold and collapse white space."""
    return re.sub(r"\s+", " ", s.casefold()).strip()


def load_pupa(path: str | os.PathLike[str], limit: int | None = None) -> list[Row]:
    """Rows ``{query, units, category}``; units that are placeholders of an earlier
    anonymisation, shorter than 2 characters or absent from the query are dropped."""
    csv.field_size_limit(10**9)
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows[:limit]:
        q = r["user_query"]
        nq = norm(q)
        units = {u for u in map(norm, r["pii_units"].split("||"))
                 if len(u) >= 2 and "presidio_anonymized" not in u and u in nq}
        out.append({"query": q, "units": sorted(units), "category": r["predicted_category"]})
    return out


def dev_split(rows: Sequence[Row]) -> list[Row]:
    """The rows we report on: 0-based index divisible by 5 (never trained on)."""
    return [r for i, r in enumerate(rows) if i % 5 == 0]


def train_split(rows: Sequence[Row]) -> list[Row]:
    """The rows a model may learn from: index not divisible by 5."""
    return [r for i, r in enumerate(rows) if i % 5 != 0]


def unit_leaks(unit: str, payload_norm: str, payload_tokens: set[str]) -> bool:
    """A unit leaks when it survives whole, or when at least half of its distinctive
    tokens (3+ characters) survive."""
    if unit in payload_norm:
        return True
    toks = [w.casefold() for w in WORD.findall(unit) if len(w) >= 3]
    return bool(toks) and sum(1 for w in toks if w in payload_tokens) * 2 >= len(toks)


def _percentile_ms(times: Sequence[float]) -> tuple[float, float]:
    ts = sorted(times)
    return 1000 * ts[len(ts) // 2], 1000 * ts[int(len(ts) * 0.95) - 1]


def score(rows: Sequence[Row], payloads: Sequence[str | None],
          times: Sequence[float] | None = None) -> dict[str, float]:
    """leak, retain, cloud (and ms_p50 / ms_p95 when ``times`` are given)."""
    leaked = total = cloud = 0
    retains: list[float] = []
    for row, payload in zip(rows, payloads):
        units = row["units"]
        total += len(units)
        if payload is None:
            retains.append(0.0)
            continue
        cloud += 1
        out_words = {w.casefold() for w in WORD.findall(payload)}
        pn = norm(payload)
        leaked += sum(1 for u in units if unit_leaks(u, pn, out_words))
        pii_words = {w.casefold() for u in units for w in WORD.findall(u)}
        words = [w.casefold() for w in WORD.findall(row["query"]) if w.casefold() not in pii_words]
        retains.append(sum(1 for w in words if w in out_words) / len(words) if words else 1.0)
    res: dict[str, float] = {
        "queries": len(rows), "units": total, "leak": leaked / max(total, 1),
        "cloud": cloud / max(len(rows), 1), "retain": statistics.mean(retains) if retains else 0.0,
    }
    if times:
        res["ms_p50"], res["ms_p95"] = _percentile_ms(times)
    return res


def payload_of(plan: dict[str, Any]) -> str | None:
    """All text a plan sends to the cloud, joined; ``None`` when nothing leaves."""
    if plan.get("cloud_payloads"):
        return "\n".join(plan["cloud_payloads"])
    return plan.get("cloud_payload") or None


def run(rows: Sequence[Row], fn: Callable[[str], str | None]) -> tuple[list[str | None], list[float]]:
    """Call ``fn`` on every query, timing each call."""
    payloads, times = [], []
    for row in rows:
        t = time.perf_counter()
        payloads.append(fn(row["query"]))
        times.append(time.perf_counter() - t)
    return payloads, times


def evaluate(rows: Sequence[Row], fn: Callable[[str], str | None]) -> dict[str, float]:
    """Score a sanitiser ``fn(query) -> cloud text or None`` on ``rows``."""
    payloads, times = run(rows, fn)
    return score(rows, payloads, times)


def by_category(rows: Sequence[Row], payloads: Sequence[str | None]) -> dict[str, dict[str, float]]:
    """The scores per ``category`` (PUPA's predicted_category)."""
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault(r["category"], []).append(i)
    return {c: score([rows[i] for i in idx], [payloads[i] for i in idx]) for c, idx in sorted(groups.items())}
