"""Values in the columns of a table whose header names what they are.

``| name | ssn | card | password |`` over ``|---|---|---|---|`` (Markdown), or a
``name,ssn,password`` line over rows as wide (CSV, also ``;`` and tab): every cell under
"password" is a password, whatever it looks like ("violet-maple-77"), every cell under
"email" an e-mail address, and so on. A header is matched in the keyword skeleton, so
"p@ssw0rd" or "Пароль" name their column too.
"""
from __future__ import annotations

import re
from typing import Iterator

from .hits import Hit
from .normalize import Normalized, keyword_key, keyword_variants

#: Header cell -> entity type of the values below it. Words that also head ordinary
#: columns ("key" of key/value, "token" in NLP, "pass" of pass/fail, "sin") are left out.
_COLUMNS = {
    **dict.fromkeys(("password", "passwd", "pwd", "pw", "passphrase", "passcode", "pin", "pin code",
                     "passwort", "mot de passe", "contraseña", "senha", "пароль", "密码"), "PASSWORD"),
    **dict.fromkeys(("api key", "apikey", "secret", "secret key", "access token", "access key",
                     "client secret", "auth token", "api token"), "SECRET_TOKEN"),
    **dict.fromkeys(("ssn", "social security number", "social security"), "US_SSN"),
    **dict.fromkeys(("card", "card number", "credit card", "cc number"), "CREDIT_CARD"),
    "iban": "IBAN_CODE",
    **dict.fromkeys(("bank account", "account number"), "US_BANK_NUMBER"),
    **dict.fromkeys(("email", "e-mail", "mail", "email address"), "EMAIL_ADDRESS"),
    **dict.fromkeys(("phone", "phone number", "telephone", "tel", "mobile", "cell"), "PHONE_NUMBER"),
    **dict.fromkeys(("dob", "date of birth", "birthday", "birth date", "birthdate"), "DATE_OF_BIRTH"),
    **dict.fromkeys(("username", "user name", "login", "user id", "userid"), "USERNAME"),
    **dict.fromkeys(("address", "home address", "street address"), "ADDRESS"),
    **dict.fromkeys(("ip", "ip address"), "IP_ADDRESS"),
}
_TYPES = {keyword_key(v): etype for w, etype in _COLUMNS.items() for v in keyword_variants(w)}
_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$", re.MULTILINE)
_DELIMITERS = (",", ";", "\t")
_HEADER_CELL = re.compile(r"[\w\"' #/()\-]+")     # words, not a sentence ("Fields: name")
_HEADER_ANCHORS = ("pass", "pw", "pin", "secret", "key", "token", "ssn", "social", "card", "cc", "iban", "account",
                   "mail", "phone", "tel", "mobile", "cell", "dob", "birth", "user", "login", "address", "ip")
#: What a cell must look like in a column of a kind with a shape (others take any value).
_SHAPES = {
    "EMAIL_ADDRESS": re.compile(r".*@"), "PHONE_NUMBER": re.compile(r"(?:\D*\d){7}"),
    "CREDIT_CARD": re.compile(r"(?:\D*\d){12}"), "US_SSN": re.compile(r"(?:\D*\d){9}"),
    "US_BANK_NUMBER": re.compile(r"(?:\D*\d){6}"), "IBAN_CODE": re.compile(r"[A-Za-z]{2}\s?\d{2}"),
    "IP_ADDRESS": re.compile(r"[0-9a-fA-F]{1,4}[.:]"), "DATE_OF_BIRTH": re.compile(r".*\d"),
}
_EMPTY = frozenset({"", "-", "--", "n/a", "na", "none", "null", "...", "?", "*"})


def _cells(text: str, start: int, end: int, delimiter: str) -> list[tuple[int, int]]:
    """Stripped ``(start, end)`` of each cell of the row ``text[start:end]``."""
    line = text[start:end]
    body_start = start + (len(line) - len(line.lstrip()))
    body_end = start + len(line.rstrip())
    if delimiter == "|":                                  # one outer pipe on each side
        body_start += text.startswith("|", body_start)
        body_end -= body_end > body_start and text[body_end - 1] == "|"
    out = []
    pos = body_start
    while pos <= body_end:
        stop = text.find(delimiter, pos, body_end)
        stop = body_end if stop < 0 else stop
        cell = text[pos:stop]
        a = pos + (len(cell) - len(cell.lstrip()))
        out.append((a, a + len(cell.strip())))
        pos = stop + 1
    return out


def _column_types(skel: str, cells: list[tuple[int, int]]) -> dict[int, str]:
    """Column index -> entity type, for the header cells that name one."""
    types = {i: _TYPES.get(keyword_key(skel[a:b].strip(" .:*_`\"'"))) for i, (a, b) in enumerate(cells)}
    return {i: t for i, t in types.items() if t}


def _lines(text: str, pos: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each line from ``pos`` on."""
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        yield pos, end
        pos = end + 1


def _body(text: str, pos: int, delimiter: str, width: int, columns: dict[int, str]) -> Iterator[Hit]:
    """The typed cells of the rows from ``pos`` on, while rows keep the header's width."""
    for start, end in _lines(text, pos):
        cells = _cells(text, start, end, delimiter)
        if len(cells) != width:
            return
        for i, etype in columns.items():
            a, b = cells[i]
            shape = _SHAPES.get(etype)
            if text[a:b].lower() not in _EMPTY and (shape is None or shape.match(text, a, b)):
                yield Hit(a, b, etype, 0.9)


def _markdown(text: str, skel: str) -> Iterator[Hit]:
    for rule in _RULE.finditer(text):
        header_end = rule.start() - 1
        if header_end <= 0:
            continue
        cells = _cells(text, text.rfind("\n", 0, header_end) + 1, header_end, "|")
        columns = _column_types(skel, cells)
        if columns:
            yield from _body(text, rule.end() + 1, "|", len(cells), columns)


def _delimited(text: str, skel: str) -> Iterator[Hit]:
    """CSV / TSV: a header line of short cells, one naming a kind, then rows as wide."""
    for start, end in _lines(text, 0):
        for delimiter in _DELIMITERS:
            if delimiter not in text[start:end]:
                continue
            cells = _cells(text, start, end, delimiter)
            if all(0 < b - a <= 40 and text.count(" ", a, b) < 3 and _HEADER_CELL.fullmatch(text, a, b)
                   for a, b in cells):
                columns = _column_types(skel, cells)
                if columns:
                    yield from _body(text, end + 1, delimiter, len(cells), columns)


def table_values(work: Normalized) -> Iterator[Hit]:
    text, skel = work.text, work.skeleton
    if "|" in text and "---" in text:
        yield from _markdown(text, skel)
    if "\n" in text and any(a in skel for a in _HEADER_ANCHORS):
        yield from _delimited(text, skel)
