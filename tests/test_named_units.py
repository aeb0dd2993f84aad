"""People and companies named by the structure or the words around them: chat speakers and
person-name keys (rules), titles, legal forms, relations and addressing words (ml
candidates, judged), and the public texts they must leave alone."""
from __future__ import annotations

import pytest

from ptmo_middleware import PrivacyRouter
from ptmo_middleware.config import Settings
from ptmo_middleware.plugins.classifiers.cued_units import cued_units
from ptmo_middleware.plugins.classifiers.rules import RulesClassifier
from ptmo_middleware.plugins.classifiers.word_stats import lexicon


@pytest.fixture(scope="module")
def rules() -> RulesClassifier:
    return RulesClassifier(Settings())


@pytest.fixture(scope="module")
def router() -> PrivacyRouter:
    return PrivacyRouter()


def people(rules: RulesClassifier, text: str) -> list[str]:
    return [s.text for s in rules.classify(text) if s.entity_type == "PERSON"]


def cued(text: str) -> list[tuple[str, str]]:
    lex = lexicon()
    return [(text[a:b], t) for a, b, t in cued_units(text, lex.names, lex.en)]


def sent(router: PrivacyRouter, text: str) -> str:
    plan = router.plan(text)
    return "\n".join(m.content for m in plan.cloud_messages)


def test_chat_speakers_are_people_but_not_me_or_the_assistant(rules: RulesClassifier) -> None:
    chat = "Summarise this chat:\nHenry: are you coming?\nme: yes\nKayla: text me when you're outside"
    assert people(rules, chat) == ["Henry", "Kayla"]
    support = "User: my order is late\nAssistant: sorry to hear that\nUser: it was due Monday"
    assert people(rules, support) == []
    timestamps = "[09:14] Priya: build is red again\n[09:15] Tomasz: looking"
    assert people(rules, timestamps) == ["Priya", "Tomasz"]


def test_a_date_in_parentheses_after_a_name_is_a_birth_date(rules: RulesClassifier) -> None:
    hits = {(s.entity_type, s.text) for s in rules.classify("My son Jeremy (1971-05-18) has asthma.")}
    assert ("DATE_OF_BIRTH", "1971-05-18") in hits
    assert not rules.classify("Release (2024-01-05) fixed the login bug.")


def test_discord_and_irc_speakers(rules: RulesClassifier) -> None:
    discord = "Graeme - Today at 8:02 PM\nanyone up for tennis?\nSara - Today at 8:05 PM\nme, if it's dry"
    assert people(rules, discord) == ["Graeme", "Sara"]
    assert people(rules, "<Brenda> who broke the build\n<Alex> not me") == ["Brenda", "Alex"]


def test_address_labels_and_sql_rows(rules: RulesClassifier) -> None:
    card = "Nombre: Rosa María de Antón\nDirección: Acceso Bibiana Céspedes 594 Piso 3, Soria, 03722"
    hits = {(s.entity_type, s.text) for s in rules.classify(card)}
    assert ("PERSON", "Rosa María de Antón") in hits
    assert ("ADDRESS", "Acceso Bibiana Céspedes 594 Piso 3, Soria, 03722") in hits
    sql = "INSERT INTO customers (id, name, phone, city) VALUES (7, 'Russell Hughes', '090-1238-1453', 'Leeds');"
    hits = {(s.entity_type, s.text) for s in rules.classify(sql)}
    assert {("PERSON", "Russell Hughes"), ("PHONE_NUMBER", "090-1238-1453"), ("LOCATION", "Leeds")} <= hits
    assert not rules.classify("INSERT INTO jobs (name, status) VALUES ('nightly', 'done');")
    assert not rules.classify("Address: see the header of the letter")


def test_field_labels_are_no_speakers(rules: RulesClassifier) -> None:
    assert people(rules, "Mobile: +44 7700 900123\nEmail: a@b.org\nNote: call after six") == []
    assert people(rules, "Q: what is 2+2?\nA: 4") == []
    assert people(rules, "Intro: welcome everyone\nOutro: thanks for listening") == []
    assert people(rules, "Henry: one line alone is no transcript") == []


@pytest.mark.parametrize("text, name", [
    ('user = User(name="Christopher Mckee", email="c@example.org")', "Christopher Mckee"),
    ('{"id": 7, "full_name": "Ana Ruiz Ortega"}', "Ana Ruiz Ortega"),
    ("customer_name: Jonas Becker\nplan: gold", "Jonas Becker"),
    ("GET /api?first_name=Jonas&city=Bonn", "Jonas"),
    ("INSERT INTO staff (name) VALUES ('x'); -- contact_name = 'Maria Lopez'", "Maria Lopez"),
])
def test_values_bound_to_person_keys(rules: RulesClassifier, text: str, name: str) -> None:
    assert name in people(rules, text)


@pytest.mark.parametrize("text", [
    "name: Build and test\non: push",
    'setup(name="ptmo-middleware", version="1.0")',
    'job = Job(name="Nightly Export")',
    '{"name": "users", "type": "table"}',
    "first_name = request.args.get('first_name')",
])
def test_names_of_jobs_packages_and_tables_are_no_people(rules: RulesClassifier, text: str) -> None:
    assert people(rules, text) == []


def test_titles_legal_forms_relations_and_addressing_words_announce_units() -> None:
    text = "Schreib eine Mail an Dipl.-Ing. Hans-Erich Otto von Junken Stiftung & Co. KG: ich komme später"
    assert cued(text) == [("Hans-Erich Otto", "PERSON"), ("Junken Stiftung & Co. KG", "ORGANIZATION")]
    assert cued("Escribe un correo a Pili Becerra de Logística Palomares S.L.N.E para pedirle") == [
        ("Pili Becerra", "PERSON"), ("Logística Palomares S.L.N.E", "ORGANIZATION")]
    assert cued("my friend ian manning lives in port mohamedburgh") == [
        ("ian manning", "PERSON"), ("port mohamedburgh", "LOCATION")]
    assert cued("Schreib eine Mail an Gitte Aumann-Pieper: ich komme später") == [("Gitte Aumann-Pieper", "PERSON")]
    assert cued("yes, I'll bring irene too") == [("irene", "PERSON")]
    assert cued("went hiking with lucas and jennifer near ericksonside") == [
        ("lucas", "PERSON"), ("jennifer", "PERSON"), ("ericksonside", "LOCATION")]
    assert cued("meine freundin karl-dieter gröttner zieht nach Amberg") == [
        ("karl-dieter gröttner", "PERSON"), ("Amberg", "LOCATION")]
    assert cued("photographe à Sainte Nath, passionné de vélo") == [("Sainte Nath", "LOCATION")]
    assert cued("administrativa en Talleres Molina y asociados S.A. desde 2015") == [
        ("Talleres Molina y asociados S.A.", "ORGANIZATION")]
    assert cued("mon coloc julien grenier part vivre") == [("julien grenier", "PERSON")]
    assert cued("my sister will call me and I'll ask mark later") == [("mark", "PERSON")]  # "will": a word


@pytest.mark.parametrize("text, value", [
    ("Schreib eine kurze Mail an Anette Fliegner von Hoffmann OHG: ich komme später.", "Anette Fliegner"),
    ("Schreib eine kurze Mail an Anette Fliegner von Hoffmann OHG: ich komme später.", "Hoffmann OHG"),
    ("my friend gerard murphy lives in leeds and wants to study nursing", "gerard murphy"),
    ("Summarise this chat:\nLouis: can you call me?\nme: yes, after work", "Louis"),
    ('Why does this fail?\nuser = User(name="Holly Best", phone="+44 7700 900123")', "Holly Best"),
])
def test_the_router_masks_them(router: PrivacyRouter, text: str, value: str) -> None:
    assert value not in sent(router, text)


@pytest.mark.parametrize("text", [
    "What was Volkswagen AG's revenue in 2023?",
    "Is Apple Inc. a good long-term investment?",
    "Who founded Siemens AG?",
    "Explain how to write a letter to my landlord.",
    "Was hat Herr Scholz als Kanzler erreicht?",
])
def test_public_questions_with_titles_and_legal_forms_leave_unchanged(router: PrivacyRouter, text: str) -> None:
    assert sent(router, text) == text
