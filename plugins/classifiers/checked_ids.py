"""National, tax and health identifiers validated by ``python-stdnum``: Indian Aadhaar and
PAN, Chinese resident ID, Japanese My Number, Korean RRN, Mexican CURP, Turkish TC
Kimlik, Polish PESEL, German Steuer-ID, UK NINO, NHS number and UTR, Canadian SIN,
Australian TFN and Medicare number, US Medicare MBI, and bare SSN / ITIN / CPF / dashed
NIE next to their names (the formatted ones are in :mod:`.national_ids` and
:mod:`.pii_patterns`).

A digit run (one kind of separator between its groups) is a candidate for every kind of
its length. It is taken when its kind's check passes and either its grouping alone is
distinctive (``12 345 678 901`` for a Steuer-ID, ``YYMMDD-NNNNNNN`` for an RRN, 4-4-4 for
Aadhaar) or the kind's name is written shortly before or after it: a bare 9 to 12 digit
number passes most of these checks by chance too often to be taken on its own. A number
of the kind's length right after its name is taken even when the check fails (US SSN and
ITIN aside). Letter
and digit formats (CURP, NINO, MBI, PAN) have their own patterns. Text without a digit
costs one scan.
"""
from __future__ import annotations

import datetime
import re
from typing import Callable, Iterator, NamedTuple

from stdnum.au import tfn as au_tfn
from stdnum.ca import sin as ca_sin
from stdnum.cn import ric as cn_ric
from stdnum.de import idnr as de_idnr
from stdnum.gb import nhs as gb_nhs
from stdnum.gb import utr as gb_utr
from stdnum.in_ import aadhaar as in_aadhaar
from stdnum.in_ import pan as in_pan
from stdnum.jp import in_ as jp_in
from stdnum.kr import rrn as kr_rrn
from stdnum.mx import curp as mx_curp
from stdnum.pl import pesel as pl_pesel
from stdnum.tr import tckimlik as tr_tckimlik

from .hits import Hit
from .national_ids import cpf_ok, dni_ok
from .normalize import Normalized
from .validators import itin_ok, ssn_ok

#: How far (characters) a kind's name may stand before / after the number.
_CUE_BEFORE, _CUE_AFTER = 80, 50
#: A number this close after its kind's name is taken even when its check fails (a
#: mistyped or made-up ID is still the user's answer to "what is your ID").
_CUE_JUST_BEFORE = 25


class Cue(NamedTuple):
    """A kind's names: substrings that must occur (a cheap test), then the pattern."""

    anchors: tuple[str, ...]
    pattern: re.Pattern[str]

    def named_in(self, window: str) -> bool:
        """Whether a name stands in ``window`` (lower case)."""
        return any(a in window for a in self.anchors) and self.pattern.search(window) is not None

    def near(self, lower: str, start: int, end: int) -> bool:
        """Whether a name stands within the window around ``lower[start:end]``."""
        return self.named_in(lower[max(0, start - _CUE_BEFORE):end + _CUE_AFTER])

    def just_before(self, lower: str, start: int) -> bool:
        """Whether a name stands just before ``start`` ("Steuer-ID ist 12 345 ...")."""
        return self.named_in(lower[max(0, start - _CUE_JUST_BEFORE):start])


def _cue(*words: str) -> Cue:
    """The names ``words`` (lower case; a space also matches a dash, dot, underscore or
    nothing), each taken as a whole word."""
    body = "|".join(re.escape(w).replace(r"\ ", r"[\s_.-]{0,2}") for w in words)
    return Cue(tuple({w.split(" ")[0][:4] for w in words}),
               re.compile(rf"(?<![a-z])(?:{body})(?![a-z])"))


def cn_ric_ok(value: str) -> bool:
    """Chinese resident ID: ISO 7064 check character and a real birth date (the region
    is not looked up: codes change)."""
    v = value.upper()
    if len(v) != 18 or not v[:17].isdigit() or cn_ric.calc_check_digit(v) != v[17]:
        return False
    try:
        born = datetime.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year <= datetime.date.today().year


def au_medicare_ok(value: str) -> bool:
    """Australian Medicare card number (10 digits, or 11 with the person's number): the
    ninth digit checks the first eight, the first is 2-6."""
    d = [int(c) for c in value]
    return (len(d) in (10, 11) and 2 <= d[0] <= 6
            and sum(x * w for x, w in zip(d[:8], (1, 3, 7, 9, 1, 3, 7, 9))) % 10 == d[8])


class Kind(NamedTuple):
    """A numeric identifier: digit counts, check, the groupings distinctive enough to be
    taken without a name, the separators those allow, its name pattern, entity type."""

    lengths: tuple[int, ...]
    check: Callable[[str], bool]
    groupings: tuple[tuple[int, ...], ...]
    separators: str
    cue: Cue
    entity_type: str = "GOV_ID"
    named_is_enough: bool = True
    """Whether a number right after the kind's name is taken when its check fails (not for
    the US numbers, whose invalid ranges are used as examples)."""


_KINDS: tuple[Kind, ...] = (
    Kind((12,), in_aadhaar.is_valid, ((4, 4, 4),), " -",
         _cue("aadhaar", "aadhar", "adhaar", "uidai", "uid", "आधार")),
    Kind((12,), jp_in.is_valid, (), "",
         _cue("my number", "mynumber", "individual number", "マイナンバー", "個人番号")),
    Kind((18,), cn_ric_ok, ((18,), (6, 8, 4)), " ",
         _cue("身份证", "resident id", "identity card", "ric")),
    Kind((13,), kr_rrn.is_valid, ((6, 7),), "-",
         _cue("주민등록번호", "주민번호", "resident registration", "rrn")),
    Kind((11,), tr_tckimlik.is_valid, (), "",
         _cue("kimlik", "tckn", "tc no", "t.c. no", "turkish id", "nüfus")),
    Kind((11,), pl_pesel.is_valid, (), "", _cue("pesel")),
    Kind((11,), de_idnr.is_valid, ((2, 3, 3, 3),), " ",
         _cue("steuer-id", "steuerid", "steuer id", "steuer-identifikationsnummer", "identifikationsnummer",
              "steueridentifikationsnummer", "idnr", "tax id", "tin")),
    Kind((11,), cpf_ok, (), "", _cue("cpf")),
    Kind((10,), gb_nhs.is_valid, (), "", _cue("nhs", "chi number", "health service number"), "UK_NHS"),
    Kind((10,), gb_utr.is_valid, (), "", _cue("utr", "unique taxpayer reference", "self assessment")),
    Kind((10, 11), au_medicare_ok, (), "", _cue("medicare")),
    Kind((9,), ca_sin.is_valid, (), "", _cue("social insurance", "assurance sociale", "nas")),
    Kind((8, 9), au_tfn.is_valid, (), "", _cue("tfn", "tax file number")),
    Kind((9,), ssn_ok, (), "", _cue("ssn", "social security"), "US_SSN", False),
    Kind((9,), itin_ok, (), "", _cue("itin", "taxpayer identification"), "US_ITIN", False),
)
#: The Canadian SIN is also named in capitals only ("sin" is also the sine).
_SIN = next(i for i, k in enumerate(_KINDS) if k.check is ca_sin.is_valid)
_SIN_CUE = Cue(("SIN",), re.compile(r"(?<![A-Za-z])SIN(?![A-Za-z])"))
_LENGTHS = frozenset(n for k in _KINDS for n in k.lengths)

_DIGIT = re.compile(r"[0-9]")
#: Digit groups joined by single separators, not glued to letters or other numbers.
_NUMBER = re.compile(r"[0-9](?<![0-9A-Za-z][0-9])(?<![0-9A-Za-z][.\-/][0-9])"
                     r"(?:[0-9]|[ \-./](?=[0-9])){5,26}[Xx]?(?![0-9A-Za-z])(?![.\-/][0-9A-Za-z])")

_CURP = re.compile(r"[A-Z](?<![0-9A-Za-z][A-Z])[AEIOUX][A-Z]{2}[0-9]{6}[HMX][A-Z]{5}[0-9A-Z][0-9](?![0-9A-Za-z])")
_NINO = re.compile(r"[A-CEGHJ-PR-TW-Z](?<![0-9A-Za-z][A-Z])[A-CEGHJ-NPR-TW-Z](?P<s> ?)[0-9]{2}(?P=s)[0-9]{2}"
                   r"(?P=s)[0-9]{2}(?P=s)[A-D](?![0-9A-Za-z])")
_NINO_BAD_PREFIXES = frozenset(("BG", "GB", "NK", "KN", "TN", "NT", "ZZ"))
_MBI_L = "AC-HJKMNP-RT-Y"
_MBI = re.compile(rf"[1-9](?<![0-9A-Za-z\-][1-9])[{_MBI_L}][{_MBI_L}0-9][0-9](?P<s>-?)[{_MBI_L}][{_MBI_L}0-9][0-9]"
                  rf"(?P=s)[{_MBI_L}]{{2}}[0-9]{{2}}(?![0-9A-Za-z]|-[0-9A-Za-z])")
_MBI_CUE = _cue("medicare", "mbi", "beneficiary")
_PAN = re.compile(r"[A-Z](?<![0-9A-Za-z][A-Z])[A-Z]{2}(?P<t>[PCHFATBLJG])[A-Z][0-9]{4}[A-Z](?![0-9A-Za-z])")
_PAN_CUE = _cue("pan", "permanent account number", "पैन")
_NIE = re.compile(r"[XYZ](?<![0-9A-Za-z][XYZ])-[0-9]{7}-[A-Z](?![0-9A-Za-z])")


def _runs(m: re.Match[str]) -> Iterator[tuple[int, int, str, tuple[int, ...], str]]:
    """Sub-runs of whole groups of a digit run with one kind of separator: start, end,
    digits, group sizes, separator."""
    base, value = m.start(), m.group()
    if value.isdigit() or value[:-1].isdigit():
        if len(value) in _LENGTHS:
            yield base, m.end(), value, (len(value),), ""
        return
    groups = [(g.start(), g.end()) for g in re.finditer(r"[0-9Xx]+", value)]
    seps = [value[a[1]:b[0]] for a, b in zip(groups, groups[1:])]
    for i in range(len(groups)):
        for j in range(i, len(groups)):
            if j > i and len(set(seps[i:j])) > 1:
                break
            digits = "".join(value[a:b] for a, b in groups[i:j + 1])
            if len(digits) > 18:
                break
            if len(digits) in _LENGTHS:
                yield (base + groups[i][0], base + groups[j][1], digits,
                       tuple(b - a for a, b in groups[i:j + 1]), seps[i] if j > i else "")


def _numeric(work: Normalized) -> Iterator[Hit]:
    text, lower = work.text, work.lower
    for m in _NUMBER.finditer(text):
        for start, end, digits, sizes, sep in _runs(m):
            if ("X" in digits or "x" in digits) and (len(digits) != 18 or not digits[:17].isdigit()):
                continue
            for i, kind in enumerate(_KINDS):
                if len(digits) not in kind.lengths:
                    continue
                if sizes in kind.groupings and (sep in kind.separators or not sep):
                    ok = True
                else:
                    ok = kind.cue.near(lower, start, end) or (i == _SIN and _SIN_CUE.near(text, start, end))
                if ok and kind.check(digits):
                    yield Hit(start, end, kind.entity_type, 0.9)
                    break
                if kind.named_is_enough and kind.cue.just_before(lower, start):
                    yield Hit(start, end, kind.entity_type, 0.75)
                    break


def _formats(work: Normalized) -> Iterator[Hit]:
    text, lower = work.text, work.lower
    for m in _CURP.finditer(text):
        if mx_curp.is_valid(m.group()):
            yield Hit(m.start(), m.end(), "GOV_ID", 0.9)
    for m in _NINO.finditer(text):
        if m.group()[:2] not in _NINO_BAD_PREFIXES:
            yield Hit(m.start(), m.end(), "GOV_ID", 0.85)
    for m in _MBI.finditer(text):
        if m.group("s") or _MBI_CUE.near(lower, m.start(), m.end()):
            yield Hit(m.start(), m.end(), "GOV_ID", 0.85)
    for m in _PAN.finditer(text):
        if in_pan.is_valid(m.group()) and (m.group("t") == "P" or _PAN_CUE.near(lower, m.start(), m.end())):
            yield Hit(m.start(), m.end(), "GOV_ID", 0.85)
    for m in _NIE.finditer(text):
        if dni_ok(m.group().replace("-", "")):
            yield Hit(m.start(), m.end(), "GOV_ID", 0.9)


def checked_ids(work: Normalized) -> Iterator[Hit]:
    """Identifiers validated by their check digits or formats (see the module docstring)."""
    if _DIGIT.search(work.text) is None:
        return
    yield from _numeric(work)
    yield from _formats(work)
