"""The budget end to end: invoke charges before sending, an exhausted budget answers
locally (visible in the plan), concurrent requests never overspend, and the LangChain
model shows the local route in its metadata."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from ptmo_middleware import PrivacyRouter, Route
from recording_backend import RecordingBackend

TEXT = "Please email bob@example.com the notes. What is the capital of France?"


def _cost() -> float:
    cost = PrivacyRouter(classifiers=["rules"]).plan(TEXT).budget_cost
    assert cost > 0
    return cost


def _router(epsilon: float) -> tuple[PrivacyRouter, RecordingBackend, RecordingBackend]:
    local, cloud = RecordingBackend("local-echo"), RecordingBackend("cloud-echo")
    router = PrivacyRouter(local=local, cloud=cloud, classifiers=["rules"],
                           budget={"enabled": True, "store": "memory", "epsilon": epsilon, "window": "none"})
    return router, local, cloud


def test_invoke_charges_then_answers_locally_when_exhausted():
    cost = _cost()
    router, local, cloud = _router(1.5 * cost)
    first = router.invoke(TEXT, principal="ann")
    assert first.plan.route is not Route.LOCAL and len(cloud.received) == 1
    assert router.budget.budget.spent("ann") == pytest.approx(cost, abs=1e-5)
    second = router.invoke(TEXT, principal="ann")
    assert second.plan.route is Route.LOCAL and len(cloud.received) == 1
    assert any("privacy budget" in n for n in second.plan.notes)
    assert "local-echo heard" in second.text


def test_concurrent_invokes_never_overspend():
    cost = _cost()
    router, _, cloud = _router(1.5 * cost)
    with ThreadPoolExecutor(6) as pool:
        replies = list(pool.map(lambda i: router.invoke(TEXT, principal="bo", conversation_id=f"c{i}"), range(6)))
    assert len(cloud.received) == 1  # only one request fitted the budget
    assert router.budget.budget.spent("bo") == pytest.approx(cost, abs=1e-5)
    assert all(r.text for r in replies)


def test_langchain_model_goes_local_when_the_budget_is_spent():
    pytest.importorskip("langchain_core")
    from ptmo_middleware.integrations.langchain import PrivacyRouterChatModel

    cost = _cost()
    local, cloud = RecordingBackend("local-echo"), RecordingBackend("cloud-echo")
    model = PrivacyRouterChatModel(local=local, cloud=cloud, router_settings={
        "classifiers": ["rules"], "principal": "lc",
        "budget": {"enabled": True, "store": "memory", "epsilon": 1.5 * cost, "window": "none"}})
    first = model.invoke(TEXT)
    second = model.invoke(TEXT)
    assert first.response_metadata["ptmo"]["left_device"] is True
    assert second.response_metadata["ptmo"]["route"] == "local"
    assert second.response_metadata["ptmo"]["left_device"] is False
    assert len(cloud.received) == 1


@pytest.mark.parametrize("when_exhausted", ["local", "mask"])
def test_an_exhausted_budget_reroutes_without_classifying_again(when_exhausted):
    router = PrivacyRouter(classifiers=["rules"], budget={"enabled": True, "store": "memory", "epsilon": 1e-6,
                                                          "window": "none", "when_exhausted": when_exhausted})
    texts: list[str] = []
    real = router.planner.classify
    router.planner.classify = lambda text, *a, **k: texts.append(text) or real(text, *a, **k)
    plan = router.plan([{"role": "user", "content": "I am Ann."}, {"role": "user", "content": TEXT}])
    assert any("privacy budget" in n for n in plan.notes)
    assert texts == ["I am Ann.", TEXT]  # each message classified once, whatever the re-routes
