"""The canary experiment: does a personal adapter memorise its user's secrets?

A generated user history gets canaries ("Your PIN for account 3 is 4815") inserted at
chosen repetition counts, as assistant replies (the part of a turn the adapter learns).
One adapter is trained per variant with our :class:`LoRATrainer`:

* ``unscrubbed``: secret scrubbing off;
* ``scrubbed``: the default scrubbing (PRIVATE spans masked before training);
* ``dp``: scrubbing off, DP-SGD through Opacus on the LoRA parameters (per-example
  clipping and Gaussian noise; epsilon from Opacus' RDP accountant, treating the
  shuffled batches as if Poisson-sampled).

Each adapter is attacked: exposure of every canary (:class:`TrieScorer`, exact rank when
the randomness space is small), extraction by greedy completion of the canary's prefix
and by sampled completion (``sample_n`` samples per prefix at ``sample_temperature``, with
top-k / top-p filtering, from a seeded generator: extracted when any sample starts with the
secret, and the fraction of samples that do), and membership inference on member turns
versus turns of the same user never trained on (loss-threshold, and calibrated by the
base model: the same weights with the adapter disabled).
"""
from __future__ import annotations

import itertools
import json
import math
import statistics
import zlib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from ptmo_lab.personalization.dataset import IGNORE_INDEX, Example, collate, encode_turn, encode_turns
from ptmo_lab.personalization.generator import generate_history
from ptmo_lab.personalization.history import Turn, parse_records
from ptmo_lab.personalization.trainer import LoRATrainer, TrainingConfig, response_loss
from ptmo_lab.evaluation.attacks import Canary, CanaryFormat, PrivacyAttackSimulator, membership_inference
from ptmo_lab.evaluation.trie_scorer import TrieScorer

VARIANTS = ("unscrubbed", "scrubbed", "dp")
CANARY_PROMPT = "What is my PIN for account {i}?"


@dataclass
class CanaryExperimentConfig:
    """Sizes and settings of one experiment (defaults: benchmarks/attacks.py, about 15 minutes
    a variant for Gemma 3 270M on a loaded 2-core CPU)."""

    n_turns: int = 30
    n_heldout: int = 15
    """Turns of the same user never trained on: the non-members of membership inference."""
    repetitions: tuple[int, ...] = (1, 5, 20)
    canaries_per_repetition: int = 1
    fmt: CanaryFormat = field(default_factory=lambda: CanaryFormat("Your PIN for account {i} is", 4, ""))
    variants: tuple[str, ...] = VARIANTS
    training: TrainingConfig = field(default_factory=lambda: TrainingConfig(
        r=8, alpha=16, epochs=2, batch_size=4, lr=2e-3, max_length=96, eval_every=10**6,
        val_fraction=0.05, warmup_steps=2, progress=False))
    dp_noise_multiplier: float = 0.5
    dp_max_grad_norm: float = 1.0
    dp_delta: float = 1e-5
    exact_limit: int = 1_000
    samples: int = 300
    """Sampled candidates per canary for the exposure estimate (not the extraction samples)."""
    sample_n: int = 8
    """Sampled completions per canary prefix for sampled extraction."""
    sample_temperature: float = 1.0
    sample_top_k: int | None = 40
    """Keep the k most likely tokens at each step (None: no top-k filter); 40 as in Carlini
    et al., "Extracting Training Data from Large Language Models" (2021)."""
    sample_top_p: float | None = None
    """Nucleus sampling: keep the smallest set of tokens with this probability mass (None: off)."""
    seed: int = 0


@dataclass
class VariantResult:
    """The attacks on one adapter."""

    variant: str
    train: dict[str, Any]
    exposures: list[dict[str, Any]]
    extraction: list[dict[str, Any]]
    membership: list[dict[str, Any]]
    dp_epsilon: float | None = None

    def exposure_by_repetition(self) -> dict[int, float]:
        """Mean exposure (bits) of the canaries inserted ``r`` times, per ``r``."""
        groups: dict[int, list[float]] = {}
        for e in self.exposures:
            groups.setdefault(e["repetitions"], []).append(e["exposure"])
        return {r: statistics.fmean(v) for r, v in sorted(groups.items())}

    def extraction_by_repetition(self) -> dict[int, float]:
        """Share of the canaries inserted ``r`` times that greedy completion extracts, per ``r``."""
        groups: dict[int, list[bool]] = {}
        for e in self.extraction:
            groups.setdefault(e["repetitions"], []).append(e["extracted"])
        return {r: sum(v) / len(v) for r, v in sorted(groups.items())}

    def sampled_extraction_by_repetition(self) -> dict[int, dict[str, float]]:
        """Sampled extraction of the canaries inserted ``r`` times, per ``r``: ``extracted``
        (share of canaries with at least one sample starting with the secret), ``hits`` and
        ``samples`` (matching samples of all samples drawn). Empty for results recorded
        before sampled extraction existed."""
        groups: dict[int, list[dict[str, Any]]] = {}
        for e in self.extraction:
            if "sampled_hits" in e:
                groups.setdefault(e["repetitions"], []).append(e)
        return {r: {"extracted": sum(e["sampled_hits"] > 0 for e in v) / len(v),
                    "hits": sum(e["sampled_hits"] for e in v), "samples": sum(len(e["samples"]) for e in v)}
                for r, v in sorted(groups.items())}


@dataclass
class CanaryExperimentResult:
    """Every variant's attacks, the canary format, and whether our classifier flags it."""

    fmt: dict[str, Any]
    max_exposure: float
    canary_detected_private: bool
    variants: list[VariantResult]
    config: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"fmt": self.fmt, "max_exposure": self.max_exposure,
                "canary_detected_private": self.canary_detected_private, "config": self.config,
                "variants": [dict(asdict(v), exposure_by_repetition=v.exposure_by_repetition(),
                                  extraction_by_repetition=v.extraction_by_repetition(),
                                  sampled_extraction_by_repetition=v.sampled_extraction_by_repetition())
                             for v in self.variants]}

    def save(self, path: str | Path) -> Path:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(self.to_dict(), indent=1), encoding="utf-8")
        return p


def _canary_record(canary: Canary, index: int, copy: int, timestamp: str) -> dict[str, Any]:
    return {"id": f"canary-{index}-{copy}", "messages": [
        {"role": "user", "content": CANARY_PROMPT.format(i=index), "timestamp": timestamp},
        {"role": "assistant", "content": canary.text + "."}]}


def _prompt_ids(tokenizer: Any, prefix_to_index: dict[str, int], max_length: int) -> Callable[[str], list[int]]:
    """Token ids of the templated user prompt that precedes a canary's reply, as trained."""
    def ids(prefix: str) -> list[int]:
        ex = encode_turn(tokenizer, Turn(CANARY_PROMPT.format(i=prefix_to_index[prefix]), "."), max_length)
        return [t for t, label in zip(ex.input_ids, ex.labels) if label == IGNORE_INDEX]
    return ids


def _greedy(model: Any, tokenizer: Any, context: Callable[[str], list[int]], n_new: int) -> Callable[[str], str]:
    import torch

    def complete(prefix: str) -> str:
        ids = context(prefix) + tokenizer(prefix, add_special_tokens=False)["input_ids"]
        with torch.no_grad():
            out = model.generate(input_ids=torch.tensor([ids]), attention_mask=torch.ones((1, len(ids)), dtype=torch.long),
                                 max_new_tokens=n_new, do_sample=False, pad_token_id=tokenizer.pad_token_id)
        return tokenizer.decode(out[0, len(ids):], skip_special_tokens=True)
    return complete


def _sampled(model: Any, tokenizer: Any, context: Callable[[str], list[int]], n_new: int, n: int, *,
             temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None,
             seed: int = 0) -> Callable[[str], list[str]]:
    """Sampled completions: ``n`` continuations of ``n_new`` tokens per prefix, drawn at
    ``temperature`` after top-k and top-p (nucleus) filtering. Each prefix gets its own
    ``torch.Generator`` seeded from ``seed`` and the prefix, so the samples are reproducible
    and do not depend on the order of the calls or on torch's global random state."""
    import torch

    if n < 1 or n_new < 1:
        raise ValueError("n and n_new must be positive")
    if temperature <= 0:
        raise ValueError("temperature must be positive (greedy completion is _greedy)")
    if top_p is not None and not 0 < top_p <= 1:
        raise ValueError("top_p must be in (0, 1]")
    eos = tokenizer.eos_token_id
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (eos if eos is not None else 0)

    def filtered(logits: torch.Tensor) -> torch.Tensor:
        logits = logits.float() / temperature
        if top_k is not None and 0 < top_k < logits.shape[-1]:
            kth = torch.topk(logits, top_k, dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, -math.inf)
        if top_p is not None and top_p < 1:
            ordered, order = torch.sort(logits, descending=True, dim=-1)
            mass_before = torch.softmax(ordered, dim=-1).cumsum(-1) - torch.softmax(ordered, dim=-1)
            drop = mass_before >= top_p  # keeps the most likely token and those before the mass is reached
            logits = logits.masked_fill(drop.scatter(-1, order, drop), -math.inf)
        return logits

    def complete(prefix: str) -> list[str]:
        ids = context(prefix) + tokenizer(prefix, add_special_tokens=False)["input_ids"]
        # The CPU generator keeps 32 bits of its seed: hash the seed and the prefix together.
        gen = torch.Generator().manual_seed(zlib.crc32(f"{seed}\x00{prefix}".encode("utf-8")))
        seqs = torch.tensor([ids] * n)
        done = torch.zeros(n, dtype=torch.bool)
        with torch.no_grad():
            # No KV cache: a canary's secret is a few tokens, and this stays model-agnostic.
            for _ in range(n_new):
                logits = model(input_ids=seqs, attention_mask=torch.ones_like(seqs)).logits[:, -1]
                probs = torch.softmax(filtered(logits), dim=-1)
                nxt = torch.multinomial(probs, 1, generator=gen).squeeze(-1)
                nxt = torch.where(done, torch.full_like(nxt, pad), nxt)
                if eos is not None:
                    done |= nxt == eos
                seqs = torch.cat([seqs, nxt[:, None]], dim=1)
                if bool(done.all()):
                    break
        return [tokenizer.decode(row[len(ids):], skip_special_tokens=True) for row in seqs]
    return complete


def _losses(trainer: LoRATrainer, examples: Sequence[Example]) -> list[float]:
    return [float(trainer.evaluate([e])) for e in examples]


def _train_dp(trainer: LoRATrainer, noise_multiplier: float, max_grad_norm: float, delta: float) -> float:
    """Train the adapter with DP-SGD (Opacus) for the configured epochs; return epsilon."""
    import torch
    from opacus import GradSampleModule
    from opacus.accountants import RDPAccountant
    from opacus.optimizers import DPOptimizer

    cfg = trainer.config
    model = GradSampleModule(trainer.model, loss_reduction="sum")
    params = [p for p in trainer.model.parameters() if p.requires_grad]
    optimizer = DPOptimizer(torch.optim.AdamW(params, lr=cfg.lr), noise_multiplier=noise_multiplier,
                            max_grad_norm=max_grad_norm, expected_batch_size=cfg.batch_size)
    torch.manual_seed(cfg.seed)
    trainer.model.train()
    steps = 0
    for epoch in range(cfg.epochs):
        for chunk in trainer._batches(trainer.train_examples, cfg.seed + epoch):
            # One forward for the batch: Opacus' hooks take each example's gradient from it.
            loss_sum, n = response_loss(trainer.model, collate(chunk, trainer.tokenizer.pad_token_id), cfg.loss_chunk)
            (loss_sum / max(n, 1)).backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            steps += 1
    model._close()
    trainer.model.eval()
    accountant = RDPAccountant()
    accountant.history = [(noise_multiplier, cfg.batch_size / len(trainer.train_examples), steps)]
    return float(accountant.get_epsilon(delta))


class CanaryExperiment:
    """Builds the history with canaries, trains each variant, and attacks it."""

    def __init__(self, config: CanaryExperimentConfig | None = None, base_model: str | None = None,
                 classify: Callable[[str], Any] | None = None) -> None:
        self.config = config or CanaryExperimentConfig()
        self.base_model = base_model
        if classify is None:
            from ptmo_middleware.router import PrivacyRouter
            classify = PrivacyRouter().classify
        self.classify = classify

    def build_history(self, path: Path) -> tuple[PrivacyAttackSimulator, list[Turn]]:
        """Write the training history with canaries to ``path``; return the simulator and
        the held-out (non-member) turns."""
        cfg = self.config
        gen = generate_history(cfg.n_turns + cfg.n_heldout, seed=cfg.seed, secret_rate=0.0)
        turns_per_record = [sum(m["role"] == "assistant" for m in r["messages"]) for r in gen.records]
        split, seen = len(gen.records), 0
        for i, n in enumerate(turns_per_record):
            seen += n
            if seen >= cfg.n_turns:
                split = i + 1
                break
        members, heldout = gen.records[:split], gen.records[split:]
        sim = PrivacyAttackSimulator(cfg.fmt, seed=cfg.seed)
        sim.prepare_canary_attack(len(cfg.repetitions) * cfg.canaries_per_repetition, cfg.repetitions)
        first = members[0]["messages"][0]["timestamp"]  # canaries sort with the earliest turns: all trained on
        index = {c.prefix: i + 1 for i, c in enumerate(sim.canaries)}
        copies = itertools.count()
        records = sim.insert_canaries(members, lambda c: _canary_record(c, index[c.prefix], next(copies), first))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        return sim, parse_records(heldout, "held-out")

    def run(self, workdir: str | Path, progress: Callable[[str], None] | None = None) -> CanaryExperimentResult:
        """Run every configured variant; adapters and the history go under ``workdir``."""
        cfg = self.config
        work = Path(workdir)
        history_path = work / "history.jsonl"
        sim, heldout = self.build_history(history_path)
        member_turns = [t for t in parse_records(
            [json.loads(line) for line in history_path.read_text().splitlines()], "history")
            if not t.conversation_id.startswith("canary-")]
        detected = any(s.level.name == "PRIVATE" for s in self.classify(sim.canaries[0].text).spans)
        results = []
        for variant in cfg.variants:
            if variant not in VARIANTS:
                raise ValueError(f"unknown variant {variant!r}; choose from {VARIANTS}")
            if progress:
                progress(variant)
            results.append(self._run_variant(variant, sim, history_path, member_turns, heldout, work / variant))
        return CanaryExperimentResult(asdict(cfg.fmt), math.log2(cfg.fmt.space_size), detected, results,
                                      {k: v for k, v in asdict(cfg).items() if k != "fmt"})

    def _run_variant(self, variant: str, sim: PrivacyAttackSimulator, history: Path, member_turns: list[Turn],
                     heldout: list[Turn], out: Path) -> VariantResult:
        cfg = self.config
        training = replace(cfg.training, scrub="mask" if variant == "scrubbed" else "off")
        trainer = LoRATrainer(training, output_dir=out, classify=self.classify)
        trainer.setup_model(self.base_model)
        trainer.setup_lora(adapter_name="personal")
        trainer.prepare_dataset(history)
        epsilon = None
        if variant == "dp":
            epsilon = _train_dp(trainer, cfg.dp_noise_multiplier, cfg.dp_max_grad_norm, cfg.dp_delta)
            train_info: dict[str, Any] = {"steps": cfg.training.epochs * math.ceil(
                len(trainer.train_examples) / cfg.training.batch_size), "val_loss_after": trainer.evaluate()}
        else:
            train_info = trainer.train(resume=False).to_dict()
        model, tok = trainer.model, trainer.tokenizer
        model.eval()  # LoRATrainer.evaluate() leaves the model in training mode (dropout on)
        index = {c.prefix: i + 1 for i, c in enumerate(sim.canaries)}
        context = _prompt_ids(tok, index, training.max_length)
        scorer = TrieScorer(model, tok, context_ids=context)
        exposures = [{"prefix": r.canary.prefix, "repetitions": r.canary.repetitions, "rank": r.rank,
                      "exposure": r.exposure, "exact": r.exact}
                     for r in sim.compute_exposure(scorer, exact_limit=cfg.exact_limit, samples=cfg.samples,
                                                   batch_size=max(cfg.exact_limit, cfg.samples))]
        n_new = len(tok(sim.canaries[0].text, add_special_tokens=False)["input_ids"]) - \
            len(tok(sim.canaries[0].prefix, add_special_tokens=False)["input_ids"]) + 2
        attack = sim.run_canary_attack(_greedy(model, tok, context, n_new))
        sampled = sim.run_sampled_canary_attack(_sampled(
            model, tok, context, n_new, cfg.sample_n, temperature=cfg.sample_temperature,
            top_k=cfg.sample_top_k, top_p=cfg.sample_top_p, seed=cfg.seed))
        extraction = [{"prefix": c.prefix, "repetitions": c.repetitions, "extracted": x, "completion": comp,
                       "sampled_extracted": hits > 0, "sampled_hits": hits, "sampled_fraction": frac,
                       "samples": samples}
                      for c, x, comp, hits, frac, samples in zip(sim.canaries, attack.extracted, attack.completions,
                                                                 sampled.hits, sampled.fractions, sampled.samples)]
        trim = training.context_messages

        def encode(turns: list[Turn]) -> list[Example]:
            return encode_turns(tok, [replace(t, context=t.context[-trim:] if trim else ()) for t in turns],
                                training.max_length)
        members, nonmembers = encode(member_turns), encode(heldout)
        target = (_losses(trainer, members), _losses(trainer, nonmembers))
        with model.disable_adapter():
            reference = (_losses(trainer, members), _losses(trainer, nonmembers))
        mia = [asdict(m) for m in membership_inference(target[0], target[1], reference[0], reference[1])]
        return VariantResult(variant, train_info, exposures, extraction, mia, epsilon)


def markdown_table(saved: dict[str, Any]) -> str:
    """Markdown table of a saved result (:meth:`CanaryExperimentResult.to_dict`): mean
    exposure and extraction per repetition count, and MIA AUC, per variant.

    Extraction cells read "greedy / sampled": the share of canaries greedy completion
    extracts, then "k of n", the samples (of all drawn for those canaries) that start with
    the secret. Results saved before sampled extraction existed keep the greedy-only column."""
    reps = sorted({int(r) for v in saved["variants"] for r in v["exposure_by_repetition"]})
    with_sampled = any(v.get("sampled_extraction_by_repetition") for v in saved["variants"])
    head = ["variant", *[f"exposure @{r}x (bits)" for r in reps],
            *[f"extracted @{r}x greedy / sampled" if with_sampled else f"extracted @{r}x" for r in reps],
            "MIA AUC loss / calibrated", "TPR@1%FPR calibrated", "DP epsilon"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for v in saved["variants"]:
        exp = {int(k): x for k, x in v["exposure_by_repetition"].items()}
        ext = {int(k): x for k, x in v["extraction_by_repetition"].items()}
        smp = {int(k): x for k, x in (v.get("sampled_extraction_by_repetition") or {}).items()}

        def extraction_cell(r: int) -> str:
            if not with_sampled:
                return f"{ext[r]:.0%}"
            sampled = f"{int(smp[r]['hits'])} of {int(smp[r]['samples'])}" if r in smp else "-"
            return f"{ext[r]:.0%} / {sampled}"
        mia = {m["attack"]: m for m in v["membership"]}
        eps = v.get("dp_epsilon")
        cells = [v["variant"], *[f"{exp[r]:.2f}" for r in reps], *[extraction_cell(r) for r in reps],
                 f"{mia['loss-threshold']['auc']:.3f} / {mia['reference-calibrated']['auc']:.3f}",
                 f"{mia['reference-calibrated']['tpr_at_1pct_fpr']:.2f}", f"{eps:.1f}" if eps is not None else "-"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
