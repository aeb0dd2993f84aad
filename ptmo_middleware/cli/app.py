"""The ``ptmo`` application: its group (errors as one line, exit code 2), global options,
``make_router`` and the output helpers every command shares."""
from __future__ import annotations

import atexit
import gc
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import click
import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from ..errors import PtmoError

if TYPE_CHECKING:
    from ..router import PrivacyRouter


#: Entry-point group of functions ``register(app)`` that add commands to ``ptmo``.
COMMANDS_ENTRY_POINT_GROUP = "ptmo_middleware.commands"
#: Exit code of a command stopped by a PtmoError (bad config, bad input, unknown plugin).
ERROR_EXIT_CODE = 2

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


class PtmoGroup(TyperGroup):
    """Turns every PtmoError raised by a command into a one-line message and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PtmoError as exc:
            err_console.print(Text(f"Error: {safe_text(str(exc))}", style="bold red"), soft_wrap=True)
            raise typer.Exit(ERROR_EXIT_CODE) from None


class PtmoTyper(typer.Typer):
    """The application; run as a program (``app()``: the ``ptmo`` script), it leaves the
    process's objects to the operating system at exit.

    Python's shutdown collects and frees every object a module still holds: after
    ``ptmo plan`` (spaCy's pipeline, the ml artifact, the patterns) a quarter of a second
    that nothing needs, since the process ends. So an exit hook freezes the objects
    (``gc.freeze``: the shutdown's collections pass them over). What must reach disk
    does so before: the standard streams are flushed, ``atexit`` hooks (logging's) still
    run, and ptmo's stores write through (the audit log, SQLite in autocommit). Tests
    invoke the command without calling ``app()`` (typer's CliRunner), so their process
    is left as it was."""

    _exit_hook = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not PtmoTyper._exit_hook:
            PtmoTyper._exit_hook = True
            atexit.register(gc.freeze)
        return super().__call__(*args, **kwargs)


app = PtmoTyper(cls=PtmoGroup, help="On-device privacy routing for LLM apps.",
                no_args_is_help=True, pretty_exceptions_show_locals=False,
                add_completion=False)


@dataclass
class CliState:
    """Global options, reachable from any command as ``ctx.obj``."""

    config: Path | None = None


@app.callback()
def main(
    ctx: typer.Context,
    config: Optional[Path] = typer.Option(None, "--config", help="TOML settings file (else $PTMO_CONFIG)."),
    trace_plugins: bool = typer.Option(False, "--trace-plugins", help="Print every plugin hook call to stderr."),
) -> None:
    """ptmo: see what of each prompt would leave the device, and why."""
    ctx.obj = CliState(config=config)
    if trace_plugins:
        from .. import plugin_manager

        plugin_manager.trace_plugins(True)


def make_router(ctx: typer.Context, **overrides: Any) -> "PrivacyRouter":
    """A PrivacyRouter from ``--config`` and the given setting overrides (``None`` ones ignored)."""
    from ..router import PrivacyRouter

    state = ctx.obj if isinstance(ctx.obj, CliState) else CliState()
    return PrivacyRouter(state.config, **{k: v for k, v in overrides.items() if v is not None})


def safe_text(value: str) -> str:
    """``value`` printable on any terminal: lone surrogates and the like become escapes."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def print_json(obj: Any) -> None:
    """Write ``obj`` as one line of JSON on stdout (ASCII-escaped, so any text survives)."""
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()

