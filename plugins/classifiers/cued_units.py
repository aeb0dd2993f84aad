"""Named units the words around them announce, for the ``ml`` classifier to add to the
tagger's (the unit judge then decides, as for the tagger's, whether they are private).

* a person after a title: "Dipl.-Ing. Hans-Erich Otto", "Prof. Ilhan Schlauchin",
  "Herr Krause", "Mme Roux", "Sra. Pili Becerra";
* a company before its legal form: "Junken Stiftung & Co. KG", "Rueda & Asociados S.A.",
  "Perry Ltd", "Adam SA";
* a person after a relation or an addressing word, in any case: "my friend ian manning",
  "meine Kollegin jana", "mi hermana lucía", "Mail an Anette Fliegner", "bring irene"
  (each word a known first name or surname);
* the place one lives in, moves to or comes from: "lives in hydehaven", "zieht nach
  Bad Tölz", "vivo en Ciudad Real".
"""
from __future__ import annotations

import re
from typing import Callable, Collection, Iterator, Mapping

_CAP = r"[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:['’-][^\W\d_]+)*"
_TITLE = (r"(?:Dipl\.-(?:Ing|Kfm|Kffr|Psych|Inf)\.(?:\s?\(FH\))?|Prof\.(?:\s?Dr\.)?|Dr\.(?:\s?med\.)?|"
          r"Mag\.|Ing\.|B\.(?:Sc|A)\.|M\.(?:Sc|A)\.|Herrn?|Frau|Mr\.?|Mrs\.?|Ms\.?|Mx\.?|Mme\.?|Mlle\.?|"
          r"Monsieur|Madame|Maître|Me|Sr\.|Sra\.|Srta\.|Don|Doña|Dña\.)")
_TITLED = re.compile(rf"(?<![\w.]){_TITLE}\s+(?P<name>{_CAP}(?:\s+(?:(?:von|van|de|del|da|der|zu|la|le)\s+)?"
                     rf"{_CAP}){{0,3}})")
_LEGAL_FORM = (r"(?:GmbH(?:\s?&\s?Co\.\s?(?:KGaA|KG|OHG))?|AG(?:\s?&\s?Co\.\s?(?:KGaA|KG))?|KGaA|KG|OHG|e\.\s?V\.|"
               r"e\.\s?G\.|UG|S\.A\.(?:U\.)?|S\.L\.(?:L\.|N\.E\.?)?|S\.L|S\.Coop\.|S\.Com\.|S\.A\.S\.?|SAS|SARL|SA|SE|S\.p\.A\.|S\.r\.l\.|"
               r"Ltd\.?|Limited|LLC|LLP|L\.L\.C\.|Inc\.?|PLC|plc|Pty\.? Ltd\.?|B\.V\.|N\.V\.|"
               r"Stiftung(?:\s?&\s?Co\.\s?KG)?)")
_KIN = r"(?:asociados|hermanos|hijos|sons|brothers|partners|associates|söhne|fils|frères|figli|fratelli|co\.?|cía\.?)"
_COMPANY = re.compile(rf"(?P<name>{_CAP}(?:(?:,\s|\s(?:&|und|and|et|y|e)\s|\s|-){_CAP}){{0,4}}"
                      rf"(?:\s(?:&|und|and|et|y|e)\s{_KIN})?),?\s{_LEGAL_FORM}"
                      r"(?![\w])")
_ANY_LEGAL_FORM = re.compile(rf"\s{_LEGAL_FORM}(?![\w])")
# Cue words are sought in the lower-cased text, case-sensitively (a third of the time of
# a case-insensitive search); each pattern also compiles case-insensitive for the rare text
# whose lower case changes length.
_RELATION = (r"(?<![\w])(?:my|our|his|her|mein(?:e|en|em|er)?|unser(?:e|en|em|er)?|mon|ma|notre|"
             r"mi|mis|nuestr[oa])\s+(?:best\s+|old\s+|new\s+|bester\s+|alte[rn]?\s+|meilleure?\s+|mejor\s+)?"
             r"(?:friend|boss|colleague|coworker|co-worker|manager|wife|husband|partner|girlfriend|"
             r"boyfriend|son|daughter|mother|mom|mum|father|dad|brother|sister|cousin|aunt|uncle|"
             r"grandma|grandpa|neighbou?r|roommate|flatmate|landlord|landlady|tenant|client|patient|"
             r"freund(?:in)?|chef(?:in)?|kolleg(?:e|in)|frau|mann|sohn|tochter|mutter|vater|bruder|"
             r"schwester|nachbar(?:in)?|ami|amie|patron(?:ne)?|collègue|femme|mari|fils|fille|mère|"
             r"père|frère|sœur|voisin(?:e)?|amig[oa]|jef[ea]|compañer[oa]|espos[oa]|hij[oa]|madre|"
             r"padre|herman[oa]|vecin[oa]|novi[oa]|mate|buddy|bestie|fianc[ée]e?|ex|coloc|colocataire|copain|"
             r"copine|pote|mitbewohner(?:in)?|kumpel|compi|abuel[oa]|grand-mère|grand-père|oma|opa|grandmother|"
             r"grandfather)\s*,?\s+")
_ADDRESSING = (r"(?<![\w])(?:(?:e-?mail|mail|message|letter|note|reply|answer|write|writing)\s+to|"
               r"(?:mail|e-mail|nachricht|brief|antwort|schreib(?:e|en)?|antworte)\s+an|"
               r"(?:mail|lettre|courriel|message|réponds|écris)\s+à|"
               r"(?:correo|carta|mensaje|contesta|escribe)\s+a|"
               r"bring|ask|tell|call|text|meet|invite|remind|thank|frag|sag|ruf|demande|dis|appelle|"
               r"pregunta|dile|llama|with|mit|avec|con)\s+")
_RESIDENCE = (r"(?<![\w])(?:(?:live[sd]?|living|moving|move[sd]?|relocat(?:e|ed|ing)|grew\s+up|"
              r"born|based|staying|wohne|wohnt|wohnen|lebe|lebt|leben|ziehe|zieht|ziehen|"
              r"aufgewachsen|geboren|habite|habites|habitons|vis|vit|vivons|déménage|déménageons|"
              r"né|née|vivo|vive|vives|vivimos|mudo|mudamos|nací|crecí)\s+(?:(?:in|to|nach|à|a|en|"
              r"au|aux|near|bei|from|aus|de)\s+)?|(?:from|aus|de|desde)\s+(?=\S+\s+(?:to|nach|à|a)\s)|"
              r"(?:near|nahe|près\s+de|cerca\s+de)\s+|(?<=[^\W\d_]\s)à\s+(?=[^\W\d_]))")
_CUES = {name: (re.compile(p), re.compile(p, re.IGNORECASE))
         for name, p in (("relation", _RELATION), ("addressing", _ADDRESSING), ("residence", _RESIDENCE))}
_PARTICLES = frozenset({"von", "van", "de", "del", "da", "der", "auch", "zu", "la", "le", "of", "from", "at", "bei"})
_FULL_NAME = re.compile(rf"{_CAP}(?:[ \t]+{_CAP}){{1,2}}(?![\w])")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SPACE = re.compile(r"[ \t]+")
_SPACE_OR_DASH = re.compile(r"[ \t]+|-")
_AND = re.compile(r"[ \t]+(?:and|und|et|y|e)[ \t]+")
_FREQUENT = 5
"""Zipf frequency above which a name is more likely a word ("will", "may")."""
_RARE_PLACE_WORD = 2
"""Zipf frequency at most which a word in lower case may be a place's ("iaintown")."""
_PLACE_PREFIXES = frozenset("east west north south new port lake mount saint st san santa bad".split())


def _walk(text: str, pos: int, gap: re.Pattern[str], accept: Callable[[str, int], bool]) -> int | None:
    """The end of the one to three words from ``pos`` that ``accept`` (word, its index)
    takes, joined by ``gap``; None when it takes none."""
    end = None
    for count in range(3):
        w = _WORD.match(text, pos)
        if not w or not accept(w.group(), count):
            break
        end = w.end()
        joint = gap.match(text, end)
        if not joint:
            break
        pos = joint.end()
    return end


def _name_word(low: str, names: Collection[str], zipf: Mapping[str, int]) -> bool:
    """A known first name or surname (each part of a double-barrelled one), not a particle
    nor a very frequent word."""
    known = low in names or "-" in low and all(p in names for p in low.split("-"))
    return known and low not in _PARTICLES and zipf.get(low, 0) <= _FREQUENT


def _cues(text: str, kind: str, lower: str | None = None) -> Iterator[re.Match[str]]:
    """Matches of the cue pattern ``kind`` (offsets of ``text``; ``lower``: ``text.lower()``
    when the caller has it)."""
    lower = text.lower() if lower is None else lower
    exact, folded = _CUES[kind]
    return exact.finditer(lower) if len(lower) == len(text) else folded.finditer(text)


def titled_names(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, "PERSON")`` of each name after a title (the title left out)."""
    for m in _TITLED.finditer(text):
        yield m.start("name"), m.end("name"), "PERSON"


def registered_companies(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, "ORGANIZATION")`` of each company named with its legal form."""
    if not _ANY_LEGAL_FORM.search(text):     # one pass for the form, before one per capital
        return
    for m in _COMPANY.finditer(text):
        yield m.start("name"), m.end(), "ORGANIZATION"


def _capitalised_run(text: str, pos: int, common: Collection[str]) -> int | None:
    """The end of two or three capitalised words at ``pos``, none of them common, or None."""
    m = _FULL_NAME.match(text, pos)
    if m is None or any(w.casefold() in common for w in m.group().split()):
        return None
    return m.end()


def related_names(text: str, names: Collection[str], zipf: Mapping[str, int], common: Collection[str] = ()
                  ) -> Iterator[tuple[int, int, str]]:
    """``(start, end, "PERSON")`` of the one to three known names after a relation word
    ("my friend ian manning") or an addressing one ("Mail an Anette Fliegner", "bring
    irene", "hiking with lucas"), and the name joined to one by "and" ("with lucas and
    jennifer"); none may be a very frequent word ("my sister will", "tell may") or a
    particle.
    After an addressing word, two or three capitalised words that are not ``common`` are a
    name too, known or not ("Mail an Gitte Aumann-Pieper")."""
    lower = text.lower()
    cues = [(m, False) for m in _cues(text, "relation", lower)] + [(m, True) for m in _cues(text, "addressing", lower)]
    for m, addressing in cues:
        end = _walk(text, m.end(), _SPACE, lambda word, _: _name_word(word.casefold(), names, zipf))
        if addressing and (end is None or text[m.end()].isupper()):
            end = max(end or 0, _capitalised_run(text, m.end(), common) or 0) or None
        if end is None:
            continue
        yield m.end(), end, "PERSON"
        joined = _AND.match(text, end)
        if joined:
            w = _WORD.match(text, joined.end())
            if w and _name_word(w.group().casefold(), names, zipf):
                yield w.start(), w.end(), "PERSON"


def resident_places(text: str, common: Collection[str], zipf: Mapping[str, int]
                    ) -> Iterator[tuple[int, int, str]]:
    """``(start, end, "LOCATION")`` of the place one lives in, moves to, comes from or is
    near ("lives in hydehaven", "zieht nach Bad Tölz", "vivo en Ciudad Real", "near lake
    bradleyton", "photographe à Pires"): one to three capitalised words, or rare words in
    lower case, none of them common."""
    for m in _cues(text, "residence"):
        first = _WORD.match(text, m.end())
        if not first:
            continue
        lower = first.group().islower()

        def place_word(word: str, count: int) -> bool:
            low = word.casefold()
            if word.islower() != lower:
                return False
            if lower:
                return zipf.get(low, 0) <= _RARE_PLACE_WORD or count == 0 and low in _PLACE_PREFIXES
            return low not in common and not (count == 0 and low in _PARTICLES)

        end = _walk(text, m.end(), _SPACE_OR_DASH, place_word)
        if end is not None and not (lower and text[m.end():end].casefold() in _PLACE_PREFIXES):
            yield m.end(), end, "LOCATION"


def cued_units(text: str, names: Collection[str], zipf: Mapping[str, int], common: Collection[str] = ()
               ) -> list[tuple[int, int, str]]:
    """Every unit above, in text order; a titled name stops before the company it ran
    into ("Herr Otto von Junken GmbH": the person is "Otto")."""
    companies = list(registered_companies(text))
    people = []
    for a, b, etype in [*titled_names(text), *related_names(text, names, zipf, common)]:
        cut = min((c for c, _, _ in companies if a < c < b), default=None)
        if cut is not None:
            words = text[a:cut].split()
            if words and words[-1].casefold() in _PARTICLES:
                words.pop()
            b = a + len(" ".join(words)) if words else a
        if b > a:
            people.append((a, b, etype))
    return sorted(people + companies + list(resident_places(text, common, zipf)))
