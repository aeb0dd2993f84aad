"""Values in the columns of a Markdown table whose header names what they are.

``| name | ssn | card | password |`` over ``|---|---|---|---|``: every cell under
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
_CELL = re.compile(r"[^|\n]+")
_EMPTY = frozenset({"", "-", "--", "n/a", "na", "none", "null", "...", "?", "*"})


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stripped ``(start, end)`` of each cell of the table row ``text[start:end]``."""
    line = text[start:end]
    body_start = start + (len(line) - len(line.lstrip()))
    body_end = start + len(line.rstrip())
    body_start += text.startswith("|", body_start)        # one outer pipe on each side
    body_end -= body_end > body_start and text[body_end - 1] == "|"
    out = []
    for m in _CELL.finditer(text, body_start, body_end):
        a = m.start() + (len(m.group()) - len(m.group().lstrip()))
        out.append((a, a + len(m.group().strip())))
    return out


def table_values(work: Normalized) -> Iterator[Hit]:
    text = work.text
    if "|" not in text or "---" not in text:
        return
    skel = work.skeleton
    for rule in _RULE.finditer(text):
        header_end = rule.start() - 1
        if header_end <= 0:
            continue
        header_start = text.rfind("\n", 0, header_end) + 1
        columns = {i: _TYPES.get(keyword_key(skel[a:b].strip(" .:*_`"))) for i, (a, b)
                   in enumerate(_cells(text, header_start, header_end))}
        if not any(columns.values()):
            continue
        pos = rule.end() + 1
        while pos < len(text):
            line_end = text.find("\n", pos)
            line_end = len(text) if line_end < 0 else line_end
            if "|" not in text[pos:line_end]:
                break
            for i, (a, b) in enumerate(_cells(text, pos, line_end)):
                etype = columns.get(i)
                if etype and text[a:b].lower() not in _EMPTY:
                    yield Hit(a, b, etype, 0.9)
            pos = line_end + 1
