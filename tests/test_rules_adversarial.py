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
from ptmo_middleware.types import SensitivityLevel

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
    "tag-characters": ("pass\U000E0041word: hunter22", "PASSWORD", "hunter22"),
    "variation-selector": ("key AKIA\ufe0fIOSFODNN7EXAMPLE", "API_KEY", "AKIA\ufe0fIOSFODNN7EXAMPLE"),
    "lone-surrogate": ("card 4111\ud83d1111 1111 1111 ok", "CREDIT_CARD", "4111\ud83d1111 1111 1111"),
    "soft-hyphen": ("IBAN DE89\u00ad3704\u00ad0044\u00ad0532\u00ad0130\u00ad00", "IBAN_CODE",
                    "DE89\u00ad3704\u00ad0044\u00ad0532\u00ad0130\u00ad00"),
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
    # the type may differ when the random prefix reads as a keyword ("H@SŁ0" is "hasło",
    # Polish for password), and another span may cover it too ("+ 219-09-9999" is also
    # a phone number); what matters is that a PRIVATE span covers the whole value
    covering = [s for s in rules.classify(text) if s.start <= text.index(disguised) and
                text.index(disguised) + len(disguised) <= s.end]
    assert any(s.level is SensitivityLevel.PRIVATE for s in covering)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300))
def test_any_unicode_text_classifies_with_valid_offsets(rules, text):
    for s in rules.classify(text):
        assert 0 <= s.start < s.end <= len(text) and text[s.start:s.end] == s.text


MORE_CASES = {
    # leetspeak and look-alikes in key words, and look-alike letters inside values
    "leet-secret-token": ("$3cr37 70k3n: Copper!3356 ok", "SECRET_TOKEN", "Copper!3356"),
    "leet-access-key": ("@cc3s5 k3y = 8BmVHjYubPTD*!8C", "SECRET_TOKEN", "8BmVHjYubPTD*!8C"),
    "leet-api-key": ("My ap1 k3y is tulip-harbor-51.", "API_KEY", "tulip-harbor-51"),
    "homoglyph-value-key": ("Uѕе thіѕ kеу: sk-рrој-CΟG-qwrVCΗp_ZΕzFh4b0рLΕdрN1Ρ4ZFdb8", "API_KEY",
                            "sk-рrој-CΟG-qwrVCΗp_ZΕzFh4b0рLΕdрN1Ρ4ZFdb8"),
    "greek-capitals-aws": ("Mу ΑPI kеу іѕ ΑKIΑT1IΤΚΧFΚ8LΜ5Ε4JΜ", "API_KEY", "ΑKIΑT1IΤΚΧFΚ8LΜ5Ε4JΜ"),
    "homoglyph-is": ("Thе logіn pаѕswоrd іѕ maple-falcon-𝟏𝟓.", "PASSWORD", "maple-falcon-𝟏𝟓"),
    # values split into short groups, after a keyword
    "split-aws-key": ("use this key: A-K-I-A-0-L-D-X-1-Z-W-S-9-9-B-0-V-4-B-U (keep it)", "API_KEY",
                      "A-K-I-A-0-L-D-X-1-Z-W-S-9-9-B-0-V-4-B-U"),
    "split-groq-key": ("The secret key is gsk_ . GwLn . j6Ue . qFbk . 9Ig1 . ZyXb . BeMW\nWhy?", "API_KEY",
                       "gsk_ . GwLn . j6Ue . qFbk . 9Ig1 . ZyXb . BeMW"),
    "split-iban-lines": ("wire it to IBAN DE\n89\n37\n04\n00\n44\n05\n32\n01\n30\n00. Thanks", "IBAN_CODE",
                         "DE\n89\n37\n04\n00\n44\n05\n32\n01\n30\n00"),
    "split-iban-spaced": ("my IBAN is D E 8 9 3 7 0 4 0 0 4 4 0 5 3 2 0 1 3 0 0 0 (keep it)", "IBAN_CODE",
                          "D E 8 9 3 7 0 4 0 0 4 4 0 5 3 2 0 1 3 0 0 0"),
    "split-ssn-odd-groups": ("My SSN is 2190 - 9999 - 9\nWhat now?", "US_SSN", "2190 - 9999 - 9"),
    "split-card-triples": ("Card: 411 111 111 111 111 1. Thanks", "CREDIT_CARD", "411 111 111 111 111 1"),
    "split-password-fragments": ("Password: viol et-t ulip -52. Suggest a name.", "PASSWORD", "viol et-t ulip -52"),
    "split-password-lines": ("My password is orbi\nt-tu\nlip-\n65\nSummarise Hamlet.", "PASSWORD", "orbi\nt-tu\nlip-\n65"),
    # passwords cut into short fragments with one repeated separator
    "split-password-double-blanks": ("Pwd = Or  bi  t*  51  99\nWhat is it?", "PASSWORD", "Or  bi  t*  51  99"),
    "split-password-spaced-dots": ("Password: Vio . let . #42 . 65. Write a haiku.", "PASSWORD",
                                   "Vio . let . #42 . 65"),
    "split-password-dash-fragment": ("my password is s  a  b  l  e  -  v  i  o  l  e  t  -  9  0 (keep it safe).",
                                     "PASSWORD", "s  a  b  l  e  -  v  i  o  l  e  t  -  9  0"),
    "split-password-star-fragment": ("pwd = V  i  o  l  e  t  *  1  2  2  7 (keep it safe).", "PASSWORD",
                                     "V  i  o  l  e  t  *  1  2  2  7"),
    "split-password-word-pieces": ("password: tu li p- ma pl e- 91 (keep it safe).", "PASSWORD",
                                   "tu li p- ma pl e- 91"),
    "split-password-be-or": ("My password is Em be r# or bi t- 53. Suggest a name.", "PASSWORD",
                             "Em be r# or bi t- 53"),
    "split-password-symbols-first": ("my password is !7gl 49LM ?p3p (keep it safe).", "PASSWORD", "!7gl 49LM ?p3p"),
    "split-password-letters-only": ("My password is QPM\nreU\nwHr\neZl. Thanks", "PASSWORD", "QPM\nreU\nwHr\neZl"),
    "split-password-single-chars": ("Password: E . m . b . e . r . # . 9 . 0 . 2 . 6. Why?", "PASSWORD",
                                    "E . m . b . e . r . # . 9 . 0 . 2 . 6"),
    # keys cut into equal chunks by a separator the key itself holds
    "split-key-newline-chunks": ("Use this key: sk-\npro\nj-5\nlyX\nl07\nUjU\nBUG\nOAu\nTGN\neuQ\ntiG\ns\nWhat now?",
                                 "API_KEY", "sk-\npro\nj-5\nlyX\nl07\nUjU\nBUG\nOAu\nTGN\neuQ\ntiG\ns"),
    "split-key-spaced-dashes": ("My API key is xox - b-2 - 367 - 818 - 166 - 9-9 - -Qg - T1A - m. Thanks.", "API_KEY",
                                "xox - b-2 - 367 - 818 - 166 - 9-9 - -Qg - T1A - m"),
    "split-key-dashes": ("Use this key: xo-xb--6-67-06-92-32-60--G-TZ-7J-0n-cv-3v. Translate it.", "API_KEY",
                         "xo-xb--6-67-06-92-32-60--G-TZ-7J-0n-cv-3v"),
    "split-key-single-chars": ("The secret key is s - k - - - w - i - 2 - P - x - w - J - U - H - s - U - r - 4 - N - "
                               "9 - U - w - M - p - k\nThanks", "API_KEY",
                               "s - k - - - w - i - 2 - P - x - w - J - U - H - s - U - r - 4 - N - 9 - U - w - M - p - k"),
    "account-number": ("my account - 828 303255 833 and the other", "US_BANK_NUMBER", "828 303255 833"),
    # encoded secrets
    "base64-announced": ("Here it is in base64: cXVhcnR6LXZpb2xldC04OQ==. Why?", "SECRET_TOKEN",
                         "cXVhcnR6LXZpb2xldC04OQ=="),
    "hex-card": ("Decode 34313131313131313131313131313131 later", "SECRET_TOKEN", "34313131313131313131313131313131"),
    "base64-aws-key": ("keep QUtJQUlPU0ZPRE5ON0VYQU1QTEU= safe", "SECRET_TOKEN", "QUtJQUlPU0ZPRE5ON0VYQU1QTEU="),
    # table columns named by their header
    "table-password": ("| name | password |\n|---|---|\n| Ann | violet-maple-77 |\n", "PASSWORD", "violet-maple-77"),
    "csv-password": ("name,ssn,password\nJohn,219-09-9999,violet maple\nAnn,123-45-6789,sable7\n", "PASSWORD",
                     "violet maple"),
    "tsv-email": ("id\temail\tphone\n1\tjane@x.io\t+33 6 12 34 56 78\n", "EMAIL_ADDRESS", "jane@x.io"),
    "table-leet-header": ("| user | p@ssw0rd | e-mail |\n| --- | --- | --- |\n| bob | hunter two | b@x.io |",
                          "PASSWORD", "hunter two"),
}


@pytest.mark.parametrize("case", sorted(MORE_CASES))
def test_disguised_values_detected(rules, case):
    text, etype, value = MORE_CASES[case]
    assert value in spans_of(rules, text, etype)


@pytest.mark.parametrize("text", [
    "| key | value |\n|---|---|\n| color | blue |\n| size | 3 |",            # key/value tables stay
    "| x | sin | cos |\n|---|---|---|\n| 0 | 0 | 1 |",
    "| token | pos |\n|---|---|\n| the | DET |",
    "Fields: name, email, phone\nWe met on Monday, Tuesday, and Friday.",
    "| name | email |\n|---|---|\n| Ann | n/a |\n| Bob | (ask him) |",
    "Convert this git hash to base64? 3f786850e387550fdab836ed7e6dc881de23001b",
    "The card game has 52 cards in 4 suits of 13 cards each.",
    "Account settings: open the account menu and press 2 then 3 then 4.",
    "The key is to practice daily, and the secret is consistency.",
    "Мой пароль слишком простой, как придумать надёжный?",
])
def test_disguise_detectors_leave_ordinary_text_alone(rules, text):
    assert [(s.entity_type, s.text) for s in rules.classify(text)] == []


@pytest.mark.parametrize("text", [
    "my password is too short, what should I do?",
    "My password is 12 or 16 characters long, is that enough?",
    "The password is in the drawer next to the fridge.",
    "my password is on a sticky note, is that bad?",
    "password: 8 to 12 chars, one digit, one symbol",
    "my password is a b c d, it is easy to guess",
    "My password is my dog's name plus 12, is it safe?",
    "The password is 4 or 5 words long in passphrase style.",
    "Password - at least 8 characters, 1 uppercase, 1 number.",
    "My password is 2 years old and I want to change it.",
    "password: see the vault, ask Bob",
    "My password is all lower case, how do I add a symbol?",
    "pwd = 10 or more chars recommended",
    "Password is X for now, we change it in Q3 to a new one",
    "My password is like 20 chars with $ and % in it",
    "Password: N/A",
    "The key is to practice daily: xo xo xo and ab cd ef.",
])
def test_prose_after_a_password_keyword_is_not_joined_into_a_password(rules, text):
    assert [(s.entity_type, s.text) for s in rules.classify(text)] == []


def test_words_after_a_password_keyword_are_not_joined(rules):
    """A capitalised word may be taken for the password (as "dragon" is), but the words
    after it are prose, not fragments of it."""
    text = "the password is Early sign war claim standard blue share."
    assert all(" " not in s.text for s in rules.classify(text))
