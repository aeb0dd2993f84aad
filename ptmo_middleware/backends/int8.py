"""Int8 weights for the embedded model on the CPU (about 2.5x the tokens/s of fp32).

Decoding one token reads every weight once, so on a small CPU it is bound by memory
bandwidth; int8 weights read a quarter of the bytes. Two kinds, measured in
``benchmarks/embedded_speed.py``:

* the transformer layers' projections become :class:`Int8Linear`: int8 weights with one
  scale per output row, activations kept in bfloat16 (``aten._weight_int8pack_mm``);
  nearly lossless (next-token KL divergence about 0.002 from fp32 on short chats);
* the LM head (262k rows, tied to the embeddings, half the fp32 work of a token) becomes
  :class:`DynamicInt8Linear`: fbgemm's int8 x int8 kernel with activations quantized per
  call, twice as fast as the weight-only kernel on this large matrix and still close
  (KL about 0.016).

:class:`Int8Linear` subclasses ``nn.Linear`` so PEFT can still attach LoRA adapters to it.
"""
from __future__ import annotations

import warnings

import torch
from torch import nn


def _row_scales(weight: torch.Tensor) -> torch.Tensor:
    """Symmetric int8 scales, one per output row."""
    return (weight.abs().amax(dim=1) / 127).clamp(min=1e-12)


class Int8Linear(nn.Linear):
    """A linear layer with int8 weights (per-row scales) and bfloat16 activations.

    ``weight`` holds the int8 values (not trainable), so PEFT sees a quantized base layer
    and keeps its adapters in their own dtype."""

    def __init__(self, linear: nn.Linear) -> None:
        nn.Module.__init__(self)
        self.in_features, self.out_features = linear.in_features, linear.out_features
        w = linear.weight.detach().float()
        scales = _row_scales(w)
        self.weight = nn.Parameter(torch.round(w / scales[:, None]).clamp(-127, 127).to(torch.int8),
                                   requires_grad=False)
        self.register_buffer("scales", scales.to(torch.bfloat16))
        self.bias = linear.bias

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        flat = x.reshape(-1, self.in_features).to(torch.bfloat16)
        y = torch.ops.aten._weight_int8pack_mm(flat, self.weight, self.scales)
        y = y.to(x.dtype).reshape(*x.shape[:-1], self.out_features)
        return y if self.bias is None else y + self.bias


class DynamicInt8Linear(nn.Module):
    """A bias-free linear layer with int8 weights (per-row scales) whose input is
    quantized to 8 bits on each call (fbgemm)."""

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        if linear.bias is not None:
            raise ValueError("DynamicInt8Linear takes a linear layer without bias")
        self.in_features, self.out_features = linear.in_features, linear.out_features
        w = linear.weight.detach().float()
        scales = _row_scales(w).double()
        zero = torch.zeros(self.out_features, dtype=torch.long)
        with warnings.catch_warnings():  # quantized tensors are deprecated (torch is pinned)
            warnings.simplefilter("ignore", UserWarning)
            qweight = torch.quantize_per_channel(w, scales, zero, 0, torch.qint8)
        self._packed = torch.ops.quantized.linear_prepack(qweight, None)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # reduce_range: 7-bit activations, which the AVX2 kernel needs to avoid overflow
        return torch.ops.quantized.linear_dynamic(x.float().contiguous(), self._packed, True).to(x.dtype)


def quantize_for_cpu(model: nn.Module) -> nn.Module:
    """Give ``model`` (a causal LM, in place) int8 weights: :class:`Int8Linear` for every
    linear layer of the decoder, :class:`DynamicInt8Linear` for the output head. The
    input embeddings stay as they are (a lookup reads one row)."""
    head = model.get_output_embeddings()
    for module in list(model.modules()):
        for name, child in list(module.named_children()):
            if type(child) is nn.Linear and child is not head:
                setattr(module, name, Int8Linear(child))
    model.set_output_embeddings(DynamicInt8Linear(head))
    return model
