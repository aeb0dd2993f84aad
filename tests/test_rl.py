"""The RL router: features, environment and Lagrangian, training, the shipped policy and plugin."""
from __future__ import annotations

import time

import numpy as np
import pytest

from ptmo_middleware import PrivacyRouter, Route
from ptmo_middleware.budget.risk import RiskModel
from ptmo_middleware.rl.features import (GAIN_SLICE, NOTHING_FOUND_INDEX, OBS_DIM, REMAINING_INDEX, RISK_SLICE,
                                         TASK_SLICE, TASKS, Action, association, observation, task_category,
                                         word_retain)

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
    assert tiny_pool.base.shape[1] + 15 == OBS_DIM
    expected = np.array([0.5, 0.9, 0.7, 0.6])
    obs = observation(tiny_pool.view(i), expected, 0.3, 0.6)
    assert obs.shape == (OBS_DIM,) and obs[REMAINING_INDEX] == pytest.approx(0.3)
    assert np.allclose(obs[RISK_SLICE], tiny_pool.risk[i, 1:])
    assert np.allclose(obs[GAIN_SLICE], [0.4, 0.2, 0.1])  # over answering locally
    # the flag of a request in which nothing was found: the password prompt has a span
    assert tiny_pool.base[i, NOTHING_FOUND_INDEX] == 0 and tiny_pool.base[public, NOTHING_FOUND_INDEX] == 1


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
    # an action the budget cannot pay is never chosen; nothing found: the cloud, unasked
    obs[NOTHING_FOUND_INDEX], obs[RISK_SLICE], obs[REMAINING_INDEX] = 0.0, 9.0, 1.0
    assert net.decide(obs) is Action.LOCAL
    obs[NOTHING_FOUND_INDEX] = 1.0
    assert net.decide(obs) is Action.CLOUD


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
    query = TASKS.index("Query")
    assert calibration.means().quality_cloud[query] > calibration.means().quality_local[query]
    assert calibration.cloud_cost_factor(5000) > calibration.cloud_cost_factor(50)


def test_rl_policy_sends_prompts_without_findings_to_the_cloud():
    from ptmo_lab.evaluation.prompt_corpus import PUBLIC, held

    router = PrivacyRouter(policy="rl")
    prompts = held(PUBLIC)[:120]
    local = [p.text for p in prompts if router.plan(p.text).route is Route.LOCAL]
    assert len(local) / len(prompts) <= 0.05, local[:10]


def test_greedy_knapsack_orders_by_gain_per_risk():
    from ptmo_lab.rl.baselines import greedy_knapsack

    # one cloud action each; gain per risk 2, 5 and 3: the budget pays the two best ratios
    gain = np.array([[0.0, 1.0, 0.0, 0.0], [0.0, 0.5, 0.0, 0.0], [0.0, 0.9, 0.0, 0.0]])
    risk = np.array([[0.0, 0.5, 0.6, 0.7], [0.0, 0.1, 0.2, 0.3], [0.0, 0.3, 0.4, 0.5]])
    assert greedy_knapsack(gain, risk, 0.45) == [Action.LOCAL, Action.CLOUD, Action.CLOUD]
    assert greedy_knapsack(gain, risk, 0.9) == [Action.CLOUD] * 3
    assert greedy_knapsack(gain, risk, 0.05) == [Action.LOCAL] * 3
    # within a request: split first (0.3 for 0.05 risk), upgraded to cloud when the budget allows;
    # masked (a loss) never
    one = (np.array([[0.0, 1.0, -1.0, 0.3]]), np.array([[0.0, 0.5, 0.1, 0.05]]))
    assert [greedy_knapsack(*one, b) for b in (0.01, 0.1, 0.5)] == [[Action.LOCAL], [Action.SPLIT], [Action.CLOUD]]


def test_expected_reward_matches_the_environment(tiny_pool, calibration):
    from ptmo_lab.rl.env import OffloadEnv

    env = OffloadEnv(tiny_pool, calibration, horizon=5)
    first, _ = env.reset(seed=0)
    preview = env.preview()
    assert len(preview) == 5 and np.array_equal(preview[0], first)
    w, p = env.weights, tiny_pool
    for i in range(len(p)):
        for action in Action:
            draws = np.array([w.a * o["quality"] + w.b1 * o["association"] - w.b2 * o["latency"] - w.b3 * o["cost"]
                              - w.b4 * o["risk"] for o in (env.outcome(i, action) for _ in range(4000))])
            assert env.expected_rewards(i)[action] == pytest.approx(draws.mean(), abs=4 * draws.std() / 63.2 + 1e-9)
        obs = env._obs_of(i, 0.5)
        if p.task[i] == int(np.argmax(obs[TASK_SLICE])):  # the policy sees the gains under the task it finds
            assert np.allclose(obs[GAIN_SLICE], env.expected_rewards(i)[1:] - env.expected_rewards(i)[0], atol=1e-6)


def test_reward_model_travels_with_the_policy(tmp_path, calibration):
    import json

    from ptmo_middleware.rl.value import ExpectedReward, RewardWeights

    model = ExpectedReward(calibration.means(), RewardWeights(b3=0.0))
    (tmp_path / "p.json").write_text(json.dumps({"algo": "ppo", **model.to_record()}))
    again = ExpectedReward.beside(tmp_path / "p.zip")
    assert again.means == model.means and again.weights == model.weights
    with pytest.raises(FileNotFoundError, match="train-router"):
        ExpectedReward.beside(tmp_path / "none.zip")
    (tmp_path / "old.json").write_text(json.dumps({"algo": "ppo"}))
    with pytest.raises(ValueError, match="no reward model"):
        ExpectedReward.beside(tmp_path / "old.zip")


def test_bound_is_above_every_policy_within_budget(tiny_pool, calibration):
    from ptmo_lab.rl.baselines import SessionKnapsack, knapsack_bound, online_greedy, session_bound
    from ptmo_lab.rl.env import OffloadEnv
    from ptmo_lab.rl.evaluate import BASELINES, run_sessions, summarise

    # the relaxation takes the part of an increment that fits
    gain, risk = np.array([[0.0, 1.0, 0.0, 0.0]]), np.array([[0.0, 0.5, 0.6, 0.7]])
    assert knapsack_bound(gain, risk, 0.25) == pytest.approx((0.5, 0.25))
    assert knapsack_bound(gain, risk, 2.0) == pytest.approx((1.0, 0.5))
    env = OffloadEnv(tiny_pool, calibration, horizon=8, enforce_budget=True)
    for epsilon in (0.05, 1.0):
        bound = session_bound(env, epsilon, 100, 0)["reward"]
        # what each policy's choices earn in expectation (no draw noise), on the bound's sessions
        earned = {name: summarise(run_sessions(env, policy, epsilon, 100, 0))["expected"]
                  for name, policy in [("knapsack", SessionKnapsack()), ("greedy", online_greedy), *BASELINES.items()]}
        assert max(earned.values()) <= bound + 1e-9
        assert earned["knapsack"] == max(earned.values())  # it plans on the gains it sees


def test_expected_reward_of_a_session_is_its_choices_expected_rewards(tiny_pool, calibration):
    from ptmo_lab.rl.env import OffloadEnv
    from ptmo_lab.rl.evaluate import run_sessions

    env = OffloadEnv(tiny_pool, calibration, horizon=6)
    for stats, k in zip(run_sessions(env, lambda obs, rng: int(Action.LOCAL), 0.5, 5, 3), range(5)):
        env.reset(seed=3 * 100_003 + k, options={"epsilon": 0.5})  # the session run_sessions played
        assert stats.expected == pytest.approx(sum(env.expected_rewards(i)[Action.LOCAL] for i in env.requests)
                                               + env.weights.g)
        assert stats.expected != pytest.approx(stats.reward)  # the drawn reward carries the draws' noise


def test_budget_dp_values_budget_and_never_overspends(tiny_pool, calibration):
    from ptmo_lab.rl.baselines import BudgetDP, online_greedy
    from ptmo_lab.rl.env import OffloadEnv
    from ptmo_lab.rl.evaluate import run_sessions, summarise

    env = OffloadEnv(tiny_pool, calibration, horizon=6)
    dp = BudgetDP(env, samples=400, grid_points=200, seed=1)
    assert len(dp.values) == env.horizon + 1 and not dp.values[-1].any()  # nothing left to gain after the session
    for earlier, later in zip(dp.values, dp.values[1:]):
        assert np.all(np.diff(earlier) >= -1e-12)  # more budget left is never worth less
        assert np.all(earlier >= later - 1e-12)  # nor are more requests left
    for epsilon in (0.02, 0.3):
        stats = run_sessions(env, dp, epsilon, 40, 0)
        assert not any(s.over_budget for s in stats)
        assert summarise(stats)["expected"] >= summarise(run_sessions(env, online_greedy, epsilon, 40, 0))["expected"] - 0.02


def test_online_greedy_takes_the_best_gain_the_budget_pays():
    from ptmo_lab.rl.baselines import online_greedy

    obs = np.zeros(OBS_DIM, dtype=np.float32)
    obs[RISK_SLICE] = [0.5, 0.1, 0.0]  # cloud, masked, split
    obs[GAIN_SLICE] = [0.3, 0.2, 0.05]
    rng = np.random.default_rng(0)
    obs[REMAINING_INDEX] = 1.0
    assert online_greedy(obs, rng) == Action.CLOUD
    obs[REMAINING_INDEX] = 0.2
    assert online_greedy(obs, rng) == Action.MASKED
    obs[REMAINING_INDEX] = 0.0
    assert online_greedy(obs, rng) == Action.SPLIT
    obs[GAIN_SLICE] = [0.3, 0.2, -0.05]  # nothing affordable gains: answer locally
    assert online_greedy(obs, rng) == Action.LOCAL


@pytest.mark.parametrize("epsilon", [0.02, 0.1, 1.0])
def test_knapsack_stays_within_budget(tiny_pool, calibration, epsilon):
    from ptmo_lab.rl.baselines import SessionKnapsack
    from ptmo_lab.rl.env import OffloadEnv
    from ptmo_lab.rl.evaluate import run_sessions

    env = OffloadEnv(tiny_pool, calibration, horizon=8)
    stats = run_sessions(env, SessionKnapsack(), epsilon, 30, 0)
    assert not any(s.over_budget for s in stats) and max(s.risk for s in stats) <= epsilon + 1e-9
    if epsilon == 1.0:  # a loose budget: it sends what gains (the public prompts)
        assert np.mean([s.risk for s in stats]) > 0


def test_bandit_paces_its_spend_under_the_cap(tiny_pool, calibration):
    from ptmo_lab.rl.baselines import BudgetedBandit
    from ptmo_lab.rl.env import OffloadEnv
    from ptmo_lab.rl.evaluate import run_sessions

    horizon, epsilon = 100, 1.0
    env = OffloadEnv(tiny_pool, calibration, horizon=horizon, epsilon=epsilon)
    bandit = BudgetedBandit(horizon)
    assert not any(s.over_budget for s in run_sessions(env, bandit, epsilon, 3, 0))  # learns online
    rng = np.random.default_rng(0)
    obs, _ = env.reset(seed=9)
    bandit.begin(env)
    spent, done = [], False
    while not done:
        decided = obs
        obs, _, done, _, info = env.step(bandit(decided, rng))
        bandit.observe(decided, info["action"], info)
        spent.append(info["risk"])
    cap = epsilon / horizon
    assert all(total <= (t + 1) * cap + 1e-9 for t, total in enumerate(np.cumsum(spent)))
    assert sum(spent) > epsilon / 2  # it does use the budget: cloud gains on the public prompts
    assert bandit.counts.sum() == 4 * horizon


def test_bandit_price_and_learning():
    from ptmo_lab.rl.baselines import BudgetedBandit

    bandit = BudgetedBandit(horizon=10, explore=0.0, price_lr=1.0)
    obs = np.zeros(OBS_DIM, dtype=np.float32)
    obs[TASK_SLICE.start + TASKS.index("Query")] = 1.0
    obs[RISK_SLICE] = [0.02, 0.02, 0.01]
    obs[REMAINING_INDEX], obs[REMAINING_INDEX + 1] = 1.0, 1.0  # remaining, epsilon: cap 0.1 per request
    for action, reward in ((Action.LOCAL, 0.1), (Action.CLOUD, 0.5), (Action.MASKED, 0.2), (Action.SPLIT, 0.3)):
        bandit.observe(obs, action, {"reward_task": reward, "risk": 0.0})
    assert bandit.price == 0.0  # spending under the cap never makes the price negative
    assert bandit(obs, np.random.default_rng(0)) == Action.CLOUD  # the best mean reward
    bandit.observe(obs, Action.CLOUD, {"reward_task": 0.5, "risk": 0.3})  # three times the cap
    assert bandit.price == pytest.approx(2.0)
    bandit.observe(obs, Action.LOCAL, {"reward_task": 0.1, "risk": 0.0})
    assert bandit.price == pytest.approx(1.0)
    assert BudgetedBandit.kind(obs) == TASKS.index("Query")
    obs[0] = 1.0  # PRIVATE: another request kind, not tried yet
    assert BudgetedBandit.kind(obs) == 2 * len(TASKS) + TASKS.index("Query")


@pytest.mark.slow
@needs_data
def test_retraining_reproduces_the_shipped_router(tmp_path):
    from typer.testing import CliRunner

    from ptmo_middleware.cli import app
    from ptmo_middleware.rl.policy import SHIPPED, NumpyPolicy

    result = CliRunner().invoke(app, ["train-router", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    shipped, again = NumpyPolicy.load(SHIPPED).layers, NumpyPolicy.load(tmp_path / "ppo_router.zip").layers
    assert len(shipped) == len(again)
    for a, b in zip(shipped, again):
        assert a == b if isinstance(a, str) else (np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]))
