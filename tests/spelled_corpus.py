"""Corpus of values spelled out, disclosed in pieces, given as seed phrases, or repeated
in another form in a later turn, with the ordinary prompts that must stay unmasked.

Every kind has two disjoint template families: "tune" (wording the detectors may be
adjusted on) and "held" (other wording, only measured). Values are generated from a
seeded random source, so the corpus is the same on every run.
"""
from __future__ import annotations

import dataclasses
import hashlib
import random
import re
from pathlib import Path
from typing import Callable, Sequence

from ptmo_lab.evaluation.synthetic_pii import luhn_complete

_WORDLIST = Path(__file__).resolve().parents[1] / "plugins" / "classifiers" / "data" / "bip39_english.txt"

EN = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
DE = ("null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun")
FR = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf")
ES = ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve")
LANGS = {"en": EN, "de": DE, "fr": FR, "es": ES}


@dataclasses.dataclass(frozen=True)
class Case:
    """One prompt (or conversation, turn by turn) and the private value in it.

    ``pieces``: strings none of which may reach the cloud; ``words``: the number words
    (or seed words) of the value, which must not all reach the cloud in order."""

    kind: str
    family: str
    turns: tuple[tuple[str, ...], ...]
    pieces: tuple[str, ...] = ()
    words: tuple[str, ...] = ()


# -- value generators -----------------------------------------------------------------------
def card(rng: random.Random) -> str:
    return luhn_complete("4" + "".join(rng.choice("0123456789") for _ in range(14)))


def ssn(rng: random.Random) -> str:
    return f"{rng.randint(101, 665):03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"


def pin(rng: random.Random, n: int = 4) -> str:
    while True:
        v = "".join(rng.choice("0123456789") for _ in range(n))
        steps = {int(b) - int(a) for a, b in zip(v, v[1:])}
        if len(set(v)) > 1 and steps not in ({1}, {-1}):
            return v


def iban_de(rng: random.Random) -> str:
    bban = "".join(rng.choice("0123456789") for _ in range(18))
    num = int(bban + "131400")                      # D=13, E=14, check "00"
    return f"DE{98 - num % 97:02d}{bban}"


def seed_phrase(rng: random.Random, n_words: int = 12) -> tuple[str, ...]:
    """A BIP39 mnemonic with a valid checksum."""
    words = _WORDLIST.read_text().split()
    ent = rng.getrandbits(n_words * 32 // 3).to_bytes(n_words * 4 // 3, "big")
    cs_bits = len(ent) * 8 // 32
    bits = bin(int.from_bytes(ent, "big"))[2:].zfill(len(ent) * 8)
    bits += bin(hashlib.sha256(ent).digest()[0])[2:].zfill(8)[:cs_bits]
    return tuple(words[int(bits[i:i + 11], 2)] for i in range(0, len(bits), 11))


# -- spellings ------------------------------------------------------------------------------
def spell(digits: str, lang: str = "en", *, groups: Sequence[int] = (), style: str = "plain",
          rng: random.Random | None = None) -> str:
    """``digits`` as number words: one per digit, in groups separated by commas;
    ``style`` "oh" reads 0 as "oh", "double" reads a pair as "double X"."""
    names = LANGS[lang]
    parts: list[list[str]] = []
    cut = list(groups) or [len(digits)]
    pos = 0
    for g in cut:
        chunk = digits[pos:pos + g]
        pos += g
        out, i = [], 0
        while i < len(chunk):
            d = int(chunk[i])
            word = "oh" if style == "oh" and d == 0 and lang == "en" else names[d]
            if style == "double" and lang == "en" and i + 1 < len(chunk) and chunk[i + 1] == chunk[i]:
                out.append(f"double {word}")
                i += 2
                continue
            out.append(word)
            i += 1
        parts.append(out)
    return ", ".join(" ".join(p) for p in parts)


def number_words(digits: str, lang: str = "en") -> tuple[str, ...]:
    """The digit words of ``digits`` (what must not all reach the cloud in order)."""
    return tuple(LANGS[lang][int(d)] for d in digits)


# -- kinds ----------------------------------------------------------------------------------
def _spelled_pins(rng: random.Random, family: str, n: int) -> list[Case]:
    tune = ["my pin is {v}", "My PIN is {v}, please remember it for me.", "the door code is {v}",
            "Set my phone passcode to {v} and remind me tomorrow.", "my bank card pin: {v}",
            "the alarm code is {v} if you need to get in"]
    held = ["Write this down somewhere safe. PIN {v}. Thanks!", "you'll need the gate code, which is {v}",
            "Can you store my debit pin for me? It's {v}", "Note to self: locker combination {v}",
            "the wifi password is {v} (all words)", "Security code for the garage: {v}, don't share it"]
    out = []
    for i in range(n):
        digits = pin(rng, rng.choice((4, 4, 5, 6)))
        style = ("plain", "oh", "double")[i % 3]
        if style == "oh" and "0" not in digits:
            digits = digits[:2] + "0" + digits[3:]
        if style == "double":
            digits = digits[0] * 2 + digits[2:]
        tpl = (tune if family == "tune" else held)[i % 6]
        out.append(Case("spelled_pin", family, ((tpl.format(v=spell(digits, style=style)),),),
                        words=tuple(spell(digits, style=style).replace(",", "").split())))
    return out


def _spelled_ids(rng: random.Random, family: str, n: int) -> list[Case]:
    tune = [("my ssn is {v}", "s"), ("My social security number: {v}", "s"), ("card number {v}", "c"),
            ("my credit card is {v}, expiry next year", "c"), ("account number {v}", "a"),
            ("my social is {v}", "s")]
    held = [("For the form, the SSN reads {v}.", "s"), ("Here's the visa: {v}", "c"),
            ("Read back to me: {v}. That's my social.", "s"), ("Please charge {v} (that's the card).", "c"),
            ("bank acct {v} at the credit union", "a"), ("I'll dictate it: {v}", "x")]
    out = []
    for i in range(n):
        tpl, k = (tune if family == "tune" else held)[i % 6]
        if k == "s" or k == "x":
            digits, groups = ssn(rng), (3, 2, 4)
        elif k == "c":
            digits, groups = card(rng), (4, 4, 4, 4)
        else:
            digits, groups = "".join(rng.choice("0123456789") for _ in range(10)), (10,)
        style = "oh" if i % 4 == 3 else "plain"
        v = spell(digits, groups=groups if i % 2 else (), style=style)
        out.append(Case("spelled_id", family, ((tpl.format(v=v),),), words=tuple(v.replace(",", "").split())))
    return out


def _spelled_foreign(rng: random.Random, family: str, n: int) -> list[Case]:
    tune = {"de": "meine PIN ist {v}", "fr": "mon code pin est {v}", "es": "mi pin es {v}"}
    held = {"de": "Die Geheimzahl meiner Karte lautet {v}.", "fr": "Le code de la carte, c'est {v}.",
            "es": "La clave de mi tarjeta es {v}, no la compartas."}
    out = []
    for i in range(n):
        lang = ("de", "fr", "es")[i % 3]
        digits = pin(rng, rng.choice((4, 4, 6)))
        v = spell(digits, lang)
        tpl = (tune if family == "tune" else held)[lang]
        out.append(Case("spelled_foreign", family, ((tpl.format(v=v),),), words=number_words(digits, lang)))
    return out


def _partials(rng: random.Random, family: str, n: int) -> list[Case]:
    words = ["hunter", "violet", "maple", "tiger", "orbit", "falcon", "copper", "nimbus"]
    out = []
    for i in range(n):
        s, c, ib = ssn(rng), card(rng), iban_de(rng)
        w1, w2 = rng.choice(words), f"{rng.randint(2, 99)}{rng.choice(words)}!"
        ibg = " ".join(ib[j:j + 4] for j in range(0, len(ib), 4))
        if family == "tune":
            options = [
                (f"my social starts {s[:5]} and the last four are {s[5:]}", (s[:5], s[5:])),
                (f"the first half of my password is {w1} and the second half is {w2}", (w1, w2)),
                (f"my IBAN starts {ibg[:9]} and ends {ib[-4:]}", (ibg[:9], ib[-4:])),
                (f"my card starts with {c[:4]} {c[4:8]} and ends with {c[-4:]}", (f"{c[:4]} {c[4:8]}", c[-4:])),
            ]
        else:
            options = [
                (f"SSN? It begins with {s[:3]}, last 4 digits {s[5:]}.", (s[:3], s[5:])),
                (f"Password part one: {w1}. Part two: {w2}", (w1, w2)),
                (f"The iban begins {ibg[:9]} ... and finishes with {ib[-4:]}", (ibg[:9], ib[-4:])),
                (f"For my social security number, the first five digits are {s[:5]} and it ends in {s[5:]}",
                 (s[:5], s[5:])),
            ]
        text, pieces = options[i % 4]
        out.append(Case("partial", family, ((text,),), pieces=pieces))
    return out


def _seeds(rng: random.Random, family: str, n: int) -> list[Case]:
    tune = ["my seed phrase is {v}", "Recovery words: {v}", "here is my wallet backup: {v}",
            "{v}"]
    held = ["Is this a valid mnemonic? {v}", "Metamask gave me these words, can you store them? {v}",
            "1. {v}", "please keep this safe:\n{v}\nthanks"]
    out = []
    for i in range(n):
        words = seed_phrase(rng, 24 if i % 3 == 2 else 12)
        tpl = (tune if family == "tune" else held)[i % 4]
        v = " ".join(words)
        if tpl.startswith("1."):
            v = " ".join(f"{k + 1}. {w}" for k, w in enumerate(words))[3:]
        out.append(Case("seed_phrase", family, ((tpl.format(v=v),),), words=words))
    return out


def _cross_turn(rng: random.Random, family: str, n: int) -> list[Case]:
    out = []
    for i in range(n):
        s, c, p = ssn(rng), card(rng), pin(rng)
        s_dash = f"{s[:3]}-{s[3:5]}-{s[5:]}"
        c_sp = " ".join(c[j:j + 4] for j in range(0, 16, 4))
        if family == "tune":
            options = [
                (f"My SSN is {s_dash}.", f"Did I give you the right one? {s}", s),
                (f"my card is {c_sp}", f"charge {c} again please", c),
                (f"my pin is {p}", f"wait, was it {spell(p)}?", p, spell(p)),
                (f"my ssn: {s_dash}", f"again: {s[:3]} {s[3:5]} {s[5:]}", s),
            ]
        else:
            options = [
                (f"Store my social security number {s_dash} for later.", f"Fill the form with {s}.", s),
                (f"credit card: {c}", f"Use {c[:4]}-{c[4:8]}-{c[8:12]}-{c[12:]} for the booking.", c),
                (f"The PIN for the safe is {p}.", f"Hmm, I typed {spell(p, style='oh')} and it failed.", p,
                 spell(p, style="oh")),
                (f"ssn {s_dash}", f"Spell it out: {spell(s, groups=(3, 2, 4))}", s, spell(s)),
            ]
        first, second, value, *spelled = options[i % 4] + ("",)
        out.append(Case("cross_turn", family, ((first,), (first, "Noted.", second)), pieces=(value,),
                        words=tuple(spelled[0].replace(",", "").split())))
    return out


KINDS: dict[str, Callable[[random.Random, str, int], list[Case]]] = {
    "spelled_pin": _spelled_pins, "spelled_id": _spelled_ids, "spelled_foreign": _spelled_foreign,
    "partial": _partials, "seed_phrase": _seeds, "cross_turn": _cross_turn,
}


def cases(kind: str, family: str, n: int = 24, seed: int = 7) -> list[Case]:
    return KINDS[kind](random.Random(f"{seed}:{kind}:{family}"), family, n)


# -- negatives ------------------------------------------------------------------------------
_NEGATIVE_FIXED = [
    "I have two kids and three cats.",
    "one two three four, let's count together kids!",
    "Count with me: one two three four five six seven eight nine ten.",
    "Countdown: ten nine eight seven six five four three two one, liftoff!",
    "Add two cups of flour, one egg, three spoons of sugar and a pinch of salt.",
    "Mix one part vinegar with four parts water.",
    "One, two, buckle my shoe; three, four, knock at the door.",
    "Five little monkeys jumping on the bed, one fell off and bumped his head.",
    "It's one two three o'clock, four o'clock rock.",
    "We need four or five volunteers for Saturday.",
    "The recipe serves six to eight people.",
    "Take one or two tablets every four to six hours.",
    "Page one, chapter two, verse three.",
    "In German you count eins zwei drei vier fünf.",
    "Les nombres: un deux trois quatre cinq six sept huit neuf dix.",
    "En español: uno dos tres cuatro cinco seis siete ocho nueve diez.",
    "Vocabulary practice: apple, banana, cherry, grape, lemon, mango, orange, peach.",
    "Word list for spelling test: abandon, ability, able, about, above, absent, absorb.",
    "The ocean was calm and the sky was clear above the island.",
    "My favourite number is seven.",
    "My PIN needs to be four digits; what is a good way to remember it?",
    "How do I reset my card pin at the ATM?",
    "What does the last four of a card mean on a receipt?",
    "My card ending in 4242 was declined, why?",
    "The password must start with a letter and end with a digit.",
    "Should my password be longer than twelve characters?",
    "What is a seed phrase and why should I never share it?",
    "A BIP39 mnemonic has twelve or twenty-four words.",
    "The social worker said the first half of the meeting starts at nine.",
    "My account was opened in two thousand nineteen.",
    "Tea for two and two for tea.",
    "I was born in nineteen eighty-five and moved in two thousand.",
    "We scored three goals in the first half and one in the second half.",
    "The code review starts at ten and ends at eleven.",
    "Pick a card, any card, then count to three.",
    "She finished the race in one hour, two minutes and five seconds.",
    "Double five is ten, triple three is nine.",
    "Oh no, one more meeting!",
    "Row, row, row your boat gently down the stream.",
    "The first four chapters are the hardest, the last four are easy.",
]

_NEG_SUBJECTS = ["the kids", "my team", "our class", "the band", "my neighbours", "the committee", "we",
                 "the tourists", "my parents", "the players"]
_NEG_TEMPLATES = [
    "{s} bought {a} apples and {b} pears at the market.",
    "{s} need {a} chairs, {b} tables and {c} lamps for the party.",
    "Recipe: {a} eggs, {b} cups of milk, {c} spoons of butter.",
    "{s} walked {a} miles on Monday and {b} on Tuesday.",
    "Is it true that {a} plus {b} equals {c}?",
    "Chorus: {a}, {b}, {c}, let the music play, sing it all day.",
    "Learn the numbers: {a}, {b}, {c}.",
    "{s} have {a} dogs, {b} cats and {c} fish.",
    "Sprint {a} starts in {b} weeks; {s} will demo in {c} days.",
    "The shelf holds {a} books on top and {b} on the bottom.",
]
_NEG_WORDS_POOL = ("about above across actual adapt address adult advice afraid again agent agree ahead air "
                   "alarm album alert alley allow almost alone alpha already also alter always amazing among "
                   "anchor ancient anger angle animal ankle answer anxiety apart appear apple approve april "
                   "area arena argue arm army around arrive arrow art artist aunt autumn average avocado awake "
                   "baby balance ball bamboo banana basket beach bean beauty because become bicycle bird "
                   "black blanket blue boat body bonus book border bottom bread brick bridge brother brown "
                   "cabin cake camera camp candy canvas captain car carpet cart castle cat chair cheese cherry "
                   "chicken city clock cloud coffee cotton couch cousin cream crystal cup danger daughter "
                   "desk dinner doctor dog door dragon dream dress drum duck eagle earth egg elephant "
                   "engine family farm father fish flower forest fruit garden ghost gift glass gold grape").split()


def negatives(n: int = 170, seed: int = 11) -> list[str]:
    """Ordinary prompts with spelled numbers, counting, lyrics, recipes, word lists and
    runs of BIP39 words shorter than a seed phrase."""
    rng = random.Random(seed)
    out = list(_NEGATIVE_FIXED)
    small = EN[1:] + ("ten", "twelve", "twenty")
    while len(out) < n:
        k = len(out) % 3
        if k == 0:
            t = rng.choice(_NEG_TEMPLATES)
            out.append(t.format(s=rng.choice(_NEG_SUBJECTS), a=rng.choice(small), b=rng.choice(small),
                                c=rng.choice(small)))
        elif k == 1:
            words = rng.sample(_NEG_WORDS_POOL, rng.randint(5, 11))
            out.append(rng.choice(["Vocabulary: {w}.", "Spelling list: {w}", "Translate these words: {w}",
                                   "Write a story using {w}."]).format(w=", ".join(words)))
        else:
            words = rng.sample(_NEG_WORDS_POOL, rng.randint(12, 16))
            out.append("Write a short poem about " + " and ".join(
                [" ".join(words[:6]), " ".join(words[6:])]) + ".")
    return out


# -- measuring ------------------------------------------------------------------------------
def _tokens(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


def leaked(case: Case, cloud_texts: Sequence[str]) -> bool:
    """Whether what would leave the device still holds the value: a piece as written or
    by its digits, or the value's words all present, in order, with nothing between."""
    joined = "\n".join(cloud_texts)
    for p in case.pieces:
        if p.lower() in joined.lower():
            return True
        digits = re.sub(r"\D", "", p)
        if len(digits) >= 4 and any(digits in re.sub(r"\D", "", t) for t in cloud_texts):
            return True
    if case.words:
        vocab = set(case.words)
        kept = [w for w in _tokens(joined) if w in vocab or w in ("double", "triple", "oh")]
        seq = [w for w in case.words if w not in ("double", "triple")]
        n = len(seq)
        if case.kind == "seed_phrase":
            toks = _tokens(joined)
            return any(toks[i:i + 3] == seq[j:j + 3] for j in range(n - 2) for i in range(len(toks) - 2))
        spelled = [w for w in kept if w not in ("double", "triple")]
        return any(spelled[i:i + n] == seq for i in range(len(spelled) - n + 1))
    return False


def leak_rate(router, kind: str, family: str, n: int = 24) -> tuple[float, list[Case]]:
    """The share of ``kind``'s ``family`` cases whose value reaches the cloud, and those cases."""
    bad = []
    for i, case in enumerate(cases(kind, family, n)):
        plan = None
        for turn in case.turns:
            messages = [{"role": ("user", "assistant")[k % 2], "content": t} for k, t in enumerate(turn)]
            plan = router.plan(messages, conversation_id=f"{kind}-{family}-{i}")
        if leaked(case, [m.content for m in plan.cloud_messages]):
            bad.append(case)
    return len(bad) / n, bad


def flagged_negatives(router) -> tuple[float, list[str]]:
    """The share of :func:`negatives` with any span found, and those prompts."""
    negs = negatives()
    bad = [t for t in negs if router.classify(t).spans] if hasattr(router, "classify") else []
    return len(bad) / len(negs), bad
