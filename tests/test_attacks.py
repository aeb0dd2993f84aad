"""Exposure and membership-inference maths on models whose answer is known."""
from __future__ import annotations

import math
import random

import pytest

from ptmo_lab.evaluation.attacks import (Canary, CanaryFormat, CausalLMScorer,
                                                 PrivacyAttackSimulator, exposure,
                                                 membership_inference, roc_auc, tpr_at_fpr)


def ranked_scorer(true_secret: str, rank: int, fmt: CanaryFormat):
    """NLL puts exactly rank-1 candidates below the true secret."""
    better = {fmt.secret(n) for n in range(fmt.space_size) if fmt.secret(n) != true_secret}
    better = set(sorted(better)[: rank - 1])

    def score(prefix, conts):
        return [0.0 if c in better else (1.0 if c == true_secret else 2.0) for c in conts]
    return score


@pytest.mark.parametrize("rank", [1, 2, 10, 500])
def test_exact_exposure_matches_rank(rank):
    fmt = CanaryFormat(digits=3)
    canary = Canary("my PIN is", fmt.secret(777), 1)
    res = exposure(canary, fmt, ranked_scorer(canary.secret, rank, fmt))
    assert res.exact
    assert res.rank == rank
    assert res.exposure == pytest.approx(math.log2(1000) - math.log2(rank))


def test_sampled_exposure_estimates_the_exact_one():
    fmt = CanaryFormat(digits=3)
    canary = Canary("my PIN is", fmt.secret(123), 1)
    scorer = ranked_scorer(canary.secret, 250, fmt)
    est = exposure(canary, fmt, scorer, exact_limit=10, samples=4000, rng=random.Random(1))
    assert not est.exact
    assert est.exposure == pytest.approx(math.log2(1000 / 250), abs=0.25)


def test_uninformative_model_has_low_exposure():
    fmt = CanaryFormat(digits=4)
    canary = Canary("my PIN is", fmt.secret(4242), 1)
    rng = random.Random(0)
    table = {}

    def noise(prefix, conts):
        return [table.setdefault(c, rng.random()) for c in conts]
    res = exposure(canary, fmt, noise)
    assert res.exposure < 4  # chance level is ~1 bit; log2|R| would be 13.3


def test_simulator_inserts_and_extracts():
    sim = PrivacyAttackSimulator(CanaryFormat(digits=4), seed=3)
    canaries = sim.prepare_canary_attack(num_canaries=3, repetitions=(1, 5, 20))
    records = sim.insert_canaries(["hello"] * 10)
    assert len(records) == 10 + 26
    assert sum(r == canaries[2].text for r in records) == 20
    assert len({c.prefix for c in canaries}) == 3
    memorised = {canaries[0].prefix: canaries[0].secret + " and more"}
    result = sim.run_canary_attack(lambda prefix: memorised.get(prefix, "9 9 9 9"))
    assert result.extracted == [True, False, False]
    assert result.success_rate == pytest.approx(1 / 3)


def test_roc_auc_and_tpr():
    assert roc_auc([2, 3, 4], [0, 1]) == 1.0
    assert roc_auc([1, 1], [1, 1]) == 0.5
    assert roc_auc([0], [1]) == 0.0
    assert tpr_at_fpr([5, 4, 0.5], [1, 0, 0.2] * 40, 0.01) == pytest.approx(2 / 3)


def test_membership_inference_calibrated_beats_raw_when_texts_differ_in_difficulty():
    rng = random.Random(0)
    difficulty_m = [rng.uniform(1, 5) for _ in range(200)]
    difficulty_n = [rng.uniform(1, 5) for _ in range(200)]
    members = [d - 0.3 for d in difficulty_m]        # training lowers loss a little
    nonmembers = list(difficulty_n)
    raw, calibrated = membership_inference(members, nonmembers, difficulty_m, difficulty_n)
    assert raw.attack == "loss-threshold" and calibrated.attack == "reference-calibrated"
    assert calibrated.auc == 1.0 and calibrated.tpr_at_1pct_fpr == 1.0
    assert 0.5 < raw.auc < 0.75


def test_causal_lm_scorer_matches_manual_nll():
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {w: i for i, w in enumerate(["<pad>", "<s>", "my", "PIN", "is"] + [str(d) for d in range(10)])}
    tk = Tokenizer(models.WordLevel(vocab, unk_token="<pad>"))
    tk.pre_tokenizer = pre_tokenizers.Whitespace()
    tok = transformers.PreTrainedTokenizerFast(tokenizer_object=tk, pad_token="<pad>", bos_token="<s>")
    torch.manual_seed(0)
    model = transformers.GPT2LMHeadModel(transformers.GPT2Config(vocab_size=len(vocab), n_embd=16, n_layer=1, n_head=2))
    model.eval()
    scorer = CausalLMScorer(model, tok)
    got = scorer("my PIN is", ["1 2", "3 4 5"])
    ids = tok("my PIN is 1 2")["input_ids"]
    with torch.no_grad():
        logp = torch.log_softmax(model(torch.tensor([ids])).logits[0], -1)
    n_prefix = len(tok("my PIN is")["input_ids"])
    manual = -sum(float(logp[i - 1, ids[i]]) for i in range(n_prefix, len(ids)))
    assert got[0] == pytest.approx(manual, rel=1e-5)
    assert len(got) == 2 and got[1] > 0


def test_sampled_extraction_counts_any_sample_and_the_fraction():
    sim = PrivacyAttackSimulator(CanaryFormat(digits=4), seed=3)
    canaries = sim.prepare_canary_attack(num_canaries=3, repetitions=(1, 5, 20))
    one_hit = ["0 0 0 0", canaries[0].secret + ".", "1 2", "9"]  # exactly one sample holds the secret
    three_hits = [canaries[1].secret, canaries[1].secret + " and more", "x", canaries[1].secret.replace(" ", "")]
    none = ["nothing", canaries[2].secret[:-1], "", "4 4 4"]  # a truncated secret is no extraction
    table = {canaries[0].prefix: one_hit, canaries[1].prefix: three_hits, canaries[2].prefix: none}
    result = sim.run_sampled_canary_attack(lambda prefix: table[prefix])
    assert result.extracted == [True, True, False]
    assert result.hits == [1, 3, 0]
    assert result.fractions == [0.25, 0.75, 0.0]
    assert result.success_rate == pytest.approx(2 / 3)
    assert result.samples[0] == one_hit
    with pytest.raises(ValueError):
        sim.run_sampled_canary_attack(lambda prefix: [])
