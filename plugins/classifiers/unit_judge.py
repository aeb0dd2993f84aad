"""The unit judge: is a named unit about the user and the people around them, or public?

spaCy's entities and the unit tagger find names; they cannot tell "I work at Walmart in
Irvine" from "What was Walmart's revenue in 2023?", and on a public question they turn
"Compare", "Factorise x^2 - 5x + 6" or "Marseille" into entities. The judge reads each
candidate they found (sources ``ner`` and ``ml`` only, in Latin script: the rules' spans and names in
other scripts are never judged)
with the words around it and the framing of the prompt (first and second persons,
relations such as "my friend", a letter or a chat log, code, a knowledge question opening
the prompt) and keeps it when the probability that it is private reaches its threshold.

Logistic models over sparse features (one for names in prose, one for names in the prose
of a prompt that holds code, one for names on lines of code), shipped as
``data/unit_judge.json.gz`` and built by ``ptmo train-judge``; the prompt's framing is
computed once per text.
"""
from __future__ import annotations

import gzip
import json
import math
import re
import threading
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ptmo_middleware.config import Settings
from ptmo_middleware.types import Span

from .generic_terms import GENERIC_TERMS
from .unit_bounds import OPENERS
from .unit_tagger import Lexicon
from .word_stats import ARTIFACT as ML_ARTIFACT
from .word_stats import lexicon

ARTIFACT = Path(__file__).with_name("data") / "unit_judge.json.gz"
JUDGED_SOURCES = frozenset({"ner", "ml"})
"""Spans whose every source is one of these are judged; any other source keeps a span."""

_WORD = re.compile(r"[^\W_][^\W_'’-]*(?:['’-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?。！？]+[\"'”’)]*\s+|\n\s*\n|\n(?=\s*[-*•\d])")

FIRST_PERSON = frozenset("""
i i'm i've i'd i'll im ive me my mine myself we we're we've our ours ourselves us
ich mich mir mein meine meinen meinem meiner meines wir uns unser unsere unserem unseren
je j' moi mon ma mes nous notre nos m'
yo mí mi mis mío mía míos mías nosotros nosotras nuestro nuestra nuestros nuestras conmigo
io mio mia miei mie noi nostro nostra eu meu minha meus minhas nós nosso nossa
ik mij mijn wij ons onze
trabajo vivo estudio tengo soy estoy necesito quiero busco llevo
lavoro abito studio sono trabalho moro estudo tenho sou estou preciso
""".split())
"""First-person words, and the first-person verbs that stand for them where the pronoun is
dropped (Spanish, Italian, Portuguese)."""
SECOND_PERSON = frozenset("""
you your yours yourself du dich dir dein deine deinen deinem ihr euch euer tu toi ton ta tes
vous votre vos tú tu te ti tus usted ustedes vuestro vuestra
""".split())
RELATIONS = frozenset("""
friend friends boss colleague colleagues coworker co-worker manager wife husband partner
girlfriend boyfriend son daughter mother mom mum father dad brother sister sibling aunt uncle
cousin grandma grandpa grandmother grandfather niece nephew neighbour neighbor roommate
landlord tenant client clients customer patient doctor dr dr. mr mr. mrs mrs. ms ms. miss
dear hi hello hey to from cc name named called signed regards sincerely
freund freundin chef kollege kollegin frau mann sohn tochter mutter vater bruder schwester
nachbar liebe lieber hallo
ami amie patron collègue femme mari fils fille mère père frère sœur voisin cher chère bonjour
amigo amiga jefe compañero compañera esposa esposo hijo hija madre padre hermano hermana
vecino querido querida hola
email e-mail mail message letter note text invite invitation reply
correo mensaje carta nachricht brief einladung lettre courriel
""".split())
ADDRESSEE_CUES = frozenset("""
friend friends boss colleague colleagues coworker co-worker manager wife husband partner
girlfriend boyfriend son daughter mother mom mum father dad brother sister sibling aunt uncle
cousin grandma grandpa grandmother grandfather niece nephew neighbour neighbor roommate
landlord tenant client customer patient dear hi hello hey
freund freundin chef kollege kollegin sohn tochter mutter vater bruder schwester nachbar liebe
lieber hallo ami amie patron collègue mari fils fille mère père frère sœur voisin cher chère
amigo amiga jefe compañero compañera esposa esposo hijo hija madre padre hermano hermana vecino
querido querida hola
email e-mail mail message letter note text invite invitation reply
correo mensaje carta nachricht brief einladung lettre courriel
""".split())
"""Words that make the person named just after them someone the user knows or writes to
("my friend", "Dear", "an email to"): such a person is kept whatever the model says."""
ADDRESSING_VERBS = frozenset("""
write send reply respond talk speak say forward email mail text message introduce reach explain
apologize apologise tell ask call remind invite thank congratulate cc
sent emailed mailed texted messaged replied forwarded invited thanked applying applied
schreibe schreib sende antworte sag frag danke écris envoie réponds dis demande remercie
escribe envía responde di pregunta agradece
""".split())
"""Verbs that address the person after them ("tell Anna", "write to Ravi")."""
WRITTEN_FOR = frozenset("""
letter summary cv resume résumé bio biography email e-mail message speech toast note reference
recommendation invitation card profile post introduction eulogy poem complaint
""".split())
"""Documents written for a person ("a cover letter for Bjorn", "a linkedin summary for X")."""
WORK_PLACE = frozenset("""
work works worked working employed employer job intern internship at join joined joining
live lives lived living moved move from study studying studied attend attending school
university college hospital company firm team office branch born geboren né née nací nacido nata nato
arbeite arbeitet wohne wohnt studiere travaille habite étudie trabajo vivo estudio
""".split())
_LETTER_FORM = re.compile(r"(?im)^\s*(dear|hi|hello|hey|liebe[rs]?|sehr geehrte|cher|chère|bonjour|"
                     r"estimad[oa]|querid[oa]|hola)\b|\b(regards|sincerely|cheers|best wishes|"
                     r"mit freundlichen|cordialement|atentamente|saludos)\b|^subject:")
_SYMBOL = re.compile(r"[=+*/^<>{}()\[\]_\\|]")
_CHAT_LINE = re.compile(r"(?m)^\s*[^\W\d_][\w .'-]{0,30}:\s+\S")
_CODE = re.compile(r"[{};]\s*$|^\s*(def|class|import|from|function|const|let|var|public|private|"
                   r"return|SELECT|select|#include)\b|=>|\(\)|==|!=", re.M)
_PIECE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
#: A line of code, a command, a config or a log beyond :data:`_CODE`: a command with a
#: flag ("curl -X GET ..."), a key with one value ("kind: ConfigMap"), an exception, an
#: HTTP header or status line, a log line (a timestamp or a level in capitals), a commit
#: ("a3f9c21 Fix ..."), a Dockerfile instruction.
_CODE_LINE = re.compile(
    _CODE.pattern + r"|^\s*[a-z][\w.\-]*\s(?:.*\s)?--?[A-Za-z][\w\-]*(?:[=\s]|$)"
    r"|^\s*-?\s*[A-Za-z_][\w.\-]*:\s*[^\s:]+\s*$|\b[A-Z]\w*(?:Error|Exception):"
    r"|^HTTP/\d|^[A-Z][a-z]+(?:-[A-Z][a-z]+)+:\s|^\s*[\[(]?\d{4}-\d\d-\d\d[T ]\d\d:\d\d|\b\d\d:\d\d:\d\d[.,]\d+"
    r"|\b(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL)\b[:\]!]?\s|^[0-9a-f]{7,40}\s"
    r"|^(?:FROM|RUN|COPY|ADD|ENV|ARG|WORKDIR|EXPOSE|CMD|ENTRYPOINT|USER|LABEL|HEALTHCHECK)\s", re.M)


@dataclass(frozen=True)
class Frame:
    """What the whole prompt says about itself, computed once per text."""

    features: tuple[str, ...]
    sentences: tuple[int, ...]
    """Offsets where sentences start (0 first)."""
    first_person_at: frozenset[int]
    """Indexes of the sentences with a first-person word."""
    second_person_at: frozenset[int]
    code_lines: frozenset[int] = frozenset()
    """Where the lines that are code start (:func:`code_lines`)."""


def words(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def words_before(text: str, start: int) -> list[str]:
    """The (up to) three words before ``start``, case-folded."""
    return [m.group().casefold() for m in words(text[max(0, start - 40):start])][-3:]


def frame_of(text: str) -> Frame:
    """The prompt's framing: persons, opener, letter, chat log, code, length."""
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
    first: set[int] = set()
    second: set[int] = set()
    ws = words(text)
    k = 0
    for m in ws:
        while k + 1 < len(starts) and m.start() >= starts[k + 1]:
            k += 1
        w = m.group().casefold().replace("’", "'")
        if w in FIRST_PERSON or w.startswith(("j'", "m'")) or (w == "i" and m.group() == "I"):
            first.add(k)
        elif w in SECOND_PERSON:
            second.add(k)
    n = len(ws)
    feats = [f"len={_bucket(n, (4, 8, 15, 30, 60, 150))}"]
    if first:
        feats.append("fp")
    if second:
        feats.append("sp")
    if not first and not second:
        feats.append("noperson")
    if ws and ws[0].group().casefold() in OPENERS:
        feats.append("opener")
        feats.append("opener|" + ("fp" if first else "nofp"))
    if _LETTER_FORM.search(text):
        feats.append("letter")
    if len(_CHAT_LINE.findall(text)) >= 2:
        feats.append("chat")
    if _CODE.search(text):
        feats.append("code")
    return Frame(tuple(feats), tuple(starts), frozenset(first), frozenset(second), code_lines(text))


def _bucket(x: float, edges: Sequence[float]) -> int:
    for i, e in enumerate(edges):
        if x <= e:
            return i
    return len(edges)


def _sentence_index(frame: Frame, offset: int) -> int:
    lo, hi = 0, len(frame.sentences) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if frame.sentences[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _case(value: str) -> str:
    letters = [c for c in value if c.isalpha()]
    if not letters:
        return "noletter"
    if all(c.islower() for c in letters):
        return "lower"
    if all(c.isupper() for c in letters):
        return "upper" if len(letters) > 1 else "title"
    heads = [w[:1] for w in value.split() if w[:1].isalpha()]
    return "title" if all(h.isupper() for h in heads) else "mixed"


def overlapping_sources(spans: Sequence[Span]) -> list[frozenset[str]]:
    """For each span, its sources and those of every span overlapping it (one sweep
    over the spans by start: a name both detectors found reads differently)."""
    order = sorted(range(len(spans)), key=lambda i: spans[i].start)
    own = [frozenset(s.source.split("+")) for s in spans]
    out = list(own)
    for k, i in enumerate(order):
        for j in order[k + 1:]:
            if spans[j].start >= spans[i].end:
                break
            out[i], out[j] = out[i] | own[j], out[j] | own[i]
    return out


def span_features(text: str, span: Span, frame: Frame, lexicon: Lexicon,
                  sources: Iterable[str] | None = None, before: list[str] | None = None) -> list[str]:
    """The features of one candidate ``span`` of ``text`` (``sources``: see
    :func:`overlapping_sources`, the span's own by default; ``before``: its
    :func:`words_before`, found here when not given)."""
    value = text[span.start:span.end]
    sources = set(sources) if sources is not None else set(span.source.split("+"))
    src = "both" if {"ner", "ml"} <= sources else ("ner" if "ner" in sources else "ml")
    toks = [m.group() for m in words(value)]
    lowers = [t.casefold() for t in toks]
    zen = [lexicon.zipf(t)[0] for t in lowers] or [0]
    zoth = [lexicon.zipf(t)[1] for t in lowers] or [0]
    case = _case(value)
    sent = _sentence_index(frame, span.start)
    fp = "fp_sent" if sent in frame.first_person_at else ("fp_other" if frame.first_person_at else "nofp")
    sp = "sp_sent" if sent in frame.second_person_at else "nosp"
    at_start = not text[frame.sentences[sent]:span.start].strip(" \t\n\"'“‘«([*#•0123456789.)-")
    feats = list(frame.features)
    feats += [f"src={src}", f"type={span.entity_type}", f"case={case}", f"ntok={min(len(toks), 4)}",
              f"minz={min(zen)}", f"maxz={max(zen)}", f"maxoth={max(zoth)}", fp, sp,
              f"src|{fp}={src}", f"type|{fp}={span.entity_type}", f"case|{fp}={case}",
              f"minz|{fp}={min(zen)}", f"ntok|{fp}={min(len(toks), 4)}"]
    if "ml" in sources:
        feats.append(f"mlp={min(int(span.score * 10), 9)}" if span.source == "ml" else "mlp=ner")
    if at_start:
        feats.append("at_start")
        if lowers and lexicon.zipf(lowers[0])[0] >= 3:
            feats.append("at_start_common")
    if any(c.isdigit() for c in value):
        feats.append("digit")
    if _SYMBOL.search(value):
        feats.append("symbol")
    if lowers and lowers[0] in lexicon.names:
        feats.append(f"name|{fp}")
    if any(t in lexicon.places for t in lowers):
        feats.append(f"place|{fp}")
        feats.append(f"place|{fp}|{min(max(zen), 5)}")
    if case == "title" and min(zen) >= 3:
        feats.append(f"known|{fp}|{src}")
    if before is None:
        before = words_before(text, span.start)
    after = [m.group().casefold() for m in words(text[span.end:span.end + 30])][:2]
    if before:
        feats.append(f"prev={before[-1]}")
        if len(before) > 1:
            feats.append(f"prev2={before[-2]} {before[-1]}")
    else:
        feats.append("prev=<s>")
    feats.append(f"next={after[0]}" if after else "next=</s>")
    if any(b in RELATIONS for b in before):
        feats.append("rel_before")
    if any(b in WORK_PLACE for b in before):
        feats.append(f"work_before|{fp}")
    if any(b in FIRST_PERSON for b in before):
        feats.append("fp_before")
    return feats


#: Signs of code; a line of eight characters or more with at least ``CODE_DENSITY`` of
#: them (a run of one sign counted once: "_____" is a blank in a sentence) is code.
_CODE_SIGNS = frozenset("{}()[];=<>\"`$_\\|#@*&%^~+")
_SIGN_RUN = re.compile(r"([{}()\[\];=<>\"`$_\\|#@*&%^~+])\1+")
CODE_DENSITY = 0.10
#: Where the rest of a line is text, not code: a comment, or a config key's value.
_COMMENT = re.compile(r"(?:^|\s)(?:#|//|--|/\*|;;)")
_KEY_VALUE = re.compile(r"\s*-?\s*[\"']?[\w.\-]+[\"']?\s*(?::=|=|:)\s*")


def _line(text: str, span: Span) -> tuple[int, int]:
    end = text.find("\n", span.end)
    return text.rfind("\n", 0, span.start) + 1, len(text) if end < 0 else end


def is_code_line(line: str) -> bool:
    """Whether ``line`` is code, a command, a config or a log: one of the forms of
    :data:`_CODE_LINE`, or dense in signs of code (``CODE_DENSITY``)."""
    if _CODE_LINE.search(line) is not None:
        return True
    line = _SIGN_RUN.sub(r"\1", line.strip())
    return len(line) >= 8 and sum(c in _CODE_SIGNS for c in line) >= CODE_DENSITY * len(line)


def is_sentence(line: str) -> bool:
    """A line of prose: a capital first, four words or more, an end of sentence last."""
    words = line.split()
    return (len(words) >= 4 and words[0].lstrip("\"'“(")[:1].isupper()
            and words[-1].rstrip("\"'”)")[-1:] in (".", "?", "!", ":"))


def code_lines(text: str) -> frozenset[int]:
    """Where the lines of ``text`` that are code start: those :func:`is_code_line` finds,
    and where they make at least half of two or more lines (a paste of code, a log, a
    config), every other line but a sentence of prose (:func:`is_sentence`)."""
    if "\n" not in text:
        return frozenset({0}) if is_code_line(text) else frozenset()
    lines, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((start, start + len(line), is_code_line(line)))
        start += len(line) + 1
    if len(lines) >= 2 and 2 * sum(code for *_, code in lines) >= len(lines):
        return frozenset(a for a, b, code in lines if code or not is_sentence(text[a:b]))
    return frozenset(a for a, _, code in lines if code)


def on_code_line(text: str, span: Span, frame: Frame | None = None) -> bool:
    """Whether ``span`` sits on a line of code (``frame``'s :attr:`Frame.code_lines`,
    found here when not given)."""
    start, _ = _line(text, span)
    return start in (frame.code_lines if frame is not None else code_lines(text))


def quoted(text: str, span: Span) -> bool:
    """Whether ``span`` sits in text rather than code on its line: inside a string
    literal (an odd number of quotes of one kind before it), a comment, or the value
    of a config key (``name: ...``)."""
    start, _ = _line(text, span)
    before = text[start:span.start]
    if any(before.count(q) % 2 for q in "\"'`") or _COMMENT.search(before):
        return True
    m = _KEY_VALUE.match(text, start, span.start)
    return m is not None and m.end() == span.start


#: The judge's models: names in prose, names in the prose of a prompt that holds code
#: (a question around a paste, a log's message), names on lines of code.
MODELS = ("prose", "paste", "code")
#: The last feature of a unit on a line of code: in a string, comment or config value, or not.
QUOTED, BARE = "quoted", "bare"


def judge_features(text: str, span: Span, frame: Frame, lexicon: Lexicon, sources: Iterable[str] | None = None,
                   before: list[str] | None = None) -> tuple[str, list[str]]:
    """Which of :data:`MODELS` judges ``span`` (``code`` on one of ``frame``'s lines of
    code, ``paste`` elsewhere in a prompt that has some) and its features:
    :func:`span_features`, and for code whether it is in a literal (:data:`BARE`)."""
    feats = span_features(text, span, frame, lexicon, sources, before)
    if not frame.code_lines:
        return "prose", feats
    if not on_code_line(text, span, frame):
        return "paste", feats
    feats.append(QUOTED if quoted(text, span) else BARE)
    return "code", feats


def logistic(weights: Mapping[str, float], bias: float, features: Iterable[str]) -> float:
    """The probability a linear model over binary ``features`` gives."""
    z = bias + sum(weights.get(f, 0.0) for f in features)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def latin(value: str) -> bool:
    """Whether every letter of ``value`` is Latin: the scripts the judge was trained on
    (names in other scripts are kept, whatever their context)."""
    return all(not c.isalpha() or c < "\u0250" or "\u1e00" <= c <= "\u1eff" for c in value)


@dataclass(frozen=True)
class Model:
    """A logistic model over binary features and the probability a unit must reach."""

    weights: Mapping[str, float]
    bias: float
    threshold: float

    def probability(self, features: Iterable[str]) -> float:
        return logistic(self.weights, self.bias, features)


class UnitJudge:
    """Keeps the named units that are private in their context; one model of
    :data:`MODELS` for each kind of place a unit sits in."""

    def __init__(self, models: Mapping[str, Model], candidate_threshold: float, lexicon: Lexicon) -> None:
        self.models = dict(models)
        self.candidate_threshold = candidate_threshold
        """The unit tagger's threshold when the judge runs (it proposes more, the judge sorts)."""
        self.lexicon = lexicon

    @property
    def threshold(self) -> float:
        """The prose model's threshold (the one a sweep moves)."""
        return self.models["prose"].threshold

    @threshold.setter
    def threshold(self, value: float) -> None:
        self.models["prose"] = replace(self.models["prose"], threshold=value)

    @staticmethod
    def addressed(span: Span, before: list[str]) -> bool:
        """Whether ``span`` (``before``: its :func:`words_before`) is a unit other than a
        place named within three words after an :data:`ADDRESSEE_CUES` word, just after an
        addressing verb (with "to" between or not), or after a document of or for it ("the
        complaint X sent", "a cover letter for X")."""
        if span.entity_type == "LOCATION":
            return False
        if any(b in ADDRESSEE_CUES for b in before):
            return True
        if before and before[-1] in WRITTEN_FOR:
            return True
        if len(before) > 1 and before[-1] in ("for", "für", "pour", "para") and before[-2] in WRITTEN_FOR:
            return True
        if before and before[-1] in ("to", "an", "à", "a") and len(before) > 1:
            before = before[:-1]
        return bool(before) and before[-1] in ADDRESSING_VERBS

    def code_word(self, value: str) -> bool:
        """Whether ``value``, bare on a line of code (outside string literals, comments
        and config values, where names in code sit), is code: no word of it a person's
        first name, every piece :meth:`vocabulary` ("KeyError", "ON DELETE CASCADE")."""
        return not any(w.casefold() in self.lexicon.names for w in value.split()) and self.vocabulary(value)

    def vocabulary(self, value: str) -> bool:
        """Whether every piece of ``value`` (split at case changes, digits and signs) is
        a word of the language of code: short, a number of at most three digits, a
        technology, or a frequent English word that names no place ("KeyError",
        "ON DELETE CASCADE"; not "abjadworld", "Guangzhou" or an id)."""
        for piece in _PIECE.findall(value):
            low = piece.casefold()
            if piece.isdigit():
                if len(piece) > 3:
                    return False
            elif len(piece) > 4 and low not in GENERIC_TERMS and (
                    self.lexicon.zipf(low)[0] < 3 or low in self.lexicon.places):
                return False
        return True

    def filter(self, text: str, spans: Sequence[Span]) -> list[Span]:
        """``spans`` without the named units judged public."""
        judged = [s for s in spans if s.maskable and set(s.source.split("+")) <= JUDGED_SOURCES
                  and latin(text[s.start:s.end])]
        if not judged:
            return list(spans)
        frame = frame_of(text)
        dropped = set()
        for span, sources in zip(judged, overlapping_sources(judged)):
            before = words_before(text, span.start)
            if self.addressed(span, before):
                continue
            kind, feats = judge_features(text, span, frame, self.lexicon, sources, before)
            model = self.models[kind]
            if (kind == "code" and feats[-1] == BARE and self.code_word(text[span.start:span.end])
                    or model.probability(feats) < model.threshold):
                dropped.add(id(span))
        return [s for s in spans if id(s) not in dropped]


@lru_cache(maxsize=2)
def _load(path: str) -> dict[str, Any]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


_lock = threading.Lock()


def load_judge(path: str | Path = ARTIFACT) -> UnitJudge:
    """The shipped judge, on the ``ml`` artifact's word statistics (read once per process)."""
    with _lock:
        art = _load(str(path))
    models = {kind: Model(m["weights"], m["bias"], m["threshold"]) for kind, m in art["models"].items()}
    return UnitJudge(models, art["candidate_threshold"], lexicon())


def available(path: str | Path = ARTIFACT) -> bool:
    return Path(path).exists() and ML_ARTIFACT.exists()


def judges(settings: Settings) -> bool:
    """Whether routers built from ``settings`` judge named units (on, and installed)."""
    return settings.unit_judge and available()


def candidate_threshold(path: str | Path = ARTIFACT) -> float:
    """The unit tagger's threshold beside the judge."""
    with _lock:
        return float(_load(str(path))["candidate_threshold"])
