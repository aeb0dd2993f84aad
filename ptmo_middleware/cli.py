"""The ``ptmo`` command line: classify, plan (readable or JSON lines), plugins.

Adding a command: write a small block at the end of this module,

    @app.command()
    def mycommand(ctx: typer.Context, ...) -> None:
        \"\"\"One line of help.\"\"\"
        router = make_router(ctx)          # honours --config
        ...

or a group with ``app.add_typer(sub_app, name="budget")``. Import heavy modules inside
the function. A :class:`~ptmo_middleware.errors.PtmoError` raised anywhere in a command
prints ``Error: <message>`` on stderr and exits with code 2, without a traceback.
"""
from __future__ import annotations

import contextlib
import importlib.metadata
import json
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ContextManager, Iterator, Optional, TextIO

import click
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from .errors import InvalidPromptError, PtmoError

if TYPE_CHECKING:
    from .router import PrivacyRouter
    from .types import Classification, Plan

#: Entry-point group of functions ``register(app)`` that add commands to ``ptmo``.
COMMANDS_ENTRY_POINT_GROUP = "ptmo_middleware.commands"
#: Exit code of a command stopped by a PtmoError (bad config, bad input, unknown plugin).
ERROR_EXIT_CODE = 2

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


class _PtmoGroup(TyperGroup):
    """Turns every PtmoError raised by a command into a one-line message and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PtmoError as exc:
            err_console.print(Text(f"Error: {safe_text(str(exc))}", style="bold red"), soft_wrap=True)
            raise typer.Exit(ERROR_EXIT_CODE) from None


app = typer.Typer(cls=_PtmoGroup, help="On-device privacy routing for LLM apps.",
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
        from . import plugin_manager

        plugin_manager.trace_plugins(True)


def make_router(ctx: typer.Context, **overrides: Any) -> "PrivacyRouter":
    """A PrivacyRouter from ``--config`` and the given setting overrides (``None`` ones ignored)."""
    from .router import PrivacyRouter

    state = ctx.obj if isinstance(ctx.obj, CliState) else CliState()
    return PrivacyRouter(state.config, **{k: v for k, v in overrides.items() if v is not None})


def safe_text(value: str) -> str:
    """``value`` printable on any terminal: lone surrogates and the like become escapes."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def print_json(obj: Any) -> None:
    """Write ``obj`` as one line of JSON on stdout (ASCII-escaped, so any text survives)."""
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def _read_text(text: str | None) -> str:
    if text is None:
        raise InvalidPromptError("give a TEXT argument (or - to read it from stdin)")
    return sys.stdin.read() if text == "-" else text


ClassifierOpt = typer.Option(None, "--classifier", "-c",
                             help="Classifier to run (repeatable); default: every installed one.")


def _spans_table(classification: "Classification") -> Table:
    table = Table(title="spans", title_justify="left")
    for col in ("start", "end", "type", "level", "score", "source", "text"):
        table.add_column(col)
    for s in classification.spans:
        table.add_row(str(s.start), str(s.end), s.entity_type, s.level.name, f"{s.score:.2f}",
                      s.source, Text(safe_text(_clip(s.text))))
    return table


def _clip(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[:limit - 1] + "…"


@app.command()
def classify(
    ctx: typer.Context,
    text: Optional[str] = typer.Argument(None, help="The text (- reads stdin)."),
    classifier: Optional[list[str]] = ClassifierOpt,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Sensitivity of TEXT: level, score and the spans behind it."""
    router = make_router(ctx, classifiers=classifier or None)
    result = router.classify(_read_text(text))
    if as_json:
        print_json({"level": result.level.name, "score": round(result.score, 4),
                    "spans": [s.to_dict() for s in result.spans], "failed_classifiers": result.failed})
        return
    console.print(Text.assemble(("level ", "bold"), result.level.name, ("  score ", "bold"),
                                f"{result.score:.3f}"))
    if result.failed:
        console.print(Text(f"failed classifiers (request treated as PRIVATE): {', '.join(result.failed)}",
                           style="red"))
    if result.spans:
        console.print(_spans_table(result))
    else:
        console.print("no sensitive spans")


def _show_plan(plan: "Plan") -> None:
    console.print(Text.assemble(
        ("level ", "bold"), plan.level.name, ("  score ", "bold"), f"{plan.classification.score:.3f}",
        ("  route ", "bold"), plan.route.value, ("  policy ", "bold"), plan.policy,
        ("  strategy ", "bold"), plan.strategy))
    if plan.spans:
        console.print(_spans_table(plan.classification))
    parts = Table(title="parts", title_justify="left")
    for col in ("#", "level", "route", "text", "payload"):
        parts.add_column(col)
    for i, p in enumerate(plan.parts):
        parts.add_row(str(i), p.level.name, p.route.value, Text(safe_text(_clip(p.text))),
                      Text(safe_text(_clip(p.payload))) if p.payload is not None else Text("(stays local)", style="dim"))
    console.print(parts)
    for note in plan.notes:
        console.print(Text(f"shield: {note}", style="yellow"))
    if plan.classification.failed:
        console.print(Text(f"failed classifiers: {', '.join(plan.classification.failed)}", style="red"))
    if not plan.cloud_messages:
        console.print(Text("nothing leaves the device", style="bold green"))
        return
    for i, m in enumerate(plan.cloud_messages, 1):
        console.rule(Text(f"cloud payload {i}/{len(plan.cloud_messages)} ({m.role})"), align="left")
        console.print(Text(safe_text(m.content)), soft_wrap=True)
    console.rule()


@app.command()
def plan(
    ctx: typer.Context,
    text: Optional[str] = typer.Argument(None, help="The prompt (- reads stdin); with --jsonl, a file (default stdin)."),
    policy: Optional[str] = typer.Option(None, "--policy", help="Router policy (threshold, local-only, cloud-only, ...)."),
    strategy: Optional[str] = typer.Option(None, "--strategy", help="Decomposer (auto, entity, sentence, clause)."),
    classifier: Optional[list[str]] = ClassifierOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
    jsonl: bool = typer.Option(False, "--jsonl", help='Read JSON lines {"query": ...} or {"messages": [...]}; write one plan a line.'),
) -> None:
    """What of TEXT would leave the device: spans, parts and routes, exact cloud payloads."""
    if jsonl:
        with _open_lines(text) as lines:
            _plan_jsonl(make_router(ctx, classifiers=classifier or None), lines, policy, strategy)
        return
    prompt = _read_text(text)
    result = make_router(ctx, classifiers=classifier or None).plan(prompt, policy=policy, strategy=strategy)
    if as_json:
        print_json(result.to_dict())
    else:
        _show_plan(result)


def _open_lines(path: str | None) -> ContextManager[TextIO]:
    """stdin (left open afterwards) for ``None`` or ``-``, else the file, opened now so
    that a wrong path fails before any classifier is loaded."""
    if path in (None, "-"):
        return contextlib.nullcontext(sys.stdin)
    try:
        return open(path, encoding="utf-8", errors="surrogateescape")
    except OSError as exc:
        raise InvalidPromptError(f"cannot read {path}: {exc.strerror}") from None


def _plan_jsonl(router: "PrivacyRouter", lines: TextIO, policy: str | None, strategy: str | None) -> None:
    for lineno, request in _requests(lines):
        if "error" in request:
            print_json(request)
            continue
        conversation = request.get("conversation_id")
        cid = str(conversation) if conversation is not None else f"jsonl-line-{lineno}"
        try:
            result = router.plan(request["prompt"], conversation_id=cid, policy=policy, strategy=strategy)
            out = result.to_dict()
            out["line"] = lineno
            print_json(out)
        except PtmoError as exc:
            print_json({"line": lineno, "error": str(exc)})
        finally:
            if conversation is None:
                router.vaults.drop(cid)


def _requests(lines: TextIO) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, ``{"prompt": ..., "conversation_id"?: ...}`` or ``{"line", "error"}``)
    for every non-blank input line."""
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield lineno, {"line": lineno, "error": f"not valid JSON: {exc}"}
            continue
        if not isinstance(obj, dict) or ("query" in obj) == ("messages" in obj):
            yield lineno, {"line": lineno, "error": 'expected an object with exactly one of "query" or "messages"'}
            continue
        yield lineno, {"prompt": obj.get("query", obj.get("messages")),
                       "conversation_id": obj.get("conversation_id")}


@app.command()
def plugins(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table.")) -> None:
    """The plugins loaded: name, hooks, distribution, built-in or not."""
    from .plugin_manager import plugin_summary

    rows = plugin_summary()
    if as_json:
        print_json(rows)
        return
    table = Table(title="plugins", title_justify="left")
    for col in ("name", "hooks (register_*)", "distribution", "builtin"):
        table.add_column(col, overflow="fold")
    for r in rows:
        name = r["name"].removeprefix("ptmo_middleware.plugins.") if r["builtin"] else r["name"]
        hooks = ", ".join(h.removeprefix("register_") for h in r["hooks"])
        table.add_row(Text(name), hooks, Text(r["distribution"] or "-"), "yes" if r["builtin"] else "no")
    console.print(table)


# --- more commands go below this line, one small block each (see the module docstring) ---


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

    from .audit import default_path, read_records, resolve_path, summarize
    from .config import Settings

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


# --- privacy budget ---
budget_app = typer.Typer(cls=_PtmoGroup, help="Show or reset privacy-budget accounts.", no_args_is_help=True)
app.add_typer(budget_app, name="budget")


def _budget(ctx: typer.Context) -> Any:
    from .budget import PrivacyBudget
    from .config import Settings

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


@app.command()
def chat(
    ctx: typer.Context,
    local: Optional[str] = typer.Option(None, "--local", help="Local model, e.g. embedded or ollama:llama3.2:3b."),
    cloud: Optional[str] = typer.Option(None, "--cloud", help="Cloud model, e.g. groq:llama-3.3-70b-versatile."),
    policy: Optional[str] = typer.Option(None, "--policy", help="Router policy (threshold, local-only, ...)."),
    aggregator: Optional[str] = typer.Option(None, "--aggregator", help="restore, merge or local-refine."),
    show_route: bool = typer.Option(False, "--show-route", help="Also print exactly what left the device each turn."),
    max_tokens: Optional[int] = typer.Option(None, "--max-tokens", help="Answer length per model call."),
) -> None:
    """Chat in the terminal, answers streamed, each followed by a status line (route,
    spans, time); the conversation is kept (its placeholders too). /why explains the last
    route, /route toggles showing what left the device, /reset starts a new conversation,
    /quit leaves."""
    router = make_router(ctx, local=local, cloud=cloud, policy=policy, aggregator=aggregator)
    err_console.print(f"local: {router.settings.local}   cloud: {router.settings.cloud}   "
                      "(/why explains the last route, /route toggles what left the device, "
                      "/reset forgets the conversation, /quit or Ctrl-D leaves)")
    load = getattr(router.local_backend, "load", None)
    if load is not None:  # an in-process model: loaded now, not inside the first answer
        err_console.print(Text("loading the local model...", style="dim"))
        load()
    session = ChatSession(router, max_tokens)
    while True:
        try:
            line = console.input("[bold]you> [/bold]")
        except EOFError:
            break
        command = line.strip()
        if command in ("/quit", "/exit"):
            break
        if command == "/route":
            show_route = not show_route
            err_console.print(f"route display {'on' if show_route else 'off'}")
            continue
        if command == "/reset":
            session.reset()
            err_console.print("conversation reset: history and placeholders forgotten")
            continue
        if command == "/why":
            err_console.print(Text(safe_text("\n".join(session.why()))))
            continue
        if not command:
            continue
        try:
            for chunk in session.say(line):
                if chunk.reply is None:
                    console.print(Text(safe_text(chunk.text)), end="")
                else:
                    console.print()
                    _show_chat_outcome(chunk.reply, show_route)
        except PtmoError as exc:  # one failed turn does not end the chat
            console.print()
            err_console.print(Text(f"Error: {safe_text(str(exc))}", style="bold red"))


class ChatSession:
    """A terminal conversation: every turn sends the history with the new message, under
    one conversation id, so placeholders stay consistent; a failed turn is not kept."""

    def __init__(self, router: Any, max_tokens: int | None) -> None:
        self.router = router
        self.max_tokens = max_tokens
        self.last: Any = None
        """The :class:`~ptmo_middleware.execution.Reply` of the last answered turn."""
        self.reset()

    def reset(self) -> None:
        """Forget the history and the conversation's placeholders."""
        self.history: list[dict[str, str]] = []
        self.conversation = f"chat-{uuid.uuid4().hex}"
        self.last = None

    def say(self, line: str) -> Iterator[Any]:
        """Stream the answer to ``line``; the turn joins the history once answered."""
        messages = self.history + [{"role": "user", "content": line}]
        for chunk in self.router.stream(messages, conversation_id=self.conversation, max_tokens=self.max_tokens):
            if chunk.reply is not None:
                self.history = messages + [{"role": "assistant", "content": chunk.reply.text}]
                self.last = chunk.reply
            yield chunk

    def why(self) -> list[str]:
        """Lines explaining the last turn's route; see :func:`explain_route`."""
        if self.last is None:
            return ["nothing to explain yet: ask something first"]
        return explain_route(self.last, self.router.settings, self.router.classifier_names)


def _count_types(spans: list[Any]) -> str:
    """``EMAIL_ADDRESS x2, PERSON x1``, or ``none``."""
    counts: dict[str, int] = {}
    for span in spans:
        counts[span.entity_type] = counts.get(span.entity_type, 0) + 1
    return ", ".join(f"{t} x{n}" for t, n in sorted(counts.items())) or "none"


def status_line(reply: Any) -> str:
    """One line on a turn: level and route, the spans by type, whether anything left the
    device, who answered and how long it took. Never a detected value."""
    plan = reply.plan
    sent = "sent to the cloud" if reply.left_device else "nothing left the device"
    seconds = reply.timings_ms.get("total", 0.0) / 1e3
    return (f"[{plan.level.name} -> {plan.route.value} | spans: {_count_types(plan.spans)} | {sent} | "
            f"answered by {', '.join(reply.backends.values()) or 'nobody'} | {seconds:.1f} s]  /why explains")


def explain_route(reply: Any, settings: Any, classifiers: list[str]) -> list[str]:
    """Why ``reply``'s request went where it went: the plan's route and level, the spans
    by type and the classifiers that found them, the policy's decision per part (with the
    threshold table when the policy is ``threshold``), the shield's and budget's notes,
    and what left the device. Types, levels and counts only: never a detected value."""
    plan = reply.plan
    c = plan.classification
    lines = [f"route: {plan.route.value} (request level {c.level.name}, score {c.score:.2f}, "
             f"{len(plan.parts)} part(s) by the {plan.strategy} decomposer)",
             f"spans by type: {_count_types(plan.spans)}"]
    found = sorted({s.source for s in plan.spans})
    lines.append(f"classifiers: {', '.join(classifiers) or 'none'} ran"
                 + (f"; spans found by {', '.join(found)}" if found else "")
                 + (f"; failed: {', '.join(c.failed)}" if c.failed else ""))
    decisions = "; ".join(f"part {i + 1} ({p.level.name}, {'maskable' if p.maskable else 'not maskable'}"
                          f"{', ' + _count_types(p.spans) if p.spans else ''}) -> {p.route.value}"
                          for i, p in enumerate(plan.parts))
    lines.append(f"policy {plan.policy}: {decisions}")
    if plan.policy == "threshold":
        table = ", ".join(f"{level.name} -> {action}" for level, action in sorted(settings.thresholds.items()))
        lines.append(f"  thresholds: {table}")
    lines += [f"  note: {note}" for note in plan.notes]
    if reply.left_device:
        lines.append(f"left the device: {len(plan.cloud_messages)} message(s), detected values replaced by "
                     "placeholders where masked (--show-route or /route prints them)")
    else:
        lines.append("nothing left the device")
    if reply.cloud_error:
        lines.append("the cloud failed, so the answer came from this device")
    return lines


def _show_chat_outcome(reply: Any, show_route: bool) -> None:
    """A cloud failure always, then the status line; with ``show_route``, exactly what
    left the device (or that nothing did)."""
    if reply.cloud_error:
        err_console.print(Text(safe_text(f"[the cloud failed, answered on this device: {reply.cloud_error}]"),
                               style="yellow"))
    err_console.print(Text(safe_text(status_line(reply)), style="dim"))
    if not show_route:
        return
    sent = (f"left the device: {' | '.join(m.content for m in reply.plan.cloud_messages)}" if reply.left_device
            else "nothing left the device")
    flags = f"  flags: {', '.join(reply.flags)}" if reply.flags else ""
    err_console.print(Text(safe_text(f"[{sent}]{flags}"), style="dim"))


# --- the OpenAI-compatible gateway: ptmo serve ---
@app.command()
def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes (more than 1 needs a shared "
                                "vault store: sqlite or redis)."),
    config: Optional[Path] = typer.Option(None, "--config", help="TOML settings file (else the global --config, "
                                          "else $PTMO_CONFIG)."),
    log_level: str = typer.Option("info", "--log-level", help="debug, info, warning or error."),
) -> None:
    """Serve OpenAI's Chat Completions API in front of the router (docs/gateway.md)."""
    import copy
    import os

    try:
        import uvicorn
        from uvicorn.config import LOGGING_CONFIG

        from .gateway import create_app
    except ImportError as exc:
        raise PtmoError(f"ptmo serve needs the serve extra: pip install 'ptmo-middleware[serve]' ({exc})") from None
    from .config import Settings
    from .errors import ConfigError
    from .router import PrivacyRouter

    state = ctx.obj if isinstance(ctx.obj, CliState) else CliState()
    path = config or state.config
    if path is not None:
        os.environ["PTMO_CONFIG"] = str(path)  # worker processes load the same file
    settings = Settings.load(path)
    if workers > 1 and settings.vault.store == "memory":
        raise ConfigError("--workers > 1 needs a vault store the workers share: set vault.store (or "
                          "PTMO_VAULT__STORE) to sqlite or redis://..., and PTMO_VAULT_KEY")
    log_config = copy.deepcopy(LOGGING_CONFIG)
    log_config["loggers"]["ptmo_middleware"] = {"handlers": ["default"], "level": log_level.upper()}
    common: dict[str, Any] = dict(host=host, port=port, log_level=log_level, log_config=log_config,
                                  access_log=False, timeout_graceful_shutdown=30)
    if workers == 1:
        uvicorn.run(create_app(PrivacyRouter(settings)), **common)
    else:
        uvicorn.run("ptmo_middleware.gateway:create_app", factory=True, workers=workers, **common)


# --- commands from other packages (the lab's training, evaluation and LoRA commands) ---
for _entry in importlib.metadata.entry_points(group=COMMANDS_ENTRY_POINT_GROUP):
    _entry.load()(app)
