"""Prometheus metrics of one gateway process (``GET /metrics``). With ``--workers N``
each worker counts its own requests; scrape every replica."""
from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

from ..execution import FLAG_BUDGET_REFUSED, Reply
from .wire import masked_types

#: Timings of the router's own work (``Reply.timings_ms``); the rest is the backends'.
OWN_STAGES = ("classify", "decompose", "route", "aggregate")


def server_timing(timings_ms: dict[str, float]) -> str:
    """A ``Server-Timing`` header value of a reply's timings: the router's own time
    (``ptmo``) and each backend's (``local``, ``cloud``), in milliseconds."""
    entries = {"ptmo": sum(timings_ms.get(s, 0.0) for s in OWN_STAGES),
               **{side: timings_ms[side] for side in ("local", "cloud") if side in timings_ms}}
    return ", ".join(f"{name};dur={ms:.3f}" for name, ms in entries.items())


class Metrics:
    """The gateway's counters and histograms, in a registry of their own."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("ptmo_gateway_requests", "Chat completion requests, by privacy route and "
                                "HTTP status", ["route", "status"], registry=self.registry)
        self.masked = Counter("ptmo_gateway_masked_spans", "Values masked in what left, by type", ["type"],
                              registry=self.registry)
        self.budget_refusals = Counter("ptmo_gateway_budget_refusals", "Requests the privacy budget refused "
                                       "or kept on the device", registry=self.registry)
        self.latency = Histogram("ptmo_gateway_request_seconds", "Whole request time (streams: to the last "
                                 "chunk)", ["stream"], registry=self.registry)
        self.own = Histogram("ptmo_gateway_middleware_seconds", "The router's own time: classify, decompose, "
                             "route, aggregate", registry=self.registry)
        self.backend = Histogram("ptmo_gateway_backend_seconds", "Time in each backend", ["side"],
                                 registry=self.registry)

    def answered(self, reply: Reply) -> None:
        """Record what one answered request did."""
        for kind, n in masked_types(reply.plan).items():
            self.masked.labels(kind).inc(n)
        if FLAG_BUDGET_REFUSED in reply.flags:
            self.budget_refusals.inc()
        timings = reply.timings_ms
        self.own.observe(sum(timings.get(s, 0.0) for s in OWN_STAGES) / 1e3)
        for side in ("local", "cloud"):
            if side in timings:
                self.backend.labels(side).observe(timings[side] / 1e3)

    def render(self) -> bytes:
        return generate_latest(self.registry)
