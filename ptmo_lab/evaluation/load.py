"""Load and soak runs of a :class:`PrivacyRouter`, with the checks that must hold under load.

:func:`run_conversations` drives N concurrent async conversations of several turns.
Each conversation states its own password and e-mail address; the backends echo what
they receive, so the run can check, for every reply, that no mask map crossed between
conversations (a reply restores only its own values, a payload carries none), and that
every principal's budget total equals, to the last micro-unit, the sum of the costs of
the payloads charged for it (every planned cloud call, whether the cloud then answered
or failed and the local model answered instead). Overhead is the wall time of a request minus the time spent inside
the backends for it (measured by :class:`TimedEchoBackend`), so it includes planning,
budget, audit, aggregation and any queueing on the event loop.

:func:`soak` plans many requests on rotating conversations and samples the resident
set size, to show that memory stays bounded.
"""
from __future__ import annotations

import asyncio
import contextvars
import gc
import re
import statistics
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Callable

import psutil

from ptmo_middleware.backends import AsyncTextStream, BackendReply, TextStream, Usage
from ptmo_middleware.budget.store import UNITS, to_units
from ptmo_middleware.errors import PtmoError
from ptmo_middleware.execution import FLAG_BUDGET_REFUSED, FLAG_BUDGET_STORE_FAILED, FLAG_CLOUD_FAILED
from ptmo_middleware.router import PrivacyRouter
from ptmo_middleware.types import Message

#: Backend seconds spent for the request running in the current context.
_backend_time: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar("ptmo_load_backend_time",
                                                                                  default=None)


class TimedEchoBackend:
    """An in-process backend that waits ``latency_s`` and echoes the last message (in
    small chunks when streamed), recording what it received and how long it took."""

    def __init__(self, name: str, latency_s: float = 0.02, chunk_chars: int = 4) -> None:
        self.name = name
        self.provider = "echo"
        self.latency_s = latency_s
        self.chunk_chars = chunk_chars
        self.received: list[list[Message]] = []

    def _answer(self, messages: list[Message]) -> BackendReply:
        self.received.append(list(messages))
        usage = Usage(input_tokens=sum(len(m.content.split()) for m in messages), output_tokens=1)
        return BackendReply(text=f"{self.name} heard: {messages[-1].content}", usage=usage, model=self.name,
                            provider=self.provider)

    @staticmethod
    def _spent(t0: float) -> None:
        sink = _backend_time.get()
        if sink is not None:
            sink.append(time.perf_counter() - t0)

    def chat(self, messages: list[Message], **options: Any) -> BackendReply:
        t0 = time.perf_counter()
        time.sleep(self.latency_s)
        reply = self._answer(messages)
        self._spent(t0)
        return reply

    async def achat(self, messages: list[Message], **options: Any) -> BackendReply:
        t0 = time.perf_counter()
        await asyncio.sleep(self.latency_s)
        reply = self._answer(messages)
        self._spent(t0)
        return reply

    def stream(self, messages: list[Message], **options: Any) -> TextStream:
        """The echo in ``chunk_chars`` pieces; the stream's ``usage`` is this call's."""
        return TextStream(self._pieces(self.chat(messages)))

    def astream(self, messages: list[Message], **options: Any) -> AsyncTextStream:
        """:meth:`stream`, waiting ``latency_s`` without blocking the event loop."""

        async def pieces() -> AsyncIterator[str | Usage]:
            for item in self._pieces(await self.achat(messages)):
                yield item

        return AsyncTextStream(pieces())

    def _pieces(self, reply: BackendReply) -> list[str | Usage]:
        text = reply.text
        return [*(text[i:i + self.chunk_chars] for i in range(0, len(text), self.chunk_chars)), reply.usage]


@dataclass
class LoadResult:
    """Figures and check outcomes of one :func:`run_conversations` run."""

    conversations: int
    turns: int
    wall_s: float
    overhead_ms: list[float]
    plan_ms: list[float]
    crossings: list[str] = field(default_factory=list)
    budget_mismatches: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    fallbacks: int = 0
    """Requests whose cloud call failed and were answered locally."""
    errors: list[str] = field(default_factory=list)
    """Requests that failed (for example a backend's connection pool timing out)."""

    @property
    def requests(self) -> int:
        return self.conversations * self.turns

    @property
    def throughput(self) -> float:
        """Requests answered per second."""
        return self.requests / self.wall_s if self.wall_s else 0.0


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (inclusive method); 0 for no values."""
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=1000, method="inclusive")[max(0, min(998, round(q * 10) - 1))]


def secrets_of(i: int) -> tuple[str, str]:
    """Conversation ``i``'s own password and e-mail address."""
    return f"Qz{i:05d}!vault", f"member{i:05d}@example.org"


def _turn(i: int, t: int) -> str:
    password, email = secrets_of(i)
    if t == 0:
        return f"My password is {password}. Please email {email} about the quarterly report."
    return f"Turn {t}: remind {email} again, and check that password {password} still works."


async def _converse(router: PrivacyRouter, i: int, turns: int, stream: bool, result: LoadResult,
                    costs: dict[str, int]) -> None:
    history: list[dict[str, str]] = []
    principal = f"p{i}"
    for t in range(turns):
        history.append({"role": "user", "content": _turn(i, t)})
        sink: list[float] = []
        _backend_time.set(sink)
        t0 = time.perf_counter()
        try:
            if stream:
                chunks = [c async for c in router.astream(list(history), conversation_id=f"c{i}",
                                                          principal=principal)]
                reply = chunks[-1].reply
                assert reply is not None
            else:
                reply = await router.ainvoke(list(history), conversation_id=f"c{i}", principal=principal)
        except PtmoError as exc:  # a backend gave up under load: counted, the conversation ends
            result.errors.append(f"conversation {i} turn {t}: {type(exc).__name__}")
            return
        wall = time.perf_counter() - t0
        result.overhead_ms.append((wall - sum(sink)) * 1e3)
        result.plan_ms.append(sum(reply.plan.timings_ms.get(k, 0.0) for k in ("classify", "decompose", "route")))
        uncharged = {FLAG_BUDGET_REFUSED, FLAG_BUDGET_STORE_FAILED}.intersection(reply.flags)
        if reply.plan.cloud_messages and not uncharged:  # charged before sending
            costs[principal] = costs.get(principal, 0) + to_units(reply.plan.budget_cost)
        result.fallbacks += FLAG_CLOUD_FAILED in reply.flags
        _check_reply(i, reply.text, reply.plan.cloud_payloads, result)
        history.append({"role": "assistant", "content": reply.text})


_VALUE = re.compile(r"Qz(\d{5})!vault|member(\d{5})@example\.org")


def _check_reply(i: int, text: str, payloads: list[str], result: LoadResult) -> None:
    """Every planted value in the reply must be conversation ``i``'s own (any other is
    a mask map crossing), its e-mail must be restored, and no payload may hold either."""
    for m in _VALUE.finditer(text):
        if int(m.group(1) or m.group(2)) != i:
            result.crossings.append(f"conversation {i} shows {m.group(0)}")
    if secrets_of(i)[1] not in text:
        result.crossings.append(f"conversation {i}: its own e-mail was not restored")
    if any(_VALUE.search(p) for p in payloads):
        result.leaks.append(f"conversation {i}: a raw value in a cloud payload")


async def run_conversations(router: PrivacyRouter, n: int, turns: int = 3, stream_share: float = 0.5,
                            cloud_received: Callable[[], list[str]] | None = None) -> LoadResult:
    """Run ``n`` conversations of ``turns`` turns concurrently (a ``stream_share`` of them
    streamed) and check masks, leaks and budget totals. ``cloud_received`` returns every
    text the cloud got (default: what a :class:`TimedEchoBackend` cloud recorded)."""
    result = LoadResult(conversations=n, turns=turns, wall_s=0.0, overhead_ms=[], plan_ms=[])
    costs: dict[str, int] = {}
    cutoff = int(n * stream_share)
    t0 = time.perf_counter()
    await asyncio.gather(*(_converse(router, i, turns, i < cutoff, result, costs) for i in range(n)))
    result.wall_s = time.perf_counter() - t0
    received = (cloud_received or (lambda: _echo_received(router)))()
    result.leaks += [f"{m.group(0)[:6]}... reached the cloud" for text in received for m in _VALUE.finditer(text)]
    if router.budget.budget is not None:
        for principal, units in costs.items():
            spent_units = round(router.budget.budget.spent(principal) * UNITS)
            if spent_units != units:
                result.budget_mismatches.append(f"{principal}: spent {spent_units} units, sent {units}")
    return result


def _echo_received(router: PrivacyRouter) -> list[str]:
    return [m.content for call in getattr(router.cloud_backend, "received", []) for m in call]


@dataclass
class SoakResult:
    """RSS samples (MiB) every ``every`` plans of a :func:`soak` run."""

    plans: int
    every: int
    rss_mib: list[float]
    wall_s: float

    @property
    def growth_mib(self) -> float:
        """RSS at the end minus RSS after the first sample (the warm-up)."""
        return self.rss_mib[-1] - self.rss_mib[0] if self.rss_mib else 0.0


def soak(router: PrivacyRouter, plans: int = 100_000, conversations: int = 20_000, every: int = 10_000,
         progress: Callable[[int, float], None] | None = None) -> SoakResult:
    """Plan ``plans`` requests over ``conversations`` rotating conversation ids (more than
    the vault registry keeps, so eviction is exercised), sampling RSS every ``every``."""
    proc = psutil.Process()
    samples: list[float] = []
    t0 = time.perf_counter()
    for k in range(plans):
        router.plan(_turn(k, k % 2), conversation_id=f"soak-{k % conversations}", principal=f"p{k % 100}")
        if (k + 1) % every == 0:
            gc.collect()
            samples.append(proc.memory_info().rss / 2**20)
            if progress:
                progress(k + 1, samples[-1])
    return SoakResult(plans=plans, every=every, rss_mib=samples, wall_s=time.perf_counter() - t0)
