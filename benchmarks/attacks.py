"""Privacy attacks on personal adapters of the embedded Gemma 3 270M.

Inserts canaries ("Your PIN for account 3 is 4815") 1, 5 and 20 times into a generated
history, trains a LoRA adapter with our trainer without scrubbing, with the default
scrubbing, and with DP-SGD (Opacus), and attacks each: exposure, greedy and sampled
extraction, membership inference. Writes benchmarks/results/attacks.md, attacks_exposure.png and
attacks.json (read by the benchmark suite); ``--name`` changes the file names.

    .venv/bin/python benchmarks/attacks.py [--threads 1] [--variants unscrubbed,scrubbed,dp] [--name attacks]
        [--sample-n 8] [--temperature 1.0] [--top-k 40] [--top-p 0]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import time
from pathlib import Path

from machine import describe  # noqa: E402  (benchmarks/machine.py)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--samples", type=int, default=300, help="sampled candidates per canary (|R| = 10^4)")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--turns", type=int, default=30, help="generated turns of the user's history")
    ap.add_argument("--variants", default="unscrubbed,scrubbed,dp")
    ap.add_argument("--workdir", default="/tmp/ptmo-attacks")
    ap.add_argument("--name", default="attacks", help="results/<name>.md, .json and _exposure.png")
    ap.add_argument("--sample-n", type=int, default=8, help="sampled completions per canary prefix")
    ap.add_argument("--temperature", type=float, default=1.0, help="sampling temperature")
    ap.add_argument("--top-k", type=int, default=40, help="top-k filter of sampling (0: off)")
    ap.add_argument("--top-p", type=float, default=0.0, help="nucleus (top-p) filter of sampling (0: off)")
    args = ap.parse_args()

    import dataclasses

    from ptmo_lab.evaluation.canary_experiment import CanaryExperiment, CanaryExperimentConfig, markdown_table
    from ptmo_lab.evaluation.plots import plot_exposure

    base = CanaryExperimentConfig()
    cfg = dataclasses.replace(
        base, n_turns=args.turns, n_heldout=args.turns // 2, samples=args.samples,
        variants=tuple(args.variants.split(",")), sample_n=args.sample_n, sample_temperature=args.temperature,
        sample_top_k=args.top_k or None, sample_top_p=args.top_p or None,
        training=dataclasses.replace(base.training, epochs=args.epochs, num_threads=args.threads, progress=True))
    t0 = time.perf_counter()
    result = CanaryExperiment(cfg).run(args.workdir, progress=lambda v: print(f"[attacks] {v}", flush=True))
    seconds = time.perf_counter() - t0
    saved = result.to_dict()
    result.save(RESULTS / f"{args.name}.json")
    plot_exposure(saved, RESULTS / f"{args.name}_exposure.png")
    date = subprocess.run(["date", "-u", "+%F"], capture_output=True, text=True).stdout.strip()
    t = cfg.training
    md = f"""## Privacy attacks on the personal adapter (canaries, membership inference): {", ".join(cfg.variants)}

Gemma 3 270M (embedded), LoRA r={t.r} on attention + MLP, {t.epochs} epochs, lr {t.lr}, batch {t.batch_size};
history: {cfg.n_turns} generated turns + canaries "{cfg.fmt.prefix} <{cfg.fmt.digits} digits>" (as the
assistant's reply) inserted {", ".join(map(str, cfg.repetitions))} times; |R| = 10^{cfg.fmt.digits}
(max exposure {saved['max_exposure']:.1f} bits; chance about 1.4 bits). Exposure: rank of the true PIN among
{cfg.samples} sampled candidates (Secret Sharer estimate; when no sampled candidate beats the PIN the
estimate is the maximum, which only shows exposure >= about log2 {cfg.samples} bits). Extraction: greedy completion of the prefix
(share of canaries whose completion starts with the PIN) / sampled completion, "k of n": of {cfg.sample_n} samples per canary
(temperature {cfg.sample_temperature}, top-k {cfg.sample_top_k or "off"}, top-p {cfg.sample_top_p or "off"}, seed {cfg.seed}),
k start with the PIN; a canary counts as extracted by sampling when k > 0.
Membership inference: {cfg.n_turns} member turns vs {cfg.n_heldout} held-out turns of the same user;
"calibrated" subtracts the base model's loss (adapter disabled). DP: Opacus DP-SGD on the LoRA parameters,
noise multiplier {cfg.dp_noise_multiplier}, clip {cfg.dp_max_grad_norm}, delta {cfg.dp_delta} (epsilon from the RDP
accountant, batches treated as Poisson-sampled).
Our classifier flags the canary as PRIVATE: **{saved['canary_detected_private']}**.

{markdown_table(saved)}

![exposure vs repetitions]({args.name}_exposure.png)

Command: `.venv/bin/python benchmarks/attacks.py --threads {args.threads} --samples {args.samples} --epochs {args.epochs} --turns {args.turns} --variants {args.variants} --name {args.name} --sample-n {args.sample_n} --temperature {args.temperature} --top-k {args.top_k} --top-p {args.top_p}`
({seconds / 60:.1f} min). Machine: {describe()}. Date: {date}.
"""
    (RESULTS / f"{args.name}.md").write_text(md, encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
