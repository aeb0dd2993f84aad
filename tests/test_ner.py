"""Classifier ``ner`` (Presidio on spaCy), merging, multi-turn masking, odd input."""
from __future__ import annotations

import random

import pytest

from ptmo_middleware import PrivacyRouter
from ptmo_middleware.components import ClassifyContext
from ptmo_middleware.config import Settings
from ptmo_middleware.errors import ConfigError
from ptmo_middleware.pipeline import merge_spans
from ptmo_middleware.plugins.classifiers.ner import (GATE_REACH, GATE_WINDOW, NerClassifier, candidates,
                                                     chunks, gate, is_false_positive, joined,
                                                     spacy_model_name)
from ptmo_middleware.plugins.classifiers.word_stats import common_words
from ptmo_middleware.types import SensitivityLevel, Span

pytestmark = pytest.mark.skipif(not NerClassifier.available(), reason="presidio / spaCy model not installed")


@pytest.fixture(scope="module")
def ner() -> NerClassifier:
    return NerClassifier(Settings.load())


@pytest.fixture(scope="module")
def router() -> PrivacyRouter:
    return PrivacyRouter()


def found(ner: NerClassifier, text: str) -> dict[str, str]:
    return {s.text: s.entity_type for s in ner.classify(text, ClassifyContext(ner.settings))}


def test_people_organisations_places(ner: NerClassifier) -> None:
    spans = found(ner, "Barack Obama met Angela Merkel in Berlin to discuss Siemens.")
    assert spans.get("Barack Obama") == "PERSON"
    assert spans.get("Berlin") == "LOCATION"
    span = ner.classify("Barack Obama visited.", ClassifyContext(ner.settings))[0]
    assert span.source == "ner" and span.level == SensitivityLevel.SEMI_SENSITIVE and span.maskable


def test_false_positives_dropped(ner: NerClassifier) -> None:
    assert "Python" not in found(ner, "I love Python and Java more than Kotlin.")
    assert is_false_positive("1234", "PERSON")
    assert is_false_positive("ChatGPT", "ORGANIZATION")
    assert is_false_positive("kako zaraditi", "PERSON")
    assert not is_false_positive("Sharon Whitfield", "PERSON")
    assert not is_false_positive("jeddah", "LOCATION")
    assert is_false_positive("Linux", "LOCATION") and is_false_positive("Ubuntu and Windows", "ORGANIZATION")
    assert is_false_positive("Fahrenheit", "LOCATION") and is_false_positive("Celsius", "NRP")
    assert is_false_positive("Convert", "PERSON", person_common=frozenset({"convert"}))
    assert not is_false_positive("Convert", "ORGANIZATION", person_common=frozenset({"convert"}))


def test_technologies_and_units_are_not_entities(ner: NerClassifier) -> None:
    assert found(ner, "How do I change a password on Linux?") == {}
    assert found(ner, "Convert 30 degrees Celsius to Fahrenheit.") == {}
    assert "Berlin" in found(ner, "I installed Ubuntu and Windows on my laptop in Berlin.")


def test_loaded_once_and_model_names(ner: NerClassifier) -> None:
    assert NerClassifier(Settings.load()).nlp is ner.nlp
    assert spacy_model_name("en_core_web_sm").startswith("en_core_web_sm")
    with pytest.raises(ConfigError, match="not installed"):
        spacy_model_name("xx_no_such_model")


def test_loading_imports_no_other_packages_spacy_components() -> None:
    """A pipeline of spaCy's own components is built without importing Presidio's
    component (and with it transformers: seconds of cold start)."""
    import subprocess
    import sys

    code = ("import sys; from ptmo_middleware.plugins.classifiers.ner import _pipeline; "
            "_pipeline('en_core_web_sm'); print(sorted(m for m in ('presidio_analyzer', 'transformers') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_spacy_is_imported_without_its_command_line() -> None:
    """``spacy.cli`` (weasel, jinja2, requests) waits for its first use; ``spacy.info``
    and ``import spacy.cli`` still work."""
    import subprocess
    import sys

    code = ("import sys; from ptmo_middleware.plugins.classifiers.ner import _pipeline; "
            "_pipeline('en_core_web_sm'); print(sorted(m for m in ('spacy.cli', 'weasel', 'jinja2') "
            "if m in sys.modules)); import spacy; assert 'spaCy version' in spacy.info(silent=True, markdown=True); "
            "import spacy.cli; assert callable(spacy.cli.download) and 'weasel' in sys.modules")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_pipeline_tokenizer_is_the_one_spacy_loads() -> None:
    """Loading skips the default tokenizer that the saved one replaces: the tokenizer,
    the NER and what they make of a text are those of a plain ``spacy.load``."""
    import spacy

    from ptmo_middleware.plugins.classifiers.ner import _SPACY_EXCLUDE, _pipeline

    name = spacy_model_name("en_core_web_sm")
    ours = _pipeline("en_core_web_sm")
    factories = spacy.util.registry._entry_point_factories
    factories.entry_points = False  # as _pipeline loads (no other package's components)
    try:
        plain = spacy.load(name, exclude=list(_SPACY_EXCLUDE))
    finally:
        factories.entry_points = True
    # (without the vocabularies: the one in use has the strings of the texts read since)
    assert ours.tokenizer.to_bytes(exclude=["vocab"]) == plain.tokenizer.to_bytes(exclude=["vocab"])
    assert ours.get_pipe("ner").to_bytes(exclude=["vocab"]) == plain.get_pipe("ner").to_bytes(exclude=["vocab"])
    assert spacy.registry.tokenizers.get("spacy.Tokenizer.v1").__module__ == "spacy.language"
    text = "Don't e-mail Mr. O'Neil at 5:30pm, we're in the U.S.A. (https://x.y/z?q=1) :)"
    assert [(t.text, t.norm_, t.whitespace_) for t in ours(text)] == [(t.text, t.norm_, t.whitespace_)
                                                                        for t in plain(text)]


def test_long_text_is_chunked_at_white_space() -> None:
    text = "word " * 50
    pieces = list(chunks(text, size=32))
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 32 for _, p in pieces)
    assert all(text[off:off + len(p)] == p for off, p in pieces)


def test_classify_many_matches_classify(ner: NerClassifier) -> None:
    texts = ["Sharon Whitfield lives in Boston.", "Nothing to see here.", "Contact Acme Corp in Paris."]
    many = ner.classify_many(texts)
    one = [ner.classify(t, ClassifyContext(ner.settings)) for t in texts]
    assert [[(s.start, s.end, s.entity_type) for s in x] for x in many] == \
        [[(s.start, s.end, s.entity_type) for s in x] for x in one]


def test_merge_prefers_specific_type_and_joins_sources() -> None:
    text = "Dear Sharon Whitfield,"
    a = Span(5, 21, "PROPER_NOUN", SensitivityLevel.SEMI_SENSITIVE, 0.9, "ml")
    b = Span(5, 11, "PERSON", SensitivityLevel.SEMI_SENSITIVE, 0.85, "ner")
    (m,) = merge_spans([a, b], text)
    assert (m.start, m.end, m.entity_type, m.source) == (5, 21, "PERSON", "ml+ner")
    c = Span(12, 21, "PASSWORD", SensitivityLevel.PRIVATE, 0.5, "rules")
    (m,) = merge_spans([a, c], text)
    assert m.entity_type == "PASSWORD" and m.level == SensitivityLevel.PRIVATE


def test_full_default_plan_masks_whole_units(router: PrivacyRouter) -> None:
    assert {"rules", "ner", "ml"} <= set(router.classifier_names)
    plan = router.plan("Dear Ms Sharon, I am Ravikrishnan, manager at Boom General Contractors in Dubai. "
                       "Please write a cover letter.", conversation_id="units")
    (payload,) = plan.cloud_payloads
    for secret in ("Sharon", "Ravikrishnan", "Boom", "Contractors", "Dubai"):
        assert secret not in payload
    assert "Please write a cover letter." in payload and "manager at" in payload


def test_every_mention_of_a_masked_name_is_masked(router: PrivacyRouter) -> None:
    plan = router.plan("Write to Ravikrishnan about the report. Ravikrishnan is away.", conversation_id="repeat")
    assert "Ravikrishnan" not in plan.cloud_payloads[0]


def test_name_from_turn_one_is_masked_in_turn_five(router: PrivacyRouter) -> None:
    messages = [
        {"role": "user", "content": "My manager is Sharon Whitfield from Boom General Contractors."},
        {"role": "assistant", "content": "Noted."},
        {"role": "user", "content": "Draft a short thank-you note."},
        {"role": "assistant", "content": "Sure, here it is."},
        {"role": "user", "content": "now add that sharon whitfield approved the budget"},
    ]
    plan = router.plan(messages, conversation_id="multi-turn")
    joined = "\n".join(plan.cloud_payloads).casefold()
    assert "whitfield" not in joined and "boom general" not in joined
    assert "approved the budget" in joined
    later = router.plan(messages + [{"role": "user", "content": "also thank whitfield for the quick reply"}],
                        conversation_id="multi-turn")
    assert "whitfield" not in "\n".join(later.cloud_payloads).casefold()


@pytest.mark.parametrize("text", [
    "kako zaraditi pare u Macau",
    "Napisz za mnie zgłoszenie do Jana Kowalskiego z firmy Orlen",
    "中译英：刘的新闻采写能力稳步提升。",
    "Напиши письмо Ивану Петрову в компанию Ростелеком.",
    "¿Puedes escribir un correo a María García de Telefónica?",
    "\u200b\u200b" + "x" * 3000 + " Bob",
])
def test_non_english_and_odd_prompts_plan_sensibly(router: PrivacyRouter, text: str) -> None:
    plan = router.plan(text, conversation_id="odd")
    for s in plan.spans:
        assert text[s.start:s.end] == s.text and s.text.strip()
    if "Macau" in text:
        assert [s.text for s in plan.spans if s.maskable] == ["Macau"]
    if "María" in text:
        assert "García" not in "\n".join(plan.cloud_payloads)


def test_repeated_text_is_served_from_the_cache(ner: NerClassifier) -> None:
    text = "Sharon Whitfield called from Boston about the Acme Corp contract."
    first = ner.classify(text, ClassifyContext(ner.settings))
    calls = []
    real = ner.nlp
    ner.nlp = lambda piece: calls.append(1) or real(piece)
    try:
        again = ner.classify(text, ClassifyContext(ner.settings))
    finally:
        ner.nlp = real
    assert again == first and not calls


def test_surname_alone_is_masked_in_a_later_request(router: PrivacyRouter) -> None:
    router.plan("Please email my landlord Bartholomew Quincey about the leak.", conversation_id="later")
    plan = router.plan("what should i tell quincey tomorrow?", conversation_id="later")
    assert "quincey" not in "\n".join(plan.cloud_payloads).casefold()


class _FakeNlp:
    def __init__(self, arch: str) -> None:
        self.pipe_names = ["tok2vec", "ner"]
        self.arch = arch

    def get_pipe_config(self, name: str) -> dict:
        return {"model": {"tok2vec": {"@architectures": self.arch}}}

    def remove_pipe(self, name: str) -> None:
        self.pipe_names.remove(name)


@pytest.mark.parametrize("arch,kept", [("spacy.Tok2Vec.v2", ["ner"]),
                                       ("spacy.Tok2VecListener.v1", ["tok2vec", "ner"])])
def test_shared_tok2vec_dropped_only_when_ner_does_not_listen(arch, kept):
    from ptmo_middleware.plugins.classifiers.ner import _drop_unused_tok2vec

    nlp = _FakeNlp(arch)
    _drop_unused_tok2vec(nlp)
    assert nlp.pipe_names == kept


# -- the gate ---------------------------------------------------------------------------

def test_candidates_are_capitalised_words_but_not_i_nor_a_common_sentence_opener() -> None:
    common = frozenset({"please", "the", "write"})
    text = "Please call Sharon. I think The Hague is nice. Write to ACME!\nThe end, thanks to O'Brien."
    assert [text[a:b] for a, b in candidates(text, common)] == ["Sharon", "The", "Hague", "ACME", "O'Brien"]


def test_gate_windows_reach_around_candidates_and_fit_the_budget() -> None:
    text = "The weather is fine today. " * 20 + "Please meet Sharon Whitfield in Boston. " + "Nothing else. " * 20
    (window,) = gate(text, frozenset({"please", "the", "nothing"}))
    assert "Sharon Whitfield in Boston" in text[slice(*window)]
    assert window[1] - window[0] <= 2 * GATE_REACH + len("Sharon Whitfield in Boston")
    assert gate("all lower case, i think", frozenset()) == []
    many = " ".join(f"Zed{i} met Quinn{i} at the old Harbour{i} market today." for i in range(100))
    windows = gate(many, frozenset(), budget=1200)
    assert windows == sorted(windows) and len(windows) > 1
    assert sum(b - a for a, b in windows) <= 1200 and all(b - a <= GATE_WINDOW for a, b in windows)


def test_gate_reads_every_candidate_without_a_budget() -> None:
    many = " ".join(f"Zed{i} met Quinn{i} at the old Harbour{i} market today." for i in range(100))
    windows = gate(many, frozenset())
    for word in ("Zed0", "Quinn57", "Harbour99"):
        at = many.index(word)
        assert any(a <= at and at + len(word) <= b for a, b in windows), word
    assert len(gate(many, frozenset(), budget=1200)) < len(windows)


def test_gate_windows_are_ordered_disjoint_and_within_the_text() -> None:
    rng = random.Random(7)
    words = ["Ann", "the", "B" * 230, "x" * 40, "Zoë", "i", "The", ".", "\n", "Quinn-Lee", "O'Neil", "42"]
    for _ in range(300):
        text = "".join(rng.choice(words) + rng.choice(["", " ", "  ", ". "]) for _ in range(rng.randint(0, 120)))
        windows = gate(text, frozenset({"the"}), budget=rng.choice([50, 300, 1200]), reach=rng.choice([5, 25]))
        assert all(0 <= a < b <= len(text) for a, b in windows)
        assert all(b1 <= a2 for (_, b1), (a2, _) in zip(windows, windows[1:]))


def test_joined_windows_map_back_to_their_offsets() -> None:
    text = "abc Sharon def. ghi Boston jkl."
    piece, where = joined(text, [(4, 10), (20, 26)])
    assert piece == "Sharon\n\nBoston"
    assert [piece[s:e] for s, e, _ in where] == [text[o:o + e - s] for s, e, o in where] == ["Sharon", "Boston"]


def test_gated_ner_finds_names_at_their_offsets_in_long_text(ner: NerClassifier) -> None:
    text = ("we went over the figures again and nothing stood out. " * 40 + "Later Barack Obama met Angela "
            "Merkel in Berlin. " + "then we went home and slept. " * 40)
    spans = ner.classify(text, ClassifyContext(ner.settings))
    assert {s.text for s in spans} >= {"Barack Obama", "Angela Merkel", "Berlin"}
    assert all(text[s.start:s.end] == s.text for s in spans)


def test_gate_skips_spacy_on_text_without_candidates(ner: NerClassifier) -> None:
    calls = []
    real = ner.nlp
    ner.nlp = lambda piece: calls.append(1) or real(piece)
    try:
        assert ner.classify("what is the capital of france? i forgot it again", ClassifyContext(ner.settings)) == []
    finally:
        ner.nlp = real
    assert not calls


def test_gate_off_reads_every_character() -> None:
    ungated = NerClassifier(Settings.load(ner_gate=False))
    text = "i live in lowercase land. " * 10 + "Sharon lives in Boston."
    assert [(p, w) for p, w in ungated._inputs(text)] == [(text, [(0, len(text), 0)])]
    assert Settings.load(ner_gate=True).ner_gate and len(common_words(4)) > len(common_words())


def test_the_small_pipeline_loads_without_torch() -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom ptmo_middleware import PrivacyRouter\n"
            "plan = PrivacyRouter(classifiers=['ner']).plan('My friend Alice Johnson moved to Paris last year.')\n"
            "assert any(s.source == 'ner' for s in plan.spans)\nprint('torch' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "False"
