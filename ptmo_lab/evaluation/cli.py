"""``ptmo bench`` (the benchmark suite's report) and ``ptmo profile`` (per-stage latency,
memory and energy of the router)."""
from __future__ import annotations

import json
import os
from itertools import count
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

DEFAULT_CANARIES = Path("benchmarks/results/attacks.json")
ANSWER_TOKENS = 512  # per answer of the judged run


def bench(
    ctx: typer.Context,
    out: Path = typer.Option(Path("reports/bench"), "--out", help="Folder for report.md, results.json and the plots."),
    quick: bool = typer.Option(False, "--quick", help="Small sizes for CI: 20 sessions, first and last budget, 30 prompts, rules only."),
    episodes: int = typer.Option(100, "--episodes", min=1, help="Held-out sessions per policy and budget."),
    budgets: str = typer.Option("0.3,0.5,0.7,1.0", "--budgets", help="Comma-separated privacy budgets."),
    canaries: Optional[Path] = typer.Option(None, "--canaries",
                                            help=f"Saved canary results (default: {DEFAULT_CANARIES} if present)."),
    judge: bool = typer.Option(
        False, "--judge",
        help="Optional, needs GROQ_API_KEY: instead of the suite, the judged quality run (docs/judged_quality.md). "
             "The cloud model judges our answer against a reference, twice with the order swapped (PAPILLON); "
             "writes judge.md and judge.json. By default nothing leaves the device that the router would not "
             "send: the reference is the local model and the judge reads the masked prompt and answers."),
    judge_n: int = typer.Option(20, "--judge-n", min=1, help="Prompts of the PUPA_New dev split to judge."),
    judge_raw: bool = typer.Option(
        False, "--judge-raw",
        help="With --judge, PAPILLON's protocol: the reference is the cloud model answering the raw prompt and "
             "the judge reads raw prompts and answers. SENDS EVERY PROMPT RAW TO THE CLOUD: public benchmark "
             "data only."),
) -> None:
    """Run every routing policy at every budget (environment + PUPA prompts) and write the report;
    with --judge, the optional judged quality run instead."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from ptmo_lab.evaluation.benchmark import BenchmarkConfig, BenchmarkSuite

    if judge_raw and not judge:
        raise typer.BadParameter("--judge-raw only applies with --judge")
    if judge:
        return _judge(ctx, out, judge_n, judge_raw)

    eps = [float(b) for b in budgets.split(",") if b.strip()]
    cfg = BenchmarkConfig(num_episodes=episodes, privacy_budgets=eps,
                          canary_results=str(canaries or DEFAULT_CANARIES))
    if quick:
        cfg.num_episodes, cfg.pupa_limit, cfg.classifiers = 20, 30, ["rules"]
        cfg.privacy_budgets = sorted({eps[0], eps[-1]})  # the tightest and the loosest budget
    suite = BenchmarkSuite(cfg)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=err_console) as progress:
        task = progress.add_task("benchmark", total=None)

        def step(done: int, total: int, what: str) -> None:
            progress.update(task, completed=done, total=total, description=what)
        suite.run_benchmark(progress=step)
    suite.generate_report(out)
    console.print(f"wrote {out / 'report.md'}")


def _judge(ctx: typer.Context, out: Path, n: int, raw: bool) -> None:
    """The judged quality run of ``ptmo bench --judge`` on the first ``n`` PUPA dev prompts."""
    from ptmo_middleware.cli import make_router
    from ptmo_middleware.types import Message
    from ptmo_lab.evaluation.judge import MaskedView, PairwiseJudge, RawView, judged_comparison
    from ptmo_lab.evaluation.leakage import data_dir, dev_split, load_pupa

    router = make_router(ctx)
    if not (os.environ.get("GROQ_API_KEY") or router.settings.groq_api_key):
        err_console.print("ptmo bench --judge needs GROQ_API_KEY (the judge is the Groq cloud model); "
                          "nothing was run.")
        raise typer.Exit(2)
    if getattr(router.cloud_backend, "provider", None) != "groq":
        raise typer.BadParameter(f"the judge is the Groq cloud model; the configured cloud is "
                                 f"{router.settings.cloud!r}")
    prompts = [r["query"] for r in dev_split(load_pupa(data_dir() / "PUPA_New.csv"))[:n]]
    side = router.cloud_backend if raw else router.local_backend

    def reference(prompt: str, conversation_id: str) -> str:
        return side.chat([Message("user", prompt)], max_tokens=ANSWER_TOKENS).text

    def ours(prompt: str, conversation_id: str) -> str:
        return router.invoke(prompt, conversation_id=conversation_id, max_tokens=ANSWER_TOKENS).text

    name = f"{'cloud, raw prompt (unprotected)' if raw else 'local model only'}: {side.name}"
    result = judged_comparison(prompts, ours, reference, PairwiseJudge(router.cloud_backend),
                               RawView() if raw else MaskedView(router), reference_name=name,
                               progress=lambda done, total: err_console.print(f"judged {done}/{total}"))
    out.mkdir(parents=True, exist_ok=True)
    (out / "judge.json").write_text(json.dumps(result.to_dict(), indent=1), encoding="utf-8")
    (out / "judge.md").write_text(
        f"## Judged quality: ours vs {name}\n\nJudge: {result.judge}, each prompt asked twice with the answers "
        f"swapped (a win or a loss needs both orders to agree). Prompts: the first {len(prompts)} of the PUPA_New "
        f"dev split.\n\n{result.markdown()}", encoding="utf-8")
    console.print(result.markdown())
    console.print(f"wrote {out / 'judge.md'}")


def _prompts(path: Optional[Path], n: int) -> list[str]:
    if path is not None:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        from ptmo_lab.evaluation.leakage import data_dir, dev_split, load_pupa

        lines = [r["query"] for r in dev_split(load_pupa(data_dir() / "PUPA_New.csv"))]
    if not lines:
        raise typer.BadParameter("no prompts to profile")
    return [lines[i % len(lines)] for i in range(n)]


def profile(
    ctx: typer.Context,
    n: int = typer.Option(100, "-n", "--num", min=1, help="Prompts to run."),
    prompts: Optional[Path] = typer.Option(None, "--prompts", help="One prompt a line (default: the PUPA dev split)."),
    execute: bool = typer.Option(False, "--execute", help="Full invoke (needs the backends) instead of plan()."),
    policy: Optional[str] = typer.Option(None, "--policy", help="Router policy (default: the configured one)."),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Also write the report as JSON here."),
) -> None:
    """Per-stage latency (p50/p95/mean), peak RSS and the energy sources present, over N prompts."""
    from ptmo_middleware.cli import make_router
    from ptmo_lab.evaluation.profiler import profile as run_profile

    router = make_router(ctx, policy=policy)
    items = _prompts(prompts, n)
    ids = count()

    def once(prompt: str) -> dict[str, float]:
        cid = f"profile-{os.getpid()}-{next(ids)}"
        done = router.invoke(prompt, conversation_id=cid) if execute else router.plan(prompt, conversation_id=cid)
        return dict(done.timings_ms)
    once(items[0])  # warm-up: lazy model loads are not a stage's latency
    report = run_profile(once, items)
    table = Table(title=f"{'invoke' if execute else 'plan'}: {report.runs} prompts (ms)")
    for col in ("stage", "p50", "p95", "mean"):
        table.add_column(col, justify="left" if col == "stage" else "right")
    for stage, s in report.stages.items():
        table.add_row(stage, f"{s['p50']:.3f}", f"{s['p95']:.3f}", f"{s['mean']:.3f}")
    console.print(table)
    energy = ", ".join(f"{k}: {'yes' if v else 'absent'}" for k, v in report.sources.items())
    console.print(f"peak RSS {report.peak_rss_mib:.0f} MiB; energy sources: {energy}")
    if report.cpu_energy_j is not None:
        console.print(f"CPU package energy {report.cpu_energy_j:.2f} J")
    if report.gpu_energy_j is not None or report.gpu_memory_mib is not None:
        console.print(f"GPU memory {report.gpu_memory_mib} MiB, energy {report.gpu_energy_j} J")
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(report.to_dict(), indent=1), encoding="utf-8")
        console.print(f"wrote {json_path}")
