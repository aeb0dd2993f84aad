"""The planning path: classify -> decompose -> route -> shield, producing a :class:`Plan`.

No model is called here. Everything that would leave the device is in
``Plan.cloud_messages``; :mod:`ptmo_middleware.shield` guarantees that no PRIVATE span
is in it, whatever the router policy asked.
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
import re
import threading
import time
from typing import Any, Iterable, Sequence

from .plugin_manager import get_classifiers, get_component
from .plugins.classifiers.unit_judge import JUDGED_SOURCES, judges, load_judge
from .components import ClassifyContext, RouteRequest
from .config import Settings
from .errors import ConfigError, InvalidPromptError, PluginError
from .shield import apply_shield
from .tools import mask_tool_calls, wire_text
from .types import Classification, Message, Part, Plan, Route, SensitivityLevel, Span, ToolCall
from .value_propagation import VaultValues, repeats_in_text, shared_across
from .vault import MaskVault

log = logging.getLogger(__name__)

#: What a vault's placeholder looks like (``[PERSON_1]``).
_PLACEHOLDER = re.compile(r"\[[A-Z0-9_]+\]")


class _ClassifierPool:
    """Threads that run classifiers time-boxed. A call that times out keeps its thread,
    so the pool is replaced then: hung calls never starve later requests."""

    def __init__(self, workers: int = 4) -> None:
        self.workers = workers
        self._lock = threading.Lock()
        self._executor = self._new()

    def _new(self) -> concurrent.futures.ThreadPoolExecutor:
        return concurrent.futures.ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="ptmo-classify")

    def submit(self, fn: Any, *args: Any) -> concurrent.futures.Future:
        with self._lock:
            return self._executor.submit(fn, *args)

    def abandon(self) -> None:
        """Leave the current threads to their hung calls; later calls get fresh threads."""
        with self._lock:
            old, self._executor = self._executor, self._new()
        old.shutdown(wait=False, cancel_futures=False)


_pool = _ClassifierPool()

MessagesLike = str | Sequence[Any]


def to_messages(prompt: MessagesLike) -> list[Message]:
    """Normalise a prompt (a string, dicts with role/content, or Message objects)."""
    if isinstance(prompt, str):
        messages = [Message("user", prompt)]
    elif isinstance(prompt, (bytes, bytearray)):
        raise InvalidPromptError("prompt is bytes; decode it to str first")
    elif isinstance(prompt, Sequence):
        messages = []
        for i, m in enumerate(prompt):
            if isinstance(m, Message):
                messages.append(m)
            elif isinstance(m, dict) and "content" in m:
                content = m["content"]
                if not isinstance(content, str):
                    raise InvalidPromptError(f"message {i}: content must be text, got {type(content).__name__}")
                messages.append(Message(str(m.get("role", "user")), content))
            else:
                raise InvalidPromptError(f"message {i}: expected {{'role', 'content'}} or Message, got {m!r:.80}")
    else:
        raise InvalidPromptError(f"prompt must be a string or a list of messages, got {type(prompt).__name__}")
    if not messages:
        raise InvalidPromptError("no messages given")
    for i, m in enumerate(messages):
        if not isinstance(m.content, str):
            raise InvalidPromptError(f"message {i}: content must be text, got {type(m.content).__name__}")
        _check_unicode(m.content, f"message {i}")
        if isinstance(m.role, str):
            _check_unicode(m.role, f"message {i} role")
    last = messages[-1]
    if not (last.content.strip() or last.images) and last.tool_call_id is None:  # a tool may return nothing
        raise InvalidPromptError("the prompt is empty")
    return messages


def _check_unicode(text: str, where: str) -> None:
    """Refuse text that cannot be encoded as UTF-8 (a lone surrogate): no backend could
    send it. One encode for the check; the offender is located only on failure."""
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidPromptError(
            f"{where}: lone surrogate U+{ord(text[exc.start]):04X} at offset {exc.start} cannot be encoded "
            "as UTF-8; the text is not valid Unicode (decode bytes with errors='replace', or drop it)") from None


#: Catch-all entity types: a specific type (PERSON, URL ...) found for the same text wins.
GENERIC_TYPES = frozenset({"PROPER_NOUN"})


def merge_spans(spans: Iterable[Span], text: str) -> list[Span]:
    """Merge overlapping maskable spans into one covering their union, typed by the
    strongest (level, then a specific type over a generic one, then score, then length);
    sources are joined with ``+``. Non-maskable (topic) spans are kept as they are."""
    maskable = sorted((s for s in spans if s.maskable), key=lambda s: (s.start, -s.end))
    topics = [s for s in spans if not s.maskable]
    merged: list[Span] = []
    for s in maskable:
        if merged and s.start < merged[-1].end:
            prev = merged[-1]
            top = max(prev, s, key=lambda x: (x.level, x.entity_type not in GENERIC_TYPES, x.score, x.end - x.start))
            start, end = prev.start, max(prev.end, s.end)
            sources = "+".join(sorted(set(prev.source.split("+")) | set(s.source.split("+"))))
            merged[-1] = Span(start, end, top.entity_type, top.level, max(prev.score, s.score),
                              sources, text[start:end], True)
        else:
            merged.append(s)
    return merged + sorted(topics, key=lambda s: s.start)


def score_of(spans: Sequence[Span]) -> float:
    """Request score in [0, 1]: PUBLIC texts fall in [0, 1/3), SEMI_SENSITIVE in
    [1/3, 2/3), PRIVATE in [2/3, 1], placed within the band by the strongest span's
    detector confidence."""
    if not spans:
        return 0.0
    return max((int(s.level) + s.score) / 3.0 for s in spans)


class Planner:
    """Runs the planning stages with the components named in the settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.classifiers = self._build_classifiers(settings)
        self._decomposers: dict[str, Any] = {}
        self._policies: dict[str, Any] = {}
        self._vault_values = VaultValues(settings.level_of)
        named = any(getattr(c, "name", None) in JUDGED_SOURCES for c in self.classifiers)
        self.judge = load_judge() if named and judges(settings) else None
        self.decomposer(settings.decomposer)
        self.policy(settings.policy)

    @staticmethod
    def _build_classifiers(settings: Settings) -> list[Any]:
        available = get_classifiers()
        names = settings.classifiers
        built = []
        if names is None:
            for name, cls in available.items():
                if not getattr(cls, "available", lambda: True)():
                    log.warning("classifier %r skipped: its dependencies are not installed", name)
                    continue
                built.append(cls(settings))
            return built
        for name in names:
            if name not in available:
                raise ConfigError(f"unknown classifier {name!r}; available: {', '.join(sorted(available))}")
            cls = available[name]
            if not getattr(cls, "available", lambda: True)():
                raise ConfigError(f"classifier {name!r} needs extra packages: pip install 'ptmo-middleware[all]'")
            built.append(cls(settings))
        return built

    def decomposer(self, name: str) -> Any:
        if name not in self._decomposers:
            self._decomposers[name] = get_component("decomposer", name)(self.settings)
        return self._decomposers[name]

    def policy(self, name: str) -> Any:
        if name not in self._policies:
            self._policies[name] = get_component("router policy", name)(self.settings)
        return self._policies[name]

    # -- classification ---------------------------------------------------------------
    def classify(self, text: str, vault: MaskVault | None = None,
                 context: ClassifyContext | None = None) -> Classification:
        """Run every classifier (time-boxed; one that fails makes the text PRIVATE),
        add the conversation's already-masked values, merge the spans."""
        if not isinstance(text, str):
            raise InvalidPromptError(f"text to classify must be a str, got {type(text).__name__}")
        context = context or ClassifyContext(self.settings)
        spans: list[Span] = []
        failed: list[str] = []
        # Pooled (time-boxed) classifiers start first, so they run while the inline ones do.
        deadline = time.monotonic() + self.settings.classifier_timeout_s
        pending = [(clf, _pool.submit(clf.classify, text, context))
                   for clf in self.classifiers if not getattr(clf, "inline", False)]
        for clf in self.classifiers:
            if getattr(clf, "inline", False):
                try:
                    spans.extend(_checked_spans(clf.classify(text, context)))
                except Exception:
                    log.exception("classifier %s failed; treating the text as PRIVATE", clf.name)
                    failed.append(clf.name)
        for clf, fut in pending:
            try:
                spans.extend(_checked_spans(fut.result(timeout=max(0.0, deadline - time.monotonic()))))
            except concurrent.futures.TimeoutError:
                log.error("classifier %s timed out; treating the text as PRIVATE", clf.name)
                failed.append(clf.name)
                _pool.abandon()
            except Exception:
                log.exception("classifier %s failed; treating the text as PRIVATE", clf.name)
                failed.append(clf.name)
        spans = [_with_text(s, text) for s in spans if _valid(s, text)]
        spans = [s for s in spans if s.start < s.end]
        if self.judge is not None:
            spans = self.judge.filter(text, spans)
        if vault is not None:
            spans.extend(self._vault_values.spans(text, vault))
        spans.extend(repeats_in_text(text, spans))
        spans = merge_spans(spans, text)
        if failed:
            spans.append(Span(0, len(text), "CLASSIFIER_FAILURE", SensitivityLevel.PRIVATE, 1.0,
                              "+".join(failed), text, maskable=False))
        level = max((s.level for s in spans), default=SensitivityLevel.PUBLIC)
        return Classification(level, score_of(spans), spans, failed)

    # -- planning ---------------------------------------------------------------------
    def plan(self, prompt: MessagesLike, vault: MaskVault, *, policy: str | None = None,
             decomposer: str | None = None, principal: str | None = None,
             budget_remaining: float | None = None, budget_epsilon: float | None = None) -> Plan:
        """Classify, decompose and route ``prompt`` (a string or chat messages)."""
        return self.decide(self.analyse(prompt, vault, decomposer), vault, policy=policy, principal=principal,
                           budget_remaining=budget_remaining, budget_epsilon=budget_epsilon)

    def analyse(self, prompt: MessagesLike, vault: MaskVault, decomposer: str | None = None) -> Analysis:
        """Classify every message of ``prompt`` and decompose the last one: everything
        planning learns before a policy routes (and what a re-route reuses)."""
        messages = to_messages(prompt)
        total = sum(len(m.content) for m in messages)
        if total > self.settings.max_prompt_chars:
            raise InvalidPromptError(
                f"prompt has {total} characters, more than max_prompt_chars={self.settings.max_prompt_chars}")
        if messages[-1].tool_calls:
            raise InvalidPromptError("the last message carries tool calls; a request ends with the tools' results "
                                     "or a user message")
        t0 = time.perf_counter()
        history = [(m, self.classify(m.content, vault, ClassifyContext(self.settings, vault.conversation_id, m.role)))
                   for m in messages[:-1]]
        history_calls = [self._mask_tool_calls(m, c, vault) for m, c in history]
        last = messages[-1]
        cls = self.classify(last.content, vault, ClassifyContext(self.settings, vault.conversation_id, last.role))
        if history:
            _share_values([c for _, c in history] + [cls], [m.content for m in messages])
        t1 = time.perf_counter()
        decomposer_name = decomposer or self.settings.decomposer
        parts = self.decomposer(decomposer_name).decompose(last.content, cls.spans, vault)
        _check_parts(parts, last.content)
        t2 = time.perf_counter()
        return Analysis(messages, history, cls, decomposer_name, parts,
                        {"classify": (t1 - t0) * 1e3, "decompose": (t2 - t1) * 1e3}, history_calls)

    def _mask_tool_calls(self, message: Message, cls: Classification, vault: MaskVault) -> list[ToolCall] | None:
        """The tool calls of a past message as the cloud may see them: each string
        argument classified (its level counts in ``cls``) and masked; ``None`` when one
        holds something PRIVATE that cannot be masked."""
        if not message.tool_calls:
            return []
        context = ClassifyContext(self.settings, vault.conversation_id, message.role)

        def mask(text: str) -> str | None:
            arg = self.classify(text, vault, context)
            cls.level, cls.score = max(cls.level, arg.level), max(cls.score, arg.score)
            return _masked(text, arg, vault)

        return mask_tool_calls(message.tool_calls, mask)

    def decide(self, analysis: Analysis, vault: MaskVault, *, policy: str | None = None,
               principal: str | None = None, budget_remaining: float | None = None,
               budget_epsilon: float | None = None) -> Plan:
        """Route ``analysis``'s parts with ``policy``, let the shield have the last word,
        and assemble what would leave the device. ``analysis`` is not changed."""
        t2 = time.perf_counter()
        messages, history, cls, last = analysis.messages, analysis.history, analysis.classification, analysis.messages[-1]
        parts = [dataclasses.replace(p, spans=list(p.spans)) for p in analysis.parts]
        policy_name = policy or self.settings.policy
        reasons: list[str] = []
        request = RouteRequest(cls, self.settings, budget_remaining, budget_epsilon,
                               features=request_features(cls, parts, last.content), reasons=reasons)
        policy_impl = self.policy(policy_name)
        try:
            # The policy works on copies: whatever it changes, the shield below judges
            # the parts and spans the classifiers and the decomposer produced.
            # (spans are frozen, so copying the lists that hold them is enough).
            view = [dataclasses.replace(p, spans=list(p.spans)) for p in parts]
            routes = list(policy_impl.route(view, dataclasses.replace(request, classification=dataclasses.replace(
                cls, spans=list(cls.spans), failed=list(cls.failed)))))
        except Exception:
            log.exception("router policy %s failed; keeping the request local", policy_name)
            routes = [Route.LOCAL] * len(parts)
            reasons[:] = [f"the {policy_name} policy failed, so the request is kept local"]
        if len(routes) != len(parts):
            raise PluginError(f"router policy {policy_name!r} returned {len(routes)} routes for {len(parts)} parts")
        if not all(isinstance(r, (Route, str)) and r in set(Route) for r in routes):
            raise PluginError(f"router policy {policy_name!r} returned something that is not a Route: {routes!r:.200}")
        routes = [Route(r) for r in routes]
        history_payloads = [_history_payload(m, c, calls, vault)
                            for (m, c), calls in zip(history, analysis.history_calls)]
        notes = apply_shield(parts, routes, cls.spans)
        t3 = time.perf_counter()
        cloud_parts = [p for p in parts if p.route.leaves_device]
        cloud_messages: list[Message] = []
        if cloud_parts:
            cloud_messages = [p for p in history_payloads if p is not None]
            payload = " ".join(p.payload or "" for p in cloud_parts).strip()
            cloud_messages.append(dataclasses.replace(last, content=payload))
        overall = _overall_route(parts, history_payloads, [m for m, _ in history])
        level = max([c.level for _, c in history] + [cls.level])
        classification = Classification(level, max([c.score for _, c in history] + [cls.score]),
                                        cls.spans, sorted(set(cls.failed).union(*(c.failed for _, c in history))))
        sent = {ph for m in cloud_messages for ph in _PLACEHOLDER.findall(wire_text(m))}
        used = {ph: orig for ph, orig in vault.mapping.items() if ph in sent}
        return Plan(messages=messages, classification=classification, decomposer=analysis.decomposer,
                    policy=policy_name, parts=parts, route=overall, cloud_messages=cloud_messages,
                    placeholders=used, conversation_id=vault.conversation_id,
                    principal=principal or self.settings.principal, notes=notes, reasons=reasons,
                    timings_ms={**analysis.timings_ms, "route": (t3 - t2) * 1e3})


@dataclasses.dataclass(frozen=True)
class Analysis:
    """What planning learns of a request before any policy routes it."""

    messages: list[Message]
    history: list[tuple[Message, Classification]]
    """The earlier messages with their classifications."""
    classification: Classification
    """The last message's."""
    decomposer: str
    parts: list[Part]
    """The last message decomposed (routes not set: :meth:`Planner.decide` routes copies)."""
    timings_ms: dict[str, float]
    history_calls: list[list[ToolCall] | None] = dataclasses.field(default_factory=list)
    """The tool calls of each earlier message, masked for the cloud (``None``: they
    hold something that must stay on the device)."""


def request_features(cls: Classification, parts: Sequence[Part], text: str) -> dict[str, float]:
    """Numeric features of a request, as router policies (and the RL router) see them."""
    spans = cls.spans
    by_level = {lvl: sum(1 for s in spans if s.level == lvl) for lvl in SensitivityLevel}
    sensitive_chars = sum(s.end - s.start for s in spans if s.maskable)
    return {
        "level": float(cls.level),
        "score": cls.score,
        "n_spans_private": float(by_level[SensitivityLevel.PRIVATE]),
        "n_spans_semi": float(by_level[SensitivityLevel.SEMI_SENSITIVE]),
        "n_topic_spans": float(sum(1 for s in spans if not s.maskable)),
        "maskable_share": float(sum(1 for p in parts if p.maskable) / max(len(parts), 1)),
        "sensitive_char_share": sensitive_chars / max(len(text), 1),
        "length_chars": float(len(text)),
        "n_parts": float(len(parts)),
    }


def _checked_spans(result: Any) -> list[Span]:
    """A classifier's result; a ``TypeError`` (so: a failed classifier) unless it is spans."""
    spans = list(result)
    if not all(isinstance(s, Span) for s in spans):
        raise TypeError("a classifier must return a list of Span objects")
    return spans


def _valid(s: Span, text: str) -> bool:
    return 0 <= s.start < s.end <= len(text)


def _with_text(s: Span, text: str) -> Span:
    """``s`` holding its text; a maskable span loses the white space at its ends, since
    decomposers trim parts and a span reaching past its part would go unmasked."""
    start, end = s.start, s.end
    if s.maskable:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
    if (start, end) == (s.start, s.end) and s.text:
        return s
    return Span(start, end, s.entity_type, s.level, s.score, s.source, text[start:end], s.maskable)


def _share_values(classifications: Sequence[Classification], texts: Sequence[str]) -> None:
    """Add to each message's classification the values found in the request's other
    messages (see :func:`~ptmo_middleware.value_propagation.shared_across`)."""
    for c, text, extra in zip(classifications, texts, shared_across([c.spans for c in classifications], texts)):
        if extra:
            c.spans = merge_spans(c.spans + extra, text)
            c.level = max(c.level, *(e.level for e in extra))
            c.score = max(c.score, score_of(extra))


def _check_parts(parts: Sequence[Part], text: str) -> None:
    for p in parts:
        if text[p.start:p.start + len(p.text)] != p.text:
            raise PluginError("decomposer returned a part whose text is not at its offset")


def _masked(text: str, cls: Classification, vault: MaskVault) -> str | None:
    """``text`` as the cloud may see it: every sensitive span masked; ``None`` when it
    holds something PRIVATE that cannot be masked."""
    if any(not s.maskable and s.level >= SensitivityLevel.PRIVATE for s in cls.spans):
        return None
    return vault.mask(text, [s for s in cls.spans if s.maskable and s.level > SensitivityLevel.PUBLIC])


def _history_payload(message: Message, cls: Classification, calls: list[ToolCall] | None,
                     vault: MaskVault) -> Message | None:
    """A past message as the cloud may see it (text and tool calls masked, see
    :func:`_masked`); left out when something in it must stay on the device."""
    masked = _masked(message.content, cls, vault)
    if masked is None or calls is None:
        return None
    return dataclasses.replace(message, content=masked, tool_calls=calls)


def _overall_route(parts: Sequence[Part], history_payloads: Sequence[Message | None],
                   history: Sequence[Message]) -> Route:
    if not any(p.route.leaves_device for p in parts):
        return Route.LOCAL
    history_raw = all(p is not None and p.content == m.content and p.tool_calls == m.tool_calls
                      for p, m in zip(history_payloads, history))
    if all(p.route is Route.CLOUD for p in parts) and history_raw:
        return Route.CLOUD
    return Route.HYBRID
