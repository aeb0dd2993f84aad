"""Property tests: whatever the prompt, history or policy, nothing PRIVATE
reaches a cloud payload; plan() never raises on arbitrary unicode; masking round-trips.

Secrets are generated with the adversarial corpus's own value makers (valid checksums),
in their ordinary spelling: obfuscated spellings are measured by the adversarial
benchmark, not asserted here.
"""
from __future__ import annotations

import base64
import importlib.util
import itertools
import random
from pathlib import Path

import pytest
from faker import Faker
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ptmo_middleware import PrivacyRouter, hookimpl
from ptmo_middleware.components import RouteRequest
from ptmo_middleware.errors import InvalidPromptError
from ptmo_lab.evaluation.adversarial import survives
from ptmo_middleware.types import Route, SensitivityLevel, Span
from ptmo_middleware.vault import MaskVault

_spec = importlib.util.spec_from_file_location("adversarial_generate",
                                               Path(__file__).parent / "adversarial" / "generate.py")
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)  # type: ignore[union-attr]

#: Default tier: a fixed (derandomized) sample, so a red run means a regression.
PROPERTY = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
#: Slow tier: a fresh random search each run, to find what the fixed sample misses.
HUNT = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Every PRIVATE kind the rules detect, as a person would write it (lead words, value).
PRIVATE_KINDS = {
    "CREDIT_CARD": (lambda r: gen.card_formatted(r, r.choice([" ", "-", ""])), ["card number", "my Visa is", "card:"]),
    "US_SSN": (lambda r: gen.ssn(r, "-"), ["my SSN is", "social security number", "SSN:"]),
    "IBAN_CODE": (gen.iban, ["my IBAN is", "IBAN", "send it to"]),
    "API_KEY": (gen.api_key, ["my API key is", "key:", "use"]),
    "PASSWORD": (gen.password, ["my password is", "password:", "the login password is"]),
    "JWT": (gen.jwt, ["Authorization: Bearer", "session token:", "my JWT is"]),
    "CONNECTION_STRING": (lambda r: f"postgres://admin:{gen.password(r)}@db.internal:5432/prod",
                          ["connect with", "DSN:", "the database URL is"]),
    "PRIVATE_KEY": (lambda r: "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(
        base64.b64encode(r.randbytes(48)).decode() for _ in range(3)) + "\n-----END RSA PRIVATE KEY-----",
        ["my deploy key:", "key file:"]),
    **{f"GOV_ID_{locale}": (lambda r, locale=locale: _fake(locale, r), [lead])
       for locale, lead in [("fr_FR", "numéro de sécurité sociale"), ("es_ES", "mi DNI es"),
                            ("it_IT", "codice fiscale"), ("pt_BR", "meu CPF é"), ("nl_NL", "mijn BSN is")]},
}
_FAKERS: dict[str, Faker] = {}


def _fake(locale: str, rng: random.Random) -> str:
    """A national ID of ``locale`` (valid check digits), seeded from ``rng``."""
    fake = _FAKERS.setdefault(locale, Faker(locale))
    fake.seed_instance(rng.getrandbits(32))
    return getattr(fake, {"es_ES": "nif", "pt_BR": "cpf"}.get(locale, "ssn"))()
#: Digit-free filler in several scripts, so that no filler can look like a planted value.
FILLER = [
    "Can you explain how caching works?", "Please keep the answer short.", "Thanks a lot!",
    "Wie funktioniert das genau?", "Merci de répondre en français.", "¿Puedes ayudarme con esto?",
    "请用中文回答。", "Спасибо за помощь.", "شكرا جزيلا لك.", "कृपया मदद करें।", "よろしくお願いします。",
    "Write a haiku about the sea.", "I need this for work tomorrow.",
]


def _secret(kind: str) -> st.SearchDecomposer[tuple[str, str, str]]:
    make, leads = PRIVATE_KINDS[kind]
    return st.tuples(st.just(kind), st.randoms(use_true_random=True).map(make), st.sampled_from(leads))


secrets = st.sampled_from(sorted(PRIVATE_KINDS)).flatmap(_secret)
filler = st.one_of(st.sampled_from(FILLER),
                   st.text(st.characters(categories=["L", "Zs"]), min_size=1, max_size=30))


@st.composite
def message_with_secrets(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A message: secrets (with their lead words) and filler, shuffled, and the values."""
    planted = draw(st.lists(secrets, min_size=1, max_size=3))
    pieces = [f"{lead} {value}" + draw(st.sampled_from([".", ",", "", " !"])) for _, value, lead in planted]
    pieces += draw(st.lists(filler, max_size=4))
    pieces = draw(st.permutations(pieces))
    joiner = draw(st.sampled_from([" ", "\n", " \n\n", " - "]))
    return joiner.join(pieces), [value for _, value, _ in planted]


@st.composite
def conversations(draw: st.DrawFn) -> tuple[list[dict[str, str]], list[str]]:
    """1-4 turns; any turn may hold secrets, assistant turns may echo earlier ones."""
    messages: list[dict[str, str]] = []
    planted: list[str] = []
    for turn in range(draw(st.integers(1, 4))):
        role = "user" if turn % 2 == 0 else "assistant"
        if role == "assistant" and planted and draw(st.booleans()):
            messages.append({"role": role, "content": f"Noted, {draw(st.sampled_from(planted))} is saved."})
            continue
        if draw(st.booleans()) or turn == 0:
            text, values = draw(message_with_secrets())
            planted += values
        else:
            text = draw(filler)
        messages.append({"role": role, "content": text})
    if planted and draw(st.booleans()):  # named bare, before the turn that says what it is
        messages.insert(0, {"role": "user", "content": f"Remember {draw(st.sampled_from(planted))} for later."})
    if planted and draw(st.booleans()):  # and asked about again, bare, at the end
        messages.append({"role": "user", "content": f"Is {draw(st.sampled_from(planted))} still valid?"})
    if messages[-1]["role"] != "user" or not messages[-1]["content"].strip():
        messages.append({"role": "user", "content": draw(st.sampled_from(FILLER))})
    return messages, planted


class HostilePolicy:
    """Always asks for the raw cloud, and tries to blind the shield: undoes the masking
    of every part and deletes the spans it is shown."""

    name = "hostile"

    def __init__(self, settings: object = None) -> None:
        self.settings = settings

    def route(self, parts: list, request: RouteRequest) -> list[Route]:
        for p in parts:
            p.masked_text = p.text
            p.spans.clear()
        request.classification.spans.clear()
        return [Route.CLOUD] * len(parts)


class _HostilePlugin:
    @hookimpl
    def register_router_policies(self, register):
        register(HostilePolicy)


@pytest.fixture(scope="module")
def router():
    from ptmo_middleware.plugin_manager import load_plugins, pm

    load_plugins()
    pm.register(_HostilePlugin(), name="test-property-hostile")
    try:
        yield PrivacyRouter(classifiers=["rules"])
    finally:
        pm.unregister(name="test-property-hostile")


_ids = itertools.count()


def _plan(router: PrivacyRouter, prompt, **kw):
    cid = f"prop-{next(_ids)}"
    try:
        return router.plan(prompt, conversation_id=cid, **kw)
    finally:
        router.vaults.drop(cid)


POLICIES = st.sampled_from(["threshold", "cloud-only", "hostile", "masked-only"])
STRATEGIES = st.sampled_from(["auto", "entity", "sentence", "clause"])


def _assert_nothing_private_leaves(router: PrivacyRouter, conv, policy: str, decomposer: str) -> None:
    messages, planted = conv
    plan = _plan(router, messages, policy=policy, decomposer=decomposer)
    payloads = plan.cloud_payloads
    leaked = [v for v in planted if survives(v, payloads)]
    assert not leaked, (leaked, payloads)
    for span in plan.spans:  # and every span the plan itself calls PRIVATE
        if span.level >= SensitivityLevel.PRIVATE and span.text.strip():
            assert all(span.text.strip() not in p for p in payloads)


@PROPERTY
@given(conv=conversations(), policy=POLICIES, decomposer=STRATEGIES)
def test_no_private_value_reaches_the_cloud(router, conv, policy, decomposer) -> None:
    _assert_nothing_private_leaves(router, conv, policy, decomposer)


# found by the hunt below: a password starting with "$" or "%" was taken for a template variable
@pytest.mark.parametrize("value", ["$dYEVw2ohfNnIH", "%dYEVw2oh"])
def test_password_starting_like_a_template_variable(router, value: str) -> None:
    _assert_nothing_private_leaves(router, ([{"role": "user", "content": f"my password is {value}."}], [value]),
                                   "threshold", "auto")


# found by the hunt: a rejected IBAN candidate inside the key ("OA94...") consumed the real IBAN's start
def test_iban_after_a_key(router) -> None:
    iban = "GB70 YNBI 8764 7593 8242 19"
    text = f"key AIza1fH_ZM9TBrKrmGsNmjQ8mT3OA94HhblZa-Q send it to {iban}."
    _assert_nothing_private_leaves(router, ([{"role": "user", "content": text}], [iban]), "threshold", "auto")


@pytest.mark.slow
@HUNT
@given(conv=conversations(), policy=POLICIES, decomposer=STRATEGIES)
def test_no_private_value_reaches_the_cloud_hunt(router, conv, policy, decomposer) -> None:
    _assert_nothing_private_leaves(router, conv, policy, decomposer)


@PROPERTY
@given(prompt=st.one_of(st.text(), st.text(st.characters(exclude_categories=[]), max_size=200)),
       history=st.lists(st.text(max_size=80), max_size=3),
       policy=st.sampled_from(["threshold", "cloud-only", "hostile", "local-only"]))
def test_plan_never_raises_on_arbitrary_unicode(router, prompt, history, policy) -> None:
    messages = [{"role": "user" if i % 2 == 0 else "assistant", "content": h} for i, h in enumerate(history)]
    messages.append({"role": "user", "content": prompt})
    try:
        plan = _plan(router, messages, policy=policy)
    except InvalidPromptError:
        assert not prompt.strip()  # the only refusal: an empty prompt
        return
    assert plan.route in (Route.LOCAL, Route.CLOUD, Route.HYBRID)
    plan.to_dict()  # serialisable, whatever the characters
    plan.payload_hash()


#: Text a user may type that looks like a placeholder, or like the edge of one.
TRICKY = ["[PERSON_1]", "person 1", "(EMAIL_2)", "PASSWORD-1", "**x**", "[", "]", "<", "_1", "{}"]


@st.composite
def text_and_spans(draw: st.DrawFn, tricky: bool = False) -> tuple[str, list[Span]]:
    """A text of random pieces, some of them marked as spans of random types."""
    plain = st.text(st.characters(exclude_characters="[](){}<>*_"), min_size=1, max_size=12)
    piece = st.one_of(plain, st.sampled_from(TRICKY)) if tricky else plain
    pieces = draw(st.lists(st.tuples(piece, st.sampled_from([None, "PERSON", "EMAIL_ADDRESS", "PASSWORD", "API_KEY"])),
                           min_size=1, max_size=10))
    text, spans = "", []
    for value, etype in pieces:
        start = len(text)
        text += value
        if etype and value.strip():
            spans.append(Span(start, len(text), etype, SensitivityLevel.PRIVATE, 1.0, "test", value))
        text += draw(st.sampled_from([" ", ", ", "\n", " and "]))
    return text, spans


def _round_trip(text: str, spans: list[Span]) -> None:
    vault = MaskVault("round-trip")
    masked = vault.mask(text, spans)
    assert vault.restore(masked) == text
    cuts = sorted(random.Random(len(text)).sample(range(1, len(masked)), k=min(4, max(0, len(masked) - 1))))
    cuts = [0, *cuts, len(masked)]
    assert "".join(vault.restore_stream(masked[a:b] for a, b in zip(cuts, cuts[1:]))) == text


@PROPERTY
@given(data=text_and_spans())
def test_masking_then_restoring_round_trips(data) -> None:
    _round_trip(*data)


_ALICE = Span(0, 5, "PERSON", SensitivityLevel.PRIVATE, 1.0, "test", "Alice")


@PROPERTY
@example(data=("Alice met person 1 today", [_ALICE]))
@given(data=text_and_spans(tricky=True))
def test_round_trip_with_placeholder_like_text(data) -> None:
    _round_trip(*data)


@PROPERTY
@given(msg=message_with_secrets(), decomposer=st.sampled_from(["entity", "sentence", "clause"]))
def test_planned_parts_restore_to_the_prompt(router, msg, decomposer) -> None:
    text, _ = msg
    cid = f"prop-{next(_ids)}"
    try:
        plan = router.plan(text, conversation_id=cid, decomposer=decomposer)
        vault = router.vault(cid)
        for part in plan.parts:
            assert vault.restore(part.masked_text) == part.text
    finally:
        router.vaults.drop(cid)
