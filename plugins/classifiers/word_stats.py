"""The ``ml`` artifact, read once per process, and the word statistics in it (Zipf
frequencies, person and place names, common words) that the tagger, the judge and
``ner`` share."""
from __future__ import annotations

import gzip
import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from .unit_tagger import Lexicon

ARTIFACT = Path(__file__).with_name("data") / "ml_model.json.gz"
_lock = threading.Lock()


def _loads(data: bytes) -> Any:
    """JSON ``data`` parsed by orjson where installed (a third of json's time on the
    artifact's 230,000 numbers, to the same values: both round every number correctly),
    else by json; json also reads what orjson refuses (NaN, huge integers)."""
    try:
        import orjson
    except ImportError:
        return json.loads(data)
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


@lru_cache(maxsize=4)
def _read(path: str) -> tuple[dict[str, Any], Lexicon]:
    with gzip.open(path, "rb") as fh:
        art = _loads(fh.read())
    lex = art["lexicon"]
    return art, Lexicon(lex["en"], lex["other"], frozenset(lex["names"]), frozenset(lex["places"]),
                        frozenset(lex["place_parts"]))


def read_artifact(path: str | Path = ARTIFACT) -> tuple[dict[str, Any], Lexicon]:
    """The artifact's JSON and its lexicon."""
    with _lock:
        return _read(str(path))


def lexicon(path: str | Path = ARTIFACT) -> Lexicon:
    """The shipped word statistics."""
    return read_artifact(path)[1]


@lru_cache(maxsize=8)
def common_words(min_zipf: int = 5) -> frozenset[str]:
    """Frequent English words (Zipf >= ``min_zipf``) that are not first names or surnames
    (empty when the artifact is absent); built once per process."""
    if not ARTIFACT.exists():
        return frozenset()
    lex = lexicon()
    return frozenset(w for w, z in lex.en.items() if z >= min_zipf and w not in lex.names)


def person_names() -> frozenset[str]:
    """First names and surnames (empty when the artifact is absent)."""
    return lexicon().names if ARTIFACT.exists() else frozenset()
