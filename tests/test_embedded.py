"""The embedded backend: Gemma 3 270M in-process. The default tier runs a few short real
generations (the model converts once into the user cache, then loads in seconds) and
checks the cache (GGUF blocks, damaged copies); the slow tier converts from scratch
(replacing a cache of the old fp32 format) and loads a PEFT adapter."""
from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest
from servers import groq_server  # noqa: F401  (fixture)

from ptmo_middleware.backends import StopCutter, local_model, resolve_backend
from ptmo_middleware.backends.embedded import EmbeddedBackend, _precision, _stop_criterion, loaded_model
from ptmo_middleware.backends.local_model import (CHAT_STOP, DamagedCacheError, default_model_dir, ensure_converted,
                                                  is_converted, load_base_model)
from ptmo_middleware.config import Settings
from ptmo_middleware.errors import BackendError
from ptmo_middleware.router import PrivacyRouter
from ptmo_middleware.types import Message

ASK = [Message("user", "What is the capital of France?")]


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """One intra-op thread: on a shared 2-core machine, two threads spin-wait on each
    other and a forward pass takes 5x longer."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_real_generation_chat_and_stream_agree():
    b = EmbeddedBackend()
    reply = b.chat(ASK, max_tokens=6)
    assert reply.text.strip() and reply.provider == "embedded"
    assert reply.usage.input_tokens > 5 and 1 <= reply.usage.output_tokens <= 6
    assert "Paris" in reply.text  # greedy decoding of the pre-trained model knows this
    stream = b.stream(ASK, max_tokens=6)
    assert "".join(stream) == reply.text  # greedy: the stream is the same answer
    assert stream.usage == reply.usage  # the stream reports its own call's usage


def test_embedded_answers_the_local_part_of_a_hybrid_request(groq_server):
    """Also the async path: the router drives ``astream`` of the backend."""
    r = PrivacyRouter(classifiers=["rules"], local="embedded", cloud="groq:m", decomposer="sentence",
                      thresholds={"private": "local"})
    reply = r.invoke("My password is hunter2secret. What is Python?", max_tokens=4)
    assert reply.backends == {"local": "embedded", "cloud": "groq:m"}
    assert reply.text.startswith("groq heard: What is Python?") and reply.timings_ms["local"] > 0
    assert "hunter2secret" not in groq_server.received_text


def test_the_transcript_stop_is_cut_when_split_across_pieces():
    """What the embedded backend does to the streamer's pieces (``strip`` as there)."""
    cutter = StopCutter(CHAT_STOP, strip=True)
    out = [cutter.feed(p) for p in [" Paris", " is the capital.\nQue", "stion: and", " more"]] + [cutter.flush()]
    assert "".join(out) == "Paris is the capital."
    cutter = StopCutter([], strip=True)
    assert [cutter.feed("a"), cutter.feed("b"), cutter.flush()] == ["a", "b", ""]


def test_the_backend_runs_int8_weights_and_reuses_its_stop_criterion():
    from ptmo_middleware.backends.int8 import DynamicInt8Linear, Int8Linear

    model, tokenizer, _ = loaded_model()
    assert isinstance(model.get_output_embeddings(), DynamicInt8Linear)
    assert isinstance(model.model.layers[0].self_attn.q_proj, Int8Linear)
    assert model.model.embed_tokens.weight.dtype.is_floating_point  # the lookup table stays float
    assert _stop_criterion(tokenizer, tuple(CHAT_STOP)) is _stop_criterion(tokenizer, tuple(CHAT_STOP))


def test_loading_draws_no_progress_bar(capfd):
    load_base_model()
    assert "Loading weights" not in "".join(capfd.readouterr())


def test_precision_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("PTMO_EMBEDDED_PRECISION", raising=False)
    assert _precision() == "int8"
    monkeypatch.setenv("PTMO_EMBEDDED_PRECISION", "FP32")
    assert _precision() == "fp32"
    monkeypatch.setenv("PTMO_EMBEDDED_PRECISION", "int4")
    with pytest.raises(BackendError, match="PTMO_EMBEDDED_PRECISION must be one of int8, fp32"):
        _precision()


def test_bad_model_dir_is_a_backend_error(tmp_path):
    with pytest.raises(BackendError, match="cannot load the embedded model"):
        EmbeddedBackend(model_dir=str(tmp_path / "missing")).chat(ASK)


def cache_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.iterdir())


def test_the_cache_keeps_the_gguf_blocks_in_under_400_mb():
    """The weights stay quantized on disk as the GGUF has them; Q8_0 (the embeddings,
    tied to the output head), dequantized in torch, gives exactly what gguf's code gives."""
    from gguf import GGMLQuantizationType
    from gguf.quants import dequantize
    from safetensors import safe_open
    import torch

    path = ensure_converted()
    assert cache_size(path) < 400e6 and not (path / "model.safetensors").exists()
    with safe_open(str(path / "weights.safetensors"), framework="pt") as weights:
        kinds = json.loads(weights.metadata()["kinds"])
        embeddings = weights.get_tensor("model.embed_tokens.weight")
    assert {"Q8_0", "Q6_K", "Q5_0", "Q4_K"} <= set(kinds.values()) and "lm_head.weight" not in kinds
    want = torch.from_numpy(dequantize(embeddings.numpy(), GGMLQuantizationType.Q8_0))
    assert torch.equal(local_model._dequantize(embeddings, "Q8_0"), want)


def test_a_cache_of_the_old_fp32_format_is_not_taken_for_a_conversion(tmp_path, monkeypatch):
    monkeypatch.setenv("PTMO_CACHE_DIR", str(tmp_path))
    old = default_model_dir()
    old.mkdir(parents=True)
    (old / ".complete").write_text("ok\n")
    (old / "model.safetensors").write_bytes(b"fp32 weights")
    assert not is_converted()


@pytest.fixture
def cache_copy(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """``(the converted default model, a copy of it in a cache of its own)``, that cache
    the default for the test."""
    good = ensure_converted()
    monkeypatch.setenv("PTMO_CACHE_DIR", str(tmp_path))
    shutil.copytree(good, default_model_dir())
    return good, default_model_dir()


def _drop_a_tensor(path: Path) -> None:
    from safetensors import safe_open
    from safetensors.torch import save_file

    with safe_open(str(path), framework="pt") as weights:
        kept = {name: weights.get_tensor(name) for name in weights.keys() if name != "model.norm.weight"}
        metadata = weights.metadata()
    save_file(kept, str(path), metadata=metadata)


@pytest.mark.parametrize("damage", ["truncated weights", "a tensor missing", "broken config", "tokenizer missing"])
def test_a_damaged_cache_is_a_clear_error(cache_copy, damage):
    import torch

    _, copy = cache_copy
    weights = copy / "weights.safetensors"
    if damage == "truncated weights":
        with weights.open("r+b") as f:
            f.truncate(weights.stat().st_size // 2)
    elif damage == "a tensor missing":
        _drop_a_tensor(weights)
    elif damage == "broken config":
        (copy / "config.json").write_text("{")
    else:
        (copy / "tokenizer.json").unlink()
    with pytest.raises(DamagedCacheError, match=f"the converted model in {copy} (cannot be read|does not fit)"):
        local_model._load_converted(copy, torch.float32)


def test_a_damaged_cache_is_converted_again_once(cache_copy, monkeypatch):
    good, copy = cache_copy
    (copy / "weights.safetensors").write_bytes(b"")
    conversions: list[Path] = []

    def convert(target: Path) -> None:  # the GGUF conversion (2 min) is in the slow test
        conversions.append(target)
        shutil.rmtree(target)
        shutil.copytree(good, target)

    monkeypatch.setattr(local_model, "_convert_gguf", convert)
    model, tokenizer = load_base_model()
    assert conversions == [copy] and model.config.model_type == "gemma3_text" and tokenizer.chat_template
    assert model.name_or_path == str(copy)  # PEFT records it as the adapters' base model
    (copy / "weights.safetensors").write_bytes(b"")
    monkeypatch.setattr(local_model, "_convert_gguf", conversions.append)  # converting does not help
    with pytest.raises(DamagedCacheError, match="cannot be read"):
        load_base_model()
    assert len(conversions) == 2


@pytest.mark.slow
def test_cold_conversion_replaces_an_old_cache_and_is_locked(tmp_path, monkeypatch):
    monkeypatch.setenv("PTMO_CACHE_DIR", str(tmp_path))
    old = default_model_dir()
    old.mkdir(parents=True)
    (old / ".complete").write_text("ok\n")  # the fp32 format of earlier versions
    (old / "model.safetensors").write_bytes(b"fp32 weights")
    assert not is_converted()
    dirs: list[str] = []
    threads = [threading.Thread(target=lambda: dirs.append(str(ensure_converted()))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(dirs)) == 1 and is_converted()
    assert (old / "weights.safetensors").exists() and not (old / "model.safetensors").exists()
    assert cache_size(old) < 400e6
    assert not list((tmp_path / "gguf").glob("*.gguf"))  # the assembled GGUF is not kept twice
    model, tokenizer = load_base_model()
    assert model.config.model_type == "gemma3_text" and tokenizer.chat_template


@pytest.mark.slow
def test_peft_adapter_loads_through_the_spec(tmp_path):
    from peft import LoraConfig, get_peft_model

    model, _ = load_base_model()
    lora = get_peft_model(model, LoraConfig(r=4, target_modules=["q_proj", "v_proj"], lora_alpha=8))
    lora.save_pretrained(tmp_path / "adapter")
    backend = resolve_backend(f"embedded:{tmp_path / 'adapter'}", Settings())
    assert backend.name == f"embedded:{tmp_path / 'adapter'}"
    # LoRA B starts at zero: the adapted model answers exactly as the base does
    assert backend.chat(ASK, max_tokens=4).text == EmbeddedBackend().chat(ASK, max_tokens=4).text
