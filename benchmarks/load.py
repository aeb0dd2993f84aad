"""Load and soak: N concurrent async conversations through PrivacyRouter, and 100k plans.

    python benchmarks/load.py [--sizes 50,200,1000] [--turns 3] [--soak 100000] [--quick]

Each conversation has 3 turns (history grows), half of them streamed, each turn with its
own password and e-mail address; budgets are on (memory store, one principal per
conversation). Two kinds of backends: in-process echo backends that wait 20 ms (the
router's own overhead = wall time minus time inside the backends), and the real
``ollama`` and ``groq`` clients against loopback HTTP servers (tests/servers.py, run in
a child process).
Checks, every run: no mask map crossing between conversations, no raw value in any
cloud request, each principal's budget total equal to the sum of its sent costs to the
micro-unit. Writes benchmarks/results/load.md.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import multiprocessing
import os
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

from machine import describe  # noqa: E402  (benchmarks/machine.py)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from ptmo_middleware import PrivacyRouter  # noqa: E402
from ptmo_middleware.config import BudgetSettings  # noqa: E402
from ptmo_lab.evaluation.load import (LoadResult, TimedEchoBackend, percentile,  # noqa: E402
                                             run_conversations, soak)

OUT = ROOT / "benchmarks" / "results" / "load.md"
BUDGET = BudgetSettings(enabled=True, epsilon=1e6, window="none", store="memory")


def echo_run(n: int, turns: int, classifiers: list[str] | None) -> LoadResult:
    router = PrivacyRouter(classifiers=classifiers, local=TimedEchoBackend("local"),
                           cloud=TimedEchoBackend("cloud"), budget=BUDGET)
    return asyncio.run(run_conversations(router, n, turns))


def _serve(conn: Connection) -> None:
    """Child process: loopback Ollama and Groq servers until told to stop; then send
    back everything the Groq server received."""
    import servers

    # socketserver's listen backlog of 5 would refuse connections under 1000 clients.
    servers.ThreadingHTTPServer.request_queue_size = 4096
    ollama, groq = servers.OllamaServer(), servers.GroqServer()
    conn.send((ollama.url, groq.url, groq.api_key))
    conn.recv()
    conn.send(groq.received_text)
    ollama.close()
    groq.close()


def loopback_run(n: int, turns: int) -> LoadResult:
    """The real ollama and groq clients against loopback servers in another process
    (in this one they would compete with the router for the GIL)."""
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    child = multiprocessing.get_context("spawn").Process(target=_serve, args=(theirs,), daemon=True)
    child.start()
    ollama_url, groq_url, key = ours.recv()
    os.environ.update(OLLAMA_HOST=ollama_url, GROQ_BASE_URL=groq_url, GROQ_API_KEY=key)
    received: list[str] = []

    def cloud_received() -> list[str]:
        ours.send("stop")
        received.append(ours.recv())
        return received

    try:
        router = PrivacyRouter(classifiers=["rules"], local="ollama:llama3.2:3b",
                               cloud="groq:llama-3.3-70b-versatile", budget=BUDGET, cloud_max_retries=0)
        return asyncio.run(run_conversations(router, n, turns, cloud_received=cloud_received))
    finally:
        child.join(10)


def sequential_plan_ms(n: int = 2000) -> list[float]:
    """plan() alone, one at a time: the CPU cost without any queueing."""
    router = PrivacyRouter(classifiers=["rules"])
    times = []
    for k in range(n):
        t0 = time.perf_counter()
        router.plan(f"My password is Qz{k:05d}!vault. Please email member{k:05d}@example.org about the report.",
                    conversation_id=f"s{k}")
        times.append((time.perf_counter() - t0) * 1e3)
    return times


def _checks(r: LoadResult) -> str:
    bad = len(r.crossings) + len(r.leaks) + len(r.budget_mismatches)
    return "all pass" if not bad else f"{len(r.crossings)} crossings, {len(r.leaks)} leaks, " \
                                      f"{len(r.budget_mismatches)} budget mismatches"


def _outcomes(r: LoadResult) -> str:
    return f"{r.fallbacks} / {len(r.errors)}"


def _row(label: str, n: int, r: LoadResult, what: list[float]) -> str:
    return (f"| {label} | {n} | {r.requests} | {r.wall_s:.2f} | {r.throughput:.0f} | "
            f"{percentile(what, 50):.1f} / {percentile(what, 99):.1f} | "
            f"{percentile(r.plan_ms, 50):.2f} / {percentile(r.plan_ms, 99):.2f} | {_outcomes(r)} | {_checks(r)} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50,200,1000", help="conversations, in-process echo backends")
    ap.add_argument("--loopback-sizes", default="50,200", help="conversations, loopback HTTP backends")
    ap.add_argument("--turns", type=int, default=3)
    ap.add_argument("--soak", type=int, default=100_000)
    ap.add_argument("--quick", action="store_true", help="sizes 50,200 and a 20k soak (a smoke run)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    sizes = [50, 200] if args.quick else [int(s) for s in args.sizes.split(",")]
    loopback_sizes = [50] if args.quick else [int(s) for s in args.loopback_sizes.split(",")]
    plans = 20_000 if args.quick else args.soak

    load_before = os.getloadavg()[0]
    rows = []
    failed = False
    for n in sizes:
        r = echo_run(n, args.turns, ["rules"])
        rows.append(_row("echo 20 ms, rules", n, r, r.overhead_ms))
        failed |= _checks(r) != "all pass"
        print(rows[-1], flush=True)
    r = echo_run(sizes[0], args.turns, None)
    rows.append(_row("echo 20 ms, all classifiers", sizes[0], r, r.overhead_ms))
    failed |= _checks(r) != "all pass"
    print(rows[-1], flush=True)
    for n in loopback_sizes:
        r = loopback_run(n, args.turns)
        rows.append(_row("loopback HTTP, rules", n, r, r.overhead_ms))
        failed |= _checks(r) != "all pass"
        print(rows[-1], flush=True)
    seq = sequential_plan_ms()
    s = soak(PrivacyRouter(classifiers=["rules"]), plans, every=max(1, plans // 10),
             progress=lambda k, rss: print(f"soak {k}: {rss:.1f} MiB", flush=True))

    command = "python benchmarks/load.py" + (" --quick" if args.quick else "")
    lines = [
        "## Load and soak", "",
        f"{args.turns}-turn conversations run concurrently (half streamed), each turn with its own password "
        "and e-mail; budgets on (memory store, a principal per conversation). *Overhead* is a request's "
        "wall time minus the time spent inside the backends, so under concurrency it includes queueing "
        "for the 2 cores; with loopback HTTP backends the column is the whole latency (clients, HTTP "
        "and server included). *Checks*: no mask map crossing between conversations (a reply shows only "
        "its own values, and its own e-mail restored), no raw value in any cloud request, every "
        "principal's budget total equal, to the micro-unit, to the sum of the costs charged before each cloud call.", "",
        "| backends, classifiers | conversations | requests | wall s | requests/s | overhead (latency) "
        "p50 / p99 ms | plan() p50 / p99 ms | cloud failed (answered locally) / failed requests | checks |",
        "|---|---|---|---|---|---|---|---|---|", *rows, "",
        "Loopback HTTP runs stop at 200 conversations: at 1000 on this machine the clients' connection "
        "pools (httpx, 100 connections) queue requests past the 120 s backend timeout. The figures are "
        "the real SDK clients' cost as much as the router's: compare the in-process rows for the latter.", "",
        f"plan() alone, sequential, rules classifier: p50 {percentile(seq, 50):.2f} ms, "
        f"p99 {percentile(seq, 99):.2f} ms (2000 plans).", "",
        f"Soak: {s.plans:,} plans (rules classifier) over 20,000 rotating conversations (the vault "
        f"registry keeps 10,000), {s.wall_s:.0f} s; RSS every {s.every:,} plans (MiB): "
        + ", ".join(f"{x:.0f}" for x in s.rss_mib)
        + f"; growth after the first sample {s.growth_mib:+.1f} MiB.", "",
        f"Reproduce: `{command}`  ", f"Machine: {describe()}, shared with other jobs (1-min load average {load_before:.1f} "
        f"at the start, {os.getloadavg()[0]:.1f} at the end)  ",
        f"Date: {datetime.datetime.now(datetime.timezone.utc).date().isoformat()}", "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
