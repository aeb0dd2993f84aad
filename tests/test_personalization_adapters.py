"""The adapter store (manifests, checksums, Personal > Group > General resolution, weighted
combination) and switching adapters on one loaded base model."""
from __future__ import annotations

import json

import pytest

from personalization_support import history, make_adapter, tiny_model  # noqa: F401
from ptmo_middleware.personalization.adapters import AdapterError, AdapterStore
from ptmo_middleware.personalization.runtime import AdapterRuntime


@pytest.fixture(scope="module")
def sources(tmp_path_factory, tiny_model):
    root = tmp_path_factory.mktemp("adapters")
    return {n: make_adapter(tiny_model, root / n, seed=i) for i, n in enumerate(["a", "b", "c", "d"])}


def _store(tmp_path, sources, **adds):
    store = AdapterStore(tmp_path / "store")
    for name, (src, level, owner) in adds.items():
        store.add(sources[src], name, level, owner, base_model="tiny")
    return store


def test_add_writes_a_manifest_with_checksum(tmp_path, sources):
    store = AdapterStore(tmp_path / "store")
    info = store.add(sources["a"], "alice-v1", "personal", "alice", base_model="tiny", metrics={"val": 1.5})
    manifest = json.loads((tmp_path / "store" / "alice-v1" / "ptmo_adapter.json").read_text())
    assert manifest["level"] == "personal" and manifest["owner"] == "alice" and manifest["base_model"] == "tiny"
    assert manifest["metrics"] == {"val": 1.5} and manifest["checksum"].startswith("sha256:")
    assert manifest["created"].endswith("Z")
    assert store.get("alice-v1") == info and store.verify("alice-v1") == info
    assert [a.name for a in store.list()] == ["alice-v1"] and store.list(level="group") == []
    (info.path / "adapter_model.safetensors").write_bytes(b"tampered")
    with pytest.raises(AdapterError, match="checksum"):
        store.verify("alice-v1")


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "../x"}, "adapter name"),
    ({"level": "general", "owner": "alice"}, "general adapter has no owner"),
    ({"level": "group", "owner": None}, "needs its user"),
    ({"level": "team"}, "not a valid AdapterLevel"),
])
def test_add_rejects_bad_input(tmp_path, sources, kwargs, message):
    args = {"source": sources["a"], "name": "x", "level": "personal", "owner": "alice", **kwargs}
    with pytest.raises((AdapterError, ValueError), match=message):
        AdapterStore(tmp_path).add(**args)


def test_add_needs_a_peft_directory_and_a_free_name(tmp_path, sources):
    store = AdapterStore(tmp_path / "store")
    with pytest.raises(AdapterError, match="missing adapter_config.json"):
        store.add(tmp_path, "x", "general")
    first = store.add(sources["a"], "x", "general")
    with pytest.raises(AdapterError, match="already exists"):
        store.add(sources["b"], "x", "general")
    second = store.add(sources["b"], "x", "general", overwrite=True)
    assert second.checksum != first.checksum and store.get("x").checksum == second.checksum
    with pytest.raises(AdapterError, match="no adapter 'y'"):
        store.get("y")


def test_resolution_personal_over_group_over_general(tmp_path, sources):
    store = _store(tmp_path, sources, **{
        "alice": ("a", "personal", "alice"), "team": ("b", "group", "eng"),
        "ops": ("c", "group", "ops"), "everyone": ("d", "general", None)})
    assert store.resolve("alice", ["eng"]).names == ["alice"]
    assert store.resolve("bob", ["eng"]).names == ["team"]
    assert store.resolve("bob", ["sales", "ops", "eng"]).names == ["ops"]  # first group with an adapter
    assert store.resolve("bob").names == ["everyone"]
    assert store.resolve(None).names == ["everyone"]
    assert store.resolve("alice", base_model="other-model").names == []
    store.remove("everyone")
    assert store.resolve("bob").adapters == ()


def test_use_selects_among_several_and_newest_wins_otherwise(tmp_path, sources):
    store = _store(tmp_path, sources, v1=("a", "personal", "alice"))
    store.add(sources["b"], "v2", "personal", "alice")
    newest = max(store.list(owner="alice"), key=lambda a: (a.created, a.name)).name
    assert store.resolve("alice").names == [newest]
    store.use("v1")
    assert store.resolve("alice").names == ["v1"]
    store.remove("v1")
    assert store.resolve("alice").names == ["v2"] and "v1" not in store.settings()["active"].values()


def test_weighted_combination_is_configured(tmp_path, sources):
    store = _store(tmp_path, sources, alice=("a", "personal", "alice"), team=("b", "group", "eng"),
                   everyone=("d", "general", None))
    store.configure("weighted", {"group": 0.4})
    res = store.resolve("alice", ["eng"])
    assert res.combination == "weighted"
    assert [(a.name, w) for a, w in res.adapters] == [("alice", 1.0), ("team", 0.4), ("everyone", 0.25)]
    assert store.resolve("bob").names == ["everyone"]
    with pytest.raises(AdapterError):
        store.configure("average")


def _logits(model, ids):
    import torch

    with torch.no_grad():
        return model(input_ids=ids).logits


def test_runtime_switches_adapters_without_reloading(tmp_path, sources, tiny_model):
    import torch
    from transformers import AutoModelForCausalLM

    store = _store(tmp_path, sources, alice=("a", "personal", "alice"), team=("b", "group", "eng"))
    base = AutoModelForCausalLM.from_pretrained(tiny_model).eval()
    ids = torch.tensor([[5, 9, 20, 31, 7]])
    plain = _logits(base, ids)
    runtime = AdapterRuntime(base, store)
    with runtime.activated(store.resolve("alice")) as m:
        alice = _logits(m, ids)
    with runtime.activated("team") as m:
        team = _logits(m, ids)
    with runtime.activated(None) as m:
        assert torch.allclose(_logits(m, ids), plain, atol=1e-6)
    with runtime.activated(str(sources["a"])) as m:  # a directory works too (loaded once more, by path)
        assert torch.allclose(_logits(m, ids), alice, atol=1e-6)
    with runtime.activated("alice") as m:
        assert torch.allclose(_logits(m, ids), alice, atol=1e-6)
    assert not torch.allclose(alice, plain, atol=1e-3) and not torch.allclose(alice, team, atol=1e-3)
    assert runtime.peft_model.get_base_model() is base
    assert len(runtime.loaded) == 3


def test_weighted_runtime_adds_the_weighted_updates(tmp_path, sources, tiny_model):
    import torch
    from transformers import AutoModelForCausalLM

    store = _store(tmp_path, sources, alice=("a", "personal", "alice"), team=("b", "group", "eng"))
    store.configure("weighted", {"group": 0.5})
    runtime = AdapterRuntime(AutoModelForCausalLM.from_pretrained(tiny_model).eval(), store)
    x = torch.randn(3, 64)

    def q_out(target):
        with runtime.activated(target) as m, torch.no_grad():
            return m.get_base_model().model.layers[0].self_attn.q_proj(x)

    y_alice, y_team = q_out("alice"), q_out("team")
    y_base, y_mix = q_out(None), q_out(store.resolve("alice", ["eng"]))
    assert torch.allclose(y_mix - y_base, (y_alice - y_base) + 0.5 * (y_team - y_base), atol=1e-5)


def test_runtime_checks_checksums_and_evicts(tmp_path, sources, tiny_model):
    from transformers import AutoModelForCausalLM

    store = _store(tmp_path, sources, alice=("a", "personal", "alice"), team=("b", "group", "eng"))
    runtime = AdapterRuntime(AutoModelForCausalLM.from_pretrained(tiny_model).eval(), store, max_loaded=1)
    with runtime.activated("alice"):
        pass
    with runtime.activated("team"):
        pass
    assert len(runtime.loaded) == 1
    (store.get("alice").path / "adapter_model.safetensors").write_bytes(b"x")
    with pytest.raises(AdapterError, match="checksum"):
        with runtime.activated(store.resolve("alice")):
            pass
    with pytest.raises(AdapterError, match="neither"):
        with runtime.activated(str(tmp_path)):
            pass
