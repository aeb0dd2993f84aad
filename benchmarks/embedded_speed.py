"""Embedded model speed: the plain fp32 path against the adopted int8 path, same run.

    python benchmarks/embedded_speed.py [--tokens N] [--rounds N]

For each variant (fp32 at torch's default thread count: the path before; fp32 at 1
thread; int8 weights at 2 threads; int8 at 1 thread: the path the embedded backend
takes now) and each short prompt: greedy ``generate`` of ``--tokens`` new tokens
(``min_new_tokens`` so every variant decodes as many), timing the first new token and
the decode rate. Variants alternate within each round so that load from other jobs on
the machine falls on all of them alike; medians over rounds and prompts. Also: the
first answer piece through ``EmbeddedBackend.stream`` (chat template, stop strings,
streamer: what a user waits for), how far int8 answers stay from fp32 ones (same
greedy text; next-token top-1 agreement and KL divergence along the fp32 answer) and
the size of the converted model in the cache (the GGUF's quantized blocks). Writes
benchmarks/results/embedded_speed.md.
"""
from __future__ import annotations

import argparse
import copy
import os
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

from machine import describe  # noqa: E402  (benchmarks/machine.py)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "embedded_speed.md"
PROMPTS = ["How many legs does a spider have?", "What is the capital of France?",
           "Explain photosynthesis in one sentence.", "Write a short cover letter for a junior developer job."]


class FirstTokenClock:
    """A ``generate`` streamer that notes when the first new token arrives."""

    def __init__(self) -> None:
        self.calls = 0
        self.first: float | None = None

    def put(self, value: Any) -> None:
        self.calls += 1
        if self.calls == 2:  # the first call carries the prompt
            self.first = time.perf_counter()

    def end(self) -> None:
        pass


def chat_inputs(tokenizer: Any, prompt: str) -> dict[str, Any]:
    return tokenizer.apply_chat_template([{"role": "user", "content": prompt}], add_generation_prompt=True,
                                         return_tensors="pt", return_dict=True)


def timed_generation(model: Any, inputs: dict[str, Any], tokens: int) -> tuple[float, float, list[int]]:
    """``(first-token seconds, tokens/s after the first, new token ids)``."""
    import torch

    clock = FirstTokenClock()
    with torch.inference_mode():
        t0 = time.perf_counter()
        out = model.generate(**inputs, max_new_tokens=tokens, min_new_tokens=tokens, do_sample=False, streamer=clock)
        end = time.perf_counter()
    new = out[0, inputs["input_ids"].shape[1]:].tolist()
    assert clock.first is not None
    return clock.first - t0, (len(new) - 1) / (end - clock.first), new


def divergence(fp32: Any, int8: Any, inputs: dict[str, Any], answer: list[int]) -> tuple[float, float]:
    """Next-token top-1 agreement and mean KL(fp32 || int8) along the fp32 answer."""
    import torch

    ids = torch.cat([inputs["input_ids"], torch.tensor([answer])], dim=1)
    n = len(answer)
    with torch.inference_mode():
        ref = fp32(input_ids=ids).logits[0, -n - 1:-1].float().log_softmax(-1)
        got = int8(input_ids=ids).logits[0, -n - 1:-1].float().log_softmax(-1)
    agree = (ref.argmax(-1) == got.argmax(-1)).float().mean().item()
    kl = torch.nn.functional.kl_div(got, ref, log_target=True, reduction="batchmean").item()
    return agree, kl


def backend_first_piece(prompt: str) -> float:
    """Seconds to the first non-empty answer piece through the embedded backend."""
    from ptmo_middleware.backends.embedded import EmbeddedBackend
    from ptmo_middleware.types import Message

    t0 = time.perf_counter()
    first = None
    for piece in EmbeddedBackend().stream([Message("user", prompt)], max_tokens=16):
        if piece and first is None:
            first = time.perf_counter() - t0
    return first if first is not None else float("nan")


def cache_mb() -> float:
    from ptmo_middleware.backends.local_model import default_model_dir

    return sum(f.stat().st_size for f in default_model_dir().rglob("*") if f.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    from ptmo_middleware.backends.int8 import quantize_for_cpu
    from ptmo_middleware.backends.local_model import load_base_model

    default_threads = torch.get_num_threads()
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    fp32, tokenizer = load_base_model()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    int8 = quantize_for_cpu(copy.deepcopy(fp32))
    quantize_s = time.perf_counter() - t0
    variants = {f"fp32, {default_threads} threads (before)": (fp32, default_threads),
                "fp32, 1 thread": (fp32, 1), "int8, 2 threads": (int8, 2), "int8, 1 thread (now)": (int8, 1)}
    inputs = {p: chat_inputs(tokenizer, p) for p in PROMPTS}
    firsts: dict[str, list[float]] = {v: [] for v in variants}
    rates: dict[str, list[float]] = {v: [] for v in variants}
    answers: dict[str, dict[str, list[int]]] = {v: {} for v in variants}
    for _ in range(args.rounds):
        for name, (model, threads) in variants.items():
            torch.set_num_threads(threads)
            timed_generation(model, inputs[PROMPTS[0]], 2)  # warm-up
            for p in PROMPTS:
                first, rate, new = timed_generation(model, inputs[p], args.tokens)
                firsts[name].append(first)
                rates[name].append(rate)
                answers[name][p] = new
    torch.set_num_threads(1)
    before, now = next(iter(variants)), list(variants)[-1]
    quality = [divergence(fp32, int8, inputs[p], answers[before][p]) for p in PROMPTS]
    same = sum(answers[before][p] == answers[now][p] for p in PROMPTS)
    del fp32, int8
    backend_first_piece("Hi")  # loads the backend's own (int8) model
    pieces = [backend_first_piece(p) for p in PROMPTS]
    size = cache_mb()
    load_after = os.getloadavg()[0]

    rate_before = statistics.median(rates[before])
    date = subprocess.run(["date", "-u", "+%F"], capture_output=True, text=True).stdout.strip()
    cmd = "python benchmarks/embedded_speed.py" + (f" --tokens {args.tokens}" if args.tokens != 64 else "") \
        + (f" --rounds {args.rounds}" if args.rounds != 2 else "")
    lines = [
        "## Embedded model speed (Gemma 3 270M on the CPU): fp32 before, int8 now",
        "",
        f"Greedy generation of {args.tokens} new tokens for {len(PROMPTS)} short chat prompts (9-14 prompt "
        f"tokens), {args.rounds} rounds with the variants alternating; medians. Target: >= 15 tokens/s, "
        "first token < 1 s, cache < 400 MB.",
        "",
        "| variant | tokens/s | vs before | tokens/s per round | first token |",
        "|---|---|---|---|---|",
    ]
    n = len(PROMPTS)
    for name in variants:
        rate = statistics.median(rates[name])
        rounds = ", ".join(f"{statistics.median(rates[name][i:i + n]):.1f}" for i in range(0, len(rates[name]), n))
        lines.append(f"| {name} | {rate:.1f} | {rate / rate_before:.2f}x | {rounds} | "
                     f"{statistics.median(firsts[name]) * 1e3:.0f} ms |")
    lines += [
        "",
        "| measure | value |",
        "|---|---|",
        f"| first answer piece through `EmbeddedBackend.stream` (int8, 1 thread), median / max | "
        f"{statistics.median(pieces) * 1e3:.0f} ms / {max(pieces) * 1e3:.0f} ms |",
        f"| int8 vs fp32: same greedy {args.tokens}-token answer | {same}/{len(PROMPTS)} prompts |",
        f"| int8 vs fp32: next-token top-1 agreement along the fp32 answer | "
        f"{statistics.mean(a for a, _ in quality):.3f} |",
        f"| int8 vs fp32: mean KL(fp32 \\|\\| int8) per token | {statistics.mean(k for _, k in quality):.4f} |",
        f"| converted model in the cache | {size:.0f} MB |",
        f"| cached load (GGUF blocks dequantized to fp32) + int8 quantization | {load_s:.1f} s + {quantize_s:.1f} s |",
        "",
        "Answers (first 100 characters, fp32 before -> int8 now):",
        "",
    ]
    for p in PROMPTS:
        old = tokenizer.decode(answers[before][p], skip_special_tokens=True)[:100]
        new = tokenizer.decode(answers[now][p], skip_special_tokens=True)[:100]
        lines.append(f"- {p} {old!r} -> {new!r}")
    lines += [
        "",
        f"The machine was shared with other jobs (1-minute load average {load_before:.1f} at the start, "
        f"{load_after:.1f} at the end, on {os.cpu_count()} cores); the ratios are the figures to compare. "
        "Two threads win only while the second core is idle and lose several-fold when another job "
        "runs (compare the rounds), so the backend uses 1 thread unless PTMO_TORCH_THREADS says otherwise.",
        "",
        f"Reproduce: `{cmd}`  ",
        f"Machine: {describe()}. Date: {date}.",
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
