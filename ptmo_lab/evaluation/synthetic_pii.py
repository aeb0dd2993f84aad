"""Seeded synthetic PII sentences (Faker + templates) with gold spans.

Used to score detectors (``benchmarks/pii_detection.py``) and as generated training
data for the unit tagger. The same seed always gives the same sentences. Templates
mix upper- and lower-case mentions, secrets and government IDs, and realistic
sentences with no PII at all (for false positives).
"""
from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass, field
from typing import Callable

#: Gold entity types and the ``[SLOT]`` names that produce them.
SLOT_TYPES: dict[str, str] = {
    "NAME": "PERSON", "FIRST": "PERSON", "LAST": "PERSON", "HANDLE": "USERNAME",
    "COMPANY": "ORGANIZATION", "CITY": "LOCATION", "COUNTRY": "LOCATION",
    "ADDRESS": "ADDRESS", "EMAIL": "EMAIL_ADDRESS", "PHONE": "PHONE_NUMBER",
    "CARD": "CREDIT_CARD", "IBAN": "IBAN_CODE", "SSN": "US_SSN", "IP": "IP_ADDRESS",
    "URL": "URL", "DOB": "DATE_OF_BIRTH", "PASSWORD": "PASSWORD", "AWS": "API_KEY",
    "GITHUB": "API_KEY", "OPENAI": "API_KEY", "STRIPE": "API_KEY", "SLACK": "API_KEY",
    "JWT": "JWT", "PASSPORT": "US_PASSPORT", "PATH": "FILE_PATH",
}
SECRET_TYPES = frozenset({"PASSWORD", "API_KEY", "JWT"})
GOV_ID_TYPES = frozenset({"US_SSN", "US_PASSPORT"})

_PII_TEMPLATES = [
    "Hi, my name is [NAME] and I work at [COMPANY] in [CITY].",
    "Please write a cover letter for [NAME], who is applying to [COMPANY].",
    "Can you reply to [FIRST] and tell them the meeting moved to Thursday?",
    "Draft an email to [NAME] ([EMAIL]) about the overdue invoice.",
    "Call me back at [PHONE] when you get this.",
    "My card number is [CARD], expiry 09/27, is it safe to store it in a note?",
    "Transfer the deposit to IBAN [IBAN] before Friday.",
    "My social security number is [SSN], can you check the form for errors?",
    "The server at [IP] keeps timing out, how do I debug it?",
    "Here is my portfolio: [URL] - what would you improve?",
    "I was born on [DOB] in [CITY], [COUNTRY].",
    "I live at [ADDRESS], what is the nearest pharmacy?",
    "My password is [PASSWORD] but the login page rejects it.",
    "export AWS_ACCESS_KEY_ID=[AWS] and then run the deploy script",
    "Why does git push fail with the token [GITHUB]?",
    "client = OpenAI(api_key=\"[OPENAI]\") raises an authentication error",
    "Our Stripe key [STRIPE] was committed to the repo, what should we do?",
    "The Slack bot uses [SLACK], can you rotate it?",
    "Decode this JWT for me: [JWT]",
    "My passport number is [PASSPORT] and it expires next year.",
    "follow me on instagram [HANDLE] for more recipes",
    "write a linkedin summary for [NAME], senior accountant at [COMPANY]",
    "dear [FIRST], thanks for the interview at [COMPANY] yesterday.",
    "summarise the complaint [NAME] sent to [COMPANY] about the refund",
    "The log file is at [PATH], can you explain the stack trace?",
    "ask [first] from [company] to send the signed contract to [EMAIL]",
    "[NAME] moved from [CITY] to [COUNTRY] last spring and needs a tax advisor.",
    "Translate to Spanish: [NAME] will arrive at [ADDRESS] at noon.",
    "Reply to [EMAIL] saying [FIRST] is out of office until Monday.",
    "is [PHONE] a valid phone number format for [COUNTRY]?",
]

_CLEAN_TEMPLATES = [
    "How do I sort a list of dictionaries by a key in Python?",
    "Explain the difference between TCP and UDP in simple terms.",
    "Write a haiku about the first snow of winter.",
    "What are the health benefits of eating more fibre?",
    "Summarise the causes of the French Revolution in five bullet points.",
    "Give me a weekly workout plan for a beginner with no equipment.",
    "Translate 'good morning, how are you?' into German.",
    "What is the capital of Australia and why was it chosen?",
    "Can you explain how compound interest works with an example?",
    "Write a SQL query that counts orders per month.",
    "Why does my JavaScript promise resolve before the loop ends?",
    "Suggest three names for a cat that likes to sleep in boxes.",
    "What is the time complexity of binary search?",
    "Draft a polite reminder that the report is due on Monday.",
    "How many grams of protein are in a cup of lentils?",
    "Explain photosynthesis to a ten year old.",
    "What is the difference between a Roth IRA and a traditional IRA?",
    "Write unit tests for a function that reverses a string in Java.",
    "List five tips for a job interview at a large company.",
    "How do I center a div with CSS Grid?",
    "Compose a short speech for a team celebration on Friday.",
    "What does the Docker error 'port is already allocated' mean?",
    "Recommend a reading list on the history of the Roman Empire.",
    "How should I prepare for the IELTS speaking test?",
    "Convert 72 degrees Fahrenheit to Celsius.",
    "Write a product description for a stainless steel water bottle.",
    "What are the symptoms of dehydration in adults?",
    "Explain Kubernetes pods and deployments to a new engineer.",
    "Plan a three day itinerary for a trip to the mountains in October.",
    "Rewrite this paragraph in a more formal tone, please.",
]

_TOPICS = ["Python", "Rust", "the stock market", "machine learning", "gardening", "English grammar",
           "the Linux kernel", "climate change", "the Renaissance", "Excel formulas", "React hooks",
           "marathon training", "budget travel", "photography", "the Cold War", "quantum computing"]
_CLEAN_FRAMES = [
    "Write a short introduction to {t} for beginners.",
    "What are the most common mistakes people make with {t}?",
    "Give me three interview questions about {t}.",
    "Explain {t} as if I were a high school student.",
    "What books would you recommend on {t}?",
    "Create a study plan to learn {t} in four weeks.",
]


@dataclass
class Sample:
    """One synthetic sentence and its gold spans ``(start, end, entity_type)``;
    ``template`` is the index of its PII template (-1: a sentence without PII)."""

    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    template: int = -1


def _b64(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits + "-_") -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def luhn_complete(body: str) -> str:
    """``body`` plus its Luhn check digit (a valid card number when ``body`` is one short)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def _card(rng: random.Random) -> str:
    prefix = rng.choice(["4", "51", "55", "37"])
    number = luhn_complete(prefix + "".join(rng.choice(string.digits) for _ in range(15 - len(prefix))))
    sep = rng.choice(["", " ", "-"])
    return sep.join(number[i:i + 4] for i in range(0, 16, 4))


def _ssn(rng: random.Random) -> str:
    area = rng.choice([n for n in range(1, 900) if n != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def _password(rng: random.Random) -> str:
    word = rng.choice(["sunflower", "dragon", "Monkey", "winter", "Tr0ub4dor", "blue"])
    return f"{word}{rng.randint(10, 9999)}{rng.choice('!#$%&*')}"


def _value_makers(fake) -> dict[str, Callable[[random.Random], str]]:
    """Slot -> function(rng) producing a value."""
    return {
        "NAME": lambda r: fake.name(), "FIRST": lambda r: fake.first_name(),
        "LAST": lambda r: fake.last_name(), "COMPANY": lambda r: fake.company(),
        "CITY": lambda r: fake.city(), "COUNTRY": lambda r: fake.country(),
        "ADDRESS": lambda r: fake.street_address() + ", " + fake.city(),
        "EMAIL": lambda r: fake.email(), "PHONE": lambda r: fake.phone_number(),
        "CARD": _card, "IBAN": lambda r: fake.iban(), "SSN": _ssn, "IP": lambda r: fake.ipv4_public(),
        "URL": lambda r: fake.url() + r.choice(["", "about", "portfolio/2024"]),
        "DOB": lambda r: fake.date_of_birth(minimum_age=18, maximum_age=80).strftime(
            r.choice(["%d/%m/%Y", "%B %d, %Y", "%Y-%m-%d"])),
        "PASSWORD": _password,
        "AWS": lambda r: "AKIA" + "".join(r.choice(string.ascii_uppercase + "234567") for _ in range(16)),
        "GITHUB": lambda r: "ghp_" + _b64(r, 36, string.ascii_letters + string.digits),
        "OPENAI": lambda r: "sk-" + _b64(r, 48, string.ascii_letters + string.digits),
        "STRIPE": lambda r: "sk_live_" + _b64(r, 24, string.ascii_letters + string.digits),
        "SLACK": lambda r: f"xoxb-{r.randint(10**10, 10**11)}-{r.randint(10**10, 10**11)}-{_b64(r, 24, string.ascii_letters + string.digits)}",
        "JWT": lambda r: "eyJhbGciOiJIUzI1NiJ9." + "eyJ" + _b64(r, 40) + "." + _b64(r, 43),
        "PASSPORT": lambda r: f"{r.choice(string.ascii_uppercase)}{r.randint(10**7, 10**8 - 1)}",
        "HANDLE": lambda r: "@" + fake.user_name(),
        "PATH": lambda r: r.choice(["/home/", "C:\\Users\\"]) + fake.user_name()
        + r.choice(["/logs/app.log", "\\Documents\\report.docx", "/projects/api/server.py"]),
    }


_SLOT = re.compile(r"\[([A-Za-z]+)\]")


def fill_slots(template: str, makers: dict[str, Callable[[random.Random], str]], rng: random.Random,
               slot_types: dict[str, str]) -> tuple[str, list[tuple[int, int, str]]]:
    """``template`` with each ``[SLOT]`` replaced by ``makers[SLOT](rng)`` (lower-cased for a
    ``[slot]`` in lower case, as users often type names), and the gold span of each value,
    typed by ``slot_types``."""
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    length = 0
    for m in _SLOT.finditer(template):
        literal = template[pos:m.start()]
        out.append(literal)
        length += len(literal)
        slot = m.group(1)
        value = makers[slot.upper()](rng)
        if slot.islower():
            value = value.lower()
        out.append(value)
        spans.append((length, length + len(value), slot_types[slot.upper()]))
        length += len(value)
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), spans


def generate(n: int = 600, seed: int = 7, clean_share: float = 0.25,
             locales: tuple[str, ...] = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "nl_NL"),
             templates: str = "all") -> list[Sample]:
    """``n`` samples: about ``clean_share`` of them with no PII, the rest one template
    each filled with Faker values of a locale drawn at random (seeded).

    ``templates`` picks the PII templates: ``"all"``, ``"even"`` (the ones the trained
    tagger learns from) or ``"odd"`` (never seen in training)."""
    if templates not in ("all", "even", "odd"):
        raise ValueError("templates must be 'all', 'even' or 'odd'")
    pool = [i for i in range(len(_PII_TEMPLATES))
            if templates == "all" or (i % 2 == 0) == (templates == "even")]
    from faker import Faker

    rng = random.Random(seed)
    fakers = {}
    for i, loc in enumerate(locales):
        f = Faker(loc)
        f.seed_instance(seed + i)
        fakers[loc] = _value_makers(f)
    samples: list[Sample] = []
    for _ in range(n):
        if rng.random() < clean_share:
            if rng.random() < 0.5:
                samples.append(Sample(rng.choice(_CLEAN_TEMPLATES)))
            else:
                samples.append(Sample(rng.choice(_CLEAN_FRAMES).format(t=rng.choice(_TOPICS))))
            continue
        makers = fakers[rng.choice(locales)]
        k = rng.choice(pool)
        text, spans = fill_slots(_PII_TEMPLATES[k], makers, rng, SLOT_TYPES)
        samples.append(Sample(text, spans, k))
    return samples
