"""The one door out: every body that leaves the device for the cloud passes here.

For each attempt, in this order: the cloud backend is asked whether it can send at all
(an API key; when it cannot, nothing is charged or recorded), the privacy budget is
charged (atomically, before anything leaves; once per plan, since a retried body
repeats what already left and tells the provider nothing new), the audit log records
the body (one ``send`` record per body sent, retries included), and the backend is
called. Failures a retry may cure (:attr:`BackendError.retryable`) are retried at most
``max_retries`` times with exponential backoff, honouring the server's
``retry-after``; a stream is retried only before its first piece. Nothing else retries:
the backends' SDKs are built without retries, so every body on the wire is one counted
here.
"""
from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from .backends import AsyncTextStream, Backend, BackendReply, Usage, called_name, tool_calls_of, usage_of
from .errors import BackendError, BudgetExhausted
from .types import Message, Plan, ToolCall

if TYPE_CHECKING:
    from .audit import AuditLog
    from .budget.guard import BudgetGuard

#: Longest wait between two attempts, in seconds (also caps a server's retry-after).
MAX_BACKOFF_S = 8.0


class Egress:
    """Sends plans' cloud messages through ``backend``, budgeted and audited."""

    def __init__(self, backend: Backend, budget: "BudgetGuard", audit: "AuditLog | None", max_retries: int) -> None:
        self.backend = backend
        self.budget = budget
        self.audit = audit
        self.max_retries = max_retries

    def leave(self, plan: Plan, attempt: int = 1, on_send: Callable[[], None] | None = None,
              options: dict[str, Any] | None = None) -> list[Message]:
        """Charge the budget and record the body of ``attempt`` (sent with ``options``);
        the messages to send. Raises :class:`BudgetExhausted` (nothing sent) when the
        budget refuses. For a caller that sends the body itself (the agent middleware
        hands it to the agent's own model), this is the door."""
        messages = list(plan.cloud_messages)
        if not self.budget.charge(plan):
            raise BudgetExhausted(f"privacy budget of {plan.principal!r} cannot pay {plan.budget_cost:.4f} now")
        if self.audit is not None:
            self.audit.record_send(plan, messages, backend=called_name(self.backend, options or {}), attempt=attempt)
        if on_send is not None:
            on_send()
        return messages

    def _check_ready(self) -> None:
        check = getattr(self.backend, "check_ready", None)
        if callable(check):
            check()

    async def _pause(self, exc: BaseException, attempt: int) -> bool:
        """Wait before the next attempt; ``False`` when ``exc`` is final."""
        if not (isinstance(exc, BackendError) and exc.retryable and attempt <= self.max_retries):
            return False
        delay = exc.retry_after if exc.retry_after is not None else 0.5 * 2 ** (attempt - 1) * random.uniform(0.75, 1.0)
        await asyncio.sleep(min(delay, MAX_BACKOFF_S))
        return True

    async def chat(self, plan: Plan, options: dict[str, Any],
                   on_send: Callable[[], None] | None = None) -> BackendReply:
        """The cloud's complete answer to ``plan.cloud_messages``. ``on_send`` is called
        for each body sent."""
        self._check_ready()
        attempt = 1
        while True:
            messages = self.leave(plan, attempt, on_send, options)
            try:
                return await self.backend.achat(messages, **options)
            except Exception as exc:
                if not await self._pause(exc, attempt):
                    raise
            attempt += 1

    def stream(self, plan: Plan, options: dict[str, Any],
               on_send: Callable[[], None] | None = None) -> AsyncTextStream:
        """The cloud's answer as it arrives (``usage`` and ``tool_calls`` set once exhausted)."""
        return AsyncTextStream(self._stream(plan, options, on_send))

    async def _stream(self, plan: Plan, options: dict[str, Any],
                      on_send: Callable[[], None] | None) -> AsyncIterator[str | Usage | ToolCall]:
        self._check_ready()
        attempt = 1
        while True:
            stream = self.backend.astream(self.leave(plan, attempt, on_send, options), **options)
            started = False
            try:
                async for piece in stream:
                    started = True
                    yield piece
            except Exception as exc:
                if started or not await self._pause(exc, attempt):
                    raise
            else:
                yield usage_of(stream)
                for call in tool_calls_of(stream):
                    yield call
                return
            attempt += 1
