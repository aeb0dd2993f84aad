"""Identifiers disclosed in pieces: "my social starts 08144 ... last four 7390", "the
first half of my password is hunter and the second half is 2secret", "my IBAN starts
DE89 3704 ... ends 3000".

Near an identifier word (ssn, social, iban, card, account, password, pin, ...), each piece
announced by a piece word ("starts", "begins with", "first five", "last four digits",
"ends in", "second half", "part two", "the rest") is masked, typed by the identifier.
A piece of an identifier is a digit group (or an IBAN's country and check digits and
the groups after it; not a year after "in" or "on"); a piece of a password is the word
after "is", ":" or "=", and the pieces are masked when one of them holds more than
letters. The last digits of a card alone ("card ending in 4242") are printed on every
receipt and left as they are; they are masked when another piece of the same card is
given too.
"""
from __future__ import annotations

import re
from typing import Iterator

from .hits import Hit
from .normalize import Normalized

_PASSWORD, _SSN, _CARD, _BANK, _IBAN = "PASSWORD", "US_SSN", "CREDIT_CARD", "US_BANK_NUMBER", "IBAN_CODE"
_KEYWORDS: dict[str, str] = {
    **dict.fromkeys(("ssn", "social", "social security", "social security number"), _SSN),
    **dict.fromkeys(("card", "credit card", "debit card", "card number", "visa", "mastercard", "amex"), _CARD),
    **dict.fromkeys(("account", "acct", "account number"), _BANK),
    "iban": _IBAN,
    **dict.fromkeys(("password", "passwort", "passcode", "passphrase", "pin", "pwd"), _PASSWORD),
}
_KEYWORD = re.compile(r"(?<!\w)(?:" + "|".join(sorted(map(re.escape, _KEYWORDS), key=len, reverse=True))
                      + r")(?!\w)")
_COUNT = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|few|couple of)"
_UNIT = r"(?:digits?|numbers?|characters?|chars?|letters?)"
_PIECE = (r"(?:start(?:s|ing|ed)?|begin(?:s|ning)?|began|end(?:s|ing|ed)?|finish(?:es|ing)?)"
          r"(?:\s+(?:with|in|on|by))?"
          rf"|(?:first|last|final|middle|next)\s+(?:{_COUNT}(?:\s+{_UNIT})?|half|part|bit|{_UNIT})"
          r"|(?:second|other|latter|former)\s+(?:half|part|bit)"
          r"|part\s+(?:one|two|three|1|2|3)|rest|followed\s+by")
#: A filler between the piece word and the value ("of my password", "digits"), then an
#: optional "is"/"are"/":"/"=".
_FILLER = r"(?:\s+(?:of|in|for)(?:\s+[^\s:=]+){1,3}?)?"
_STATED = r"(?:\s*(?:[:=]|[-–—])\s*|\s+(?:is|are|was|were|reads?)\s+)"
_DIGITS = r"(?P<v>[A-Za-z]{2}\d{2}(?:[ \-.]?(?=[A-Za-z0-9]{0,3}\d)[A-Za-z0-9]{4})*|\d{2,}(?:[ \-.]\d{2,})*)(?![\w])"
_WORD = r"(?P<v>[^\s\"'`]{2,64})"
_ID_PIECE = re.compile(rf"(?<!\w)(?P<p>{_PIECE}){_FILLER}(?:{_STATED}|\s+|\s*)(?:{_UNIT}\s+)?{_DIGITS}",
                       re.IGNORECASE)
_PASSWORD_PIECE = re.compile(rf"(?<!\w)(?P<p>{_PIECE}){_FILLER}{_STATED}{_WORD}", re.IGNORECASE)
_BEFORE, _AFTER = 80, 220
_CARD_TAIL = re.compile(r"(?:end|last|final|finish)", re.IGNORECASE)
_TRAILING = ".,;:!?)"
_YEAR = re.compile(r"(?:19|20)\d\d")
_IN = re.compile(r"\b(?:in|on|since|from|until)\b", re.IGNORECASE)


def _occurrences(low: str, words: tuple[str, ...], start: int, end: int) -> list[int]:
    """The offsets in ``low[start:end]`` where a word begins with one of ``words`` (sorted)."""
    out = []
    for w in words:
        i = low.find(w, start, end)
        while i >= 0:
            if i == 0 or not low[i - 1].isalnum():
                out.append(i)
            i = low.find(w, i + 1, end)
    return sorted(out)


def _pieces(text: str, low: str, kind: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The pieces announced in ``text[start:end]``: (start, end, piece word)."""
    pattern = _PASSWORD_PIECE if kind == _PASSWORD else _ID_PIECE
    out = []
    for i in _occurrences(low, _PIECE_ANCHORS, start, end):
        m = pattern.match(text, i, end)
        if m is None:
            continue
        a, b = m.span("v")
        if _YEAR.fullmatch(text, a, b) and _IN.search(text, m.start("p"), a):
            continue                                # "starts in 2019": a date, not a piece
        if kind == _PASSWORD:
            while b > a and text[b - 1] in _TRAILING and (b == len(text) or text[b].isspace()):
                b -= 1
            if b - a < 2:
                continue
        out.append((a, b, m.group("p")))
    return out


#: Where identifier words and piece words begin (sought with ``str.find``).
_ANCHORS = ("ssn", "social", "card", "visa", "master", "amex", "acc", "iban", "pass", "pin", "pwd")
_PIECE_ANCHORS = ("start", "beg", "end", "fin", "first", "last", "middle", "next", "second", "other", "latter",
                  "former", "part", "rest", "followed")


def partial_values(work: Normalized) -> Iterator[Hit]:
    text, low = work.text, work.lower
    for i in _occurrences(low, _ANCHORS, 0, len(low)):
        k = _KEYWORD.match(low, i)
        if k is None:
            continue
        kind = _KEYWORDS[k.group()]
        pieces = _pieces(text, low, kind, max(0, k.start() - _BEFORE), min(len(text), k.end() + _AFTER))
        if kind == _CARD and (len(pieces) < 2 or all(_CARD_TAIL.match(p) for _, _, p in pieces)):
            continue
        if kind == _PASSWORD and all(text[a:b].isalpha() for a, b, _ in pieces):
            continue                                # "the second half is paid": prose
        for a, b, _ in pieces:
            yield Hit(a, b, kind, 0.8)
