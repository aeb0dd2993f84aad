"""Load over the gateway: N concurrent conversations across two ``ptmo serve`` replicas
sharing a Redis vault and a Redis budget, beside a plain reverse proxy of the same requests.

    python benchmarks/gateway_load.py [--conversations 1000] [--concurrency 128]
                                      [--litellm /path/to/venv/bin/litellm]

Every conversation has its own e-mail, phone number and password, and 2 or 3 turns whose
requests alternate between the two replicas (no conversation header: the gateway names
the conversation from its opening, as it does for an unmodified OpenAI client). The
loopback Groq server (tests/servers.py, in a child process) answers with the whole
history it received, so each answer repeats every placeholder of the conversation.
Checks: each answer is exactly the conversation's history with its own values restored
(no value of another conversation, no placeholder left), no raw value reached the cloud,
and the Redis budget ledger holds one charge per cloud request, its total their sum.
The plain proxy (Starlette + httpx, no privacy logic, two processes too) forwards the
same requests to the same Groq server in the same run; so, with ``--litellm``, does
LiteLLM's proxy with its Presidio guardrail (Presidio's REST API served here from its
Python engines). *Own overhead* is a request's latency at the client minus the
backend's time the server reports (``server-timing``; LiteLLM's duration headers).
Writes benchmarks/results/gateway_load.md.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx

from machine import describe  # noqa: E402  (benchmarks/machine.py)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from ptmo_lab.evaluation.load import percentile  # noqa: E402
from redis_support import REDIS_SERVER, free_port, redis_server  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "gateway_load.md"
VAULT_KEY = "bench-vault-key-0123456789abcdefghijklmnop"
KEY, PRINCIPAL = "key-load", "load"
WARMUP_KEY = "key-warmup"
#: Conversations driven one request at a time after each measured run (the overhead without queueing).
IDLE_CONVERSATIONS = 20
#: Every private value the conversations carry (to find them in answers and cloud requests).
VALUE = re.compile(r"user\d{4}@corp-mail\.com|\+1 415 555 \d{4}|Qz\d{5}!vault")
#: A placeholder left in an answer: ours (``[EMAIL_ADDRESS_1]``) or Presidio's (``<EMAIL_ADDRESS_1>``, ``<URL>``).
PLACEHOLDER = re.compile(r"\[[A-Z_]+_\d+\]|<[A-Z_]+(?:_\d+)?>")
#: The backend entries of ``server-timing`` (the gateway's and the proxy's).
BACKEND_TIMINGS = ("local", "cloud", "upstream")
CONFIG = """local = "ollama:llama3.2:3b"
cloud = "groq:llama-3.3-70b-versatile"
classifiers = ["rules"]
[gateway]
api_keys = {{ "{key}" = "{principal}", "{warmup}" = "warmup" }}
[vault]
store = "{redis}"
[budget]
enabled = true
store = "{redis}"
window = "none"
epsilon = 1000000000
"""


LITELLM_KEY = "sk-bench-litellm-master-0123456789abcdef"
LITELLM_CONFIG = """model_list:
  - model_name: ptmo
    litellm_params:
      model: openai/llama-3.3-70b-versatile
      api_base: {groq}/openai/v1
      api_key: {key}
guardrails:
  - guardrail_name: presidio-pii
    litellm_params:
      guardrail: presidio
      mode: pre_call
      output_parse_pii: true
      default_on: true
"""


def values(i: int) -> tuple[str, str, str]:
    """Conversation ``i``'s own e-mail, phone number and password."""
    return f"user{i:04d}@corp-mail.com", f"+1 415 555 {i:04d}", f"Qz{i:05d}!vault"


def turns(i: int) -> list[str]:
    """Conversation ``i``'s user turns: 3 for even ``i``, 2 for odd."""
    email, phone, password = values(i)
    said = [f"My password is {password}. Write to {email} about the offsite.",
            f"Also call {phone} and copy {email}."]
    return said + ["Summarise it for me."] if i % 2 == 0 else said


def _history_answer(messages: list[dict[str, Any]]) -> str:
    return " | ".join(m.get("content") or "" for m in messages)


def _backends(conn: Connection) -> None:
    """Child process: loopback Ollama and Groq servers; ``take`` answers (cloud requests,
    every text they carried) and forgets them; ``stop`` ends."""
    import servers

    servers.ThreadingHTTPServer.request_queue_size = 4096  # 5 would refuse connections under load
    ollama, groq = servers.OllamaServer(), servers.GroqServer(answer=_history_answer)
    conn.send((ollama.url, groq.url, groq.api_key))
    while conn.recv() == "take":
        with groq.lock:
            bodies, groq.bodies = groq.bodies, []
        conn.send((len(bodies), "\n".join(json.dumps(b, ensure_ascii=False) for b in bodies)))
    ollama.close()
    groq.close()


def proxy_app(upstream: str, api_key: str) -> Any:
    """A plain reverse proxy: ``POST /v1/chat/completions`` to Groq's endpoint as is,
    with the upstream's time in ``server-timing``; no privacy logic."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    client = httpx.AsyncClient(base_url=upstream, timeout=300,
                               limits=httpx.Limits(max_connections=200, max_keepalive_connections=200))

    async def chat(request: Request) -> Response:
        body = await request.body()
        started = time.perf_counter()
        answer = await client.post("/openai/v1/chat/completions", content=body, headers={
            "authorization": f"Bearer {api_key}", "content-type": "application/json"})
        upstream_ms = (time.perf_counter() - started) * 1e3
        return Response(answer.content, status_code=answer.status_code, media_type="application/json",
                        headers={"server-timing": f"upstream;dur={upstream_ms:.3f}"})

    return Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"])])


def presidio_app() -> Any:
    """Presidio's analyzer and anonymizer REST API (``POST /analyze``, ``POST /anonymize``)
    over its Python engines with their defaults (ptmo_lab's Presidio anchor), as the
    Presidio containers serve it to LiteLLM's guardrail."""
    from presidio_analyzer import RecognizerResult
    from presidio_anonymizer import AnonymizerEngine
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from ptmo_lab.evaluation.presidio_anchor import analyzer

    engine, anonymizer = analyzer(), AnonymizerEngine()

    async def analyze(request: Request) -> JSONResponse:
        body = await request.json()
        found = await run_in_threadpool(engine.analyze, body["text"], language=body.get("language", "en"),
                                        entities=body.get("entities"))
        return JSONResponse([r.to_dict() for r in found])

    async def anonymize(request: Request) -> JSONResponse:
        body = await request.json()
        found = [RecognizerResult(r["entity_type"], r["start"], r["end"], r["score"]) for r in body["analyzer_results"]]
        result = anonymizer.anonymize(body["text"], found)
        return JSONResponse({"text": result.text, "items": [
            {"start": i.start, "end": i.end, "entity_type": i.entity_type, "text": i.text, "operator": i.operator}
            for i in result.items]})

    return Starlette(routes=[Route("/analyze", analyze, methods=["POST"]),
                             Route("/anonymize", anonymize, methods=["POST"])])


def _serve_app(factory: str, port: int, *args: str) -> None:
    """In a process of its own: the app of ``factory`` (a function of this module) on uvicorn."""
    import uvicorn

    uvicorn.run(globals()[factory](*args), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _wait_ready(url: str, alive: Any, what: str, deadline_s: float = 90) -> None:
    """Wait until ``url`` answers (any HTTP status) while ``alive()``."""
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            pass
        if not alive() or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start")
        time.sleep(0.1)


@contextmanager
def processes(commands: list[list[str]], env: dict[str, str], logs: Path, ready_path: str) -> Iterator[list[str]]:
    """One process per command, each given a free port as its last argument; yields their
    base URLs once each answers ``ready_path``; stops them after."""
    procs: list[subprocess.Popen[bytes]] = []
    urls = []
    try:
        for i, command in enumerate(commands):
            url = f"http://127.0.0.1:{free_port()}"
            with (logs / f"{Path(command[0]).name}-{i}.log").open("wb") as log:
                procs.append(subprocess.Popen([*command, url.rsplit(":", 1)[1]], stdout=log, stderr=subprocess.STDOUT,
                                              env={**os.environ, **env}, cwd=logs))
            urls.append(url)
        for url, proc in zip(urls, procs):
            _wait_ready(f"{url}{ready_path}", lambda p=proc: p.poll() is None, f"{commands[0][:3]} (logs: {logs})")
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()


def gateway_replicas(config: Path, env: dict[str, str], logs: Path) -> AbstractContextManager[list[str]]:
    """Two ``ptmo serve`` processes on ``config``."""
    serve = [sys.executable, "-c", "from ptmo_middleware.cli import app; app()", "serve", "--config", str(config),
             "--log-level", "warning", "--port"]
    return processes([serve, serve], env, logs, "/readyz")


def app_processes(factory: str, count: int, *args: str, logs: Path) -> AbstractContextManager[list[str]]:
    """``count`` processes serving ``factory(*args)`` (an app function of this module)."""
    command = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
               "import gateway_load; gateway_load._serve_app(sys.argv[1], int(sys.argv[-1]), *sys.argv[2:-1])",
               factory, *args]
    return processes([command] * count, {}, logs, "/")


@dataclass
class Run:
    """One system's run: timings and what the checks found."""

    system: str
    wall_s: float = 0.0
    total_ms: list[float] = field(default_factory=list)
    overhead_ms: list[float] = field(default_factory=list)
    idle_overhead_ms: list[float] = field(default_factory=list)  # one request at a time
    routes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # failed requests
    wrong: int = 0  # answers other than the conversation's history with its own values
    wrong_example: str = ""  # the first such answer, and what it should have been
    leaks: list[str] = field(default_factory=list)  # conversations shown another conversation's value
    unrestored: int = 0  # answers with a placeholder left
    cloud_requests: int = 0
    raw_in_cloud: int = 0  # private values that reached the cloud in the clear
    charges: int | None = None  # entries in the Redis budget ledger
    charges_exact: bool | None = None  # the ledger's total equals the sum of its entries

    @property
    def requests(self) -> int:
        return len(self.total_ms)

    @property
    def expected_charges(self) -> int:
        """One charge per request the gateway sent to the cloud."""
        return sum(route in ("cloud", "hybrid") for route in self.routes)


def _backend_ms(headers: httpx.Headers) -> float:
    """The backends' milliseconds in an answer's ``server-timing`` header or, from
    LiteLLM, its response duration less its own overhead."""
    if "x-litellm-response-duration-ms" in headers:
        return float(headers["x-litellm-response-duration-ms"]) - float(headers["x-litellm-overhead-duration-ms"])
    total = 0.0
    for entry in headers.get("server-timing", "").split(","):
        name, _, params = entry.strip().partition(";")
        if name in BACKEND_TIMINGS:
            total += float(params.removeprefix("dur="))
    return total


async def drive(urls: list[str], n: int, concurrency: int, key: str, run: Run, first: int = 0) -> None:
    """Conversations ``first`` to ``first + n - 1``, all at once, at most ``concurrency``
    requests in flight; turns alternate between ``urls``. Records into ``run``."""
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=300, limits=limits, headers={"authorization": f"Bearer {key}"}) as client:

        async def conversation(i: int) -> None:
            own = set(values(i))
            messages: list[dict[str, str]] = []
            for turn, text in enumerate(turns(i)):
                messages.append({"role": "user", "content": text})
                async with gate:
                    started = time.perf_counter()
                    try:
                        response = await client.post(f"{urls[(i + turn) % 2]}/v1/chat/completions",
                                                     json={"model": "ptmo", "messages": messages})
                    except httpx.HTTPError as exc:
                        run.errors.append(f"conversation {i} turn {turn}: {type(exc).__name__}")
                        return
                    total_ms = (time.perf_counter() - started) * 1e3
                if response.status_code != 200:
                    run.errors.append(f"conversation {i} turn {turn}: HTTP {response.status_code}")
                    return
                answer = response.json()["choices"][0]["message"]["content"]
                run.total_ms.append(total_ms)
                run.overhead_ms.append(total_ms - _backend_ms(response.headers))
                run.routes.append(response.headers.get("x-ptmo-route", "proxy"))
                foreign = set(VALUE.findall(answer)) - own
                if foreign:
                    run.leaks.append(f"conversation {i} turn {turn}: {len(foreign)} foreign values")
                run.unrestored += bool(PLACEHOLDER.search(answer))
                if answer != _history_answer(messages):
                    run.wrong += 1
                    run.wrong_example = run.wrong_example or f"{answer!r} for {_history_answer(messages)!r}"
                messages.append({"role": "assistant", "content": answer})

        started = time.perf_counter()
        await asyncio.gather(*(conversation(first + i) for i in range(n)))
        run.wall_s = time.perf_counter() - started


def read_ledger(redis_url: str, principal: str) -> tuple[int, bool]:
    """(entries in ``principal``'s budget ledgers, whether each total equals its ledger's sum)."""
    import redis

    store = redis.Redis.from_url(redis_url)
    entries, exact = 0, True
    for key in store.scan_iter(f"ptmo:budget:ledger:{principal}|*"):
        ledger = [int(v) for v in store.hgetall(key).values()]
        entries += len(ledger)
        total = store.get(key.replace(b":ledger:", b":total:"))
        exact &= total is not None and int(total) == sum(ledger)
    return entries, exact


def measure(n: int, concurrency: int, workdir: Path, litellm: str | None = None, litellm_n: int | None = None,
            warmup: int = 20) -> list[Run]:
    """The gateway's run, the plain proxy's and (given the ``litellm`` command) LiteLLM's
    proxy with its Presidio guardrail (``litellm_n`` conversations, default ``n``), one
    after the other against one loopback Groq server."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    backends = context.Process(target=_backends, args=(theirs,), daemon=True)
    backends.start()
    ollama_url, groq_url, groq_key = ours.recv()

    def run(system: str, urls: list[str], key: str, warmup_key: str | None = None, count: int = n) -> Run:
        """Warm up (conversations of their own), then ``count`` measured conversations."""
        asyncio.run(drive(urls, warmup, concurrency, warmup_key or key, Run("warm-up"), first=9000))
        ours.send("take")
        ours.recv()
        measured = Run(system)
        asyncio.run(drive(urls, count, concurrency, key, measured))
        ours.send("take")
        measured.cloud_requests, text = ours.recv()
        measured.raw_in_cloud = len(VALUE.findall(text))
        idle = Run("one at a time")
        asyncio.run(drive(urls, IDLE_CONVERSATIONS, 1, warmup_key or key, idle, first=8000))
        measured.idle_overhead_ms = idle.overhead_ms
        return measured

    runs = []
    try:
        with redis_server(workdir) as redis_url:
            config = workdir / "ptmo.toml"
            config.write_text(CONFIG.format(key=KEY, principal=PRINCIPAL, warmup=WARMUP_KEY, redis=redis_url),
                              encoding="utf-8")
            env = {"PTMO_VAULT_KEY": VAULT_KEY, "OLLAMA_HOST": ollama_url, "GROQ_BASE_URL": groq_url,
                   "GROQ_API_KEY": groq_key}
            with gateway_replicas(config, env, workdir) as urls:
                runs.append(run("ptmo serve, 2 replicas, Redis vault + budget", urls, KEY, WARMUP_KEY))
            runs[-1].charges, runs[-1].charges_exact = read_ledger(redis_url, PRINCIPAL)
        with app_processes("proxy_app", 2, groq_url, groq_key, logs=workdir) as urls:
            runs.append(run("plain reverse proxy (Starlette + httpx), 2 replicas", urls, KEY))
        if litellm is not None:
            with app_processes("presidio_app", 1, logs=workdir) as (presidio,), \
                    litellm_replicas(litellm, groq_url, groq_key, presidio, workdir) as urls:
                runs.append(run("LiteLLM proxy + Presidio guardrail, 2 replicas", urls, LITELLM_KEY,
                                count=litellm_n or n))
    finally:
        ours.send("stop")
        backends.join(10)
    return runs


def litellm_replicas(litellm: str, groq_url: str, groq_key: str, presidio: str,
                     workdir: Path) -> AbstractContextManager[list[str]]:
    """Two LiteLLM proxy processes (``litellm`` is its command) in front of the Groq server,
    the Presidio guardrail on every request (masking on the way out, ``output_parse_pii``
    restoring on the way back)."""
    config = workdir / "litellm.yaml"
    config.write_text(LITELLM_CONFIG.format(groq=groq_url, key=groq_key), encoding="utf-8")
    env = {"LITELLM_MASTER_KEY": LITELLM_KEY, "LITELLM_LOCAL_MODEL_COST_MAP": "True",
           "PRESIDIO_ANALYZER_API_BASE": presidio, "PRESIDIO_ANONYMIZER_API_BASE": presidio}
    command = [litellm, "--config", str(config), "--port"]
    return processes([command, command], env, workdir, "/health/liveliness")


def failures(run: Run, n: int) -> list[str]:
    """What the checks found wrong in ``run`` of ``n`` conversations (empty: all pass)."""
    expected_requests = sum(len(turns(i)) for i in range(n))
    found = run.errors + run.leaks
    if run.requests != expected_requests:
        found.append(f"{run.requests} answered requests of {expected_requests}")
    if run.wrong or run.unrestored:
        found.append(f"{run.wrong} wrong answers, {run.unrestored} with a placeholder left")
    if run.charges is not None:
        if run.raw_in_cloud:
            found.append(f"{run.raw_in_cloud} raw values reached the cloud")
        if not run.charges == run.expected_charges == run.cloud_requests:
            found.append(f"budget: {run.charges} charges, {run.expected_charges} cloud-routed requests, "
                         f"{run.cloud_requests} cloud requests")
        if not run.charges_exact:
            found.append("budget: a ledger total differs from the sum of its entries")
    return found


def _row(run: Run) -> str:
    charges = f"{run.expected_charges} / {run.charges}" + ("" if run.charges_exact else " (total off)") \
        if run.charges is not None else "n/a"
    return (f"| {run.system} | {run.requests} | {run.requests / run.wall_s:.0f} | "
            f"{percentile(run.total_ms, 50):.1f} / {percentile(run.total_ms, 99):.1f} | "
            f"{percentile(run.overhead_ms, 50):.1f} / {percentile(run.overhead_ms, 99):.1f} | "
            f"{percentile(run.idle_overhead_ms, 50):.1f} / {percentile(run.idle_overhead_ms, 99):.1f} | "
            f"{len(run.errors)} | {run.wrong} / {run.unrestored} | {len(run.leaks)} | {run.raw_in_cloud} | {charges} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--conversations", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=128, help="requests in flight at most")
    ap.add_argument("--litellm", help="the `litellm` command of an environment with litellm[proxy] "
                                      "(its pins clash with ours: install it in a venv of its own)")
    ap.add_argument("--litellm-conversations", type=int, help="conversations through LiteLLM (default: as many)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if REDIS_SERVER is None:
        print("skipped: redis-server is not installed (Debian: apt-get install redis-server); "
              f"{args.out} is left as it is", file=sys.stderr)
        return 0
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        runs = measure(args.conversations, args.concurrency, Path(tmp), args.litellm, args.litellm_conversations)
    problems = [f"{run.system}: {found}" for run in runs[:2] for found in failures(run, args.conversations)]
    gateway = runs[0]
    command = "python benchmarks/gateway_load.py" + (
        f" --conversations {args.conversations}" if args.conversations != 1000 else "") + (
        f" --concurrency {args.concurrency}" if args.concurrency != 128 else "") + (
        " --litellm /path/to/venv/bin/litellm" if args.litellm else "") + (
        f" --litellm-conversations {args.litellm_conversations}" if args.litellm_conversations else "")
    litellm = ("LiteLLM's proxy (litellm[proxy] "
               f"{_version(args.litellm)}, in a venv of its own) runs with its Presidio guardrail "
               "(`mode: pre_call`, `output_parse_pii: true`) against Presidio's analyzer and anonymizer "
               "REST API served from the Python engines with their defaults (spaCy small English model); its "
               "backend time is its `x-litellm-response-duration-ms` less `x-litellm-overhead-duration-ms`."
               if args.litellm else "LiteLLM's proxy was not measured in this run (`--litellm`).")
    lines = [
        "## Gateway under load: two `ptmo serve` replicas on Redis", "",
        f"{args.conversations} conversations at once (half of 3 turns, half of 2; each with its own e-mail, "
        f"phone number and password), at most {args.concurrency} requests in flight, turns alternating "
        "between two replicas that share a Redis vault store (encrypted, `PTMO_VAULT_KEY`) and a Redis "
        "budget store; rules classifier; no conversation header (the gateway names a conversation from its "
        "opening). The loopback Groq server (tests/servers.py) in a process of its own answers with the "
        "whole history it received, so every answer repeats every value of its conversation. The plain "
        "reverse proxy (no privacy logic, two processes too) forwards the same requests to the same server "
        f"in the same run, after the gateway. {litellm}", "",
        "*Own overhead*: latency at the client minus the backend's time the server reports (`server-timing`), "
        "so it includes HTTP in and out and queueing for the cores, and for the gateway the groq client and "
        "the Redis round trips; *one at a time*: after each loaded run, "
        f"{IDLE_CONVERSATIONS} more conversations with one request in flight (no queueing). *Wrong / placeholder left*: answers that are not exactly their "
        "conversation's history with its own values / that still show a placeholder. *Leaks*: answers "
        "showing a value of another conversation. *Raw values to the cloud*: private values found in "
        "the clear in what the Groq server received. *Budget charges*: requests the gateway sent to the "
        "cloud / entries in the Redis budget ledger (each ledger's total is also checked against the sum "
        "of its entries).", "",
        "| system | requests | req/s | total p50 / p99 ms | own overhead p50 / p99 ms | "
        "own overhead, one at a time, p50 / p99 ms | errors | "
        "wrong / placeholder left | cross-conversation leaks | raw values to the cloud | "
        "budget charges expected / actual |",
        "|---|---|---|---|---|---|---|---|---|---|---|", *(_row(run) for run in runs), "",
        f"Checks on the gateway and the proxy: {'all pass' if not problems else '; '.join(problems[:10])} "
        f"({gateway.cloud_requests} requests from the gateway reached the cloud).", "",
        *(line for run in runs if run.wrong_example
          for line in (f"First wrong answer of {run.system}: {run.wrong_example[:400]}", "")),
        f"Reproduce: `{command}` ({time.perf_counter() - started:.0f} s)  ",
        f"Machine: {describe()}, shared with other jobs; the client, the replicas, Redis and the Groq "
        f"server share its cores (1-min load average {load_before:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end)  ",
        f"Date: {datetime.datetime.now(datetime.timezone.utc).date().isoformat()}", "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 1 if problems else 0


def _version(litellm: str) -> str:
    """The version of the litellm package next to the ``litellm`` command."""
    python = Path(litellm).with_name("python")
    try:
        return subprocess.run([str(python), "-c", "import importlib.metadata as m; print(m.version('litellm'))"],
                              capture_output=True, text=True, timeout=60, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "version unknown"


if __name__ == "__main__":
    sys.exit(main())
