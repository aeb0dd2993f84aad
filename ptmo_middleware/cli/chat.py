"""``ptmo chat``: a conversation in the terminal, answers streamed, the route explained on
``/why``."""
from __future__ import annotations

import uuid
from typing import Any, Iterator, Optional

import typer
from rich.text import Text

from ..errors import PtmoError
from .explain import count_types, explain_plan
from .app import app, console, err_console, make_router, safe_text


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


def status_line(reply: Any) -> str:
    """One line on a turn: level and route, the spans by type, whether anything left the
    device, who answered and how long it took. Never a detected value."""
    plan = reply.plan
    sent = "sent to the cloud" if reply.left_device else "nothing left the device"
    seconds = reply.timings_ms.get("total", 0.0) / 1e3
    return (f"[{plan.level.name} -> {plan.route.value} | spans: {count_types(plan.spans)} | {sent} | "
            f"answered by {', '.join(reply.backends.values()) or 'nobody'} | {seconds:.1f} s]  /why explains")


def explain_route(reply: Any, settings: Any, classifiers: list[str]) -> list[str]:
    """Why ``reply``'s request went where it went (:func:`.explain.explain_plan`), then
    whether anything left the device and whether the cloud failed."""
    lines = explain_plan(reply.plan, settings, classifiers)
    if reply.left_device:
        lines.append(f"left the device: {len(reply.plan.cloud_messages)} message(s), detected values replaced by "
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
