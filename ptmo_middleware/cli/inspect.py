"""``ptmo classify``, ``ptmo plan`` (readable or JSON lines) and ``ptmo plugins``: what the
router would do, without calling a model."""
from __future__ import annotations

import contextlib
import json
import sys
from typing import TYPE_CHECKING, Any, ContextManager, Iterator, Optional, TextIO

import typer
from rich.table import Table
from rich.text import Text

from ..errors import InvalidPromptError, PtmoError

if TYPE_CHECKING:
    from ..router import PrivacyRouter
    from ..types import Classification, Plan

from .app import app, console, make_router, print_json, safe_text
from .explain import explain_plan


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
        ("  decomposer ", "bold"), plan.decomposer))
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
    decomposer: Optional[str] = typer.Option(None, "--decomposer", help="Decomposer (auto, entity, sentence, clause)."),
    classifier: Optional[list[str]] = ClassifierOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
    jsonl: bool = typer.Option(False, "--jsonl", help='Read JSON lines {"query": ...} or {"messages": [...]}; write one plan a line.'),
    why: bool = typer.Option(False, "--why", help="Also say why the route was chosen (types and counts, no values)."),
) -> None:
    """What of TEXT would leave the device: spans, parts and routes, exact cloud payloads."""
    if jsonl:
        with _open_lines(text) as lines:
            _plan_jsonl(make_router(ctx, classifiers=classifier or None), lines, policy, decomposer)
        return
    prompt = _read_text(text)
    router = make_router(ctx, classifiers=classifier or None)
    result = router.plan(prompt, policy=policy, decomposer=decomposer)
    if as_json:
        print_json(result.to_dict() | ({"why": explain_plan(result, router.settings, router.classifier_names)}
                                       if why else {}))
        return
    _show_plan(result)
    if why:
        console.print("why", style="bold")
        for line in explain_plan(result, router.settings, router.classifier_names):
            console.print(Text(safe_text(line)))


def _open_lines(path: str | None) -> ContextManager[TextIO]:
    """stdin (left open afterwards) for ``None`` or ``-``, else the file, opened now so
    that a wrong path fails before any classifier is loaded."""
    if path in (None, "-"):
        return contextlib.nullcontext(sys.stdin)
    try:
        return open(path, encoding="utf-8", errors="surrogateescape")
    except OSError as exc:
        raise InvalidPromptError(f"cannot read {path}: {exc.strerror}") from None


def _plan_jsonl(router: "PrivacyRouter", lines: TextIO, policy: str | None, decomposer: str | None) -> None:
    for lineno, request in _requests(lines):
        if "error" in request:
            print_json(request)
            continue
        conversation = request.get("conversation_id")
        cid = str(conversation) if conversation is not None else f"jsonl-line-{lineno}"
        try:
            result = router.plan(request["prompt"], conversation_id=cid, policy=policy, decomposer=decomposer)
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
    from ..plugin_manager import plugin_summary

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
