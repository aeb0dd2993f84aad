"""The General adapter shipped with the embedded model: small, well-formed, merged into
the default model's weights with ``PTMO_EMBEDDED_GENERAL_ADAPTER=on`` (off by default);
its data builder."""
from __future__ import annotations

import json

import pytest
from personalization_support import history, make_adapter, tiny_model  # noqa: F401

from ptmo_middleware.backends import embedded, local_model
from ptmo_middleware.backends.embedded import EmbeddedBackend, general_adapter_enabled, loaded_model
from ptmo_middleware.backends.local_model import GENERAL_ADAPTER_DIR, merge_general_adapter
from ptmo_middleware.errors import BackendError
from ptmo_middleware.personalization.adapters import AdapterStore
from ptmo_middleware.types import Message
from ptmo_lab.personalization.general_data import SEED_PAIRS, redacted_spans, truncate

GEMMA_270M_LAYERS, GEMMA_270M_HIDDEN = 18, 640


def test_the_shipped_adapter_is_small_and_fits_gemma_270m():
    from safetensors import safe_open

    files = {p.name: p.stat().st_size for p in GENERAL_ADAPTER_DIR.iterdir()}
    assert {"adapter_config.json", "adapter_model.safetensors", "training.json"} <= set(files)
    assert sum(files.values()) < 5 * 2**20
    config = json.loads((GENERAL_ADAPTER_DIR / "adapter_config.json").read_text())
    assert config["peft_type"] == "LORA" and config["r"] == 8 and config["base_model_name_or_path"] == "gemma-3-270m"
    with safe_open(str(GENERAL_ADAPTER_DIR / "adapter_model.safetensors"), framework="pt") as f:
        keys = list(f.keys())
        q_a = f.get_tensor(next(k for k in keys if "layers.0.self_attn.q_proj.lora_A" in k))
    assert len(keys) == GEMMA_270M_LAYERS * len(config["target_modules"]) * 2
    assert q_a.shape == (8, GEMMA_270M_HIDDEN) and str(q_a.dtype) == "torch.float16"


@pytest.mark.parametrize(("value", "expected"), [(None, False), ("on", True), (" ON ", True), ("off", False)])
def test_the_general_adapter_setting(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("PTMO_EMBEDDED_GENERAL_ADAPTER", raising=False)
    else:
        monkeypatch.setenv("PTMO_EMBEDDED_GENERAL_ADAPTER", value)
    assert general_adapter_enabled() is expected


def test_a_bad_general_adapter_setting_is_refused(monkeypatch):
    monkeypatch.setenv("PTMO_EMBEDDED_GENERAL_ADAPTER", "maybe")
    with pytest.raises(BackendError, match="PTMO_EMBEDDED_GENERAL_ADAPTER"):
        general_adapter_enabled()


@pytest.mark.parametrize(("setting", "merged"), [(None, False), ("off", False), ("on", True)])
def test_the_default_model_gets_the_general_adapter_when_on(monkeypatch, tiny_model, setting, merged):
    """The wiring of ``loaded_model()`` (the tiny model stands in for Gemma)."""
    calls: list[object] = []

    def fake_merge(model):
        calls.append(model)
        return model

    monkeypatch.setattr(embedded, "_cache", {})
    monkeypatch.setattr(embedded, "load_base_model", lambda model_dir=None: local_model.load_base_model(str(tiny_model)))
    monkeypatch.setattr(embedded, "merge_general_adapter", fake_merge)
    monkeypatch.setenv("PTMO_EMBEDDED_PRECISION", "fp32")
    if setting is None:
        monkeypatch.delenv("PTMO_EMBEDDED_GENERAL_ADAPTER", raising=False)
    else:
        monkeypatch.setenv("PTMO_EMBEDDED_GENERAL_ADAPTER", setting)
    model, _, _ = loaded_model()
    assert calls == ([model] if merged else [])
    loaded_model(str(tiny_model))  # another model directory never gets it
    assert len(calls) == int(merged)


def test_merging_folds_the_update_into_the_weights_and_store_adapters_still_apply(tmp_path, monkeypatch, tiny_model):
    import torch
    from peft import PeftModel

    general = make_adapter(tiny_model, tmp_path / "general", seed=3, r=4)
    base, tokenizer = local_model.load_base_model(str(tiny_model))
    ids = tokenizer("hello there", return_tensors="pt")["input_ids"]
    with torch.no_grad():
        expected = PeftModel.from_pretrained(local_model.load_base_model(str(tiny_model))[0], str(general))(ids).logits
        before = base(ids).logits
        merged = merge_general_adapter(base, general)
        after = merged(ids).logits
    assert not torch.allclose(before, after) and torch.allclose(after, expected, atol=1e-5)
    assert not any("lora" in name for name, _ in merged.named_modules())
    monkeypatch.setenv("PTMO_ADAPTER_DIR", str(tmp_path / "store"))
    AdapterStore().add(make_adapter(tiny_model, tmp_path / "mira", seed=4), "mira", "personal", "mira")
    monkeypatch.setattr(embedded, "_cache", {})
    monkeypatch.setattr(embedded, "load_base_model", lambda model_dir=None: (merged, tokenizer))
    monkeypatch.setenv("PTMO_EMBEDDED_PRECISION", "fp32")
    monkeypatch.delenv("PTMO_EMBEDDED_GENERAL_ADAPTER", raising=False)  # already merged above
    ask = [Message("user", "Any ideas?")]
    plain = EmbeddedBackend().chat(ask, max_tokens=6).text
    assert EmbeddedBackend(adapter="mira").chat(ask, max_tokens=6).text != plain


def test_training_data_helpers():
    assert truncate("One. Two three. " + "x" * 600, 40) == "One. Two three."
    assert redacted_spans("Mail Sara at FRC today", "Mail [REDACTED] at [REDACTED] today") == ["Sara", "FRC"]
    assert len(SEED_PAIRS) == len({q for q, _ in SEED_PAIRS})


def test_no_benchmark_question_is_in_the_seed_data():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "general_adapter.py"
    spec = importlib.util.spec_from_file_location("general_adapter_benchmark", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    seen = {q.lower() for q, _ in SEED_PAIRS}
    assert not seen & {q.lower() for q, _ in bench.FACTUAL + bench.OPEN}


@pytest.mark.slow
def test_the_shipped_adapter_merges_into_the_real_model():
    import torch

    base, _ = local_model.load_base_model()
    before = base.model.layers[0].self_attn.q_proj.weight.detach().clone()
    merged = merge_general_adapter(base)
    after = merged.model.layers[0].self_attn.q_proj.weight
    assert after.dtype == torch.float32 and not torch.equal(before, after)
