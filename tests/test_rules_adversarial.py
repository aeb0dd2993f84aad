"""Adversarial spellings the rules classifier must see through, with spans landing on
the original characters: split digits, invisible characters, full-width forms,
homoglyph and leetspeak keywords (issues 3 and 9)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ptmo_middleware import PrivacyRouter
from ptmo_middleware.config import Settings
from ptmo_middleware.plugins.classifiers.normalize import INVISIBLE, normalize
from ptmo_middleware.plugins.classifiers.rules import RulesClassifier

ZW = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
BIDI = ["\u202e", "\u202d", "\u2066", "\u2069", "\u200f"]


@pytest.fixture(scope="module")
def rules() -> RulesClassifier:
    return RulesClassifier(Settings())


def spans_of(rules: RulesClassifier, text: str, etype: str) -> list[str]:
    out = []
    for s in rules.classify(text):
        assert text[s.start:s.end] == s.text
        if s.entity_type == etype:
            out.append(s.text)
    return out


CASES = {
    # digits split by spaces, dashes, dots, newlines
    "split-mixed": ("card 4111 1111-1111.1111 ok", "CREDIT_CARD", "4111 1111-1111.1111"),
    "split-newlines": ("card\n4111\n1111\n1111\n1111\nthanks", "CREDIT_CARD", "4111\n1111\n1111\n1111"),
    "split-every-digit": ("4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 is it", "CREDIT_CARD", "4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"),
    "split-pairs": ("41 11 11 11 11 11 11 11", "CREDIT_CARD", "41 11 11 11 11 11 11 11"),
    "split-double-separators": ("4111 - 1111 - 1111 - 1111", "CREDIT_CARD", "4111 - 1111 - 1111 - 1111"),
    "ssn-dots": ("ssn 123.45.6789", "US_SSN", "123.45.6789"),
    "ssn-newlines": ("ssn\n123\n45\n6789", "US_SSN", "123\n45\n6789"),
    "iban-dashes": ("DE89-3704-0044-0532-0130-00", "IBAN_CODE", "DE89-3704-0044-0532-0130-00"),
    # zero-width characters inside values
    "zw-card": ("4111\u200b1111\u200b1111\u200b1111", "CREDIT_CARD", "4111\u200b1111\u200b1111\u200b1111"),
    "zw-password": ("my password is sec\u200dret\u200c99", "PASSWORD", "sec\u200dret\u200c99"),
    "zw-keyword": ("pass\u200bword: hunter22", "PASSWORD", "hunter22"),
    "zw-api-key": ("AKIA\u2060IOSFODNN7EXAMPLE", "API_KEY", "AKIA\u2060IOSFODNN7EXAMPLE"),
    "zw-email": ("mail jane\ufeff@example.org", "EMAIL_ADDRESS", "jane\ufeff@example.org"),
    "zw-ssn": ("123-45\u200b-6789", "US_SSN", "123-45\u200b-6789"),
    # bidi controls inside values
    "bidi-card": ("5555\u202e5555\u202c5555\u20664444", "CREDIT_CARD", "5555\u202e5555\u202c5555\u20664444"),
    "bidi-key": ("ghp_0123456789\u2066abcdefghijklmnopqrstuvwxyz", "API_KEY",
                 "ghp_0123456789\u2066abcdefghijklmnopqrstuvwxyz"),
    # full-width digits and letters (NFKC)
    "fullwidth-card": ("４１１１ １１１１ １１１１ １１１１", "CREDIT_CARD", "４１１１ １１１１ １１１１ １１１１"),
    "fullwidth-keyword": ("ｐａｓｓｗｏｒｄ： ｈｕｎｔｅｒ２", "PASSWORD", "ｈｕｎｔｅｒ２"),
    "fullwidth-email": ("ｊａｎｅ＠ｅｘａｍｐｌｅ．ｏｒｇ", "EMAIL_ADDRESS", "ｊａｎｅ＠ｅｘａｍｐｌｅ．ｏｒｇ"),
    "fullwidth-key": ("ＡＫＩＡＩＯＳＦＯＤＮＮ７ＥＸＡＭＰＬＥ", "API_KEY", "ＡＫＩＡＩＯＳＦＯＤＮＮ７ＥＸＡＭＰＬＥ"),
    "arabic-indic-digits": ("٤١١١ ١١١١ ١١١١ ١١١١", "CREDIT_CARD", "٤١١١ ١١١١ ١١١١ ١١١١"),
    # homoglyphs in keywords (Cyrillic а, о, р, е, с; Greek ο)
    "cyrillic-a": ("my pаssword is cyr123", "PASSWORD", "cyr123"),
    "cyrillic-many": ("раsswоrd: tr1cky", "PASSWORD", "tr1cky"),
    "greek-omicron": ("passwοrd = gr33k", "PASSWORD", "gr33k"),
    "cyrillic-upper": ("PАSSWОRD: Upper99", "PASSWORD", "Upper99"),
    # leetspeak keywords
    "leet-at-zero": ("p@ssw0rd is hunter2", "PASSWORD", "hunter2"),
    "leet-zero": ("passw0rd: letmein", "PASSWORD", "letmein"),
    "leet-dollar": ("pa$$word = s3cr3t!", "PASSWORD", "s3cr3t!"),
    "leet-digits": ("P455W0RD: Leet4ever", "PASSWORD", "Leet4ever"),
    "leet-pin": ("my p1n is 9921", "PASSWORD", "9921"),
    # combinations
    "zw-and-fullwidth": ("４１１１\u200b１１１１ １１１１\u200d１１１１", "CREDIT_CARD", "４１１１\u200b１１１１ １１１１\u200d１１１１"),
    "homoglyph-and-zw": ("pаss\u200bwоrd: combo77", "PASSWORD", "combo77"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_adversarial_spelling_detected_with_original_offsets(rules, case):
    text, etype, value = CASES[case]
    assert value in spans_of(rules, text, etype)


@pytest.mark.parametrize("case", ["zw-password", "zw-card", "fullwidth-card", "leet-at-zero", "cyrillic-a"])
def test_adversarial_values_never_reach_the_cloud(case):
    text, _, value = CASES[case]
    plan = PrivacyRouter(classifiers=["rules"]).plan(text + " What is Python?")
    folded = normalize(value).text
    for payload in plan.cloud_payloads:
        assert value not in payload and folded not in normalize(payload).text


def test_working_string_maps_back():
    text = "a\u200bｂ\u202ec٣"
    norm = normalize(text)
    assert norm.text == "abc3"
    assert norm.to_original(0, 4) == (0, len(text))
    assert norm.to_original(1, 2) == (2, 3)            # "ｂ"
    assert norm.to_original(3, 4) == (5, 6)            # "٣"
    assert normalize("plain ascii").index is None
    assert all(normalize(ch).text == "" for ch in INVISIBLE)


def test_expanding_compatibility_characters_map_to_whole_originals():
    text = "ﬁle ½ done"                                  # ligature and vulgar fraction expand
    norm = normalize(text)
    assert norm.text.startswith("file")
    start, end = norm.to_original(0, 2)                # "fi" comes from one character
    assert text[start:end] == "ﬁ"


VALUES = [("CREDIT_CARD", "4111111111111111"), ("CREDIT_CARD", "5555555555554444"),
          ("US_SSN", "219-09-9999"), ("API_KEY", "AKIAIOSFODNN7EXAMPLE"),
          ("IBAN_CODE", "DE89370400440532013000")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.sampled_from(VALUES),
       noise=st.lists(st.sampled_from(ZW + BIDI), min_size=1, max_size=4),
       seed=st.randoms(use_true_random=False),
       before=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30),
       after=st.text(alphabet=" abcdefxyz.,!?", max_size=30))
def test_invisible_characters_anywhere_inside_a_value(rules, value, noise, seed, before, after):
    etype, raw = value
    chars = list(raw)
    for mark in noise:
        chars.insert(seed.randint(1, len(chars) - 1), mark)
    disguised = "".join(chars)
    text = f"{before} {disguised} {after}"
    assert disguised in spans_of(rules, text, etype)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300))
def test_any_unicode_text_classifies_with_valid_offsets(rules, text):
    for s in rules.classify(text):
        assert 0 <= s.start < s.end <= len(text) and text[s.start:s.end] == s.text
