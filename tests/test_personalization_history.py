"""History format, validator, temporal split, secret scrubbing and the seeded generator."""
from __future__ import annotations

import json

import pytest

from ptmo_lab.personalization.generator import generate_history
from ptmo_lab.personalization.history import (HistoryError, load_history, parse_records, scrub_turns,
                                                     split_turns)
from ptmo_middleware.types import Classification, SensitivityLevel, Span
from personalization_support import rules_classify  # noqa: F401  (fixture)


def test_pairs_and_conversations_in_json_and_jsonl(tmp_path):
    records = [
        {"prompt": "hi", "response": "hello", "timestamp": "2025-01-01T10:00:00Z"},
        {"id": "c", "messages": [
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": "a?", "timestamp": 1735729200},
            {"role": "assistant", "content": "A."},
            {"role": "user", "content": "b?"},
            {"role": "assistant", "content": "B."}]},
    ]
    (tmp_path / "h.json").write_text(json.dumps({"conversations": records}))
    (tmp_path / "h.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n\n")
    for name in ("h.json", "h.jsonl"):
        turns = load_history(tmp_path / name)
        assert [(t.prompt, t.response) for t in turns] == [("hi", "hello"), ("a?", "A."), ("b?", "B.")]
        assert turns[0].timestamp == 1735725600.0
        assert [m.content for m in turns[2].context] == ["be brief", "a?", "A."]
        assert turns[2].conversation_id == "c"


@pytest.mark.parametrize("content, message", [
    ("", "is empty"),
    ("  \n", "is empty"),
    ("[{\"prompt\": \"x\",", "line 1: not valid JSON"),
    ("[]", "holds no turns"),
    ("[{\"prompt\": \"x\"}]", "'response' must be a non-empty string"),
    ("[{\"messages\": [{\"role\": \"bot\", \"content\": \"x\"}]}]", "role 'bot'"),
    ("[{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}]", "no assistant reply"),
    ("[{\"prompt\": \"x\", \"response\": \"y\", \"timestamp\": \"yesterday\"}]", "not ISO 8601"),
    ("[{\"text\": \"x\"}]", "needs 'messages'"),
    ("[3]", "expected an object"),
])
def test_validator_names_the_problem(tmp_path, content, message):
    path = tmp_path / "h.json"
    path.write_text(content)
    with pytest.raises(HistoryError, match=message):
        load_history(path)


def test_jsonl_error_gives_the_line(tmp_path):
    path = tmp_path / "h.jsonl"
    path.write_text('{"prompt": "a", "response": "b"}\n{oops\n')
    with pytest.raises(HistoryError, match="line 2"):
        load_history(path)


def test_missing_and_too_large(tmp_path):
    with pytest.raises(HistoryError, match="not found"):
        load_history(tmp_path / "nope.json")
    path = generate_history(20).write(tmp_path / "h.json")
    with pytest.raises(HistoryError, match="MiB, over the"):
        load_history(path, max_bytes=1000)
    assert len(load_history(path, max_bytes=10**7)) == 20


def test_split_holds_out_the_latest_turns():
    records = [{"prompt": f"p{i}", "response": f"r{i}", "timestamp": 1000 - i} for i in range(10)]
    train, val = split_turns(parse_records(records), 0.2)
    assert [t.prompt for t in val] == ["p1", "p0"]
    assert len(train) == 8 and all(t.timestamp < 999 for t in train)
    _, val = split_turns(parse_records(records[:3]), 0.1)
    assert len(val) == 1


def test_scrubbing_masks_private_spans_with_our_classifier(rules_classify):
    turns = parse_records([{"id": "c", "messages": [
        {"role": "user", "content": "My password is Zq81!kk9x, where do I use it?"},
        {"role": "assistant", "content": "You typed Zq81!kk9x earlier; keep it safe."},
        {"role": "user", "content": "ok"}, {"role": "assistant", "content": "fine"}]}])
    clean, report = scrub_turns(turns, rules_classify)
    text = repr(clean)
    assert "Zq81!kk9x" not in text
    assert clean[0].prompt == "My password is [PASSWORD_1], where do I use it?"
    assert clean[0].response == "You typed [PASSWORD_1] earlier; keep it safe."  # same value, same placeholder
    assert clean[1].context[0].content == clean[0].prompt
    assert report.by_type == {"PASSWORD": 2} and report.total == 2


def test_remove_mode_and_min_level():
    def classify(text):
        i = text.find("Bob")
        spans = [Span(i, i + 3, "PERSON", SensitivityLevel.SEMI_SENSITIVE, 0.9, "t", "Bob")] if i >= 0 else []
        return Classification(max((s.level for s in spans), default=SensitivityLevel.PUBLIC), 0.5, spans)

    turns = parse_records([{"prompt": "Ask Bob", "response": "Bob says hi"}])
    kept, report = scrub_turns(turns, classify)  # default: PRIVATE only
    assert kept[0].prompt == "Ask Bob" and report.total == 0
    cut, report = scrub_turns(turns, classify, mode="remove", min_level=SensitivityLevel.SEMI_SENSITIVE)
    assert (cut[0].prompt, cut[0].response) == ("Ask ", " says hi") and report.total == 2


def test_generator_is_seeded_and_plants_secrets(tmp_path):
    a, b, c = generate_history(200, seed=4), generate_history(200, seed=4), generate_history(200, seed=5)
    assert a.records == b.records and a.records != c.records
    assert a.n_turns == 200 and a.secrets
    turns = load_history(a.write(tmp_path / "h.jsonl"))
    assert len(turns) == 200
    assert all(any(s in t.prompt for t in turns) for s in a.secrets)
    assert all(t.timestamp is not None for t in turns)


def test_generated_secrets_of_every_kind_are_scrubbed(rules_classify):
    history = generate_history(300, seed=2, secret_rate=0.2)
    kinds = {"sk-": 0, "-": 0, "pw": 0}
    for s in history.secrets:
        kinds["sk-" if s.startswith("sk-") else "-" if s[3] == "-" else "pw"] += 1
    assert all(kinds.values()), kinds
    turns = parse_records(history.records)
    clean, report = scrub_turns(turns, rules_classify)
    text = repr(clean)
    assert [s for s in history.secrets if s in text] == []
    assert {"PASSWORD", "API_KEY", "US_SSN"} <= set(report.by_type)
    assert len(clean) == len(turns)
