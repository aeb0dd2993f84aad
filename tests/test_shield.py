"""Invariant 1 under a hostile policy: no PRIVATE span text in any cloud payload."""
from __future__ import annotations

import re

import pytest

from ptmo_middleware import PrivacyRouter, Route, SensitivityLevel, Span, hookimpl
from ptmo_middleware.errors import PluginError
from ptmo_middleware.shield import apply_shield
from ptmo_middleware.types import Part

PRIVATE, SEMI = SensitivityLevel.PRIVATE, SensitivityLevel.SEMI_SENSITIVE
STRATEGIES = ("sentence", "clause", "entity", "auto")


class Secrets:
    """Test classifier: 'KEY-<word>' is a PRIVATE maskable secret, 'NAME-<word>' a SEMI
    name, and a sentence with 'diagnosed' is a PRIVATE topic that no placeholder can hide.
    Spans deliberately include the white space around the value."""

    name = "test-secrets"
    inline = True

    def __init__(self, settings):
        self.settings = settings

    def classify(self, text, context):
        out = [Span(m.start(), m.end(), "API_KEY", PRIVATE, 0.99, self.name)
               for m in re.finditer(r"\s?KEY-\w+\s?", text)]
        out += [Span(m.start(), m.end(), "PERSON", SEMI, 0.8, self.name) for m in re.finditer(r"NAME-\w+", text)]
        out += [Span(m.start(), m.end(), "HEALTH", PRIVATE, 0.9, self.name, maskable=False)
                for m in re.finditer(r"[^.?!]*diagnosed[^.?!]*[.?!]?", text)]
        return out


class AlwaysCloud:
    name = "hostile-cloud"

    def __init__(self, settings):
        self.settings = settings

    def route(self, parts, request):
        return [Route.CLOUD] * len(parts)


class AlwaysHybrid(AlwaysCloud):
    name = "hostile-hybrid"

    def route(self, parts, request):
        return ["hybrid"] * len(parts)


class Garbage(AlwaysCloud):
    name = "garbage"

    def route(self, parts, request):
        return ["everywhere"] * len(parts)


class Raises(AlwaysCloud):
    name = "raises"

    def route(self, parts, request):
        raise RuntimeError("policy crashed")


class TooFew(AlwaysCloud):
    name = "too-few"

    def route(self, parts, request):
        return [Route.CLOUD]


class Hostile:
    @hookimpl
    def register_classifiers(self, register):
        register(Secrets)

    @hookimpl
    def register_router_policies(self, register):
        register(AlwaysCloud)
        register(AlwaysHybrid)
        register(Garbage)
        register(Raises)
        register(TooFew)


@pytest.fixture
def router(register_plugin):
    register_plugin(Hostile(), "hostile")
    return PrivacyRouter(classifiers=["rules", "test-secrets"], policy="hostile-cloud")


PROMPTS = [
    "Use KEY-abc123 to call the API. What is a REST API?",
    "KEY-zzz999\nis what NAME-bob gave me. Is it valid?",
    "My password is hunter22. Then KEY-q1w2e3 again, KEY-q1w2e3! Thanks NAME-ann.",
    "I was diagnosed with flu by NAME-carl. What is Python?",
    "Everything KEY-k1, and diagnosed too; but also a question, because why not? Yes.",
    "The end has the key KEY-last ",
]


#: Ground truth of the PROMPTS' PRIVATE content, independent of what the plan detected.
PRIVATE_TEXT = re.compile(r"KEY-\w+|hunter22|diagnosed")


@pytest.mark.parametrize("decomposer", STRATEGIES)
@pytest.mark.parametrize("policy", ["hostile-cloud", "hostile-hybrid", "cloud-only", "threshold"])
@pytest.mark.parametrize("prompt", PROMPTS)
def test_no_private_span_leaves(router, prompt, decomposer, policy):
    plan = router.plan(prompt, decomposer=decomposer, policy=policy)
    for payload in plan.cloud_payloads:
        assert not PRIVATE_TEXT.search(payload), payload
    assert plan.level is PRIVATE


def test_unmaskable_private_part_stays_local(router):
    plan = router.plan("I was diagnosed with flu. What is Python?", decomposer="sentence")
    assert [p.route for p in plan.parts] == [Route.LOCAL, Route.CLOUD]
    assert plan.cloud_payloads == ["What is Python?"]
    assert plan.route is Route.HYBRID
    assert any("cannot be masked" in n for n in plan.notes)


def test_unmaskable_private_in_one_part_keeps_everything_local(router):
    plan = router.plan("I was diagnosed with flu, what is Python?", decomposer="entity")
    assert plan.cloud_payloads == [] and plan.route is Route.LOCAL


def test_private_spans_masked_when_policy_asks_raw_cloud(router):
    plan = router.plan("Use KEY-abc123 here. What is REST?", decomposer="entity")
    assert plan.cloud_payloads == ["Use [API_KEY_1] here. What is REST?"]
    assert plan.route is Route.HYBRID
    assert any("masked (policy asked raw cloud)" in n for n in plan.notes)


def test_semi_sensitive_may_go_raw_when_the_policy_says_so(router):
    plan = router.plan("Say hi to NAME-bob.", decomposer="entity")
    assert plan.cloud_payloads == ["Say hi to NAME-bob."] and plan.route is Route.CLOUD


def test_span_with_surrounding_white_space_is_still_masked(router):
    plan = router.plan("The end has the key KEY-last ", decomposer="sentence")
    assert plan.cloud_payloads == ["The end has the key [API_KEY_1]"]


def test_policy_returning_garbage_is_a_plugin_error(router):
    with pytest.raises(PluginError, match="not a Route"):
        router.plan("hello there", policy="garbage")


def test_history_with_unmaskable_private_is_left_out(router):
    messages = [{"role": "user", "content": "I was diagnosed with flu."},
                {"role": "assistant", "content": "Sorry to hear, NAME-dan."},
                {"role": "user", "content": "What is Python?"}]
    plan = router.plan(messages)
    assert [m.content for m in plan.cloud_messages] == ["Sorry to hear, [PERSON_1].", "What is Python?"]
    assert plan.route is Route.HYBRID


def test_final_check_keeps_a_part_local_when_masking_missed_a_value():
    """A decomposer that forgets to mask: the shield's last check still catches it."""
    secret = Span(0, 6, "API_KEY", PRIVATE, 1.0, "t", "s3cr3t")
    part = Part(text="s3cr3t ok", start=0, level=PRIVATE, maskable=True, spans=[secret],
                masked_text="s3cr3t ok")
    notes = apply_shield([part], [Route.CLOUD], [secret])
    assert part.route is Route.LOCAL and part.payload is None
    assert notes == ["part 0: PRIVATE spans masked (policy asked raw cloud)",
                     "part 0: a PRIVATE value survived masking; kept local"]


def test_policy_that_raises_keeps_the_request_local(router):
    plan = router.plan("What is Python? And Rust?", policy="raises", decomposer="sentence")
    assert plan.cloud_payloads == [] and plan.route is Route.LOCAL
    assert plan.reasons == ["the raises policy failed, so the request is kept local"]


def test_policy_with_the_wrong_number_of_routes_is_a_plugin_error(router):
    with pytest.raises(PluginError, match="returned 1 routes for 2 parts"):
        router.plan("What is Python? And Rust?", policy="too-few", decomposer="sentence")
