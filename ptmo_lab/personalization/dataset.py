"""Turning history turns into token ids with labels only on the reply, and batching them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from ptmo_lab.personalization.history import Turn

IGNORE_INDEX = -100


@dataclass(frozen=True)
class Example:
    """One tokenised turn: ``labels`` equal ``input_ids`` on the reply, ``IGNORE_INDEX`` elsewhere."""

    input_ids: list[int]
    labels: list[int]

    @property
    def n_target(self) -> int:
        return sum(label != IGNORE_INDEX for label in self.labels)


def _prompt_and_reply(tokenizer: Any, turn: Turn) -> tuple[str, str, bool]:
    """Texts of the prompt (up to the assistant's reply) and of the reply, and whether the
    prompt text already carries the special tokens (chat templates insert them)."""
    msgs = [m.to_dict() for m in turn.messages()]
    if getattr(tokenizer, "chat_template", None):
        prefix = tokenizer.apply_chat_template(msgs[:-1], tokenize=False, add_generation_prompt=True)
        full = tokenizer.apply_chat_template(msgs, tokenize=False)
        if full.startswith(prefix):
            return prefix, full[len(prefix):], True
    lines = [f"{m['role'].capitalize()}: {m['content']}\n" for m in msgs[:-1]]
    return "".join(lines) + "Assistant: ", turn.response + (tokenizer.eos_token or ""), False


def encode_turn(tokenizer: Any, turn: Turn, max_length: int) -> Example:
    """Tokenise ``turn``; when it is longer than ``max_length``, the oldest tokens of the
    prompt go first (the reply keeps at least half the window)."""
    prompt, reply, templated = _prompt_and_reply(tokenizer, turn)
    p_ids = tokenizer(prompt, add_special_tokens=not templated)["input_ids"]
    r_ids = tokenizer(reply, add_special_tokens=False)["input_ids"]
    if len(p_ids) + len(r_ids) > max_length:
        r_ids = r_ids[:max_length - min(len(p_ids), max_length // 2)]
        p_ids = p_ids[len(p_ids) - (max_length - len(r_ids)):]
    return Example(p_ids + r_ids, [IGNORE_INDEX] * len(p_ids) + r_ids)


def encode_turns(tokenizer: Any, turns: Sequence[Turn], max_length: int) -> list[Example]:
    """Tokenise every turn, dropping those left with no reply token."""
    examples = (encode_turn(tokenizer, t, max_length) for t in turns)
    return [e for e in examples if e.n_target]


def collate(examples: Sequence[Example], pad_id: int) -> dict[str, Any]:
    """Right-padded ``input_ids``, ``attention_mask`` and ``labels`` tensors."""
    import torch

    width = max(len(e.input_ids) for e in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE_INDEX, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    for i, e in enumerate(examples):
        n = len(e.input_ids)
        ids[i, :n] = torch.tensor(e.input_ids)
        labels[i, :n] = torch.tensor(e.labels)
        mask[i, :n] = 1
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}
