"""``make demo``: a scripted conversation through the privacy router, on this machine.

Each turn prints what was detected (types, never values), exactly what left the device
(the plan's cloud payload, which is what the cloud call carried) or that nothing did,
the answer with the masked values restored, and why the router chose the route
(:func:`ptmo_middleware.cli.explain.explain_plan`). A summary computed from the turns
closes the run. The local model is Ollama when ``OLLAMA_HOST`` is set, else the
embedded Gemma 3 270M (converted from its GGUF once, then cached). The cloud is Groq
when ``GROQ_API_KEY`` is set; without one, the embedded model stands in for the cloud,
labelled as such, so the demo runs with no network at all.

Run: ``python examples/demo.py`` (``--max-tokens N`` for longer answers).
"""
from __future__ import annotations

import argparse
import os
import sys
import textwrap
import time
from collections import Counter
from dataclasses import dataclass

from ptmo_middleware.cli.explain import count_types, explain_plan
from ptmo_middleware.execution import Reply
from ptmo_middleware.router import PrivacyRouter
from ptmo_middleware.types import Plan, Route, SensitivityLevel

TURNS = [
    ("a public question", "What is the boiling point of water in Celsius?"),
    ("a password", "My VPN password is Tr0ub4dor&3x. How do I change a password on Linux?"),
    ("a medical question with a name",
     "My colleague Maria Keller was diagnosed with type 2 diabetes. Which foods should she avoid?"),
    ("a job application with an address",
     "Write one line for a cover letter. My name is Tom Becker and I live at 42 Elm Street, Springfield."),
    ("another public question", "How many legs does a spider have?"),
]
#: The password turn again under a stricter policy: PRIVATE sentences never leave the
#: device, not even masked; the local model answers them and the answers are merged.
STRICT_TURN = ("a password, with PRIVATE sentences kept on the device",
               "My VPN password is Tr0ub4dor&3x. How do I change a password on Linux?")
STRICT = {"thresholds": {"private": "local"}, "decomposer": "sentence"}


def choose_backends() -> tuple[str, str, str]:
    """(local spec, cloud spec, a sentence saying which and why)."""
    local = f"ollama:{os.environ.get('PTMO_DEMO_OLLAMA_MODEL', 'llama3.2:3b')}" if os.environ.get("OLLAMA_HOST") \
        else "embedded"
    if os.environ.get("GROQ_API_KEY"):
        return local, "groq:llama-3.3-70b-versatile", "Cloud: Groq (GROQ_API_KEY is set)."
    return local, "embedded", ("No GROQ_API_KEY: nothing goes to a real cloud. The embedded model STANDS IN for "
                               "the cloud, and receives exactly what Groq would have received.")


@dataclass
class TurnRecord:
    """What one turn did, as the summary counts it: what left the device, span types and sizes."""

    route: str
    """``local``, ``cloud`` (raw), ``masked`` (placeholders stood in) or ``split`` (some
    parts answered on the device, the others sent)."""
    masked_types: list[str]
    """The type of each span a placeholder replaced in what was sent."""
    sent: list[str]
    """The texts handed to the cloud backend (empty when nothing left the device)."""
    prompt_bytes: int
    kept_bytes: int
    """UTF-8 bytes of the detected values that never left the device."""
    leaked: int
    """PRIVATE values found in what was sent (0 unless something is badly wrong)."""
    seconds: float


def route_taken(plan: Plan) -> str:
    """The plan's route in the summary's four words (see :attr:`TurnRecord.route`)."""
    if not plan.cloud_parts:
        return "local"
    if plan.local_parts:
        return "split"
    return "masked" if any(p.route is Route.MASKED for p in plan.parts) else "cloud"


def kept_bytes(plan: Plan, left_device: bool) -> int:
    """UTF-8 bytes of the prompt inside detected spans that never left the device: every
    span when nothing was sent, the spans of parts answered locally, and in masked parts
    the maskable spans a placeholder replaced (overlapping spans count once)."""
    kept: set[int] = set()
    for part in plan.parts:
        for span in part.spans:
            stayed = (not left_device or part.route is Route.LOCAL
                      or (part.route is Route.MASKED and span.maskable and span.text not in (part.payload or "")))
            if stayed:
                kept.update(range(span.start, span.end))
    return len("".join(plan.text[i] for i in sorted(kept)).encode())


def record_turn(reply: Reply) -> TurnRecord:
    """The summary's view of one answered turn."""
    plan = reply.plan
    sent = plan.cloud_payloads if reply.left_device else []
    masked = [s.entity_type for p in plan.parts if p.route is Route.MASKED
              for s in p.spans if s.maskable and s.text not in (p.payload or "")] if sent else []
    leaked = sum(1 for s in plan.spans if s.level >= SensitivityLevel.PRIVATE and s.maskable
                 and any(s.text in payload for payload in sent))
    return TurnRecord(route=route_taken(plan), masked_types=masked, sent=sent,
                      prompt_bytes=len(plan.text.encode()), kept_bytes=kept_bytes(plan, reply.left_device),
                      leaked=leaked, seconds=reply.timings_ms.get("total", 0.0) / 1e3)


def show_turn(n: int, title: str, prompt: str, reply: Reply, router: PrivacyRouter, cloud_label: str) -> None:
    """Print one turn: what was detected (types only), what left the device, the answer
    with the values restored, and why the router chose the route."""
    plan = reply.plan
    print(f"\n=== Turn {n}: {title} ===")
    print(f"You:      {prompt}")
    levels = sorted({f"{s.entity_type} {s.level.name}" for s in plan.spans})
    print(f"Detected: {count_types(plan.spans)}" + (f"   (levels: {', '.join(levels)})" if levels else ""))
    if reply.cloud_error:
        print(f"Cloud:    failed, answered on this device: {reply.cloud_error}")
    if reply.left_device:
        print(f"Sent to {cloud_label}:")
        for m in plan.cloud_messages:
            print(textwrap.indent(textwrap.fill(m.content, 88), "    | "))
    else:
        print("Sent:     nothing left the device")
    for ph in plan.placeholders:
        print(f"Kept:     the value behind {ph} stayed on this device")
    for i, part in enumerate(plan.parts, 1):
        if part.route is Route.LOCAL:
            print(f"Kept:     part {i} ({part.level.name}; {count_types(part.spans)}) was answered on this device")
    answered = " + ".join(f"{side}: {name}" for side, name in reply.backends.items())
    flags = f"  flags: {', '.join(reply.flags)}" if reply.flags else ""
    print(f"Answer, values restored ({answered}; {reply.timings_ms['total'] / 1000:.1f} s){flags}:")
    for paragraph in (reply.text or "(empty)").split("\n\n"):
        print(textwrap.indent(textwrap.fill(paragraph, 88), "    > "))
    print("Why:")
    for line in explain_plan(plan, router.settings, router.classifier_names):
        print(f"    {line}")


def run_turns(router: PrivacyRouter, strict: PrivacyRouter, cloud_label: str, max_tokens: int) -> list[TurnRecord]:
    """Ask :data:`TURNS` through ``router`` and :data:`STRICT_TURN` through ``strict``,
    printing each turn; return what each did."""
    turns = [(router, title, prompt) for title, prompt in TURNS] + [(strict, *STRICT_TURN)]
    records = []
    for n, (turn_router, title, prompt) in enumerate(turns, 1):
        reply = turn_router.invoke(prompt, conversation_id="demo", max_tokens=max_tokens)
        show_turn(n, title, prompt, reply, turn_router, cloud_label)
        records.append(record_turn(reply))
    return records


def summarize(records: list[TurnRecord], load_s: float, total_s: float) -> list[str]:
    """The closing summary, computed from ``records`` (``load_s``: model loading time,
    ``total_s``: the whole run's)."""
    routes = Counter(r.route for r in records)
    masked = Counter(t for r in records for t in r.masked_types)
    sent_bytes = sum(len(text.encode()) for r in records for text in r.sent)
    leaked = sum(r.leaked for r in records)
    turn_s = sum(r.seconds for r in records)
    return [
        f"=== Summary of this run: {len(records)} requests ===",
        "Routes:          " + ", ".join(f"{route} {routes[route]}" for route in ("local", "cloud", "masked", "split")),
        f"Masked, by type: {', '.join(f'{t} x{n}' for t, n in sorted(masked.items())) or 'none'}"
        f" ({sum(masked.values())} spans)",
        f"Left the device: {sum(1 for r in records if r.sent)} of {len(records)} requests; "
        f"{sent_bytes} bytes sent for {sum(r.prompt_bytes for r in records)} bytes of prompts",
        f"Kept on device:  {sum(r.kept_bytes for r in records)} bytes of detected values (masked, or in parts "
        "answered locally) never left",
        f"PRIVATE values in what left: {leaked}" + ("  OK" if not leaked else "  VIOLATION"),
        f"Time:            {total_s:.1f} s ({load_s:.1f} s loading the model, {turn_s:.1f} s answering)",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-tokens", type=int, default=32, help="answer length per model call")
    args = parser.parse_args()
    local, cloud, note = choose_backends()
    print("ptmo-middleware demo")
    print(f"Local model: {local}" + ("" if local != "embedded" else " (Gemma 3 270M in this process; "
                                     "set OLLAMA_HOST to use Ollama)"))
    print(note)
    router = PrivacyRouter(local=local, cloud=cloud)
    cloud_label = "Groq" if cloud.startswith("groq") else "the cloud stand-in (embedded model)"
    t0 = time.perf_counter()
    if local == "embedded":
        print("Loading the embedded model (the first run converts the GGUF once, about a minute) ...", flush=True)
        router.local_backend.load()  # type: ignore[attr-defined]
        print(f"Loaded in {time.perf_counter() - t0:.1f} s.")
    load_s = time.perf_counter() - t0
    strict = PrivacyRouter(local=router.local_backend, cloud=router.cloud_backend, **STRICT)
    records = run_turns(router, strict, cloud_label, args.max_tokens)
    print()
    print("\n".join(summarize(records, load_s, time.perf_counter() - t0)))
    return 1 if any(r.leaked for r in records) else 0


if __name__ == "__main__":
    sys.exit(main())
