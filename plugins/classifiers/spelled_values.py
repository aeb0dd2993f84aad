"""Values spelled out as number words: "my pin is five five one nine", an SSN read as
"one two three, four five, six seven eight nine", "oh" for zero, "double five", and the
German, French and Spanish digit words (see :mod:`ptmo_middleware.number_words`).

A run of four or more spelled digits near a cue word (pin, code, password, ssn, social,
card, account, iban, phone, passport, and their German, French and Spanish forms) is
masked whole, typed by the cue; a run of nine or more anywhere is masked too, typed by
its length. A run that only counts up or down ("one two three four five six seven eight
nine ten") needs a cue.
"""
from __future__ import annotations

import re
from typing import Iterator

from ptmo_middleware.number_words import plain_words, spelled_runs

from .hits import Hit
from .normalize import Normalized
from .validators import luhn_ok, ssn_ok

_PASSWORD, _SSN, _CARD, _BANK, _IBAN, _PHONE, _GOV = (
    "PASSWORD", "US_SSN", "CREDIT_CARD", "US_BANK_NUMBER", "IBAN_CODE", "PHONE_NUMBER", "GOV_ID")
_CUES: dict[str, str] = {
    **dict.fromkeys(("pin", "pins", "passcode", "password", "passwort", "pass code", "code", "codes", "combination",
                     "combo", "cvv", "cvc", "geheimzahl", "kennwort", "mot de passe", "clave", "contraseña",
                     "contrasena", "código", "codigo", "passe", "geheimcode", "zugangscode"), _PASSWORD),
    **dict.fromkeys(("ssn", "social", "social security", "sozialversicherungsnummer", "sécurité sociale",
                     "securite sociale", "seguro social"), _SSN),
    **dict.fromkeys(("card", "credit card", "debit card", "visa", "mastercard", "amex", "karte", "kreditkarte",
                     "kartennummer", "carte", "tarjeta"), _CARD),
    **dict.fromkeys(("account", "acct", "routing", "konto", "kontonummer", "compte", "cuenta"), _BANK),
    "iban": _IBAN,
    **dict.fromkeys(("phone", "mobile", "cell", "telephone", "telefon", "handy", "téléphone", "portable",
                     "teléfono", "telefono", "móvil", "movil", "whatsapp"), _PHONE),
    **dict.fromkeys(("passport", "license", "licence", "tax id", "national id", "id number", "id", "ausweis",
                     "reisepass", "passeport", "pasaporte", "dni", "nie"), _GOV),
}
_CUE = re.compile(r"(?<!\w)(?:" + "|".join(sorted(map(re.escape, _CUES), key=len, reverse=True)) + r")(?!\w)")
#: The fewest digits a value of each kind is read from when only its cue types it
#: (four spelled digits after "account" are more often a count than an account number).
_LEAST = {_SSN: 4, _BANK: 6, _PHONE: 7, _GOV: 6, _CARD: 12}
_BEFORE, _AFTER = 60, 30
_MIN_CUED, _MIN_ALONE = 4, 9


def _cue_kinds(low: str, start: int, end: int) -> set[str]:
    """The kinds the cue words shortly before ``[start, end)`` (or just after it) announce."""
    kinds = {_CUES[m.group()] for m in _CUE.finditer(low, max(0, start - _BEFORE), start)}
    kinds |= {_CUES[m.group()] for m in _CUE.finditer(low, end, end + _AFTER)}
    return kinds


def _type(digits: str, kinds: set[str]) -> str | None:
    """The entity type of a spelled run of ``digits`` announced by ``kinds``."""
    n = len(digits)
    if _SSN in kinds and n == 9:
        return _SSN
    if _CARD in kinds and n >= 12:
        return _CARD
    if _IBAN in kinds and n >= 8:
        return _IBAN
    if _PASSWORD in kinds or (_CARD in kinds and n <= 8):
        return _PASSWORD
    for kind in (_SSN, _BANK, _PHONE, _GOV, _CARD):
        if kind in kinds and n >= _LEAST[kind]:
            return kind
    if n >= _MIN_ALONE:
        if n == 9 and ssn_ok(digits):
            return _SSN
        return _CARD if 13 <= n <= 19 and luhn_ok(digits) else _GOV
    return None


def spelled_values(work: Normalized) -> Iterator[Hit]:
    low = work.lower
    if len(low) < 12:
        return
    if "plain_words" not in work.shared:
        work.shared["plain_words"] = plain_words(low)
    for run in spelled_runs(low, work.shared["plain_words"]):
        n = len(run.digits)
        if n < _MIN_CUED:
            continue
        kinds = _cue_kinds(low, run.start, run.end)
        if not kinds and (n < _MIN_ALONE or run.counting):
            continue
        etype = _type(run.digits, kinds)
        if etype is not None:
            yield Hit(run.start, run.end, etype, 0.85)
