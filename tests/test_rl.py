"""The RL router: features, environment and Lagrangian, training, the shipped policy and plugin."""
from __future__ import annotations

import time

import numpy as np
import pytest

from ptmo_middleware import PrivacyRouter, Route
from ptmo_middleware.budget.risk import RiskModel
from ptmo_middleware.rl.features import (OBS_DIM, REMAINING_INDEX, RISK_SLICE, TASKS, Action, association,
                                         observation, task_category, word_retain)

SECRET = "My password is hunter2xyz. What is the capital of France?"
RISK = RiskModel(masked_leak=0.05, missed_per_kchar=2.0)


def _data_available() -> bool:
    from ptmo_lab.datasets import data_dir

    try:
        data_dir()
    except FileNotFoundError:
        return False
    return True


needs_data = pytest.mark.skipif(not _data_available(), reason="shared data sets not found (set PTMO_DATA_DIR)")


@pytest.fixture(scope="module")
def tiny_pool():
    from ptmo_lab.rl.corpus import featurise

    router = PrivacyRouter(classifiers=["rules"], decomposer="sentence", policy="local-only")
    prompts = [("public", "What is the capital of France?", 2),
               ("public", "Recommend a good book about black holes.", 3),
               ("pupa", SECRET, -1),
               ("pupa", "Rewrite my letter: I am applying for the job. " * 30 + "My pin is 4321.", -1),
               ("m4a1", "Please turn on all the lights in the kitchen.", 0)]
    return featurise(prompts, router, RISK)


@pytest.fixture(scope="module")
def calibration():
    if not _data_available():
        pytest.skip("shared data sets not found (set PTMO_DATA_DIR)")
    from ptmo_lab.rl.calibration import calibrate

    return calibrate("train")


def test_task_category_and_association():
    assert TASKS[task_category("Please rewrite this email to my boss")] == "Message Editing"
    assert TASKS[task_category("Can you recommend a restaurant nearby?")] == "Recommendation"
    assert TASKS[task_category("Turn off the lights in the bedroom")] == "Assistive System"
    assert TASKS[task_category("Who wrote Hamlet?")] == "Query"
    assert association("Who wrote Hamlet?", []) == 0.0
    assert 0.5 < association("My wife and I need my notes for our trip", []) <= 1.0


def test_word_retain():
    assert word_retain("Email Ann about the rent", "Email [PERSON_1] about the rent") == pytest.approx(0.8)
    assert word_retain("anything", "") == 0.0


def test_views_route_through_the_shield(tiny_pool):
    i = 2  # the password prompt
    assert tiny_pool.risk[i, Action.LOCAL] == 0 and tiny_pool.local_share[i, Action.LOCAL] == 1
    # raw cloud on a PRIVATE request is what the shield lets out: the masked payload
    assert tiny_pool.risk[i, Action.CLOUD] == pytest.approx(tiny_pool.risk[i, Action.MASKED])
    assert tiny_pool.risk[i, Action.SPLIT] < tiny_pool.risk[i, Action.MASKED]
    assert 0 < tiny_pool.local_share[i, Action.SPLIT] < 1
    public = 0
    assert tiny_pool.risk[public, Action.CLOUD] > 0  # residual risk of any text that leaves
    assert tiny_pool.base.shape[1] + 12 == OBS_DIM
    obs = observation(tiny_pool.base[i], tiny_pool.risk[i], tiny_pool.retain[i], tiny_pool.local_share[i], 0.3, 0.6)
    assert obs.shape == (OBS_DIM,) and obs[REMAINING_INDEX] == pytest.approx(0.3)
    assert np.allclose(obs[RISK_SLICE], tiny_pool.risk[i, 1:])


def test_env_reward_constraint_and_guard(tiny_pool, calibration):
    from ptmo_lab.rl.env import OffloadEnv

    env = OffloadEnv(tiny_pool, calibration, horizon=8, epsilon=0.05, lagrange=2.0)
    env.reset(seed=0)
    shaped, costs, info = [], [], {}
    for _ in range(8):
        _, r, done, _, info = env.step(Action.CLOUD)
        shaped.append(r - info["reward_task"])
        costs.append(info["constraint_cost"])
    assert done and info["over_budget"] and info["session_risk"] > 0.05
    assert sum(costs) == pytest.approx(info["overshoot"]) == info["session_cost"]
    assert shaped == pytest.approx([-2.0 * c for c in costs])  # R - lambda * c_t
    guarded = OffloadEnv(tiny_pool, calibration, horizon=8, epsilon=0.05, enforce_budget=True)
    guarded.reset(seed=0)
    for _ in range(8):
        _, _, done, _, info = guarded.step(Action.CLOUD)
    assert not info["over_budget"] and info["session_risk"] <= 0.05
    local = OffloadEnv(tiny_pool, calibration, horizon=8, epsilon=0.05)
    local.reset(seed=0)
    for _ in range(8):
        _, _, _, _, info = local.step(Action.LOCAL)
    assert info["session_risk"] == 0 and info["reward_task"] >= 0.2 - 10  # budget bonus paid at the end


def test_share_constraint_charges_the_crossing_step_once(tiny_pool, calibration):
    from ptmo_lab.rl.env import OffloadEnv

    env = OffloadEnv(tiny_pool, calibration, horizon=8, epsilon=0.05, lagrange=3.0, constraint="share")
    env.reset(seed=0)
    costs, shaped, spent = [], [], []
    for _ in range(8):
        _, r, done, _, info = env.step(Action.CLOUD)
        costs.append(info["constraint_cost"])
        shaped.append(r - info["reward_task"])
        spent.append(env.spent)
    crossing = next(t for t, v in enumerate(spent) if v > 0.05)
    assert costs == [1.0 if t == crossing else 0.0 for t in range(8)]
    assert shaped == pytest.approx([-3.0 * c for c in costs])
    assert info["over_budget"] and info["session_cost"] == 1.0
    env.reset(seed=0)
    for _ in range(8):
        _, _, _, _, info = env.step(Action.LOCAL)
    assert info["session_cost"] == 0.0 and not info["over_budget"]
    with pytest.raises(ValueError):
        OffloadEnv(tiny_pool, calibration, constraint="sometimes")


def test_dual_ascent_moves_lambda_both_ways():
    from ptmo_lab.rl.train import DualAscent

    d = DualAscent(lr=1.0, target=0.01, edges=())
    assert d.update(1, [(0.3, 0.5), (0.9, 0.3)]) == pytest.approx([0.39])
    assert d.update(2, [(0.5, 0.0)]) == pytest.approx([0.38])
    assert d.update(3, []) == d.values == pytest.approx([0.38])  # no finished session: no step
    low = DualAscent(lr=1.0, target=0.01, edges=(), values=[0.004])
    assert low.update(1, [(0.5, 0.0)]) == [0.0]  # projected onto lambda >= 0


def test_dual_ascent_per_budget_bucket():
    from ptmo_lab.rl.train import DualAscent

    d = DualAscent(lr=1.0, target=0.01, edges=(0.4, 0.6, 0.85))
    assert d.buckets() == ["<0.4", "0.4-0.6", "0.6-0.85", ">=0.85"]
    assert [d.bucket(e) for e in (0.2, 0.3, 0.4, 0.59, 0.7, 0.85, 1.2)] == [0, 0, 1, 1, 2, 3, 3]
    # overshoot only in the smallest budgets: only their multiplier rises
    d.values = [0.0, 0.0, 0.2, 0.0]
    got = d.update(1, [(0.25, 0.3), (0.35, 0.1), (0.5, 0.0), (0.7, 0.0)])
    assert got == pytest.approx([0.19, 0.0, 0.19, 0.0])  # bucket 3 had no session: unchanged
    assert d.lagrange(0.3) == pytest.approx(0.19) and d.lagrange(1.0) == 0.0 and d.value == pytest.approx(0.19)
    assert [(k, round(m, 3)) for _, k, m, _ in d.history] == [(0, 0.2), (1, 0.0), (2, 0.0)]
    with pytest.raises(ValueError):
        DualAscent(edges=(0.6, 0.4))
    with pytest.raises(ValueError):
        DualAscent(edges=(0.5,), values=[1.0])


def test_env_pays_the_multiplier_of_its_budget(tiny_pool, calibration):
    from ptmo_lab.rl.env import OffloadEnv

    env = OffloadEnv(tiny_pool, calibration, horizon=8, lagrange=[5.0, 0.5], lagrange_edges=(0.1,))
    for eps, lam in ((0.05, 5.0), (0.2, 0.5)):
        env.reset(seed=0, options={"epsilon": eps})
        assert env.multiplier() == lam
        shaped, costs = [], []
        for _ in range(8):
            _, r, _, _, info = env.step(Action.CLOUD)
            shaped.append(r - info["reward_task"])
            costs.append(info["constraint_cost"])
        assert sum(costs) > 0 and shaped == pytest.approx([-lam * c for c in costs])
    env.lagrange = [1.0]
    with pytest.raises(ValueError):
        env.multiplier()


@pytest.mark.parametrize("algo", ["ppo", "dqn"])
def test_numpy_policy_matches_sb3(tmp_path, tiny_pool, calibration, algo):
    import torch

    from ptmo_lab.rl.env import OffloadEnv
    from ptmo_middleware.rl.policy import NumpyPolicy
    from ptmo_lab.rl.train import make_model

    env = OffloadEnv(tiny_pool, calibration)
    model = make_model(algo, env, 0)
    model.save(tmp_path / f"{algo}_router.zip")
    net = NumpyPolicy.load(tmp_path / f"{algo}_router.zip")
    obs, _ = env.reset(seed=3)
    with torch.no_grad():
        t = torch.as_tensor(obs[None])
        ref = model.policy.q_net(t) if algo == "dqn" else \
            model.policy.action_net(model.policy.mlp_extractor.forward_actor(model.policy.extract_features(t)))
    assert np.allclose(net.scores(obs), ref[0].numpy(), atol=1e-5)
    assert np.allclose(NumpyPolicy.from_model(model).scores(obs), net.scores(obs))
    # an action the budget cannot pay is never chosen
    assert net.decide(obs, np.array([0.0, 9.0, 9.0, 9.0]), remaining=1.0) is Action.LOCAL


def test_training_updates_lambda(tiny_pool, calibration, monkeypatch):
    from ptmo_lab.rl import train as train_mod
    from ptmo_lab.rl.env import OffloadEnv

    monkeypatch.setattr(train_mod, "make_env", lambda split="train", **kw: OffloadEnv(tiny_pool, calibration,
                                                                                      epsilon=(0.01, 0.05)))
    steps = []
    model, record = train_mod.train("a2c", 1000, 0, None, update_every=250, on_step=steps.append)
    # the multipliers reach the environment the agent steps (not only SB3's wrapper)
    assert model.get_env().envs[0].unwrapped.lagrange == list(record["final_lambdas"].values())
    assert sum(steps) >= 1000
    assert len(record["lambda_history"]) >= 3
    assert record["final_lambda"] > 0  # tiny budgets: sessions overshoot, lambda rises
    # every session's budget is below the first edge: only that bucket's multiplier moved
    assert record["final_lambdas"]["<0.4"] > 0
    assert all(v == 0.0 for k, v in record["final_lambdas"].items() if k != "<0.4")


def test_rl_plugin_decides_within_the_shield_and_the_budget():
    router = PrivacyRouter(classifiers=["rules"], policy="rl",
                           budget={"enabled": True, "store": "memory", "epsilon": 0.6})
    plan = router.plan(SECRET, principal="erin")
    assert "hunter2xyz" not in " ".join(plan.cloud_payloads)
    assert router.budget.budget.charge(0.6, "drain", "erin").granted
    spent_plan = router.plan("What is the capital of France? Explain its history in detail.", principal="erin")
    assert spent_plan.route is Route.LOCAL and spent_plan.cloud_messages == []


def test_rl_decision_under_one_millisecond():
    from ptmo_middleware.components import RouteRequest
    from ptmo_middleware.pipeline import request_features

    router = PrivacyRouter(classifiers=["rules"], policy="rl", decomposer="sentence")
    policy = router.planner.policy("rl")
    text = "My password is hunter2xyz. I need a cover letter for a job in Boston. What should I write?"
    plan = router.planner.plan(text, router.vault("lat"), policy="local-only")
    req = RouteRequest(plan.classification, router.settings, 0.5, 1.0,
                       request_features(plan.classification, plan.parts, text))
    times = []
    for _ in range(200):
        t = time.perf_counter()
        routes = policy.route(plan.parts, req)
        times.append(time.perf_counter() - t)
    assert len(routes) == len(plan.parts)
    assert sorted(times)[100] < 1e-3, f"median decision {sorted(times)[100] * 1e3:.3f} ms"


@needs_data
def test_calibration_from_m4a1(calibration):
    for task in range(len(TASKS)):
        for side in (0, 1):
            assert len(calibration.quality[task][side]) >= 5
    assert calibration.mean_quality(TASKS.index("Query"), 1) > calibration.mean_quality(TASKS.index("Query"), 0)
    assert calibration.cloud_cost_factor(5000) > calibration.cloud_cost_factor(50)


def test_rl_policy_sends_prompts_without_findings_to_the_cloud():
    from ptmo_lab.evaluation.prompt_corpus import PUBLIC, held

    router = PrivacyRouter(policy="rl")
    prompts = held(PUBLIC)[:120]
    local = [p.text for p in prompts if router.plan(p.text).route is Route.LOCAL]
    assert len(local) / len(prompts) <= 0.05, local[:10]
