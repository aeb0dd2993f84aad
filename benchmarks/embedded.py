"""Embedded model (Gemma 3 270M): load time cold and cached, tokens per second, and the
middleware's share of the end-to-end time of a hybrid request.

    python benchmarks/embedded.py [--runs N] [--tokens N] [--skip-cold]

Cold load converts the packaged GGUF into a fresh temporary cache (what a first run
does); cached load reads the converted safetensors. Tokens per second: greedy
generation of ``--tokens`` new tokens, at 1 and 2 torch threads. Middleware share:
``PrivacyRouter.invoke`` with the embedded model as the local model and as the cloud
stand-in; the time spent inside backend calls (the union of their wall-clock
intervals) is subtracted from the total, the rest is the middleware's (classify,
decompose, route, shield, restore, aggregation, scheduling). Writes
benchmarks/results/embedded.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from ptmo_middleware.backends import AsyncTextStream, TextStream, usage_of

from machine import describe  # noqa: E402  (benchmarks/machine.py)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "embedded.md"
HYBRID = {
    "masked (default policy)": ("My colleague Maria Keller was diagnosed with type 2 diabetes. "
                                "Which foods should she avoid?", {}),
    "split (private sentence local)": ("My password is Tr0ub4dor&3x. How do I change a password on Linux?",
                                       {"thresholds": {"private": "local"}, "decomposer": "sentence"}),
}


class TimedBackend:
    """Delegates to a backend and records the wall-clock interval of every call."""

    def __init__(self, inner: Any, intervals: list[tuple[float, float]]) -> None:
        self.inner, self.intervals = inner, intervals
        self.name, self.provider = inner.name, inner.provider

    def chat(self, messages: list, **options: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return self.inner.chat(messages, **options)
        finally:
            self.intervals.append((t0, time.perf_counter()))

    def stream(self, messages: list, **options: Any) -> TextStream:
        return TextStream(self._stream(messages, options))

    def _stream(self, messages: list, options: dict[str, Any]) -> Iterator[Any]:
        t0 = time.perf_counter()
        try:
            inner = self.inner.stream(messages, **options)
            yield from inner
            yield usage_of(inner)
        finally:
            self.intervals.append((t0, time.perf_counter()))

    async def achat(self, messages: list, **options: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return await self.inner.achat(messages, **options)
        finally:
            self.intervals.append((t0, time.perf_counter()))

    def astream(self, messages: list, **options: Any) -> AsyncTextStream:
        return AsyncTextStream(self._astream(messages, options))

    async def _astream(self, messages: list, options: dict[str, Any]) -> AsyncIterator[Any]:
        t0 = time.perf_counter()
        try:
            inner = self.inner.astream(messages, **options)
            async for piece in inner:
                yield piece
            yield usage_of(inner)
        finally:
            self.intervals.append((t0, time.perf_counter()))


def union_seconds(intervals: list[tuple[float, float]]) -> float:
    """Total length of the union of time intervals."""
    total, end = 0.0, float("-inf")
    for a, b in sorted(intervals):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


def cold_load_seconds() -> float:
    """Convert + load in a fresh cache, in a subprocess (nothing cached in memory)."""
    with tempfile.TemporaryDirectory() as tmp:
        code = ("import time; t=time.perf_counter(); from ptmo_middleware.backends.local_model import "
                "load_base_model; load_base_model(); print(time.perf_counter()-t)")
        out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PTMO_CACHE_DIR": tmp},
                             capture_output=True, text=True, check=True)
        return float(out.stdout.strip().splitlines()[-1])


def cached_load_seconds(runs: int) -> list[float]:
    from ptmo_middleware.backends.local_model import ensure_converted, load_base_model

    ensure_converted()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        load_base_model()
        times.append(time.perf_counter() - t0)
    return times


def tokens_per_second(tokens: int, threads: int) -> float:
    import torch

    from ptmo_middleware.backends.embedded import loaded_model

    torch.set_num_threads(threads)
    model, tokenizer, _ = loaded_model()
    inputs = tokenizer("The history of the city of Paris", return_tensors="pt")
    with torch.no_grad():
        model.generate(**inputs, max_new_tokens=2, do_sample=False)  # warm-up
        t0 = time.perf_counter()
        out = model.generate(**inputs, max_new_tokens=tokens, min_new_tokens=tokens, do_sample=False)
    return (out.shape[1] - inputs["input_ids"].shape[1]) / (time.perf_counter() - t0)


def middleware_share(runs: int, tokens: int) -> dict[str, dict[str, float]]:
    from ptmo_middleware.backends.embedded import EmbeddedBackend
    from ptmo_middleware.router import PrivacyRouter

    out = {}
    for label, (prompt, settings) in HYBRID.items():
        intervals: list[tuple[float, float]] = []
        router = PrivacyRouter(local=TimedBackend(EmbeddedBackend(), intervals),
                               cloud=TimedBackend(EmbeddedBackend(), intervals), **settings)
        router.invoke(prompt, conversation_id="warm-up", max_tokens=2)
        totals, shares, stages, overheads = [], [], [], []
        for i in range(runs):
            intervals.clear()
            reply = router.invoke(prompt, conversation_id=f"run-{i}", max_tokens=tokens)
            total = reply.timings_ms["total"] / 1e3
            middleware = total - union_seconds(intervals)
            totals.append(total)
            overheads.append(middleware * 1e3)
            shares.append(middleware / total)
            stages.append(sum(reply.timings_ms.get(k, 0.0) for k in ("classify", "decompose", "route", "aggregate")))
        out[label] = {"route": reply.plan.route.value, "sides": "+".join(reply.backends),
                      "total_s": statistics.median(totals), "share": statistics.median(shares),
                      "middleware_ms": statistics.median(overheads),
                      "stages_ms": statistics.median(stages)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=32)
    parser.add_argument("--skip-cold", action="store_true", help="skip the cold conversion (slow)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    load_before = os.getloadavg()[0]
    cold = None if args.skip_cold else cold_load_seconds()
    cached = cached_load_seconds(args.runs)
    tps = {n: tokens_per_second(args.tokens * 2, n) for n in (1, 2)}
    fastest = max(tps, key=tps.get)  # the faster the model, the larger (worse) the middleware's share
    import torch

    torch.set_num_threads(fastest)
    shares = middleware_share(args.runs, args.tokens)
    date = subprocess.run(["date", "-u", "+%F"], capture_output=True, text=True).stdout.strip()
    cmd = "python benchmarks/embedded.py" + (f" --runs {args.runs}" if args.runs != 3 else "") \
        + (f" --tokens {args.tokens}" if args.tokens != 32 else "") + (" --skip-cold" if args.skip_cold else "")
    lines = [
        "## Embedded model (Gemma 3 270M, transformers, CPU; int8 weights unless PTMO_EMBEDDED_PRECISION=fp32)",
        "",
        "| measure | value |",
        "|---|---|",
        "| cold load (GGUF assemble + dequantise + save safetensors + load) | "
        + (f"{cold:.1f} s |" if cold is not None else "not measured (--skip-cold) |"),
        f"| cached load (safetensors), median of {args.runs} | {statistics.median(cached):.1f} s |",
        f"| generation, 1 torch thread ({args.tokens * 2} new tokens, greedy) | {tps[1]:.1f} tokens/s |",
        f"| generation, 2 torch threads | {tps[2]:.1f} tokens/s |",
        "",
        f"Middleware share of a request's end-to-end time (embedded model local and as cloud stand-in, "
        f"{args.tokens} tokens per answer, {fastest} torch thread(s), median of {args.runs}; target < 5 %):",
        "",
        "| request | route | sides called | end-to-end | planning + aggregation | all middleware time "
        "| middleware share |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, r in shares.items():
        lines.append(f"| {label} | {r['route']} | {r['sides']} | {r['total_s']:.2f} s | {r['stages_ms']:.1f} ms "
                     f"| {r['middleware_ms']:.1f} ms | {100 * r['share']:.2f} % |")
    lines += [
        "",
        "Middleware share = (end-to-end time - union of the time spent inside backend calls) / end-to-end; "
        "it includes classification (rules, NER, ml), planning, restore, aggregation and the async "
        "scheduling. The machine was shared with other jobs (1-minute load average "
        f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end, on 2 cores), so model times "
        "here are several times slower than on an idle machine; the middleware's absolute time is the "
        "figure to compare with a faster model's answer time.",
        "",
        f"Reproduce: `{cmd}`  ",
        f"Machine: {describe()}, "
        f"Python {platform.python_version()}. Date: {date}.",
        "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
