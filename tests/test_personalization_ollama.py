"""Export an adapter as an Ollama model through the real ``ollama`` client against the
loopback Ollama server, asserting the exact requests; then the ollama backend answers with it."""
from __future__ import annotations

import hashlib
import json

import pytest
from typer.testing import CliRunner

from personalization_support import history, make_adapter, tiny_model  # noqa: F401
from ptmo_middleware.backends.ollama import OllamaBackend
from ptmo_middleware.errors import BackendError
from ptmo_middleware.personalization.adapters import AdapterError, AdapterStore
from ptmo_lab.personalization.ollama_export import export_to_ollama
from ptmo_middleware.types import Message
from servers import dead_url, ollama_server  # noqa: F401


@pytest.fixture(scope="module")
def adapter_dir(tmp_path_factory, tiny_model):
    return make_adapter(tiny_model, tmp_path_factory.mktemp("ollama") / "adapter", seed=3)


def _digest(path):
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def test_export_uploads_blobs_then_creates(ollama_server, adapter_dir):
    cfg, weights = adapter_dir / "adapter_config.json", adapter_dir / "adapter_model.safetensors"
    assert export_to_ollama(adapter_dir, "llama3.2:3b", "alice-llama") == "alice-llama"
    assert ollama_server.paths == [f"/api/blobs/{_digest(cfg)}", f"/api/blobs/{_digest(weights)}", "/api/create"]
    assert ollama_server.blobs == {_digest(cfg): cfg.read_bytes(), _digest(weights): weights.read_bytes()}
    assert ollama_server.bodies[-1] == {
        "model": "alice-llama", "from": "llama3.2:3b", "stream": True,
        "adapters": {"adapter_config.json": _digest(cfg), "adapter_model.safetensors": _digest(weights)}}
    reply = OllamaBackend("alice-llama").chat([Message("user", "hello")])
    assert ollama_server.bodies[-1]["model"] == "alice-llama" and "hello" in reply.text


def test_export_of_a_stored_adapter_from_the_cli(ollama_server, adapter_dir, tmp_path):
    from ptmo_middleware.cli import app

    AdapterStore(tmp_path).add(adapter_dir, "alice", "personal", "alice", base_model="llama3.2:3b")
    result = CliRunner().invoke(app, ["lora", "export-ollama", "alice", "--base", "llama3.2:3b",
                                      "--name", "alice-llama", "--store", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "alice-llama" in result.output and ollama_server.paths[-1] == "/api/create"
    assert ollama_server.bodies[-1]["adapters"]["adapter_model.safetensors"] == _digest(
        adapter_dir / "adapter_model.safetensors")


def test_export_errors_are_clear(ollama_server, adapter_dir, tmp_path, dead_url):
    with pytest.raises(BackendError, match="model 'nope:1b' not found"):
        export_to_ollama(adapter_dir, "nope:1b", "x")
    with pytest.raises(BackendError, match="cannot reach"):
        export_to_ollama(adapter_dir, "llama3.2:3b", "x", host=dead_url)
    with pytest.raises(AdapterError, match="no adapter 'ghost'"):
        export_to_ollama("ghost", "llama3.2:3b", "x", store=AdapterStore(tmp_path))
    with pytest.raises(AdapterError, match="not a PEFT adapter directory"):
        export_to_ollama(tmp_path, "llama3.2:3b", "x")
    assert json.dumps(ollama_server.bodies).count("/api/create") == 0
