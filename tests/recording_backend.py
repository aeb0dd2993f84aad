"""A deterministic backend for integration tests: it records every message list it
receives (so tests can assert what reached the "cloud") and answers by echoing the
last message, streamed in small chunks so placeholders get split across chunks."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from ptmo_middleware.backends import AsyncTextStream, BackendReply, TextStream, Usage
from ptmo_middleware.types import Message


class RecordingBackend:
    """Implements the backend protocol; ``received`` holds every call's messages."""

    def __init__(self, name: str = "echo", provider: str = "test", chunk_chars: int = 3) -> None:
        self.name = name
        self.provider = provider
        self.chunk_chars = chunk_chars
        self.received: list[list[Message]] = []
        self.options: list[dict[str, Any]] = []

    @property
    def texts(self) -> list[str]:
        """Every message text this backend received, in order."""
        return [m.content for call in self.received for m in call]

    def _answer(self, messages: list[Message], options: dict[str, Any]) -> tuple[str, Usage]:
        self.received.append(list(messages))
        self.options.append(dict(options))
        text = f"{self.name} heard: {messages[-1].content}"
        for stop in options.get("stop") or []:
            if stop and stop in text:
                text = text[:text.index(stop)]
        usage = Usage(input_tokens=sum(len(m.content.split()) for m in messages),
                      output_tokens=len(text.split()))
        return text, usage

    def _pieces(self, text: str) -> list[str]:
        return [text[i:i + self.chunk_chars] for i in range(0, len(text), self.chunk_chars)]

    def chat(self, messages: list[Message], **options: Any) -> BackendReply:
        text, usage = self._answer(messages, options)
        return BackendReply(text=text, usage=usage, model=self.name, provider=self.provider)

    async def achat(self, messages: list[Message], **options: Any) -> BackendReply:
        await asyncio.sleep(0)
        return self.chat(messages, **options)

    def stream(self, messages: list[Message], **options: Any) -> TextStream:
        text, usage = self._answer(messages, options)
        return TextStream([*self._pieces(text), usage])

    def astream(self, messages: list[Message], **options: Any) -> AsyncTextStream:
        text, usage = self._answer(messages, options)

        async def pieces() -> AsyncIterator[str | Usage]:
            for piece in self._pieces(text):
                await asyncio.sleep(0)
                yield piece
            yield usage

        return AsyncTextStream(pieces())
