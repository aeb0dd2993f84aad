"""Token tagger for private units: names of people, companies, products and places,
handles, domains and paths, in any case and in many languages.

A linear model over sparse features of each token (shape, affixes, word frequency in
English and other languages, first-name/surname and place gazetteers, position in the
sentence, the words up to two places around it, its case next to theirs, whether it
is capitalised elsewhere in the text, the punctuation around it). The features come
in groups ("parts") that each depend on a small key (the token, the previous word,
the previous word and the token's case ...), and the model is a sum of weights, so
each part's sum is cached per key (those of a word together): tagging costs a few
dictionary look-ups a token.
Runs of positive tokens become one unit, so a full name or a company name is masked
as a whole and the words around it are kept.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping, NamedTuple

_LEAD = "\"'“‘«([{<*`"
_TRAIL = "\"'”’»)]}>*`.,;:!?"
_SENT_END = frozenset(".!?。！？")
_DASHES = "\u2012\u2013\u2014\u2015\u2e3a\u2e3b\ufe58"
"""Dash-like separators (figure, en, em, horizontal bar, two/three-em, small em dash):
words they join are separate chunks ("subjects—Lance", "2019–2020"); a run of them is
a chunk of its own, as when spaced. Not the hyphen, which is inside names ("Jean-Luc")."""
_RULE = r"-{2,}|={2,}|_{3,}|\*{3,}|~{3,}|\.{3,}|#{3,}"
"""Runs of ASCII punctuation that rule off text ("----", "====", "..."): separators, like
the dashes, even when glued to the words on both sides ("below.-----Garcia")."""
_CHUNK = re.compile(f"[{_DASHES}]+|{_RULE}|(?:(?!{_RULE})[^\\s{_DASHES}])+")
_SLASHED = re.compile(r"[^\W\d_](?:[^\W\d_'’-]*[^\W\d_])?(?:/[^\W\d_](?:[^\W\d_'’-]*[^\W\d_])?)+")
"""Words joined by "/" ("Roth/Kirschenbaum"): split when every part is capitalised;
paths, URLs, dates ("12/05") and "and/or" stay one token."""
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_CYR = re.compile(r"[\u0400-\u04ff]")
_WORDCHARS = re.compile(r"[^\W_]", re.UNICODE)


class Token(NamedTuple):
    """A whitespace chunk (or a piece of one split at dashes, or at the slashes between
    capitalised words) stripped of surrounding punctuation: ``text[start:end]`` (a named
    tuple: made by the thousand per text, it must be cheap)."""

    start: int
    end: int
    text: str
    first: bool
    """At the start of the text, a line or a sentence."""
    before: str = " "
    """The character just before the token (white space, a quote, a bracket ...)."""
    after: str = " "
    """The character just after it."""


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens with their offsets and sentence-start flags."""
    out: list[Token] = []
    boundary = True
    n = len(text)
    for m in _CHUNK.finditer(text):
        chunk = m.group(0)
        a, b = 0, len(chunk)
        while a < b and chunk[a] in _LEAD:
            a += 1
        while b > a and chunk[b - 1] in _TRAIL:
            b -= 1
        if m.start() > 0 and "\n" in text[max(0, m.start() - 2):m.start()] and text[m.start() - 1].isspace():
            boundary = True
        if b > a:
            s, e = m.start() + a, m.start() + b
            word = chunk[a:b]
            if "/" in word and _SLASHED.fullmatch(word) and all(w[0].isupper() for w in word.split("/")):
                for w in word.split("/"):
                    out.append(Token(s, s + len(w), w, boundary, text[s - 1] if s else " ",
                                     text[s + len(w)] if s + len(w) < n else " "))
                    boundary = False
                    s += len(w) + 1
            else:
                out.append(Token(s, e, word, boundary, text[s - 1] if s else " ", text[e] if e < n else " "))
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


def case_class(word: str) -> str:
    """``T`` (title), ``U`` (upper), ``l`` (lower) or ``o`` (other)."""
    return ("T" if word[:1].isupper() and not word.isupper() else "U" if word.isupper() else
            "l" if word.islower() else "o")


@dataclass
class Lexicon:
    """Word statistics shipped with the model: Zipf frequency (rounded) in English and
    the best of other languages, a set of person names, and place names (one-word
    names of cities, countries and states, and the words of longer ones)."""

    en: Mapping[str, int]
    other: Mapping[str, int]
    names: frozenset[str] = field(default_factory=frozenset)
    places: frozenset[str] = field(default_factory=frozenset)
    place_parts: frozenset[str] = field(default_factory=frozenset)

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
             f"len={min(len(word), 12)}", f"suf={lower[-3:]}", f"pre={lower[:3]}",
             f"suf2={lower[-2:]}", f"pre2={lower[:2]}", f"suf4={lower[-4:]}", f"pre4={lower[:4]}"]
    if lower in lex.names:
        feats += ["name", f"name|{cls}", f"name|{cls}|{min(en, 9)}"]
    if lower in lex.places:
        feats += ["place", f"place|{cls}", f"place|{cls}|{min(en, 9)}"]
    elif lower in lex.place_parts:
        feats += ["placepart", f"placepart|{cls}"]
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
    en, _ = lex.zipf(lower)
    return [f"{side}w={lower}" if len(lower) <= 20 else f"{side}w=<long>", f"{side}cls={case_class(word)}",
            f"{side}en={min(en, 9)}", f"{side}name={lower in lex.names}"]


def far_context_features(word: str, side: str) -> list[str]:
    """Features of the token two places away (``side`` is ``p2`` or ``n2``)."""
    return [f"{side}w={word.casefold()[:20]}", f"{side}cls={case_class(word)}"]


def pair_features(neighbour: str, cls: str, side: str) -> list[str]:
    """A neighbouring word together with the token's case class ("at" + ``T``)."""
    return [f"{side}w|c={neighbour.casefold()[:20]}|{cls}"]


def case_run_features(prev_cls: str, cls: str, next_cls: str) -> list[str]:
    """The case classes of the token and its two neighbours."""
    return [f"pc|c|nc={prev_cls}|{cls}|{next_cls}"]


def position_features(first: bool, doc_en: int, head: str) -> list[str]:
    """Features of where the token stands (sentence start, language of the text)."""
    return [f"first={first}", f"first|{head}={first}", f"docen={doc_en}", f"docen|{head}={doc_en}"]


def recurrence_features(cls: str, capitalised_elsewhere: bool, repeats: int) -> list[str]:
    """Whether the word is capitalised elsewhere in the text (not at a sentence
    start: "jeddah" after "Jeddah"), and how often it occurs (1, 2, 3+)."""
    return [f"capel|{cls}={capitalised_elsewhere}", f"rep|{cls}={repeats}"]


def punctuation_features(before: str, after: str) -> list[str]:
    """The characters around the token: quotes, brackets, "@", a comma ..."""
    return [f"bef={'_' if before.isspace() else before}", f"aft={'_' if after.isspace() else after}"]


_EDGE = "<none>"
_CLASSES = "TUlo"
_WordScores = tuple[float, float, float, float, float, dict[str, float], dict[str, float], str, str, str]
"""Per word: its own part, as previous / next word, two places before / after, with
the token's case class as previous / next word, its case class, case-folded form,
and ``T``/``l`` head."""
_PARTS: dict[str, Callable[..., list[str]]] = {"s": self_features, "p": context_features, "n": context_features,
                                                "p2": far_context_features, "n2": far_context_features,
                                                "pc": pair_features, "nc": pair_features, "run": case_run_features,
                                                "pos": position_features, "doc": recurrence_features,
                                                "punct": punctuation_features}
_NEEDS_LEX = frozenset({"s", "p", "n"})
_SIDED = frozenset({"p", "n", "p2", "n2", "pc", "nc"})

Part = tuple[Any, ...]
"""One group of a token's features, ``(kind, *arguments)``: every feature of the
group follows from this key (the tagger caches the sums of a word's groups together,
and those of the token's surroundings together)."""


def part_features(part: Part, lex: Lexicon) -> list[str]:
    """The features of one part (see :func:`token_parts`)."""
    kind, *args = part
    fn = _PARTS[kind]
    if kind in _SIDED:
        args.append(kind)
    return fn(args[0], lex, *args[1:]) if kind in _NEEDS_LEX else fn(*args)


def doc_english_bucket(tokens: list[Token], lex: Lexicon) -> int:
    """Share of lower-case tokens that are common English words, in 5 buckets."""
    lows = [t.text for t in tokens[:400] if t.text.islower()]
    if not lows:
        return 0
    common = sum(1 for w in lows if lex.en.get(w, 0) >= 4)
    return min(4, int(5 * common / len(lows)))


def doc_statistics(tokens: list[Token], lex: Lexicon) -> tuple[int, set[str], dict[str, int]]:
    """What the text says about all its tokens: its English bucket, the (case-folded)
    words capitalised somewhere other than at a sentence start, and word counts."""
    capitalised = {t.text.casefold() for t in tokens if t.text[:1].isupper() and not t.first}
    counts: dict[str, int] = {}
    for t in tokens:
        key = t.text.casefold()
        counts[key] = counts.get(key, 0) + 1
    return doc_english_bucket(tokens, lex), capitalised, counts


def token_parts(tokens: list[Token], lex: Lexicon) -> Iterator[list[Part]]:
    """The feature groups of every token: itself, the words one and two places
    around it, its case next to theirs, its position, its other occurrences in the
    text and the punctuation around it."""
    doc_en, capitalised, counts = doc_statistics(tokens, lex)
    words = [_EDGE, _EDGE] + [t.text for t in tokens] + [_EDGE, _EDGE]
    classes = [case_class(w) for w in words]
    for i, tok in enumerate(tokens):
        j = i + 2
        word, prev, nxt, cls = words[j], words[j - 1], words[j + 1], classes[j]
        lower = word.casefold()
        yield [("s", word), ("p", prev), ("n", nxt), ("p2", words[j - 2]), ("n2", words[j + 2]),
               ("pc", prev, cls), ("nc", nxt, cls), ("run", classes[j - 1], cls, classes[j + 1]),
               ("pos", tok.first, doc_en, "T" if word[:1].isupper() else "l"),
               ("doc", cls, lower in capitalised, min(counts[lower], 3)), ("punct", tok.before, tok.after)]


def token_features(tokens: list[Token], lex: Lexicon) -> Iterator[list[str]]:
    """Every feature of every token (for training; the tagger sums cached parts)."""
    for parts in token_parts(tokens, lex):
        yield [f for part in parts for f in part_features(part, lex)]


class UnitTagger:
    """Scores each token's chance of belonging to a private unit and returns units."""

    def __init__(self, weights: Mapping[str, float], bias: float, lexicon: Lexicon,
                 threshold: float = 0.5, threshold_without_ner: float | None = None,
                 cache_size: int = 200_000) -> None:
        self.weights = weights
        self.bias = bias
        self.lexicon = lexicon
        self.threshold = threshold
        self.threshold_without_ner = threshold if threshold_without_ner is None else threshold_without_ner
        """The threshold to use when no NER model runs beside the tagger."""
        self._cache_size = cache_size
        self._words: dict[str, _WordScores] = {}
        self._locals: dict[tuple[Any, ...], float] = {}

    def _sum(self, feats: list[str]) -> float:
        w = self.weights
        return sum(w.get(f, 0.0) for f in feats)

    def _word(self, word: str) -> _WordScores:
        """The sums of every part that depends on this word alone (or on it and the
        case class of the token beside it), cached per word."""
        rec = self._words.get(word)
        if rec is None:
            if len(self._words) > self._cache_size:
                self._words.clear()
            lex, sm = self.lexicon, self._sum
            rec = self._words[word] = (
                sm(self_features(word, lex)), sm(context_features(word, lex, "p")),
                sm(context_features(word, lex, "n")), sm(far_context_features(word, "p2")),
                sm(far_context_features(word, "n2")),
                {c: sm(pair_features(word, c, "pc")) for c in _CLASSES},
                {c: sm(pair_features(word, c, "nc")) for c in _CLASSES},
                case_class(word), word.casefold(), "T" if word[:1].isupper() else "l")
        return rec

    def _local(self, key: tuple[Any, ...]) -> float:
        """The sum of the parts that depend on the token's surroundings, not on words:
        ``key`` is (previous, own, next case class, sentence start, English bucket,
        head, capitalised elsewhere, repeats, character before, character after)."""
        pc, c, nc, first, doc_en, head, capel, rep, before, after = key
        parts = [("run", pc, c, nc), ("pos", first, doc_en, head), ("doc", c, capel, rep), ("punct", before, after)]
        if len(self._locals) > self._cache_size:
            self._locals.clear()
        s = self._locals[key] = sum(self._sum(part_features(part, self.lexicon)) for part in parts)
        return s

    def logits(self, tokens: list[Token]) -> list[float]:
        """The model's log-odds for each token: the bias plus the cached sums of its
        parts (the same features as :func:`token_parts`, grouped by what they depend on)."""
        doc_en, capitalised, counts = doc_statistics(tokens, self.lexicon)
        edge = self._word(_EDGE)
        recs = [edge, edge] + [self._word(t.text) for t in tokens] + [edge, edge]
        locals_, bias = self._locals, self.bias
        out = []
        for i, tok in enumerate(tokens):
            p2, p, r, n, n2 = recs[i:i + 5]
            cls, lower = r[7], r[8]
            key = (p[7], cls, n[7], tok.first, doc_en, r[9], lower in capitalised, min(counts[lower], 3),
                   tok.before, tok.after)
            local = locals_.get(key)
            if local is None:
                local = self._local(key)
            out.append(bias + r[0] + p[1] + n[2] + p2[3] + n2[4] + p[5][cls] + n[6][cls] + local)
        return out

    def units(self, text: str, threshold: float | None = None, rare_names: bool = False
              ) -> list[tuple[int, int, float]]:
        """``(start, end, probability)`` of each unit: a run of tokens scoring at least
        ``threshold`` (default: the tagger's), joined across the white space between them.

        Two consistency rules complete what the model scores token by token: every
        occurrence of a token scores as its best occurrence (a name at a sentence start
        is the name found later), and a unit grows over the capitalised words and name
        particles it touches ("Arab Open University", "Borough of Longport"), and, with
        ``rare_names``, over the uncommon first names and surnames typed in lower case beside
        it ("gerard murphy"), so whole units are masked, not pieces of them."""
        tokens = tokenize(text)
        z = self.logits(tokens)
        best: dict[str, float] = {}
        for tok, v in zip(tokens, z):
            if len(tok.text) >= 3 and v > best.get(tok.text, -math.inf):
                best[tok.text] = v
        z = [max(v, best.get(t.text, v)) for t, v in zip(tokens, z)]
        p = self.threshold if threshold is None else threshold
        cut = math.log(p / (1 - p))
        names, zipf = self.lexicon.names, self.lexicon.en
        name_like = [rare_names and t.text.islower() and t.text in names and zipf.get(t.text, 0) <= _RARE_NAME_ZIPF
                     for t in tokens]
        positive = _grow([v >= cut for v in z], tokens, text, name_like)
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


#: A lower-case word joins a unit it touches when it is a first name or surname at most this
#: frequent (Zipf): "gerard", "murphy", "janice", but not "mark" or "may".
_RARE_NAME_ZIPF = 4
_PARTICLES = frozenset({"of", "de", "del", "della", "da", "do", "dos", "van", "von", "der", "den", "la", "le",
                        "al", "el", "bin", "ibn", "&"})


def _touching(a: Token, b: Token, text: str) -> bool:
    return not text[a.end:b.start].strip()


def _grow(positive: list[bool], tokens: list[Token], text: str, name_like: list[bool]) -> list[bool]:
    """Extend positive runs over touching capitalised or ``name_like`` tokens, and over a
    name particle that joins a positive token to a capitalised one."""
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
            grow = (left or right) and (cap(i) and not tokens[i].first or name_like[i])
            if not grow and tokens[i].text.casefold() in _PARTICLES and 0 < i < n - 1:
                grow = (pos[i - 1] and cap(i + 1) or pos[i + 1] and cap(i - 1)) and \
                    _touching(tokens[i - 1], tokens[i], text) and _touching(tokens[i], tokens[i + 1], text)
            if grow:
                pos[i] = changed = True
    return pos


def _run_unit(run: list[tuple[Token, float]]) -> tuple[int, int, float]:
    z = max(z for _, z in run)
    return run[0][0].start, run[-1][0].end, 1.0 / (1.0 + math.exp(-z))
