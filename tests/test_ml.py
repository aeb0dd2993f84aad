"""Classifier ``ml``: the shipped artifact, the unit tagger and the topic model."""
from __future__ import annotations

import gzip
import json

import pytest

from ptmo_middleware.components import ClassifyContext
from ptmo_middleware.config import Settings
from ptmo_lab.evaluation.synthetic_pii import SLOT_TYPES, generate
from ptmo_lab.evaluation.topic_data import TOPICS
from ptmo_middleware.plugins.classifiers.ml import ARTIFACT, MLClassifier, runs_beside_ner, unit_type
from ptmo_middleware.plugins.classifiers.topics import TopicModel
from ptmo_middleware.plugins.classifiers.unit_judge import candidate_threshold
from ptmo_middleware.plugins.classifiers.unit_tagger import (Lexicon, Token, UnitTagger, _grow, self_features, shape,
                                                             token_features, tokenize)
from ptmo_middleware.types import SensitivityLevel


@pytest.fixture(scope="module")
def ml() -> MLClassifier:
    return MLClassifier(Settings.load())


def units(ml: MLClassifier, text: str) -> list[str]:
    return [s.text for s in ml.unit_spans(text)]


def test_artifact_is_small_and_records_how_it_was_trained() -> None:
    assert ARTIFACT.stat().st_size < 5_000_000
    with gzip.open(ARTIFACT, "rt", encoding="utf-8") as fh:
        meta = json.load(fh)["meta"]
    assert meta["seed"] == 13 and meta["pupa_train_rows"] == 531
    assert meta["command"].startswith("ptmo train-classifier")
    assert set(meta["topic_scores"]) == {"heldout_macro_f1", "heldout_accuracy"}


def test_loaded_once_per_process(ml: MLClassifier) -> None:
    assert MLClassifier(Settings.load()).tagger is ml.tagger


def test_artifact_gives_the_scores_recorded_at_training(ml: MLClassifier) -> None:
    """The loaded models score fresh generated data exactly as recorded when trained."""
    from ptmo_lab.evaluation.train_classifier import artifact_scores

    assert artifact_scores(ml.tagger, ml.topics, ml.meta["seed"]) == ml.meta["scores"]
    assert ml.meta["scores"]["tagger_token_recall"] >= 0.8
    assert ml.meta["scores"]["topic_accuracy"] >= 0.8


def test_tokenize_strips_punctuation_and_marks_sentence_starts() -> None:
    toks = tokenize('Hi "Sharon", meet Bob. He works at (Acme).')
    assert [t.text for t in toks] == ["Hi", "Sharon", "meet", "Bob", "He", "works", "at", "Acme"]
    assert [t.first for t in toks] == [True, False, False, False, True, False, False, False]
    assert toks[1].start == 4 and toks[1].end == 10
    assert shape("McDonald2") == "XxXx"


def test_tokenize_splits_at_dashes_and_slashed_names_only() -> None:
    text = "the subjects—Lance showing, 2019–2020, Roth/Kirschenbaum Films"
    toks = tokenize(text)
    assert [t.text for t in toks] == ["the", "subjects", "—", "Lance", "showing", "2019", "–", "2020",
                                      "Roth", "Kirschenbaum", "Films"]
    assert all(text[t.start:t.end] == t.text for t in toks)
    assert (toks[1].start, toks[1].end, toks[3].start, toks[3].end) == (4, 12, 13, 18)
    assert toks[3].before == "—" and toks[1].after == "—"
    kept = ["Jean-Luc", "/home/user/file.txt", "https://example.org/a/b", "12/05/2024", "and/or"]
    text = " ".join(kept)
    assert [(text[t.start:t.end], t.text) for t in tokenize(text)] == [(w, w) for w in kept]


def test_people_companies_and_places_are_whole_units(ml: MLClassifier) -> None:
    found = units(ml, "Dear Ms Sharon, I am Ravikrishnan working as manager in Boom General Contractors in Dubai.")
    assert "Ravikrishnan" in found
    assert "Boom General Contractors" in found
    assert any("Sharon" in u for u in found)
    assert "Dubai" in found


def test_technologies_alone_are_not_units(ml: MLClassifier) -> None:
    assert units(ml, "I code in Java and Python on Android, then deploy to Ubuntu.") == []
    found = units(ml, "Sharon Whitfield teaches Python at Kessler Analytics in Boston.")
    assert any("Sharon" in u for u in found) and "Boston" in found and "Python" not in found


def test_handles_urls_and_lower_case_names(ml: MLClassifier) -> None:
    found = units(ml, "@NarendraModi posted on https://modi-fans.org/profile/narendra about beltline1221")
    assert "@NarendraModi" in found
    assert any(u.startswith("https://modi-fans.org") for u in found)


def test_common_words_and_tech_are_not_units(ml: MLClassifier) -> None:
    assert units(ml, "how do i sort a list of dictionaries by a key in python?") == []
    assert units(ml, "Explain the difference between TCP and UDP in simple terms.") in ([], ["TCP", "UDP"], ["TCP"], ["UDP"])


def test_units_grow_over_capitalised_words_and_particles() -> None:
    text = "the Borough of Longport police"
    toks = tokenize(text)
    pos = _grow([False, False, False, True, False], toks, text, [False] * 5)
    assert pos == [False, True, True, True, False]


def test_units_grow_over_rare_names_in_lower_case(ml: MLClassifier) -> None:
    text = "my friend gerard murphy lives in town and we may meet mark"
    toks = tokenize(text)
    pos = [t.text == "murphy" for t in toks]
    grown = _grow(pos, toks, text, [t.text in ("gerard", "murphy") for t in toks])
    assert [t.text for t, p in zip(toks, grown) if p] == ["gerard", "murphy"]
    assert "gerard murphy" in units(ml, "my friend gerard murphy lives in hydehaven and wants to study nursing")


def test_every_occurrence_scores_as_its_best(ml: MLClassifier) -> None:
    text = "Bella. Bella is a good student and Bella is shy."
    spans = ml.unit_spans(text)
    assert len([s for s in spans if s.text == "Bella"]) in (0, 3)


def test_non_english_prompts_mask_the_name_not_the_words(ml: MLClassifier) -> None:
    assert units(ml, "kvalitet obrazovanja u Makau") == ["Makau"]
    assert "kako" not in " ".join(units(ml, "kako zaraditi pare u Macau"))
    ml.classify("中译英：在我辅导运营的新闻系微信公众号中，刘的新闻采写能力稳步提升。", ClassifyContext(ml.settings))
    ml.classify("Напиши письмо Ивану Петрову в компанию Ростелеком.", ClassifyContext(ml.settings))


def test_unit_types_from_form() -> None:
    names = frozenset({"sharon"})
    assert unit_type("https://x.org/a", names) == "URL"
    assert unit_type("@someone", names) == "USERNAME"
    assert unit_type("a.b@c.org", names) == "EMAIL_ADDRESS"
    assert unit_type("C:\\Users\\bob", names) == "FILE_PATH"
    assert unit_type("Sharon Whitfield", names) == "PERSON"
    assert unit_type("Boom General", names) == "PROPER_NOUN"


def test_topic_spans_are_sentence_level_and_not_maskable(ml: MLClassifier) -> None:
    text = "I was diagnosed with diabetes last year. What is the capital of France?"
    spans = ml.topic_spans(text)
    assert [(s.entity_type, s.text) for s in spans] == [("HEALTH", "I was diagnosed with diabetes last year.")]
    assert not spans[0].maskable and spans[0].level == SensitivityLevel.SEMI_SENSITIVE
    assert ml.topic_spans("My visa application was denied because of a missing document.")[0].entity_type == "IMMIGRATION"
    assert ml.topic_spans("Write a SQL query that counts orders per month.") == []


def test_topic_level_follows_the_level_policy() -> None:
    ml = MLClassifier(Settings.load(level_policy={"HEALTH": "private"}))
    (span,) = ml.topic_spans("I take insulin twice a day.")
    assert span.level == SensitivityLevel.PRIVATE


def test_topic_model_covers_every_topic(ml: MLClassifier) -> None:
    assert set(ml.topics.labels) == set(TOPICS) | {"NONE"}
    model = TopicModel(["A", "NONE"], {"x": [2.0, -2.0]}, [0.0, 0.0], threshold=0.6)
    assert model.predict("x x") == ("A", pytest.approx(0.982, abs=1e-3))
    assert model.predict("y") is None


def test_synthetic_generator_is_seeded_and_typed() -> None:
    a, b = generate(80, seed=3), generate(80, seed=3)
    assert [(s.text, s.spans) for s in a] == [(s.text, s.spans) for s in b]
    assert any(not s.spans for s in a)
    for s in a:
        for start, end, etype in s.spans:
            assert etype in SLOT_TYPES.values() and s.text[start:end].strip()


def test_training_corpus_labels_units_by_occurrence() -> None:
    from ptmo_lab.evaluation.train_classifier import unit_labels

    text = "Call Sara at FRC's office; sara knows FRC."
    assert unit_labels(text, ["sara"]) == [(5, 9), (27, 31)]
    assert unit_labels("the  Arab Open\nUniversity", ["arab open university"]) == [(5, 25)]


@pytest.mark.slow
def test_retraining_reproduces_the_shipped_artifact(tmp_path) -> None:
    from ptmo_lab.evaluation.train_classifier import train

    out = tmp_path / "m.json.gz"
    train(out=out)
    with gzip.open(out, "rt") as a, gzip.open(ARTIFACT, "rt") as b:
        new, old = json.load(a), json.load(b)
    for part in ("tagger", "topics", "lexicon"):
        assert new[part] == old[part]


def test_token_dataclass_is_frozen() -> None:
    t = Token(0, 1, "a", True)
    with pytest.raises(AttributeError):
        t.start = 3  # type: ignore[misc]


LEX = Lexicon({"the": 7, "to": 7, "is": 7, "hot": 5}, {}, frozenset({"sharon"}), frozenset({"jeddah"}),
              frozenset({"york"}))


def test_tokens_record_the_characters_around_them() -> None:
    toks = tokenize('Ask "Sharon" (@bob), then go.')
    assert [(t.text, t.before, t.after) for t in toks][1:3] == [("Sharon", '"', '"'), ("@bob", "(", ")")]
    assert toks[0].before == " " and toks[-1].after == "."


def test_place_gazetteer_marks_places_and_parts_of_place_names() -> None:
    assert "place" in self_features("jeddah", LEX) and "place|lower|0" in self_features("jeddah", LEX)
    assert "placepart|title" in self_features("York", LEX)
    assert not {"place", "placepart"} & set(self_features("hot", LEX))


def test_a_word_capitalised_elsewhere_in_the_text_is_marked() -> None:
    feats = list(token_features(tokenize("I moved to Jeddah. jeddah is hot"), LEX))
    assert "capel|l=True" in feats[4] and "rep|l=2" in feats[4]
    assert "capel|l=False" in feats[6]
    assert "pcw|c=to|T" in feats[3] and "n2w=is" in feats[3] and "bef=_" in feats[3] and "aft=." in feats[3]


def test_cached_logits_equal_the_sum_of_every_feature_weight() -> None:
    text = 'Hi "Sharon", I moved to Jeddah. jeddah is hot (@bob). Sharon knows.'
    toks = tokenize(text)
    feats = list(token_features(toks, LEX))
    weights = {f: (hash(f) % 97 - 48) / 50 for fs in feats for f in fs}
    tagger = UnitTagger(weights, 0.25, LEX)
    for _ in range(2):  # cold, then from the cache
        assert tagger.logits(toks) == pytest.approx([0.25 + sum(weights[f] for f in fs) for fs in feats])


def test_beside_the_judge_the_tagger_proposes_at_the_judges_threshold() -> None:
    judged = MLClassifier(Settings.load(classifiers=["rules", "ner", "ml"]))
    assert judged.threshold == candidate_threshold() < judged.tagger.threshold


def test_threshold_is_lower_when_no_ner_runs_beside_the_tagger() -> None:
    assert not runs_beside_ner(Settings.load(classifiers=["rules", "ml"]))
    assert runs_beside_ner(Settings.load(classifiers=["rules", "ner", "ml"]))
    alone = MLClassifier(Settings.load(classifiers=["rules", "ml"], unit_judge=False))
    beside = MLClassifier(Settings.load(classifiers=["rules", "ner", "ml"], unit_judge=False))
    assert beside.threshold == alone.meta["threshold"] == alone.tagger.threshold
    assert alone.threshold == alone.meta["threshold_without_ner"] < beside.threshold
    text = "Dear Ms Sharon, I am Ravikrishnan working as manager in Boom General Contractors in Dubai."

    def covered(m: MLClassifier) -> set[int]:
        return {i for sp in m.unit_spans(text) for i in range(sp.start, sp.end)}
    assert covered(beside) <= covered(alone)
