"""Phone numbers in international and national formats, read by the ``phonenumbers``
library (the number plans of every country).

Only candidate windows are parsed: runs of digits and phone punctuation holding enough
digits (a text without digits costs a substring test per digit). A window written
internationally (``+CC`` or ``00CC``) counts when it is a valid number of its country; a national one
only when a phone word comes shortly before it (or it follows another number in a list,
or is called a number just after: "512 302 156 as her number")
and it is valid in one of :data:`NATIONAL_REGIONS` (most national digit strings are valid
somewhere); after a phone word a merely possible number counts too, as does a ``+CC``
number of 10 to 15 digits anywhere.
"""
from __future__ import annotations

import re
from typing import Iterator

import phonenumbers

from .hits import Hit
from .normalize import Normalized

#: Regions whose national formats are tried (the longest valid reading wins).
NATIONAL_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "IN", "BR", "MX", "AU", "PL", "SE", "CH", "AT",
                    "BE", "PT", "JP", "KR", "CN", "TR", "ZA", "NG", "RU")
#: A region whose international call prefix is 00, to read ``00CC`` numbers.
_IDD_00_REGION = "DE"

#: Digits and phone punctuation, with an optional extension; starts on a concrete class.
_WINDOW = re.compile(r"[+(0-9][0-9 \-.()/\u00a0]{5,26}[0-9](?:[ ,]{0,2}(?:ext\.?|x|#)[ .]?[0-9]{1,6})?(?!\w)")
_MIN_DIGITS, _MAX_DIGITS = 7, 23
#: Phone words (stems) that let a national format count; a verb only with its object.
_CUE = re.compile(
    r"(?<!\w)(?:(?:call|text|ring|reach|contact|dial)(?:\s+(?:me|us|him|her|them)\b|\s*:)|"
    r"(?:calls?|called|calling|texts?|texted|messages?)\s+(?:from|to|by)\b|"
    r"contact(?:ed)?\s+(?=[+(0-9])|"
    r"(?:my|his|her|their|our|your|mein[e]?|ma|mon|mi|su)\s+(?:\w+\s+)?(?:number|nummer|numéro|número|numero)|"
    r"phone|tel\b|tel\.|telephone|mobile?|cell|sms|whats\s?app|signal\b|fax|hotline|helpline|"
    r"t[ée]l[ée]phone|portable|appel|joindre|joignable|telefon|handy|ruf|anruf|erreichbar|"
    r"tel[ée]fono|m[óo]vil|ll[áa]m|celular|cellulare|chiama|bel\b|bellen|mobiel|telefoon|"
    r"zadzwo[ńn]|kom[óo]rk|номер|телефон)|电话|手机|電話|携帯|전화",
    re.IGNORECASE)
#: How far before a national number its phone word may be (with no digit between).
_CUE_REACH = 30
_DIGIT = re.compile(r"[0-9]")
#: What may stand between two numbers of a list ("+48 512 316 526, 612 39 91 73 or ...").
_LIST_GAP = re.compile(r"[ \t]*(?:[,;/|][ \t]*)?(?:(?:or|and|oder|und|ou|et|o|y|e)[ \t]+)?", re.IGNORECASE)
_POSSIBLE = phonenumbers.Leniency.POSSIBLE
_GROUP = re.compile(r"[0-9]+")
_DATE = re.compile(r"(?<![0-9])(?:(?:19|20)[0-9]{2}[-./][01]?[0-9][-./][0-3]?[0-9]|[0-3]?[0-9][-./][01]?[0-9][-./](?:19|20)[0-9]{2})")
_EXTENSION = re.compile(r"[ ,]{0,2}(?:ext\.?|x|#)[ .]?[0-9]{1,6}$")
#: A number named as one just after it ("gave me 512 302 156 as her number").
_NUMBER_AFTER = re.compile(r"[\s,)]{0,3}(?:(?:as|is|was|ist|war|est|était|es|era)\s+(?:\w+\s+){0,2}?"
                           r"(?:number|nummer|numéro|numero|número|no\.|nr\.)|an?\s+(?:landline|mobile|cell))(?!\w)",
                           re.IGNORECASE)


def phone_numbers(work: Normalized) -> Iterator[Hit]:
    """PHONE_NUMBER hits: valid international numbers, and valid national ones after a
    phone word or in a list after another number; after a phone word, a number that is
    only possible (an area code not assigned, a local number without one) counts too."""
    text = work.text
    if not any(d in text for d in "0123456789"):     # the working string's digits are ASCII
        return
    last_end = -1
    for m in _WINDOW.finditer(text):
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "_+"):
            continue
        window = m.group()
        digits = sum(ch.isdigit() for ch in window)
        if not _MIN_DIGITS <= digits <= _MAX_DIGITS:
            continue
        lead = window.lstrip("(")
        international = lead.startswith(("+", "00"))
        found = _match(window, _IDD_00_REGION) if international else None
        if found:                           # a valid international number needs no cue
            cued = True
        else:
            cued = (_cued(text, start) or _NUMBER_AFTER.match(text, m.end()) is not None
                    or last_end >= 0 and _LIST_GAP.fullmatch(text, last_end, start) is not None)
        if international:
            found = found or (cued and _grouped(window) or _long_international(window)) \
                and _match(window, _IDD_00_REGION, _POSSIBLE)
            score = 0.85
        elif cued:
            found = _national(window) or _grouped(window) and (_match(window, "US", _POSSIBLE)
                                                               or _match(window, "DE", _POSSIBLE))
            score = 0.8
        else:
            continue
        if found:
            last_end = start + found[1]
            yield Hit(start + found[0], last_end, "PHONE_NUMBER", score)


def _long_international(window: str) -> bool:
    """A ``+CC`` number of 10 to 15 digits: a phone number whether its plan knows it or not."""
    return window.startswith("+") and 10 <= sum(ch.isdigit() for ch in window) <= 15 and not _DATE.search(window)


def _grouped(window: str) -> bool:
    """Whether ``window`` is written the way a phone number is: two to six groups of two to five
    digits ("8126 3352", "(784)261-0621x392"), not a date, a version or an invoice number."""
    if _DATE.search(window):
        return False
    groups = _GROUP.findall(_EXTENSION.sub("", window))
    first = 1 if window.startswith("+") else 2     # a country code may have one digit
    return 2 <= len(groups) <= 6 and all(2 <= len(g) <= 5 for g in groups[1:]) and first <= len(groups[0]) <= 5


def _cued(text: str, start: int) -> bool:
    """Whether a phone word ends shortly before ``start``, with no digit after it."""
    cue = None
    for cue in _CUE.finditer(text, max(0, start - _CUE_REACH), start):
        pass
    return cue is not None and _DIGIT.search(text, cue.end(), start) is None


def _national(window: str) -> tuple[int, int] | None:
    """The longest valid national reading of ``window`` over :data:`NATIONAL_REGIONS`."""
    best: tuple[int, int] | None = None
    for region in NATIONAL_REGIONS:
        found = _match(window, region, phonenumbers.Leniency.STRICT_GROUPING)
        if found and (best is None or found[1] - found[0] > best[1] - best[0]):
            best = found
            if found[1] - found[0] >= len(window.strip("()")):
                break
    return best


def _match(window: str, region: str, leniency: int = phonenumbers.Leniency.VALID) -> tuple[int, int] | None:
    """Offsets of the first valid number in ``window`` read in ``region``."""
    for match in phonenumbers.PhoneNumberMatcher(window, region, leniency=leniency):
        return match.start, match.end
    return None
