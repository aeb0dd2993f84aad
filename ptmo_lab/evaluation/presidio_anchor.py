"""Presidio with its defaults, the anchor the benchmarks measure against: AnalyzerEngine
on the installed spaCy small English model, AnonymizerEngine's default replacement.

Offline like everything here: the e-mail recognizer's tldextract reads its bundled
suffix-list snapshot instead of fetching the list from the network.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def analyzer() -> Any:
    """Presidio's AnalyzerEngine with default recognizers on spaCy's small English model."""
    import spacy
    import tldextract
    import tldextract.tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    name = next(m for m in spacy.util.get_installed_models() if m.startswith("en_core_web_sm"))
    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": name}]}
    return AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=conf).create_engine())


def sanitizer() -> Callable[[str], str]:
    """``text -> text`` with what Presidio finds replaced by ``<ENTITY_TYPE>``."""
    from presidio_anonymizer import AnonymizerEngine

    engine, anonymizer = analyzer(), AnonymizerEngine()

    def sanitize(text: str) -> str:
        return anonymizer.anonymize(text, engine.analyze(text[:100000], language="en")).text

    sanitize("warm up John Smith")
    return sanitize
