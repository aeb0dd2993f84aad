"""The ``local-refine`` aggregator, as PAPILLON does: the local model writes the final
answer from the cloud's draft (placeholders restored) and the user's original request,
which it may see since it runs on the device. Nothing of this step leaves the device.
The cloud draft is not shown while streaming; the refined answer is streamed token by
token as the local model writes it."""
from __future__ import annotations

from ptmo_middleware.backends import usage_of
from ptmo_middleware.components import Answers, ChunkRestorer
from ptmo_middleware.hookspecs import hookimpl
from ptmo_middleware.types import Message, Plan
from ptmo_middleware.vault import MaskVault

from .base import StreamingAggregator

INSTRUCTION = ("Write the final answer to the user's request below. A stronger assistant wrote a draft "
               "from a privacy-preserving version of the request; keep what is right in it, use the "
               "user's own details, and answer directly.")


class _Silent:
    """Shows nothing of the draft: the refined answer replaces it."""

    def feed(self, chunk: str) -> str:
        return ""

    def flush(self) -> str:
        return ""


class LocalRefineAggregator(StreamingAggregator):
    """The local model rewrites the cloud's draft with the private context."""

    name = "local-refine"

    def stream_restorer(self, plan: Plan, vault: MaskVault) -> ChunkRestorer:
        return _Silent()

    def aggregate(self, plan: Plan, answers: Answers, vault: MaskVault) -> str:
        if answers.cloud is None:
            return answers.local or ""
        if answers.local_backend is None:
            raise ValueError("local-refine needs the local backend in Answers.local_backend")
        draft = vault.restore(answers.cloud, only=plan.placeholders)
        context = f"\n\nWhat the on-device model said about the private part: {answers.local}" if answers.local else ""
        prompt = f"{INSTRUCTION}\n\nRequest: {plan.text}\n\nDraft answer: {draft}{context}"
        messages = plan.messages[:-1] + [Message("user", prompt)]
        emit = answers.emit
        if emit is None:
            reply = answers.local_backend.chat(messages, **answers.options)
            answers.extra_usage.append(reply.usage)
            return reply.text
        stream = answers.local_backend.stream(messages, **answers.options)
        pieces = []
        for piece in stream:
            pieces.append(piece)
            emit(piece)
        answers.extra_usage.append(usage_of(stream))
        return "".join(pieces)


@hookimpl
def register_aggregators(register) -> None:  # type: ignore[no-untyped-def]
    register(LocalRefineAggregator)
