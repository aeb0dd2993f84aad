"""CPU LoRA training on Gemma 3 270M: tokens/s, seconds per step, peak RSS, held-out loss.

Trains a personal adapter on a generated history (seeded) exactly as ``ptmo lora train``
does (scrubbing with our classifiers, temporal hold-out, reply-only loss), then, side by
side in the same process, times a few steps of the anchor reference configuration
(LoRA r=8 on q/v, 4 short sequences a step: about 0.8 s a step measured on this kind of
machine). Writes benchmarks/results/lora_cpu.md.

    .venv/bin/python benchmarks/lora_cpu.py [--turns 300] [--threads 1]
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import describe  # noqa: E402  (benchmarks/machine.py)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

RESULTS = Path(__file__).resolve().parent / "results" / "lora_cpu.md"


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _anchor_steps(trainer, steps: int) -> float:
    """Seconds per step of LoRA r=8 on q/v over 4 short sequences (the anchor set-up)."""
    import torch
    from peft import LoraConfig, get_peft_model

    from ptmo_lab.personalization.dataset import collate
    from ptmo_lab.personalization.trainer import response_loss

    base = trainer.model.unload()  # the same loaded weights, without the personal adapter
    model = get_peft_model(base, LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj"],
                                            task_type="CAUSAL_LM"))
    model.train()
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    batch = collate(trainer.train_examples[:4], trainer.tokenizer.pad_token_id)
    times = []
    for _ in range(steps + 1):
        t0 = time.perf_counter()
        loss, n = response_loss(model, batch)
        (loss / n).backward()
        opt.step()
        opt.zero_grad()
        times.append(time.perf_counter() - t0)
    return sum(times[1:]) / steps  # the first step warms up


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--turns", type=int, default=300)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--max-length", type=int, default=256)
    ap.add_argument("--anchor-steps", type=int, default=3)
    args = ap.parse_args()

    import torch

    from ptmo_lab.personalization.generator import generate_history
    from ptmo_lab.personalization.trainer import LoRATrainer, TrainingConfig

    torch.set_num_threads(args.threads)
    load_avg = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="ptmo-lora-bench-"))
    history = generate_history(args.turns, seed=0).write(work / "history.jsonl")
    config = TrainingConfig(epochs=args.epochs, batch_size=4, max_length=args.max_length, r=8, alpha=16,
                            num_threads=args.threads, eval_every=10**9, progress=sys.stderr.isatty())
    trainer = LoRATrainer(config, output_dir=work / "adapter")
    t0 = time.perf_counter()
    trainer.setup_model()
    load_s = time.perf_counter() - t0
    rss_loaded = _rss_mib()
    trainer.setup_lora("personal")
    t0 = time.perf_counter()
    n_train, n_val = trainer.prepare_dataset(history)
    prep_s = time.perf_counter() - t0
    rss_prepared = _rss_mib()
    cpu0 = time.process_time()
    result = trainer.train(resume=False)
    cpu_s = time.process_time() - cpu0
    trainer.save()
    rss_train = _rss_mib()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    anchor = _anchor_steps(trainer, args.anchor_steps)
    anchor_cpu = (time.process_time() - cpu0) / (time.perf_counter() - wall0) * anchor
    per_step = result.seconds / max(result.steps, 1)
    reply_tokens = sum(e.n_target for e in trainer.train_examples)
    date = subprocess.run(["date", "-u", "+%F"], capture_output=True, text=True).stdout.strip()
    cmd = f".venv/bin/python benchmarks/lora_cpu.py --turns {args.turns} --threads {args.threads}"
    if args.epochs != 1 or args.max_length != 256:
        cmd += f" --epochs {args.epochs} --max-length {args.max_length}"
    lines = [
        "## On-device LoRA training on CPU (Gemma 3 270M)",
        "",
        f"Machine: {describe()}, shared with other "
        f"jobs: load average {load_avg:.1f} at the start. torch {torch.__version__}, {args.threads} thread(s). "
        f"Date: {date}.",
        "",
        f"History: {args.turns} generated turns (seed 0), scrubbed with our classifiers "
        f"({', '.join(f'{k} {v}' for k, v in sorted(result.scrubbed.items())) or 'nothing found'}), "
        f"{n_train} training / {n_val} held-out (latest) turns, max {args.max_length} tokens, "
        f"{reply_tokens} reply tokens to learn. LoRA r=8, alpha 16 on q/k/v/o/gate/up/down, batch 4, "
        f"AdamW lr {config.lr}, {args.epochs} epoch(s), mode: {result.mode} on {result.device}.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| base model load (cached safetensors) | {load_s:.1f} s |",
        f"| history validation + scrubbing + tokenising | {prep_s:.1f} s |",
        f"| training steps | {result.steps} ({result.epochs_done:g} epochs) |",
        f"| training time | {result.seconds:.0f} s ({result.seconds / 60:.1f} min) |",
        f"| seconds per step (4 sequences), wall / CPU time of this process | {per_step:.2f} s / "
        f"{cpu_s / max(result.steps, 1):.2f} s |",
        f"| training tokens/s (prompt + reply tokens through the model), wall / per CPU-second | "
        f"{result.tokens_per_s:.0f} / {result.train_tokens / max(cpu_s, 1e-9):.0f} |",
        f"| peak RSS after load / after loading classifiers + data / after training | {rss_loaded:.0f} / "
        f"{rss_prepared:.0f} / {rss_train:.0f} MiB |",
        f"| held-out loss per reply token, before -> after | {result.val_loss_before:.3f} -> "
        f"{result.val_loss_after:.3f} |",
        f"| anchor set-up, same run: LoRA r=8 q/v, 4 sequences (anchor: about 0.8 s a step) | "
        f"{anchor:.2f} s wall, {anchor_cpu:.2f} s CPU a step (wall ratio {anchor / 0.8:.1f}x the anchor) |",
        "",
        "GPU / QLoRA figures: none. No GPU device was lent to this session, so QLoRA (4-bit NF4) "
        "peak memory and tokens/s were not measured; `benchmarks/qlora_gpu.py` is prepared for a "
        "session that has one.",
        "",
        f"Reproduce: `{cmd}`",
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
