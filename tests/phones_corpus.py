"""Phone-number corpus: valid numbers of many countries, generated with ``phonenumbers``,
written in several formats inside sentences of two disjoint template families, and
texts full of numbers that are not phone numbers.

``tune`` templates may be adjusted when detection fails on them; ``held`` templates (other
wording, other formats) are only measured. A case is ``(country, family, text, number)``
where ``number`` is the substring of ``text`` a PHONE_NUMBER span must cover.
"""
from __future__ import annotations

import random
from typing import NamedTuple

import phonenumbers
from phonenumbers import PhoneNumberFormat as Fmt
from phonenumbers import PhoneNumberType as Type

COUNTRIES = ("US", "CA", "GB", "DE", "FR", "ES", "IT", "NL", "IN", "CN", "JP", "KR", "BR", "MX", "AU", "ZA",
             "NG", "TR", "PL", "CH", "SE")


class Case(NamedTuple):
    country: str
    family: str
    text: str
    number: str


def _numbers(region: str, rng: random.Random, count: int) -> list[phonenumbers.PhoneNumber]:
    """``count`` valid numbers of ``region`` (mobile and fixed line), varied from the
    library's example numbers in their last digits."""
    out: list[phonenumbers.PhoneNumber] = []
    kinds = (Type.MOBILE, Type.FIXED_LINE)
    tries = 0
    while len(out) < count and tries < 2000:
        tries += 1
        example = phonenumbers.example_number_for_type(region, kinds[len(out) % 2])
        if example is None:
            continue
        digits = str(example.national_number)
        keep = max(3, len(digits) - 4)
        varied = digits[:keep] + "".join(rng.choice("0123456789") for _ in digits[keep:])
        num = phonenumbers.PhoneNumber(country_code=example.country_code, national_number=int(varied))
        if example.italian_leading_zero:
            num.italian_leading_zero = True
        if phonenumbers.is_valid_number(num) and phonenumbers.region_code_for_number(num) == region \
                and num not in out:
            out.append(num)
    return out


def _dotted(num: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(num, Fmt.INTERNATIONAL).replace(" ", ".").replace("-", ".")


def _dashed(num: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(num, Fmt.INTERNATIONAL).replace(" ", "-").replace("+-", "+")


def _national_dashed(num: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(num, Fmt.NATIONAL).replace(" ", "-")


def _double_zero(num: phonenumbers.PhoneNumber) -> str:
    return "00" + phonenumbers.format_number(num, Fmt.INTERNATIONAL)[1:]


def _trunk_in_parens(num: phonenumbers.PhoneNumber) -> str:
    """``+44 (0)20 ...``: the trunk prefix kept in parentheses (where the country has one)."""
    national = phonenumbers.format_number(num, Fmt.NATIONAL)
    intl = phonenumbers.format_number(num, Fmt.INTERNATIONAL)
    if national.startswith("0"):
        return f"+{num.country_code} (0){national[1:]}"
    return intl


def _e164(num: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(num, Fmt.E164)


def _intl(num: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(num, Fmt.INTERNATIONAL)


def _national(num: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(num, Fmt.NATIONAL)


#: Formats, per family. (A national format is only readable with a hint to the country,
#: given by the template's wording or left to a default region.)
TUNE_FORMATS = (_e164, _intl, _national, _national_dashed)
HELD_FORMATS = (_dotted, _dashed, _double_zero, _trunk_in_parens, _intl, _e164)

#: ``{n}`` is the number; templates in English, German, French, Spanish, Italian, Dutch.
TUNE_TEMPLATES = (
    "Call me at {n} tomorrow.",
    "My phone number is {n}.",
    "You can reach her on her mobile, {n}, after five.",
    "Ruf mich bitte unter {n} an.",
    "Meine Telefonnummer: {n}",
    "Mon numéro de téléphone est le {n}.",
    "Llámame al {n} cuando llegues.",
    "Il mio cellulare è {n}.",
    "Phone: {n}\nEmail: j.doe@example.org",
    "Please update the contact sheet, tel. {n}, and send it back.",
)
HELD_TEMPLATES = (
    "Reach the front desk at {n} any weekday.",
    "Kontakt (Büro): {n}, Mo-Fr 9-17 Uhr",
    "Joignable au {n} après 18h.",
    "Contacto por WhatsApp: {n}",
    "If the door is locked, text {n} and wait.",
    "Bel gerust naar {n} voor een afspraak.",
    "Numero di telefono {n} (ufficio).",
    "Hotline {n} – open 24/7.",
    "The landlord's number is {n}; don't share it.",
    "Handy {n}, Festnetz bitte nicht benutzen.",
)
#: Held wrappers around the number: a tel: link, an extension.
HELD_WRAPPERS = (
    "{n}",
    "<a href=\"tel:{n}\">call</a> |",
    "[{n}](tel:{n})",
    "{n} ext. 214",
    "{n} x33",
)


def positives(per_country: int = 6, seed: int = 7) -> list[Case]:
    """Cases of every country in both families (tune and held, ``per_country`` each)."""
    rng = random.Random(seed)
    cases: list[Case] = []
    for region in COUNTRIES:
        nums = _numbers(region, rng, 2 * per_country)
        for i, num in enumerate(nums[:per_country]):
            n = TUNE_FORMATS[i % len(TUNE_FORMATS)](num)
            text = rng.choice(TUNE_TEMPLATES).format(n=n)
            cases.append(Case(region, "tune", text, n))
        for i, num in enumerate(nums[per_country:]):
            n = HELD_FORMATS[i % len(HELD_FORMATS)](num)
            wrapped = rng.choice(HELD_WRAPPERS).format(n=n)
            text = rng.choice(HELD_TEMPLATES).format(n=wrapped)
            cases.append(Case(region, "held", text, n))
    return cases


def _negative_values(rng: random.Random) -> list[str]:
    r = rng.randint
    return [
        f"The meeting is on {r(2000, 2030)}-{r(1, 12):02d}-{r(1, 28):02d} at {r(0, 23):02d}:{r(0, 59):02d}.",
        f"Invoice dated {r(1, 28):02d}.{r(1, 12):02d}.{r(1990, 2030)} is overdue.",
        f"It costs ${r(1, 9999)}.{r(0, 99):02d} plus {r(5, 25)}% tax.",
        f"Der Preis beträgt {r(1, 999)},{r(0, 99):02d} € inkl. MwSt.",
        f"Order #{r(10**6, 10**8 - 1)} shipped on {r(1, 12)}/{r(1, 28)}/{r(2015, 2030)}.",
        f"Invoice INV-{r(2015, 2030)}-{r(1000, 99999)} is attached.",
        f"Upgrade to version {r(0, 20)}.{r(0, 40)}.{r(0, 200)} before Friday.",
        f"Compute {r(100, 99999)} * {r(100, 99999)} = ?",
        f"The server at {r(1, 223)}.{r(0, 255)}.{r(0, 255)}.{r(1, 254)} is down.",
        f"ISBN 978-{r(0, 9)}-{r(100, 999)}-{r(10000, 99999)}-{r(0, 9)}",
        f"Reference number {r(10**9, 10**10 - 1)}{r(10**5, 10**6 - 1)} in the ledger.",
        f"Ship to ZIP {r(10000, 99999)}, suite {r(100, 999)}.",
        f"Coordinates: {r(-89, 89)}.{r(10**5, 10**6 - 1)}, {r(-179, 179)}.{r(10**5, 10**6 - 1)}",
        f"const TIMEOUT_MS = {r(1000, 600000)};\nconst MAX_RETRIES = {r(1, 9)};",
        f"x = np.linspace(0, {r(1, 100)}, {r(100, 100000)})",
        f"Population grew from {r(1, 999)},{r(100, 999)},{r(100, 999)} to {r(1, 999)},{r(100, 999)},{r(100, 999)}.",
        f"Train {r(100, 999)} leaves at {r(5, 22)}:{r(10, 59)} from platform {r(1, 20)}.",
        f"Tracking: 1Z{r(100, 999)}AA{r(10**9, 10**10 - 1)}",
        f"Scores: {r(10, 99)}-{r(10, 99)}, {r(10, 99)}-{r(10, 99)}, {r(10, 99)}-{r(10, 99)}",
        f"The range is {r(1000, 4999)}-{r(5000, 9999)} Hz.",
        f"Build {r(10000, 99999)} failed at step {r(1, 40)} of {r(40, 90)}.",
        f"Room {r(100, 999)}, floor {r(1, 30)}, badge {r(100000, 999999)}.",
        f"Serial no. {r(1000, 9999)}-{r(1000, 9999)}-{r(1000, 9999)}",
        f"Sum: {r(100, 999)} + {r(100, 999)} + {r(100, 999)} = total",
        f"Timestamp {r(1600000000, 1800000000)} in epoch seconds.",
        f"Le colis {r(10**7, 10**8 - 1)} arrive le {r(1, 28)}/{r(1, 12)}/{r(2020, 2030)} à {r(8, 20)}h{r(10, 59)}.",
        f"El pedido {r(100000, 999999)} cuesta {r(10, 999)},{r(10, 99)} €.",
        f"Kontonummer des Projekts: Kostenstelle {r(1000, 9999)} / {r(100, 999)}",
        f"Matrix [[{r(1, 99)}, {r(1, 99)}], [{r(1, 99)}, {r(1, 99)}]] has det {r(-999, 999)}.",
        f"port {r(1024, 65535)}, pid {r(1000, 99999)}, uptime {r(1, 999)}h",
    ]


def negatives(rounds: int = 8, seed: int = 11) -> list[str]:
    """Texts with numbers and no phone number (30 shapes, ``rounds`` draws each)."""
    rng = random.Random(seed)
    out: list[str] = []
    for _ in range(rounds):
        out.extend(_negative_values(rng))
    return out
