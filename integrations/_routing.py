"""What the LangChain and LlamaIndex adapters share: building the router lazily,
splitting a call's options, and summarising a reply's plan for metadata."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ptmo_middleware.backends import GENERATION_OPTIONS
from ptmo_middleware.router import PrivacyRouter
from ptmo_middleware.types import Plan

#: Per-call keyword arguments that steer the router itself.
ROUTER_OPTIONS = ("policy", "decomposer", "principal")


def side_label(side: Any) -> str:
    """A short name of one side (local or cloud): a config string or a backend's name."""
    return side if isinstance(side, str) else str(getattr(side, "name", type(side).__name__))


class LazyRouter:
    """Builds a :class:`PrivacyRouter` on first use (thread-safe), so that constructing
    an integration object stays cheap and loads no classifier models."""

    def __init__(self, build: Callable[[], PrivacyRouter]) -> None:
        self._build = build
        self._router: PrivacyRouter | None = None
        self._lock = threading.Lock()

    def get(self) -> PrivacyRouter:
        with self._lock:
            if self._router is None:
                self._router = self._build()
            return self._router


def build_router(*, local: Any, cloud: Any, config: str | None, settings: dict[str, Any],
                 policy: str | None = None, api_key: Any = None, max_retries: int | None = None,
                 timeout: float | None = None) -> PrivacyRouter:
    """A router from an integration's fields (``local``/``cloud`` already backends or specs).

    The standard parameters map onto settings (``api_key`` -> ``groq_api_key``,
    ``max_retries`` -> ``cloud_max_retries``, ``timeout`` -> ``backend_timeout_s``);
    ``settings`` (any other :class:`~ptmo_middleware.Settings` field) wins over them.
    """
    standard = {"policy": policy, "groq_api_key": api_key, "cloud_max_retries": max_retries,
                "backend_timeout_s": timeout}
    overrides = {k: v for k, v in standard.items() if v is not None}
    overrides.update(settings)
    return PrivacyRouter(config, local=local, cloud=cloud, **overrides)


def split_options(kwargs: dict[str, Any], defaults: dict[str, Any], owner: str,
                  extra: frozenset[str] = frozenset()) -> tuple[str | None, dict[str, Any]]:
    """(conversation id or None, router keyword arguments) from a call's keyword arguments
    over the integration's defaults; ``extra`` names more accepted arguments; unknown
    arguments raise ``TypeError``."""
    kwargs = dict(kwargs)
    conversation = kwargs.pop("conversation_id", None)
    accepted = GENERATION_OPTIONS | set(ROUTER_OPTIONS) | extra
    unknown = set(kwargs) - accepted
    if unknown:
        raise TypeError(f"unsupported keyword argument(s) {sorted(unknown)}; {owner} accepts "
                        f"{', '.join(sorted(accepted))} and conversation_id")
    options = {k: v for k, v in {**defaults, **kwargs}.items() if v is not None}
    return conversation, options


#: Generation options a wrapped framework model may hold as fields, with their spellings.
OPTION_FIELDS = {"temperature": ("temperature",), "seed": ("seed",),
                 "max_tokens": ("max_tokens", "num_predict", "max_output_tokens", "num_output")}


def with_options(model: Any, options: dict[str, Any]) -> Any:
    """A copy of a pydantic framework model with the generation options it has fields
    for set (``temperature``, ``seed``, ``max_tokens`` under its own spelling); the model
    itself when none applies. Other options are left to the caller."""
    fields = type(model).model_fields
    update = {}
    for option, names in OPTION_FIELDS.items():
        field = next((n for n in names if n in fields), None)
        if options.get(option) is not None and field is not None:
            update[field] = options[option]
    return model.model_copy(update=update) if update else model


def plan_fields(plan: Plan) -> dict[str, Any]:
    """What was decided for a plan, without any raw prompt text: route, level, span
    types, policy, budget spent and the hash of what leaves the device."""
    return {
        "route": plan.route.value,
        "level": plan.level.name,
        "span_types": plan.classification.entity_types,
        "policy": plan.policy,
        "budget_spent": plan.budget_cost,
        "payload_hash": plan.payload_hash(),
    }


def plan_summary(reply: Any) -> dict[str, Any]:
    """What was decided for a reply, without any raw prompt text: route, level, span
    types, policy, budget spent, the hash of what left the device, whether anything
    did, backends used, flags, and the cloud's error when it failed and the reply was
    answered on the device."""
    return {
        **plan_fields(reply.plan),
        "left_device": reply.left_device,
        "backends": dict(reply.backends),
        "flags": [str(f) for f in reply.flags],
        "cloud_error": reply.cloud_error,
    }


def answered_by(reply: Any, fallback: str) -> str:
    """The model name(s) that produced a reply, for ``model_name`` metadata:
    ``reply.backends`` maps side -> model name; the names are joined local first, as in
    the integrations' ``<local>+<cloud>`` model name, whichever side finished first."""
    sides = sorted(reply.backends, key=lambda side: (side != "local", side != "cloud", side))
    return "+".join(dict.fromkeys(reply.backends[side] for side in sides)) or fallback
