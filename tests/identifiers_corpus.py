"""A seeded corpus of national, tax and health identifiers in sentences, and of numbers
that are not identifiers.

Every identifier is generated with a correct check digit (where its kind has one) and
written in two template families that share no wording: ``tune`` (detectors may be
adjusted on its failures) and ``held`` (only ever measured). Each case records the
value as written, so a test can check that a span covers it.
"""
from __future__ import annotations

import datetime
import json
import random
import string
from dataclasses import dataclass
from typing import Callable

from stdnum import luhn, verhoeff
from stdnum.au import tfn as au_tfn
from stdnum.ca import sin as ca_sin
from stdnum.cn import ric as cn_ric
from stdnum.de import idnr as de_idnr
from stdnum.gb import nhs as gb_nhs
from stdnum.gb import utr as gb_utr
from stdnum.in_ import aadhaar as in_aadhaar
from stdnum.jp import in_ as jp_in
from stdnum.kr import rrn as kr_rrn
from stdnum.mx import curp as mx_curp
from stdnum.pl import pesel as pl_pesel
from stdnum.tr import tckimlik as tr_tckimlik

SEED = 20261203
PER_KIND = 8


@dataclass(frozen=True)
class Case:
    """One prompt holding ``value`` (as written in ``text``) of identifier ``kind``."""

    kind: str
    family: str
    text: str
    value: str


# -- value generators: each returns (compact value, written forms) ----------------------

def _digits(rng: random.Random, n: int, first: str = "123456789") -> str:
    return rng.choice(first) + "".join(rng.choice(string.digits) for _ in range(n - 1))


def _until(rng: random.Random, make: Callable[[], str], ok: Callable[[str], bool]) -> str:
    while True:
        v = make()
        if ok(v):
            return v


def _date(rng: random.Random, lo: int = 1940, hi: int = 2005) -> datetime.date:
    return datetime.date(rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, 28))


def _group(v: str, sizes: tuple[int, ...], sep: str) -> str:
    out, i = [], 0
    for n in sizes:
        out.append(v[i:i + n])
        i += n
    return sep.join(out)


def gen_aadhaar(rng):
    body = _digits(rng, 11, "23456789")
    v = body + verhoeff.calc_check_digit(body)
    assert in_aadhaar.is_valid(v)
    return [_group(v, (4, 4, 4), " "), v, _group(v, (4, 4, 4), "-")]


def gen_cn_ric(rng):
    region = rng.choice(["110101", "310104", "440106", "510104", "330106", "420102"])
    body = region + _date(rng).strftime("%Y%m%d") + _digits(rng, 3, string.digits)
    v = body + cn_ric.calc_check_digit(body + "0")
    assert cn_ric.calc_check_digit(v) == v[-1]  # (stdnum also wants a region it knows)
    return [v, _group(v, (6, 8, 4), " ")]


def gen_jp_mynumber(rng):
    body = _digits(rng, 11)
    v = body + jp_in.calc_check_digit(body)
    assert jp_in.is_valid(v)
    return [_group(v, (4, 4, 4), " "), v, _group(v, (4, 4, 4), "-")]


def gen_kr_rrn(rng):
    d = _date(rng, 1950, 1999)
    body = d.strftime("%y%m%d") + rng.choice("12") + _digits(rng, 4, "0123") + _digits(rng, 1, string.digits)
    v = body + kr_rrn.calc_check_digit(body)
    assert kr_rrn.is_valid(v), v
    return [v[:6] + "-" + v[6:], v]


def _cpf_check(d: list[int]) -> int:
    return sum(x * w for x, w in zip(d, range(len(d) + 1, 1, -1))) * 10 % 11 % 10


def gen_br_cpf(rng):
    d = [int(c) for c in _digits(rng, 9)]
    d.append(_cpf_check(d))
    d.append(_cpf_check(d))
    v = "".join(map(str, d))
    return [f"{v[:3]}.{v[3:6]}.{v[6:9]}-{v[9:]}", v]


def gen_mx_curp(rng):
    def make():
        d = _date(rng, 1950, 1999)
        head = (rng.choice("BCDFGHLMPRSTV") + rng.choice("AEIOU") + rng.choice("BCDFGLMNPRST")
                + rng.choice("AEIOU") + d.strftime("%y%m%d") + rng.choice("HM")
                + rng.choice(["DF", "JC", "NL", "PL", "VZ", "GT"])
                + "".join(rng.choice("BCDFGHJKLMNPRSTVXZ") for _ in range(3)) + "0")
        return head + mx_curp.calc_check_digit(head + "0")
    return [_until(rng, make, mx_curp.is_valid)]


def gen_tr_tckimlik(rng):
    body = _digits(rng, 9)
    v = body + tr_tckimlik.calc_check_digits(body)
    assert tr_tckimlik.is_valid(v)
    return [v]


def gen_pl_pesel(rng):
    d = _date(rng, 1940, 2010)
    month = d.month + (20 if d.year >= 2000 else 0)
    body = f"{d.year % 100:02d}{month:02d}{d.day:02d}" + _digits(rng, 4, string.digits)
    v = body + pl_pesel.calc_check_digit(body)
    assert pl_pesel.is_valid(v), v
    return [v]


def gen_de_idnr(rng):
    def make():
        body = _digits(rng, 10)
        return next((body + c for c in string.digits if de_idnr.is_valid(body + c)), "")
    v = _until(rng, make, bool)
    return [_group(v, (2, 3, 3, 3), " "), v]


def gen_fr_nir(rng):
    d = _date(rng)
    body = f"{rng.choice('12')}{d.year % 100:02d}{d.month:02d}{rng.randint(1, 95):02d}" + _digits(rng, 6, string.digits)
    key = 97 - int(body) % 97
    v = body + f"{key:02d}"
    return [f"{v[0]} {v[1:3]} {v[3:5]} {v[5:7]} {v[7:10]} {v[10:13]} {v[13:]}", v]


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def gen_es_dni(rng):
    n = _digits(rng, 8)
    return [n + _DNI_LETTERS[int(n) % 23], n + "-" + _DNI_LETTERS[int(n) % 23]]


def gen_es_nie(rng):
    p = rng.choice("XYZ")
    n = _digits(rng, 7, string.digits)
    letter = _DNI_LETTERS[int(str("XYZ".index(p)) + n) % 23]
    return [p + n + letter, f"{p}-{n}-{letter}"]


def gen_it_cf(rng):
    from stdnum.it import codicefiscale
    d = _date(rng)
    head = ("".join(rng.choice("BCDFGLMNPRST") for _ in range(6)) + f"{d.year % 100:02d}"
            + "ABCDEHLMPRST"[d.month - 1] + f"{d.day + rng.choice([0, 40]):02d}"
            + rng.choice("ABCDEFGHL") + f"{rng.randint(1, 999):03d}")
    return [head + codicefiscale.calc_check_digit(head)]


_NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ".replace("O", "")
_NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ".replace("O", "")


def gen_gb_nino(rng):
    def make():
        return rng.choice(_NINO_FIRST) + rng.choice(_NINO_SECOND)
    prefix = _until(rng, make, lambda p: p not in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ"))
    d = _digits(rng, 6, string.digits)
    s = rng.choice("ABCD")
    return [f"{prefix} {d[:2]} {d[2:4]} {d[4:]} {s}", prefix + d + s]


def gen_gb_nhs(rng):
    v = _until(rng, lambda: _digits(rng, 10, "4689"), gb_nhs.is_valid)
    return [_group(v, (3, 3, 4), " "), v, _group(v, (3, 3, 4), "-")]


def gen_gb_utr(rng):
    body = _digits(rng, 9)
    v = gb_utr.calc_check_digit(body) + body
    assert gb_utr.is_valid(v)
    return [v, _group(v, (5, 5), " ")]


def _ssn_body(rng, area_first: str) -> str:
    return _until(rng, lambda: _digits(rng, 9, area_first),
                  lambda s: s[:3] not in ("000", "666") and s[3:5] != "00" and s[5:] != "0000")


def gen_us_ssn(rng):
    v = _ssn_body(rng, "12345678")
    return [f"{v[:3]}-{v[3:5]}-{v[5:]}", v]


def gen_us_itin(rng):
    v = "9" + _digits(rng, 2, string.digits) + str(rng.choice([50, 65, 70, 78, 88, 90, 94, 99])) + _digits(rng, 4)
    return [f"{v[:3]}-{v[3:5]}-{v[5:]}", v]


def gen_ca_sin(rng):
    body = _digits(rng, 8, "1234567")
    v = body + luhn.calc_check_digit(body)
    assert ca_sin.is_valid(v)
    return [_group(v, (3, 3, 3), " "), _group(v, (3, 3, 3), "-"), v]


def gen_au_tfn(rng):
    v = _until(rng, lambda: _digits(rng, 9), au_tfn.is_valid)
    return [_group(v, (3, 3, 3), " "), v]


def medicare_au_ok(v: str) -> bool:
    """Australian Medicare card number: the ninth digit checks the first eight."""
    d = [int(c) for c in v]
    return d[0] in (2, 3, 4, 5, 6) and sum(x * w for x, w in zip(d[:8], (1, 3, 7, 9, 1, 3, 7, 9))) % 10 == d[8]


def gen_au_medicare(rng):
    body = _digits(rng, 8, "23456")
    d = [int(c) for c in body]
    check = sum(x * w for x, w in zip(d, (1, 3, 7, 9, 1, 3, 7, 9))) % 10
    v = body + str(check) + str(rng.randint(1, 9))
    assert medicare_au_ok(v)
    return [_group(v, (4, 5, 1), " "), v]


_MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"


def gen_us_mbi(rng):
    a, an, n = _MBI_LETTERS, _MBI_LETTERS + string.digits, string.digits
    v = (rng.choice("123456789") + rng.choice(a) + rng.choice(an) + rng.choice(n) + rng.choice(a)
         + rng.choice(an) + rng.choice(n) + rng.choice(a) + rng.choice(a) + rng.choice(n) + rng.choice(n))
    return [f"{v[:4]}-{v[4:7]}-{v[7:]}", v]


def gen_in_pan(rng):
    v = ("".join(rng.choice(string.ascii_uppercase) for _ in range(3)) + "P" + rng.choice(string.ascii_uppercase)
         + _digits(rng, 4) + rng.choice(string.ascii_uppercase))
    return [v]


GENERATORS: dict[str, Callable[[random.Random], list[str]]] = {
    "in_aadhaar": gen_aadhaar, "in_pan": gen_in_pan, "cn_ric": gen_cn_ric, "jp_mynumber": gen_jp_mynumber,
    "kr_rrn": gen_kr_rrn, "br_cpf": gen_br_cpf, "mx_curp": gen_mx_curp, "tr_tckimlik": gen_tr_tckimlik,
    "pl_pesel": gen_pl_pesel, "de_idnr": gen_de_idnr, "fr_nir": gen_fr_nir, "es_dni": gen_es_dni,
    "es_nie": gen_es_nie, "it_cf": gen_it_cf, "gb_nino": gen_gb_nino, "gb_nhs": gen_gb_nhs,
    "gb_utr": gen_gb_utr, "us_ssn": gen_us_ssn, "us_itin": gen_us_itin, "ca_sin": gen_ca_sin,
    "au_tfn": gen_au_tfn, "au_medicare": gen_au_medicare, "us_mbi": gen_us_mbi,
}

# -- names of each kind: English, then the country's language --------------------------

NAMES: dict[str, tuple[str, str | None, str | None]] = {
    # kind: (English name, native name, native language)
    "in_aadhaar": ("Aadhaar number", "आधार संख्या", "hi"),
    "in_pan": ("PAN", "पैन कार्ड नंबर", "hi"),
    "cn_ric": ("Chinese resident ID number", "身份证号码", "zh"),
    "jp_mynumber": ("My Number", "マイナンバー", "ja"),
    "kr_rrn": ("resident registration number", "주민등록번호", "ko"),
    "br_cpf": ("CPF", "CPF", "pt"),
    "mx_curp": ("CURP", "CURP", "es"),
    "tr_tckimlik": ("T.C. Kimlik No", "TC kimlik numarası", "tr"),
    "pl_pesel": ("PESEL", "numer PESEL", "pl"),
    "de_idnr": ("German tax ID", "Steuer-ID", "de"),
    "fr_nir": ("social security number", "numéro de sécurité sociale", "fr"),
    "es_dni": ("DNI", "DNI", "es"),
    "es_nie": ("NIE", "NIE", "es"),
    "it_cf": ("codice fiscale", "codice fiscale", "it"),
    "gb_nino": ("National Insurance number", None, None),
    "gb_nhs": ("NHS number", None, None),
    "gb_utr": ("UTR", None, None),
    "us_ssn": ("SSN", None, None),
    "us_itin": ("ITIN", None, None),
    "ca_sin": ("SIN", "numéro d'assurance sociale", "fr"),
    "au_tfn": ("tax file number", None, None),
    "au_medicare": ("Medicare card number", None, None),
    "us_mbi": ("Medicare Beneficiary Identifier", None, None),
}

TUNE_EN = (
    "My {name} is {value}.",
    "{name}: {value}",
    "Please update the file for client {value} ({name}) before Friday.",
    "Hi, I need help filling in a form. It asks for my {name}, which is {value}. What goes in box 4?",
)
HELD_EN = (
    "Can you check whether {value} looks like a real {name}? It's my mother's.",
    "For the application I typed {value} into the {name} field and it was rejected, why?",
    "Draft an email to HR saying my {name} changed to {value} after the move.",
    "name: Priya Shah\n{name}: {value}\nstatus: pending review",
)
TUNE_NATIVE = {
    "hi": "मेरा {name} {value} है।",
    "zh": "我的{name}是{value}。",
    "ja": "私の{name}は{value}です。",
    "ko": "제 {name}는 {value}입니다.",
    "pt": "Meu {name} é {value}.",
    "es": "Mi {name} es {value}.",
    "tr": "Benim {name} {value}.",
    "pl": "Mój {name} to {value}.",
    "de": "Meine {name} lautet {value}.",
    "fr": "Mon {name} est le {value}.",
    "it": "Il mio {name} è {value}.",
}
HELD_NATIVE = {
    "hi": "कृपया जाँच करें कि {value} सही {name} है या नहीं।",
    "zh": "请帮我核对一下这个{name}：{value}，谢谢。",
    "ja": "申請書に{name}「{value}」を記入しましたが、合っていますか。",
    "ko": "신청서에 {name} {value}을(를) 적었는데 맞나요?",
    "pt": "Preciso corrigir o cadastro: o {name} correto é {value}, obrigado.",
    "es": "¿Puedes revisar si {value} es un {name} válido? Es de mi padre.",
    "tr": "Formda {name} olarak {value} yazdım, doğru mu?",
    "pl": "Czy {value} to poprawny {name}? Chodzi o wniosek mojej matki.",
    "de": "Bitte prüfen Sie, ob {value} als {name} im Formular stimmt.",
    "fr": "Pouvez-vous vérifier si {value} est bien mon {name} ?",
    "it": "Puoi controllare se {value} è il {name} giusto per mia madre?",
}


def _mrn(rng: random.Random) -> str:
    return rng.choice(["", "", "MRN", "A"]) + _digits(rng, rng.randint(6, 9), string.digits)


def _hl7(rng: random.Random, family: str) -> tuple[str, str]:
    mrn = _mrn(rng)
    dob = _date(rng).strftime("%Y%m%d")
    if family == "tune":
        seg = f"PID|1||{mrn}^^^HOSP^MR||DOE^JOHN||{dob}|M"
        return f"Why does this HL7 segment fail validation?\n{seg}", mrn
    other = _digits(rng, 9)
    seg = (f"PID|1|{_digits(rng, 5)}|{mrn}^^^{rng.choice(['STMARY', 'GENHOSP', 'UCSF'])}^MR~{other}^^^SSA^SS||"
           f"SMITH^ANNA^M||{dob}|F|||12 MAIN ST^^BOSTON^MA^02115")
    msg = f"MSH|^~\\&|LAB|GH|EHR|GH|202401011200||ADT^A01|MSG0001|P|2.5\r{seg}\rPV1|1|I"
    return f"Summarise this admission message for the ward nurse:\n{msg}", mrn


def _fhir(rng: random.Random, family: str) -> tuple[str, str]:
    mrn = _mrn(rng)
    if family == "tune":
        body = {"resourceType": "Patient",
                "identifier": [{"type": {"coding": [{"code": "MR"}]}, "value": mrn}],
                "name": [{"family": "Doe", "given": ["John"]}]}
        return "Convert this FHIR resource to CSV:\n" + json.dumps(body), mrn
    body = {"resourceType": "Patient", "id": "example",
            "identifier": [{"use": "usual",
                            "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                                                 "code": "MR", "display": "Medical record number"}]},
                            "system": "urn:oid:1.2.36.146.595.217.0.1", "value": mrn}],
            "gender": "female", "birthDate": _date(rng).isoformat()}
    return "What is wrong with this Patient JSON?\n" + json.dumps(body, indent=2), mrn


def identifier_cases() -> list[Case]:
    """Every identifier case, both families (deterministic)."""
    rng = random.Random(SEED)
    cases: list[Case] = []
    for kind, gen in GENERATORS.items():
        name, native, lang = NAMES[kind]
        for i in range(PER_KIND):
            forms = gen(rng)
            for family, en, nat in (("tune", TUNE_EN, TUNE_NATIVE), ("held", HELD_EN, HELD_NATIVE)):
                form = forms[i % len(forms)]
                cases.append(Case(kind, family, en[i % len(en)].format(name=name, value=form), form))
                if native:
                    form = forms[(i + 1) % len(forms)]
                    cases.append(Case(kind, family, nat[lang].format(name=native, value=form), form))
    for kind, make in (("mrn_hl7", _hl7), ("mrn_fhir", _fhir)):
        for _ in range(PER_KIND):
            for family in ("tune", "held"):
                text, value = make(rng, family)
                cases.append(Case(kind, family, text, value))
    return cases


# -- negatives: numbers that are not identifiers ----------------------------------------

def _bad_check(rng: random.Random, n: int, valid: tuple[Callable[[str], bool], ...]) -> str:
    return _until(rng, lambda: _digits(rng, n), lambda s: not any(ok(s) for ok in valid))


def negative_prompts() -> list[str]:
    """Prompts with numbers that are no identifier (deterministic)."""
    rng = random.Random(SEED + 1)
    out: list[str] = []
    for _ in range(20):
        a, b = rng.randint(100, 99999), rng.randint(100, 99999)
        out.append(f"What is {a} * {b}? I got {a * b} but my teacher says otherwise.")
        out.append(f"Simplify {a}/{b} and compute {a}^2 + {b}^2 = {a * a + b * b}.")
    for _ in range(15):
        d = _date(rng, 1990, 2030)
        out.append(f"The meeting moved from {d.isoformat()} to {d.strftime('%d/%m/%Y')} at 14:30, can you update the invite?")
        out.append(f"Logs from {d.strftime('%Y%m%d')}T{rng.randint(100000, 235959)}Z show 3 retries.")
    for _ in range(15):
        v = f"{rng.randint(0, 30)}.{rng.randint(0, 99)}.{rng.randint(0, 999)}"
        out.append(f"After upgrading numpy to {v} and build {rng.randint(10000000, 99999999)}, tests fail.")
    for _ in range(15):
        total = f"{rng.randint(1000, 999999):,}.{rng.randint(0, 99):02d}"
        out.append(f"Invoice INV-{rng.randint(2020, 2026)}-{rng.randint(1000, 9999)}: total EUR {total}, "
                   f"VAT {rng.randint(5, 25)} %, due in {rng.randint(10, 60)} days.")
    for _ in range(10):
        body = "978" + _digits(rng, 9, string.digits)
        check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body)) % 10) % 10
        isbn = body + str(check)
        out.append(f"Cite the book with ISBN {isbn[:3]}-{isbn[3]}-{isbn[4:8]}-{isbn[8:12]}-{isbn[12]} in APA style.")
        out.append(f"ISBN {isbn}: is this the second edition?")
    checks = (in_aadhaar.is_valid, jp_in.is_valid, gb_nhs.is_valid, pl_pesel.is_valid, de_idnr.is_valid,
              tr_tckimlik.is_valid, ca_sin.is_valid, au_tfn.is_valid, gb_utr.is_valid, kr_rrn.is_valid,
              luhn.is_valid)
    for n in (9, 10, 11, 12, 13):
        for _ in range(5):
            v = _bad_check(rng, n, checks)
            out.append(f"Sort these: {v}, {_bad_check(rng, n, checks)}, {rng.randint(1, 999)}.")
            out.append(f"The sensor returned {v} after calibration; is that overflow?")
    for _ in range(10):
        k = rng.randint(10 ** 9, 10 ** 12)
        out.append(f"```python\nMAX_ITEMS = {k}\nTIMEOUT_MS = {rng.randint(100, 99999)}\n"
                   f"mask = 0x{rng.randint(0, 2 ** 32):08X}\nprint(MAX_ITEMS // {rng.randint(2, 97)})\n```\nWhy is this slow?")
        out.append(f"int main() {{ long seed = {k}L; return (int)(seed % {rng.randint(1000, 99999)}); }}")
    return out
