"""Sentence-level sensitive-topic model: health, finance, legal, employment,
immigration, relationships, location and routine (or none).

A multinomial linear model over word unigrams and bigrams; weights ship in the ``ml``
artifact. Pure Python at run time: a few dictionary look-ups per word.
"""
from __future__ import annotations

import math
import re
from typing import Mapping

_WORDS = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)


def sentence_features(sentence: str) -> list[str]:
    """Lower-cased words and adjacent word pairs."""
    words = [w.casefold() for w in _WORDS.findall(sentence)][:200]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


class TopicModel:
    """Scores a sentence against each topic; ``predict`` gives the best one or ``None``."""

    def __init__(self, labels: list[str], weights: Mapping[str, list[float]], bias: list[float],
                 threshold: float = 0.6) -> None:
        self.labels = labels
        self.weights = weights
        self.bias = bias
        self.threshold = threshold

    def probabilities(self, sentence: str) -> dict[str, float]:
        z = list(self.bias)
        for f in set(sentence_features(sentence)):
            w = self.weights.get(f)
            if w is not None:
                for k, v in enumerate(w):
                    z[k] += v
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return {lab: v / total for lab, v in zip(self.labels, e)}

    def predict(self, sentence: str) -> tuple[str, float] | None:
        """``(topic, probability)`` when a sensitive topic passes the threshold."""
        probs = self.probabilities(sentence)
        label, p = max(probs.items(), key=lambda kv: kv[1])
        if label == "NONE" or p < self.threshold:
            return None
        return label, p
