"""``ptmo chat`` against loopback servers: the conversation is kept (and /reset), cloud
failures are said out loud, and "nothing left the device" when nothing did."""
from __future__ import annotations

import pytest
from servers import groq_server, ollama_server  # noqa: F401  (fixtures)
from typer.testing import CliRunner

from ptmo_middleware.cli import app

ARGS = ["chat", "--local", "ollama:llama3.2:3b", "--cloud", "groq:m"]


def chat(lines: list[str], *extra: str):
    result = CliRunner().invoke(app, ARGS + list(extra), input="\n".join(lines) + "\n",
                                env={"PTMO_CLASSIFIERS": "rules"})
    assert result.exit_code == 0, result.output
    return result


def test_each_turn_sends_the_history_with_consistent_placeholders(ollama_server, groq_server):
    chat(["Email alice.johnson@example.org about the Python meetup.", "What did I ask you?",
          "/reset", "What did I ask you?", "/quit"])
    turns = [b["messages"] for b in groq_server.bodies]
    assert [len(t) for t in turns] == [1, 3, 1]
    assert turns[1][0] == turns[0][0] and turns[1][1]["role"] == "assistant"
    assert "[EMAIL_ADDRESS_1]" in turns[1][0]["content"] and "[EMAIL_ADDRESS_1]" in turns[1][1]["content"]
    assert "alice" not in groq_server.received_text


def test_a_cloud_failure_is_printed_and_nothing_left_the_device(ollama_server, groq_server, monkeypatch):
    monkeypatch.delenv("GROQ_API_KEY")
    out = chat(["What is the capital of France?", "/quit"], "--show-route").output
    assert "the cloud failed, answered on this device" in out and "GROQ_API_KEY" in out
    assert "nothing left the device" in out and "left the device: What" not in out
    assert groq_server.bodies == [] and len(ollama_server.bodies) == 1


def test_the_route_shows_what_left_when_something_did(ollama_server, groq_server):
    out = chat(["What is the capital of France?", "/quit"], "--show-route").output
    assert "left the device: What is the capital of France?" in out and "cloud failed" not in out


def test_each_answer_is_streamed_then_followed_by_a_status_line(ollama_server, groq_server):
    out = chat(["Email alice.johnson@example.org about the Python meetup.", "/quit"]).output
    answer, status = out.index("groq heard:"), out.index("| spans: EMAIL_ADDRESS x1 |")
    assert answer < status and "-> hybrid" in out and "sent to the cloud" in out
    assert "answered by groq:m" in out and "/why explains" in out
    assert "left the device:" not in out  # what left is shown only with --show-route


def test_the_answer_arrives_in_pieces_before_the_reply(ollama_server, groq_server):
    from ptmo_middleware.cli import ChatSession
    from ptmo_middleware.router import PrivacyRouter

    router = PrivacyRouter(local="ollama:llama3.2:3b", cloud="groq:m", classifiers=["rules"])
    chunks = list(ChatSession(router, None).say("What is the capital of France?"))
    texts = [c.text for c in chunks if c.reply is None and c.text]
    assert len(texts) > 1 and chunks[-1].reply is not None
    assert "".join(texts) == chunks[-1].reply.text


def test_why_explains_the_last_route_without_the_private_values(ollama_server, groq_server):
    from ptmo_middleware.cli import ChatSession
    from ptmo_middleware.router import PrivacyRouter

    router = PrivacyRouter(local="ollama:llama3.2:3b", cloud="groq:m", classifiers=["rules"])
    session = ChatSession(router, None)
    assert session.why() == ["nothing to explain yet: ask something first"]
    list(session.say("Email alice.johnson@example.org about the Python meetup."))
    why = "\n".join(session.why())
    assert why.startswith("route: hybrid (request level ")
    assert "spans by type: EMAIL_ADDRESS x1" in why
    assert "classifiers: rules ran; spans found by rules" in why
    assert "policy threshold: part 1 (" in why and "-> masked" in why
    assert "thresholds: PUBLIC -> cloud, SEMI_SENSITIVE -> masked, PRIVATE -> masked" in why
    assert "left the device: 1 message(s)" in why
    assert "alice" not in why and "example.org" not in why and "[EMAIL_ADDRESS_1]" not in why
    session.reset()
    assert session.why()[0].startswith("nothing to explain yet")


def test_why_in_the_chat_and_a_local_only_turn(ollama_server, groq_server):
    out = chat(["/why", "My password is hunter2secret.", "/why", "/quit"], "--policy", "local-only").output
    assert "nothing to explain yet" in out
    why = out[out.index("route: local"):].split("you>")[0]
    assert "policy local-only: part 1 (" in why and "nothing left the device" in why
    assert "thresholds:" not in why  # only the threshold policy has a table
    assert "hunter2secret" not in why
    assert groq_server.bodies == []


@pytest.mark.slow
def test_the_embedded_model_loads_before_the_chat_without_progress_bars():
    out = chat(["/quit"], "--local", "embedded").output
    assert "loading the local model..." in out
    assert "Loading weights" not in out and "it/s" not in out and "%|" not in out
