"""Tool use through the router: the options that ask for it, and masking and restoring
the structured payloads it carries.

A request asks for tools with the options ``tools`` (OpenAI function definitions, sent
as given), ``tool_choice`` and ``response_format``. The arguments of the tool calls a
model returns are JSON: their string values are masked for the cloud one by one (so the
JSON stays valid) and restored one by one on the way back, with the conversation's
placeholders; a JSON answer's values are restored escaped for a JSON string.
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Container, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .errors import BackendError
from .types import Message, ToolCall

if TYPE_CHECKING:
    from .vault import MaskVault

#: Request options that ask for tool calls or structured (JSON) output.
TOOL_OPTIONS = frozenset({"tools", "tool_choice", "response_format"})


def asks_for_tools(options: Mapping[str, Any]) -> bool:
    """Whether a request's options ask for tools or structured output (an empty list of
    tools does not)."""
    return any(options.get(k) for k in TOOL_OPTIONS)


def has_tool_use(messages: Iterable[Message]) -> bool:
    """Whether any message is a tool call or a tool result."""
    return any(m.tool_calls or m.tool_call_id is not None for m in messages)


def wire_text(message: Message) -> str:
    """Everything of ``message`` that would leave the device, as text: its content and
    its tool calls' arguments (to find placeholders in, or count characters of)."""
    return message.content + "".join(json.dumps(c.arguments, ensure_ascii=False) for c in message.tool_calls)


def map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    """``value`` (parsed JSON) with ``fn`` applied to every string in it (not to keys)."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {k: map_strings(v, fn) for k, v in value.items()}
    if isinstance(value, list):
        return [map_strings(v, fn) for v in value]
    return value


def mask_tool_calls(calls: Iterable[ToolCall], mask_text: Callable[[str], str | None]) -> list[ToolCall] | None:
    """``calls`` with every string argument replaced by ``mask_text`` of it; ``None``
    when ``mask_text`` refuses one (returns ``None``: it must stay on the device)."""
    refused = False

    def mask(text: str) -> str:
        nonlocal refused
        masked = mask_text(text)
        refused = refused or masked is None
        return text if masked is None else masked

    masked_calls = [dataclasses.replace(c, arguments=map_strings(c.arguments, mask)) for c in calls]
    return None if refused else masked_calls


def restore_tool_calls(calls: Iterable[ToolCall], vault: "MaskVault",
                       only: Container[str] | None = None) -> list[ToolCall]:
    """``calls`` with the placeholders in their string arguments restored (``only`` as
    in :meth:`~ptmo_middleware.vault.MaskVault.restore`)."""
    return [dataclasses.replace(c, arguments=map_strings(c.arguments, lambda s: vault.restore(s, only=only)))
            for c in calls]


def json_escape(value: str) -> str:
    """``value`` as it is written inside a JSON string (without the quotes)."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


def parse_arguments(raw: str | Mapping[str, Any] | None, tool: str) -> dict[str, Any]:
    """A tool call's arguments from the JSON text (or object) a model returned; a
    :class:`BackendError` that names the tool when they are not a JSON object."""
    if raw is None or raw == "":
        return {}
    try:
        args = json.loads(raw) if isinstance(raw, str) else dict(raw)
    except (TypeError, ValueError) as exc:
        raise BackendError(f"the model's call of tool {tool!r} has arguments that are not JSON: {exc}") from None
    if not isinstance(args, dict):
        raise BackendError(f"the model's call of tool {tool!r} has arguments that are not a JSON object")
    return args
