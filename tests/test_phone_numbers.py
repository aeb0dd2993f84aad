"""Phone numbers of many countries in international and national formats (tests/phones_corpus.py):
the held template family, never tuned on, is covered; texts full of other numbers are not
flagged; spans land on exact original offsets."""
from __future__ import annotations

import pytest

from phones_corpus import COUNTRIES, negatives, positives
from ptmo_middleware.config import Settings
from ptmo_middleware.plugins.classifiers.rules import RulesClassifier


@pytest.fixture(scope="module")
def rules() -> RulesClassifier:
    return RulesClassifier(Settings())


def phone_spans(rules: RulesClassifier, text: str) -> list[tuple[int, int]]:
    """The PHONE_NUMBER spans of ``text`` (checking their offsets)."""
    out = []
    for s in rules.classify(text):
        assert text[s.start:s.end] == s.text, (s, text)
        if s.entity_type == "PHONE_NUMBER":
            out.append((s.start, s.end))
    return out


def covered(rules: RulesClassifier, text: str, number: str) -> bool:
    start = text.index(number)
    end = start + len(number)
    return any(s <= start and e >= end for s, e in phone_spans(rules, text))


@pytest.mark.parametrize("family", ["tune", "held"])
def test_family_covered(rules, family):
    cases = [c for c in positives() if c.family == family]
    assert {c.country for c in cases} == set(COUNTRIES)
    missed = [c for c in cases if not covered(rules, c.text, c.number)]
    assert len(missed) <= 0.05 * len(cases), missed


def test_negatives_rarely_flagged(rules):
    texts = negatives()
    assert len(texts) >= 200
    flagged = [t for t in texts if phone_spans(rules, t)]
    assert len(flagged) <= 0.03 * len(texts), flagged


@pytest.mark.parametrize("text, number", [
    ("Call me at +44 20 7946 0958.", "+44 20 7946 0958"),
    ("Kontakt: 0049 30 12345678, Mo-Fr", "0049 30 12345678"),
    ("The office line is +33 (0)1 23 45 67 89.", "+33 (0)1 23 45 67 89"),
    ("Llámame al 612 34 56 78 mañana.", "612 34 56 78"),
    ("Il mio cellulare è (11) 96123-4567.", "(11) 96123-4567"),
    ("text 0086 131 2345 6789 ext. 214 and wait", "0086 131 2345 6789 ext. 214"),
    ('<a href="tel:+81.3.1234.5678">call</a>', "+81.3.1234.5678"),
    # full-width digits and a zero-width space map back to the original characters
    ("Phone: +49 30 １２３４５６７８", "+49 30 １２３４５６７８"),
    ("Phone: +49 30 1234\u200b5678", "+49 30 1234\u200b5678"),
    # national numbers in a list after an international one, or called a number after
    ("Which is a mobile: +34 612 388 042, 612 39 91 73 or (11) 96129-3606?", "612 39 91 73"),
    ("Which is a mobile: +34 612 388 042, 612 39 91 73 or (11) 96129-3606?", "(11) 96129-3606"),
    ("She gave me 512 302 156 as her number.", "512 302 156"),
    ("I keep getting calls from 0501 233 52 95 and 912 365 394.", "912 365 394"),
    ("Is 912 380 110 a landline or a mobile?", "912 380 110"),
    ("If anything is unclear, my number is 09098790104.", "09098790104"),
    ("Rückfragen gern an +49(0) 249746075.", "+49(0) 249746075"),
    # after a phone word, a number that is only possible: a local one, an unassigned area code
    ("erreichbar unter 8126 3352.", "8126 3352"),
    ("Call me: (784)261-0621x392 tonight", "(784)261-0621x392"),
])
def test_examples(rules, text, number):
    start = text.index(number)
    assert (start, start + len(number)) in phone_spans(rules, text)


@pytest.mark.parametrize("text", [
    "Version 10.15.7 shipped on 2023-11-05 at 14:30.",
    "Order 612345678 costs 1.234,56 EUR.",
    "Contact me about invoice 2024-0012345 please.",
    "Call stack depth 1234567 exceeded at line 88.",
    "x = 3.14159265358979",
    # a phone word near numbers that are not phone numbers
    "The API call returned 1234567890 rows.",
    "Call at 10.15.2023 12:30",
    "mobile app version 2.13.1034 build 2024061801",
    "Text 2 of 5: the total was 345 678 912 units.",
    "Contact the team, ticket 4521-883-201.",
    "Tickets 2024, 2025 and 2026 were sold out.",
    "Is 1,234,567 a prime number?",
])
def test_not_phones(rules, text):
    assert phone_spans(rules, text) == []
