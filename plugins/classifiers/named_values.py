"""People named by the structure around them, not by how their names look.

* the speakers of a pasted chat transcript: ``Henry: are you coming?`` over
  ``me: yes`` (two or more lines led by a speaker label, two speakers at least);
* the value bound to a person-name key in code, JSON, YAML, a form or a query string:
  ``User(name="Christopher Mckee")``, ``"full_name": "Ana Ruiz"``, ``first_name=Jonas``;
* a date in parentheses just after a person's name: ``My son Jeremy (1971-05-18)``, the
  way a date of birth is written beside its owner.

Where the structure alone is ambiguous (a label could be "Note" or "Total", a ``name``
could be a job's or a package's), the first word must be a known first name or surname
(the word statistics shipped with the ``ml`` classifier, read only when such a candidate
appears; without them those candidates are left alone).
"""
from __future__ import annotations

import re
from typing import Iterator

from .hits import Hit
from .normalize import Normalized

_NAME_WORD = r"[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]+)*\.?"
_LABEL_LINE = re.compile(
    rf"^[ \t>*-]*(?:\[?\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?\]?[ \t,-]*)?(?P<label>{_NAME_WORD}(?:[ \t]{_NAME_WORD})?)"
    r"[ \t]?:[ \t]+\S", re.MULTILINE)
#: Speaker labels that stand for the user or the assistant, never masked, and words that
#: lead fields, not speakers.
_SELF_LABELS = frozenset("me i ich moi yo io eu ik myself you du toi tú vous user assistant system bot ai "
                         "human model chatgpt gpt claude gemini agent operator support customer".split())
_FIELD_LABELS = frozenset("""
name email e-mail mail phone mobile tel telephone fax cell address date time subject to from cc bcc re
note notes nb ps q a question answer error warning info debug step output input example result title
description summary experience education skills languages objective profile references hobbies status
total price cost id ref reference location place department role position company employer dob born
birthday age sex gender nationality website url link source update edit translation original context
task goal prompt instructions response reply rules topic category type version author license
betreff datum von an absender empfänger adresse telefon objet de à nom prénom asunto para nombre fecha
""".split())
_PERSON_KEYS = (r"(?:full|first|last|given|family|middle|display|real|legal|contact|customer|client|patient|"
                r"employee|applicant|tenant|owner|sender|recipient|billing|shipping|holder|guest|member|"
                r"student|driver|passenger|account[_-]?holder)[_-]?name|(?:first|last|sur|fore|given)name|"
                r"vorname|nachname|prénom|prenom|nom[_-]?de[_-]?famille|apellidos?|nombre[_-]?completo")
_KEYED = re.compile(
    rf"""(?ix)(?<![\w.-])["'`]?(?P<key>{_PERSON_KEYS}|name|nom|nombre)["'`]?[ \t]*(?:=>|:=|=|:)[ \t]*"""
    r"""(?:(?P<q>["'`])(?P<quoted>[^"'`\n\\]{1,80})(?P=q)|(?P<bare>[^\n,;|&"'`{}()\[\]<>=]{1,80}))""")
_SINGLE_WORD_KEYS = re.compile(r"(?i)(?:first|given|fore|middle|last|family|sur)[_-]?name|vorname|nachname|"
                               r"prénom|prenom|apellidos?|nom[_-]?de[_-]?famille")
_NAME_THEN_DATE = re.compile(
    r"(?P<name>[A-ZÀ-Þ][^\W\d_]+)[ \t]\((?P<date>\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})\)")
_VALUE = re.compile(rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,3}}")


def _known_first_word(value: str) -> bool:
    from .word_stats import ARTIFACT, lexicon

    if not ARTIFACT.exists():
        return False
    word = value.split()[0].rstrip(".").casefold()
    return word in lexicon().names


def _speakers(text: str) -> Iterator[Hit]:
    lines = [m for m in _LABEL_LINE.finditer(text)]
    if len(lines) < 2:
        return
    labels = {m.group("label").casefold() for m in lines}
    speakers = labels - _FIELD_LABELS
    if len(speakers) < 2 and not (speakers and labels & _SELF_LABELS):
        return
    for m in lines:
        label = m.group("label")
        low = label.casefold()
        if low in _SELF_LABELS or low in _FIELD_LABELS or not label[:1].isupper() or label.isupper():
            continue
        if _known_first_word(label):
            yield Hit(m.start("label"), m.end("label"), "PERSON", 0.8)


def _keyed(text: str) -> Iterator[Hit]:
    for m in _KEYED.finditer(text):
        group = "quoted" if m.group("quoted") is not None else "bare"
        raw = m.group(group)
        value = raw.strip()
        if not _VALUE.fullmatch(value):
            continue
        words = value.split()
        key = m.group("key")
        single = bool(_SINGLE_WORD_KEYS.fullmatch(key))
        if not single and len(words) < 2 or not all(w[:1].isupper() for w in words):
            continue
        generic = key.casefold() in ("name", "nom", "nombre")
        if generic and not _known_first_word(value):
            continue
        start = m.start(group) + (len(raw) - len(raw.lstrip()))
        yield Hit(start, start + len(value), "PERSON", 0.8)


def _dated_names(text: str) -> Iterator[Hit]:
    for m in _NAME_THEN_DATE.finditer(text):
        if _known_first_word(m.group("name")):
            yield Hit(m.start("date"), m.end("date"), "DATE_OF_BIRTH", 0.8)


def named_values(work: Normalized) -> Iterator[Hit]:
    """PERSON hits: chat speakers and values bound to person-name keys; DATE_OF_BIRTH
    hits: full dates in parentheses after a name."""
    text = work.text
    yield from _speakers(text)
    if "(" in text:
        yield from _dated_names(text)
    if "name" in work.lower or "nom" in work.lower:
        yield from _keyed(text)
