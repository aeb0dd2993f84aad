"""National identity numbers with a check digit: Spanish DNI/NIE, French NIR (sécurité
sociale), Italian codice fiscale, Brazilian CPF, and Dutch BSN (after its keyword: a
9-digit number passes its 11-test by chance one time in eleven; so does a bare CPF). All
are GOV_ID. Passport numbers have no check digit: they are taken after the word
"passport" (in several languages), US_PASSPORT when shaped like a US one.
"""
from __future__ import annotations

import re
from typing import Iterator

from .hits import Hit
from .normalize import Normalized, keyword_pattern, whole_word
from .validators import digits_of

# Each pattern starts with a concrete class and checks what precedes it right after
# (fast scans; see pii_patterns). DNI/NIE, NIR and CPF share one scan.
_NUMERIC = re.compile(
    r"[0-9XYZ](?<![\w.][0-9XYZ])(?:"
    r"(?P<nir>(?<=[12]) ?[0-9]{2} ?(?:0[1-9]|1[0-2]|[2-9][0-9]) ?(?:[0-9]{2}|2[AB]) ?[0-9]{3} ?[0-9]{3} ?[0-9]{2})"
    # (CPF written 000.000.000-00; bare 11-digit numbers are too common to take without "CPF")
    r"|(?P<cpf>(?<=[0-9])[0-9]{2}\.[0-9]{3}\.[0-9]{3}-[0-9]{2})"
    r"|(?P<dni>[0-9]{7}[ \-]?[A-Z])"
    r")(?![\w]|[.\-][0-9])")
_CF = re.compile(r"[A-Z](?<![\w][A-Z])[A-Z]{5}[0-9LMNPQRSTUV]{2}[A-EHLMPR-T][0-9LMNPQRSTUV]{2}[A-Z]"
                 r"[0-9LMNPQRSTUV]{3}[A-Z](?![\w])")
_CPF_BARE = re.compile(r"\W{0,8}([0-9]{11})(?![0-9])")
_BSN_CONTEXT = re.compile(keyword_pattern(("bsn", "burgerservicenummer", "sofinummer", "sofi-nummer")))
_BSN = re.compile(r"[0-9]{9}(?![0-9])|[0-9]{4}\.[0-9]{2}\.[0-9]{3}(?![0-9])")

_PASSPORT_CONTEXT = re.compile(keyword_pattern(("passport", "passeport", "reisepass", "pasaporte", "passaporto",
                                                "passaporte", "paspoort", "паспорт", "护照", "여권", "パスポート")))
_PASSPORT_ANCHORS = ("pass", "pasa", "pasp", "reisepass", "паспорт", "护照", "여권", "パスポート")
#: After the keyword: "number is", "no.", "#", ":" and the like, then the document number.
_PASSPORT_NUMBER = re.compile(r"(?:\W{0,3}(?:number|numero|número|nummer|no|nr|n°|#|is|est|ist|es|é)\.?){0,3}\W{0,4}"
                              r"(?P<v>[A-Z0-9]{6,10})(?![\w])", re.IGNORECASE)
_US_PASSPORT = re.compile(r"[0-9]{9}|[A-Z][0-9]{8}")
_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_CF_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3,
                    6, 8, 12, 14, 16, 10, 22, 25, 24, 23]))
_CF_EVEN = {**{str(d): d for d in range(10)}, **{chr(65 + i): i for i in range(26)}}


def dni_ok(value: str) -> bool:
    """Spanish DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter): mod-23 letter."""
    v = value.replace(" ", "").replace("-", "")
    number = str("XYZ".index(v[0])) + v[1:8] if v[0] in "XYZ" else v[:8]
    return _DNI_LETTERS[int(number) % 23] == v[8]


def nir_ok(value: str) -> bool:
    """French NIR: the 2-digit key is 97 - (first 13 characters mod 97), Corsica 2A/2B."""
    v = value.replace(" ", "")
    body = v[:13].replace("2A", "19", 1).replace("2B", "18", 1) if v[5:7] in ("2A", "2B") else v[:13]
    return body.isdigit() and 97 - int(body) % 97 == int(v[13:15])


def codice_fiscale_ok(value: str) -> bool:
    """Italian codice fiscale: the last letter checks the first fifteen characters."""
    total = sum((_CF_ODD if i % 2 == 0 else _CF_EVEN)[ch] for i, ch in enumerate(value[:15]))
    return chr(65 + total % 26) == value[15]


def cpf_ok(value: str) -> bool:
    """Brazilian CPF: two mod-11 check digits; not one repeated digit."""
    d = [int(c) for c in digits_of(value)]
    if len(d) != 11 or len(set(d)) == 1:
        return False
    for n in (9, 10):
        check = sum(x * w for x, w in zip(d[:n], range(n + 1, 1, -1))) * 10 % 11 % 10
        if check != d[n]:
            return False
    return True


def bsn_ok(value: str) -> bool:
    """Dutch BSN: the 11-test (weights 9..2, and -1 for the last digit)."""
    d = [int(c) for c in digits_of(value)]
    return len(d) == 9 and any(d) and (sum(x * w for x, w in zip(d, range(9, 1, -1))) - d[8]) % 11 == 0


_CHECKS = {"nir": nir_ok, "cpf": cpf_ok, "dni": dni_ok}


def national_ids(work: Normalized) -> Iterator[Hit]:
    text = work.text
    for m in _NUMERIC.finditer(text):
        if _CHECKS[m.lastgroup](m.group()):  # type: ignore[index]
            yield Hit(m.start(), m.end(), "GOV_ID", 0.9)
    for m in _CF.finditer(text):
        if codice_fiscale_ok(m.group()):
            yield Hit(m.start(), m.end(), "GOV_ID", 0.9)
    skel = work.skeleton
    if any(a in skel for a in _PASSPORT_ANCHORS):
        for k in _PASSPORT_CONTEXT.finditer(skel):
            m = _PASSPORT_NUMBER.match(text, k.end()) if whole_word(skel, k.start(), k.end()) else None
            if m and sum(c.isdigit() for c in m.group("v")) >= 2:
                etype = "US_PASSPORT" if _US_PASSPORT.fullmatch(m.group("v")) else "GOV_ID"
                yield Hit(m.start("v"), m.end("v"), etype, 0.85)
    for k in re.finditer("cpf", skel):
        m = _CPF_BARE.match(text, k.end())
        if m and cpf_ok(m.group(1)):
            yield Hit(m.start(1), m.end(1), "GOV_ID", 0.9)
    if "bsn" in skel or "sofi" in skel or "burgerservice" in skel:
        for k in _BSN_CONTEXT.finditer(skel):
            if whole_word(skel, k.start(), k.end()):
                m = _BSN.search(text, k.end(), k.end() + 20)
                if m and bsn_ok(m.group()):
                    yield Hit(m.start(), m.end(), "GOV_ID", 0.9)
