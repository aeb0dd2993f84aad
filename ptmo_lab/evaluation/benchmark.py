"""The benchmark suite: every routing policy at every privacy budget, in one report.

Policies: ``cloud-only`` (no protection beyond the shield), ``local-only``, ``threshold``
and ``rl`` (the shipped PPO-Lagrangian policy, choosing among the actions the budget can
pay, as the ``rl`` router plugin does). Two views, measured in the same run:

* the RL environment (held-out M4A1/PUPA sessions; :mod:`ptmo_lab.rl.evaluate`):
  reward (with the weights the shipped policy was trained with), quality, latency,
  cost, privacy risk spent, share of sessions over budget;
* real prompts: ``PrivacyRouter.plan`` on the PUPA dev split (rows no model trained on),
  scored by :mod:`ptmo_lab.evaluation.leakage` (leak, retain, cloud share, plan
  latency). Fixed policies ignore the budget; ``rl`` is planned at each budget.

``generate_report(out_dir)`` returns Markdown and, given a directory, writes
``report.md`` with the PNG plots: privacy-utility frontier, reward vs budget, and
exposure vs repetitions when saved canary results are given
(:mod:`~ptmo_lab.evaluation.canary_experiment`).
"""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

POLICIES = ("cloud-only", "local-only", "threshold", "rl")
ENV_METRICS = ("reward", "quality", "latency", "cost", "risk", "over_budget")
#: progress(done, total, what) after each unit of work.
Progress = Callable[[int, int, str], None]


@dataclass
class BenchmarkConfig:
    """What one benchmark run covers (the seed's ``num_episodes`` and ``privacy_budgets``)."""

    num_episodes: int = 100
    privacy_budgets: list[float] = field(default_factory=lambda: [0.3, 0.5, 0.7, 1.0])
    policies: tuple[str, ...] = POLICIES
    pupa_limit: int | None = None
    """First rows of the PUPA dev split to plan (``None``: all of it)."""
    classifiers: list[str] | None = None
    """Classifiers of the router on real prompts and of the environment's featuriser
    (``None``: the default set)."""
    canary_results: str | None = None
    """A JSON file saved by the canary experiment, for the exposure plot and table."""
    seed: int = 0


@dataclass
class BenchmarkResults:
    """Rows of the run: environment metrics per (policy, budget), PUPA scores per
    (policy, budget or None), and the canary results when given."""

    env: dict[str, dict[float, dict[str, float]]]
    pupa: dict[str, dict[str, dict[str, float]]]
    canaries: dict[str, Any] | None
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _rl_env_policy() -> Callable[[Any, Any], int]:
    """The shipped policy as the ``rl`` plugin runs it."""
    from ptmo_middleware.rl.policy import NumpyPolicy

    net = NumpyPolicy.load()
    return lambda obs, rng: int(net.decide(obs))


class BenchmarkSuite:
    """Runs :class:`BenchmarkConfig` (``run_benchmark``) and writes the report
    (``generate_report``)."""

    def __init__(self, config: BenchmarkConfig | None = None) -> None:
        self.config = config or BenchmarkConfig()
        self.results: BenchmarkResults | None = None

    def _steps(self) -> int:
        cfg = self.config
        fixed = sum(p != "rl" for p in cfg.policies)
        per_budget = len(cfg.privacy_budgets)
        return 2 + len(cfg.policies) * per_budget + fixed + ("rl" in cfg.policies) * per_budget

    def run_benchmark(self, progress: Progress | None = None) -> BenchmarkResults:
        """Run every policy on the environment and on PUPA prompts; return the results."""
        cfg = self.config
        unknown = set(cfg.policies) - set(POLICIES)
        if unknown:
            raise ValueError(f"unknown policies {sorted(unknown)}; choose from {POLICIES}")
        total, done = self._steps(), 0
        t0 = time.perf_counter()

        def tick(what: str) -> None:
            nonlocal done
            done += 1
            if progress:
                progress(done, total, what)

        env = self._run_env(tick)
        pupa = self._run_pupa(tick)
        canaries = None
        if cfg.canary_results and Path(cfg.canary_results).is_file():
            canaries = json.loads(Path(cfg.canary_results).read_text(encoding="utf-8"))
        self.results = BenchmarkResults(env, pupa, canaries, time.perf_counter() - t0)
        return self.results

    def _run_env(self, tick: Callable[[str], None]) -> dict[str, dict[float, dict[str, float]]]:
        from ptmo_lab.rl.calibration import calibrate
        from ptmo_lab.rl.corpus import build_pool
        from ptmo_lab.rl.env import OffloadEnv
        from ptmo_lab.rl.evaluate import BASELINES, run_sessions, summarise
        from ptmo_middleware.rl.policy import SHIPPED
        from ptmo_middleware.rl.value import ExpectedReward
        from ptmo_middleware.router import PrivacyRouter

        cfg = self.config
        featuriser = PrivacyRouter(classifiers=cfg.classifiers, decomposer="sentence", policy="local-only")
        # the reward the shipped policy was trained for: its observation shows gains under it
        env = OffloadEnv(build_pool("test", router=featuriser), calibrate("train"),
                         weights=ExpectedReward.beside(SHIPPED).weights)
        tick("environment: held-out sessions")
        policies = {p: (_rl_env_policy() if p == "rl" else BASELINES[p]) for p in cfg.policies}
        out: dict[str, dict[float, dict[str, float]]] = {p: {} for p in cfg.policies}
        for eps in cfg.privacy_budgets:
            for name, fn in policies.items():
                out[name][eps] = summarise(run_sessions(env, fn, eps, cfg.num_episodes, cfg.seed))
                tick(f"environment: {name} @ epsilon {eps:g}")
        return out

    def _run_pupa(self, tick: Callable[[str], None]) -> dict[str, dict[str, dict[str, float]]]:
        from ptmo_middleware.router import PrivacyRouter
        from ptmo_lab.evaluation.leakage import by_category, data_dir, dev_split, load_pupa, payload_of, run, score

        cfg = self.config
        rows = dev_split(load_pupa(data_dir() / "PUPA_New.csv"))[:cfg.pupa_limit]
        router = PrivacyRouter(classifiers=cfg.classifiers)
        tick("PUPA: router loaded")
        out: dict[str, dict[str, dict[str, float]]] = {}
        counter = iter(range(10**9))

        def plan_fn(policy: str) -> Callable[[str], str | None]:
            def fn(q: str) -> str | None:
                return payload_of(router.plan(q, conversation_id=f"bench-{next(counter)}", policy=policy).to_dict())
            return fn

        runs = [(p, None) for p in cfg.policies if p != "rl"]
        runs += [("rl", eps) for eps in cfg.privacy_budgets if "rl" in cfg.policies]
        for policy, eps in runs:
            if eps is not None:  # the rl plugin reads the budget from the settings when none is tracked
                router.settings.budget.epsilon = eps
            payloads, times = run(rows, plan_fn(policy))
            res = score(rows, payloads, times)
            res["by_category"] = by_category(rows, payloads)
            out.setdefault(policy, {})["any" if eps is None else f"{eps:g}"] = res
            tick(f"PUPA: {policy}" + ("" if eps is None else f" @ epsilon {eps:g}"))
        return out

    def generate_report(self, out_dir: str | Path | None = None) -> str:
        """The Markdown report of the last run (running it first if needed); with
        ``out_dir``, also write ``report.md``, ``results.json`` and the PNG plots there."""
        res = self.results or self.run_benchmark()
        cfg = self.config
        budgets = cfg.privacy_budgets
        parts = ["# ptmo-middleware benchmark", "",
                 f"{cfg.num_episodes} held-out sessions per policy and budget; PUPA dev split "
                 f"({next(iter(next(iter(res.pupa.values())).values()))['queries']} prompts); "
                 f"run time {res.seconds:.0f} s.", "", "## RL environment (held-out sessions)", ""]
        head = ["policy", "epsilon", *ENV_METRICS]
        parts += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for name, per_eps in res.env.items():
            for eps, m in per_eps.items():
                parts.append(f"| {name} | {eps:g} | " + " | ".join(f"{m[k]:.3f}" for k in ENV_METRICS) + " |")
        parts += ["", "## Real prompts (PUPA dev split, `PrivacyRouter.plan`)", "",
                  "| policy | epsilon | leak | retain | cloud | plan p50 ms | plan p95 ms |", "|---|---|---|---|---|---|---|"]
        for name, per in res.pupa.items():
            for eps, m in per.items():
                parts.append(f"| {name} | {eps} | {m['leak']:.3f} | {m['retain']:.3f} | {m['cloud']:.3f} | "
                             f"{m['ms_p50']:.1f} | {m['ms_p95']:.1f} |")
        parts += ["", "Leak per PUPA category (share of its private units that reached the cloud):", ""]
        cats = sorted({c for per in res.pupa.values() for m in per.values() for c in m["by_category"]})
        parts += ["| policy | epsilon | " + " | ".join(cats) + " |", "|" + "---|" * (len(cats) + 2)]
        for name, per in res.pupa.items():
            for eps, m in per.items():
                cells = [f"{m['by_category'][c]['leak']:.2f}" if c in m["by_category"] else "-" for c in cats]
                parts.append(f"| {name} | {eps} | " + " | ".join(cells) + " |")
        figures = {"frontier.png": "privacy-utility frontier", "reward_vs_budget.png": "reward vs budget"}
        if res.canaries:
            from ptmo_lab.evaluation.canary_experiment import markdown_table

            parts += ["", "## Canary exposure of personal adapters", "",
                      f"From `{cfg.canary_results}`; classifier flags the canary as PRIVATE: "
                      f"{res.canaries['canary_detected_private']}.", "", markdown_table(res.canaries)]
            figures["exposure.png"] = "exposure vs repetitions"
        else:
            parts += ["", "No canary results given: run benchmarks/attacks.py and pass its attacks.json."]
        parts += ["", "## Plots", ""] + [f"![{alt}]({name})" for name, alt in figures.items()]
        report = "\n".join(parts) + "\n"
        if out_dir is not None:
            self._write(Path(out_dir), report, budgets)
        return report

    def _write(self, out: Path, report: str, budgets: list[float]) -> None:
        from ptmo_lab.evaluation.plots import plot_exposure, plot_frontier, plot_reward_vs_budget

        res = self.results
        assert res is not None
        out.mkdir(parents=True, exist_ok=True)
        points = {(name if eps == "any" else f"{name} @{eps}"): (m["leak"], m["retain"])
                  for name, per in res.pupa.items() for eps, m in per.items()}
        plot_frontier(points, out / "frontier.png")
        plot_reward_vs_budget(budgets, {n: [per[e]["reward"] for e in budgets] for n, per in res.env.items()},
                              out / "reward_vs_budget.png")
        if res.canaries:
            plot_exposure(res.canaries, out / "exposure.png")
        (out / "report.md").write_text(report, encoding="utf-8")
        (out / "results.json").write_text(json.dumps(res.to_dict(), indent=1, default=str), encoding="utf-8")
