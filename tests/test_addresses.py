"""Street addresses of ten countries (tests/addresses_corpus.py): the held family, never tuned
on, is covered in every country; numbers, code, dates and public landmarks in knowledge
questions are not flagged; spans land on exact original offsets and stay on the address."""
from __future__ import annotations

import pytest

from addresses_corpus import COUNTRIES, NEGATIVES, POSITIVES
from ptmo_middleware.config import Settings
from ptmo_middleware.plugins.classifiers.rules import RulesClassifier
from ptmo_middleware.types import SensitivityLevel


@pytest.fixture(scope="module")
def rules() -> RulesClassifier:
    return RulesClassifier(Settings())


def address_spans(rules: RulesClassifier, text: str) -> list[tuple[int, int]]:
    """The ADDRESS spans of ``text`` (checking their offsets)."""
    out = []
    for s in rules.classify(text):
        assert text[s.start:s.end] == s.text, (s, text)
        if s.entity_type == "ADDRESS":
            out.append((s.start, s.end))
    return out


def covered(spans: list[tuple[int, int]], text: str, address: str) -> bool:
    """Whether every letter and digit of ``address`` lies in a span."""
    start = text.index(address)
    return all(any(s <= i < e for s, e in spans)
               for i in range(start, start + len(address)) if text[i].isalnum())


def overreach(spans: list[tuple[int, int]], text: str, address: str) -> int:
    """Letters and digits flagged outside ``address``."""
    start = text.index(address)
    end = start + len(address)
    return sum(text[i].isalnum() and not start <= i < end for s, e in spans for i in range(s, e))


def test_corpus_shape():
    assert len(NEGATIVES) >= 200
    for family in ("tune", "held"):
        cases = [c for c in POSITIVES if c.family == family]
        assert len(cases) >= 150 and {c.country for c in cases} == set(COUNTRIES)


@pytest.mark.parametrize("family", ["tune", "held"])
@pytest.mark.parametrize("country", COUNTRIES)
def test_recall_per_country(rules, family, country):
    cases = [c for c in POSITIVES if c.family == family and c.country == country]
    missed = [c for c in cases if not covered(address_spans(rules, c.text), c.text, c.address)]
    assert len(missed) <= 0.02 * len(cases), missed


def test_spans_stay_on_the_address(rules):
    extra = sum(overreach(address_spans(rules, c.text), c.text, c.address) for c in POSITIVES)
    assert extra <= 0.01 * sum(len(c.address) for c in POSITIVES)


def test_negatives_not_flagged(rules):
    flagged = [t for t in NEGATIVES if address_spans(rules, t)]
    assert flagged == []


@pytest.mark.parametrize("text, address", [
    ("I live at 1234 Maple Street, Springfield, IL 62704 with my partner.",
     "1234 Maple Street, Springfield, IL 62704"),
    ("Ship to:\nFlat 3\n27 Harcourt Road\nLeeds\nLS6 2DT\nThanks", "Flat 3\n27 Harcourt Road\nLeeds\nLS6 2DT"),
    ("Meine Adresse: Lindenstraße 5a, 10115 Berlin.", "Lindenstraße 5a, 10115 Berlin"),
    ("J'habite 12 rue de la Paix, 75002 Paris depuis un an.", "12 rue de la Paix, 75002 Paris"),
    ("Vivo en Calle Mayor 15, 3º B, 28013 Madrid.", "Calle Mayor 15, 3º B, 28013 Madrid"),
    ('{"address": "Via Roma 12, 00184 Roma (RM)"}', "Via Roma 12, 00184 Roma (RM)"),
    ("send it to 5/12 george st, surry hills nsw 2010 pls", "5/12 george st, surry hills nsw 2010"),
    # a zero-width space inside the address maps back to the original characters
    ("I live at 42 Elm\u200b Street.", "42 Elm\u200b Street"),
])
def test_examples(rules, text, address):
    start = text.index(address)
    assert (start, start + len(address)) in address_spans(rules, text)


def test_address_is_masked_level(rules):
    [span] = [s for s in rules.classify("My address is 88 Oak Avenue, Denver, CO 80203.")
              if s.entity_type == "ADDRESS"]
    assert span.level == Settings().level_of("ADDRESS") == SensitivityLevel.SEMI_SENSITIVE
    assert Settings().thresholds[span.level] == "masked"


@pytest.mark.parametrize("text", [
    "Where is 10 Downing Street?",
    "Tell me about the history of 221B Baker Street.",
    "Is Abbey Road in London?",
    "Bake at 350 degrees for 12 minutes.",
    "Here are 12 Main ideas from the talk.",
    "Spring 2024 release notes: 3 new features.",
    "Im Jahr 2020 zogen wir um.",
])
def test_not_addresses(rules, text):
    assert address_spans(rules, text) == []
