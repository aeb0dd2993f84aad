"""Slow: `ptmo lora train` on a generated history of 200 turns trains a Gemma 3 270M adapter
on CPU with sockets blocked, lowers the held-out loss, and the embedded backend answers with it."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from personalization_support import block_network
from ptmo_middleware.personalization.adapters import AdapterStore
from ptmo_lab.personalization.generator import generate_history
from ptmo_middleware.types import Message

pytestmark = pytest.mark.slow


def test_cli_trains_gemma_and_the_embedded_backend_answers_with_it(tmp_path, monkeypatch):
    from ptmo_middleware.backends.embedded import EmbeddedBackend
    from ptmo_middleware.backends.local_model import ensure_converted
    from ptmo_middleware.cli import app

    ensure_converted()  # the one-time GGUF conversion is not what this test times
    monkeypatch.setenv("PTMO_ADAPTER_DIR", str(tmp_path / "store"))
    block_network(monkeypatch)
    gen = generate_history(200, seed=11)
    path = gen.write(tmp_path / "history.json")
    result = CliRunner().invoke(app, ["lora", "train", str(path), "--name", "me", "--user", "me",
                                      "--epochs", "1", "--max-length", "128"])
    assert result.exit_code == 0, result.output
    info = AdapterStore().get("me")
    m = info.metrics
    print(f"held-out loss {m['val_loss_before']:.3f} -> {m['val_loss_after']:.3f} in {m['seconds']:.0f} s, "
          f"{m['tokens_per_s']:.0f} tokens/s; scrubbed {m['scrubbed']}")
    assert m["val_loss_after"] < m["val_loss_before"] * 0.8
    assert sum(m["scrubbed"].values()) >= len(gen.secrets)
    ask = [Message("user", f"Any ideas for the weekend in {gen.persona['city']}?")]
    plain = EmbeddedBackend().chat(ask, max_tokens=24).text
    mine = EmbeddedBackend(adapter="me").chat(ask, max_tokens=24).text
    print(f"base: {plain!r}\nwith adapter: {mine!r}")
    assert mine.strip() and mine != plain
