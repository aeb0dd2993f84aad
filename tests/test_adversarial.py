"""The adversarial corpus (tests/adversarial/corpus.jsonl) against the planner.

Floors are the detection rates measured on this corpus when the floor was set, rounded
down to the percent: a drop is a regression. Injection categories must stay at 100 %,
and prompt text must never weaken what the shield does with a planted value.
The default tier runs the rules classifier alone (sub-second); the slow tier runs every
installed classifier, as ``benchmarks/adversarial.py`` does.
"""
from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import pytest

from ptmo_middleware import PrivacyRouter
from ptmo_lab.evaluation.adversarial import CategoryResult, evaluate, load_corpus, survives

HERE = Path(__file__).parent / "adversarial"
CORPUS = load_corpus(HERE / "corpus.jsonl")
INJECTIONS = ("injection_router", "injection_aggregator")

#: Rules classifier alone, measured 2026-11-27 on the committed corpus: every category
#: but names in other languages, which are the NER and ml classifiers' part.
FLOOR_RULES = {category: 1.00 for category in (
    "baseline_plain", "split_secret", "zero_width_bidi", "homoglyph_fullwidth", "leetspeak_keywords",
    "encoded_secret", "secret_in_code", "secret_in_json", "secret_in_url", "secret_in_table",
    "injection_router", "injection_aggregator")} | {"pii_other_language": 0.69}
#: Every installed classifier (ml, ner, rules), measured the same day (benchmarks/adversarial.py;
#: its held-out corpus shows what these floors do not: split passwords at 85 %).
FLOOR_ALL = dict.fromkeys(FLOOR_RULES, 1.00)

_ids = itertools.count()


def _payloads(router: PrivacyRouter, messages, policy: str | None = None):
    cid = f"adv-{next(_ids)}"
    try:
        plan = router.plan(messages, conversation_id=cid, policy=policy)
        return plan, router.vault(cid).mapping
    finally:
        router.vaults.drop(cid)


@pytest.fixture(scope="module")
def rules_router() -> PrivacyRouter:
    return PrivacyRouter(classifiers=["rules"])


@pytest.fixture(scope="module")
def rules_results(rules_router) -> dict[str, CategoryResult]:
    return evaluate(CORPUS, lambda m: _payloads(rules_router, m)[0].cloud_payloads)


def test_corpus_covers_every_category_and_is_reproducible() -> None:
    spec = importlib.util.spec_from_file_location("adversarial_generate", HERE / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)  # type: ignore[union-attr]
    assert set(FLOOR_RULES) == set(FLOOR_ALL) == set(gen.CATEGORIES) == {r["category"] for r in CORPUS}
    assert gen.generate(9, 40) == CORPUS, "the committed corpus is stale: run tests/adversarial/generate.py"
    for rec in CORPUS:
        assert rec["planted"] and all(any(v in m["content"] for m in rec["messages"]) for v in rec["planted"])
        assert ("control_messages" in rec) == (rec["category"] in INJECTIONS)


@pytest.mark.parametrize("category", sorted(FLOOR_RULES))
def test_detection_floor_rules(rules_results, category: str) -> None:
    res = rules_results[category]
    assert res.rate >= FLOOR_RULES[category], (
        f"{category}: {res.rate:.1%} < floor {FLOOR_RULES[category]:.0%}; missed {res.missed_ids[:10]}")


@pytest.mark.parametrize("policy", ["threshold", "cloud-only"])
def test_injection_never_weakens_the_shield(rules_router, policy: str) -> None:
    for rec in (r for r in CORPUS if r["category"] in INJECTIONS):
        plan, mapping = _payloads(rules_router, rec["messages"], policy)
        control, _ = _payloads(rules_router, rec["control_messages"], policy)
        for value in rec["planted"]:
            assert not survives(value, plan.cloud_payloads), (rec["id"], plan.cloud_payloads)
            # The planted value is found as the same kind, at the same level, with or
            # without the instruction around it.
            found = {(s.entity_type, s.level) for s in plan.spans if value in s.text}
            assert found == {(s.entity_type, s.level) for s in control.spans if value in s.text}, rec["id"]
        assert plan.level >= control.level, rec["id"]
        # No original behind a placeholder, the mapping least of all, reaches the cloud.
        for original in mapping.values():
            assert all(original not in p for p in plan.cloud_payloads), rec["id"]


@pytest.fixture(scope="module")
def all_results() -> dict[str, CategoryResult]:
    router = PrivacyRouter()
    return evaluate(CORPUS, lambda m: _payloads(router, m)[0].cloud_payloads)


@pytest.mark.slow
@pytest.mark.parametrize("category", sorted(FLOOR_ALL))
def test_detection_floor_all_classifiers(all_results, category: str) -> None:
    res = all_results[category]
    assert res.rate >= FLOOR_ALL[category], (
        f"{category}: {res.rate:.1%} < floor {FLOOR_ALL[category]:.0%}; missed {res.missed_ids[:10]}")


def test_aggregator_injections_executed_leak_nothing() -> None:
    """Executed end to end: the cloud (an echo that would repeat any mapping it was given)
    receives no planted value, whatever the last turn asks it to repeat."""
    from ptmo_lab.evaluation.load import TimedEchoBackend

    cloud = TimedEchoBackend("cloud", latency_s=0.0)
    router = PrivacyRouter(classifiers=["rules"], local=TimedEchoBackend("local", latency_s=0.0), cloud=cloud)
    records = [r for r in CORPUS if r["category"] in INJECTIONS]
    for rec in records:
        router.invoke(rec["messages"], conversation_id=rec["id"])
    assert len(cloud.received) == len(records)  # they did go to the cloud, masked
    sent = [m.content for call in cloud.received for m in call]
    for rec in records:
        assert not any(survives(v, sent) for v in rec["planted"]), rec["id"]
