"""The ``restore`` aggregator (the default): the cloud's answer with every placeholder put
back, tolerant of a model that changes a placeholder's case, spacing or brackets.

When the plan also kept parts local, restoring alone would drop the local answer, so
``restore`` then merges exactly as the ``merge`` aggregator does: the reply is the
restored cloud answer followed by the labelled local answer.
"""
from __future__ import annotations

from ptmo_middleware.hookspecs import hookimpl

from .merge import MergeAggregator


class RestoreAggregator(MergeAggregator):
    """Restore placeholders; merge in the local answer when there is one."""

    name = "restore"


@hookimpl
def register_aggregators(register) -> None:  # type: ignore[no-untyped-def]
    register(RestoreAggregator)
