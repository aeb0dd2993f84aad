"""``ptmo lora``: train, list, select and export personal adapters."""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

lora_app = typer.Typer(help="Personal LoRA adapters: train on your history, list, use, export to Ollama.",
                       no_args_is_help=True)
console = Console(highlight=False)

_STORE = typer.Option(None, "--store", help="Adapter store directory (default: $PTMO_ADAPTER_DIR or the user data dir).")


def _store(path: Optional[Path]):  # noqa: ANN202 - imported lazily
    from ptmo_middleware.personalization.adapters import AdapterStore

    return AdapterStore(path)


@lora_app.command("train")
def train(
    ctx: typer.Context,
    history: Path = typer.Argument(..., help="History file (JSON or JSONL; see ptmo_lab.personalization.history)."),
    name: str = typer.Option("personal", "--name", help="Adapter name in the store."),
    user: str = typer.Option("default", "--user", help="Owner: the user (personal) or group (group level)."),
    level: str = typer.Option("personal", "--level", help="personal, group or general."),
    base: Optional[str] = typer.Option(None, "--base", help="Base model directory or cached id (default: embedded Gemma 3 270M)."),
    epochs: int = typer.Option(2, "--epochs", min=1),
    max_steps: Optional[int] = typer.Option(None, "--max-steps", min=1),
    batch_size: int = typer.Option(4, "--batch-size", min=1),
    lr: float = typer.Option(3e-4, "--lr"),
    rank: int = typer.Option(8, "--rank", min=1),
    max_length: int = typer.Option(256, "--max-length", min=16),
    scrub: str = typer.Option("mask", "--scrub", help="mask or remove PRIVATE spans before training; off to keep them."),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="CPU threads for torch."),
    fresh: bool = typer.Option(False, "--fresh", help="Ignore checkpoints of an earlier interrupted run."),
    store: Optional[Path] = _STORE,
) -> None:
    """Train an adapter on HISTORY, on this device, and add it to the store."""
    from ptmo_middleware.cli import make_router
    from ptmo_middleware.personalization.adapters import AdapterLevel
    from ptmo_lab.personalization.history import load_history
    from ptmo_lab.personalization.trainer import LoRATrainer, TrainingConfig

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    load_history(history)  # a malformed history fails here, before a model is loaded
    adapters = _store(store)
    owner = None if AdapterLevel(level) is AdapterLevel.GENERAL else user
    config = TrainingConfig(epochs=epochs, max_steps=max_steps, batch_size=batch_size, lr=lr, r=rank,
                            alpha=2 * rank, max_length=max_length, scrub=scrub, num_threads=threads)  # type: ignore[arg-type]
    # The classifiers of --config / PTMO_CLASSIFIERS find the secrets to scrub.
    classify = make_router(ctx).classify if scrub != "off" else None
    trainer = LoRATrainer(config, output_dir=adapters.root / ".runs" / name, classify=classify)
    trainer.setup_model(base)
    trainer.setup_lora(adapter_name=name.replace(".", "_"))
    n_train, n_val = trainer.prepare_dataset(history)
    console.print(f"{n_train} training turns, {n_val} held out; mode: {trainer.mode} on {trainer.device}")
    result = trainer.train(resume=not fresh)
    info = adapters.add(trainer.save(), name, level, owner, overwrite=True)
    before, after = result.val_loss_before, result.val_loss_after
    if before is not None and after is not None:
        console.print(f"held-out loss per reply token: {before:.3f} -> {after:.3f}")
    console.print(f"{result.steps} steps in {result.seconds:.0f} s ({result.tokens_per_s:.0f} tokens/s); "
                  f"stored {info.name!r} ({info.level.value}, owner {info.owner or '-'}) in {adapters.root}")


@lora_app.command("list")
def list_(store: Optional[Path] = _STORE,
          as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table.")) -> None:
    """The adapters in the store, and which is in use for each owner."""
    adapters = _store(store)
    active = set(adapters.settings()["active"].values())
    found = adapters.list()
    if as_json:
        for a in found:
            typer.echo(json.dumps({**a.manifest(), "in_use": a.name in active}))
        return
    table = Table(title=f"adapters in {adapters.root}", title_justify="left")
    for col in ("name", "level", "owner", "base model", "created", "held-out loss", "in use"):
        table.add_column(col, overflow="fold")
    for a in found:
        b, f = a.metrics.get("val_loss_before"), a.metrics.get("val_loss_after")
        loss = f"{b:.3f} -> {f:.3f}" if b is not None and f is not None else "-"
        table.add_row(Text(a.name), a.level.value, Text(a.owner or "-"), Text(a.base_model), a.created, loss,
                      "yes" if a.name in active else "")
    console.print(table)


@lora_app.command("use")
def use(name: str = typer.Argument(..., help="Adapter to use for its owner and level."),
        store: Optional[Path] = _STORE) -> None:
    """Select NAME as the adapter in use for its owner at its level."""
    info = _store(store).use(name)
    console.print(f"{info.name!r} is now the {info.level.value} adapter of {info.owner or 'everyone'}")


@lora_app.command("export-ollama")
def export_ollama(
    adapter: str = typer.Argument(..., help="Adapter name in the store, or a PEFT adapter directory."),
    base: str = typer.Option(..., "--base", help="Ollama base model the adapter was trained on, e.g. llama3.2:3b."),
    name: str = typer.Option(..., "--name", help="Name of the Ollama model to create."),
    host: Optional[str] = typer.Option(None, "--host", help="Ollama server (default: $OLLAMA_HOST or 127.0.0.1:11434)."),
    store: Optional[Path] = _STORE,
) -> None:
    """Create an Ollama model from BASE plus ADAPTER (blobs + /api/create)."""
    from ptmo_lab.personalization.ollama_export import export_to_ollama

    created = export_to_ollama(adapter, base, name, host=host, store=_store(store))
    console.print(f"created Ollama model {created!r}; answer with it through local=\"ollama:{created}\"")
