"""What the built-in aggregators share: ``restore_stream`` in terms of ``stream_restorer``,
and the text of the parts of a plan answered on each side."""
from __future__ import annotations

from collections.abc import Iterator

from ptmo_middleware.components import ChunkRestorer
from ptmo_middleware.config import Settings
from ptmo_middleware.types import Plan
from ptmo_middleware.vault import MaskVault


class StreamingAggregator:
    """Base of an aggregator whose stream restoring is push-style (``stream_restorer``)."""

    name = "base"

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings

    def stream_restorer(self, plan: Plan, vault: MaskVault) -> ChunkRestorer:
        """Restore, in the cloud's stream as it arrives, the placeholders the cloud was sent."""
        return vault.stream_restorer(only=plan.placeholders)

    def restore_stream(self, plan: Plan, chunks: Iterator[str], vault: MaskVault) -> Iterator[str]:
        """The cloud's stream with placeholders restored (see ``stream_restorer``)."""
        restorer = self.stream_restorer(plan, vault)
        for chunk in chunks:
            out = restorer.feed(chunk)
            if out:
                yield out
        tail = restorer.flush()
        if tail:
            yield tail
