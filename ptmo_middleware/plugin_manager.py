"""The plugin manager: default plugins, third-party plugins from entry points, lookup.

Third-party packages declare ``[project.entry-points.ptmo_middleware]`` and are loaded
lazily on first use. ``PTMO_LOAD_PLUGINS=a,b`` restricts loading to those distributions
(empty: none); under pytest no entry points load unless a test asks for them.
``PTMO_TRACE_PLUGINS=1`` prints every hook call to stderr.
"""
from __future__ import annotations

import importlib
import importlib.metadata
import os
import re
import sys
import threading
from typing import Any, Callable

import pluggy

from . import hookspecs
from .errors import PluginError

ENTRY_POINT_GROUP = "ptmo_middleware"

DEFAULT_PLUGINS: tuple[str, ...] = (
    "ptmo_middleware.backends.builtin",
    "ptmo_middleware.plugins.classifiers.rules",
    "ptmo_middleware.plugins.classifiers.ner",
    "ptmo_middleware.plugins.classifiers.ml",
    "ptmo_middleware.plugins.decomposers.entity",
    "ptmo_middleware.plugins.decomposers.sentence",
    "ptmo_middleware.plugins.decomposers.clause",
    "ptmo_middleware.plugins.decomposers.auto",
    "ptmo_middleware.plugins.policies.threshold",
    "ptmo_middleware.plugins.policies.fixed",
    "ptmo_middleware.plugins.policies.rl",
    "ptmo_middleware.plugins.aggregators.restore",
    "ptmo_middleware.plugins.aggregators.merge",
    "ptmo_middleware.plugins.aggregators.local_refine",
)

pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
pm.add_hookspecs(hookspecs)

_lock = threading.Lock()
_loaded = False
_undo_trace: Callable[[], None] | None = None
_distributions: dict[str, tuple[Any, str]] = {}
"""Plugin name -> (plugin object, "distribution version") for entry-point plugins."""


def load_plugins() -> None:
    """Register the default plugins and, unless restricted, the installed ones (once)."""
    global _loaded
    with _lock:
        if _loaded:
            return
        _loaded = True
        for module_name in DEFAULT_PLUGINS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name and exc.name.startswith("ptmo_middleware"):
                    continue  # a default plugin not shipped in this build
                raise
            if not pm.is_registered(module):
                pm.register(module, name=module_name)
        if not hasattr(sys, "_called_from_test") or os.environ.get("PTMO_LOAD_PLUGINS"):
            load_entrypoint_plugins(_restriction())
        pm.check_pending()
        if os.environ.get("PTMO_TRACE_PLUGINS"):
            trace_plugins(True)


def _restriction() -> list[str] | None:
    env = os.environ.get("PTMO_LOAD_PLUGINS")
    if env is None:
        return None
    return [n.strip() for n in env.split(",") if n.strip()]


def load_entrypoint_plugins(only: list[str] | None = None) -> list[str]:
    """Load plugins from the ``ptmo_middleware`` entry-point group.

    ``only`` names the distributions allowed (``None``: all). Returns the names loaded.
    """
    loaded = []
    allowed = None if only is None else {_canonical(n) for n in only}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist else ep.name
        if allowed is not None and _canonical(dist) not in allowed and _canonical(ep.name) not in allowed:
            continue
        if pm.get_plugin(ep.name) is not None:
            continue
        try:
            plugin = ep.load()
        except Exception as exc:  # a broken third-party plugin must say who it is
            raise PluginError(f"plugin {ep.name!r} from {dist!r} failed to load: {exc}") from exc
        pm.register(plugin, name=ep.name)
        pm.check_pending()
        version = ep.dist.version if ep.dist else "?"
        _distributions[ep.name] = (plugin, f"{dist} {version}")
        loaded.append(ep.name)
    return loaded


def _canonical(name: str) -> str:
    """Distribution names compare like pip does: case and ``-_.`` runs ignored."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _builtin_distribution() -> str | None:
    try:
        return f"ptmo-middleware {importlib.metadata.version('ptmo-middleware')}"
    except importlib.metadata.PackageNotFoundError:
        return None


def trace_plugins(enabled: bool = True) -> None:
    """Print every hook call and its result to stderr (``--trace-plugins``)."""
    global _undo_trace
    if _undo_trace:
        _undo_trace()
        _undo_trace = None
    if enabled:
        def before(hook_name: str, impls: list[Any], kwargs: dict[str, Any]) -> None:
            names = ", ".join(pm.get_name(i.plugin) or "?" for i in impls)
            print(f"[ptmo trace] {hook_name} -> {names}", file=sys.stderr)

        def after(outcome: Any, hook_name: str, impls: list[Any], kwargs: dict[str, Any]) -> None:
            if outcome.exception is not None:
                print(f"[ptmo trace] {hook_name} raised {outcome.exception!r}", file=sys.stderr)

        _undo_trace = pm.add_hookcall_monitoring(before, after)


def _collect(hook_name: str) -> dict[str, Any]:
    load_plugins()
    found: dict[str, Any] = {}

    def register(component: Any, name: str | None = None) -> None:
        key = name or getattr(component, "name", None)
        if not key or not isinstance(key, str):
            raise PluginError(f"{component!r} registered under {hook_name} has no name")
        found[key] = component

    getattr(pm.hook, hook_name)(register=register)
    return found


def get_classifiers() -> dict[str, Any]:
    """Classifier classes by name."""
    return _collect("register_classifiers")


def get_decomposers() -> dict[str, Any]:
    """Decomposer classes by name."""
    return _collect("register_decomposers")


def get_router_policies() -> dict[str, Any]:
    """Router-policy classes by name."""
    return _collect("register_router_policies")


def get_aggregators() -> dict[str, Any]:
    """Aggregator classes by name."""
    return _collect("register_aggregators")


def get_backends() -> dict[str, Any]:
    """Backend factories by spec prefix."""
    return _collect("register_backends")


def get_component(kind: str, name: str) -> Any:
    """The component class ``name`` of ``kind`` (classifier, decomposer, router policy,
    aggregator, backend); a :class:`PluginError` lists the available names when it is
    unknown."""
    getters = {"classifier": get_classifiers, "decomposer": get_decomposers,
               "router policy": get_router_policies, "aggregator": get_aggregators, "backend": get_backends}
    available = getters[kind]()
    try:
        return available[name]
    except KeyError:
        raise PluginError(
            f"unknown {kind} {name!r}; available: {', '.join(sorted(available)) or 'none'}") from None


def plugin_summary() -> list[dict[str, Any]]:
    """What is loaded: plugin name, hooks it implements, and its distribution version."""
    load_plugins()
    rows = []
    for plugin in pm.get_plugins():
        name = pm.get_name(plugin) or repr(plugin)
        hooks = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
        builtin = name in DEFAULT_PLUGINS
        recorded = _distributions.get(name)
        dist = recorded[1] if recorded and recorded[0] is plugin else None
        for p, d in pm.list_plugin_distinfo():
            if p is plugin:
                dist = f"{d.project_name} {d.version}"
        rows.append({"name": name, "hooks": hooks,
                     "distribution": _builtin_distribution() if builtin else dist, "builtin": builtin})
    return sorted(rows, key=lambda r: (not r["builtin"], r["name"]))
