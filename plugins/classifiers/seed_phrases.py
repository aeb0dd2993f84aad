"""Wallet seed phrases: 12 to 24 words of the BIP39 English word list in a row
("abandon ability able ... about"), typed CRYPTO.

A run of 12 or more list words (joined by blanks, commas or numbering such as "1." or
"2)") is a seed phrase when a wallet word (seed, mnemonic, recovery, wallet, ...) comes
shortly before it, or when 12, 15, 18, 21 or 24 of its words in a row carry a valid BIP39
checksum. Ordinary sentences rarely hold twelve list words in a row (function words such
as "the", "is" or "of" are not on the list), and a word list that does fails the checksum
but one time in sixteen.
"""
from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path
from typing import Iterator

from ptmo_middleware.number_words import plain_words

from .hits import Hit
from .normalize import Normalized

_WORDLIST = Path(__file__).with_name("data") / "bip39_english.txt"
_MIN_WORDS, _LENGTHS = 12, (24, 21, 18, 15, 12)
#: Twelve or more words of 3 to 8 letters (every list word is) separated by blanks,
#: commas or numbering; the look-behind sits after the first letter so the scan is fast.
_SEP = r"(?:[ \t,;]{1,3}|[ \t]*\r?\n[ \t]*)(?:\d{1,2}[.):]?[ \t]{1,2})?"
_CANDIDATE = re.compile(r"[a-z](?<![\w][a-z])[a-z]{2,7}(?:" + _SEP + r"[a-z]{3,8}){11,}(?!\w)")
_WORD = re.compile(r"[a-z]+")
_CUE = re.compile(r"seed|mnemonic|recovery|wallet|metamask|ledger|trezor|bip39|bip-39|secret phrase|backup phrase"
                  r"|seed words|12 words|24 words|twelve words|twenty-four words")
_BEFORE = 80


@functools.cache
def wordlist() -> tuple[str, ...]:
    """The 2048 BIP39 English words, in list order."""
    return tuple(_WORDLIST.read_text(encoding="ascii").split())


@functools.cache
def _words() -> frozenset[str]:
    return frozenset(wordlist())


@functools.cache
def _index() -> dict[str, int]:
    return {w: i for i, w in enumerate(wordlist())}


def checksum_ok(words: list[str]) -> bool:
    """Whether ``words`` (12, 15, 18, 21 or 24 list words) carry a valid BIP39 checksum."""
    index = _index()
    bits = 0
    for w in words:
        bits = (bits << 11) | index[w]
    n_cs = len(words) * 11 // 33
    entropy = (bits >> n_cs).to_bytes(len(words) * 11 * 32 // 33 // 8, "big")
    return hashlib.sha256(entropy).digest()[0] >> (8 - n_cs) == bits & ((1 << n_cs) - 1)


def _runs(low: str, start: int, end: int) -> Iterator[list[re.Match[str]]]:
    """The runs of 12 or more list words in ``low[start:end]``."""
    index = _index()
    run: list[re.Match[str]] = []
    for m in _WORD.finditer(low, start, end):
        if m.group() in index:
            run.append(m)
            continue
        if len(run) >= _MIN_WORDS:
            yield run
        run = []
    if len(run) >= _MIN_WORDS:
        yield run


def _valid_window(words: list[str]) -> bool:
    """Whether some 12 to 24 words in a row carry a valid checksum and repeat at most
    two words (a generated phrase rarely repeats one; "word word word ..." is no phrase)."""
    return any(len(set(window)) >= n - 2 and checksum_ok(window) for n in _LENGTHS if len(words) >= n
               for i in range(len(words) - n + 1) if (window := words[i:i + n]))


def _may_hold_phrase(words: list[str]) -> bool:
    """Whether 12 list words follow each other (or alternate with numbers: "1. abandon
    2. ability ...") among ``words``; a quick test before the scan."""
    if len(words) < _MIN_WORDS:
        return False
    flags = bytes(map(_words().__contains__, words))
    return b"\x01" * _MIN_WORDS in flags or b"\x00\x01" * _MIN_WORDS in flags


def seed_phrases(work: Normalized) -> Iterator[Hit]:
    low = work.lower
    if "plain_words" not in work.shared:
        work.shared["plain_words"] = plain_words(low)
    if not _may_hold_phrase(work.shared["plain_words"]):
        return
    for cand in _CANDIDATE.finditer(low):
        for run in _runs(low, cand.start(), cand.end()):
            start, end = run[0].start(), run[-1].end()
            cued = _CUE.search(low, max(0, start - _BEFORE), start) is not None
            if cued or _valid_window([m.group() for m in run]):
                yield Hit(start, end, "CRYPTO", 0.9 if cued else 0.85)
