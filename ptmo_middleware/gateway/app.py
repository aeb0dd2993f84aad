"""The gateway's HTTP application (Starlette): OpenAI's Chat Completions in front of a
:class:`~ptmo_middleware.router.PrivacyRouter`.

``POST /v1/chat/completions`` (JSON or SSE), ``GET /v1/models``, ``GET /healthz``,
``GET /readyz`` (the vault and budget stores answer), ``GET /metrics`` (Prometheus).
Every answer says what the router decided in its headers (``x-ptmo-route``,
``x-ptmo-masked-spans``: types and counts, never values; a whole answer also
``x-ptmo-flags``, e.g. that the cloud failed and the device answered, and
``server-timing``: the router's own milliseconds and each backend's). One JSON
access-log line per request (logger ``ptmo_middleware.gateway``) carries no prompt text.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ..errors import PtmoError
from ..execution import Execution
from ..router import PrivacyRouter
from .auth import CONVERSATION_HEADER, Principals, conversation_of
from .errors import ApiError, api_error, bad_request
from .metrics import Metrics, server_timing
from .wire import ChatRequest, ChunkWriter, completion, parse_chat, prompt_chars, route_headers, sse

logger = logging.getLogger("ptmo_middleware.gateway")

#: The model name that lets the router choose (any configured model name works too;
#: the local model's name keeps the whole request on the device).
ROUTER_MODEL = "ptmo"


class Gateway:
    """Request handlers over one router."""

    def __init__(self, router: PrivacyRouter) -> None:
        self.router = router
        self.settings = router.settings
        self.principals = Principals(self.settings.gateway.api_keys, self.settings.principal)
        self.metrics = Metrics()
        if self.principals.open:
            logger.warning("no API keys configured (gateway.api_keys, PTMO_API_KEYS): every request is "
                           "principal %r's", self.settings.principal)

    # -- chat completions ---------------------------------------------------------------
    async def chat(self, request: Request) -> Response:
        started = time.perf_counter()
        log: dict[str, Any] = {"path": request.url.path, "route": "none"}

        def done(status: int) -> None:
            self._done(log, status, started)

        try:
            log["principal"] = principal = self.principals.authenticate(request.headers.get("authorization"))
            chat = parse_chat(await self._body(request))
            log["stream"] = chat.stream
            policy = self._policy(chat.model)
            if prompt_chars(chat.messages) > self.settings.max_prompt_chars:
                raise ApiError(413, f"the prompt is longer than max_prompt_chars={self.settings.max_prompt_chars}",
                               code="prompt_too_large", param="messages")
            name, conversation = conversation_of(principal, request.headers.get(CONVERSATION_HEADER), chat.messages)
            log["conversation"] = name
            await self._check_budget(principal, conversation)
            execution = await self.router.aprepare(chat.messages, conversation_id=conversation, principal=principal,
                                                   policy=policy, **chat.options)
            headers = route_headers(execution.plan, name)
            log["route"], log["masked"] = headers["x-ptmo-route"], headers["x-ptmo-masked-spans"]
            if chat.stream:
                return await self._stream(execution, chat, headers, done)
            reply = await execution.run()
        except Exception as exc:  # every failure is answered in OpenAI's shape
            error = exc if isinstance(exc, ApiError) else api_error(exc)
            if not isinstance(exc, (ApiError, PtmoError)):
                logger.exception("unexpected gateway failure")
            done(error.status)
            return JSONResponse(error.body(), status_code=error.status)
        self.metrics.answered(reply)
        done(200)
        headers["server-timing"] = server_timing(reply.timings_ms)
        if reply.flags:
            headers["x-ptmo-flags"] = ",".join(reply.flags)
        return JSONResponse(completion(reply, chat.model), headers=headers)

    async def _body(self, request: Request) -> Any:
        """The JSON body, refused (413) past ``gateway.max_body_bytes`` before it is read in full."""
        limit = self.settings.gateway.max_body_bytes
        too_large = ApiError(413, f"the request body is larger than {limit} bytes", code="request_too_large")
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise too_large
        body = bytearray()
        async for piece in request.stream():
            body += piece
            if len(body) > limit:
                raise too_large
        try:
            return json.loads(bytes(body))
        except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError: positions only, no content
            raise bad_request(f"the body is not valid JSON: {type(exc).__name__}: {exc}"[:200]) from None

    def _policy(self, model: str) -> str | None:
        """The policy a model name asks for: the local model's keeps the request local."""
        if model == self.settings.local:
            return "local-only"
        if model in (ROUTER_MODEL, self.settings.cloud):
            return None
        raise ApiError(404, f"model {model[:100]!r} not found; use {ROUTER_MODEL!r} (GET /v1/models lists all)",
                       code="model_not_found", param="model")

    async def _check_budget(self, principal: str, conversation: str) -> None:
        """429 when the principal has no privacy budget left at all (``refuse_exhausted``)."""
        budget = self.router.budget.budget
        if budget is None or not self.settings.gateway.refuse_exhausted:
            return
        if await asyncio.to_thread(budget.remaining, principal, conversation) <= 0:
            self.metrics.budget_refusals.inc()
            raise ApiError(429, f"the privacy budget of {principal!r} is spent for this window",
                           "insufficient_quota", "privacy_budget_exhausted")

    async def _stream(self, execution: Execution, chat: ChatRequest, headers: dict[str, str],
                      done: Callable[[int], None]) -> Response:
        """An SSE answer. The first chunk is awaited before the response starts, so a
        failure up to then still gets its status code; a later one ends the stream with
        an error event."""
        chunks = execution.stream().__aiter__()
        try:
            first = await chunks.__anext__()
        except BaseException:
            await chunks.aclose()
            raise
        writer = ChunkWriter(execution.plan, chat.model)

        async def events() -> AsyncIterator[str]:
            status = 499  # until the last event: the client went away
            try:
                yield writer.event({"role": "assistant", "content": ""})
                chunk = first
                while True:
                    if chunk.text:
                        yield writer.event({"content": chunk.text})
                    if chunk.reply is not None:
                        self.metrics.answered(chunk.reply)
                        for event in writer.closing(chunk.reply, chat.include_usage):
                            yield event
                        status = 200
                        return
                    chunk = await chunks.__anext__()
            except PtmoError as exc:
                error = api_error(exc)
                status = error.status
                yield sse(error.body())
            finally:
                await chunks.aclose()
                done(status)

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={**headers, "cache-control": "no-cache"})

    def _done(self, log: dict[str, Any], status: int, started: float) -> None:
        """Count the request and write its access-log line (no prompt text)."""
        elapsed = time.perf_counter() - started
        self.metrics.requests.labels(log["route"], str(status)).inc()
        self.metrics.latency.labels(str(log.get("stream", False)).lower()).observe(elapsed)
        logger.info(json.dumps({**log, "status": status, "ms": round(elapsed * 1e3, 1)}))

    # -- the rest ---------------------------------------------------------------------
    async def models(self, request: Request) -> Response:
        try:
            self.principals.authenticate(request.headers.get("authorization"))
        except ApiError as error:
            return JSONResponse(error.body(), status_code=error.status)
        owners = {ROUTER_MODEL: "ptmo-router", self.settings.local: "ptmo-local", self.settings.cloud: "ptmo-cloud"}
        return JSONResponse({"object": "list", "data": [
            {"id": name, "object": "model", "created": 0, "owned_by": owner} for name, owner in owners.items()]})

    async def healthz(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(self, request: Request) -> Response:
        """Ready when the shared stores (vault, budget) answer."""
        try:
            if self.router.vaults.ledger is not None:
                await asyncio.to_thread(self.router.vaults.ledger.ping)
            if self.router.budget.budget is not None:
                await asyncio.to_thread(self.router.budget.budget.spent, "readyz")
        except PtmoError as exc:
            return JSONResponse({"status": "unavailable", "error": str(exc)}, status_code=503)
        return JSONResponse({"status": "ready"})

    async def prometheus(self, request: Request) -> Response:
        return Response(self.metrics.render(), media_type=self.metrics.content_type)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (unknown path, wrong method) in OpenAI's shape."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    error = ApiError(status, f"{request.method} {request.url.path}: {getattr(exc, 'detail', 'error')}",
                     code="not_found" if status == 404 else None)
    return JSONResponse(error.body(), status_code=status)


def create_app(router: PrivacyRouter | None = None) -> Starlette:
    """The gateway over ``router`` (default: a router of ``$PTMO_CONFIG`` and ``PTMO_*``)."""
    gateway = Gateway(router or PrivacyRouter())
    app = Starlette(routes=[
        Route("/v1/chat/completions", gateway.chat, methods=["POST"]),
        Route("/v1/models", gateway.models, methods=["GET"]),
        Route("/healthz", gateway.healthz, methods=["GET"]),
        Route("/readyz", gateway.readyz, methods=["GET"]),
        Route("/metrics", gateway.prometheus, methods=["GET"]),
    ], exception_handlers={HTTPException: _http_error})
    app.state.gateway = gateway
    return app
