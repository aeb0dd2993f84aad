"""Secrets hidden in base64 or hex ("Here it is in base64: cXVhcnR6LXZpb2xldC04OQ==").

A base64 or hex token that decodes to printable text is reported as a secret when an
encoding word ("base64", "hex", "decode", "encoded") comes shortly before it, or when the
decoded text itself holds a secret or an identifier the other detectors recognise (a
card number, a provider key, a stated password); not when the decoded text stands in
the prompt in clear too (``b64encode(b'hello world')  # aGVsbG8gd29ybGQ=``).
"""
from __future__ import annotations

import re
from typing import Iterator

from .hits import Hit
from .normalize import Normalized, normalize
from .pii_patterns import cards, ibans, ssns
from .secret_patterns import SECRET_DETECTORS
from .validators import decode_printable

# Base64 and hex tokens in one scan (hex digits are base64 characters); a look-behind
# placed after the first character keeps the scan fast (see pii_patterns).
_TOKEN = re.compile(r"[A-Za-z0-9+/](?<![A-Za-z0-9+/=_\-.].)[A-Za-z0-9+/]{11,1023}={0,2}(?![A-Za-z0-9+/=_\-])")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2}){8,}")
_ENCODING_WORDS = re.compile(r"base ?64|b64|\bhex\b|hexadecimal|decode|encoded|encoding|atob")
_WINDOW = 40
_INNER_DETECTORS = SECRET_DETECTORS + (cards, ibans, ssns)


def _holds_secret(decoded: str) -> bool:
    work = normalize(decoded)
    return any(True for detect in _INNER_DETECTORS for _ in detect(work))


def encoded_secrets(work: Normalized) -> Iterator[Hit]:
    text, low = work.text, work.lower
    for m in _TOKEN.finditer(text):
        token = m.group()
        # base64 of whole bytes only ("=" padding included): a word is rarely that
        decoded = decode_printable(token) if len(token) % 4 == 0 or _HEX.fullmatch(token) else None
        if decoded is None or decoded in text:   # the value is already there in clear
            continue
        announced = _ENCODING_WORDS.search(low, max(0, m.start() - _WINDOW), m.start()) is not None
        if announced or _holds_secret(decoded):
            yield Hit(m.start(), m.end(), "SECRET_TOKEN", 0.9 if announced else 0.85)
