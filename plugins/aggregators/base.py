"""What the built-in aggregators share: a ``stream_restorer`` that restores the
placeholders the cloud was sent, as the cloud's stream arrives."""
from __future__ import annotations

from ptmo_middleware.components import ChunkRestorer
from ptmo_middleware.config import Settings
from ptmo_middleware.types import Plan
from ptmo_middleware.vault import MaskVault


class StreamingAggregator:
    """Base of an aggregator whose streamed text is the cloud's answer, restored: only
    ``aggregate`` is left to write."""

    name = "base"

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings

    def stream_restorer(self, plan: Plan, vault: MaskVault) -> ChunkRestorer:
        """Restore, in the cloud's stream as it arrives, the placeholders the cloud was sent."""
        return vault.stream_restorer(only=plan.placeholders)
