"""The embedded backend answers with stored adapters, switching between them on one
loaded base model; the no-template fallback of the training format."""
from __future__ import annotations

from personalization_support import history, make_adapter, tiny_model  # noqa: F401
from ptmo_middleware.backends.embedded import EmbeddedBackend, adapter_runtime, loaded_model
from ptmo_middleware.personalization.adapters import AdapterStore
from ptmo_lab.personalization.dataset import IGNORE_INDEX, encode_turn
from ptmo_lab.personalization.history import Turn
from ptmo_middleware.types import Message

ASK = [Message("user", "Any ideas for the weekend?")]


def test_embedded_switches_store_adapters_on_one_base(tmp_path, monkeypatch, tiny_model):
    monkeypatch.setenv("PTMO_ADAPTER_DIR", str(tmp_path / "store"))
    store = AdapterStore()
    for i, name in enumerate(["alice", "bob"]):
        store.add(make_adapter(tiny_model, tmp_path / name, seed=10 + i, r=8), name, "personal", name)
    base_backend = EmbeddedBackend(model_dir=str(tiny_model))
    alice, bob = (EmbeddedBackend(adapter=n, model_dir=str(tiny_model)) for n in ("alice", "bob"))
    plain = base_backend.chat(ASK, max_tokens=8).text
    a1, b1 = alice.chat(ASK, max_tokens=8).text, bob.chat(ASK, max_tokens=8).text
    assert alice.chat(ASK, max_tokens=8).text == a1 and base_backend.chat(ASK, max_tokens=8).text == plain
    assert len({plain, a1, b1}) == 3, (plain, a1, b1)
    runtime = adapter_runtime(str(tiny_model))
    assert runtime.peft_model.get_base_model() is loaded_model(str(tiny_model))[0]  # loaded once
    assert len(runtime.loaded) == 2 and alice.name == "embedded:alice"


def test_training_format_without_a_chat_template(tiny_model):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_model)
    tok.chat_template = None
    turn = Turn("hi there", "hello back", (Message("user", "earlier"), Message("assistant", "yes")))
    ex = encode_turn(tok, turn, 512)
    prompt = tok.decode([i for i, label in zip(ex.input_ids, ex.labels) if label == IGNORE_INDEX])
    reply = tok.decode([i for i in ex.labels if i != IGNORE_INDEX])
    assert prompt.removeprefix("<bos>") == "User: earlier\nAssistant: yes\nUser: hi there\nAssistant: "
    assert reply == "hello back<eos>"
    short = encode_turn(tok, turn, 8)
    assert len(short.input_ids) == 8 and short.n_target >= 4
