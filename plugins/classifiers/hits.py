"""The unit the rules detectors emit, before levels and offsets are settled."""
from __future__ import annotations

from typing import Callable, Iterator, NamedTuple

from .normalize import Normalized


class Hit(NamedTuple):
    """A detection in the working string: ``[start, end)``, entity type, confidence."""

    start: int
    end: int
    entity_type: str
    score: float


#: A detector reads the working string (``work.text``, ``work.lower``) and yields its hits.
Detector = Callable[[Normalized], Iterator[Hit]]
