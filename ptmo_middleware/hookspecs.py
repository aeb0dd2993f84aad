"""The extension points, as pluggy hook specifications: the four of the request path
(classifier, decomposer, router policy, aggregator) and the model backends.

Every hook is registration-style (as in simonw/llm): it receives a ``register``
callback and calls it once per component class it provides. A component class has a
``name`` class attribute and is constructed with the router's
:class:`~ptmo_middleware.config.Settings`. The Protocols each kind must satisfy are in
:mod:`ptmo_middleware.components`.
"""
from __future__ import annotations

from typing import Callable

from pluggy import HookimplMarker, HookspecMarker

hookspec = HookspecMarker("ptmo_middleware")
hookimpl = HookimplMarker("ptmo_middleware")

Register = Callable[..., None]


@hookspec
def register_classifiers(register: Register) -> None:
    """Register classifier classes: ``register(MyClassifier)``.

    A classifier's ``classify(text, context)`` returns the sensitive spans it finds
    (:class:`~ptmo_middleware.types.Span`, with type, level, score and ``source``).
    Every enabled classifier runs on every text; their spans are merged.
    """


@hookspec
def register_decomposers(register: Register) -> None:
    """Register decomposer classes: ``register(MyDecomposer)``.

    A decomposer's ``decompose(text, spans, vault)`` splits a text into
    :class:`~ptmo_middleware.types.Part` objects, each with its level, whether it is
    maskable, and its placeholder text made with the conversation's ``vault``.
    One decomposer is chosen per request, by name.
    """


@hookspec
def register_router_policies(register: Register) -> None:
    """Register router-policy classes: ``register(MyPolicy)``.

    A policy's ``route(parts, request)`` returns one
    :class:`~ptmo_middleware.types.Route` per part (LOCAL, CLOUD or MASKED), given the
    request's features and budget state. The shield applied afterwards keeps every
    PRIVATE span on the device whatever the policy asks.
    """


@hookspec
def register_aggregators(register: Register) -> None:
    """Register aggregator classes: ``register(MyAggregator)``.

    An aggregator's ``aggregate(plan, answers, vault)`` merges the local and cloud
    answers into the reply and restores masked values; ``stream_restorer(plan, vault)``
    returns the object (``feed(chunk)``, ``flush()``) that restores the cloud's stream as
    it arrives.
    """


@hookspec
def register_backends(register: Register) -> None:
    """Register model backends by the prefix of their spec: ``register(factory, name="ollama")``.

    A spec ``"<name>:<argument>"`` (``"ollama:llama3.2:3b"``) is built by calling
    ``factory(argument, settings)`` with the text after the first colon (``""`` when
    there is none) and the router's :class:`~ptmo_middleware.config.Settings`; it
    returns an object satisfying :class:`~ptmo_middleware.backends.Backend`. Raise
    :class:`~ptmo_middleware.errors.ConfigError` for an argument that names nothing.
    """
