"""Fixtures of the personalisation tests: a tiny, randomly initialised Gemma 3 model and
tokenizer built offline, a generated history, the rules classifier, a network block."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pytest

from ptmo_middleware.backends.local_model import CHAT_TEMPLATE
from ptmo_lab.personalization.generator import GeneratedHistory, generate_history


def build_tiny_model(target: Path, corpus: Iterable[str], vocab_size: int = 384, seed: int = 0) -> Path:
    """Train a small BPE tokenizer on ``corpus``, build a 2-layer Gemma 3 text model with
    random weights, and save both to ``target`` as a transformers directory."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig, PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(list(corpus), trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=["<pad>", "<eos>", "<bos>", "<unk>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<bos>", eos_token="<eos>",
                                        pad_token="<pad>", unk_token="<unk>")
    tokenizer.chat_template = CHAT_TEMPLATE  # the transcript format the embedded Gemma uses
    torch.manual_seed(seed)
    config = Gemma3TextConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128,
                              num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1,
                              head_dim=32, max_position_embeddings=512, sliding_window=128,
                              pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id,
                              eos_token_id=tokenizer.eos_token_id)
    model = Gemma3ForCausalLM(config)
    target.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)
    return target


def block_network(monkeypatch) -> None:
    """Make every outgoing connection and name lookup fail (the test then proves none is made)."""
    import socket

    def refuse(*args, **kwargs):
        raise OSError("network access blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture(scope="session")
def history(tmp_path_factory) -> tuple[GeneratedHistory, Path]:
    """A seeded 80-turn history with planted secrets, written as JSONL."""
    gen = generate_history(80, seed=7, secret_rate=0.2)
    return gen, gen.write(tmp_path_factory.mktemp("history") / "history.jsonl")


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory, history) -> Path:
    """A 2-layer Gemma 3 text model (random weights) with a BPE tokenizer fitted to the history."""
    gen, _ = history
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model",
                            (m["content"] for r in gen.records for m in r["messages"]))


@pytest.fixture(scope="session")
def rules_classify():
    """Our rules classifier: fast; the full default set runs in the slow tests."""
    from ptmo_middleware.router import PrivacyRouter

    return PrivacyRouter(classifiers=["rules"]).classify


def make_adapter(model_dir: Path, target: Path, seed: int, r: int = 4) -> Path:
    """Save a PEFT LoRA adapter with random (non-zero) weights for the model at ``model_dir``."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    config = LoraConfig(r=r, lora_alpha=2 * r, target_modules=["q_proj", "v_proj"], init_lora_weights=False,
                        task_type="CAUSAL_LM")
    get_peft_model(model, config).save_pretrained(target)
    return target
