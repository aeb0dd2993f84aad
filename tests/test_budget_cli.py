"""``ptmo budget show|reset`` and ``ptmo train-router`` argument checks."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from ptmo_middleware.budget import PrivacyBudget
from ptmo_middleware.cli import app
from ptmo_middleware.config import BudgetSettings

runner = CliRunner()


def test_budget_show_and_reset(tmp_path, monkeypatch):
    monkeypatch.setenv("PTMO_DATA_HOME", str(tmp_path))
    b = PrivacyBudget(BudgetSettings(enabled=True, epsilon=1.0, window="none"))
    b.charge(0.25, "r1", "alice")
    b.charge(0.5, "r1", "bob")
    config = tmp_path / "ptmo.toml"
    config.write_text('[budget]\nenabled = true\nepsilon = 1.0\nwindow = "none"\n')
    shown = runner.invoke(app, ["--config", str(config), "budget", "show", "--json"])
    assert shown.exit_code == 0, shown.output
    accounts = {a["account"]: a for a in json.loads(shown.output)["accounts"]}
    assert accounts["alice|all"]["spent"] == 0.25 and accounts["bob|all"]["remaining"] == 0.5
    table = runner.invoke(app, ["--config", str(config), "budget", "show", "--principal", "alice"])
    assert "alice|all" in table.output and "bob" not in table.output
    assert runner.invoke(app, ["--config", str(config), "budget", "reset", "--principal", "alice"], input="n\n").exit_code != 0
    assert b.spent("alice") == 0.25  # declined
    reset = runner.invoke(app, ["--config", str(config), "budget", "reset", "--principal", "alice", "--yes"])
    assert reset.exit_code == 0 and "reset 1 account" in reset.output
    assert b.spent("alice") == 0.0 and b.spent("bob") == 0.5


def test_train_router_rejects_unknown_algorithm():
    result = runner.invoke(app, ["train-router", "--algo", "sac"])
    assert result.exit_code == 2 and "unknown algorithm" in result.output
