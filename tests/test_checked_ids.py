"""Checked national, tax and health identifiers and medical record numbers (rules)."""
from __future__ import annotations

from collections import defaultdict

import pytest

from ptmo_middleware.router import PrivacyRouter
from ptmo_middleware.types import SensitivityLevel

from identifiers_corpus import identifier_cases, negative_prompts

CASES = identifier_cases()
KINDS = sorted({c.kind for c in CASES})


@pytest.fixture(scope="module")
def router() -> PrivacyRouter:
    return PrivacyRouter(classifiers=["rules"])


def _private(router: PrivacyRouter, text: str):
    return [s for s in router.classify(text).spans if s.level == SensitivityLevel.PRIVATE]


def _covered(router: PrivacyRouter, text: str, value: str) -> bool:
    i = text.find(value)
    assert i >= 0
    return any(s.start <= i and s.end >= i + len(value) for s in _private(router, text))


@pytest.mark.parametrize("family", ["held", "tune"])
def test_each_kind_is_covered(router, family):
    hits: dict[str, list[bool]] = defaultdict(list)
    for c in CASES:
        if c.family == family:
            hits[c.kind].append(_covered(router, c.text, c.value))
    low = {k: f"{sum(v)}/{len(v)}" for k, v in hits.items() if sum(v) < 0.95 * len(v)}
    assert set(hits) == set(KINDS)
    assert not low, low


def test_numbers_that_are_no_identifiers_stay_clear(router):
    prompts = negative_prompts()
    assert len(prompts) >= 100
    flagged = [p for p in prompts if _private(router, p)]
    assert len(flagged) <= 0.03 * len(prompts), flagged[:5]


@pytest.mark.parametrize("text, value, etype", [
    ("Meine Steuer-ID ist 86 753 090 129, bitte eintragen.", "86 753 090 129", "GOV_ID"),
    ("Bitte prüfen: 86 753 090 129", "86 753 090 129", "GOV_ID"),
    ("Patient NHS number 960 446 4973, seen on Monday.", "960 446 4973", "UK_NHS"),
    ("PID|1||123456^^^HOSP^MR||DOE^JOHN||19800101|M", "123456", "MEDICAL_RECORD_NUMBER"),
    ('{"resourceType": "Patient", "identifier": [{"type": {"coding": [{"code": "MR"}]}, '
     '"value": "00451236"}]}', "00451236", "MEDICAL_RECORD_NUMBER"),
    ('{"identifier": [{"value": "A77120", "type": {"coding": [{"code": "MR"}]}}]}', "A77120",
     "MEDICAL_RECORD_NUMBER"),
    ("Her MBI is 1EG4-TE5-MK73.", "1EG4-TE5-MK73", "GOV_ID"),
    ("주민등록번호 800101-1234560 확인 부탁드립니다", "800101-1234560", "GOV_ID"),
])
def test_examples(router, text, value, etype):
    i = text.index(value)
    assert any(s.start <= i and s.end >= i + len(value) and s.entity_type == etype
               for s in _private(router, text)), router.classify(text).spans


@pytest.mark.parametrize("text", [
    "The ratio sin(0.5) * 130692544 overflows.",                 # Luhn-valid, "sin" is the sine
    "Order 9604464973 shipped on Monday.",                      # NHS-valid, no NHS cue
    "Values: 8675 3090 129 and 2024-01-15.",                    # Steuer-ID digits, wrong grouping
    "PID controller gains: P=1.2, I=0.4, D=0.01 for loop 123456",
])
def test_valid_digits_without_a_cue_are_left_alone(router, text):
    assert not _private(router, text)


def test_text_without_digits_is_cheap():
    from ptmo_middleware.plugins.classifiers.checked_ids import checked_ids
    from ptmo_middleware.plugins.classifiers.normalize import normalize
    assert list(checked_ids(normalize("My Aadhaar and my NHS number are on the card."))) == []


@pytest.mark.parametrize("text, value", [
    ("Meine Steuer-ID ist 12 345 678 901.", "12 345 678 901"),
    ("My Aadhaar is 2341 2345 6789", "2341 2345 6789"),
])
def test_a_number_right_after_its_name_is_taken_even_when_its_check_fails(router, text: str, value: str) -> None:
    assert _covered(router, text, value)
