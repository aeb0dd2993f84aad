"""Token tagger for private units: names of people, companies, products and places,
handles, domains and paths, in any case and in many languages.

A linear model over sparse features of each token (shape, word frequency in English
and other languages, a first-name/surname gazetteer, position in the sentence, the
words around it). The model is a sum of weights, so the part that depends on a token
alone is cached per token string: tagging costs a few dictionary look-ups a token.
Runs of positive tokens become one unit, so a full name or a company name is masked
as a whole and the words around it are kept.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Iterator, Mapping

_CHUNK = re.compile(r"\S+")
_LEAD = "\"'“‘«([{<*`"
_TRAIL = "\"'”’»)]}>*`.,;:!?"
_SENT_END = frozenset(".!?。！？")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_CYR = re.compile(r"[\u0400-\u04ff]")
_WORDCHARS = re.compile(r"[^\W_]", re.UNICODE)


@dataclass(frozen=True)
class Token:
    """A whitespace chunk stripped of surrounding punctuation: ``text[start:end]``."""

    start: int
    end: int
    text: str
    first: bool
    """At the start of the text, a line or a sentence."""


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens with their offsets and sentence-start flags."""
    out: list[Token] = []
    boundary = True
    for m in _CHUNK.finditer(text):
        chunk = m.group(0)
        a, b = 0, len(chunk)
        while a < b and chunk[a] in _LEAD:
            a += 1
        while b > a and chunk[b - 1] in _TRAIL:
            b -= 1
        if m.start() > 0 and "\n" in text[max(0, m.start() - 2):m.start()]:
            boundary = True
        if b > a:
            out.append(Token(m.start() + a, m.start() + b, chunk[a:b], boundary))
            boundary = chunk[-1] in _SENT_END or chunk.endswith((":", '."', ".”"))
        else:
            boundary = boundary or chunk[-1:] in _SENT_END
    return out


def shape(word: str) -> str:
    """Compressed shape: ``Xx``, ``X``, ``x``, ``d``, ``Xd``, ``xX`` (mixed), ``p`` ..."""
    kinds = []
    for ch in word[:12]:
        k = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else "p"
        if not kinds or kinds[-1] != k:
            kinds.append(k)
    return "".join(kinds[:4])


def script_of(word: str) -> str:
    if _CJK.search(word):
        return "cjk"
    if _CYR.search(word):
        return "cyr"
    if word.isascii():
        return "ascii"
    return "latin" if all(ord(c) < 0x250 for c in word) else "other"


@dataclass
class Lexicon:
    """Word statistics shipped with the model: Zipf frequency (rounded) in English and
    the best of other languages, and a set of person names."""

    en: Mapping[str, int]
    other: Mapping[str, int]
    names: frozenset[str] = field(default_factory=frozenset)

    def zipf(self, lower: str) -> tuple[int, int]:
        return self.en.get(lower, 0), self.other.get(lower, 0)


def self_features(word: str, lex: Lexicon) -> list[str]:
    """Features of a token that depend on the token alone."""
    lower = word.casefold()
    sh = shape(word)
    en, oth = lex.zipf(lower)
    scr = script_of(word)
    cls = ("title" if word[:1].isupper() and word[1:].islower() else
           "upper" if word.isupper() and len(word) > 1 else
           "lower" if word.islower() else
           "camel" if any(c.isupper() for c in word[1:]) and any(c.islower() for c in word) else "other")
    feats = [f"w={lower}" if len(lower) <= 24 else "w=<long>", f"sh={sh}", f"cls={cls}", f"scr={scr}",
             f"en={en}", f"oth={oth}", f"cls_en={cls}|{en}", f"cls_oth={cls}|{min(en, 9)}|{oth}",
             f"len={min(len(word), 12)}", f"suf={lower[-3:]}", f"pre={lower[:3]}"]
    if lower in lex.names:
        feats += ["name", f"name|{cls}"]
    if "@" in word:
        feats.append("at_start" if word.startswith("@") else "has_at")
    if "://" in word or lower.startswith("www."):
        feats.append("url")
    elif "." in word.strip(".") and not any(c.isspace() for c in word):
        feats.append("dotted")
    if "/" in word or "\\" in word:
        feats.append("slash")
    if "_" in word:
        feats.append("underscore")
    if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
        feats.append("alnum")
    if not _WORDCHARS.search(word):
        feats.append("nonword")
    return feats


def context_features(word: str, lex: Lexicon, side: str) -> list[str]:
    """Features a neighbouring token contributes (``side`` is ``p`` or ``n``)."""
    lower = word.casefold()
    cls = ("T" if word[:1].isupper() and not word.isupper() else "U" if word.isupper() else
           "l" if word.islower() else "o")
    en, _ = lex.zipf(lower)
    return [f"{side}w={lower}" if len(lower) <= 20 else f"{side}w=<long>", f"{side}cls={cls}",
            f"{side}en={min(en, 9)}", f"{side}name={lower in lex.names}"]


def position_features(tok: Token, doc_en: int, cls_word: str) -> list[str]:
    """Features of where the token stands (sentence start, language of the text)."""
    head = "T" if cls_word[:1].isupper() else "l"
    return [f"first={tok.first}", f"first|{head}={tok.first}", f"docen={doc_en}", f"docen|{head}={doc_en}"]


_EDGE = "<none>"


def doc_english_bucket(tokens: list[Token], lex: Lexicon) -> int:
    """Share of lower-case tokens that are common English words, in 5 buckets."""
    lows = [t.text for t in tokens[:400] if t.text.islower()]
    if not lows:
        return 0
    common = sum(1 for w in lows if lex.en.get(w, 0) >= 4)
    return min(4, int(5 * common / len(lows)))


def token_features(tokens: list[Token], lex: Lexicon) -> Iterator[list[str]]:
    """Every feature of every token (for training; the tagger sums cached parts)."""
    doc_en = doc_english_bucket(tokens, lex)
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1].text if i else _EDGE
        nxt = tokens[i + 1].text if i + 1 < len(tokens) else _EDGE
        yield (self_features(tok.text, lex) + context_features(prev, lex, "p")
               + context_features(nxt, lex, "n") + position_features(tok, doc_en, tok.text))


class UnitTagger:
    """Scores each token's chance of belonging to a private unit and returns units."""

    def __init__(self, weights: Mapping[str, float], bias: float, lexicon: Lexicon,
                 threshold: float = 0.5, cache_size: int = 200_000) -> None:
        self.weights = weights
        self.bias = bias
        self.lexicon = lexicon
        self.threshold = threshold
        self._cache_size = cache_size
        self._self: dict[str, float] = {}
        self._ctx: dict[tuple[str, str], float] = {}

    def _sum(self, feats: list[str]) -> float:
        w = self.weights
        return sum(w.get(f, 0.0) for f in feats)

    def _self_score(self, word: str) -> float:
        s = self._self.get(word)
        if s is None:
            if len(self._self) > self._cache_size:
                self._self.clear()
            s = self._self[word] = self._sum(self_features(word, self.lexicon))
        return s

    def _ctx_score(self, word: str, side: str) -> float:
        key = (word, side)
        s = self._ctx.get(key)
        if s is None:
            if len(self._ctx) > self._cache_size:
                self._ctx.clear()
            s = self._ctx[key] = self._sum(context_features(word, self.lexicon, side))
        return s

    def logits(self, tokens: list[Token]) -> list[float]:
        """The model's log-odds for each token."""
        doc_en = doc_english_bucket(tokens, self.lexicon)
        out = []
        for i, tok in enumerate(tokens):
            prev = tokens[i - 1].text if i else _EDGE
            nxt = tokens[i + 1].text if i + 1 < len(tokens) else _EDGE
            out.append(self.bias + self._self_score(tok.text) + self._ctx_score(prev, "p")
                       + self._ctx_score(nxt, "n") + self._sum(position_features(tok, doc_en, tok.text)))
        return out

    def units(self, text: str) -> list[tuple[int, int, float]]:
        """``(start, end, probability)`` of each unit: a run of positive tokens joined
        across the white space between them.

        Two consistency rules complete what the model scores token by token: every
        occurrence of a token scores as its best occurrence (a name at a sentence start
        is the name found later), and a unit grows over the capitalised words and name
        particles it touches ("Arab Open University", "Borough of Longport"), so whole
        units are masked, not pieces of them."""
        tokens = tokenize(text)
        z = self.logits(tokens)
        best: dict[str, float] = {}
        for tok, v in zip(tokens, z):
            if len(tok.text) >= 3 and v > best.get(tok.text, -math.inf):
                best[tok.text] = v
        z = [max(v, best.get(t.text, v)) for t, v in zip(tokens, z)]
        cut = math.log(self.threshold / (1 - self.threshold))
        positive = _grow([v >= cut for v in z], tokens, text)
        out: list[tuple[int, int, float]] = []
        run: list[tuple[Token, float]] = []
        for tok, v, pos in zip(tokens, z, positive):
            if run and (not pos or text[run[-1][0].end:tok.start].strip()):
                out.append(_run_unit(run))
                run = []
            if pos:
                run.append((tok, v))
        if run:
            out.append(_run_unit(run))
        return out


_PARTICLES = frozenset({"of", "de", "del", "della", "da", "do", "dos", "van", "von", "der", "den", "la", "le",
                        "al", "el", "bin", "ibn", "&"})


def _touching(a: Token, b: Token, text: str) -> bool:
    return not text[a.end:b.start].strip()


def _grow(positive: list[bool], tokens: list[Token], text: str) -> list[bool]:
    """Extend positive runs over touching capitalised tokens, and over a name particle
    that joins a positive token to a capitalised one."""
    pos = list(positive)
    n = len(tokens)

    def cap(i: int) -> bool:
        return 0 <= i < n and tokens[i].text[:1].isupper()

    changed = True
    while changed:
        changed = False
        for i in range(n):
            if pos[i]:
                continue
            left = i > 0 and pos[i - 1] and _touching(tokens[i - 1], tokens[i], text)
            right = i + 1 < n and pos[i + 1] and _touching(tokens[i], tokens[i + 1], text)
            grow = (left or right) and cap(i) and not tokens[i].first
            if not grow and tokens[i].text.casefold() in _PARTICLES and 0 < i < n - 1:
                grow = (pos[i - 1] and cap(i + 1) or pos[i + 1] and cap(i - 1)) and \
                    _touching(tokens[i - 1], tokens[i], text) and _touching(tokens[i], tokens[i + 1], text)
            if grow:
                pos[i] = changed = True
    return pos


def _run_unit(run: list[tuple[Token, float]]) -> tuple[int, int, float]:
    z = max(z for _, z in run)
    return run[0][0].start, run[-1][0].end, 1.0 / (1.0 + math.exp(-z))
