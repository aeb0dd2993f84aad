"""The ``merge`` aggregator: one reply from the cloud's answer to the public parts
(placeholders restored) and the local model's answer to the private parts, the latter
in a labelled section so the user sees which part was answered on the device."""
from __future__ import annotations

from ptmo_middleware.components import Answers
from ptmo_middleware.hookspecs import hookimpl
from ptmo_middleware.types import Plan
from ptmo_middleware.vault import MaskVault

from .base import StreamingAggregator

#: Heads the local answer when both sides answered.
LOCAL_SECTION = "\n\nOn the private part of your message (answered on this device):\n"


class MergeAggregator(StreamingAggregator):
    """Cloud answer (restored), then the local answer under :data:`LOCAL_SECTION`."""

    name = "merge"

    def aggregate(self, plan: Plan, answers: Answers, vault: MaskVault) -> str:
        cloud = vault.restore(answers.cloud, only=plan.placeholders) if answers.cloud is not None else None
        if cloud is None:
            return answers.local or ""
        if answers.local is None:
            return cloud
        return cloud + LOCAL_SECTION + answers.local


@hookimpl
def register_aggregators(register) -> None:  # type: ignore[no-untyped-def]
    register(MergeAggregator)
