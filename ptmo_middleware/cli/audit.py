"""``ptmo audit``: what was decided, for whom, and what left the device (hashes only)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table
from rich.text import Text

from .app import CliState, app, console, print_json


@app.command()
def audit(
    ctx: typer.Context,
    path: Optional[Path] = typer.Option(None, "--path", help="Audit log file (default: audit_log of the settings, else the user data dir)."),
    principal: Optional[str] = typer.Option(None, "--principal", help="Only this principal."),
    route: Optional[str] = typer.Option(None, "--route", help="Only this route (local, cloud, hybrid)."),
    event: Optional[str] = typer.Option(None, "--event", help="Only plan or send records."),
    conversation: Optional[str] = typer.Option(None, "--conversation", help="Only this conversation id."),
    since: Optional[str] = typer.Option(None, "--since", help="From this time: ISO 8601 or a duration back (30m, 2h, 7d)."),
    until: Optional[str] = typer.Option(None, "--until", help="Up to this time (same forms)."),
    last: int = typer.Option(0, "--last", min=0, help="Only the last N matching records (0: all)."),
    summary: bool = typer.Option(False, "--summary", help="Totals instead of records."),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table."),
) -> None:
    """Query the audit log: what was decided, for whom, and what left the device (hashes only)."""
    from collections import deque

    from ..audit import default_path, read_records, resolve_path, summarize
    from ..config import Settings

    state = ctx.obj if isinstance(ctx.obj, CliState) else CliState()
    log_path = path or resolve_path(Settings.load(state.config).audit_log) or default_path()
    found = read_records(log_path, principal=principal, route=route, event=event,
                         conversation_id=conversation, since=since, until=until)
    records = list(deque(found, maxlen=last) if last else found)
    if summary:
        totals = summarize(records)
        if as_json:
            print_json(totals)
        else:
            console.print_json(json.dumps(totals))
        return
    if as_json:
        for rec in records:
            print_json(rec)
        return
    table = Table(title=f"audit: {log_path} ({len(records)} records)", title_justify="left")
    for col in ("time", "event", "principal", "conversation", "route", "level", "policy", "span types",
                "budget", "payload sha256"):
        table.add_column(col, overflow="fold")
    for r in records:
        types = ", ".join(f"{k}x{v}" for k, v in (r.get("span_types") or {}).items())
        policy_name = f"{r.get('policy', '')} {r.get('policy_version') or ''}".strip()
        table.add_row(str(r.get("time", "")), str(r.get("event", "")), Text(str(r.get("principal", ""))),
                      Text(str(r.get("conversation_id", ""))), str(r.get("route", "")),
                      str(r.get("level", "")), policy_name, types, f"{r.get('budget_spent', r.get('budget_cost')) or 0:g}",
                      str(r.get("payload_hash") or "-")[:16])
    console.print(table)
