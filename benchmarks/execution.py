"""Execution throughput: sync, threaded and async calls through one PrivacyRouter against
loopback Ollama and Groq servers, with the requests each server received.

    python benchmarks/execution.py [--calls 200] [--threads 50] [--per-thread 20]

The servers (tests/servers.py, keep-alive as the real ones) run in a child process so
that they take no GIL time from the router. Prompts cycle through three plans: cloud
only, masked (an e-mail address), and split (a password sentence kept local, the rest to
the cloud); the rules classifier plans them, so the figures are the execution path's
(planning with spaCy and the ml tagger is measured in leakage.md). The anchor, measured
in the same run against the same servers: the groq SDK called directly (no router, no
planning, nothing masked) in the same concurrency shapes.
Checks, every run: each cloud body arrives exactly once (no duplicate), each local part
reaches the local server, no call fails or hangs. Writes benchmarks/results/execution.md.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from ptmo_middleware import PrivacyRouter  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "execution.md"
LOCAL, CLOUD = "ollama:llama3.2:3b", "groq:llama-3.3-70b-versatile"


def _serve(conn: Connection) -> None:
    """Child process: the loopback servers; on each request from the parent, the counts
    received since the last one (and reset)."""
    import servers

    ollama, groq = servers.OllamaServer(), servers.GroqServer()
    conn.send((ollama.url, groq.url, groq.api_key))
    while conn.recv() == "counts":
        with groq.lock, ollama.lock:
            bodies = Counter(json.dumps(b["messages"]) for b in groq.bodies)
            conn.send({"groq": len(groq.bodies), "ollama": len(ollama.bodies),
                       "groq_duplicates": sum(n - 1 for n in bodies.values()), "groq_bodies": dict(bodies)})
            groq.bodies.clear()
            ollama.bodies.clear()
    ollama.close()
    groq.close()


def prompt(i: int) -> str:
    """Call ``i``'s prompt; each is unique, so a duplicate body on the server is a resend."""
    return (f"What is the capital of France? (question {i})",
            f"Email user{i}@example.org about meetup {i}.",
            f"My password is Pw{i}-zq7Lmx!. What is Python {i}?")[i % 3]


def one_call(router: PrivacyRouter, i: int) -> tuple[float, object]:
    """One request (invoke or stream, alternating); its latency and reply."""
    t0 = time.perf_counter()
    if i % 2:
        reply = router.invoke(prompt(i), conversation_id=f"c{i}")
    else:
        reply = list(router.stream(prompt(i), conversation_id=f"c{i}"))[-1].reply
    return time.perf_counter() - t0, reply


async def one_acall(router: PrivacyRouter, i: int) -> tuple[float, object]:
    t0 = time.perf_counter()
    if i % 2:
        reply = await router.ainvoke(prompt(i), conversation_id=f"c{i}")
    else:
        reply = [c async for c in router.astream(prompt(i), conversation_id=f"c{i}")][-1].reply
    return time.perf_counter() - t0, reply


def run_shape(shape: str, calls: Callable[[int], tuple[float, object]], n: int, threads: int,
              acall: Callable | None = None) -> tuple[float, list[tuple[float, object]]]:
    """Wall time and per-call results of ``n`` calls in one concurrency shape."""
    t0 = time.perf_counter()
    if shape == "sync, one after another":
        results = [calls(i) for i in range(n)]
    elif shape.startswith("threads"):  # ``threads`` threads, each making its share in turn
        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(calls, range(n), timeout=600))
    else:  # ``threads`` tasks on one loop, each making its share of the calls in turn
        async def task(k: int) -> list:
            return [await acall(i) for i in range(k, n, threads)]

        async def main() -> list:
            return [r for rs in await asyncio.gather(*(task(k) for k in range(threads))) for r in rs]
        results = asyncio.run(main())
    return time.perf_counter() - t0, results


def sdk_anchor(url: str, key: str) -> tuple[Callable, Callable]:
    """The groq SDK alone: one sync client, one async client per loop, no retries."""
    import groq

    sync_client = groq.Groq(api_key=key, base_url=url, max_retries=0)
    async_clients: dict[int, object] = {}

    def call(i: int) -> tuple[float, object]:
        t0 = time.perf_counter()
        r = sync_client.chat.completions.create(model="m", messages=[{"role": "user", "content": prompt(i)}])
        return time.perf_counter() - t0, r

    async def acall(i: int) -> tuple[float, object]:
        loop = id(asyncio.get_running_loop())
        if loop not in async_clients:
            async_clients[loop] = groq.AsyncGroq(api_key=key, base_url=url, max_retries=0)
        client = async_clients[loop]
        t0 = time.perf_counter()
        r = await client.chat.completions.create(model="m", messages=[{"role": "user", "content": prompt(i)}])
        return time.perf_counter() - t0, r

    return call, acall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calls", type=int, default=200, help="Calls in a row (sync).")
    ap.add_argument("--threads", type=int, default=50)
    ap.add_argument("--per-thread", type=int, default=20)
    args = ap.parse_args()

    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=_serve, args=(child,), daemon=True)
    server.start()
    ollama_url, groq_url, key = parent.recv()
    os.environ.update(OLLAMA_HOST=ollama_url, GROQ_BASE_URL=groq_url, GROQ_API_KEY=key)

    router = PrivacyRouter(classifiers=["rules"], local=LOCAL, cloud=CLOUD, thresholds={"private": "local"},
                           decomposer="sentence")
    sdk_call, sdk_acall = sdk_anchor(groq_url, key)
    many = args.threads * args.per_thread
    shapes = [("sync, one after another", args.calls), (f"threads ({args.threads} x {args.per_thread})", many),
              (f"asyncio tasks on one loop ({args.threads} x {args.per_thread})", many)]
    router.invoke(prompt(0))  # warm up: plugins, clients
    parent.send("counts")
    parent.recv()
    rows = []
    for shape, n in shapes:
        for system, call, acall in (("PrivacyRouter", lambda i: one_call(router, i),
                                     lambda i: one_acall(router, i)),
                                    ("groq SDK alone (anchor)", sdk_call, sdk_acall)):
            wall, results = run_shape(shape, call, n, args.threads, acall)
            parent.send("counts")
            counts = parent.recv()
            latencies = sorted(r[0] * 1e3 for r in results)
            if system == "PrivacyRouter":
                replies = [r[1] for r in results]
                expected_cloud = sum(bool(r.plan.cloud_messages) for r in replies)
                expected_local = sum(bool(r.plan.local_parts) for r in replies)
                flagged = sum(bool(r.flags) for r in replies)
            else:
                expected_cloud, expected_local, flagged = n, 0, 0
            rows.append((shape, system, n, n / wall, statistics.median(latencies),
                         latencies[int(0.95 * (len(latencies) - 1))], expected_cloud, counts["groq"],
                         counts["groq_duplicates"], expected_local, counts["ollama"], flagged))
            print(rows[-1])
            if counts["groq"] != expected_cloud or counts["ollama"] != expected_local or counts["groq_duplicates"]:
                raise SystemExit(f"request counts differ from the plans: {rows[-1]}")
    parent.send("stop")
    server.join(5)

    lines = [
        "## Execution throughput: sync, threads and asyncio against loopback servers",
        "",
        f"`python benchmarks/execution.py --calls {args.calls} --threads {args.threads} "
        f"--per-thread {args.per_thread}`; {datetime.date.today()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}. One PrivacyRouter (rules classifier; "
        "prompts cycle cloud-only / masked / split, invoke and stream alternating) against the real `ollama` "
        "and `groq` clients and loopback servers with keep-alive in a child process; the anchor is the "
        "`groq` SDK called directly in the same shapes, same run, same servers. Each cloud body must arrive "
        "exactly once and each local part reach Ollama: the run stops otherwise.",
        "",
        "| shape | system | calls | calls/s | p50 ms | p95 ms | cloud bodies expected | received | "
        "duplicates | local bodies expected | received | flagged replies |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        shape, system, n, rate, p50, p95, ec, rc, dup, el, rl, fl = row
        lines.append(f"| {shape} | {system} | {n} | {rate:.0f} | {p50:.1f} | {p95:.1f} | {ec} | {rc} | {dup} | "
                     f"{el} | {rl} | {fl} |")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
