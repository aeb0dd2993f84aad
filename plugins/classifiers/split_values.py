"""Values split to slip past the patterns: "4 1 1 1 - 1 1 1 1 ...", "A-K-I-A-...",
"gsk_ . GwLn . j6Ue ...", an IBAN one pair per line.

After a context keyword (card, IBAN, account, SSN, key, token, password, ...), the run of
short alphanumeric groups joined by blanks, dots, dashes or newlines is collapsed, and
each prefix of it (group by group) is checked the way an unsplit value of the kind the
keyword announces would be: Luhn and issuer for cards, mod 97 for IBANs, ranges for
SSNs, the provider patterns for keys; after "account", 8-17 digits are an account
number. Only a run that validates is reported, so ordinary words after a keyword are not.
"""
from __future__ import annotations

import bisect
import itertools
import re
from typing import Iterator

from .hits import Hit
from .normalize import Normalized, keyword_key, keyword_pattern, keyword_variants, whole_word
from .secret_patterns import keyword_matches, longest_provider_key
from .validators import card_issuer_ok, iban_ok, luhn_ok, ssn_ok

#: Context keyword -> what a value after it may be.
_CARD, _IBAN, _SSN, _BANK, _KEY = "CREDIT_CARD", "IBAN_CODE", "US_SSN", "US_BANK_NUMBER", "KEY"
_CARD_CONTEXT = frozenset({_CARD})
_CONTEXT_WORDS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("card", "card number", "credit card", "debit card", "visa", "mastercard", "amex", "cc"),
                    _CARD_CONTEXT),
    "iban": frozenset({_IBAN}),
    "account": frozenset({_IBAN, _BANK, _CARD}),
    **dict.fromkeys(("ssn", "social security number", "social security"), frozenset({_SSN})),
    "key": frozenset({_KEY}),
}
_CONTEXT_KINDS = {keyword_key(v): kinds for w, kinds in _CONTEXT_WORDS.items() for v in keyword_variants(w)}
_SECRET_CONTEXT = frozenset({_KEY, _CARD, _IBAN})
_CONTEXT_RE = re.compile(keyword_pattern(_CONTEXT_WORDS))
_CONTEXT_ANCHORS = ("card", "visa", "master", "amex", "cc", "iban", "account", "ssn", "social", "key")
_LEAD = re.compile(r"(?:[^\w\n]{0,4}(?:is|are|number|no|nr|num)(?!\w)){0,3}[^\w\n]{0,6}")
_SEP = r"(?:(?:[ \t]{0,2}[.\-]){1,3}[ \t]{0,2}|[ \t]{1,2}|[ \t]?\r?\n)"
_RUN = re.compile(r"[0-9]{9,19}(?![0-9])|[A-Za-z0-9_+/=]{1,8}(?:" + _SEP + r"[A-Za-z0-9_+/=]{1,8}){0,240}")
_GROUP = re.compile(r"[A-Za-z0-9_+/=]+")
_ALL_SEPARATORS = re.compile(r"[\s.\-]+")
_MAX_ID, _MAX_KEY = 34, 256      # longest collapsed IBAN; longest provider key we match
_IBAN_SHAPE = re.compile(r"[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]{10,30}")


def _contexts(work: Normalized) -> dict[int, frozenset[str]]:
    """Offsets where a context keyword ends -> the kinds of value it announces."""
    found = {m.end(): _SECRET_CONTEXT for m, kind in keyword_matches(work) if kind != "user"}
    skel = work.skeleton
    if any(a in skel for a in _CONTEXT_ANCHORS):
        for m in _CONTEXT_RE.finditer(skel):
            if whole_word(skel, m.start(), m.end()):
                found[m.end()] = found.get(m.end(), frozenset()) | _CONTEXT_KINDS[keyword_key(m.group())]
    return found


def _validate(collapsed: str, kinds: frozenset[str]) -> str | None:
    """The entity type of a collapsed run, if it is a valid value of one of ``kinds``."""
    if collapsed.isdigit():
        # after "card" Luhn is enough (a 16-digit number starting 37 is still a card number
        # to keep private); after "key" or "password" the issuer must fit too
        if _CARD in kinds and 13 <= len(collapsed) <= 19 and luhn_ok(collapsed) \
                and (kinds == _CARD_CONTEXT or card_issuer_ok(collapsed)):
            return _CARD
        if _SSN in kinds and len(collapsed) == 9 and ssn_ok(collapsed):
            return _SSN
        if _BANK in kinds and 8 <= len(collapsed) <= 17:
            return _BANK
        return None
    if _IBAN in kinds and _IBAN_SHAPE.fullmatch(collapsed) and iban_ok(collapsed):
        return _IBAN
    return None


_PROVIDER_STARTS = ("AKIA", "ASIA", "gh", "github_pat", "glpat", "xox", "gsk_", "sk", "AIza", "ya29", "pk_",
                    "rk_", "whsec_", "hf_", "npm_", "SG", "eyJ", "https")


def _plausible(kinds: frozenset[str], head: str) -> frozenset[str]:
    """The kinds a run can still be, judging by its first characters (most runs after a
    keyword are ordinary words and are dropped here, before any prefix is collapsed)."""
    if head[:1].isdigit():
        return kinds & {_CARD, _SSN, _BANK}
    if _IBAN_SHAPE.match(head + "0" * 10):
        return kinds & {_IBAN}
    return kinds & {_KEY} if head.startswith(_PROVIDER_STARTS) else frozenset()


def _same_lines(text: str, groups: list[re.Match[str]]) -> list[re.Match[str]]:
    """The groups up to where the line structure changes: a value split one group per
    line ends at the first group on the same line, any other at the first line break."""
    if len(groups) < 2:
        return groups
    per_line = "\n" in text[groups[0].end():groups[1].start()]
    for i in range(1, len(groups)):
        if ("\n" in text[groups[i - 1].end():groups[i].start()]) != per_line:
            return groups[:i]
    return groups


def split_values(work: Normalized) -> Iterator[Hit]:
    text = work.text
    seen_end = -1
    for end, kinds in sorted(_contexts(work).items()):
        start = _LEAD.match(text, end).end()
        if start < seen_end:
            continue
        run = _RUN.match(text, start)
        if run is None:
            continue
        groups = _same_lines(text, list(_GROUP.finditer(text, run.start(), run.end())))
        kinds = _plausible(kinds, "".join(g.group() for g in groups[:4]))
        if not kinds:
            continue
        lengths = list(itertools.accumulate(g.end() - g.start() for g in groups))
        if _KEY in kinds:                               # (then only a key: see _plausible)
            groups = groups[:bisect.bisect_right(lengths, _MAX_KEY)]
            key = _key_groups_end(text, groups) or _chunked_key_end(text, run.start())
            if key is not None:
                yield Hit(run.start(), key[0], key[1], 0.9)
                seen_end = key[0]
            continue
        for k in range(bisect.bisect_right(lengths, _MAX_ID), 0, -1):   # the longest prefix that validates
            stop = groups[k - 1].end()
            raw = text[run.start():stop]
            etype = _validate(_ALL_SEPARATORS.sub("", raw), kinds)
            if etype:
                yield Hit(run.start(), stop, etype, 0.9)
                seen_end = stop
                break


def _key_groups_end(text: str, groups: list[re.Match[str]]) -> tuple[int, str] | None:
    """End and entity type of the longest run of ``groups`` that is a provider key once
    its separators are dropped: all of them, or blanks and dots only (keeping dashes:
    "xoxb-..."). Each reading is matched once against the provider patterns (linear)."""
    best, etype = -1, ""
    readings: list[tuple[str, list[int]]] = []
    for keep_dashes in (True, False):
        parts, ends, n = [], [], 0
        for i, g in enumerate(groups):
            if keep_dashes and i:
                dashes = "-" * text.count("-", groups[i - 1].end(), g.start())
                parts.append(dashes)
                n += len(dashes)
            parts.append(g.group())
            n += g.end() - g.start()
            ends.append(n)
        readings.append(("".join(parts), ends))
    for value, ends in readings:
        key = longest_provider_key(value, ends)
        if key is not None and ends.index(key[0]) > best:
            best, etype = ends.index(key[0]), key[1]
    return (groups[best].end(), etype) if best >= 0 else None


#: The separator of a value cut into chunks: a newline, blanks, or a dot or dash with
#: blanks around it or not.
_CHUNK_SEP = re.compile(r"[ \t]{0,2}\r?\n[ \t]{0,2}|[ \t]{0,3}[.\-][ \t]{0,3}|[ \t]{1,3}")
_MAX_CHUNK = 8


def _chunks(text: str, start: int, size: int) -> list[tuple[str, int]]:
    """``text`` from ``start`` read as chunks of ``size`` characters (the last one may be
    shorter) joined by one repeated separator: (chunk, end offset) pairs, or ``[]``. A
    chunk may hold the separator's own character ("xo-xb--2-75": "xo", "xb", "-2", "75"
    cut by "-"), which is why keys with dashes are read this way."""
    first = text[start:start + size]
    sep = _CHUNK_SEP.match(text, start + size) if len(first) == size and not any(c.isspace() for c in first) \
        else None
    if sep is None:
        return []
    chunks = [(first, start + size)]
    pos, sep_text = start + size, sep.group()
    while text.startswith(sep_text, pos) and len(chunks) * size <= _MAX_KEY:
        begin = end = pos + len(sep_text)
        while end < begin + size and end < len(text) and not text[end].isspace():
            end += 1
        if end == begin:
            break
        if end - begin == size and text.startswith(sep_text, end):
            chunks.append((text[begin:end], end))
            pos = end
            continue
        while end > begin and not text[end - 1].isalnum() and text[end - 1] not in "_-":
            end -= 1                                     # "D." ends the sentence
        if end > begin and (end == len(text) or not (text[end].isalnum() or text[end] in "_-")):
            chunks.append((text[begin:end], end))       # the last, shorter chunk
        break
    return chunks if len(chunks) > 1 else []


def _chunked_key_end(text: str, start: int) -> tuple[int, str] | None:
    """End and entity type of a provider key written in equal chunks with one repeated separator whose
    character the key also holds ("sk-\npro\nj-5\n...", "xox - b-2 - 546 - ..."), found
    by trying each chunk size; the longest chunk prefix that is a whole key wins."""
    for size in range(1, _MAX_CHUNK + 1):
        chunks = _chunks(text, start, size)
        lengths = list(itertools.accumulate(len(c) for c, _ in chunks))[1:]   # two chunks at least
        key = longest_provider_key("".join(c for c, _ in chunks), lengths) if lengths else None
        if key is not None:
            return chunks[lengths.index(key[0]) + 1][1], key[1]
    return None
