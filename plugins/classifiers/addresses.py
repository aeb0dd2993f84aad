"""Street addresses (US, CA, GB, IE, AU, IN, DE, AT, CH, FR, BE, ES, IT, NL and alike): a
house number bound to a street (``12 Maple St``, ``12 rue de la Paix``, ``Via Roma 12``,
``Lindenstraße 5a``) or a post-office box, grown over the unit, building, city, region and
postcode parts written next to it, on one line or several.

A text without digits costs a substring test per digit; anchors are sought only around street
words near a number (capitalised, or in lower case with a postcode-like run after them), the
other parts only around anchors. An anchor (the street or box) whose street name is not
capitalised, whose number is followed by a comma (``1990, Church Street``; French ``15, rue de
la Paix`` aside), or which is a weak shape (``BP 12``, ``Am Markt 3``) counts only with a
postcode in its address. Public landmarks (:data:`_LANDMARKS`: 10 Downing Street, 221B Baker
Street ...) are not private and count only with a postcode or a unit.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from .hits import Hit
from .normalize import Normalized

_TYPES = (
    "street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|parkway|pkwy|"
    "crescent|cres|close|mews|gardens|gdns|grove|terrace|tce|ter|way|parade|pde|highway|hwy|esplanade|"
    "circuit|cct|square|sq|row|walk|trail|trl|circle|cir|loop|plaza|alley|bend|causeway|cove|crossing|"
    "expressway|freeway|heights|hts|hollow|junction|landing|path|pike|point|ridge|run|turnpike|view|"
    "vista|wynd|marg|main\\s+road"
)
#: Other USPS street suffixes (Publication 28): common words too, so a street ending in one
#: stands alone only before ", City".
_USPS_TYPES = (
    "branch|bridge|brook|brooks|burg|burgs|bypass|camp|canyon|cape|center|centers|circles|cliff|cliffs|"
    "club|common|corner|corners|course|courts|coves|creek|crest|crossroad|curve|dale|dam|divide|drives|"
    "estate|estates|extension|extensions|fall|falls|ferry|field|fields|flat|flats|ford|fords|forest|"
    "forge|forges|fork|forks|fort|garden|gateway|glen|glens|green|greens|groves|harbor|harbors|haven|"
    "hill|hills|inlet|island|islands|isle|junctions|key|keys|knoll|knolls|lake|lakes|land|light|lights|"
    "loaf|lock|locks|lodge|mall|manor|manors|meadow|meadows|mill|mills|mission|motorway|mount|mountain|"
    "mountains|neck|orchard|oval|overpass|park|parks|parkways|pass|passage|pine|pines|plain|plains|"
    "points|port|ports|prairie|radial|ramp|ranch|rapid|rapids|rest|ridges|river|roads|route|shoal|shoals|"
    "shore|shores|skyway|spring|springs|spur|spurs|squares|station|stravenue|stream|streets|summit|"
    "throughway|trace|track|trafficway|tunnel|underpass|union|unions|valley|valleys|viaduct|views|"
    "village|villages|ville|walks|wall|ways|well|wells"
)
_FR_TYPES = "rue|avenue|av\\.|boulevard|bd|place|allée|allee|impasse|quai|chemin|route|cours|passage|square|rang"
_FIRST_TYPES = ("via|viale|corso|piazza|piazzale|largo|vicolo|strada|contrada|borgo|calle|c/|avda\\.?|avenida|paseo|"
                "plaza|ronda|carrer|travesía|camino|alameda|rambla|glorieta|pasaje|urbanización|urb\\.|rua|praça")
_COMPOUND = ("straße|strasse|str\\.|weg|allee|platz|gasse|damm|ufer|chaussee|straat|gracht|laan|kade|plein|"
             "singel|dijk|steeg|pad|dreef|hof")
_DIR = "(?:north|south|east|west|[nsew]|n[ew]|s[ew])\\.?"

#: A house number: ``12``, ``12a``, ``12-345`` (unit-number), ``5/12``, ``12 bis`` (its
#: look-behind after the first digit, so the regex engine skips to digits).
_NUM = r"\d(?<![\w.,$€£/-]\d)\d{0,4}[a-zA-Z]?(?:[/-]\d{1,5}[a-zA-Z]?)?(?!\w)(?:\s?(?:bis|ter)\b)?"


def _anchor(word: str, type_case: str = "", flags: int = 0) -> re.Pattern[str]:
    """The street-or-box patterns with street-name words of shape ``word``; ``type_case``
    is a look-ahead the street type after the name must satisfy."""
    name = rf"{word}(?:[ \t]+{word}){{0,2}}"
    particle = r"(?:(?:de|du|des|la|le|les|del|della|dei|di|da)[ \t]+|l'|d')"
    fr_name = rf"{particle}*{word}(?:[ \t]+{particle}*{word}){{0,3}}"
    return re.compile(
        rf"(?P<num>{_NUM})(?P<comma>,)?[ \t]+(?:(?i:{_DIR})[ \t]+)?(?P<name>{name})[ \t]+"
        rf"{type_case}(?:(?i:{_TYPES})|(?P<usps>(?i:{_USPS_TYPES})))\b(?:(?<![a-z]{{5}})\.)?"
        rf"(?:[ \t]+(?i:{_DIR})(?!\w))?"
        rf"|(?P<frnum>{_NUM}),?[ \t]+(?i:{_FR_TYPES})[ \t]+(?P<frname>{fr_name})"
        rf"|(?<!\w)(?i:{_FIRST_TYPES})[ \t]+{particle}?(?P<itname>{fr_name}),?[ \t]+"
        rf"(?:(?i:n[º°o]?\.?|núm\.)[ \t]*)?\d{{1,4}}(?:[ \t]?[A-Za-z]\b|/[A-Za-z\d]+)?(?!\w)"
        rf"|(?<!\w)(?P<cpd>[A-ZÄÖÜ][\wäöüß-]*?(?:(?i:{_COMPOUND})|(?<![Ss]p)ring))"
        rf"[ \t]+\d{{1,4}}(?:[ \t]?[a-zA-Z]\b|[-/]\w{{1,3}}(?!\w)|[ \t]bis\b)?(?![\w.,:]\d)"
        rf"|(?<!\w)(?P<weak>(?i:am|an[ \t]der|im|auf[ \t]der|zum|zur)[ \t]+{word}(?:[ \t]+{word})?|(?i:bp|cs))"
        rf"[ \t]+\d{{1,5}}[a-z]?\b"
        rf"|(?<!\w)(?i:p\.?[ \t]?o\.?[ \t]?box|post[ \t]office[ \t]box|postfach|postbus|apartado[ \t]de[ \t]correos|"
        rf"casella[ \t]postale|house[ \t]no\.?|plot(?:[ \t]no\.?)?)[ \t]*\d{{1,6}}[a-z]?\b",
        flags)


_CAP_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*|\d{1,3}(?:st|nd|rd|th))"
_ANY_WORD = r"(?:[^\W\d_][\w'’.-]*|\d{1,3}(?:st|nd|rd|th))"
_STRONG = _anchor(_CAP_WORD, "(?=[A-Z])")
_LOWER = _anchor(_ANY_WORD, "", re.IGNORECASE)

_US_STATES = (
    "alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|hawaii|idaho|"
    "illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota|"
    "mississippi|missouri|montana|nebraska|nevada|new hampshire|new jersey|new mexico|new york|"
    "north carolina|north dakota|ohio|oklahoma|oregon|pennsylvania|rhode island|south carolina|"
    "south dakota|tennessee|texas|utah|vermont|virginia|washington|west virginia|wisconsin|wyoming"
)
_US_CODES = ("al|ak|az|ar|ca|co|ct|de|fl|ga|hi|id|il|in|ia|ks|ky|la|me|md|ma|mi|mn|ms|mo|mt|ne|nv|nh|nj|nm|ny|"
             "nc|nd|oh|ok|or|pa|ri|sc|sd|tn|tx|ut|vt|va|wa|wv|wi|wy|dc|pr|gu|vi|as|mp|mh|fm|pw|aa|ae|ap")
#: A city: up to three capitalised words, or one word in lower case ("den haag": two), and a
#: CEDEX mark.
_CITY = (r"(?:(?-i:[A-ZÀ-ÖØ-Þ][\w'’-]*(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’-]*){0,2})"
         r"|(?:(?:den|de|le|la|les|san|santa|st|saint|new|bad|sankt)[ \t]+)?[^\W\d_][\w'’-]*)"
         r"(?:[ \t]+cedex(?:[ \t]+\d{1,2})?)?")
#: Postcodes with the region or city written next to them.
_POSTCODE = re.compile(
    rf"(?<!\w)(?:(?:{_US_CODES}|{_US_STATES})[ \t]+\d{{5}}(?:-\d{{4}})?"                # US: IL 62704-1234
    r"|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d"                                                  # CA: M5V 1A7
    r"|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}"                                         # GB: SW1A 2AA
    r"|(?:nsw|vic|qld|wa|sa|tas|act|nt),?[ \t]+\d{4}"                                # AU: VIC 3065
    rf"|(?:[A-Z]-)?\d{{5}},?[ \t]+{_CITY}"                                           # EU: 75011 Paris,
    r"(?:[ \t]+\(?[A-Z]{2}\)?|[ \t]+\([^\W\d_][\w ]{1,20}\))?"                          # 00184 Roma (RM)
    rf"|\d{{4}}[ \t]?(?!(?:in|on|at|to|of|is|it|as|by|or|an|am|be|do|go|he|if|me|my|no|so|up|us|we)\b)"
    rf"[A-Z]{{2}}[ \t]+{_CITY}"                                                     # NL: 1015 CJ Amsterdam
    r"|-?[ \t]*\d{3}[ \t]?\d{3}"                                                    # IN: PIN 560001
    r"|\d{5}(?:-\d{4})?)(?!\w)",                                                     # bare: Vizcaya, 03032
    re.IGNORECASE)
#: Units, floors and buildings written before or after the street.
_UNIT = re.compile(
    r"(?<!\w)(?:(?:flat|apt|apartment|appartement|appartamento|piano|interno|piso|puerta|suite|ste|unit|studio|"
    r"level|floor|fl|room|sector|bldg|building|"
    r"bâtiment|bat)\.?[ \t]*(?:no\.?[ \t]*)?#?[ \t]*\d{1,5}[a-z]?|#[ \t]?\d{1,5}[a-z]?"
    r"|\d{1,2}(?:e|er|ème|re)[ \t]+étage|\d{1,2}\.[ \t]*(?:og|stock|etage)|hinterhaus|vorderhaus|"
    r"scala[ \t]+[a-z\d]|int\.[ \t]*\d{1,3}|bajo|ático"
    r"|\d{1,2}\.?[ \t]?[º°ª](?:[ \t]?[a-z]\b|[ \t]?\d[ºª]|[ \t]?(?:izda?|dcha?|izq)\.?)?"
    r"|\d{1,2}\.?[ \t]?o[a-d]?(?:[ \t]?\d[ºªa])?"                 # the same after NFKC (º -> o)
    r"|[^\W\d_][\w'’-]*[ \t]+(?:apartments|residency|towers|nagar|colony|layout|enclave|vihar))(?!\w)",
    re.IGNORECASE)
#: What may lie between two parts of one address: separators and up to six words without
#: digits (a city, a region, a county), over at most four lines.
_GAP = re.compile(r"[\s,;()–—/-]*(?:[^\W\d_][\w'’.()-]*[\s,;()–—/-]+){0,6}")
_MAX_GAP = 48

_CITY_NEXT = re.compile(r"[ \t]*,[ \t]*[A-Z]|[ \t]+(?i:apt|apartment|suite|ste|unit|#)")
#: A city after a comma: up to three capitalised words.
_CITY_AFTER = re.compile(r"(?<=[\w.]),[ \t]*[A-ZÀ-ÖØ-Þ][\w'’-]*(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’-]*){0,2}")

_WORD = re.compile(r"[^\W\d_]+")
#: What every postcode holds: four digits in a row, or a digit between letters (CA, GB).
_POSTCODE_HINT = re.compile(r"\d{4}|[A-Za-z]\d[A-Za-z\d]?[ \t]?\d[A-Za-z]")
_DIGIT = re.compile(r"[0-9]")
_DIGITS = re.compile(r"[0-9]+")
#: The words an anchor holds (street types written after the number, the others and box
#: words before it), and the endings of compound street names; anchors are sought from
#: ``_BEFORE`` characters before one to ``_AFTER`` after it, the number within ``_NEAR``.
_NUMBER_FIRST = frozenset(_WORD.findall("|".join((_TYPES, _USPS_TYPES, _FR_TYPES)).replace(r"\s+", " ")))
_NUMBER_AFTER = frozenset(_WORD.findall(_FIRST_TYPES)
                          + ["box", "postfach", "postbus", "apartado", "casella", "house", "plot", "am", "an", "im",
                             "auf", "zum", "zur", "bp", "cs"])
_KEYWORDS = _NUMBER_FIRST | _NUMBER_AFTER
_SUFFIX = re.compile(rf"(?:{_COMPOUND}|ring)(?!\w)")
#: A number, then up to four words, on one line, right before a street type.
_NUMBER_BEFORE = re.compile(r"\d[\w/-]*,?[ \t]+(?:[^\W\d_][\w'’.-]*,?[ \t]+){0,4}$")
_SUFFIXES = tuple(_WORD.findall(_COMPOUND)) + ("ring",)
#: Words that count only capitalised: short German ones ("Am Markt 3", not "I am 3"), the
#: USPS suffixes that are common words; street types that count in lower case without a
#: postcode after them.
_CAPITALISED = frozenset(("am", "an", "im", "auf", "zum", "zur"))
_USPS_WORDS = frozenset(_WORD.findall(_USPS_TYPES))
_LOWER_TYPES = frozenset(("rue", "boulevard", "allée", "allee", "impasse", "quai", "chemin", "calle", "viale",
                          "piazza", "corso", "avenida", "paseo", "carrer"))
_NEAR, _BEFORE, _AFTER = 48, 64, 48
#: How far before and after an anchor its other parts are sought.
_REACH_BEFORE, _REACH_AFTER = 160, 240

_LANDMARKS = re.compile(
    r"1[01][ \t]+downing|221b[ \t]+baker|1600[ \t]+pennsylvania|350[ \t]+fifth|1[ \t]+infinite[ \t]+loop|"
    r"4[ \t]+privet|3[ \t]+abbey[ \t]+road|12[ \t]+grimmauld|30[ \t]+rockefeller|742[ \t]+evergreen|"
    r"1313[ \t]+mockingbird|55,?[ \t]+rue[ \t]+du[ \t]+faubourg|1[ \t]+apple[ \t]+park|11[ \t]+wall[ \t]+street|"
    r"1060[ \t]+w(?:est)?\.?[ \t]+addison|31[ \t]+spooner|124[ \t]+conch|177a[ \t]+bleecker|"
    r"platz[ \t]+der[ \t]+republik[ \t]+1",
    re.IGNORECASE)


def addresses(work: Normalized) -> Iterator[Hit]:
    """ADDRESS hits: a street or box anchor grown over the address parts around it. Anchors
    are sought only around street words near digits, the other parts only around anchors."""
    text = work.text
    if not any(d in text for d in "0123456789"):     # the working string's digits are ASCII
        return
    anchors: dict[tuple[int, int], bool] = {}
    for start, end in _merged((m.start() - _BEFORE, m.end() + _AFTER) for m in _keywords(text, work.lower)):
        anchors.update((m.span(), _strong(m)) for m in _STRONG.finditer(text, start, end))
        if not _POSTCODE_HINT.search(text, start, end + _REACH_AFTER):
            continue     # anchors in lower case or of a weak shape need a postcode
        for m in _LOWER.finditer(text, start, end):
            if not any(s <= m.start() < e or m.start() <= s < m.end() for s, e in anchors):
                anchors[m.span()] = False
    if not anchors:
        return
    parts = [(s, e, "anchor", strong) for (s, e), strong in anchors.items()]
    for start, end in _merged((s - _REACH_BEFORE, e + _REACH_AFTER) for s, e in sorted(anchors)):
        parts += [(*m.span(), "postcode", True) for m in _POSTCODE.finditer(text, start, end)]
        parts += [(*m.span(), "unit", True) for m in _UNIT.finditer(text, start, end)]
        parts += [(*m.span(), "city", True) for m in _CITY_AFTER.finditer(text, start, end)]
    parts.sort()
    for group in _groups(text, parts):
        kinds = {kind for _, _, kind, _ in group}
        if "anchor" not in kinds:
            continue
        if "postcode" not in kinds:
            anchors_in = [(s, ok) for s, _, kind, ok in group if kind == "anchor"]
            if any(_LANDMARKS.match(text, s) for s, _ in anchors_in):
                if "unit" not in kinds:
                    continue
            elif not any(ok for _, ok in anchors_in):
                continue
        yield Hit(group[0][0], max(e for _, e, _, _ in group), "ADDRESS", 0.75)


def _keywords(text: str, lower: str) -> Iterator[re.Match[str]]:
    """The street words of ``lower`` with a number before them on their line (types written
    after the street name) or a digit shortly after them (the others): capitalised in
    ``text``, or in lower case with a postcode-like run after them (a few Romance types need
    none)."""
    for start, end in _merged((m.start() - _NEAR - 24, m.end() + _NEAR + 24) for m in _DIGITS.finditer(lower)):
        if _KEYWORDS.isdisjoint(_WORD.findall(lower, start, end)) and not _SUFFIX.search(lower, start, end):
            continue
        for m in _WORD.finditer(lower, start, end):
            word = m.group()
            if not ((word in _NUMBER_FIRST and _NUMBER_BEFORE.search(lower, max(0, m.start() - _NEAR), m.start()))
                    or ((word in _NUMBER_AFTER or word.endswith(_SUFFIXES))
                        and _DIGIT.search(lower, m.end(), m.end() + _NEAR))):
                continue
            if text[m.start()].isupper() or word in _LOWER_TYPES or (
                    word not in _CAPITALISED and word not in _USPS_WORDS
                    and _POSTCODE_HINT.search(text, max(0, m.start() - _BEFORE), m.end() + _REACH_AFTER)):
                yield m


def _merged(windows: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Windows (sorted by start) clipped at 0, overlapping ones merged."""
    current: tuple[int, int] | None = None
    for start, end in windows:
        start = max(0, start)
        if current and start <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current:
            yield current
        current = (start, end)
    if current:
        yield current


def _strong(m: re.Match[str]) -> bool:
    """Whether an anchor stands alone: no comma after its number (but in ``15, rue de la
    Paix``), not a weak shape, a USPS suffix only before a city or a unit."""
    if m.group("usps") and not _CITY_NEXT.match(m.string, m.end()):
        return False
    return not (m.group("comma") or m.group("weak"))


def _groups(text: str, parts: list[tuple[int, int, str, bool]]) -> Iterator[list[tuple[int, int, str, bool]]]:
    """Runs of parts (sorted by start) joined by gaps of separators and a few words; a part
    inside the previous one joins it, a city only right after one."""
    group: list[tuple[int, int, str, bool]] = []
    end = -1
    for part in parts:
        if part[2] == "city":
            if group and part[0] <= end:
                group.append(part)
                end = max(end, part[1])
            continue
        if group and (part[0] < end or _joins(text, end, part[0])):
            group.append(part)
            end = max(end, part[1])
            continue
        if group:
            yield group
        group, end = [part], part[1]
    if group:
        yield group


def _joins(text: str, end: int, start: int) -> bool:
    """Whether ``text[end:start]`` is a gap inside one address."""
    gap = text[end:start]
    if len(gap) > _MAX_GAP or gap.count("\n") > 4 or "\n\n" in gap.replace("\r", ""):
        return False
    m = _GAP.match(gap)
    return m is not None and m.end() == len(gap)
