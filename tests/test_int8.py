"""Int8 weights for the embedded model (``backends/int8.py``) on a tiny random Gemma 3:
close to the float layers, the whole model still generates, and PEFT still attaches."""
from __future__ import annotations

import copy

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from ptmo_middleware.backends.int8 import DynamicInt8Linear, Int8Linear, quantize_for_cpu  # noqa: E402


def tiny_gemma() -> object:
    config = transformers.Gemma3TextConfig(vocab_size=512, hidden_size=64, intermediate_size=128,
                                           num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1,
                                           head_dim=32, sliding_window=16)
    torch.manual_seed(0)
    return transformers.Gemma3ForCausalLM(config).eval()


@pytest.mark.parametrize("kind", [Int8Linear, DynamicInt8Linear])
def test_an_int8_layer_is_close_to_the_float_one(kind):
    torch.manual_seed(0)
    linear = torch.nn.Linear(256, 300, bias=False)
    x = torch.randn(3, 5, 256)
    want, got = linear(x), kind(linear)(x)
    assert got.shape == want.shape and got.dtype == torch.float32
    assert (got - want).norm() / want.norm() < 0.02


def test_int8_layer_keeps_the_bias_and_refuses_one_where_it_has_no_place():
    linear = torch.nn.Linear(64, 32)
    x = torch.randn(4, 64)
    assert torch.allclose(Int8Linear(linear)(x), linear(x), atol=0.05)
    with pytest.raises(ValueError, match="without bias"):
        DynamicInt8Linear(linear)


def test_the_quantized_model_predicts_like_the_float_one():
    model = tiny_gemma()
    quantized = quantize_for_cpu(copy.deepcopy(model))
    assert isinstance(quantized.get_output_embeddings(), DynamicInt8Linear)
    assert all(isinstance(layer.mlp.down_proj, Int8Linear) for layer in quantized.model.layers)
    ids = torch.randint(0, 512, (1, 12))
    with torch.inference_mode():
        want, got = model(input_ids=ids).logits, quantized(input_ids=ids).logits
        out = quantized.generate(input_ids=ids, max_new_tokens=4, min_new_tokens=4, do_sample=False)
    assert (got - want).norm() / want.norm() < 0.05
    assert out.shape == (1, 16)


def test_lora_attaches_to_int8_layers_and_starts_as_a_no_op():
    peft = pytest.importorskip("peft")
    quantized = quantize_for_cpu(tiny_gemma())
    ids = torch.randint(0, 512, (1, 8))
    with torch.inference_mode():
        before = quantized(input_ids=ids).logits
    lora = peft.get_peft_model(quantized, peft.LoraConfig(r=4, target_modules=["q_proj", "v_proj"], lora_alpha=8))
    assert lora.base_model.model.model.layers[0].self_attn.q_proj.lora_A["default"].weight.dtype == torch.float32
    with torch.inference_mode():
        assert torch.equal(lora(input_ids=ids).logits, before)  # LoRA B starts at zero
