"""Personal values named by the structure around them, not by how they look.

* the speakers of a pasted chat transcript: ``Henry: are you coming?`` over
  ``me: yes`` (two or more lines led by a speaker label, two speakers at least);
* the value bound to a person-name key in code, JSON, YAML, a form or a query string:
  ``User(name="Christopher Mckee")``, ``"full_name": "Ana Ruiz"``, ``first_name=Jonas``;
* a date in parentheses just after a person's name: ``My son Jeremy (1971-05-18)``, the
  way a date of birth is written beside its owner;
* the value of an address label on its own line (``Dirección: Acceso Bibiana 594, Soria``)
  and the values of SQL ``INSERT`` rows under columns such as ``name``, ``phone``, ``city``.

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
    rf"^[ \t>*-]*(?:\[?\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?\]?[ \t,-]*)?(?:(?P<label>{_NAME_WORD}(?:[ \t]{_NAME_WORD})?)"
    rf"[ \t]?:[ \t]+\S|<(?P<irc>{_NAME_WORD})>[ \t]+\S|(?P<header>{_NAME_WORD}(?:[ \t]{_NAME_WORD})?)[ \t]+[-–—][ \t]+"
    r"(?:today|yesterday|heute|gestern|aujourd'hui|hier|hoy|ayer|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})\b)",
    re.MULTILINE | re.IGNORECASE)
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
_PARTICLE = r"(?:de|del|de la|de los|van|von|van der|von der|da|di|du|le|la|dos|das|do|y)"
_VALUE = re.compile(rf"{_NAME_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_NAME_WORD}){{0,3}}")
_PARTICLE_WORDS = frozenset(re.findall(r"[a-z]+", _PARTICLE))
_ADDRESS_LABEL = re.compile(
    r"(?im)^[ \t>*-]*(?:address|home address|street address|postal address|dirección|direccion|domicilio|"
    r"anschrift|adresse|wohnadresse|indirizzo|morada|endereço|endereco)[ \t]*:[ \t]*(?P<value>[^\n]{6,160}?)[ \t]*$")
_SQL_INSERT = re.compile(r"(?is)insert\s+into\s+[\w.\"`\[\]]+\s*\((?P<cols>[^)]{1,400})\)\s*values\s*"
                         r"(?P<rows>(?:\([^()]*\)\s*,?\s*)+)")
_SQL_ROW = re.compile(r"\(([^()]*)\)")
_SQL_VALUE = re.compile(r"'((?:[^'\\]|''|\\.)*)'|[^,\s]+")
#: Column names whose quoted values are personal data, by entity type.
_SQL_COLUMNS = {
    **dict.fromkeys(("name", "full_name", "fullname", "customer_name", "contact_name", "first_name", "last_name",
                     "firstname", "lastname", "surname", "given_name", "family_name"), "PERSON"),
    **dict.fromkeys(("phone", "phone_number", "mobile", "tel", "telephone", "cell"), "PHONE_NUMBER"),
    **dict.fromkeys(("city", "town", "hometown"), "LOCATION"),
    **dict.fromkeys(("address", "street", "street_address", "home_address"), "ADDRESS"),
    **dict.fromkeys(("email", "e_mail", "email_address"), "EMAIL_ADDRESS"),
    **dict.fromkeys(("dob", "birth_date", "birthdate", "date_of_birth"), "DATE_OF_BIRTH"),
    **dict.fromkeys(("ssn", "national_id", "tax_id", "passport"), "GOV_ID"),
}


def _known_first_word(value: str) -> bool:
    from .word_stats import ARTIFACT, lexicon

    if not ARTIFACT.exists():
        return False
    word = value.split()[0].rstrip(".").casefold()
    return word in lexicon().names


def _label(m: re.Match[str]) -> tuple[int, int]:
    group = next(g for g in ("label", "irc", "header") if m.group(g) is not None)
    return m.start(group), m.end(group)


def _speakers(text: str) -> Iterator[Hit]:
    lines = [_label(m) for m in _LABEL_LINE.finditer(text)]
    if len(lines) < 2:
        return
    labels = {text[a:b].casefold() for a, b in lines}
    speakers = labels - _FIELD_LABELS
    if len(speakers) < 2 and not (speakers and labels & _SELF_LABELS):
        return
    for a, b in lines:
        label = text[a:b]
        low = label.casefold()
        if low in _SELF_LABELS or low in _FIELD_LABELS or not label[:1].isupper() or label.isupper():
            continue
        if _known_first_word(label):
            yield Hit(a, b, "PERSON", 0.8)


def _keyed(text: str) -> Iterator[Hit]:
    for m in _KEYED.finditer(text):
        group = "quoted" if m.group("quoted") is not None else "bare"
        raw = m.group(group)
        value = raw.strip()
        if not _person(value, m.group("key")):
            continue
        start = m.start(group) + (len(raw) - len(raw.lstrip()))
        yield Hit(start, start + len(value), "PERSON", 0.8)


def _dated_names(text: str) -> Iterator[Hit]:
    for m in _NAME_THEN_DATE.finditer(text):
        if _known_first_word(m.group("name")):
            yield Hit(m.start("date"), m.end("date"), "DATE_OF_BIRTH", 0.8)


def _labelled_addresses(text: str) -> Iterator[Hit]:
    for m in _ADDRESS_LABEL.finditer(text):
        value = m.group("value")
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            yield Hit(m.start("value"), m.end("value"), "ADDRESS", 0.8)


def _person(value: str, key: str) -> bool:
    """Whether ``value``, bound to the person-name ``key``, is a person's name: capitalised
    words (particles aside), two at least and the first a known name for a bare ``name``."""
    if not _VALUE.fullmatch(value):
        return False
    words = [w for w in value.split() if w not in _PARTICLE_WORDS]
    if not all(w[:1].isupper() for w in words):
        return False
    if _SINGLE_WORD_KEYS.fullmatch(key):
        return True
    return len(words) >= 2 and (key.casefold() not in ("name", "nom", "nombre") or _known_first_word(value))


_SHAPES = {"PHONE_NUMBER": re.compile(r"(?:\D*\d){7}"), "EMAIL_ADDRESS": re.compile(r"[^@\s]+@[^@\s]+\.\w+"),
           "ADDRESS": re.compile(r".*\d"), "DATE_OF_BIRTH": re.compile(r".*\d"), "GOV_ID": re.compile(r".*\d"),
           "LOCATION": re.compile(r"[A-ZÀ-Þ]")}


def _fits(value: str, etype: str, column: str) -> bool:
    if etype == "PERSON":
        return _person(value, column)
    return bool(_SHAPES[etype].match(value))


def _sql_rows(text: str) -> Iterator[Hit]:
    for m in _SQL_INSERT.finditer(text):
        columns = [c.strip().strip("\"`[]").casefold() for c in m.group("cols").split(",")]
        types = {i: _SQL_COLUMNS[c] for i, c in enumerate(columns) if c in _SQL_COLUMNS}
        if not types:
            continue
        for row in _SQL_ROW.finditer(text, m.start("rows"), m.end("rows")):
            for i, v in enumerate(_SQL_VALUE.finditer(row.group(1))):
                if i in types and v.group(1) and _fits(v.group(1), types[i], columns[i]):
                    start = row.start(1) + v.start(1)
                    yield Hit(start, start + len(v.group(1)), types[i], 0.85)


def named_values(work: Normalized) -> Iterator[Hit]:
    """PERSON hits: chat speakers and values bound to person-name keys; DATE_OF_BIRTH
    hits: full dates in parentheses after a name; ADDRESS hits: the value of an address
    label ("Dirección: ..."); any type: the values of SQL ``INSERT`` rows under a column
    that names personal data."""
    text, lower = work.text, work.lower
    yield from _speakers(text)
    if "(" in text:
        yield from _dated_names(text)
    if ":" in text:
        yield from _labelled_addresses(text)
    if "insert" in lower:
        yield from _sql_rows(text)
    if "name" in lower or "nom" in lower:
        yield from _keyed(text)
