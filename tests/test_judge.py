"""The optional judged quality run: order-swapped pairwise judging by the cloud
model, against the loopback Groq server, and what the judge gets to read."""
from __future__ import annotations

import csv
import json
import re

import pytest
from typer.testing import CliRunner

from ptmo_middleware import SensitivityLevel, Span, hookimpl
from ptmo_middleware.backends.groq import GroqBackend
from ptmo_middleware.cli import app
from ptmo_lab.evaluation.judge import (JUDGE_INSTRUCTIONS, PairwiseJudge, Verdict, judged_comparison,
                                              parse_verdict)
from servers import echo, groq_server, ollama_server  # noqa: F401  (fixtures)

SSN = "078-05-1120"


def judge_calls(server) -> list[str]:
    """The user message of every judge request the server received."""
    return [b["messages"][1]["content"] for b in server.bodies if b["messages"][0]["content"] == JUDGE_INSTRUCTIONS]


def responses(content: str) -> tuple[str, str]:
    m = re.search(r"Response A:\n(.*)\n\nResponse B:\n(.*)\Z", content, re.DOTALL)
    assert m, content
    return m.group(1), m.group(2)


def judging(verdict, fallback=echo("groq")):
    """A Groq answer function: judge requests get ``verdict(response_a, response_b)``."""
    def answer(messages):
        if messages[0]["content"] == JUDGE_INSTRUCTIONS:
            return verdict(*responses(messages[1]["content"]))
        return fallback(messages)
    return answer


@pytest.mark.parametrize("text, verdict", [("A", Verdict.A), ("b.", Verdict.B), ("Tie", Verdict.TIE),
                                           ("**B** is better", Verdict.B), ("Both are fine", Verdict.TIE),
                                           ("", Verdict.TIE)])
def test_parse_verdict(text, verdict):
    assert parse_verdict(text) is verdict


@pytest.mark.parametrize("verdict, ours, outcome", [
    (lambda a, b: "A" if "good" in a else "B", "good answer", "win"),   # consistent: prefers ours
    (lambda a, b: "A" if "good" in a else "B", "bad answer", "loss"),   # consistent: prefers the reference
    (lambda a, b: "A", "good answer", "tie"),                           # always the first shown
    (lambda a, b: "B", "bad answer", "tie"),                            # always the second shown
    (lambda a, b: "TIE" if "good" in a else "B", "good answer", "tie"),  # one order says tie
])
def test_a_win_or_a_loss_needs_both_orders_to_agree(groq_server, verdict, ours, outcome):
    groq_server.answer = judging(verdict)
    reference = "good answer" if ours == "bad answer" else "bad answer"
    judge = PairwiseJudge(GroqBackend("llama-3.3-70b-versatile", base_url=groq_server.url))
    got, first, second = judge.compare("What is 2 + 2?", ours, reference)
    assert got == outcome
    calls = judge_calls(groq_server)
    assert [responses(c) for c in calls] == [(ours, reference), (reference, ours)]  # order swapped
    assert all(c.startswith("User query:\nWhat is 2 + 2?") for c in calls)
    assert groq_server.bodies[0]["temperature"] == 0


class Diagnosis:
    """A throwaway classifier: a sentence naming a diagnosis is PRIVATE and cannot be masked."""

    name = "diagnosis"
    inline = True

    def __init__(self, settings):
        self.settings = settings

    def classify(self, text, context):
        return [Span(m.start(), m.end(), "DIAGNOSIS", SensitivityLevel.PRIVATE, 0.9, self.name, maskable=False)
                for m in re.finditer(r"[^.?!]*\bcancer\b[^.?!]*[.?!]?", text)]


class DiagnosisPlugin:
    @hookimpl
    def register_classifiers(self, register):
        register(Diagnosis)


PROMPTS = {0: f"My SSN is {SSN}, what should I do if it was stolen?",   # PRIVATE, masked
           5: "I have cancer. What should I eat?",                       # cannot leave even masked
           10: "Which doctor should I see for a cough?",                  # the local answer cannot leave
           15: "What is the capital of France?"}                          # public


@pytest.fixture
def judge_setup(tmp_path, monkeypatch, register_plugin, ollama_server, groq_server):
    """PUPA_New with PROMPTS at their dev indices (the rest train rows), a config with the
    diagnosis classifier and the loopback Ollama as the local model."""
    register_plugin(DiagnosisPlugin(), "diagnosis-test")
    with open(tmp_path / "PUPA_New.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, ["conversation_hash", "predicted_category", "user_query", "target_response",
                                "pii_units", "redacted_query"])
        w.writeheader()
        for i in range(20):
            w.writerow({"conversation_hash": str(i), "predicted_category": "test", "target_response": "",
                        "user_query": PROMPTS.get(i, f"train row {i}"), "pii_units": "", "redacted_query": ""})
    monkeypatch.setenv("PTMO_DATA_DIR", str(tmp_path))
    config = tmp_path / "ptmo.toml"
    config.write_text('classifiers = ["rules", "diagnosis"]\nlocal = "ollama:llama3.2:3b"\n')
    ollama_server.answer = lambda m: ("It may be cancer." if "doctor" in m[-1]["content"]
                                      else f"ollama heard: {m[-1]['content']}")
    # The judge prefers the cloud's (echoing) answer, whichever order it is shown in.
    groq_server.answer = judging(lambda a, b: "A" if a.startswith("groq") else "B")
    return config, tmp_path / "out"


def bench(config, out, *extra):
    return CliRunner().invoke(app, ["--config", str(config), "bench", "--judge", "--judge-n", "4",
                                    "--out", str(out), *extra])


def test_judge_refuses_to_run_without_a_key(judge_setup, groq_server, ollama_server, monkeypatch):
    config, out = judge_setup
    monkeypatch.delenv("GROQ_API_KEY")
    result = bench(config, out)
    assert result.exit_code == 2
    assert "needs GROQ_API_KEY" in result.output and "nothing was run" in result.output
    assert groq_server.bodies == [] and ollama_server.bodies == [] and not out.exists()


def test_judge_reads_only_what_may_leave_the_device(judge_setup, groq_server):
    config, out = judge_setup
    result = bench(config, out)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "judge.json").read_text())
    assert (data["view"], data["prompts"], data["judged"], data["win"], data["tie"], data["loss"]) == \
        ("masked", 4, 2, 2, 0, 0)
    assert data["quality_preservation"] == 1.0
    assert [(j["outcome"], j["withheld"]) for j in data["judgements"]] == \
        [("win", None), ("withheld", "prompt"), ("withheld", "answer"), ("win", None)]
    assert data["reference"].startswith("local model only")
    assert "| masked |" in (out / "judge.md").read_text()
    sent = groq_server.received_text
    assert SSN not in sent and "cancer" not in sent  # neither the judge nor our pipeline saw them
    calls = judge_calls(groq_server)
    assert len(calls) == 4  # two judged prompts, two orders each
    assert "User query:\nMy SSN is [US_SSN_1], what" in calls[0]
    assert "ollama heard: My SSN is [US_SSN_1]," in calls[0]  # the local reference answer, masked


def test_judge_raw_sends_the_raw_prompt_to_the_cloud_when_asked(judge_setup, groq_server):
    config, out = judge_setup
    assert bench(config, out, "--judge-raw").exit_code == 0
    data = json.loads((out / "judge.json").read_text())
    assert (data["view"], data["judged"]) == ("raw", 4)
    assert data["reference"].startswith("cloud, raw prompt")
    assert f"User query:\nMy SSN is {SSN}" in judge_calls(groq_server)[0]


def test_judge_raw_needs_judge(tmp_path):
    result = CliRunner().invoke(app, ["bench", "--judge-raw", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "--judge-raw only applies with --judge" in result.output


def test_withheld_prompts_are_not_answered(groq_server):
    class Nothing:
        name = "none"

        def query(self, prompt, conversation_id):
            return None

        def answer(self, text, conversation_id):
            raise AssertionError("no answer to show")

    def system(prompt, conversation_id):
        raise AssertionError("a withheld prompt is not answered")

    judge = PairwiseJudge(GroqBackend("llama-3.3-70b-versatile", base_url=groq_server.url))
    result = judged_comparison(["a", "b"], system, system, judge, Nothing(), reference_name="x")
    assert (result.judged, result.count("withheld"), result.quality_preservation) == (0, 2, None)
    assert groq_server.bodies == []
