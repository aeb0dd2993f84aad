"""The lab's commands in ``ptmo``: training (router, classifier, judge, LoRA adapters),
benchmarks and the profiler. Registered through the ``ptmo_middleware.commands`` entry
point, so the runtime's command line never imports the lab."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ptmo_middleware.cli import console, err_console, print_json

from .evaluation.cli import bench, profile
from .personalization.cli import lora_app


def register(app: typer.Typer) -> None:
    """Add the lab's commands to the ``ptmo`` application."""
    app.command("train-router")(train_router)
    app.command("train-classifier")(train_classifier)
    app.command("train-judge")(train_judge)
    app.add_typer(lora_app, name="lora")
    app.command()(bench)
    app.command()(profile)


def train_router(
    algo: str = typer.Option("ppo", "--algo", help="ppo, a2c or dqn (each with the Lagrangian dual ascent)."),
    timesteps: Optional[int] = typer.Option(None, "--timesteps", min=1000, help="Environment steps (default: as shipped)."),
    seed: int = typer.Option(0, "--seed"),
    cost_weight: Optional[float] = typer.Option(None, "--cost-weight", help="b3, the reward's cost term (default: as shipped)."),
    risk_weight: Optional[float] = typer.Option(None, "--risk-weight", help="b4, the reward's privacy-risk term (default: as shipped)."),
    dual_target: Optional[float] = typer.Option(None, "--dual-target", help="Allowed mean overshoot of the budget per session."),
    constraint: str = typer.Option("amount", "--constraint", help="amount (risk beyond the budget) or share (1 per session over)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for <algo>_router.zip (default: the user data dir)."),
) -> None:
    """Retrain the RL router on the featurised prompts (needs the data sets, see docs).
    With the defaults and ``--out ptmo_middleware/rl/data`` it retrains the shipped policy."""
    from dataclasses import replace

    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from ptmo_middleware.errors import ConfigError

    from ptmo_lab.rl.train import (ALGOS, SHIPPED_DUAL_TARGET, SHIPPED_TIMESTEPS, SHIPPED_WEIGHTS, DualAscent,
                                   train)

    if algo not in ALGOS:
        raise ConfigError(f"unknown algorithm {algo!r}; use one of {', '.join(ALGOS)}")
    if constraint not in ("amount", "share"):
        raise ConfigError(f"--constraint must be amount or share, got {constraint!r}")
    if out is None:
        import platformdirs

        out = Path(platformdirs.user_data_dir("ptmo-middleware", appauthor=False)) / "rl"
    weights = replace(SHIPPED_WEIGHTS, **{k: v for k, v in (("b3", cost_weight), ("b4", risk_weight)) if v is not None})
    steps = timesteps or SHIPPED_TIMESTEPS
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeRemainingColumn(), console=err_console) as progress:
        task = progress.add_task(f"training {algo}", total=steps)
        _, record = train(algo, steps, seed, out, dual=DualAscent(target=dual_target or SHIPPED_DUAL_TARGET),
                          on_step=lambda n: progress.advance(task, n), weights=weights, constraint=constraint)
    console.print(f"saved {out / f'{algo}_router.zip'} (final lambda {record['final_lambda']:.3f}); "
                  f"use it with PTMO_RL_POLICY={out / f'{algo}_router.zip'}")


SEED = typer.Option(13, "--seed", help="Seed of the generated data and the models.")
DATA = typer.Option(None, "--data", help="Folder holding PUPA_New.csv (else $PTMO_DATA_DIR).")
OUT = typer.Option(None, "--out", help="Artifact path (default: the one shipped in the package).")


def _retrain(module: str, seed: int, data: Optional[Path], out: Optional[Path]) -> None:
    """Run ``module.train`` (a trainer of a shipped artifact) and print what it wrote."""
    import importlib

    trainer = importlib.import_module(module)
    target = out or trainer.ARTIFACT
    meta = trainer.train(seed=seed, data=data, out=target)
    console.print(f"saved {target}")
    print_json(meta)


def train_classifier(seed: int = SEED, data: Optional[Path] = DATA, out: Optional[Path] = OUT) -> None:
    """Retrain the ml classifier (unit tagger + topic model) on PUPA_New's training split."""
    _retrain("ptmo_lab.evaluation.train_classifier", seed, data, out)


def train_judge(seed: int = SEED, data: Optional[Path] = DATA, out: Optional[Path] = OUT) -> None:
    """Retrain the unit judge on PUPA_New's training split and the prompt corpus's tune family."""
    _retrain("ptmo_lab.evaluation.train_judge", seed, data, out)
