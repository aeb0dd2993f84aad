"""Privacy attacks on personal models: canary exposure and membership inference.

Canary exposure follows Carlini et al., "The Secret Sharer" (2019): a canary
``prefix + s[r]`` with a secret ``r`` drawn from a randomness space R is inserted into
the training data; after training, the canary's log-perplexity is ranked among all
candidates r' in R, and

    exposure = log2 |R| - log2 rank(s[r])

(rank 1 = the model prefers the true secret to every other candidate, exposure
log2|R|: extractable). For large R the rank is estimated from a uniform sample.

Membership inference: a loss-threshold attack (members have lower loss) and a
reference-calibrated attack (loss minus the base model's loss on the same text),
reported as ROC AUC and TPR at 1 % FPR.
"""
from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from typing import Callable, Sequence, TypeVar

#: Scores a batch of (prefix, continuation) pairs: total negative log-likelihood of the
#: continuation given the prefix, in nats (lower = the model finds it more likely).
NLLScorer = Callable[[str, Sequence[str]], Sequence[float]]
#: Generates a completion of a prefix (greedy or sampled).
InferenceFn = Callable[[str], str]
#: Draws several sampled completions of a prefix (e.g. n samples at a temperature).
SampledInferenceFn = Callable[[str], Sequence[str]]
R = TypeVar("R")


@dataclass(frozen=True)
class CanaryFormat:
    """A canary template: a prefix followed by ``digits`` random digits joined by
    ``separator`` ("my PIN for account 3 is 4 8 1 5 1 6", or "... is 481516" with
    ``separator=""``). ``prefix`` may hold ``{i}`` so that each canary has its own prefix.
    The randomness space has ``10 ** digits`` members."""

    prefix: str = "my PIN for account {i} is"
    digits: int = 6
    separator: str = " "

    @property
    def space_size(self) -> int:
        return 10 ** self.digits

    def secret(self, n: int) -> str:
        return self.separator.join(str(n).zfill(self.digits))

    def candidate(self, rng: random.Random) -> str:
        return self.secret(rng.randrange(self.space_size))


@dataclass
class Canary:
    """One inserted canary: its prefix, secret, full text and how often it was inserted."""

    prefix: str
    secret: str
    repetitions: int

    @property
    def text(self) -> str:
        return f"{self.prefix} {self.secret}"


@dataclass
class CanaryAttackResult:
    """Outcome of an extraction attack: which canaries the model completed exactly."""

    extracted: list[bool]
    completions: list[str]

    @property
    def success_rate(self) -> float:
        return sum(self.extracted) / len(self.extracted) if self.extracted else 0.0


@dataclass
class SampledCanaryAttackResult:
    """Outcome of a sampled extraction attack: per canary, the samples drawn and how many
    of them start with the secret; a canary is extracted when at least one does."""

    hits: list[int]
    samples: list[list[str]]

    @property
    def extracted(self) -> list[bool]:
        """Per canary, whether any sample starts with the secret."""
        return [h > 0 for h in self.hits]

    @property
    def fractions(self) -> list[float]:
        """Per canary, the fraction of its samples that start with the secret."""
        return [h / len(s) for h, s in zip(self.hits, self.samples)]

    @property
    def success_rate(self) -> float:
        """Share of canaries extracted by at least one sample."""
        return sum(self.extracted) / len(self.hits) if self.hits else 0.0


@dataclass
class ExposureResult:
    canary: Canary
    rank: float
    exposure: float
    max_exposure: float
    exact: bool


@dataclass
class MembershipResult:
    """ROC AUC and TPR at a fixed FPR of one membership-inference attack."""

    attack: str
    auc: float
    tpr_at_1pct_fpr: float
    n_members: int
    n_nonmembers: int


def _digits_of(text: str) -> str:
    return "".join(re.findall(r"\d", text))


def _starts_with_secret(completion: str, canary: Canary) -> bool:
    """Whether the digits of ``completion`` start with those of the canary's secret."""
    return _digits_of(completion).startswith(_digits_of(canary.secret))


class PrivacyAttackSimulator:
    """Prepare canaries, insert them into a history, and attack the trained model.

    ``prepare_canary_attack(num_canaries)`` draws canaries (seeded);
    ``insert_canaries(records)`` returns training records with each canary repeated
    its number of times; after training, ``run_canary_attack(inference_fn)`` measures
    extraction and ``compute_exposure(scorer)`` the exposure of each canary.
    """

    def __init__(self, fmt: CanaryFormat | None = None, seed: int = 0) -> None:
        self.fmt = fmt or CanaryFormat()
        self.rng = random.Random(seed)
        self.canaries: list[Canary] = []

    def prepare_canary_attack(self, num_canaries: int = 10,
                              repetitions: Sequence[int] = (1, 5, 20)) -> list[Canary]:
        """Draw ``num_canaries`` canaries, cycling through the repetition counts."""
        if num_canaries <= 0:
            raise ValueError("num_canaries must be positive")
        seen: set[str] = set()
        self.canaries = []
        for i in range(num_canaries):
            secret = self.fmt.candidate(self.rng)
            while secret in seen:
                secret = self.fmt.candidate(self.rng)
            seen.add(secret)
            prefix = self.fmt.prefix.format(i=i + 1)
            self.canaries.append(Canary(prefix, secret, repetitions[i % len(repetitions)]))
        return self.canaries

    def insert_canaries(self, records: Sequence[R], wrap: Callable[[Canary], R] | None = None) -> list[R]:
        """``records`` with every canary inserted ``repetitions`` times at random places,
        as its text or as ``wrap(canary)`` (e.g. a history record carrying it)."""
        out = list(records)
        for canary in self.canaries:
            for _ in range(canary.repetitions):
                out.insert(self.rng.randrange(len(out) + 1), wrap(canary) if wrap else canary.text)
        return out

    def run_canary_attack(self, inference_fn: InferenceFn) -> CanaryAttackResult:
        """Complete each canary's prefix with ``inference_fn``; a canary is extracted when
        the completion starts with its secret's digits."""
        if not self.canaries:
            raise RuntimeError("call prepare_canary_attack() first")
        completions = [inference_fn(c.prefix) for c in self.canaries]
        extracted = [_starts_with_secret(comp, c) for c, comp in zip(self.canaries, completions)]
        return CanaryAttackResult(extracted, completions)

    def run_sampled_canary_attack(self, sample_fn: SampledInferenceFn) -> SampledCanaryAttackResult:
        """Draw completions of each canary's prefix with ``sample_fn``; a canary is extracted
        when any sample starts with its secret's digits. Also reports, per canary, the
        fraction of samples that do."""
        if not self.canaries:
            raise RuntimeError("call prepare_canary_attack() first")
        samples = [list(sample_fn(c.prefix)) for c in self.canaries]
        if any(not s for s in samples):
            raise ValueError("sample_fn returned no samples")
        hits = [sum(_starts_with_secret(x, c) for x in s) for c, s in zip(self.canaries, samples)]
        return SampledCanaryAttackResult(hits, samples)

    def compute_exposure(self, scorer: NLLScorer, *, exact_limit: int = 10_000,
                         samples: int = 2_000, batch_size: int = 256) -> list[ExposureResult]:
        """Exposure of every canary under ``scorer``: exact rank when the randomness space
        has at most ``exact_limit`` members, otherwise estimated from ``samples`` draws."""
        return [exposure(c, self.fmt, scorer, exact_limit=exact_limit, samples=samples,
                         batch_size=batch_size, rng=self.rng) for c in self.canaries]


def exposure(canary: Canary, fmt: CanaryFormat, scorer: NLLScorer, *, exact_limit: int = 10_000,
             samples: int = 2_000, batch_size: int = 256, rng: random.Random | None = None) -> ExposureResult:
    """Exposure of one canary (see the module docstring)."""
    rng = rng or random.Random(0)
    size = fmt.space_size
    true_nll = _score(scorer, canary.prefix, [canary.secret], batch_size)[0]
    exact = size <= exact_limit
    if exact:
        others = [fmt.secret(n) for n in range(size)]
        others.remove(canary.secret)
        nlls = _score(scorer, canary.prefix, others, batch_size)
        rank = 1 + sum(1 for v in nlls if v < true_nll)
    else:
        draws = [fmt.candidate(rng) for _ in range(samples)]
        draws = [d for d in draws if d != canary.secret]
        nlls = _score(scorer, canary.prefix, draws, batch_size)
        below = sum(1 for v in nlls if v < true_nll)
        # Unbiased estimate of the number of candidates ranked above the canary; rank >= 1.
        rank = 1 + (size - 1) * below / max(len(draws), 1)
    max_exp = math.log2(size)
    return ExposureResult(canary, rank, max_exp - math.log2(rank), max_exp, exact)


def _score(scorer: NLLScorer, prefix: str, continuations: Sequence[str], batch_size: int) -> list[float]:
    out: list[float] = []
    for i in range(0, len(continuations), batch_size):
        out.extend(float(v) for v in scorer(prefix, continuations[i:i + batch_size]))
    return out


def roc_auc(pos_scores: Sequence[float], neg_scores: Sequence[float]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    if not pos_scores or not neg_scores:
        raise ValueError("need positive and negative scores")
    labelled = sorted([(s, 1) for s in pos_scores] + [(s, 0) for s in neg_scores])
    rank_sum = 0.0
    i = 0
    while i < len(labelled):
        j = i
        while j < len(labelled) and labelled[j][0] == labelled[i][0]:
            j += 1
        avg_rank = (i + 1 + j) / 2.0
        rank_sum += avg_rank * sum(1 for k in range(i, j) if labelled[k][1] == 1)
        i = j
    n_pos, n_neg = len(pos_scores), len(neg_scores)
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def tpr_at_fpr(pos_scores: Sequence[float], neg_scores: Sequence[float], fpr: float = 0.01) -> float:
    """Highest true-positive rate over thresholds whose false-positive rate is <= ``fpr``."""
    best = 0.0
    for t in sorted(set(pos_scores) | set(neg_scores) | {math.inf}):
        fp = sum(1 for s in neg_scores if s >= t) / len(neg_scores)
        if fp <= fpr:
            best = max(best, sum(1 for s in pos_scores if s >= t) / len(pos_scores))
    return best


def membership_inference(member_losses: Sequence[float], nonmember_losses: Sequence[float],
                         member_ref: Sequence[float] | None = None,
                         nonmember_ref: Sequence[float] | None = None) -> list[MembershipResult]:
    """Loss-threshold attack (score = -loss) and, given reference-model losses on the same
    texts, the calibrated attack (score = reference loss - loss)."""
    results = [_mia("loss-threshold", [-v for v in member_losses], [-v for v in nonmember_losses])]
    if member_ref is not None and nonmember_ref is not None:
        if len(member_ref) != len(member_losses) or len(nonmember_ref) != len(nonmember_losses):
            raise ValueError("reference losses must align with the target losses")
        results.append(_mia("reference-calibrated",
                            [r - v for v, r in zip(member_losses, member_ref)],
                            [r - v for v, r in zip(nonmember_losses, nonmember_ref)]))
    return results


def _mia(name: str, pos: list[float], neg: list[float]) -> MembershipResult:
    return MembershipResult(name, roc_auc(pos, neg), tpr_at_fpr(pos, neg, 0.01), len(pos), len(neg))


@dataclass
class CausalLMScorer:
    """:data:`NLLScorer` over a Hugging Face causal LM (optionally with a PEFT adapter)."""

    model: object
    tokenizer: object
    device: str = "cpu"

    def __call__(self, prefix: str, continuations: Sequence[str]) -> list[float]:
        import torch

        tok = self.tokenizer
        prefix_ids = tok(prefix, add_special_tokens=True)["input_ids"]
        seqs = [prefix_ids + tok(" " + c, add_special_tokens=False)["input_ids"] for c in continuations]
        width = max(len(s) for s in seqs)
        pad = tok.pad_token_id if tok.pad_token_id is not None else 0
        ids = torch.full((len(seqs), width), pad, dtype=torch.long)
        mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for i, s in enumerate(seqs):
            ids[i, :len(s)] = torch.tensor(s)
            mask[i, :len(s)] = 1
        with torch.no_grad():
            logits = self.model(input_ids=ids.to(self.device), attention_mask=mask.to(self.device)).logits
        logp = torch.log_softmax(logits[:, :-1].float(), dim=-1)
        target = ids[:, 1:].to(self.device)
        token_lp = logp.gather(-1, target.unsqueeze(-1)).squeeze(-1)
        out = []
        for i, s in enumerate(seqs):
            # Only the continuation's tokens count: positions len(prefix)-1 .. len(s)-2.
            out.append(float(-token_lp[i, len(prefix_ids) - 1:len(s) - 1].sum()))
        return out
