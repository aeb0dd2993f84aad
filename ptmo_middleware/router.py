"""PrivacyRouter: the public entry point. ``plan`` decides (nothing is called);
``invoke`` / ``ainvoke`` / ``stream`` / ``astream`` execute the plan
(:mod:`ptmo_middleware.execution`)."""
from __future__ import annotations

import asyncio
import os
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from .plugin_manager import get_component
from .audit import AuditLog, component_version, resolve_path
from .backends import MODEL_OPTION, Backend, check_options, resolve_backend, takes_adapters, takes_model
from .budget.guard import BudgetGuard
from .config import Settings
from .egress import Egress
from .errors import ImagesUnsupported
from .execution import Execution, Reply, ReplyChunk
from .pipeline import MessagesLike, Planner
from .syncbridge import iterate_sync, run_sync
from .tools import TOOL_OPTIONS, asks_for_tools, has_tool_use
from .types import Classification, Plan
from .vault import MaskVault, VaultRegistry

T = TypeVar("T")

if TYPE_CHECKING:
    from .personalization.adapters import AdapterStore, Resolution
    from .vaultstore import EncryptedLedger


class PrivacyRouter:
    """Decides, on the device, what of each request may leave it.

    ``PrivacyRouter(local="ollama:llama3.2:3b", cloud="groq:llama-3.3-70b-versatile",
    policy="threshold")``; any :class:`Settings` field can be given as a keyword, or
    ``config="ptmo.toml"`` (environment variables ``PTMO_*`` apply in between).
    """

    def __init__(self, config: str | os.PathLike[str] | Settings | None = None, **overrides: Any) -> None:
        # Backend objects stay on the router; the settings keep their names.
        self._backends: dict[str, Any] = {}
        for side in ("local", "cloud"):
            if overrides.get(side) is not None and not isinstance(overrides[side], str):
                self._backends[side] = resolve_backend(overrides[side], None)  # type: ignore[arg-type]
                overrides[side] = self._backends[side].name
        self._backend_lock = threading.Lock()
        self._egress: Egress | None = None
        self._aggregator: Any = None
        self._adapter_store: tuple[str, AdapterStore] | None = None
        if isinstance(config, Settings):
            self.settings = config.model_copy(update=overrides) if overrides else config
        else:
            self.settings = Settings.load(config, **overrides)
        self.planner = Planner(self.settings)
        self.vaults = VaultRegistry(withhold=self.settings.restore_withheld_in, ledger=self._ledger())
        self.budget = BudgetGuard.from_settings(self.settings)
        audit_path = resolve_path(self.settings.audit_log)
        self.audit: AuditLog | None = AuditLog(audit_path) if audit_path else None

    def _ledger(self) -> "EncryptedLedger | None":
        """The shared store of conversations' mask maps (``None``: this process's memory)."""
        if self.settings.vault.store == "memory":
            return None
        from .vaultstore import open_ledger

        return open_ledger(self.settings.vault)

    def vault(self, conversation_id: str | None = None) -> MaskVault:
        """The mask map of one conversation; without an id, a new one of its own that
        nothing else shares (it is not kept)."""
        if conversation_id is None:
            return self.vaults.new(f"call-{uuid.uuid4().hex}")
        return self.vaults.get(conversation_id)

    def classify(self, text: str, conversation_id: str | None = None) -> Classification:
        """Sensitivity of one text: level, score and spans."""
        return self.planner.classify(text, self.vault(conversation_id))

    def plan(self, prompt: MessagesLike, *, conversation_id: str | None = None, policy: str | None = None,
             decomposer: str | None = None, principal: str | None = None, tools: bool = False) -> Plan:
        """Classify, decompose and route ``prompt`` without calling any model.

        ``plan.cloud_messages`` is exactly what would leave the device. Without a
        ``conversation_id`` the request gets a mask map of its own; pass the same id on
        every turn to keep a conversation's placeholders. ``tools``: the request asks
        for tools, so it is never split (all of it goes to one side).
        """
        return self._plan(prompt, self.vault(conversation_id), policy, decomposer, principal, tools)

    def _plan(self, prompt: MessagesLike, vault: MaskVault, policy: str | None, decomposer: str | None,
              principal: str | None, tools: bool = False) -> Plan:
        """The plan of ``prompt``. A request that uses tools (``tools``: it asks for them;
        or its messages hold tool calls or results) is never split: when something of it
        must stay on the device, all of it is answered there. A request with images goes
        to the cloud whole, or raises :class:`ImagesUnsupported`."""
        plan = self.budget.plan_within_budget(self.planner, prompt, vault, policy=policy, decomposer=decomposer, principal=principal)
        if (tools or has_tool_use(plan.messages)) and _split(plan):
            plan = self.budget.plan_within_budget(self.planner, prompt, vault, policy="local-only", decomposer=decomposer,
                                    principal=principal)
            plan.notes.append("tool use: part of the request must stay on the device, so all of it is "
                              "answered by the local model")
        if any(m.images for m in plan.messages) and (not plan.cloud_messages or _split(plan)):
            raise ImagesUnsupported(f"this request carries images and part of it must stay on the device (level "
                                    f"{plan.level.name}); images cannot be classified and no local model here can "
                                    "see them. Nothing was sent to the cloud.")
        if self.audit is not None:
            self.audit.record_plan(plan, component_version(self.planner.policy(plan.policy)))
        return plan

    @property
    def classifier_names(self) -> list[str]:
        return [c.name for c in self.planner.classifiers]

    # -- execution ----------------------------------------------------------------------
    @property
    def local_backend(self) -> Backend:
        """The local model (built from ``settings.local`` on first use)."""
        return self._backend("local")

    @property
    def cloud_backend(self) -> Backend:
        """The cloud model (built from ``settings.cloud`` on first use)."""
        return self._backend("cloud")

    def _backend(self, side: str) -> Backend:
        with self._backend_lock:
            if side not in self._backends:
                self._backends[side] = resolve_backend(getattr(self.settings, side), self.settings)
            return self._backends[side]

    @property
    def aggregator(self) -> Any:
        """The aggregator named by ``settings.aggregator``."""
        if self._aggregator is None:
            self._aggregator = get_component("aggregator", self.settings.aggregator)(self.settings)
        return self._aggregator

    @property
    def adapter_store(self) -> "AdapterStore | None":
        """The :class:`~ptmo_middleware.personalization.adapters.AdapterStore` of
        ``settings.adapter_store`` (``None`` when that is unset)."""
        setting = self.settings.adapter_store
        if setting is None:
            return None
        if self._adapter_store is None or self._adapter_store[0] != setting:
            from .personalization.adapters import AdapterStore

            self._adapter_store = (setting, AdapterStore(None if setting == "default" else setting))
        return self._adapter_store[1]

    def adapter_for(self, principal: str) -> "Resolution | None":
        """The :class:`~ptmo_middleware.personalization.adapters.Resolution` of
        ``principal`` (Personal > its groups' > General, or the store's weighted
        combination) for the local model; ``None`` when no store is configured or the
        local backend cannot switch adapters per call. Reads the store each time, so a
        newly trained or selected adapter applies from the next request."""
        store = self.adapter_store
        if store is None or not takes_adapters(self.local_backend):
            return None
        groups = self.settings.adapter_groups
        return store.resolve(principal, groups.get(principal, groups.get("*", [])))

    @property
    def egress(self) -> Egress:
        """The one door out to the cloud backend (budget, audit, retries)."""
        cloud = self.cloud_backend
        with self._backend_lock:
            if self._egress is None or self._egress.backend is not cloud:
                self._egress = Egress(cloud, self.budget, self.audit, self.settings.cloud_max_retries)
            return self._egress

    def _execution(self, prompt: MessagesLike, conversation_id: str | None, principal: str | None,
                   policy: str | None, decomposer: str | None, options: dict[str, Any]) -> Execution:
        started = time.perf_counter()
        options = check_options(options, frozenset({"num_ctx", MODEL_OPTION}) | TOOL_OPTIONS)
        if MODEL_OPTION in options and not takes_model(self.cloud_backend):
            raise ValueError(f"the cloud model {self.cloud_backend.name} cannot be switched per call "
                             f"(option {MODEL_OPTION!r}); a groq: cloud can")
        options = {k: v for k, v in options.items() if v or k not in TOOL_OPTIONS}  # no tools: not a tool request
        vault = self.vault(conversation_id)
        plan = self._plan(prompt, vault, policy, decomposer, principal, asks_for_tools(options))
        return Execution(self, plan, vault, options, started)

    async def aprepare(self, prompt: MessagesLike, *, conversation_id: str | None = None,
                       principal: str | None = None, policy: str | None = None, decomposer: str | None = None,
                       **options: Any) -> Execution:
        """Plan ``prompt`` (off the event loop) and return its :class:`Execution`, not
        yet started: its ``plan`` says what will leave before ``run()`` or ``stream()``
        calls a model (the gateway's response headers). Arguments as :meth:`ainvoke`."""
        return await _in_thread(self._execution, prompt, conversation_id, principal, policy, decomposer, options)

    async def ainvoke(self, prompt: MessagesLike, *, conversation_id: str | None = None,
                      principal: str | None = None, policy: str | None = None, decomposer: str | None = None,
                      **options: Any) -> Reply:
        """Plan ``prompt`` and answer it: local and cloud parts concurrently, masked
        values restored. Options: temperature, max_tokens, stop, seed, timeout; ``model``
        (the cloud's model for this call; never the local one's); and
        ``tools``, ``tool_choice``, ``response_format`` (OpenAI's forms): the reply's
        ``tool_calls`` then hold the calls the model asked for, their arguments restored.
        Without a ``conversation_id`` the call's placeholders are its own."""
        execution = await self.aprepare(prompt, conversation_id=conversation_id, principal=principal,
                                        policy=policy, decomposer=decomposer, **options)
        return await execution.run()

    def invoke(self, prompt: MessagesLike, *, conversation_id: str | None = None, principal: str | None = None,
               policy: str | None = None, decomposer: str | None = None, **options: Any) -> Reply:
        """Sync :meth:`ainvoke`."""
        return run_sync(lambda: self.ainvoke(prompt, conversation_id=conversation_id, principal=principal,
                                             policy=policy, decomposer=decomposer, **options))

    async def astream(self, prompt: MessagesLike, *, conversation_id: str | None = None, principal: str | None = None,
                      policy: str | None = None, decomposer: str | None = None,
                      **options: Any) -> AsyncIterator[ReplyChunk]:
        """Plan ``prompt`` and stream the answer; a placeholder split across chunks is
        never shown half-masked. The last chunk carries the full :class:`Reply`."""
        execution = await self.aprepare(prompt, conversation_id=conversation_id, principal=principal,
                                        policy=policy, decomposer=decomposer, **options)
        async for chunk in execution.stream():
            yield chunk

    def stream(self, prompt: MessagesLike, *, conversation_id: str | None = None, principal: str | None = None,
               policy: str | None = None, decomposer: str | None = None, **options: Any) -> Iterator[ReplyChunk]:
        """Sync :meth:`astream`."""
        return iterate_sync(lambda: self.astream(prompt, conversation_id=conversation_id, principal=principal,
                                                 policy=policy, decomposer=decomposer, **options))


def _split(plan: Plan) -> bool:
    """Whether part of ``plan`` goes to the cloud while something stays on the device
    (a local part, or an earlier message left out of the cloud's messages)."""
    return bool(plan.cloud_messages) and (bool(plan.local_parts) or len(plan.cloud_messages) < len(plan.messages))


async def _in_thread(fn: Callable[..., T], *args: Any) -> T:
    """Planning runs classifiers (CPU, maybe models): keep it off the event loop."""
    return await asyncio.to_thread(fn, *args)
