"""Readers for the public data sets the calibrations and benchmarks use.

The files are not shipped: ``$PTMO_DATA_DIR``, else ``../shared/data`` next to the
repository. PUPA_New.csv: github.com/Columbia-NLP-Lab/PAPILLON (pupa/PUPA_New.csv, MIT);
M4A1.json: github.com/liangqiyuan/TMO (data/M4A1.json, MIT).
Splits are fixed: PUPA rows whose index is divisible by 5 and M4A1 dialogues whose id
is divisible by 5 are held out for testing; the rest is for training and calibration.
"""
from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Split = Literal["train", "test", "all"]


def default_data_dir() -> Path:
    """Where the data files should be (``$PTMO_DATA_DIR`` or ``<repo>/../shared/data``),
    whether or not they are there."""
    env = os.environ.get("PTMO_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"


def data_dir() -> Path:
    """Where the data files are; a clear error when the folder is missing."""
    path = default_data_dir()
    if not path.is_dir():
        raise FileNotFoundError(f"data directory {path} not found; set PTMO_DATA_DIR")
    return path


def _in_split(index: int, split: Split) -> bool:
    return split == "all" or (index % 5 == 0) == (split == "test")


@dataclass(frozen=True)
class PupaRow:
    """One PUPA prompt and the private units a person would not send."""

    index: int
    category: str
    query: str
    units: tuple[str, ...]


def load_pupa(split: Split = "train", path: Path | None = None) -> list[PupaRow]:
    """PUPA rows of a split; placeholder units left by the source's anonymiser are dropped."""
    path = path or data_dir() / "PUPA_New.csv"
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for i, r in enumerate(rows):
        if not _in_split(i, split):
            continue
        units = tuple(u.strip() for u in (r.get("pii_units") or "").split("||")
                      if u.strip() and not u.strip().startswith("<"))
        out.append(PupaRow(i, r["predicted_category"], r["user_query"], units))
    return out


@dataclass(frozen=True)
class M4A1Turn:
    """One logged turn of M4A1: the question and the outcome of the action taken."""

    dialogue: int
    question: str
    task_cat: str
    action: int
    with_image: bool
    score: float
    interaction_time: float
    usage_cost: float


def load_m4a1(split: Split = "train", path: Path | None = None) -> list[M4A1Turn]:
    """The turns of the M4A1 dialogues of a split."""
    path = path or data_dir() / "M4A1.json"
    dialogues = json.loads(Path(path).read_text(encoding="utf-8"))
    return [M4A1Turn(d["id"], t["question"], t["task_cat"], int(t["action"]), t["image_index"] is not None,
                     float(t["score"]), float(t["interaction_time"]), float(t["usage_cost"]))
            for d in dialogues if _in_split(int(d["id"]), split) for t in d["interactions"]]


def unit_present(unit: str, text: str) -> bool:
    """Whether a (lower-cased) private unit appears in ``text`` as whole words."""
    return re.search(r"(?<!\w)" + re.escape(unit) + r"(?!\w)", text, re.IGNORECASE) is not None
