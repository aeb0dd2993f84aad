"""MaskVault: stable placeholders per conversation, isolation, tolerant restore."""
from __future__ import annotations

import threading

import pytest

from ptmo_middleware import SensitivityLevel, Span
from ptmo_middleware.vault import MaskVault, VaultRegistry


@pytest.fixture
def vault():
    v = MaskVault("c1")
    v.placeholder_for("John Smith", "PERSON")
    v.placeholder_for("Ann", "PERSON")
    v.placeholder_for("a@b.example", "EMAIL_ADDRESS")
    return v


def test_same_value_same_placeholder():
    v = MaskVault()
    assert v.placeholder_for("John Smith", "PERSON") == "[PERSON_1]"
    assert v.placeholder_for("john  smith", "person") == "[PERSON_1]"  # case and spacing
    assert v.placeholder_for("Ann", "PERSON") == "[PERSON_2]"
    assert v.placeholder_for("John Smith", "PERSON") == "[PERSON_1]"
    assert v.placeholder_for("a@b.example", "email address") == "[EMAIL_ADDRESS_1]"
    assert len(v) == 3
    assert v.mapping == {"[PERSON_1]": "John Smith", "[PERSON_2]": "Ann", "[EMAIL_ADDRESS_1]": "a@b.example"}


def test_odd_entity_types_make_clean_labels():
    v = MaskVault()
    assert v.placeholder_for("x", "api-key/v2") == "[API_KEY_V2_1]"
    assert v.placeholder_for("y", "???") == "[ENTITY_1]"


def test_mask_replaces_maskable_spans_only():
    v = MaskVault()
    text = "Mail John at j@x.io about the diagnosis."
    spans = [Span(5, 9, "PERSON", SensitivityLevel.SEMI_SENSITIVE, 0.9, "t"),
             Span(13, 19, "EMAIL_ADDRESS", SensitivityLevel.SEMI_SENSITIVE, 0.9, "t"),
             Span(0, len(text), "HEALTH", SensitivityLevel.SEMI_SENSITIVE, 0.9, "t", maskable=False)]
    assert v.mask(text, spans) == "Mail [PERSON_1] at [EMAIL_ADDRESS_1] about the diagnosis."
    assert v.restore(v.mask(text, spans)) == text


def test_conversations_are_isolated():
    reg = VaultRegistry()
    a, b = reg.get("alice"), reg.get("bob")
    assert a is not b and reg.get("alice") is a
    a.placeholder_for("Secret Person", "PERSON")
    assert b.placeholder_for("Other Person", "PERSON") == "[PERSON_1]"
    assert b.restore("[PERSON_1]") == "Other Person"
    assert a.restore("[PERSON_1]") == "Secret Person"
    assert b.known_values() == [("Other Person", "PERSON")]


def test_registry_is_bounded_and_drops():
    reg = VaultRegistry(max_conversations=2)
    first = reg.get("1")
    reg.get("2")
    reg.get("1")  # most recently used
    reg.get("3")
    assert len(reg) == 2 and reg.get("1") is first
    reg.drop("1")
    assert reg.get("1") is not first


@pytest.mark.parametrize("variant, expected", [
    ("[PERSON_1]", "John Smith"),
    ("[person_1]", "John Smith"),
    ("[PERSON 1]", "John Smith"),
    ("[PERSON-1]", "John Smith"),
    ("(PERSON_1)", "John Smith"),
    ("{PERSON_1}", "John Smith"),
    ("<Person_2>", "Ann"),
    ("[ PERSON_1 ]", "John Smith"),
    ("PERSON_1", "John Smith"),
    ("**[PERSON_1]**", "**John Smith**"),
    ("[EMAIL ADDRESS 1]", "a@b.example"),
    ("Hi [PERSON_1], meet [PERSON_2]!", "Hi John Smith, meet Ann!"),
    ("[PERSON_1]'s car.", "John Smith's car."),
])
def test_restore_tolerates_case_spacing_and_brackets(vault, variant, expected):
    assert vault.restore(variant) == expected


@pytest.mark.parametrize("text", ["[PERSON_9]", "XPERSON_1", "PERSON_12", "no placeholders", ""])
def test_restore_leaves_unknown_text_alone(vault, text):
    assert vault.restore(text) == text


def test_restore_on_an_empty_vault_is_identity():
    assert MaskVault().restore("[PERSON_1] said hi") == "[PERSON_1] said hi"


@pytest.mark.parametrize("text, expected", [
    ("Contact PERSON_1 today", "Contact John Smith today"),
    ("(ask PERSON_1)", "(ask John Smith)"),
])
def test_restore_keeps_surrounding_text(vault, text, expected):
    assert vault.restore(text) == expected


def test_placeholders_are_consistent_across_threads():
    v = MaskVault()
    values = [f"user{i}" for i in range(50)]
    results: list[dict[str, str]] = []

    def work():
        results.append({val: v.placeholder_for(val, "USERNAME") for val in values})

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == results[0] for r in results)
    assert sorted(results[0].values()) == sorted(f"[USERNAME_{i}]" for i in range(1, 51))
