"""The unit judge: public questions pass unchanged, what is about the user is masked.

The prompt corpus (``ptmo_lab.evaluation.prompt_corpus``) was written before the
judge; the judge is trained on its ``tune`` family, and these tests read the ``held``
family, whose templates it never saw."""
from __future__ import annotations

import pytest

from ptmo_middleware import PrivacyRouter
from ptmo_middleware.config import Settings
from ptmo_lab.evaluation.prompt_corpus import PRIVATE, PUBLIC, check, held
from ptmo_middleware.plugins.classifiers.unit_bounds import is_code_token, tighten
from ptmo_middleware.plugins.classifiers.unit_judge import code_lines, frame_of, is_code_line


@pytest.fixture(scope="module")
def router() -> PrivacyRouter:
    return PrivacyRouter()


def cloud_text(router: PrivacyRouter, text: str) -> str:
    plan = router.plan(text)
    return "\n".join(m.content for m in plan.cloud_messages)


@pytest.mark.parametrize("text", [
    "What is the capital of France?",
    "Compare AWS Lambda and Google Cloud Functions.",
    "Factorise x^2 - 5x + 6.",
    "Convert 350 degrees Fahrenheit to Celsius.",
    "Solve for x: 3x + 7 = 22",
    "Combien d'habitants compte Marseille ?",
    "Erkläre den Unterschied zwischen Wetter und Klima.",
    "What was Walmart's revenue in 2023?",
    "Who was John Smith of Jamestown?",
    "¿Quién pintó el Guernica y dónde está hoy?",
])
def test_public_questions_leave_unchanged(router: PrivacyRouter, text: str) -> None:
    assert cloud_text(router, text) == text


@pytest.mark.parametrize("text, private", [
    ("I work at Walmart in Irvine and my friend john smith says hi", ["Walmart", "Irvine", "john smith"]),
    ("Write an email to Dr. Hannah Berger about my appointment next week.", ["Hannah Berger"]),
    ("Ich arbeite bei Bosch in Reutlingen und brauche Hilfe mit meinem Arbeitsvertrag.", ["Reutlingen"]),
    ("¿Puedes escribir un correo a María García de Telefónica?", ["María", "García"]),
    ("Dear Priya Raman, thank you for the interview on Monday.", ["Priya Raman"]),
])
def test_what_is_about_the_user_is_masked(router: PrivacyRouter, text: str, private: list[str]) -> None:
    sent = cloud_text(router, text)
    for value in private:
        assert value not in sent


def test_the_corpus_keeps_its_families_apart() -> None:
    check()


def test_held_public_prompts_are_nearly_all_left_alone(router: PrivacyRouter) -> None:
    prompts = held(PUBLIC)
    changed = [p.text for p in prompts if cloud_text(router, p.text) != p.text]
    assert len(prompts) >= 400
    assert len(changed) / len(prompts) <= 0.05, changed[:20]
    for lang in ("en", "de", "fr", "es"):
        in_lang = [p for p in prompts if p.lang == lang]
        assert sum(p.text in changed for p in in_lang) / len(in_lang) <= 0.08, lang


def test_held_disclosures_mostly_stay_on_the_device(router: PrivacyRouter) -> None:
    values = [(d, v) for d in held(PRIVATE) for v in d.private]
    leaked = [v for d, v in values if v in cloud_text(router, d.text)]
    assert len(leaked) / len(values) <= 0.10, leaked


def test_without_the_judge_every_name_is_masked() -> None:
    router = PrivacyRouter(Settings(unit_judge=False))
    assert "France" not in cloud_text(router, "What is the capital of France?")


def test_a_mask_covers_the_name_not_the_verb_before_it() -> None:
    text = "Summarise Marie Curie's discoveries"
    assert tighten(text, 0, len("Summarise Marie Curie's"), frozenset(), frozenset({"marie"})) == (10, 21)
    # "Google" mid-sentence is part of the name, however common the word.
    text = "Compare AWS Lambda and Google Cloud Functions."
    start = text.index("Google")
    assert tighten(text, start, start + len("Google Cloud Functions"), frozenset({"google"})) == (
        start, start + len("Google Cloud Functions"))


@pytest.mark.parametrize("text, span", [
    ("Factorise x^2 - 5x + 6.", "Factorise x^2 - 5x + 6"),
    ("Convert 350 degrees Fahrenheit to Celsius.", "Convert 350 degrees"),
    ("Solve for x: 3x + 7 = 22", "22"),
])
def test_maths_is_no_name(text: str, span: str) -> None:
    start = text.index(span)
    assert tighten(text, start, start + len(span), frozenset()) is None


def test_lower_case_names_keep_their_bounds() -> None:
    text = "hey john smith, are you coming?"
    assert tighten(text, 0, len("hey john smith"), frozenset({"hey"}), frozenset({"john"})) == (4, 14)


def test_framing_sees_first_person_in_pro_drop_languages() -> None:
    assert "fp" in frame_of("Trabajo en Inditex en Arteixo y quiero pedir una excedencia.").features
    assert "noperson" in frame_of("¿Cuál es la capital de Chile?").features


@pytest.mark.slow
def test_the_judge_retrains_byte_for_byte(tmp_path) -> None:
    from ptmo_lab.evaluation.leakage import data_dir
    from ptmo_lab.evaluation.train_judge import ARTIFACT, train

    if not (data_dir() / "PUPA_New.csv").exists():
        pytest.skip("PUPA_New.csv is not beside the checkout")
    out = tmp_path / "judge.json.gz"
    train(out=out)
    assert out.read_bytes() == ARTIFACT.read_bytes()


def test_a_line_of_punctuation_bounds_a_unit() -> None:
    text = "Context information is below.\n---------------------\nGarcia policy"
    start = text.index("w.")
    assert tighten(text, start, text.index("Garcia") + 6, frozenset()) == (text.index("Garcia"), text.index("Garcia") + 6)
    glued = "below.---------------------Garcia policy"
    from ptmo_middleware.plugins.classifiers.unit_tagger import tokenize
    assert [t.text for t in tokenize(glued)][:3] == ["below", "---------------------", "Garcia"]


def test_prompt_templates_reach_the_cloud_intact(router: PrivacyRouter) -> None:
    text = "You are an expert Q&A system that is trusted around the world."
    assert cloud_text(router, text) == text


@pytest.mark.parametrize("token, code", [
    ("Shutdown(ctx", True), ("main()", True), ("SECRET_KEY", True), ("valueFrom", True),
    ("fmt::Result", True), ("s.http.Shutdown(ctx)", True),
    ("Alice", False), ("(Alice)", False), ("McDonald", False), ("BlackRock", False), ("eBay", False),
    ("Collection(Guangzhou)", False),                     # a place in brackets, not a call
    ("_mongodb._tcp.admass-tests.vyc4g.mongodb.net", False), ('{"Sid":"cc6a2651-f67d"}', False),
])
def test_code_tokens_carry_no_name_and_no_value(token: str, code: bool) -> None:
    assert is_code_token(token) is code


def test_a_mask_drops_the_code_around_a_name() -> None:
    text = "value = build(ctx) Alice Johnson"
    assert tighten(text, text.index("build"), len(text), frozenset()) == (text.index("Alice"), len(text))
    text = "fmt::Result SECRET_KEY"
    assert tighten(text, 0, len(text), frozenset()) is None


def test_lines_of_code_logs_and_configs_are_code_and_prose_is_not() -> None:
    assert is_code_line("func (s *Server) Shutdown(ctx context.Context) error {")
    assert is_code_line("2024-05-14 09:20:11,482 INFO  [main] o.s.b.w.e.tomcat.TomcatWebServer - started")
    assert is_code_line("kind: ConfigMap") and is_code_line("curl -X GET https://api.example.com/v1")
    assert not is_code_line("My friend Alice Johnson lives in Paris.")
    assert not is_code_line("I'm Anna's sister: can you help?")
    paste = ("Why does this fail?\nERROR: could not apply 7be04d2\n2024-05-14 09:20:11,482 WARN retrying\n"
             "PasswordResetService failed")
    starts = code_lines(paste)
    assert 0 not in starts and len(starts) == 3


@pytest.mark.parametrize("text, kept", [
    ("class SessionsController < ApplicationController\n  def create\n  end\nend", []),
    ("Traceback (most recent call last):\n  File \"app.py\", line 12, in <module>\n    main()\nKeyError: 'SECRET_KEY'", []),
    ('const user = { name: "Priya Raman", city: "Leeds" };', ["Priya Raman"]),
    ("# TODO ask Maria Gonzalez about the invoice\ndef pay(x):\n    return x", ["Maria Gonzalez"]),
    ("My colleague Tom Becker wrote this:\nclass InvoiceService:\n    pass", ["Tom Becker"]),
    ("Hi, I am Laura Chen from Acme Logistics. My script fails:\nimport pandas as pd\n"
     "df = pd.read_csv(\"orders.csv\")\nprint(df.head())", ["Laura Chen", "Acme Logistics"]),
    ("my manager Dana Whitfield wants this fixed by friday\n```\nSELECT * FROM orders WHERE id = 5;\n```",
     ["Dana Whitfield"]),
])
def test_names_in_code_sit_in_strings_comments_and_the_prose_around(router: PrivacyRouter, text: str,
                                                                    kept: list[str]) -> None:
    out = cloud_text(router, text)
    assert all(name not in out for name in kept)
    if not kept:
        assert out == text
