"""A seeded generator of synthetic user histories, for demos, tests and benchmarks.

The user has a persona (name, city, job, pet, a sign-off) and a recurring writing style
that the assistant's replies follow, so an adapter trained on it has something real to
learn; some prompts carry secrets (passwords, API keys, SSNs) that scrubbing must remove before training.
"""
from __future__ import annotations

import json
import random
import string
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

_NAMES = ["Mira", "Tomasz", "Aiko", "Dele", "Ines", "Rohan", "Freya", "Mateo"]
_CITIES = ["Leeds", "Porto", "Osaka", "Lagos", "Tartu", "Pune", "Bergen", "Cusco"]
_JOBS = ["hydrologist", "bakery owner", "night-shift nurse", "bus driver", "violin teacher",
         "data analyst", "beekeeper", "ferry engineer"]
_PETS = ["a greyhound called Pixel", "two cats, Miso and Tofu", "a tortoise called Brunel",
         "a parrot called Otto"]
_SIGNOFFS = ["Onwards!", "Keep it steady.", "Small steps, big days.", "Tea first, then the rest."]

_TOPICS: list[tuple[str, str]] = [
    ("Can you plan my {day} around my {job} shift?",
     "Right, {name}: for {day}, start with the {job} work while your head is fresh, "
     "take a proper break around noon, and keep the evening for {pet}. {signoff}"),
    ("What should I cook tonight? I'm tired after work in {city}.",
     "Right, {name}: something quick, then. A one-pan {dish} takes twenty minutes, "
     "and the leftovers make tomorrow's lunch. {signoff}"),
    ("Help me write a short message to my manager about {issue}.",
     "Right, {name}: keep it short. \"Hi, a quick heads-up about {issue}: I have a plan "
     "and will update you by {day}.\" Clear and calm. {signoff}"),
    ("Any ideas for the weekend in {city}?",
     "Right, {name}: a slow morning walk with {pet}, then the market in {city}, "
     "and one new cafe you have not tried yet. {signoff}"),
    ("How do I stay focused when {issue} keeps coming up?",
     "Right, {name}: write {issue} on a card, give it one fixed slot on {day}, "
     "and let the rest of the week belong to the {job} work. {signoff}"),
    ("Remind me what matters for my {job} review on {day}.",
     "Right, {name}: three points for {day}: what you delivered, what you learnt, "
     "and one thing you want to try next as a {job}. {signoff}"),
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
_DISHES = ["chickpea curry", "lemon pasta", "egg fried rice", "tomato soup", "bean chilli"]
_ISSUES = ["the late invoice", "the rota change", "the broken printer", "the new software",
           "the budget cut", "the missed deadline"]
_SECRET_WHATS = ["wifi", "bank app", "work laptop", "email"]


def _password(rng: random.Random) -> tuple[str, str]:
    secret = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(10))
    secret += rng.choice("!#%") + str(rng.randint(10, 99))
    template = rng.choice(["My {what} password is {s}, can you remind me where I use it?",
                           "Note for later: the {what} pw: {s} (do not share it)."])
    return secret, template.format(what=rng.choice(_SECRET_WHATS), s=secret)


def _api_key(rng: random.Random) -> tuple[str, str]:
    secret = "sk-" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(32))
    return secret, f"Here is my API key {secret} for the script."


def _ssn(rng: random.Random) -> tuple[str, str]:
    secret = f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"
    return secret, f"My SSN is {secret} for the tax form."


#: Kinds of planted secret: each returns (secret, sentence carrying it).
SECRET_KINDS = {"password": _password, "api_key": _api_key, "ssn": _ssn}


@dataclass
class GeneratedHistory:
    """The records written to disk, plus the persona and the secrets planted in them."""

    records: list[dict[str, Any]]
    persona: dict[str, str]
    secrets: list[str] = field(default_factory=list)

    @property
    def n_turns(self) -> int:
        return sum(sum(m["role"] == "assistant" for m in r["messages"]) for r in self.records)

    def write(self, path: str | Path) -> Path:
        """Write as JSONL (``.jsonl``) or as ``{"conversations": [...]}`` JSON."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        if p.suffix.lower() == ".jsonl":
            p.write_text("".join(json.dumps(r) + "\n" for r in self.records), encoding="utf-8")
        else:
            p.write_text(json.dumps({"conversations": self.records}, indent=1), encoding="utf-8")
        return p


def generate_history(n_turns: int = 300, seed: int = 0, secret_rate: float = 0.1,
                     turns_per_conversation: int = 3) -> GeneratedHistory:
    """``n_turns`` user/assistant exchanges in conversations of ``turns_per_conversation``,
    timestamped a few hours apart; about ``secret_rate`` of prompts carry a secret
    (a password, an API key or a US SSN; see :data:`SECRET_KINDS`)."""
    rng = random.Random(seed)
    persona = {"name": rng.choice(_NAMES), "city": rng.choice(_CITIES), "job": rng.choice(_JOBS),
               "pet": rng.choice(_PETS), "signoff": rng.choice(_SIGNOFFS)}
    clock = datetime(2025, 1, 6, 8, 0, tzinfo=timezone.utc)
    records: list[dict[str, Any]] = []
    secrets: list[str] = []
    messages: list[dict[str, Any]] = []
    for i in range(n_turns):
        slots = dict(persona, day=rng.choice(_DAYS), dish=rng.choice(_DISHES), issue=rng.choice(_ISSUES))
        prompt_t, response_t = rng.choice(_TOPICS)
        prompt = prompt_t.format(**slots)
        if rng.random() < secret_rate:
            secret, sentence = SECRET_KINDS[rng.choice(sorted(SECRET_KINDS))](rng)
            secrets.append(secret)
            prompt = sentence + " " + prompt
        clock += timedelta(minutes=rng.randint(30, 600))
        messages.append({"role": "user", "content": prompt, "timestamp": clock.isoformat().replace("+00:00", "Z")})
        messages.append({"role": "assistant", "content": response_t.format(**slots)})
        if len(messages) == 2 * turns_per_conversation or i == n_turns - 1:
            records.append({"id": f"conv-{len(records):04d}", "messages": messages})
            messages = []
    return GeneratedHistory(records, persona, secrets)
