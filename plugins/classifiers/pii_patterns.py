"""Personal-data detectors: e-mail, phone, card, IBAN, SSN/ITIN, Bitcoin wallet, IP, URL,
date of birth, paths in a user's home folder and social handles.

Each detector scans the working string (see :mod:`.normalize`) with precompiled,
backtracking-safe patterns, often only after a cheap substring test, and validates what
it finds (checksums, ranges, formats), so that years, prices, version numbers and ISO
dates are not reported.
"""
from __future__ import annotations

import re
from typing import Iterator

from .hits import Hit
from .normalize import Normalized, keyword_pattern, keyword_variants, whole_word
from .validators import (IBAN_LENGTHS, base58check_ok, bech32_ok, card_issuer_ok, digits_of, iban_ok,
                         ipv4_identifying, ipv6_identifying, itin_ok, luhn_ok, ssn_ok, url_identifying)


def _anchors(words: tuple[str, ...]) -> tuple[str, ...]:
    """Substrings whose presence in the skeleton allows a context keyword."""
    return tuple(sorted({v for w in words for v in keyword_variants(w)}))


# -- e-mail -----------------------------------------------------------------------------
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])")


_AT = r"(?:\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+)"
_DOT = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+)"
#: "jane (at) example (dot) com", "jane at example dot com" (ending in a common
#: top-level domain, so that "looked at the dot product" is not an address)
_SPELLED_EMAIL = re.compile(r"[a-z0-9](?<![\w.%+\-][a-z0-9])[a-z0-9._%+\-]{0,63}" + _AT
                            + r"[a-z0-9\-]{1,63}(?:(?:" + _DOT + r"|\.)[a-z0-9\-]{1,63}){0,4}" + _DOT
                            + r"(?:com|org|net|edu|gov|mil|int|info|biz|io|co|me|app|dev|ai|us|uk|ca|au|de|fr|es|it|nl|"
                            r"be|ch|at|se|no|dk|fi|pl|pt|ru|ua|cn|jp|kr|in|br|mx|ar|za|nz|ie|tr|il)(?![\w])")


#: After ``user@host``: a colon and a path, which make it an scp-style remote
#: (``git@github.com:org/repo.git``, ``deploy@web01.example.com:/var/www``), not an address.
_REMOTE_PATH = re.compile(r":[\w~/.$-]")


def emails(work: Normalized) -> Iterator[Hit]:
    if "@" in work.text:
        for m in _EMAIL.finditer(work.text):
            if not _REMOTE_PATH.match(work.text, m.end()):
                yield Hit(m.start(), m.end(), "EMAIL_ADDRESS", 0.95)
    low = work.lower
    if "dot" in low and ("at)" in low or "at]" in low or " at " in low):
        for m in _SPELLED_EMAIL.finditer(low):
            yield Hit(m.start(), m.end(), "EMAIL_ADDRESS", 0.85)


# -- URL ----------------------------------------------------------------------------------
# A scheme (https, ftp, socks5, ... from _SCHEMES) or "www."; no re.IGNORECASE, under
# which "s" would match the long s U+017F and so fall inside the non-ASCII exclusion.
_URL = re.compile(r"[A-Za-z](?<![\w@/.+\-][A-Za-z])(?:[A-Za-z0-9+.\-]{1,15}://|(?<=[wW])[wW]{2}\.)"
                  r"[^\s<>\"'`\[\]{}|\\^\x80-\U0010ffff]{2,2048}")
_SCHEMES = frozenset("""
www http https ftp ftps sftp ws wss ssh git git+ssh git+https svn svn+ssh socks4 socks5 socks5h smb rtsp rtmp
mysql postgres postgresql mongodb mongodb+srv redis rediss amqp amqps mqtt s3 gs ldap ldaps telnet irc imap
smtp pop3 jdbc
""".split())
_TRAILING = ".,;:!?'\""


def trim_url(text: str, start: int, end: int) -> int:
    """End of a URL match without trailing sentence punctuation or an unbalanced ``)``."""
    while end > start:
        ch = text[end - 1]
        if ch in _TRAILING or (ch == ")" and text.count("(", start, end) < text.count(")", start, end)):
            end -= 1
        else:
            break
    return end


def urls(work: Normalized) -> Iterator[Hit]:
    text = work.text
    if "://" not in text and "www." not in work.lower:
        return
    for m in _URL.finditer(text):
        scheme = m.group().split("://", 1)[0].lower() if "://" in m.group()[:20] else "www"
        if scheme not in _SCHEMES:
            continue
        end = trim_url(text, m.start(), m.end())
        if end - m.start() > len("www.") + 3 and url_identifying(text[m.start():end]):
            yield Hit(m.start(), end, "URL", 0.85)


# -- phone numbers -----------------------------------------------------------------------
_GROUP = r"(?:[ .\-]{1,2}|(?<=\))|(?=\())\(?\d{1,8}\)?"
# Patterns here start with a concrete character class and test what precedes it only
# after it (a look-behind placed first would stop the engine from skipping ahead), or in
# Python (_free_before).
# +CC and groups (E.164 with separators, or contiguous)
_INTL = re.compile(r"\+ ?[1-9]\d{0,14}(?:" + _GROUP + r"){0,6}(?![\w+]|[.\-/]\d)")
# North American: (415) 555-2671, 415-555-2671, 415.555.2671, 1-415-555-2671
_NANP = re.compile(
    r"[1-9(](?:(?<=1)[ .\-]?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .\-])"   # 1-415-, 1 (415)
    r"|(?<=\()[2-9]\d{2}\) ?"                                        # (415)
    r"|(?<=[2-9])\d{2}[ .\-])"                                       # 415-
    r"[2-9]\d{2}[ .\-]\d{4}(?![\w]|[.\-/]\d)")
# national with trunk prefix 0, uniform separators: 06 12 34 56 78, 030/1234567, 020 7946 0958
_TRUNK = re.compile(r"0\d{1,4}(?:[ .\-/]\d{2,8}){1,4}(?![\w]|[.\-/:]\d)")
# (0123) 456789 and 00 + country code written without "+": 0033612345678
_TRUNK_MORE = re.compile(r"\(0\d{2,5}\) ?\d{3,8}(?:[ \-]\d{2,6})?(?![\w]|[.\-/:]\d)|00[1-9]\d{7,12}(?![\w]|[.\-/:]\d)")
_PHONE_WORDS = ("phone", "phone number", "tel", "telephone", "mobile", "cell", "call me", "text me", "fax",
                "whatsapp", "sms", "téléphone", "portable", "telefon", "telefonnummer", "handynummer",
                "rufnummer", "teléfono", "telefono", "telefone", "celular", "handy", "número", "numero",
                "номер", "телефон", "电话", "手机", "電話", "携帯")
_PHONE_CONTEXT = re.compile(keyword_pattern(_PHONE_WORDS))
_PHONE_ANCHORS = _anchors(("phone", "tel", "mobil", "cell", "call me", "text me", "fax", "whatsapp", "sms",
                           "portable", "celular", "handy", "mero", "номер", "телефон", "电话", "手机", "電話", "携帯"))
_CONTEXT_NUMBER = re.compile(r"[0-9+(](?<![\w+(:.,][0-9+(])[\d ().\-]{5,20}\d(?!\d)")
_YEARS = re.compile(r"(?:(?:19|20)\d\d\W*)+")
#: A date ("1997-09-28", "01.02.2023") or a price ("13.42") inside a number candidate;
#: not the 3-2-2 grouping of a Russian phone number ("374-70-79").
_DATE_LIKE = re.compile(r"(?<!\d)(?:\d{4}[./\-]\d{1,2}[./\-]\d{1,2}|\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4})(?!\d)"
                        r"|\d\.\d{2}(?!\d)")


def _uniform_separators(value: str) -> bool:
    return len({ch for ch in value if not ch.isdigit()}) <= 1


def _context(keywords: re.Pattern[str], anchors: tuple[str, ...], work: Normalized) -> Iterator[re.Match[str]]:
    """Whole-word matches of a context-keyword pattern in the skeleton, sought only when
    one of the ``anchors`` occurs."""
    skel = work.skeleton
    if not any(a in skel for a in anchors):
        return iter(())
    return (m for m in keywords.finditer(skel) if whole_word(skel, m.start(), m.end()))


def _free_before(text: str, start: int, extra: str) -> bool:
    """Whether ``text[start]`` does not continue a word, or one of the ``extra`` characters."""
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] in extra)


def phones(work: Normalized) -> Iterator[Hit]:
    text = work.text
    for m in _INTL.finditer(text):
        if _free_before(text, m.start(), "_+") and 8 <= len(digits_of(m.group())) <= 15:
            yield Hit(m.start(), m.end(), "PHONE_NUMBER", 0.85)
    for m in _NANP.finditer(text):
        if _free_before(text, m.start(), "_+.-/"):
            yield Hit(m.start(), m.end(), "PHONE_NUMBER", 0.8)
    for m in _TRUNK.finditer(text):
        value = m.group()
        if _free_before(text, m.start(), "_+.-/:") and 9 <= len(digits_of(value)) <= 12 \
                and _uniform_separators(value) and not _DATE_LIKE.match(value):
            yield Hit(m.start(), m.end(), "PHONE_NUMBER", 0.7)
    for m in _TRUNK_MORE.finditer(text):
        if _free_before(text, m.start(), "_+.-/:") and 9 <= len(digits_of(m.group())) <= 15:
            yield Hit(m.start(), m.end(), "PHONE_NUMBER", 0.7)
    # an unformatted number is a phone number when a phone word comes just before it
    # (numbers are rarer than letters: find them first, then look back for the word)
    skel = work.skeleton
    if not any(a in skel for a in _PHONE_ANCHORS):
        return
    for m in _CONTEXT_NUMBER.finditer(text):
        value = m.group()
        if 7 <= len(digits_of(value)) <= 15 and not _DATE_LIKE.search(value) and not _YEARS.fullmatch(value) \
                and any(whole_word(skel, k.start(), k.end()) for k in
                        _PHONE_CONTEXT.finditer(skel, max(0, m.start() - 25), m.start())):
            yield Hit(m.start(), m.end(), "PHONE_NUMBER", 0.85)


# -- payment cards ---------------------------------------------------------------------
_CARD_SEPARATORS = " \t.-\r\n\u00a0"
_CARD = re.compile(r"[0-9](?<![\w.,][0-9])(?:[ \t.\-\r\n\u00a0]{0,3}\d){12,18}(?![\w]|[.,]\d)")
_SEPARATORS = re.compile(r"[^0-9]+")
_MINUS = re.compile(r"\s-[0-9]")


def _card_grouping_ok(value: str) -> bool:
    """Card-like grouping: one run, groups of 3+ digits (4-4-4-4, 4-6-5), or an evenly
    split number (1 1 1 1 ..., 41 11 11 ...); a list of unrelated numbers, a decimal
    number ("67488934710676.8") or a negative one ("34671 -2259400466") is neither."""
    separators = _SEPARATORS.findall(value)
    if (len(separators) == 1 and separators[0] in (".", ",")) or _MINUS.search(value):
        return False
    groups = _SEPARATORS.split(value)
    if len(groups) == 1 or all(len(g) >= 3 for g in groups):
        return True
    return len({len(g) for g in groups[:-1]}) == 1 and len(groups[-1]) <= len(groups[0])


def _card_ok(value: str) -> bool:
    number = digits_of(value)
    return card_issuer_ok(number) and luhn_ok(number) and _card_grouping_ok(value)


_DIGIT_GROUP = re.compile(r"[0-9]+")
_DECIMAL_TAIL = re.compile(r"[.,][0-9]")


def _card_inside(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The longest run of 3+-digit groups inside a rejected candidate that is a card
    ("12 4111 1111 1111 1111": a number glued before the card)."""
    groups = [g.span() for g in _DIGIT_GROUP.finditer(text, start, end) if g.end() - g.start() >= 3]
    best = None
    for i in range(len(groups)):
        digits = 0
        for j in range(i, len(groups)):
            if j > i and text[groups[j - 1][1]:groups[j][0]].strip(_CARD_SEPARATORS):
                break                                   # a short group sat in between
            digits += groups[j][1] - groups[j][0]
            if digits > 19:
                break
            a, b = groups[i][0], groups[j][1]
            if i == j and _DECIMAL_TAIL.match(text, b):
                break                                   # "4653595013998.4" is a number
            if digits >= 13 and (best is None or b - a > best[1] - best[0]) and _card_ok(text[a:b]):
                best = (a, b)
    return best


def cards(work: Normalized) -> Iterator[Hit]:
    text = work.text
    for m in _CARD.finditer(text):
        span = m.span() if _card_ok(m.group()) else _card_inside(text, m.start(), m.end())
        if span:
            yield Hit(span[0], span[1], "CREDIT_CARD", 0.95)


# -- IBAN ------------------------------------------------------------------------------
# (anchored on the check digits, which a scan finds faster than the country letters; the
# BBAN is read in a lookahead, so that a rejected candidate consumes only its check digits:
# "OA94HhblZa-Q send it to GB70 ..." inside a key must not swallow the IBAN it runs into)
_IBAN = re.compile(r"[0-9]{2}(?<=[A-Za-z]{2}[0-9]{2})(?=(?P<bban>(?:[ \-]?[A-Za-z0-9]){10,30}))")


def ibans(work: Normalized) -> Iterator[Hit]:
    text = work.text
    reach = 0                                          # end of the last IBAN reported
    for m in _IBAN.finditer(text):
        start = m.start() - 2
        length = IBAN_LENGTHS.get(text[start:m.start()].upper())
        if length is None or start < reach or (start and text[start - 1].isalnum()):
            continue
        # keep exactly `length` alphanumerics: the pattern may run into the next word
        need, end = length - 4, m.start("bban")
        while need and end < m.end("bban"):
            if text[end].isalnum():
                need -= 1
            end += 1
        if need or (end < len(text) and text[end].isalnum()):
            continue
        if iban_ok(text[start:end]):
            yield Hit(start, end, "IBAN_CODE", 0.97)
            reach = end


# -- US SSN ----------------------------------------------------------------------------
_SSN = re.compile(r"[0-9](?<![\w\-.][0-9])\d{2}(?P<sep>[ .\-\n]|\s?[\-.]\s?)\d{2}(?P=sep)\d{4}(?![\w]|[.\-]\d)")
_SSN_CONTEXT = re.compile(keyword_pattern(("ssn", "ss#", "social security", "social security number",
                                           "social security no", "soc sec", "soc. sec.", "itin", "tin",
                                           "taxpayer identification number")))
_SSN_ANCHORS = _anchors(("ssn", "ss#", "social", "soc", "itin", "tin", "taxpayer"))
_SSN_BARE = re.compile(r"(?<![\w\-.])\d{3}[ .\-]?\d{2}[ .\-]?\d{4}(?![\w]|[.\-]\d)")


def ssns(work: Normalized) -> Iterator[Hit]:
    text = work.text
    for m in _SSN.finditer(text):
        if ssn_ok(m.group()):
            yield Hit(m.start(), m.end(), "US_SSN", 0.85)
        elif itin_ok(m.group()):
            yield Hit(m.start(), m.end(), "US_ITIN", 0.85)
    for k in _context(_SSN_CONTEXT, _SSN_ANCHORS, work):
        m = _SSN_BARE.search(text, k.end(), k.end() + 30)
        if m and (ssn_ok(m.group()) or itin_ok(m.group())):
            yield Hit(m.start(), m.end(), "US_SSN" if ssn_ok(m.group()) else "US_ITIN", 0.97)


# -- crypto wallets --------------------------------------------------------------------
_WALLET = re.compile(r"[13](?<![\w][13])[1-9A-HJ-NP-Za-km-z]{25,34}(?![\w])"
                     r"|b(?<![\w]b)c1[02-9ac-hj-np-z]{11,87}(?![\w])")


def crypto_wallets(work: Normalized) -> Iterator[Hit]:
    """Bitcoin addresses whose checksum holds (base58check, bech32/bech32m)."""
    for m in _WALLET.finditer(work.text):
        value = m.group()
        if bech32_ok(value) if value.startswith("bc1") else base58check_ok(value):
            yield Hit(m.start(), m.end(), "CRYPTO", 0.95)


# -- IP addresses ----------------------------------------------------------------------
_IPV4 = re.compile(r"[0-9](?<![\w.][0-9])\d{0,2}\.(?:\d{1,3}\.){2}\d{1,3}(?![\w]|\.\d)")
_IPV6 = re.compile(r"(?=[0-9A-Fa-f:])(?<![\w:.])(?:[0-9A-Fa-f]{1,4}|(?=::))(?::{1,2}[0-9A-Fa-f]{1,4}){2,7}(?:::)?"
                   r"(?:%[\w.]{1,15})?(?![\w:])")
_IPV6_HINT = re.compile(r":[0-9A-Fa-f]{1,4}:|::")
_VERSION_BEFORE = re.compile(r"(?i)(?:version|ver\.?|release|build|v|[a-z]/)\s*$")  # "Chrome/110.0.0.0"


def ips(work: Normalized) -> Iterator[Hit]:
    text = work.text
    for m in _IPV4.finditer(text):
        if ipv4_identifying(m.group()) and not _VERSION_BEFORE.search(text, max(0, m.start() - 10), m.start()):
            yield Hit(m.start(), m.end(), "IP_ADDRESS", 0.9)
    if not _IPV6_HINT.search(text):
        return
    for m in _IPV6.finditer(text):
        if ipv6_identifying(m.group()):
            yield Hit(m.start(), m.end(), "IP_ADDRESS", 0.9)


# -- dates of birth --------------------------------------------------------------------
_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
           r"|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre"
           r"|januar|februar|märz|maerz|juni|juli|oktober|dezember"
           r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
           r"|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)\.?")
_DATE = re.compile(
    r"(?i)(?<!\d)(?:"
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"                                   # 1990-05-17
    r"|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})"                        # 17/05/1990, 05-17-90
    r"|\d{1,2}(?:st|nd|rd|th|er|\.)?(?:\s+of|\s+de)?\s+" + _MONTHS
    + r",?\s+(?:de\s+)?\d{4}"                                          # 17th of May 1990, 3. Mai 1990, 3 de mayo de 1990
    r"|" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"           # May 17, 1990
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"                        # 1990年5月17日
    r"|" + _MONTHS + r"\s+\d{4}"                                       # May 1990
    r"|(?:19|20)\d{2}"                                                 # 1990 (after "born in")
    r")(?!\d)")
_DOB_WORDS = ("born", "dob", "d.o.b", "d.o.b.", "date of birth", "birth date", "birthdate", "birthday", "b-day",
              "geboren", "geburtsdatum", "geburtstag", "né le", "née le", "nee le", "date de naissance",
              "fecha de nacimiento", "nacido", "nacida", "cumpleaños", "data de nascimento", "nascido",
              "nascida", "data di nascita", "дата рождения", "родился", "родилась", "день рождения",
              "出生", "生日", "生年月日")
_DOB_CONTEXT = re.compile(keyword_pattern(_DOB_WORDS))
_DOB_ANCHORS = _anchors(("born", "dob", "d.o.b", "birth", "b-day", "geboren", "geburt", "né", "nee", "naissance",
                         "nacimiento", "nacid", "cumplea", "nascimento", "nascid", "nascita", "рожд", "родил",
                         "出生", "生日", "生年月日"))


def _date_ok(value: str) -> bool:
    """Reject impossible numeric dates (month 13, day 32)."""
    nums = [int(x) for x in re.findall(r"\d+", value)]
    if len(nums) != 3:
        return True
    if nums[0] > 31:                                   # year first
        return 1 <= nums[1] <= 12 and 1 <= nums[2] <= 31
    a, b = nums[0], nums[1]
    return (1 <= a <= 31 and 1 <= b <= 12) or (1 <= a <= 12 and 1 <= b <= 31)


def dates_of_birth(work: Normalized) -> Iterator[Hit]:
    text = work.text
    for k in _context(_DOB_CONTEXT, _DOB_ANCHORS, work):
        m = _DATE.search(text, k.end(), k.end() + 40)
        if m is None:
            m = _DATE.search(text, max(0, k.start() - 30), k.start())
            if m and m.group().isdigit():
                continue                                # a bare year only follows the keyword
        if m and _date_ok(m.group()):
            yield Hit(m.start(), m.end(), "DATE_OF_BIRTH", 0.85)


# -- file paths naming a user --------------------------------------------------------
_PATH_USER = re.compile(
    r"[a-z](?<![\w][a-z]):(?:\\{1,2}|/)(?:users|documents and settings)(?:\\{1,2}|/)"
    r"(?:(?P<win>[^\\/:*?\"<>|\r\n]{1,64}?)(?=[\\/])|(?P<winend>[^\\/:*?\"<>|\s]{1,64}))"
    r"|/(?<![\w.~]/)(?:home|users|var/home)/(?P<unix>[a-z0-9._-]{1,32})(?![\w])", re.IGNORECASE)
#: The rest of the path: segments (one with up to three blanks only when another segment
#: follows it: "Trade Bot\\node_modules", not "errors.js:12) at (C:\\...").
_PATH_REST = re.compile(r"(?:[\\/]{1,2}(?:[^\\/\s\"'<>|*?:;()“”‘’]+(?: [^\\/\s\"'<>|*?:;()“”‘’]+){0,3}(?=[\\/])"
                        r"|[^\\/\s\"'<>|*?,;()\[\]{}“”‘’]+)){0,64}")
_NOT_A_USER = frozenset({
    "user", "username", "user_name", "yourname", "your_name", "yourusername", "your_username", "you",
    "me", "name", "public", "default", "default user", "all users", "admin", "administrator",
    "shared", "guest", "runner", "ubuntu", "ec2-user", "root", "<user>", "<username>", "$user", "%username%",
    "xxx", "...", "*",
})


def path_users(work: Normalized) -> Iterator[Hit]:
    """A path inside a user's home (``C:\\Users\\NAME\\...``, ``/home/NAME/...``) as a
    whole: the name, and the folders and files around it, say who the user is."""
    low, text = work.lower, work.text
    if not ("users" in low or "documents and settings" in low or "/home/" in low):
        return
    for m in _PATH_USER.finditer(text):
        group = m.lastgroup or "unix"
        name = m.group(group)
        if name and name.strip().lower() not in _NOT_A_USER and not name.startswith(("<", "{", "$", "%")):
            end = trim_url(text, m.start(), _PATH_REST.match(text, m.end()).end())
            yield Hit(m.start(), end, "FILE_PATH", 0.8)


# -- social handles ------------------------------------------------------------------
# "@" inside a line (a decorator or CSS at-rule starts its line), then a handle, with a
# Matrix-style ":server" if any; not a call ("@app.post("), nor a package ("@scope/pkg"),
# nor a jq format ("@tsv") or a host ("'user'@'localhost'").
_HANDLE = re.compile(r"@(?<=[ \t(\[,;:\"'>]@)[A-Za-z][A-Za-z0-9_.]{2,29}(?::[a-z0-9\-]+(?:\.[a-z0-9\-]+)+)?(?![\w(@/.])")
_NOT_HANDLES = frozenset("""
param return returns throws throw see since deprecated author version link code inheritdoc type typedef
property example todo fixme apply include extend mixin if else each for use forward tailwind layer
container media import keyframes supports page charset override everyone here channel all
localhost text json csv tsv html uri sh base32 base32d base64 base64d
""".split())


def handles(work: Normalized) -> Iterator[Hit]:
    text = work.text
    if "@" not in text:
        return
    for m in _HANDLE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        name = m.group()[1:].rstrip(".")
        if text[line_start:m.start()].strip() and name.lower() not in _NOT_HANDLES:
            yield Hit(m.start(), m.start() + 1 + len(name), "USERNAME", 0.7)


PII_DETECTORS = (emails, urls, phones, cards, ibans, ssns, crypto_wallets, ips, dates_of_birth, path_users,
                 handles)
