"""Where a named unit begins and ends: a mask covers the name, not the verb before it.

spaCy and the tagger run a sentence's opening word into the name after it ("Summarise
Marie Curie's", "Compare AWS Lambda", "Factorise x^2 - 5x + 6"), and take the possessive
"'s" along; in code they take identifiers ("Shutdown(ctx", "SECRET_KEY") for names.
:func:`tighten` moves the start of a unit that opens a sentence past leading common words
and instructions, drops code tokens at its ends, and moves its end before a possessive;
what is left without a letter, with the signs of maths, or without the capitals it had,
is no name.
"""
from __future__ import annotations

import re
from typing import Collection

OPENERS = frozenset("""
what who when where why how which whose whom is are was were do does did can could should
would will explain describe compare summarise summarize summary define definition list name
tell give translate write calculate convert solve factorise factorize simplify prove find
show generate create draft make plan recommend suggest
was wer wie wo wann warum welche welcher erkläre erklär beschreibe vergleiche übersetze
nenne gib schreibe berechne
que qu'est-ce quel quelle quels quelles qui quand où pourquoi comment combien explique
décris compare traduis écris calcule donne
qué cuál cuáles quién quiénes cuándo dónde por cómo cuánto cuántos explica describe compara
traduce escribe calcula dame
""".split())
"""Question words and instructions that open prompts, in English, German, French and Spanish."""

_TOKEN = re.compile(r"\S+")
_POSSESSIVE = ("'s", "’s", "'", "’")
_LETTER = re.compile(r"[^\W\d_]")
_MATH = re.compile(r"[=^]|\s[-+*/×÷]\s")


def tighten(text: str, start: int, end: int, common: Collection[str],
            names: Collection[str] = ()) -> tuple[int, int] | None:
    """The bounds of the unit ``text[start:end]`` cut at a line of punctuation ("-----"),
    without leading openers and common words (``common``: frequent words; neither may be
    in ``names``), code tokens at either end (:func:`is_code_token`) and a trailing
    possessive; ``None`` when what remains is maths, or lost its only capitals with the
    words dropped."""
    tokens = list(_TOKEN.finditer(text, start, end))
    had_capitals = any(c.isupper() for c in text[start:end])
    rules = [i for i, t in enumerate(tokens) if not any(c.isalnum() for c in t.group())]
    if rules:  # a line of punctuation is a boundary: keep the words after the last one, else before
        after = tokens[rules[-1] + 1:]
        tokens = after if any(_LETTER.search(t.group()) for t in after) else tokens[:rules[0]]
    dropped = False
    while len(tokens) > 1 and _opens_sentence(text, tokens[0].start()) and _is_lead(tokens[0].group(), common, names):
        tokens.pop(0)
        dropped = True
    while tokens and is_code_token(tokens[0].group()):
        tokens.pop(0)
        dropped = True
    while tokens and is_code_token(tokens[-1].group()):
        tokens.pop()
    if not tokens:
        return None
    if len(tokens) == 1 and _opens_sentence(text, tokens[0].start()) and _is_lead(tokens[0].group(), (), names):
        return None
    start, end = tokens[0].start(), tokens[-1].end()
    value = text[start:end]
    for tail in _POSSESSIVE:
        if value.endswith(tail) and len(value) > len(tail) + 1:
            end -= len(tail)
            value = value[: -len(tail)]
            break
    if not _LETTER.search(value) or _MATH.search(value) or (dropped and had_capitals and not any(c.isupper() for c in value)):
        return None
    return start, end


#: Inside a token: a call, brackets, an operator or a sigil, a scope ("fmt::Result"), a
#: snake-case joint or a lower-camel start ("valueFrom"); no name has one.
_CODE_SIGN = re.compile(r"[{}\[\]<>=;$\\|]|::|->|[^\W_]_|_[^\W_]|^_|^[a-z]{3,}[A-Z]")
_EDGES = "\"'“”‘’«»,.:;!?()[]"
_CALL = re.compile(r"[^\W_]\((?:[a-z_]|\))")


#: What makes a token of code carry a value of its own: a string literal, a number of
#: four digits or more, a random-looking piece ("vyc4g"), a host name.
_CARRIES_VALUE = re.compile(r"[^\s\"'`][\"'`]|\d{4}|(?<![^\W_])(?=[a-z\d]*[a-z])(?=[a-z\d]*\d)[a-z\d]{5,}(?![^\W_])"
                            r"|\.(?:com|net|org|io|dev|app|ai|co|uk|de|fr|cn|ru|in|br|jp)\b", re.I)


def is_code_token(token: str) -> bool:
    """Whether the white-space-free ``token`` (outer quotes, brackets and punctuation
    aside) is an identifier or expression of code rather than a word of a name, and
    carries no value of its own (a JSON object, a host, an id stay units)."""
    core = token.strip(_EDGES)
    return (bool(core) and (_CODE_SIGN.search(core) is not None or _CALL.search(token) is not None)
            and _CARRIES_VALUE.search(core) is None)


def _opens_sentence(text: str, at: int) -> bool:
    """Whether only white space, quotes, brackets and list markers stand between ``at``
    and the previous sentence end or line start."""
    i = at - 1
    while i >= 0 and text[i] not in "\n.!?:":
        if not (text[i].isspace() or text[i] in "\"'“‘«([*#-•0123456789)"):
            return False
        i -= 1
    return True


def _is_lead(token: str, common: Collection[str], names: Collection[str]) -> bool:
    word = token.strip("\"'“‘«([*,.:;").casefold()
    return (word in OPENERS or word in common) and word not in names
