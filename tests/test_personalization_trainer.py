"""LoRATrainer on a tiny random Gemma 3: loss goes down, no network, no secrets in the
data, resumable, early stop, the chunked loss equals transformers' own."""
from __future__ import annotations

import json
import socket

import pytest

from personalization_support import block_network, history, rules_classify, tiny_model  # noqa: F401
from ptmo_middleware import LoRATrainer, train_personal_lora
from ptmo_middleware.errors import ConfigError
from ptmo_lab.personalization.history import HistoryError
from ptmo_lab.personalization.trainer import TrainingConfig, response_loss, target_modules_for

FAST = dict(num_threads=1, progress=False, max_length=96, context_messages=0, batch_size=8)


def _trainer(tmp_path, tiny_model, rules_classify, **kw):
    trainer = LoRATrainer(TrainingConfig(**{**FAST, **kw}), output_dir=tmp_path / "out", classify=rules_classify)
    trainer.setup_model(str(tiny_model))
    trainer.setup_lora("personal")
    return trainer


def test_training_lowers_held_out_loss_with_sockets_blocked(tmp_path, monkeypatch, history, tiny_model,
                                                             rules_classify):
    block_network(monkeypatch)
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("127.0.0.1", 9))
    _, path = history
    out = train_personal_lora(path, tmp_path / "adapter", base_model=str(tiny_model), classify=rules_classify,
                              epochs=3, lr=3e-3, **FAST)
    files = {p.name for p in (tmp_path / "adapter").iterdir()}
    assert {"adapter_config.json", "adapter_model.safetensors", "training.json"} <= files
    assert "checkpoints" not in files  # a finished run leaves nothing to resume
    result = json.loads((tmp_path / "adapter" / "training.json").read_text())["result"]
    assert out == str(tmp_path / "adapter")
    assert (result["mode"], result["device"]) == ("lora", "cpu")
    assert result["val_loss_after"] < result["val_loss_before"] - 0.1, result
    assert result["n_val"] == 8 and result["tokens_per_s"] > 0


def test_secrets_are_not_in_the_training_data(tmp_path, history, tiny_model, rules_classify):
    gen, path = history
    trainer = _trainer(tmp_path, tiny_model, rules_classify, max_length=512)
    trainer.prepare_dataset(path)
    decode = trainer.tokenizer.decode
    text = "\n".join(decode(e.input_ids) for e in trainer.train_examples + trainer.val_examples)
    assert gen.secrets and [s for s in gen.secrets if s in text] == []
    assert "[PASSWORD_1]" in text and trainer.scrub_report.total >= len(gen.secrets)
    # the control: without scrubbing the same pipeline does carry them
    raw = _trainer(tmp_path, tiny_model, rules_classify, scrub="off", max_length=512)
    raw.prepare_dataset(path)
    raw_text = "\n".join(decode(e.input_ids) for e in raw.train_examples + raw.val_examples)
    assert all(s in raw_text for s in gen.secrets)


def test_interrupted_training_resumes_to_the_same_adapter(tmp_path, monkeypatch, history, tiny_model,
                                                          rules_classify):
    import torch

    _, path = history
    cfg = dict(max_steps=6, save_every=2, eval_every=3, lr=3e-3)
    straight = _trainer(tmp_path / "a", tiny_model, rules_classify, **cfg)
    straight.prepare_dataset(path)
    expected = straight.train()
    want = straight._adapter_state()

    first = _trainer(tmp_path / "b", tiny_model, rules_classify, **cfg)
    first.prepare_dataset(path)
    save = LoRATrainer._save_checkpoint

    def save_then_crash(self, step, state):
        save(self, step, state)
        if step == 4:
            raise KeyboardInterrupt

    monkeypatch.setattr(LoRATrainer, "_save_checkpoint", save_then_crash)
    with pytest.raises(KeyboardInterrupt):
        first.train()
    monkeypatch.undo()
    assert first.latest_checkpoint().name == "step-0000004"
    second = _trainer(tmp_path / "b", tiny_model, rules_classify, **cfg)
    second.prepare_dataset(path)
    resumed = second.train()
    assert resumed.resumed_from_step == 4 and resumed.steps == 6
    got = second._adapter_state()
    assert all(torch.allclose(want[k], got[k], atol=1e-6) for k in want)
    assert resumed.val_loss_after == pytest.approx(expected.val_loss_after, rel=1e-5)


def test_checkpoints_of_other_data_are_ignored(tmp_path, history, tiny_model, rules_classify):
    _, path = history
    t = _trainer(tmp_path, tiny_model, rules_classify, max_steps=2, save_every=1)
    t.prepare_dataset(path)
    t._save_checkpoint(1, {"optimizer": {}, "scheduler": {}, "run": {"fingerprint": "other"}})
    assert t.train().resumed_from_step == 0


def test_early_stop_keeps_the_best_adapter(tmp_path, history, tiny_model, rules_classify):
    _, path = history
    t = _trainer(tmp_path, tiny_model, rules_classify, epochs=5, lr=5.0, eval_every=1, patience=2)
    t.prepare_dataset(path)
    result = t.train()
    assert result.stopped_early and result.steps < 5 * 9
    assert result.val_loss_after <= result.val_loss_before + 1e-6


def test_without_a_held_out_split_the_last_adapter_is_kept(tmp_path, history, tiny_model, rules_classify):
    _, path = history
    t = _trainer(tmp_path, tiny_model, rules_classify, val_fraction=0.0, max_steps=2, lr=3e-3)
    t.prepare_dataset(path)
    result = t.train()
    assert result.val_loss_before is None and result.n_val == 0 and result.steps == 2
    assert any(float(v.abs().sum()) > 0 for k, v in t._adapter_state().items() if "lora_B" in k)


def test_chunked_reply_loss_equals_transformers_loss(history, tiny_model):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from ptmo_lab.personalization.dataset import collate, encode_turns
    from ptmo_lab.personalization.history import parse_records

    gen, _ = history
    tok = AutoTokenizer.from_pretrained(tiny_model)
    model = AutoModelForCausalLM.from_pretrained(tiny_model)
    batch = collate(encode_turns(tok, parse_records(gen.records)[:4], 64), tok.pad_token_id)
    ours, n = response_loss(model, batch, chunk=7)
    ours.backward()
    theirs = model(**batch).loss
    assert n == int((batch["labels"][:, 1:] != -100).sum())
    assert float(ours) / n == pytest.approx(float(theirs), rel=1e-5)
    assert model.model.layers[0].self_attn.q_proj.weight.grad is not None


def test_clear_errors(tmp_path, monkeypatch, tiny_model, rules_classify):
    block_network(monkeypatch)
    t = _trainer(tmp_path, tiny_model, rules_classify)
    with pytest.raises(HistoryError, match="prepare_dataset"):
        t.train()
    empty = tmp_path / "empty.json"
    empty.write_text("")
    with pytest.raises(HistoryError, match="is empty"):
        t.prepare_dataset(empty)
    with pytest.raises(ConfigError, match="CUDA"):
        LoRATrainer(quantization="4bit", **FAST).setup_model(str(tiny_model))
    with pytest.raises(ConfigError, match="nothing is downloaded"):
        LoRATrainer(**FAST).setup_model("no-such-org/no-such-model")


def test_target_modules_per_architecture(tiny_model):
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_model)
    assert target_modules_for(model) == ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]

    class Odd(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.proj_in, self.lm_head = torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)

    assert target_modules_for(Odd()) == ["proj_in"]


def test_qlora_loads_the_default_model_from_its_block_cache(tmp_path, monkeypatch, rules_classify):
    """The default model's cache holds GGUF blocks, not a transformers checkpoint: QLoRA
    gets its weights through load_base_model, with the 4-bit config (checked without a GPU)."""
    import ptmo_middleware.backends.local_model as local_model

    calls = []

    def fake_load(model_dir=None, dtype=None, **options):
        calls.append((model_dir, options))
        raise RuntimeError("stop here")

    monkeypatch.setattr(local_model, "ensure_converted", lambda: tmp_path)
    monkeypatch.setattr(local_model, "load_base_model", fake_load)
    monkeypatch.setattr(LoRATrainer, "_choose_mode", lambda self: ("qlora", "cuda"))
    trainer = LoRATrainer(TrainingConfig(**FAST), output_dir=tmp_path / "out", classify=rules_classify)
    with pytest.raises(RuntimeError, match="stop here"):
        trainer.setup_model()
    [(model_dir, options)] = calls
    assert model_dir is None and options["quantization_config"].load_in_4bit and options["device_map"] == {"": 0}
