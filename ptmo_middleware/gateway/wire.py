"""OpenAI Chat Completions on the wire: a request body to the router's messages and
options, a :class:`~ptmo_middleware.execution.Reply` to a completion or to stream chunks.

Supported: roles system (and ``developer``, read as system), user, assistant (with
``tool_calls``) and tool; text content (a string, or a list of text parts); the options
``temperature``, ``max_tokens`` / ``max_completion_tokens``, ``stop``, ``seed``,
``tools``, ``tool_choice``, ``response_format``; ``stream`` and
``stream_options.include_usage``. Other sampling fields are ignored; ``n`` other than 1,
and content other than text, are refused.
"""
from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..errors import BackendError
from ..execution import Reply
from ..tools import parse_arguments
from ..types import Message, Plan, ToolCall
from .errors import bad_request

ROLES = frozenset({"system", "user", "assistant", "tool"})


@dataclass
class ChatRequest:
    """A parsed ``POST /v1/chat/completions`` body."""

    model: str
    messages: list[Message]
    options: dict[str, Any]
    stream: bool
    include_usage: bool


def parse_chat(body: Any) -> ChatRequest:
    """The request of a JSON body; :class:`ApiError` 400 naming the bad field."""
    if not isinstance(body, dict):
        raise bad_request("the body must be a JSON object")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise bad_request("'model' is required", "model")
    raw = body.get("messages")
    if not isinstance(raw, list) or not raw:
        raise bad_request("'messages' must be a non-empty list", "messages")
    if body.get("n", 1) != 1:
        raise bad_request("only n = 1 is supported", "n")
    stream = body.get("stream") or False
    if not isinstance(stream, bool):
        raise bad_request("'stream' must be a boolean", "stream")
    stream_options = body.get("stream_options") or {}
    include_usage = bool(isinstance(stream_options, dict) and stream_options.get("include_usage"))
    return ChatRequest(model, [_message(i, m) for i, m in enumerate(raw)], _options(body), stream, include_usage)


def _message(i: int, m: Any) -> Message:
    where = f"messages[{i}]"
    if not isinstance(m, dict):
        raise bad_request(f"{where} must be an object", where)
    role = "system" if m.get("role") == "developer" else m.get("role")
    if role not in ROLES:
        raise bad_request(f"{where}.role must be one of system, user, assistant, tool; got {role!r:.40}",
                          f"{where}.role")
    calls = [_tool_call(f"{where}.tool_calls[{j}]", c) for j, c in enumerate(m.get("tool_calls") or [])]
    if calls and role != "assistant":
        raise bad_request(f"{where}: only an assistant message carries tool_calls", f"{where}.tool_calls")
    call_id = m.get("tool_call_id")
    if role == "tool" and not isinstance(call_id, str):
        raise bad_request(f"{where}: a tool message needs its tool_call_id", f"{where}.tool_call_id")
    content = _text(where, m.get("content"), allow_none=role == "assistant" and bool(calls))
    return Message(role, content, calls, call_id if role == "tool" else None)


def _text(where: str, content: Any, allow_none: bool) -> str:
    if content is None and allow_none:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for part in content:
            if not isinstance(part, dict) or part.get("type") != "text" or not isinstance(part.get("text"), str):
                raise bad_request(f"{where}.content: only text parts are supported", f"{where}.content")
            texts.append(part["text"])
        return "\n".join(texts)
    raise bad_request(f"{where}.content must be a string or a list of text parts", f"{where}.content")


def _tool_call(where: str, call: Any) -> ToolCall:
    function = call.get("function") if isinstance(call, dict) else None
    if not isinstance(function, dict) or not isinstance(function.get("name"), str) or not isinstance(
            call.get("id"), str):
        raise bad_request(f"{where} must be {{id, type: function, function: {{name, arguments}}}}", where)
    try:
        return ToolCall(call["id"], function["name"], parse_arguments(function.get("arguments"), function["name"]))
    except BackendError:
        raise bad_request(f"{where}.function.arguments must be a JSON object (as text)", where) from None


def _options(body: dict[str, Any]) -> dict[str, Any]:
    """The router's options of a request body, checked."""
    out: dict[str, Any] = {}
    temperature = body.get("temperature")
    if temperature is not None:
        if not isinstance(temperature, (int, float)) or isinstance(temperature, bool) or not 0 <= temperature <= 2:
            raise bad_request("'temperature' must be a number in [0, 2]", "temperature")
        out["temperature"] = float(temperature)
    for name in ("max_completion_tokens", "max_tokens"):
        value = body.get(name)
        if value is not None:
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise bad_request(f"'{name}' must be a positive integer", name)
            out["max_tokens"] = value
    stop = body.get("stop")
    if stop is not None:
        if isinstance(stop, str):
            stop = [stop]
        if not isinstance(stop, list) or not all(isinstance(s, str) for s in stop) or len(stop) > 4:
            raise bad_request("'stop' must be a string or a list of at most 4 strings", "stop")
        out["stop"] = stop
    seed = body.get("seed")
    if seed is not None:
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise bad_request("'seed' must be an integer", "seed")
        out["seed"] = seed
    tools = body.get("tools")
    if tools:
        if not isinstance(tools, list) or not all(
                isinstance(t, dict) and t.get("type") == "function" and isinstance(t.get("function"), dict)
                and isinstance(t["function"].get("name"), str) for t in tools):
            raise bad_request("'tools' must be a list of {type: function, function: {name, ...}}", "tools")
        out["tools"] = tools
    choice = body.get("tool_choice")
    if choice is not None:
        if not (choice in ("none", "auto", "required") or isinstance(choice, dict)):
            raise bad_request("'tool_choice' must be none, auto, required or {type: function, ...}", "tool_choice")
        out["tool_choice"] = choice
    response_format = body.get("response_format")
    if response_format is not None:
        kind = response_format.get("type") if isinstance(response_format, dict) else None
        if kind not in ("text", "json_object", "json_schema"):
            raise bad_request("'response_format.type' must be text, json_object or json_schema", "response_format")
        if kind != "text":  # plain text asks for nothing
            out["response_format"] = response_format
    return out


def prompt_chars(messages: list[Message]) -> int:
    """Characters the router plans (contents and tool calls' arguments)."""
    return sum(len(m.content) + sum(len(json.dumps(c.arguments)) for c in m.tool_calls) for m in messages)


def masked_types(plan: Plan) -> Counter[str]:
    """Placeholders that left in the plan, counted by type (``[EMAIL_ADDRESS_2]`` ->
    ``EMAIL_ADDRESS``): what the headers and metrics may say, never the values."""
    return Counter(ph[1:-1].rpartition("_")[0] for ph in plan.placeholders)


def route_headers(plan: Plan, conversation: str) -> dict[str, str]:
    """What the router decided, for the response headers."""
    counts = masked_types(plan)
    spans = ",".join(f"{kind}={n}" for kind, n in sorted(counts.items())) or "none"
    return {"x-ptmo-route": plan.route.value, "x-ptmo-masked-spans": spans,
            "x-ptmo-conversation": conversation, "x-request-id": plan.request_id}


def _tool_calls(calls: list[ToolCall]) -> list[dict[str, Any]]:
    return [{"id": c.id, "type": "function",
             "function": {"name": c.name, "arguments": json.dumps(c.arguments, ensure_ascii=False)}} for c in calls]


def _usage(reply: Reply) -> dict[str, int]:
    u = reply.usage
    return {"prompt_tokens": u.input_tokens, "completion_tokens": u.output_tokens, "total_tokens": u.total_tokens}


def completion(reply: Reply, model: str) -> dict[str, Any]:
    """A ``chat.completion`` object of ``reply``."""
    message: dict[str, Any] = {"role": "assistant", "content": reply.text}
    if reply.tool_calls:
        message["tool_calls"] = _tool_calls(reply.tool_calls)
    return {"id": f"chatcmpl-{reply.plan.request_id}", "object": "chat.completion", "created": int(time.time()),
            "model": model, "choices": [{"index": 0, "message": message, "logprobs": None,
                                         "finish_reason": "tool_calls" if reply.tool_calls else "stop"}],
            "usage": _usage(reply)}


class ChunkWriter:
    """``chat.completion.chunk`` events of one streamed answer, as SSE lines."""

    def __init__(self, plan: Plan, model: str) -> None:
        self._base = {"id": f"chatcmpl-{plan.request_id}", "object": "chat.completion.chunk",
                      "created": int(time.time()), "model": model}

    def event(self, delta: dict[str, Any], finish_reason: str | None = None, **extra: Any) -> str:
        chunk = {**self._base, "choices": [{"index": 0, "delta": delta, "logprobs": None,
                                            "finish_reason": finish_reason}], **extra}
        return sse(chunk)

    def closing(self, reply: Reply, include_usage: bool) -> list[str]:
        """The tool calls (if any), the finish reason, the usage (when asked) and ``[DONE]``."""
        events = []
        for i, call in enumerate(_tool_calls(reply.tool_calls)):
            events.append(self.event({"tool_calls": [{"index": i, **call}]}))
        events.append(self.event({}, "tool_calls" if reply.tool_calls else "stop"))
        if include_usage:
            events.append(sse({**self._base, "choices": [], "usage": _usage(reply)}))
        return events + ["data: [DONE]\n\n"]


def sse(obj: Any) -> str:
    return f"data: {json.dumps(obj, ensure_ascii=False)}\n\n"
