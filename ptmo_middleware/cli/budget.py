"""``ptmo budget show | reset``: the privacy-budget accounts."""
from __future__ import annotations

from typing import Any, Optional

import typer
from rich.table import Table
from rich.text import Text

from .app import CliState, PtmoGroup, app, console, print_json


budget_app = typer.Typer(cls=PtmoGroup, help="Show or reset privacy-budget accounts.", no_args_is_help=True)
app.add_typer(budget_app, name="budget")


def _budget(ctx: typer.Context) -> Any:
    from ..budget import PrivacyBudget
    from ..config import Settings

    state = ctx.find_root().obj if isinstance(ctx.find_root().obj, CliState) else CliState()
    return PrivacyBudget(Settings.load(state.config).budget)


@budget_app.command("show")
def budget_show(ctx: typer.Context,
                principal: Optional[str] = typer.Option(None, "--principal", help="Only this principal."),
                as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table.")) -> None:
    """Every account (principal | window): risk spent and what remains of epsilon."""
    b = _budget(ctx)
    rows = [{"account": k, "spent": round(v, 6), "epsilon": b.epsilon, "remaining": round(max(b.epsilon - v, 0.0), 6)}
            for k, v in b.accounts().items() if principal is None or k.split("|", 1)[0] == principal]
    if as_json:
        print_json({"store": b.settings.store, "window": b.settings.window, "accounts": rows})
        return
    table = Table(title=f"privacy budget ({b.settings.store}, window {b.settings.window}, epsilon {b.epsilon:g})",
                  title_justify="left")
    for col in ("account", "spent", "remaining"):
        table.add_column(col)
    for r in rows:
        table.add_row(Text(r["account"]), f"{r['spent']:.4f}", f"{r['remaining']:.4f}")
    console.print(table)


@budget_app.command("reset")
def budget_reset(ctx: typer.Context,
                 principal: Optional[str] = typer.Option(None, "--principal", help="Only this principal (else everyone)."),
                 yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation.")) -> None:
    """Forget the spends of one principal (every window), or of everyone."""
    if not yes:
        typer.confirm(f"Reset the privacy budget of {principal or 'every principal'}?", abort=True)
    console.print(f"reset {_budget(ctx).reset(principal)} account(s)")
