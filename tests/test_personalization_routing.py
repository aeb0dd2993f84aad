"""The router picks each request's adapter by principal (Personal > Group > General, or the
store's weighted mix) and the embedded backend switches to it per call on one loaded base
model; the cloud never gets an adapter, and the reply says which adapter answered."""
from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from personalization_support import history, make_adapter, tiny_model  # noqa: F401
from ptmo_middleware.backends import BackendReply, TextStream, Usage
from ptmo_middleware.backends import embedded as embedded_module
from ptmo_middleware.backends.embedded import EmbeddedBackend, adapter_runtime, loaded_model
from ptmo_middleware.execution import FLAG_NO_ADAPTER
from ptmo_middleware.personalization.adapters import AdapterStore
from ptmo_middleware.router import PrivacyRouter
from ptmo_middleware.types import Message

PROMPT = "Any ideas for the weekend?"
ASK = [Message("user", PROMPT)]
ALL_LOCAL = {"public": "local", "semi-sensitive": "local", "private": "local"}


@pytest.fixture(autouse=True)
def one_torch_thread(monkeypatch):
    """One intra-op thread on the shared 2-core machine."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


class Recording:
    """A backend that answers a fixed text and records the options of every call."""

    provider = "fake"

    def __init__(self, name: str, text: str = "cloud says hi") -> None:
        self.name = name
        self.text = text
        self.calls: list[dict[str, Any]] = []

    def chat(self, messages: list[Message], **options: Any) -> BackendReply:
        self.calls.append(options)
        return BackendReply(self.text, Usage(1, 1), self.name, self.provider)

    def stream(self, messages: list[Message], **options: Any) -> Iterator[str]:
        self.calls.append(options)
        return TextStream(iter([self.text, Usage(1, 1)]))

    async def achat(self, messages: list[Message], **options: Any) -> BackendReply:
        return self.chat(messages, **options)

    async def _pieces(self) -> AsyncIterator[str]:
        yield self.text

    def astream(self, messages: list[Message], **options: Any) -> AsyncIterator[str]:
        self.calls.append(options)
        return self._pieces()


@pytest.fixture(scope="module")
def sources(tmp_path_factory, tiny_model):
    root = tmp_path_factory.mktemp("routing-adapters")
    return {n: make_adapter(tiny_model, root / n, seed=30 + i, r=8)
            for i, n in enumerate(["alice", "bob", "team", "everyone"])}


def _store(root, sources) -> AdapterStore:
    store = AdapterStore(root)
    store.add(sources["alice"], "alice", "personal", "alice")
    store.add(sources["bob"], "bob", "personal", "bob")
    store.add(sources["team"], "team", "group", "eng")
    store.add(sources["everyone"], "everyone", "general")
    return store


def _router(local: Any, store: AdapterStore, cloud: Any = None, **kw: Any) -> PrivacyRouter:
    return PrivacyRouter(local=local, cloud=cloud or Recording("cloud"), classifiers=["rules"],
                         adapter_store=str(store.root), adapter_groups={"carol": ["eng"], "alice": ["eng"]},
                         **{"thresholds": ALL_LOCAL, **kw})


def _expected(backend: EmbeddedBackend, adapter: str | None) -> str:
    """What the backend answers with ``adapter`` (a directory) given explicitly."""
    return backend.chat(ASK, max_tokens=8, **({"adapter": adapter} if adapter else {})).text


def test_two_principals_get_their_own_adapter_on_one_backend_and_base(tmp_path, sources, tiny_model,
                                                                        monkeypatch):
    store = _store(tmp_path / "store", sources)
    backend = EmbeddedBackend(model_dir=str(tiny_model))
    expected = {n: _expected(backend, str(store.get(n).path)) for n in ("alice", "bob")}
    base = loaded_model(str(tiny_model))[0]

    def no_reload(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the base model was loaded again")

    monkeypatch.setattr(embedded_module, "load_base_model", no_reload)
    router = _router(backend, store)
    alice = router.invoke(PROMPT, principal="alice", max_tokens=8)
    bob = router.invoke(PROMPT, principal="bob", max_tokens=8)
    assert alice.backends["local_adapter"] == "alice" and bob.backends["local_adapter"] == "bob"
    assert alice.text == expected["alice"] and bob.text == expected["bob"]
    assert alice.text != bob.text, "two different adapters gave the same answer"
    assert FLAG_NO_ADAPTER not in alice.flags + bob.flags
    assert router.local_backend is backend and backend.adapter is None  # per call, not backend state
    assert adapter_runtime(str(tiny_model)).peft_model.get_base_model() is base
    assert loaded_model(str(tiny_model))[0] is base


def test_fallback_group_then_general_then_base(tmp_path, sources, tiny_model):
    store = _store(tmp_path / "store", sources)
    backend = EmbeddedBackend(model_dir=str(tiny_model))
    plain = _expected(backend, None)
    expected = {n: _expected(backend, str(store.get(n).path)) for n in ("team", "everyone")}
    assert len({plain, *expected.values()}) == 3
    router = _router(backend, store)
    carol = router.invoke(PROMPT, principal="carol", max_tokens=8)  # no personal adapter, group eng
    assert carol.backends["local_adapter"] == "team" and carol.text == expected["team"]
    dave = router.invoke(PROMPT, principal="dave", max_tokens=8)  # no personal, no group
    assert dave.backends["local_adapter"] == "everyone" and dave.text == expected["everyone"]
    store.remove("everyone")
    dave = router.invoke(PROMPT, principal="dave", max_tokens=8)
    assert dave.backends["local_adapter"] == "base" and dave.text == plain
    assert dave.flags == [FLAG_NO_ADAPTER]


def test_weighted_combination_and_the_default_principal(tmp_path, sources, tiny_model):
    store = _store(tmp_path / "store", sources)
    store.configure("weighted", {"group": 0.5})
    backend = EmbeddedBackend(model_dir=str(tiny_model))
    mix = store.resolve("alice", ["eng"])
    router = _router(backend, store, principal="alice")
    reply = router.invoke(PROMPT, max_tokens=8)  # settings.principal applies
    assert reply.backends["local_adapter"] == mix.key == "mix-alice@1+team@0.5+everyone@0.25"
    assert reply.text == backend.chat(ASK, max_tokens=8, adapter=mix).text
    assert reply.text != _expected(backend, str(store.get("alice").path))


def test_cloud_never_gets_the_adapter_and_streams_report_it(tmp_path, sources, tiny_model):
    store = _store(tmp_path / "store", sources)
    backend = EmbeddedBackend(model_dir=str(tiny_model))
    cloud = Recording("cloud")
    router = _router(backend, store, cloud=cloud, decomposer="sentence", thresholds={"private": "local"})
    chunks = list(router.stream("My password is hunter2secret. What is Python?", principal="bob", max_tokens=4))
    reply = chunks[-1].reply
    assert reply is not None and reply.backends == {"local": backend.name, "cloud": "cloud", "local_adapter": "bob"}
    assert cloud.calls and all("adapter" not in c for c in cloud.calls)


def test_backends_without_per_call_adapters_never_get_the_option(tmp_path, sources):
    store = _store(tmp_path / "store", sources)
    local = Recording("plain-local", "local says hi")
    router = _router(local, store)
    assert router.adapter_for("alice") is None
    reply = router.invoke(PROMPT, principal="alice", max_tokens=8)
    assert reply.text == "local says hi" and "local_adapter" not in reply.backends
    assert local.calls == [{"max_tokens": 8}]


def test_a_bad_adapter_fails_closed_with_a_clear_error(tmp_path, sources, tiny_model):
    from ptmo_middleware.errors import LocalBackendUnavailable

    store = _store(tmp_path / "store", sources)
    (store.get("bob").path / "adapter_model.safetensors").write_bytes(b"tampered")
    cloud = Recording("cloud")
    router = _router(EmbeddedBackend(model_dir=str(tiny_model)), store, cloud=cloud, decomposer="sentence",
                     thresholds={"private": "local"})
    with pytest.raises(LocalBackendUnavailable, match="cannot load adapter bob.*checksum"):
        router.invoke("My password is hunter2secret. What is Python?", principal="bob", max_tokens=4)
    assert cloud.calls == []


def test_default_store_and_the_star_groups(tmp_path, sources, monkeypatch):
    monkeypatch.setenv("PTMO_ADAPTER_DIR", str(tmp_path / "store"))
    _store(tmp_path / "store", sources)
    local = Recording("switching-local", "local says hi")
    local.per_call_adapter = True  # type: ignore[attr-defined]
    router = PrivacyRouter(local=local, cloud=Recording("cloud"), classifiers=["rules"], thresholds=ALL_LOCAL,
                           adapter_store="default", adapter_groups={"*": ["eng"]})
    assert router.adapter_for("zoe").names == ["team"] and router.adapter_for("bob").names == ["bob"]
    reply = router.invoke(PROMPT, principal="zoe", max_tokens=8)
    assert local.calls[0]["adapter"].names == ["team"] and reply.backends["local_adapter"] == "team"
