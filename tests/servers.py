"""Loopback HTTP servers that speak Ollama's and Groq's wire protocols (CONVENTIONS.md),
for driving the real ``ollama`` and ``groq`` clients in tests. Each records every
request body, so a test can assert exactly what reached the "cloud".

Use the fixtures: ``ollama_server`` / ``groq_server`` (started on 127.0.0.1, ephemeral
port) and ``dead_url`` (an address where nothing listens).
"""
from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

Answer = Callable[[list[dict[str, str]]], str]


def text_of(message: dict[str, Any]) -> str:
    """A message's text: its content, or the text parts of a content list (images and
    other parts are left out)."""
    content = message.get("content") or ""
    if isinstance(content, str):
        return content
    return " ".join(part["text"] for part in content if part.get("type") == "text")


def echo(prefix: str) -> Answer:
    """An answer function: ``"<prefix> heard: <last message's text>"``."""
    return lambda messages: f"{prefix} heard: {text_of(messages[-1])}"


def _last_text(messages: list[dict[str, Any]]) -> str:
    """The text of the last user message or tool result."""
    return next((text_of(m) for m in reversed(messages) if m.get("role") in ("user", "tool")), "")


def _fill(schema: dict[str, Any], text: str, numbers: list[int]) -> Any:
    """A value of JSON ``schema``: strings echo ``text`` (so placeholders of the prompt
    land in the arguments), integers are taken from ``numbers`` in order (then 0)."""
    options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    if options:
        return _fill(options[0], text, numbers)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if kind == "string":
        return text
    if kind in ("integer", "number"):
        return numbers.pop(0) if numbers else 0
    if kind == "boolean":
        return True
    if kind == "array":
        return [_fill(schema.get("items", {"type": "string"}), text, numbers)]
    return {k: _fill(v, text, numbers) for k, v in (schema.get("properties") or {}).items()}


def scripted(messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None, tool_choice: Any,
             response_format: dict[str, Any] | None) -> tuple[str | None, list[dict[str, Any]]]:
    """What a tool-using model answers, deterministically: ``(None, [])`` when the
    request asks for neither tools nor JSON. With tools, a call of the chosen tool (the
    forced one, else the first) whose string arguments echo the last user message or
    tool result and whose integers are the numbers in it; after a tool result (and no forced choice),
    a text that echoes the result. With a JSON ``response_format``, a JSON object (of
    the schema, or with the keys the prompt names in single quotes)."""
    text = _last_text(messages)
    numbers = [int(n) for n in re.findall(r"-?\d+", text)]
    forced = tool_choice not in (None, "auto", "none")
    if tools and tool_choice != "none" and (forced or messages[-1].get("role") != "tool"):
        name = tool_choice["function"]["name"] if isinstance(tool_choice, dict) else tools[0]["function"]["name"]
        tool = next(t["function"] for t in tools if t["function"]["name"] == name)
        return "", [{"name": name, "arguments": _fill(tool.get("parameters") or {}, text, numbers)}]
    if tools and messages[-1].get("role") == "tool":
        return f"tool said: {text_of(messages[-1])}", []
    kind = (response_format or {}).get("type")
    if kind == "json_schema":
        return json.dumps(_fill(response_format["json_schema"]["schema"], text, numbers), ensure_ascii=False), []
    if kind == "json_object":
        keys = re.findall(r"'(\w+)'", text) or ["answer"]
        return json.dumps({k: text for k in keys}, ensure_ascii=False), []
    return None, []


def pieces(text: str, size: int = 3) -> list[str]:
    """``text`` in chunks of ``size`` characters (placeholders get split)."""
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


class _QuietServer(ThreadingHTTPServer):
    """Says nothing when a client hangs up mid-answer (a cancelled stream, a timeout);
    queues as many pending connections as a busy real server would."""

    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class _Server:
    """A ThreadingHTTPServer in a daemon thread, recording request bodies."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.stall = 0.0  # seconds to wait after reading a request, before answering
        self.bodies: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.headers: list[dict[str, str]] = []
        self.lock = threading.Lock()
        handler.server_state = self  # type: ignore[attr-defined]
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def record(self, path: str, headers: dict[str, str], body: dict[str, Any]) -> None:
        with self.lock:
            self.paths.append(path)
            self.headers.append(headers)
            self.bodies.append(body)

    @property
    def received_text(self) -> str:
        """Every byte of every request body, as one string (to grep for secrets)."""
        with self.lock:
            return "\n".join(json.dumps(b, ensure_ascii=False) for b in self.bodies)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    server_state: _Server
    #: Keep-alive, as the real servers do: a client reuses its pooled connections, so a
    #: connection bound to a closed event loop shows up here as it would in production.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # as real servers do: no 40 ms delayed-ACK stalls on keep-alive

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def _body(self) -> dict[str, Any]:
        """The request's JSON body, recorded; then ``stall`` seconds of silence."""
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.loads(raw or b"{}")
        self.server_state.record(self.path, dict(self.headers), body)
        time.sleep(self.server_state.stall)
        return body

    def _json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _lines(self, content_type: str, lines: list[str], delay: float) -> None:
        """Stream ``lines`` with chunked transfer encoding (the connection stays open)."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for line in lines:
            data = line.encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
            if delay:
                time.sleep(delay)
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


class OllamaServer(_Server):
    """Speaks ``/api/chat`` (NDJSON or JSON), ``/api/generate``, ``/api/tags``, and model
    creation: ``HEAD``/``POST /api/blobs/<digest>`` (kept in ``blobs``) and ``/api/create``."""

    def __init__(self, models: tuple[str, ...] = ("llama3.2:3b",), answer: Answer = echo("ollama")) -> None:
        self.models = list(models)
        self.answer = answer
        self.fail_with: tuple[int, str] | None = None
        self.delay = 0.0
        self.blobs: dict[str, bytes] = {}
        super().__init__(_OllamaHandler)


class _OllamaHandler(_Handler):
    server_state: OllamaServer

    def do_GET(self) -> None:
        if self.path != "/api/tags":
            return self._json(404, {"error": "not found"})
        self._json(200, {"models": [
            {"name": m, "model": m, "modified_at": "2025-01-01T00:00:00Z", "size": 2019393189,
             "digest": "a80c4f17acd5", "details": {"format": "gguf", "family": "llama",
                                                   "parameter_size": "3.2B", "quantization_level": "Q4_K_M"}}
            for m in self.server_state.models]})

    # -- model creation: HEAD/POST /api/blobs/<digest>, POST /api/create --------
    def do_HEAD(self) -> None:
        self.server_state.record(self.path, dict(self.headers), {"method": "HEAD"})
        self.send_response(200 if self.path.removeprefix("/api/blobs/") in self.server_state.blobs else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _blob(self) -> None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while size := int(self.rfile.readline().split(b";")[0], 16):
                data += self.rfile.read(size)
                self.rfile.readline()
            self.rfile.readline()
        else:
            data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        digest = self.path.removeprefix("/api/blobs/")
        self.server_state.record(self.path, dict(self.headers), {"bytes": len(data)})
        if digest != "sha256:" + hashlib.sha256(data).hexdigest():
            return self._json(400, {"error": "digest mismatch"})
        self.server_state.blobs[digest] = data
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _create(self, body: dict[str, Any]) -> None:
        state = self.server_state
        if body.get("from") not in state.models:
            return self._json(404, {"error": f"model '{body.get('from')}' not found"})
        missing = [d for d in (body.get("adapters") or {}).values() if d not in state.blobs]
        if missing:
            return self._json(400, {"error": f"blob {missing[0]} not found"})
        state.models.append(body["model"])
        statuses = ["using existing layer", "creating new layer", "writing manifest", "success"]
        if body.get("stream", True) is False:
            return self._json(200, {"status": "success"})
        self._lines("application/x-ndjson", [json.dumps({"status": s}) + "\n" for s in statuses], 0.0)

    def do_POST(self) -> None:
        state = self.server_state
        if self.path.startswith("/api/blobs/"):
            return self._blob()
        body = self._body()
        if state.fail_with is not None:
            return self._json(state.fail_with[0], {"error": state.fail_with[1]})
        if self.path == "/api/create":
            return self._create(body)
        if self.path not in ("/api/chat", "/api/generate"):
            return self._json(404, {"error": "not found"})
        model = body.get("model", "")
        if model not in state.models:
            return self._json(404, {"error": f"model '{model}' not found"})
        chat = self.path == "/api/chat"
        messages = body.get("messages") if chat else [{"role": "user", "content": body.get("prompt", "")}]
        fmt = body.get("format")
        response_format = ({"type": "json_object"} if fmt == "json" else
                           {"type": "json_schema", "json_schema": {"schema": fmt}} if isinstance(fmt, dict) else None)
        text, calls = scripted(messages, body.get("tools"), None, response_format)
        if text is None:
            text = state.answer(messages)
        limit = (body.get("options") or {}).get("num_predict")
        if limit and not calls:
            text = " ".join(text.split(" ")[:int(limit)])
        n_in = sum(len((m.get("content") or "").split()) for m in messages)
        final = {"model": model, "created_at": "2025-01-01T00:00:00Z", "done": True, "done_reason": "stop",
                 "total_duration": 1000, "load_duration": 10, "prompt_eval_count": n_in,
                 "prompt_eval_duration": 100, "eval_count": len(text.split()), "eval_duration": 500}

        def content(piece: str, with_calls: bool = False) -> dict[str, Any]:
            if chat:
                message: dict[str, Any] = {"role": "assistant", "content": piece}
                if with_calls and calls:
                    message["tool_calls"] = [{"function": c} for c in calls]
                return {"message": message}
            return {"response": piece}

        if body.get("stream", True) is False:
            return self._json(200, {**final, **content(text, True)})
        lines = [json.dumps({"model": model, "created_at": "2025-01-01T00:00:00Z", **content(p, i == 0),
                             "done": False}) + "\n"
                 for i, p in enumerate(pieces(text))]
        lines.append(json.dumps({**final, **content("")}) + "\n")
        self._lines("application/x-ndjson", lines, state.delay)


class GroqServer(_Server):
    """Speaks ``/openai/v1/chat/completions`` (JSON, or SSE with ``x_groq`` usage).
    ``failures`` is a queue of ``(status, retry_after)`` to answer before succeeding."""

    def __init__(self, api_key: str = "gsk_test_key_not_real", answer: Answer = echo("groq")) -> None:
        self.api_key = api_key
        self.answer = answer
        self.failures: list[tuple[int, str | None]] = []
        self.times: list[float] = []
        self.delay = 0.0
        super().__init__(_GroqHandler)


class _GroqHandler(_Handler):
    server_state: GroqServer

    def _error(self, status: int, message: str, kind: str, headers: dict[str, str] | None = None) -> None:
        self._json(status, {"error": {"message": message, "type": kind, "code": kind}}, headers)

    def do_POST(self) -> None:
        state = self.server_state
        state.times.append(time.monotonic())
        body = self._body()
        if self.path != "/openai/v1/chat/completions":
            return self._error(404, "Unknown request URL", "not_found")
        if self.headers.get("Authorization") != f"Bearer {state.api_key}":
            return self._error(401, "Invalid API Key", "invalid_api_key")
        with state.lock:
            failure = state.failures.pop(0) if state.failures else None
        if failure is not None:
            status, retry_after = failure
            headers = {"retry-after": retry_after} if retry_after is not None else {}
            kind = "rate_limit_exceeded" if status == 429 else "internal_server_error"
            return self._error(status, f"scripted failure {status}", kind, headers)
        messages = body["messages"]
        text, calls = scripted(messages, body.get("tools"), body.get("tool_choice"), body.get("response_format"))
        if text is None:
            text = state.answer(messages)
        tool_calls = [{"id": f"call_{len(state.bodies)}_{i}", "type": "function",
                       "function": {"name": c["name"], "arguments": json.dumps(c["arguments"], ensure_ascii=False)}}
                      for i, c in enumerate(calls)]
        finish = "tool_calls" if tool_calls else "stop"
        usage = {"prompt_tokens": sum(len(text_of(m).split()) for m in messages),
                 "completion_tokens": len(text.split()), "total_tokens": 0, "queue_time": 0.01,
                 "prompt_time": 0.01, "completion_time": 0.02, "total_time": 0.03}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        base = {"id": "chatcmpl-test", "created": 1735689600, "model": body["model"],
                "system_fingerprint": "fp_test"}
        if not body.get("stream"):
            message: dict[str, Any] = {"role": "assistant", "content": text}
            if tool_calls:
                message["tool_calls"] = tool_calls
            return self._json(200, {**base, "object": "chat.completion", "choices": [
                {"index": 0, "message": message, "logprobs": None,
                 "finish_reason": finish}], "usage": usage, "x_groq": {"id": "req_test"}})
        chunk = {**base, "object": "chat.completion.chunk"}
        events = [{**chunk, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                                         "logprobs": None, "finish_reason": None}], "x_groq": {"id": "req_test"}}]
        events += [{**chunk, "choices": [{"index": 0, "delta": {"content": p}, "logprobs": None,
                                          "finish_reason": None}]} for p in pieces(text) if p]
        for i, call in enumerate(tool_calls):  # as OpenAI streams them: id and name, then the arguments in pieces
            head = {"index": i, "id": call["id"], "type": "function",
                    "function": {"name": call["function"]["name"], "arguments": ""}}
            arguments = pieces(call["function"]["arguments"])
            deltas = [head] + [{"index": i, "function": {"arguments": p}} for p in arguments]
            events += [{**chunk, "choices": [{"index": 0, "delta": {"tool_calls": [d]}, "logprobs": None,
                                              "finish_reason": None}]} for d in deltas]
        events.append({**chunk, "choices": [{"index": 0, "delta": {}, "logprobs": None, "finish_reason": finish}],
                       "x_groq": {"id": "req_test", "usage": usage}})
        lines = [f"data: {json.dumps(e)}\n\n" for e in events] + ["data: [DONE]\n\n"]
        self._lines("text/event-stream", lines, state.delay)


@pytest.fixture
def ollama_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[OllamaServer]:
    """An Ollama server on loopback; ``OLLAMA_HOST`` points at it."""
    server = OllamaServer()
    monkeypatch.setenv("OLLAMA_HOST", server.url)
    yield server
    server.close()


@pytest.fixture
def groq_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[GroqServer]:
    """A Groq server on loopback; ``GROQ_BASE_URL`` and ``GROQ_API_KEY`` point at it."""
    server = GroqServer()
    monkeypatch.setenv("GROQ_BASE_URL", server.url)
    monkeypatch.setenv("GROQ_API_KEY", server.api_key)
    yield server
    server.close()


@pytest.fixture
def dead_url() -> str:
    """An http address on loopback where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"
