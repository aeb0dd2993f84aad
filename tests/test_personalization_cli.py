"""``ptmo lora train | list | use`` end to end on the tiny model."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from personalization_support import block_network, history, tiny_model  # noqa: F401
from ptmo_middleware.cli import app
from ptmo_middleware.personalization.adapters import AdapterStore


def test_train_list_use(tmp_path, monkeypatch, history, tiny_model):
    monkeypatch.setenv("PTMO_CLASSIFIERS", "rules")
    block_network(monkeypatch)
    gen, path = history
    store = tmp_path / "store"
    runner = CliRunner()
    common = ["--base", str(tiny_model), "--store", str(store), "--max-steps", "2", "--threads", "1",
              "--max-length", "96", "--batch-size", "8"]
    result = runner.invoke(app, ["lora", "train", str(path), "--name", "alice-v1", "--user", "alice", *common])
    assert result.exit_code == 0, result.output
    assert "held-out loss per reply token" in result.output and "stored 'alice-v1'" in result.output
    info = AdapterStore(store).get("alice-v1")
    assert info.level.value == "personal" and info.owner == "alice" and info.base_model == str(tiny_model)
    assert info.metrics["steps"] == 2 and info.metrics["scrubbed"]
    AdapterStore(store).add(info.path, "alice-v2", "personal", "alice")
    result = runner.invoke(app, ["lora", "use", "alice-v1", "--store", str(store)])
    assert result.exit_code == 0 and "personal adapter of alice" in result.output
    assert AdapterStore(store).resolve("alice").names == ["alice-v1"]
    listed = [json.loads(line) for line in runner.invoke(
        app, ["lora", "list", "--store", str(store), "--json"]).output.splitlines()]
    assert {(a["name"], a["in_use"]) for a in listed} == {("alice-v1", True), ("alice-v2", False)}
    table = runner.invoke(app, ["lora", "list", "--store", str(store)]).output
    assert "alice-v1" in table and "yes" in table


def test_cli_errors_are_one_line(tmp_path):
    bad = tmp_path / "h.json"
    bad.write_text("[")
    result = CliRunner().invoke(app, ["lora", "train", str(bad), "--store", str(tmp_path), "--scrub", "off",
                                      "--base", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "not valid JSON" in result.output
    result = CliRunner().invoke(app, ["lora", "use", "ghost", "--store", str(tmp_path)])
    assert result.exit_code == 2 and "no adapter 'ghost'" in result.output
