"""Values spelled out in number words, disclosed in pieces, given as a wallet seed phrase,
or repeated in another form in a later turn: kept out of the cloud payload by the rules
router (held-out wording measured against a threshold), ordinary prompts left alone."""
from __future__ import annotations

import random

import pytest

from ptmo_middleware import PrivacyRouter
from ptmo_middleware.config import Settings
from ptmo_middleware.number_words import spelled_digits, spelled_runs
from ptmo_middleware.plugins.classifiers.rules import RulesClassifier
from ptmo_middleware.plugins.classifiers.seed_phrases import checksum_ok, wordlist
from ptmo_middleware.types import SensitivityLevel
from ptmo_middleware.value_propagation import canonical_form

import spelled_corpus as corpus


@pytest.fixture(scope="module")
def router() -> PrivacyRouter:
    return PrivacyRouter(classifiers=["rules"])


@pytest.fixture(scope="module")
def rules() -> RulesClassifier:
    return RulesClassifier(Settings())


def typed(rules: RulesClassifier, text: str) -> list[tuple[str, str]]:
    """(entity type, text) of the spans of ``text``, checking offsets and levels."""
    out = []
    for s in rules.classify(text):
        assert text[s.start:s.end] == s.text
        out.append((s.entity_type, s.text))
    return out


# -- the corpus: held wording must be protected, tune wording too ---------------------------
@pytest.mark.parametrize("kind", sorted(corpus.KINDS))
@pytest.mark.parametrize("family", ["tune", "held"])
def test_corpus_values_stay_local(router, kind, family):
    rate, bad = corpus.leak_rate(router, kind, family)
    assert 1 - rate >= 0.95, [c.turns[-1][-1] for c in bad]


def test_negatives_are_left_alone(router):
    rate, bad = corpus.flagged_negatives(router)
    assert len(corpus.negatives()) >= 150
    assert rate <= 0.03, bad


# -- number words -----------------------------------------------------------------------------
@pytest.mark.parametrize("text, digits", [
    ("five five one nine", "5519"),
    ("one two three, four five, six seven eight nine", "123456789"),
    ("oh four double seven", "0477"),
    ("triple nine one", "9991"),
    ("fifty-five nineteen", "5519"),
    ("fünf fünf eins neun", "5519"),
    ("cinq cinq un neuf", "5519"),
    ("cinco cinco uno nueve", "5519"),
])
def test_number_words_read_as_digits(text, digits):
    assert spelled_digits(text) == digits


def test_number_words_need_two_in_a_row():
    assert list(spelled_runs("i have two kids and three cats")) == []
    assert list(spelled_runs("someone has gone home")) == []


@pytest.mark.parametrize("text, etype, value", [
    ("my pin is five five one nine", "PASSWORD", "five five one nine"),
    ("My PIN is oh four double seven.", "PASSWORD", "oh four double seven"),
    ("meine PIN ist fünf fünf eins neun", "PASSWORD", "fünf fünf eins neun"),
    ("mon code pin est cinq cinq un neuf", "PASSWORD", "cinq cinq un neuf"),
    ("mi pin es cinco cinco uno nueve", "PASSWORD", "cinco cinco uno nueve"),
    ("my ssn is one two three, four five, six seven eight nine", "US_SSN",
     "one two three, four five, six seven eight nine"),
    ("card number four one one one, one one one one, one one one one, one one one one", "CREDIT_CARD",
     "four one one one, one one one one, one one one one, one one one one"),
    ("write it down: two one nine, oh five, four four three one", "US_SSN", "two one nine, oh five, four four three one"),
])
def test_spelled_values_are_masked_whole(rules, text, etype, value):
    assert (etype, value) in typed(rules, text)


@pytest.mark.parametrize("text", [
    "I have two kids and three cats.",
    "Count with me: one two three four five six seven eight nine ten.",
    "Countdown: ten nine eight seven six five four three two one, liftoff!",
    "My PIN needs to be four digits; what is a good way to remember it?",
    "Add two cups of flour, one egg, three spoons of sugar.",
    "Les nombres: un deux trois quatre cinq six sept huit neuf dix.",
    "The account has one hundred twenty dollars and four five six seven items.",
    "Call me at nine one one if something goes wrong.",
])
def test_ordinary_number_words_are_left_alone(rules, text):
    assert typed(rules, text) == []


def test_a_cued_counting_pin_is_still_a_pin(rules):
    assert ("PASSWORD", "one two three four") in typed(rules, "my pin is one two three four")


# -- partial disclosures ----------------------------------------------------------------------
@pytest.mark.parametrize("text, etype, pieces", [
    ("my social starts 08144 and the last four are 7390", "US_SSN", ["08144", "7390"]),
    ("the first half of my password is hunter and the second half is 2secret", "PASSWORD", ["hunter", "2secret"]),
    ("my IBAN starts DE89 3704 and ends 3000", "IBAN_CODE", ["DE89 3704", "3000"]),
    ("my card starts with 4111 1111 and ends with 1111", "CREDIT_CARD", ["4111 1111", "1111"]),
])
def test_pieces_of_an_identifier_are_masked(rules, text, etype, pieces):
    found = typed(rules, text)
    for p in pieces:
        assert any(v == p for _, v in found), (p, found)
    assert any(t == etype for t, _ in found)


@pytest.mark.parametrize("text", [
    "My card ending in 4242 was declined, why?",
    "The password must start with a letter and end with a digit.",
    "The social worker said the first half of the meeting starts at nine.",
    "We scored three goals in the first half and one in the second half.",
    "Our account starts in 2019 and ends in 2024.",
    "The first half of the password manager course is free and the second half is paid.",
    "The card game starts with seven cards and ends with 52 cards played.",
])
def test_a_card_tail_alone_and_prose_are_left_alone(rules, text):
    assert typed(rules, text) == []


# -- seed phrases -----------------------------------------------------------------------------
#: A generated phrase (the all-zero test vector "abandon ... about" is public, and a
#: phrase of one repeated word is not taken for a seed phrase).
SEED = " ".join(corpus.seed_phrase(random.Random(7)))


def test_the_bip39_list_is_the_standard_one():
    words = wordlist()
    assert len(words) == 2048 and words[0] == "abandon" and words[-1] == "zoo"
    assert checksum_ok(SEED.split())
    assert not checksum_ok(SEED.split()[:-1] + ["abandon"])


def test_a_seed_phrase_is_crypto_and_private(rules):
    spans = rules.classify(f"my recovery phrase: {SEED}")
    assert [(s.entity_type, s.text, s.level) for s in spans] == [("CRYPTO", SEED, SensitivityLevel.PRIVATE)]


def test_a_seed_phrase_without_a_cue_is_found_by_its_checksum(rules):
    assert typed(rules, SEED) == [("CRYPTO", SEED)]


def test_list_words_in_a_sentence_are_left_alone(rules):
    text = "Write a short poem about an eagle above the ocean, a brave captain and a castle in autumn."
    assert typed(rules, text) == []


# -- the same value in another form later ------------------------------------------------------
@pytest.mark.parametrize("value, form", [
    ("176-02-1791", "176021791"), ("4111 1111 1111 1111", "4111111111111111"),
    ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"), ("five five one nine", "5519"),
    ("hunter2", None), ("12", None),
])
def test_canonical_forms(value, form):
    assert canonical_form(value) == form


@pytest.mark.parametrize("second", [
    "Did I give you the right one? 176021791",
    "again: 176 02 1791",
    "Spell it out: one seven six, zero two, one seven nine one",
])
def test_a_masked_value_is_found_in_another_form_later(router, second):
    router.plan("My SSN is 176-02-1791.", conversation_id=f"forms-{second}")
    plan = router.plan([{"role": "user", "content": "My SSN is 176-02-1791."},
                        {"role": "assistant", "content": "Noted."},
                        {"role": "user", "content": second}], conversation_id=f"forms-{second}")
    cloud = "\n".join(m.content for m in plan.cloud_messages)
    assert "1791" not in cloud and "one seven nine one" not in cloud, cloud


def test_a_spelled_pin_is_found_as_digits_later(router):
    router.plan("my pin is five five one nine", conversation_id="spelled-pin")
    plan = router.plan("was it 5519 or 5591?", conversation_id="spelled-pin")
    cloud = plan.cloud_messages[-1].content
    assert "5519" not in cloud and "5591" in cloud


def test_a_repeated_word_is_no_seed_phrase():
    """Twelve times the same list word can pass the checksum by chance; it is no phrase."""
    from ptmo_middleware.plugins.classifiers.seed_phrases import checksum_ok

    repeated = [" ".join(["word"] * n) for n in range(12, 30)]
    assert any(checksum_ok(t.split()[:12]) for t in repeated)  # the chance the rule guards against
    router = PrivacyRouter(classifiers=["rules"])
    assert all(router.plan(t).cloud_payloads == [t] for t in repeated)
