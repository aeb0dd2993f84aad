"""Overhead of PrivacyMiddleware per agent step, beside LangChain's PIIMiddleware.

    python benchmarks/agent_overhead.py [--runs N]

A three-step ``create_agent`` run (look a contact up, text them, answer) with a scripted
chat model that answers at once and two tools that return at once, so what is timed is
the agent loop and its middleware. Each configuration runs the same steps ``--runs``
times on fresh threads, the configurations in turn (an in-memory checkpointer in all); its overhead per step
is (median run time - the median without middleware) / 3, wall clock and CPU time of
the process (classifiers run in threads). The last column counts the private values
(an email, a password, a phone number, a second email) the model saw unmasked.
Writes benchmarks/results/agent_overhead.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware, PIIMiddleware
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

from ptmo_middleware.integrations.langchain_agent import PrivacyMiddleware

ROOT = Path(__file__).resolve().parent.parent
STEPS = 3
EMAIL, PASSWORD, PHONE, HOME_EMAIL = "alice.smith@corp-mail.com", "hunter2xyz", "+1 415 555 0134", "a.smith@gmail.com"
PRIVATE = (EMAIL, PASSWORD, PHONE, HOME_EMAIL)
REQUEST = f"My password is {PASSWORD}. Find the phone of {EMAIL} and text it to them."


class ScriptedModel(BaseChatModel):
    """Answers at once: a lookup_contact call, then a send_text call, then a text, each
    echoing the last message (so placeholders travel through the arguments). Records
    every text it is given in ``seen``."""

    seen: list[str] = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Any, **kwargs: Any) -> "ScriptedModel":
        return self

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        self.seen.extend(str(m.content) for m in messages)
        self.seen.extend(str(c["args"]) for m in messages if isinstance(m, AIMessage) for c in m.tool_calls)
        last, done = messages[-1].text, sum(isinstance(m, ToolMessage) for m in messages)
        calls = [[{"name": "lookup_contact", "args": {"query": last}, "id": "c1"}],
                 [{"name": "send_text", "args": {"recipient": last, "body": last}, "id": "c2"}], []][done]
        return ChatResult(generations=[ChatGeneration(message=AIMessage(
            content="" if calls else f"Done: {last}", tool_calls=calls))])


@tool
def lookup_contact(query: str) -> str:
    """Look up a contact in the local directory."""
    return f"Found: phone {PHONE}, private email {HOME_EMAIL}."


@tool
def send_text(recipient: str, body: str) -> str:
    """Send a text message."""
    return f"Sent to {recipient}."


def pii_middleware() -> list[AgentMiddleware]:
    """LangChain's PIIMiddleware for each of its built-in types, on input, output and tool results."""
    return [PIIMiddleware(kind, strategy="redact", apply_to_input=True, apply_to_output=True,
                          apply_to_tool_results=True)
            for kind in ("email", "credit_card", "ip", "mac_address", "url")]


CONFIGS: dict[str, Callable[[], list[AgentMiddleware]]] = {
    "no middleware (baseline)": list,
    "LangChain `PIIMiddleware(\"email\")` alone (input, output, tool results)": lambda: pii_middleware()[:1],
    "LangChain `PIIMiddleware` x5 (email, credit_card, ip, mac_address, url; input, output, tool results)":
        pii_middleware,
    "`PrivacyMiddleware(settings={\"classifiers\": [\"rules\"]})`":
        lambda: [PrivacyMiddleware(settings={"classifiers": ["rules"]})],
    "`PrivacyMiddleware()` (default classifiers: ml, ner, rules)": lambda: [PrivacyMiddleware()],
}


class Bench:
    """One configuration's agent, its run times and what its model saw."""

    def __init__(self, middleware: list[AgentMiddleware]) -> None:
        self.model = ScriptedModel()
        self.model.seen = []
        self.agent = create_agent(self.model, [lookup_contact, send_text], middleware=middleware,
                                  checkpointer=InMemorySaver())
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def run(self, timed: bool) -> None:
        """One agent run on a fresh thread; its times kept when ``timed``."""
        config = {"configurable": {"thread_id": uuid.uuid4().hex}}
        w0, c0 = time.perf_counter(), time.process_time()
        out = self.agent.invoke({"messages": [{"role": "user", "content": REQUEST}]}, config)
        w1, c1 = time.perf_counter(), time.process_time()
        if len(out["messages"]) != 2 * STEPS:
            raise RuntimeError("the scripted run did not take three steps")
        if timed:
            self.wall.append((w1 - w0) * 1e3)
            self.cpu.append((c1 - c0) * 1e3)

    @property
    def private_seen(self) -> int:
        seen = "\n".join(self.model.seen)
        return sum(value in seen for value in PRIVATE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="timed runs per configuration")
    args = parser.parse_args()
    benches = {name: Bench(make()) for name, make in CONFIGS.items()}
    for i in range(args.runs + 2):  # round robin, so that drift of the machine's load hits all alike
        for bench in benches.values():
            bench.run(timed=i >= 2)
    base_wall, base_cpu = benches["no middleware (baseline)"].wall, benches["no middleware (baseline)"].cpu
    date = subprocess.run(["date", "-u", "+%F"], capture_output=True, text=True).stdout.strip()
    lines = [
        "## Agent middleware overhead per step",
        "",
        f"A {STEPS}-step `create_agent` run (lookup_contact, send_text, answer) with a scripted model and tools "
        f"that answer at once; {args.runs} timed runs per configuration (after 2 warm-up runs), each on a fresh "
        "thread. Overhead per step = (median run - median run without middleware) / "
        f"{STEPS}; the baseline's own run takes {statistics.median(base_wall):.2f} ms wall, "
        f"{statistics.median(base_cpu):.2f} ms CPU.",
        "",
        "| middleware | overhead per step, wall ms | overhead per step, CPU ms | p90 run, wall ms "
        f"| private values the model saw (of {len(PRIVATE)}) |",
        "|---|---|---|---|---|",
    ]
    for name, bench in benches.items():
        wall, cpu, seen = bench.wall, bench.cpu, bench.private_seen
        step_wall = (statistics.median(wall) - statistics.median(base_wall)) / STEPS
        step_cpu = (statistics.median(cpu) - statistics.median(base_cpu)) / STEPS
        p90 = sorted(wall)[int(0.9 * (len(wall) - 1))]
        lines.append(f"| {name} | {step_wall:.2f} | {step_cpu:.2f} | {p90:.2f} | {seen} |")
    load = os.getloadavg()[0]
    lines += [
        "",
        "PrivacyMiddleware classifies the whole request at every step (system prompt, user text, past tool "
        "calls' arguments, tool results), so its cost grows with the history; PIIMiddleware's regexes check the "
        "newest user message and tool results; each PIIMiddleware instance is one type and adds two graph nodes per "
        "step (before and after the model). The values: an email (both catch it), a password and a phone number (PIIMiddleware has "
        "no detector for them), and an email returned by a tool.",
        "",
        f"Machine: {platform.machine()} ({os.cpu_count()} logical CPUs, "
        f"{platform.system()} {platform.release()}), Python {platform.python_version()}, shared with other "
        f"jobs: load average {load:.1f} at the end of the run. Date: {date}.",
        "",
        f"Reproduce: `.venv/bin/python benchmarks/agent_overhead.py --runs {args.runs}`",
        "",
    ]
    out = ROOT / "benchmarks" / "results" / "agent_overhead.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    sys.stdout.write("\n".join(lines))


if __name__ == "__main__":
    main()
