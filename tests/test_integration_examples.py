"""The LangChain and LlamaIndex examples run as users run them: as scripts. Against the
loopback Ollama and Groq servers (real clients on the wire), and on the embedded model,
offline (slow)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from servers import GroqServer, OllamaServer, groq_server, ollama_server  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {
    "examples/langchain_chain.py": "hunter2xyz",
    "examples/llamaindex_query_engine.py": "Tr0ub4dor&3x",
}


def run_example(path: str, env: dict[str, str], timeout: float) -> str:
    done = subprocess.run([sys.executable, str(ROOT / path)], env={**os.environ, **env}, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.parametrize("path", [
    "examples/langchain_chain.py",
    # Loading torch, LlamaIndex and MiniLM in a fresh process takes ~40 s on a busy
    # machine; tests/test_llamaindex.py covers the same query engine in the default run.
    pytest.param("examples/llamaindex_query_engine.py", marks=pytest.mark.slow),
])
def test_example_against_loopback_servers(path: str, ollama_server: OllamaServer,
                                          groq_server: GroqServer) -> None:
    secret = EXAMPLES[path]
    out = run_example(path, {"PTMO_LOCAL": "ollama:llama3.2:3b", "PTMO_CLOUD": "groq:llama-3.3-70b-versatile",
                             "PTMO_CLASSIFIERS": "rules", "HF_HUB_OFFLINE": "1"}, timeout=240)
    assert groq_server.bodies, "the example never reached the cloud server"
    assert secret not in groq_server.received_text
    assert "[PASSWORD_1]" in groq_server.received_text
    shown_as_sent = [line for line in out.splitlines() if "leaves the device" in line or line.startswith("  | ")]
    assert shown_as_sent and not any(secret in line for line in shown_as_sent)
    # The echoing cloud answered with the placeholder; the user reads the value restored.
    assert "groq heard:" in out and secret in out
    assert "PRIVATE" in out


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(EXAMPLES))
def test_example_offline_on_the_embedded_model(path: str) -> None:
    env = {"PTMO_LOCAL": "embedded", "PTMO_CLOUD": "embedded", "GROQ_API_KEY": "", "HF_HUB_OFFLINE": "1"}
    out = run_example(path, env, timeout=900)
    assert "the embedded model stands in for the cloud" in out
    assert "PRIVATE" in out and "[PASSWORD_1]" in out


@pytest.mark.parametrize("path", ["examples/langchain_agent.py", "examples/llamaindex_agent.py"])
def test_agent_example_against_loopback_servers(path: str, ollama_server: OllamaServer,
                                                groq_server: GroqServer) -> None:
    """The agents' examples: the cloud gets placeholders, the tool gets the real values."""
    out = run_example(path, {"PTMO_LOCAL": "ollama:llama3.2:3b", "PTMO_CLOUD": "groq:llama-3.3-70b-versatile",
                             "PTMO_CLASSIFIERS": "rules", "HF_HUB_OFFLINE": "1"}, timeout=240)
    assert len(groq_server.bodies) >= 2, "the agent did not run a tool turn through the cloud"
    for secret in ("hunter2xyz", "bob.jones@example.org", "+1 415 555 0134"):
        assert secret not in groq_server.received_text
    assert "[PASSWORD_1]" in groq_server.received_text and "[EMAIL_ADDRESS_1]" in groq_server.received_text
    shown_as_sent = [line for line in out.splitlines() if "leaves the device" in line or line.startswith("  | ")]
    assert shown_as_sent and not any("hunter2xyz" in line for line in shown_as_sent)
    assert "tool lookup_contact got: 'My password is hunter2xyz" in out
    assert "answer: tool said: Bob Jones, mobile +1 415 555 0134" in out
