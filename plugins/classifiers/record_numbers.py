"""Medical record numbers (MEDICAL_RECORD_NUMBER), which have no check digit and are
found by structure: the patient identifiers of an HL7 v2 PID segment (fields 2 to 4,
every repetition), the ``value`` of a FHIR ``identifier`` whose type code is ``MR``, and
a value written after "MRN" / "medical record number".
"""
from __future__ import annotations

import re
from typing import Iterator

from .hits import Hit
from .normalize import Normalized

_ETYPE = "MEDICAL_RECORD_NUMBER"
#: A PID segment: at the start of a line (segments end with CR or LF).
_PID = re.compile(r"P(?<![^\r\n]P)ID\|[^\r\n]*")
_FHIR_MR = re.compile(r'"(?<=")code"\s*:\s*"MR"')
_FHIR_VALUE = re.compile(r'"value"\s*:\s*"(?P<v>[^"\\\r\n]{1,64})"')
_MRN = re.compile(r"(?<![A-Za-z])(?:mrn|medical record (?:number|no\.?|#)|patient id)(?![A-Za-z])"
                  r"[\s:#=.]{0,4}(?:is\s+)?(?P<v>[A-Za-z0-9][A-Za-z0-9\-]{3,19})(?![A-Za-z0-9])")


def _pid_ids(line: str, base: int) -> Iterator[Hit]:
    """The first component of every repetition of PID-2, PID-3 and PID-4."""
    start = 0
    for index, field in enumerate(line.split("|")[:5]):
        if 2 <= index <= 4 and field:
            offset = start
            for rep in field.split("~"):
                ident = rep.split("^", 1)[0]
                if any(c.isalnum() for c in ident):
                    yield Hit(base + offset, base + offset + len(ident), _ETYPE, 0.9)
                offset += len(rep) + 1
        start += len(field) + 1


def _fhir(text: str) -> Iterator[Hit]:
    """The ``value`` of the identifier holding each ``"code": "MR"``: the next value
    within the object, else the last one before it."""
    for m in _FHIR_MR.finditer(text):
        after = _FHIR_VALUE.search(text, m.end(), m.end() + 400)
        if after and "identifier" not in text[m.end():after.start()]:
            yield Hit(after.start("v"), after.end("v"), _ETYPE, 0.9)
            continue
        window_start = max(0, m.start() - 300)
        opening = text.rfind("{", window_start, m.start())
        before = list(_FHIR_VALUE.finditer(text, max(window_start, text.rfind('"identifier"', 0, m.start())),
                                           m.start()))
        if before and opening >= 0:
            v = before[-1]
            yield Hit(v.start("v"), v.end("v"), _ETYPE, 0.85)


def record_numbers(work: Normalized) -> Iterator[Hit]:
    """Medical record numbers in HL7 PID segments, FHIR identifiers and after "MRN"."""
    text = work.text
    if "PID|" in text:
        for m in _PID.finditer(text):
            yield from _pid_ids(m.group(), m.start())
    if '"MR"' in text:
        yield from _fhir(text)
    lower = work.lower
    if "mrn" in lower or "medical record" in lower or "patient id" in lower:
        for m in _MRN.finditer(lower):
            if sum(c.isdigit() for c in m.group("v")) >= 4:
                yield Hit(m.start("v"), m.end("v"), _ETYPE, 0.85)
