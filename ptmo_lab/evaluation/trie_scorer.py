"""Fast exact scoring of many continuations of one prefix on a causal LM, for exposure.

Exposure ranks a canary among every candidate of its randomness space (10^4 for a
four-digit PIN). Scoring each candidate as its own sequence repeats the prefix and the
shared digits thousands of times. :class:`TrieScorer` runs the prefix once (its KV cache
is reused), then walks the trie of the candidates' token sequences level by level: one
forward position per trie node, and the output head only at the last position. The
log-likelihoods are the same as scoring each sequence in full.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Sequence


@dataclass
class TrieScorer:
    """:data:`~ptmo_lab.evaluation.attacks.NLLScorer` over a Hugging Face causal LM.

    ``context_ids(prefix)`` gives the token ids that precede the prefix (for a chat model,
    the templated user prompt the canary answered); ``None`` means the prefix starts the
    sequence after the tokenizer's special tokens. The prefix and each continuation are
    tokenised together as ``prefix + " " + continuation``, as in training.
    """

    model: Any
    tokenizer: Any
    context_ids: Any = None
    chunk: int = 256
    device: str = "cpu"

    def _split(self, prefix: str, continuations: Sequence[str]) -> tuple[list[int], list[tuple[int, ...]]]:
        tok = self.tokenizer
        p_ids = tok(prefix, add_special_tokens=False)["input_ids"]
        conts = []
        for c in continuations:
            ids = tok(f"{prefix} {c}", add_special_tokens=False)["input_ids"]
            if ids[:len(p_ids)] != p_ids or len(ids) == len(p_ids):
                raise ValueError(f"the tokenizer merges the prefix {prefix!r} with the continuation {c!r}")
            conts.append(tuple(ids[len(p_ids):]))
        head = list(self.context_ids(prefix)) if self.context_ids else tok("", add_special_tokens=True)["input_ids"]
        return head + p_ids, conts

    def __call__(self, prefix: str, continuations: Sequence[str]) -> list[float]:
        import torch

        full_prefix, conts = self._split(prefix, continuations)
        children: dict[tuple[int, ...], set[int]] = {}
        for c in conts:
            for d in range(len(c)):
                children.setdefault(c[:d], set()).add(c[d])
        nodes_by_depth: dict[int, list[tuple[int, ...]]] = {}
        for node in sorted(children):
            nodes_by_depth.setdefault(len(node), []).append(node)
        logp: dict[tuple[int, ...], dict[int, float]] = {}
        with torch.no_grad():
            ids = torch.tensor([full_prefix[:-1]], device=self.device)
            cache = self.model(input_ids=ids, use_cache=True).cache if len(full_prefix) > 1 else None
            for d in sorted(nodes_by_depth):
                nodes = nodes_by_depth[d]
                for i in range(0, len(nodes), self.chunk):
                    part = nodes[i:i + self.chunk]
                    inputs = torch.tensor([[full_prefix[-1], *n] for n in part], device=self.device)
                    past = None
                    if cache is not None:
                        past = copy.deepcopy(cache)
                        past.batch_repeat_interleave(len(part))
                    mask = torch.ones((len(part), len(full_prefix) - 1 + inputs.shape[1]),
                                      dtype=torch.long, device=self.device)
                    out = self.model(input_ids=inputs, attention_mask=mask, cache=past,
                                     use_cache=past is not None, logits_to_keep=1)
                    rows = torch.log_softmax(out.logits[:, -1].float(), dim=-1)
                    for node, row in zip(part, rows):
                        kids = sorted(children[node])
                        logp[node] = dict(zip(kids, row[kids].tolist()))
        return [float(-sum(logp[c[:j]][c[j]] for j in range(len(c)))) for c in conts]
