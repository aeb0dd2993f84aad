"""The ptmo command line: classify, plan (readable, JSON, JSON lines), plugins, errors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ptmo_middleware.cli import app

SEED = "My password is secret123. What is Python?"


def run(*args: str, input: str | None = None, code: int = 0):
    result = CliRunner().invoke(app, list(args), input=input)
    assert result.exit_code == code, result.output
    return result


def cloud_section(output: str) -> str:
    """What the readable plan prints after the first 'cloud payload' rule."""
    assert "cloud payload 1/" in output, output
    return output.split("cloud payload 1/", 1)[1]


def test_plan_seed_prompt_is_hybrid_and_keeps_the_password():
    out = run("plan", "-c", "rules", SEED).stdout
    assert "route hybrid" in out
    payload = cloud_section(out)
    assert "What is Python?" in payload and "secret123" not in payload
    assert "[PASSWORD_1]" in payload  # placeholders are printed literally, not as markup
    assert "PASSWORD" in out and "rules" in out  # the spans table


def test_plan_json():
    plan = json.loads(run("plan", "-c", "rules", "--json", SEED).stdout)
    assert plan["route"] == "hybrid" and plan["level"] == "PRIVATE"
    assert plan["cloud_payloads"] == ["My password is [PASSWORD_1]. What is Python?"]
    assert [s["type"] for s in plan["spans"]] == ["PASSWORD"]


def test_plan_policy_and_decomposer_options():
    out = run("plan", "-c", "rules", "--policy", "local-only", SEED).stdout
    assert "nothing leaves the device" in out and "cloud payload" not in out
    plan = json.loads(run("plan", "-c", "rules", "--decomposer", "sentence", "--json", SEED).stdout)
    assert plan["decomposer"] == "sentence" and [p["route"] for p in plan["parts"]] == ["masked", "cloud"]


def test_plan_reads_stdin_with_dash():
    plan = json.loads(run("plan", "-c", "rules", "--json", "-", input="pw: hunter22\n").stdout)
    assert plan["cloud_payloads"] == ["pw: [PASSWORD_1]"]


def test_markup_in_text_is_printed_literally():
    out = run("plan", "-c", "rules", "[bold red]hello[/bold red] [PERSON_1]").stdout
    assert "[bold red]hello[/bold red] [PERSON_1]" in cloud_section(out)


def test_lone_surrogates_and_controls_do_not_crash():
    out = run("plan", "-c", "rules", "an \x1b[31m escape and a \x00, pw: hunter22").stdout
    assert "hunter22" not in cloud_section(out)
    # a lone surrogate cannot be sent anywhere: the plan is refused, naming it
    out = run("plan", "-c", "rules", "bad \udcff byte, pw: hunter22", code=2).output
    assert "U+DCFF at offset 4" in out and "hunter22" not in out
    out = run("classify", "-c", "rules", "\ud800 pw: hunter22").stdout
    assert "PASSWORD" in out


def test_classify_table_and_json():
    out = run("classify", "-c", "rules", "my pw is abc12345").stdout
    assert "level PRIVATE" in out and "abc12345" in out and "PASSWORD" in out
    assert "no sensitive spans" in run("classify", "-c", "rules", "What is Python?").stdout
    data = json.loads(run("classify", "-c", "rules", "--json", "my pw is abc12345").stdout)
    assert data["level"] == "PRIVATE" and data["spans"][0]["text"] == "abc12345"
    assert data["failed_classifiers"] == []


JSONL = "\n".join([
    json.dumps({"query": SEED}),
    "this is not json",
    "",
    json.dumps({"messages": [{"role": "user", "content": "What is Rust?"}]}),
    json.dumps({"query": "   "}),
    json.dumps([1, 2]),
    json.dumps({"query": "a", "messages": []}),
    json.dumps({"query": 42}),
    json.dumps({"query": "pw: hunter22", "conversation_id": "k"}),
    json.dumps({"query": "is hunter22 ok?", "conversation_id": "k"}),
    json.dumps({"query": "is hunter22 ok?"}),
]) + "\n"


def check_jsonl(stdout: str) -> None:
    rows = [json.loads(line) for line in stdout.splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 4, 5, 6, 7, 8, 9, 10, 11]
    ok = [r for r in rows if "error" not in r]
    for r in ok:
        assert {"level", "route", "cloud_payloads", "spans"} <= set(r)
    assert rows[0]["route"] == "hybrid" and rows[0]["cloud_payloads"] == ["My password is [PASSWORD_1]. What is Python?"]
    assert rows[1]["error"].startswith("not valid JSON")
    assert rows[2]["route"] == "cloud" and rows[2]["cloud_payloads"] == ["What is Rust?"]
    assert rows[3]["error"] == "the prompt is empty"
    assert "exactly one of" in rows[4]["error"] and "exactly one of" in rows[5]["error"]
    assert "got int" in rows[6]["error"]
    # A shared conversation_id shares masks; lines without one are independent.
    assert rows[8]["cloud_payloads"] == ["is [PASSWORD_1] ok?"]
    assert rows[9]["cloud_payloads"] == ["is hunter22 ok?"]


def test_plan_jsonl_from_stdin():
    check_jsonl(run("plan", "-c", "rules", "--jsonl", input=JSONL).stdout)


def test_plan_jsonl_from_file(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(JSONL, encoding="utf-8")
    check_jsonl(run("plan", "-c", "rules", "--jsonl", str(path)).stdout)


def test_plan_jsonl_local_only_has_empty_payload_lists():
    out = run("plan", "-c", "rules", "--policy", "local-only", "--jsonl", input=json.dumps({"query": SEED})).stdout
    assert json.loads(out)["cloud_payloads"] == []


def test_plan_jsonl_missing_file_is_a_clean_error(tmp_path):
    result = run("plan", "-c", "rules", "--jsonl", str(tmp_path / "nope.jsonl"), code=2)
    assert "Error: cannot read" in result.stderr and "Traceback" not in result.output


def test_plugins_table_and_json():
    assert "classifiers.rules" in run("plugins").stdout
    rows = json.loads(run("plugins", "--json").stdout)
    rules = next(r for r in rows if r["name"] == "ptmo_middleware.plugins.classifiers.rules")
    assert rules["hooks"] == ["register_classifiers"] and rules["builtin"] is True


@pytest.mark.parametrize("args, message", [
    (["plan", "-c", "rules", ""], "Error: the prompt is empty"),
    (["plan", "-c", "rules"], "Error: give a TEXT argument"),
    (["plan", "-c", "rules", "--policy", "nope", "hi"], "Error: unknown router policy 'nope'"),
    (["plan", "-c", "rules", "--decomposer", "nope", "hi"], "Error: unknown decomposer 'nope'"),
    (["classify", "-c", "nope", "hi"], "Error: unknown classifier 'nope'"),
    (["--config", "/nonexistent/ptmo.toml", "classify", "hi"], "Error: config file not found"),
])
def test_errors_are_one_line_and_exit_2(args, message):
    result = run(*args, code=2)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_config_option(tmp_path):
    path = tmp_path / "ptmo.toml"
    path.write_text('policy = "local-only"\nclassifiers = ["rules"]\n', encoding="utf-8")
    assert json.loads(run("--config", str(path), "plan", "--json", SEED).stdout)["cloud_payloads"] == []
    path.write_text('polcy = "x"\n', encoding="utf-8")
    assert "polcy" in run("--config", str(path), "plan", SEED, code=2).stderr


def test_installed_entry_point_exits_2_without_traceback(tmp_path):
    exe = Path(sys.executable).parent / "ptmo"
    if not exe.exists():
        pytest.skip("the ptmo console script is not installed next to this interpreter")
    proc = subprocess.run([str(exe), "--config", str(tmp_path / "none.toml"), "plan", "hi"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("Error: config file not found") and "Traceback" not in proc.stderr


def test_plan_why_explains_without_values() -> None:
    result = run("plan", "--why", "-c", "rules", "My password is hunter2xyz. What is Python?")
    why = result.output[result.output.index("why"):]
    assert "PASSWORD" in why and "policy threshold" in why and "thresholds:" in why
    assert "hunter2xyz" not in why
    as_json = run("plan", "--why", "--json", "-c", "rules", "My password is hunter2xyz.")
    lines = json.loads(as_json.output)["why"]
    assert any("PASSWORD" in line for line in lines) and not any("hunter2xyz" in line for line in lines)


def test_plan_why_shows_what_the_rl_policy_weighed() -> None:
    result = run("plan", "--why", "--json", "--policy", "rl", "-c", "rules", "My password is hunter2xyz. What is Python?")
    why = "\n".join(json.loads(result.output)["why"])
    assert "budget left" in why and "expected gain over local" in why and why.count("<- chosen") == 1
    assert all(f"rl:   {name}" in why for name in ("local", "cloud", "masked", "split"))
    assert "hunter2xyz" not in why and "risk -" not in why
    clean = run("plan", "--why", "--json", "--policy", "rl", "-c", "rules", "What is the capital of France?")
    assert any("nothing was found" in line for line in json.loads(clean.output)["why"])
