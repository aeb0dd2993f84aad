"""The canary experiment end to end on a tiny random model (default tier) and on the
embedded Gemma 3 270M (slow tier); the trie scorer against per-sequence scoring."""
from __future__ import annotations

import json
import math

import pytest

from ptmo_lab.evaluation.attacks import CanaryFormat, CausalLMScorer
from ptmo_lab.evaluation.canary_experiment import CanaryExperiment, CanaryExperimentConfig, markdown_table
from ptmo_lab.evaluation.trie_scorer import TrieScorer
from ptmo_lab.personalization.trainer import TrainingConfig

pytest_plugins = ["personalization_support"]

FMT = CanaryFormat("Your PIN for account {i} is", 4, "")


def test_trie_scorer_equals_scoring_each_sequence(tiny_model):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(tiny_model).eval()
    tok = AutoTokenizer.from_pretrained(tiny_model)
    conts = [CanaryFormat(digits=3).secret(n) for n in (0, 7, 70, 71, 512, 999)] + ["12 345", "9"]
    fast = TrieScorer(model, tok, chunk=3)("my PIN for account 2 is", conts)
    slow = CausalLMScorer(model, tok)("my PIN for account 2 is", conts)
    assert fast == pytest.approx(slow, abs=1e-4)


def test_canary_experiment_end_to_end_on_a_tiny_model(tiny_model, rules_classify, tmp_path):
    cfg = CanaryExperimentConfig(
        n_turns=12, n_heldout=6, canaries_per_repetition=1, fmt=FMT, exact_limit=100, samples=150,
        training=TrainingConfig(r=4, alpha=8, epochs=2, batch_size=4, lr=5e-3, max_length=64, eval_every=10**6,
                                val_fraction=0.05, warmup_steps=2, progress=False, num_threads=1))
    result = CanaryExperiment(cfg, base_model=str(tiny_model), classify=rules_classify).run(tmp_path)
    assert result.canary_detected_private
    by = {v.variant: v for v in result.variants}
    assert set(by) == {"unscrubbed", "scrubbed", "dp"}
    for v in by.values():
        assert [e["repetitions"] for e in v.exposures] == [1, 5, 20]
        assert all(not e["exact"] for e in v.exposures)  # 10^4 > exact_limit: sampled estimate
        assert [m["attack"] for m in v.membership] == ["loss-threshold", "reference-calibrated"]
        assert all(0.0 <= m["auc"] <= 1.0 and m["n_members"] >= 12 and m["n_nonmembers"] >= 6 for m in v.membership)
    raw, scrubbed = by["unscrubbed"].exposure_by_repetition(), by["scrubbed"].exposure_by_repetition()
    assert raw[20] > raw[1] + 4  # memorised with repetition
    assert scrubbed[20] < raw[20] - 4  # the scrubbed adapter never saw the digits
    assert by["scrubbed"].train["scrubbed"].get("PASSWORD", 0) >= 26  # every inserted copy was masked
    assert by["dp"].dp_epsilon is not None and 0 < by["dp"].dp_epsilon < math.inf
    history = (tmp_path / "history.jsonl").read_text().splitlines()
    assert sum("canary-" in line for line in history) == 26
    for v in by.values():  # sampled extraction: cfg.sample_n samples per canary, recorded beside greedy
        for e in v.extraction:
            assert len(e["samples"]) == cfg.sample_n == 8 and 0 <= e["sampled_hits"] <= 8
            assert e["sampled_fraction"] == e["sampled_hits"] / 8 and e["sampled_extracted"] == (e["sampled_hits"] > 0)
    saved = json.loads(result.save(tmp_path / "canaries.json").read_text())
    assert saved["variants"][0]["exposure_by_repetition"]["20"] == pytest.approx(raw[20])
    assert saved["variants"][0]["sampled_extraction_by_repetition"]["20"]["samples"] == 8
    table = markdown_table(saved)
    assert "extracted @20x greedy / sampled" in table and table.count(" of 8 |") == 9  # 3 variants x 3 counts


@pytest.mark.slow
def test_gemma_adapter_memorises_canaries_unless_scrubbed(tmp_path):
    """Canaries memorised unless scrubbed, on the embedded Gemma 3 270M: the configuration of
    benchmarks/attacks.py (about 35 minutes on a loaded 2-core CPU)."""
    result = CanaryExperiment(CanaryExperimentConfig(variants=("unscrubbed", "scrubbed"))).run(tmp_path)
    assert result.canary_detected_private
    by = {v.variant: v.exposure_by_repetition() for v in result.variants}
    assert by["unscrubbed"][20] > by["unscrubbed"][1]
    assert by["scrubbed"][20] < 0.5 * result.max_exposure


def test_sampled_completion_is_seeded_and_follows_the_filters(tiny_model):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from ptmo_lab.evaluation.canary_experiment import _sampled

    model = AutoModelForCausalLM.from_pretrained(tiny_model).eval()
    tok = AutoTokenizer.from_pretrained(tiny_model)
    context = lambda prefix: [tok.bos_token_id]  # noqa: E731

    def draw(seed, prefix="Your PIN for account 1 is", **kw):
        return _sampled(model, tok, context, 6, 8, seed=seed, **kw)(prefix)
    torch.manual_seed(123)
    first = draw(0)
    torch.manual_seed(456)  # the global random state plays no part
    assert draw(0) == first and len(first) == 8
    assert len(set(first)) > 1  # random weights, temperature 1: the samples differ
    assert draw(1) != first
    # top_k=1 (and a tiny nucleus) leave only the most likely token: every sample is the greedy one.
    from ptmo_lab.evaluation.canary_experiment import _greedy
    greedy = _greedy(model, tok, context, 6)("Your PIN for account 1 is")
    assert draw(0, top_k=1) == [greedy] * 8
    assert draw(5, top_p=1e-6, temperature=0.7) == [greedy] * 8
    with pytest.raises(ValueError):
        draw(0, temperature=0.0)


def test_committed_results_render_as_committed():
    """benchmarks/results/attacks*.json render to the table of their .md; one saved before
    sampled extraction existed keeps the greedy-only columns, and so does any result once
    its sampled figures are dropped."""
    from pathlib import Path

    results = Path(__file__).resolve().parent.parent / "benchmarks" / "results"
    for name in ("attacks", "attacks_dp"):
        saved = json.loads((results / f"{name}.json").read_text())
        table = markdown_table(saved)
        assert ("greedy / sampled" in table) == ("sampled_extraction_by_repetition" in saved["variants"][0])
        assert table in (results / f"{name}.md").read_text()
        for v in saved["variants"]:
            v.pop("sampled_extraction_by_repetition", None)
        old = markdown_table(saved)
        assert "greedy / sampled" not in old and "extracted @20x |" in old
