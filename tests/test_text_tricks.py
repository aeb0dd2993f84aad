"""Text tricks that hide values from the rules classifier: control characters inside a
value, a sentence stored reversed under a bidi override (U+202E), and lone surrogates,
which cannot be sent anywhere and are refused up front."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ptmo_middleware import Message, PrivacyRouter, Route, SensitivityLevel
from ptmo_middleware.config import Settings
from ptmo_middleware.errors import InvalidPromptError
from ptmo_middleware.plugins.classifiers.normalize import BLANK_CONTROLS, normalize, readings
from ptmo_middleware.plugins.classifiers.rules import RulesClassifier
from recording_backend import RecordingBackend

RLO, LRO, PDF = "\u202e", "\u202d", "\u202c"

# -- test data: (prompt, the value as written in the prompt) ----------------------------

CONTROL_CASES = {
    "ssn-nul": ("My SSN is 512-38-\x007742", "512-38-\x007742"),
    "ssn-soh": ("My SSN is 512-38\x01-7742. What is a W-2 form?", "512-38\x01-7742"),
    "ssn-escape": ("ssn: 512\x1b-38-7742", "512\x1b-38-7742"),
    "ssn-delete": ("My SSN is 512-38-77\x7f42, can you help with taxes?", "512-38-77\x7f42"),
    "ssn-c1-csi": ("My social security number is 5\x9b12-38-7742.", "5\x9b12-38-7742"),
    "card-nul": ("My card number is 4111 1111\x00 1111 1111. Is Visa accepted?", "4111 1111\x00 1111 1111"),
    "card-bell-backspace": ("card 4111\x071111\x081111\x0e1111 thanks", "4111\x071111\x081111\x0e1111"),
    "card-c1-nel": ("pay with 5555\x855555\x855555\x854444 please", "5555\x855555\x855555\x854444"),
    "password-nul": ("My password is hunt\x00er2secret. What is Python?", "hunt\x00er2secret"),
    "password-unit-separator": ("password: hunter2\x1fsecret", "hunter2\x1fsecret"),
    "password-vertical-tab": ("My password is hun\x0bter2secret", "hun\x0bter2secret"),
}

BIDI_CASES = {
    "rlo-password-sentence": (RLO + "My password is hunter2secret"[::-1], "hunter2secret"[::-1]),
    "rlo-password-then-question": (RLO + "My password is hunter2secret"[::-1] + PDF + " What is Python?",
                                   "hunter2secret"[::-1]),
    "rlo-ssn": ("Hello. " + RLO + "My SSN is 512-38-7742"[::-1] + PDF + " Thanks!", "512-38-7742"[::-1]),
    "rlo-ssn-to-end-of-line": ("Hi\n" + RLO + "ssn: 512-38-7742"[::-1] + "\nWhat is Python?", "512-38-7742"[::-1]),
    "rlo-card": (RLO + "card 4111 1111 1111 1111"[::-1] + PDF, "4111 1111 1111 1111"[::-1]),
    "rlo-and-nul-ssn": (RLO + "My SSN is 512-38-\x007742"[::-1], "512-38-\x007742"[::-1]),
}

_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def plain(text: str) -> str:
    """``text`` without control and bidi characters."""
    return _HIDDEN.sub("", text)


def shown(text: str) -> str:
    """The display-order working string of ``text``."""
    return normalize(text, display=True).text


def assert_not_sent(plan, value: str) -> None:
    """Neither ``value`` (control characters dropped) nor its reverse, nor its run of
    digits, is in any cloud message."""
    value = plain(value)
    digits = re.sub(r"\D", "", value)
    for message in plan.cloud_messages:
        sent = plain(message.content)
        assert value not in sent and value[::-1] not in sent, sent
        if len(digits) >= 6:
            sent_digits = re.sub(r"\D", "", sent)
            assert digits not in sent_digits and digits[::-1] not in sent_digits, sent


def assert_masked_or_local(plan, prompt: str, value: str) -> None:
    start = prompt.index(value)
    end = start + len(value)
    if plan.cloud_messages:
        assert any(s.start <= start and end <= s.end and s.level is SensitivityLevel.PRIVATE
                   for s in plan.spans), plan.spans
        assert plan.placeholders, plan.cloud_payloads
    else:
        assert plan.route is Route.LOCAL


@pytest.fixture
def backends():
    return RecordingBackend("local"), RecordingBackend("cloud")


@pytest.fixture
def router(backends):
    local, cloud = backends
    return PrivacyRouter(local=local, cloud=cloud, classifiers=["rules"])


@pytest.fixture(scope="module")
def rules() -> RulesClassifier:
    return RulesClassifier(Settings())


@pytest.mark.parametrize("case", sorted(CONTROL_CASES) + sorted(BIDI_CASES))
def test_hidden_value_never_reaches_the_cloud(router, case):
    prompt, value = {**CONTROL_CASES, **BIDI_CASES}[case]
    plan = router.plan(prompt)
    assert_not_sent(plan, value)
    assert_masked_or_local(plan, prompt, value)


@pytest.mark.parametrize("case", ["ssn-nul", "password-nul", "rlo-password-then-question", "rlo-ssn"])
def test_hidden_value_never_reaches_the_cloud_backend(router, backends, case):
    prompt, value = {**CONTROL_CASES, **BIDI_CASES}[case]
    router.invoke(prompt)
    _, cloud = backends
    value = plain(value)
    for sent in map(plain, cloud.texts):
        assert value not in sent and value[::-1] not in sent


# -- the working string ---------------------------------------------------------------

def test_control_characters_are_invisible_in_the_working_string():
    text = "My SSN is 512-38-\x007742"
    norm = normalize(text)
    assert norm.text == "My SSN is 512-38-7742"
    start = norm.text.index("512")
    assert norm.to_original(start, start + 11) == (text.index("512"), len(text))
    for ch in "\x00\x01\x08\x0e\x1b\x7f\x80\x9b\x9f":
        assert normalize(f"a{ch}b").text == "ab", repr(ch)
        assert normalize(f"a{ch}é").text == "aé", repr(ch)


def test_white_space_controls_are_spaces_and_glued_in_a_second_reading():
    assert set(BLANK_CONTROLS) == {chr(c) for c in [*range(0x20), *range(0x7f, 0xa0)]
                                   if chr(c).isspace() and chr(c) not in "\t\n\r"}
    for ch in BLANK_CONTROLS:
        assert normalize(f"a{ch}b").text == "a b", repr(ch)
        assert [r.text for r in readings(f"a{ch}b")] == ["a b", "ab"], repr(ch)
        assert normalize(f"a{ch}b", glue=True).to_original(0, 2) == (0, 3)
    assert [r.text for r in readings("plain text")] == ["plain text"]


@pytest.mark.parametrize("ch", list(BLANK_CONTROLS), ids=lambda ch: f"U+{ord(ch):04X}")
@pytest.mark.parametrize("prompt, value", [
    ("My SSN{ch}512-38-7742", "512-38-7742"),             # a keyword, then the value
    ("card{ch}4111 1111 1111 1111", "4111 1111 1111 1111"),
    ("My{ch}password{ch}is{ch}hunter22", "hunter22"),
    ("My SSN is 512-38-{ch}7742", "512-38-{ch}7742"),     # inside the value
    ("my password is hun{ch}ter2secret", "hun{ch}ter2secret"),
], ids=["after-ssn", "after-card", "between-words", "inside-ssn", "inside-password"])
def test_white_space_controls_between_or_inside_values(router, ch, prompt, value):
    prompt, value = prompt.format(ch=ch), value.format(ch=ch)
    plan = router.plan(prompt)
    assert_not_sent(plan, value)
    assert_masked_or_local(plan, prompt, value)


def test_tabs_and_newlines_are_kept():
    text = "Line one\twith a tab\nline two\r\nWhat is Python?"
    norm = normalize(text)
    assert norm.text == text and norm.index is None
    assert normalize("x\u200by\tz\r\n").text == "xy\tz\r\n"


def test_plain_text_with_tabs_and_newlines_goes_unchanged(router):
    text = "Line one\twith a tab\nline two\r\nWhat is Python?"
    plan = router.plan(text)
    assert plan.level is SensitivityLevel.PUBLIC and plan.cloud_payloads == [text]


def test_override_is_read_in_display_order():
    text = "ab" + RLO + "cde" + PDF + "fg"
    assert [r.text for r in readings(text)] == ["abcdefg", "abedcfg"]
    assert normalize(text).text == "abcdefg" and not normalize(text).reordered
    norm = normalize(text, display=True)
    assert norm.text == "abedcfg"
    assert [norm.original[i] for i in norm.index[:-1]] == list("abedcfg")
    assert norm.to_original(2, 5) == (3, 6)             # "edc" covers "cde"
    assert norm.to_original(1, 6) == (1, 8)             # "bedcf" covers RLO and PDF too
    assert norm.to_original(3, 3)[0] == norm.to_original(3, 3)[1]


def test_override_without_pdf_ends_at_the_end_of_the_line():
    assert shown(RLO + "olleh\nworld") == "hello\nworld"
    assert shown(RLO + "olleh\u2029world") == "hello\u2029world"
    # a line separator ends the reversed line, not the override
    assert shown(RLO + "olleh\u2028dlrow") == "hello\u2028world"


def test_nested_overrides_follow_the_bidi_levels():
    # RLO a b LRO c d PDF e f PDF: c d keep their order, placed as a block in the reversal
    assert shown(RLO + "ab" + LRO + "cd" + PDF + "ef" + PDF + "!") == "fecdba!"
    # an embedding or isolate inside an override keeps Latin text in its order too
    assert shown(RLO + "ab\u202bcd" + PDF + "ef" + PDF) == "fecdba"
    assert shown(RLO + "ab\u2066cd\u2069ef") == "fecdba"
    # a PDF inside an isolate does not close the override around it; PDI closes the isolate
    assert shown(RLO + "ab\u2066c" + PDF + "d\u2069ef") == "fecdba"
    # LRO at the top level changes nothing; a stray PDF or PDI is ignored
    assert shown(LRO + "abc" + PDF + PDF + "\u2069d") == "abcd"
    # nesting deeper than the bidi algorithm's 125 levels neither crashes nor misplaces
    deep = (RLO + LRO) * 100 + "xyz" + PDF * 200 + "!"
    assert shown(deep) == "zyx!"                        # the innermost level kept is RLO


def test_expanding_character_under_an_override_keeps_its_expansion():
    norm = normalize(RLO + "xﬁy", display=True)
    assert norm.text == "yfix"
    start, end = norm.to_original(1, 3)
    assert norm.original[start:end] == "ﬁ"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("ab1 -\n\r\t\x00\x1c\x85ﬁ٣\u200b\u2029")
                                        + ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                           "\u2066", "\u2067", "\u2068", "\u2069"]), max_size=60))
def test_working_string_map_stays_in_range(rules, text):
    for norm in readings(text) + [normalize(text, display=True)]:
        index = norm.index if norm.index is not None else range(len(text) + 1)
        assert len(index) == len(norm.text) + 1 and index[-1] == len(text)
        assert all(0 <= i < len(text) for i in index[:-1])
        assert len(set(index)) == len(index) or "ﬁ" in text     # each character placed once
        for start in range(len(norm.text) + 1):
            for end in range(start, len(norm.text) + 1):
                a, b = norm.to_original(start, end)
                assert 0 <= a <= b <= len(text)
    displayed = normalize(text, display=True).text
    assert sorted(displayed) == sorted(normalize(text).text)
    for s in rules.classify(text):
        assert 0 <= s.start < s.end <= len(text) and text[s.start:s.end] == s.text


def test_public_question_with_a_reversed_harmless_sentence(router):
    text = "What is the capital of France? " + RLO + "Thanks a lot for the help"[::-1] + PDF
    plan = router.plan(text)
    assert plan.level is SensitivityLevel.PUBLIC
    assert plan.cloud_payloads == [text] and not plan.placeholders


def test_right_to_left_script_keeps_its_logical_order():
    hebrew = "שלום עולם"
    assert shown(hebrew + " " + RLO + "cba") == hebrew + " abc"
    assert shown("\u202babc " + hebrew + PDF) == "abc " + hebrew


# -- lone surrogates ------------------------------------------------------------------

def test_lone_surrogate_is_an_invalid_prompt_in_plan(router, backends):
    with pytest.raises(InvalidPromptError) as err:
        router.plan("My name is Bob \ud800 and I like Python")
    message = str(err.value)
    assert "message 0" in message and "U+D800" in message and "offset 15" in message
    assert "UTF-8" in message
    local, cloud = backends
    assert local.received == [] and cloud.received == []


def test_lone_surrogate_is_an_invalid_prompt_in_invoke_and_stream(router, backends):
    messages = [{"role": "system", "content": "Be brief."},
                {"role": "user", "content": "bad \udcff byte"}]
    with pytest.raises(InvalidPromptError, match=r"message 1: .*U\+DCFF at offset 4"):
        router.invoke(messages)
    with pytest.raises(InvalidPromptError, match=r"U\+DCFF"):
        list(router.stream(messages))
    local, cloud = backends
    assert local.received == [] and cloud.received == []


def test_lone_surrogate_in_a_message_object_or_a_role_is_named(router):
    with pytest.raises(InvalidPromptError, match=r"message 1: lone surrogate U\+DFFF at offset 0"):
        router.plan([Message("system", "Be brief."), Message("user", "\udfff hi")])
    with pytest.raises(InvalidPromptError, match=r"message 0 role: lone surrogate U\+DC80 at offset 2"):
        router.plan([Message("us\udc80er", "What is Python?")])


def test_valid_astral_text_is_accepted(router):
    plan = router.plan("🙂 What is Python? 𝟏𝟐")
    assert plan.level is SensitivityLevel.PUBLIC
