"""Stated PINs and codes whose digits may be spaced (the Secret Sharer canary
"my PIN for account 3 is 4 8 1 5 1 6" went to the cloud in clear): detections with exact
original offsets, the prose about PINs that must stay unmasked, and the planted value
kept out of the cloud payload by the rules router and by the full default router."""
from __future__ import annotations

import time

import pytest

from ptmo_middleware import PrivacyRouter
from ptmo_middleware.config import Settings
from ptmo_middleware.plugins.classifiers.rules import RulesClassifier
from ptmo_middleware.types import SensitivityLevel


@pytest.fixture(scope="module")
def rules() -> RulesClassifier:
    return RulesClassifier(Settings())


def pins(rules: RulesClassifier, text: str) -> list[str]:
    """The PASSWORD spans of ``text`` (checking their offsets and level)."""
    out = []
    for s in rules.classify(text):
        assert text[s.start:s.end] == s.text, (s, text)
        if s.entity_type == "PASSWORD":
            assert s.level is SensitivityLevel.PRIVATE
            out.append(s.text)
    return out


CANARIES = [
    # the canary template of the attack run, at 3, 4 and 6 digits
    ("my PIN for account 3 is 4 8 1", "4 8 1"),
    ("my PIN for account 3 is 4 8 1 5", "4 8 1 5"),
    ("my PIN for account 3 is 4 8 1 5 1 6", "4 8 1 5 1 6"),
    ("my PIN for account 3 is 4 8 1 5 1 6. What is the weather like?", "4 8 1 5 1 6"),
    # other qualifiers, keywords and separators
    ("the PIN of my card is 48-15-16", "48-15-16"),
    ("PIN to the garage: 9 9 1 2", "9 9 1 2"),
    ("PIN number is 1 2 3", "1 2 3"),
    ("my pin code = 4.8.1.5", "4.8.1.5"),
    ("the security code of my card is 48-15-16.", "48-15-16"),
    ("CVV: 123", "123"),
    ("cvv2 is 9 1 2", "9 1 2"),
    ("the verification code is 4 8 1 5 1 6, enter it fast", "4 8 1 5 1 6"),
    ("passcode for the alarm was 1 9 8 4", "1 9 8 4"),
    ("my PIN is 481", "481"),
    ("my PIN is 4815 16 for the door", "4815 16"),
    ("security code = 481.516", "481.516"),
    ("my password is 4 8 1 5", "4 8 1 5"),
    # languages the password keywords support
    ("mein PIN ist 4 8 1 5", "4 8 1 5"),
    ("mon code pin est 7 7 3 1", "7 7 3 1"),
    ("mi código de seguridad es 3 3 1", "3 3 1"),
    ("我的验证码是 4 8 1 5", "4 8 1 5"),
]


@pytest.mark.parametrize("text,value", CANARIES)
def test_stated_pins_with_spaced_digits(rules, text, value):
    assert value in pins(rules, text)


def test_offsets_cover_exactly_the_digits_in_the_original(rules):
    text = "my PIN for account 3 is \uff14 \uff18\u200b\uff11 \uff15 \uff11 \uff16 ok"   # full-width, zero-width
    (span,) = [s for s in rules.classify(text) if s.entity_type == "PASSWORD"]
    assert (span.start, span.end) == (text.index("\uff14"), text.index(" ok"))
    text = "PIN for account 3 is 4 8 1 5 1 6!"
    (span,) = rules.classify(text)
    assert (span.start, span.end, span.text) == (21, 32, "4 8 1 5 1 6")


NOT_PINS = [
    "PIN 2 of the connector",
    "PIN 2 of the connector is loose",
    "the PIN is 3 pins long",
    "CVV is 3 digits",
    "the CVV is 3 or 4 digits long",
    "my pin code changed 2 years ago",
    "PIN for account 3 is",
    "PIN for account 3 is unknown",
    "the pin of the regulator is 12.5 V",
    "pin 7 is 3 3 V and pin 8 is ground",
    "the PIN is 4 to 6 digits long",
    "the PIN was 12 characters",
    "the pin of the header is 2.54 mm",
    "my PIN is 4 8 1 5 1 6 1 2 3 4 5 6 7 8",     # 14 digits: not a PIN
    "PIN is 4 8-1 5",                            # mixed separators
    "the PIN is 12",                             # two digits
]


@pytest.mark.parametrize("text", NOT_PINS)
def test_prose_about_pins_is_not_masked(rules, text):
    assert pins(rules, text) == []


@pytest.mark.parametrize("text", [
    "pin: " + "1 " * 100_000,
    ("PIN for account 3 is 4 8 1 5 1 6 " * 5_000),
    "cvv is " + "1" * 200_000,
])
def test_pin_runs_stay_linear(rules, text):
    t0 = time.perf_counter()
    rules.classify(text)
    # A generous bound: catastrophic backtracking takes minutes, linear scans well under a second.
    assert time.perf_counter() - t0 < 20.0


PLANTED = [("my PIN for account 3 is 4 8 1 5 1 6. What is a good savings rate?", "4 8 1 5 1 6"),
           ("my PIN for account 3 is 4 8 1. What is a good savings rate?", "4 8 1"),
           ("the security code of my card is 48-15-16. Explain CVV checks.", "48-15-16")]


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


def _assert_kept_local(plan, secret: str) -> None:
    assert plan.route.value != "cloud"
    for payload in plan.cloud_payloads:
        assert secret not in payload and _digits(secret) not in _digits(payload)


@pytest.mark.parametrize("text,secret", PLANTED)
def test_planted_pin_never_in_cloud_payload_rules_router(text, secret):
    _assert_kept_local(PrivacyRouter(classifiers=["rules"]).plan(text), secret)


@pytest.fixture(scope="module")
def default_router() -> PrivacyRouter:
    return PrivacyRouter()


@pytest.mark.parametrize("text,secret", PLANTED)
def test_planted_pin_never_in_cloud_payload_default_router(default_router, text, secret):
    _assert_kept_local(default_router.plan(text), secret)


def test_every_repeated_statement_is_found(rules):
    text = "PIN for account 3 is 4 8 1 5 1 6 " * 3
    assert pins(rules, text) == ["4 8 1 5 1 6"] * 3


@pytest.mark.parametrize("digits", [3, 4, 6])
@pytest.mark.parametrize("separator", [" ", ""])
def test_attack_canaries_are_found_whole(rules, digits, separator):
    """The canaries the attack suite plants (its own template and format), at random."""
    import random

    from ptmo_lab.evaluation.attacks import Canary, CanaryFormat
    fmt, rng = CanaryFormat(digits=digits, separator=separator), random.Random(digits)
    for i in range(30):
        canary = Canary(fmt.prefix.format(i=i), fmt.candidate(rng), 1)
        assert pins(rules, canary.text) == [canary.secret], canary.text
