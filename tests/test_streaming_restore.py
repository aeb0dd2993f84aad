"""Streaming restore: a placeholder split at any chunk boundary is restored, never shown
half-masked, and the stream holds back no more than a placeholder's length."""
from __future__ import annotations

import itertools

import pytest

from ptmo_middleware.vault import MaskVault


@pytest.fixture
def vault() -> MaskVault:
    v = MaskVault("stream")
    v.placeholder_for("John Smith", "PERSON")
    v.placeholder_for("jane@example.org", "EMAIL_ADDRESS")
    for i in range(11):  # PERSON_2 .. PERSON_12: two-digit numbers exist
        v.placeholder_for(f"Ann Lee {i}", "PERSON")
    return v


#: The exact placeholder and the variants a model may write instead.
VARIANTS = ["[PERSON_1]", "[person_1]", "PERSON_1", "Person 1", "(PERSON-1)", "{PERSON_1}",
            "<person_1>", "[ PERSON_1 ]", "**PERSON_1**", "[EMAIL_ADDRESS_1]", "email address 1",
            "[Email-Address_1]", "[PERSON_12]", "PERSON_12"]


def _texts(vault: MaskVault) -> list[str]:
    out = []
    for v in VARIANTS:
        out += [f"Dear {v}, thanks.", v, f"{v}{v}", f"x{v}", f"({v}) and {v}."]
    return out


def _stream(vault: MaskVault, chunks: list[str]) -> tuple[list[str], int]:
    """Outputs of a restorer fed ``chunks``, and the most it ever held back."""
    restorer = vault.stream_restorer()
    outs, most = [], 0
    for c in chunks:
        outs.append(restorer.feed(c))
        most = max(most, restorer.held)
    outs.append(restorer.flush())
    return outs, most


def test_every_variant_is_restored_in_one_piece(vault):
    for v in VARIANTS:
        restored = vault.restore(f"Dear {v}, thanks.")
        assert restored in ("Dear John Smith, thanks.", "Dear **John Smith**, thanks.",
                            "Dear jane@example.org, thanks.", "Dear Ann Lee 10, thanks."), (v, restored)


def test_split_at_every_boundary_equals_whole_restore(vault):
    for text in _texts(vault):
        expected = vault.restore(text)
        for i in range(len(text) + 1):
            outs, most = _stream(vault, [text[:i], text[i:]])
            assert "".join(outs) == expected, (text, i, outs)
            assert most <= vault.max_placeholder_len


def test_split_at_every_pair_of_boundaries(vault):
    for text in ["Hi [PERSON_1], mail [ email address 1 ] now", "(Person-12) x PERSON_1."]:
        expected = vault.restore(text)
        for i, j in itertools.combinations(range(len(text) + 1), 2):
            outs, _ = _stream(vault, [text[:i], text[i:j], text[j:]])
            assert "".join(outs) == expected, (text, i, j, outs)


def test_char_by_char_never_shows_a_partial_placeholder(vault):
    text = "Ask [PERSON_1] or PERSON_12 about [email_address_1]."
    outs, most = _stream(vault, list(text))
    assert "".join(outs) == "Ask John Smith or Ann Lee 10 about jane@example.org."
    for piece in outs:  # nothing masked was ever released, not even a fragment of a label
        assert "PERSON" not in piece.upper() and "EMAIL" not in piece.upper()
    assert most <= vault.max_placeholder_len == len("[EMAIL_ADDRESS_1]") + 2


def test_plain_text_is_released_at_once(vault):
    outs, most = _stream(vault, ["The capital ", "of France ", "is Paris."])
    assert outs[:3] == ["The capital ", "of France ", "is Paris."]
    assert most == 0


def test_hold_is_bounded_and_only_while_a_placeholder_could_follow(vault):
    restorer = vault.stream_restorer()
    assert restorer.feed("Dear PERS") == "Dear "
    assert restorer.held == len("PERS")
    assert restorer.feed("ian wine") == "PERSian wine"  # not a placeholder after all
    assert restorer.feed(" [") == " "
    assert restorer.feed("PERSON_1]!") == "John Smith!"


def test_surrounding_text_and_unknown_numbers_are_kept(vault):
    assert vault.restore("(ask PERSON_1)") == "(ask John Smith)"
    assert vault.restore("see [PERSON_99] and xPERSON_1") == "see [PERSON_99] and xPERSON_1"
    outs, _ = _stream(vault, list("see [PERSON_99] and xPERSON_1"))
    assert "".join(outs) == "see [PERSON_99] and xPERSON_1"


def test_empty_vault_streams_through():
    v = MaskVault()
    assert list(v.restore_stream(["[PERSON_1]", " hi"])) == ["[PERSON_1]", " hi"]


def test_text_that_looks_like_a_placeholder_is_never_rewritten():
    v = MaskVault()
    from ptmo_middleware.types import SensitivityLevel, Span

    text = "Alice met person 1 and [PERSON_2] today"
    masked = v.mask(text, [Span(0, 5, "PERSON", SensitivityLevel.PRIVATE, 1.0, "test", "Alice")])
    assert masked == "[PERSON_3] met person 1 and [PERSON_2] today"  # numbers 1 and 2 were taken
    assert v.restore(masked) == text
    assert "".join(v.restore_stream(list(masked))) == text
