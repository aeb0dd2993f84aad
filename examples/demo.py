"""``make demo``: a scripted conversation through the privacy router, on this machine.

Each turn prints the sensitivity level, the route, exactly what left the device (the
plan's cloud payload, which is what the cloud call carried), what stayed, and the answer. The local model is Ollama when ``OLLAMA_HOST`` is
set, else the embedded Gemma 3 270M (converted from its GGUF once, then cached). The
cloud is Groq when ``GROQ_API_KEY`` is set; without one, the embedded model stands in
for the cloud, labelled as such, so the demo runs with no network at all.

Run: ``python examples/demo.py`` (``--max-tokens N`` for longer answers).
"""
from __future__ import annotations

import argparse
import os
import sys
import textwrap
import time

from ptmo_middleware.execution import Reply
from ptmo_middleware.router import PrivacyRouter
from ptmo_middleware.types import SensitivityLevel

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


def show_turn(n: int, title: str, prompt: str, reply: Reply, cloud_label: str) -> list[str]:
    """Print the decision for one turn; return the PRIVATE values found in the payload
    (always empty unless something is badly wrong)."""
    plan = reply.plan
    print(f"\n=== Turn {n}: {title} ===")
    print(f"You:      {prompt}")
    types = ", ".join(f"{s.entity_type}({s.level.name.lower()})" for s in plan.spans) or "none"
    print(f"Level:    {plan.level.name}   detected: {types}")
    print(f"Route:    {plan.route.value}   parts: " + ", ".join(p.route.value for p in plan.parts))
    if reply.cloud_error:
        print(f"Cloud:    failed, answered on this device: {reply.cloud_error}")
    if reply.left_device:
        print(f"Left the device, to {cloud_label}:")
        for m in plan.cloud_messages:
            print(textwrap.indent(textwrap.fill(m.content, 88), "    | "))
    else:
        print("Left the device: nothing")
    for ph, value in plan.placeholders.items():
        print(f"Kept:     {value!r} -> {ph}")
    for part in plan.local_parts:
        print(f"Kept:     part answered on the device: {part.text!r}")
    leaked = [s.text for s in plan.spans if s.level >= SensitivityLevel.PRIVATE and s.maskable
              and any(s.text in payload for payload in plan.cloud_payloads)]
    n_private = sum(1 for s in plan.spans if s.level >= SensitivityLevel.PRIVATE)
    print(f"Check:    {n_private} PRIVATE unit(s) detected, {len(leaked)} in what left the device"
          + ("  OK" if not leaked else "  VIOLATION"))
    return leaked


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
    violations: list[str] = []
    sent = 0
    strict = PrivacyRouter(local=router.local_backend, cloud=router.cloud_backend, **STRICT)
    turns = [(router, title, prompt) for title, prompt in TURNS] + [(strict, *STRICT_TURN)]
    for n, (turn_router, title, prompt) in enumerate(turns, 1):
        reply = turn_router.invoke(prompt, conversation_id="demo", max_tokens=args.max_tokens)
        violations += show_turn(n, title, prompt, reply, cloud_label)
        sent += reply.left_device
        answered = " + ".join(f"{side}: {name}" for side, name in reply.backends.items())
        flags = f"  flags: {', '.join(reply.flags)}" if reply.flags else ""
        print(f"Answer    ({answered}; {reply.timings_ms['total'] / 1000:.1f} s){flags}:")
        for paragraph in (reply.text or "(empty)").split("\n\n"):
            print(textwrap.indent(textwrap.fill(paragraph, 88), "    > "))
    print(f"\n{len(turns)} turns, {sent} with a cloud call, "
          f"{len(violations)} PRIVATE values in what left the device. Total {time.perf_counter() - t0:.0f} s.")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
