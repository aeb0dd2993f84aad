"""``ptmo chat`` against loopback servers: the conversation is kept (and /reset), cloud
failures are said out loud, and "nothing left the device" when nothing did."""
from __future__ import annotations

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
