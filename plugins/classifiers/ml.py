"""Classifier ``ml``: the trained models shipped in ``data/ml_model.json.gz``.

(a) a private-unit tagger (:mod:`.unit_tagger`) that finds names of people, companies,
products and places, handles, domains and paths, in any case and many languages:
maskable spans; (b) a sentence-level sensitive-topic model (:mod:`.topics`): one
non-maskable span per sensitive sentence, at the level the settings give the topic
(SEMI_SENSITIVE by default, so the sentence still reaches the cloud, masked, and the
request's level and score say it is sensitive; set a topic to ``private`` in
``level_policy`` to keep such sentences on the device).

Retrain with ``ptmo train-classifier`` (see :mod:`ptmo_lab.evaluation.train_classifier`).
The tagger's thresholds were chosen by 2-fold cross-validation on PUPA_New's training
split, each the lowest whose retain stays >= 0.90 (benchmarks/tagger_threshold_cv.py):
0.4 beside spaCy's ``ner`` (the full default router), and 0.3 when ``ner`` does not run
(``rules`` + ``ml``), since the tagger then has to find the units NER found.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from ptmo_middleware import plugin_manager
from ptmo_middleware.components import ClassifyContext
from ptmo_middleware.config import Settings
from ptmo_middleware.hookspecs import hookimpl
from ptmo_middleware.plugins.decomposers.base import sentence_boundaries
from ptmo_middleware.types import Span

from .cued_units import cued_units
from .generic_terms import is_generic
from .topics import TopicModel
from .unit_judge import candidate_threshold, judges
from .unit_bounds import tighten
from .unit_tagger import UnitTagger
from .validators import path_identifying, url_identifying
from .word_stats import ARTIFACT, common_words, read_artifact

@lru_cache(maxsize=4)
def _load(path: str) -> tuple[UnitTagger, TopicModel, dict[str, Any]]:
    art, lexicon = read_artifact(path)
    tg = art["tagger"]
    tp = art["topics"]
    return (UnitTagger(tg["weights"], tg["bias"], lexicon, tg["threshold"], tg["threshold_without_ner"]),
            TopicModel(tp["labels"], tp["weights"], tp["bias"], tp["threshold"]), art["meta"])


def load_models(path: str | Path = ARTIFACT) -> tuple[UnitTagger, TopicModel, dict[str, Any]]:
    """The tagger, the topic model and the training metadata (loaded once per process)."""
    return _load(str(path))


def runs_beside_ner(settings: Settings) -> bool:
    """Whether a planner built from ``settings`` runs the ``ner`` classifier too."""
    if settings.classifiers is not None:
        return "ner" in settings.classifiers
    ner = plugin_manager.get_classifiers().get("ner")
    return ner is not None and getattr(ner, "available", lambda: True)()


def unit_type(value: str, names: frozenset[str]) -> str:
    """Placeholder type of a tagged unit, from its form."""
    if "://" in value or value.casefold().startswith("www."):
        return "URL"
    if value.startswith("@"):
        return "USERNAME"
    if "@" in value and "." in value.split("@")[-1]:
        return "EMAIL_ADDRESS"
    if "/" in value or "\\" in value:
        return "FILE_PATH"
    words = value.split()
    if words and words[0].casefold() in names and all(w[:1].isupper() for w in words) and len(words) <= 4:
        return "PERSON"
    return "PROPER_NOUN"


_CUED_SCORE = 0.9


class MLClassifier:
    """Trained unit tagger + sensitive-topic model (pure Python at run time)."""

    name = "ml"
    inline = True
    max_sentences = 2000

    def __init__(self, settings: Settings, artifact: str | Path = ARTIFACT) -> None:
        self.settings = settings
        self.tagger, self.topics, self.meta = load_models(artifact)
        self.common = common_words()
        if judges(settings):
            self.threshold = candidate_threshold()
        else:
            self.threshold = self.tagger.threshold if runs_beside_ner(settings) else self.tagger.threshold_without_ner

    @staticmethod
    def available() -> bool:
        return ARTIFACT.exists()

    def classify(self, text: str, context: ClassifyContext) -> list[Span]:
        return self.unit_spans(text) + self.topic_spans(text)

    def unit_spans(self, text: str) -> list[Span]:
        """Maskable spans of the private units the tagger finds (not those made only of
        technologies, products and units: :mod:`.generic_terms`), joined by the units their
        context announces (:mod:`.cued_units`), which absorb the tagger's they contain."""
        names = self.tagger.lexicon.names
        out = []
        units = self.tagger.units(text, self.threshold, rare_names=True)
        cued = cued_units(text, names, self.tagger.lexicon.en, self.common)
        if cued:
            units = [u for u in units if not any(a <= u[0] and u[1] <= b for a, b, _ in cued)]
            for a, b, etype in cued:
                out.append(Span(a, b, etype, self.settings.level_of(etype), _CUED_SCORE, self.name, text[a:b]))
        for start, end, p in units:
            bounds = tighten(text, start, end, self.common, names)
            if bounds is None or is_generic(text[bounds[0]:bounds[1]]):
                continue
            start, end = bounds
            etype = unit_type(text[start:end], names)
            if (etype == "URL" and not url_identifying(text[start:end])
                    or etype == "FILE_PATH" and not path_identifying(text[start:end])):
                continue
            out.append(Span(start, end, etype, self.settings.level_of(etype), round(p, 4), self.name,
                            text[start:end]))
        return out

    def topic_spans(self, text: str) -> list[Span]:
        """One non-maskable span per sentence about a sensitive topic."""
        bounds = [0] + sentence_boundaries(text)[: self.max_sentences] + [len(text)]
        out = []
        for a, b in zip(bounds, bounds[1:]):
            sentence = text[a:b].strip()
            if not sentence:
                continue
            hit = self.topics.predict(sentence)
            if hit is None:
                continue
            topic, p = hit
            start = a + text[a:b].index(sentence)
            out.append(Span(start, start + len(sentence), topic, self.settings.level_of(topic), round(p, 4),
                            self.name, sentence, maskable=False))
        return out


@hookimpl
def register_classifiers(register):
    register(MLClassifier)
