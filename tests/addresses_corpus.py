"""Street-address corpus: private postal addresses of ten countries inside sentences of two
disjoint families, and texts full of numbers, street names and famous addresses that are not
private addresses.

``tune`` cases (their address formats and templates) may be adjusted to when detection fails;
``held`` cases use other address formats (units, PO boxes, several lines, lower case) and other
templates (letters, shipping forms, CSV rows, JSON) and are only measured. A case is
``(text, address, country, family)`` where ``address`` is the substring of ``text`` whose letters
and digits ADDRESS spans must cover.

Decision: a public landmark address named in a knowledge question or remark ("Where is
10 Downing Street?", "the history of 221B Baker Street") locates a public building or a fictional
home, not a person, so it is not private and must not be flagged (see NEGATIVES).
"""
from __future__ import annotations

import random
from typing import Callable, NamedTuple

COUNTRIES = ("US", "CA", "GB", "DE", "FR", "ES", "IT", "NL", "AU", "IN")


class Case(NamedTuple):
    text: str
    address: str
    country: str
    family: str


Lines = list[str]
Format = Callable[[random.Random], Lines]


def _pick(rng: random.Random, *options: str) -> str:
    return rng.choice(options)


def _n(rng: random.Random, hi: int = 999) -> int:
    return rng.randint(1, hi)


_EN_NAMES = ("Maple", "Oak", "Cedar", "Willow", "Hawthorn", "Lincoln", "Franklin", "Jefferson", "Lakeview",
             "Sunset", "Highland", "Chestnut", "Birch", "Meadow", "Riverside", "Prospect", "Fairview", "Elmwood")
_US_CITIES = (("Springfield", "IL", "Illinois", "627"), ("Denver", "CO", "Colorado", "802"),
              ("Austin", "TX", "Texas", "787"), ("Portland", "OR", "Oregon", "972"),
              ("Columbus", "OH", "Ohio", "432"), ("Raleigh", "NC", "North Carolina", "276"),
              ("Madison", "WI", "Wisconsin", "537"), ("Tucson", "AZ", "Arizona", "857"))
_CA_CITIES = (("Toronto", "ON", "M5V"), ("Vancouver", "BC", "V6B"), ("Calgary", "AB", "T2P"),
              ("Ottawa", "ON", "K1P"), ("Halifax", "NS", "B3H"), ("Winnipeg", "MB", "R3C"))
_QC_CITIES = (("Montréal", "H2X"), ("Québec", "G1R"), ("Laval", "H7N"), ("Gatineau", "J8X"))
_GB_TOWNS = (("London", "SW1A"), ("Leeds", "LS6"), ("Manchester", "M14"), ("Bristol", "BS8"),
             ("Oxford", "OX4"), ("Glasgow", "G12"), ("Cardiff", "CF10"), ("York", "YO31"))
_GB_COUNTIES = ("West Yorkshire", "Greater Manchester", "Avon", "Oxfordshire")
_DE_NAMES = ("Linden", "Goethe", "Schiller", "Birken", "Berg", "Garten", "Mozart", "Rosen", "Kirch", "Bahnhof")
_DE_CITIES = (("Berlin", "10115"), ("München", "80331"), ("Hamburg", "20095"), ("Köln", "50667"),
              ("Leipzig", "04109"), ("Stuttgart", "70173"), ("Dresden", "01067"))
_FR_STREETS = ("de la Paix", "Victor Hugo", "Jean Jaurès", "des Lilas", "du Moulin", "Gambetta", "de la République",
               "Pasteur", "des Écoles", "Émile Zola")
_FR_CITIES = (("Paris", "75011"), ("Lyon", "69007"), ("Marseille", "13006"), ("Toulouse", "31000"),
              ("Nantes", "44000"), ("Lille", "59800"), ("Bordeaux", "33000"))
_ES_STREETS = ("Mayor", "Alcalá", "Gran Vía", "Serrano", "Aragó", "Colón", "San Vicente", "Cervantes")
_ES_CITIES = (("Madrid", "28013", "Madrid"), ("Barcelona", "08011", "Barcelona"), ("Sevilla", "41001", "Sevilla"),
              ("Valencia", "46002", "Valencia"), ("Bilbao", "48001", "Bizkaia"), ("Málaga", "29015", "Málaga"))
_IT_STREETS = ("Roma", "Garibaldi", "Mazzini", "Dante Alighieri", "Cavour", "XX Settembre", "Verdi", "Matteotti")
_IT_CITIES = (("Roma", "00184", "RM"), ("Milano", "20124", "MI"), ("Torino", "10121", "TO"),
              ("Napoli", "80133", "NA"), ("Firenze", "50123", "FI"), ("Bologna", "40126", "BO"))
_NL_NAMES = ("Kerk", "Molen", "Linden", "Prinsen", "Heren", "Beuk", "Eiken", "Zuider", "Vondel", "Dorps")
_NL_CITIES = (("Amsterdam", "1015"), ("Rotterdam", "3011"), ("Utrecht", "3512"), ("Den Haag", "2511"),
              ("Eindhoven", "5611"), ("Groningen", "9711"))
_AU_SUBURBS = (("Fitzroy", "VIC", "3065"), ("Surry Hills", "NSW", "2010"), ("Paddington", "QLD", "4064"),
               ("Subiaco", "WA", "6008"), ("Glenelg", "SA", "5045"), ("Sandy Bay", "TAS", "7005"))
_IN_NAMES = ("Gandhi", "Nehru", "Tagore", "Shivaji", "Patel", "Lajpat", "Ambedkar", "Vivekananda")
_IN_CITIES = (("Bengaluru", "Karnataka", "5600"), ("Mumbai", "Maharashtra", "4000"),
              ("Chennai", "Tamil Nadu", "6000"), ("Pune", "Maharashtra", "4110"),
              ("Hyderabad", "Telangana", "5000"), ("Gurugram", "Haryana", "1220"))


def _gb_postcode(rng: random.Random, outward: str) -> str:
    return f"{outward} {rng.randint(1, 9)}{_pick(rng, *'ABDEFGHJLNPQRSTUWXYZ')}{_pick(rng, *'ABDEFGHJLNPQRSTUWXYZ')}"


def _ca_postcode(rng: random.Random, fsa: str) -> str:
    return f"{fsa} {rng.randint(0, 9)}{_pick(rng, *'ABCEGHJKLMNPRSTVXY')}{rng.randint(0, 9)}"


# --- tune formats -------------------------------------------------------------------------

def _us_tune(rng: random.Random) -> Lines:
    city, st, _, z = rng.choice(_US_CITIES)
    street = f"{_n(rng, 9999)} {rng.choice(_EN_NAMES)} " \
             f"{_pick(rng, 'Street', 'Avenue', 'Road', 'Boulevard', 'Lane', 'Drive')}"
    unit = _pick(rng, "", " Apt 4B", " Suite 200", " #12", " Unit 7")
    return [street + unit, f"{city}, {st} {z}{rng.randint(10, 99)}"]


def _ca_tune(rng: random.Random) -> Lines:
    city, prov, fsa = rng.choice(_CA_CITIES)
    street = f"{_n(rng, 2999)} {rng.choice(_EN_NAMES)} {_pick(rng, 'Street', 'Avenue', 'Road', 'Crescent')}"
    if rng.random() < 0.4:
        street = f"{_n(rng, 40)}-{street}"
    return [street, f"{city}, {prov} {_ca_postcode(rng, fsa)}"]


def _gb_tune(rng: random.Random) -> Lines:
    town, out = rng.choice(_GB_TOWNS)
    street = f"{_n(rng, 199)} {rng.choice(_EN_NAMES)} {_pick(rng, 'Road', 'Street', 'Lane', 'Avenue', 'Close')}"
    if rng.random() < 0.4:
        street = f"Flat {_n(rng, 12)}, {street}"
    return [street, town, _gb_postcode(rng, out)]


def _de_tune(rng: random.Random) -> Lines:
    city, plz = rng.choice(_DE_CITIES)
    number = f"{_n(rng, 150)}{_pick(rng, '', '', 'a', 'b')}"
    return [f"{rng.choice(_DE_NAMES)}{_pick(rng, 'straße', 'str.', 'weg', 'allee')} {number}", f"{plz} {city}"]


def _fr_tune(rng: random.Random) -> Lines:
    city, cp = rng.choice(_FR_CITIES)
    return [f"{_n(rng, 120)} {_pick(rng, 'rue', 'avenue', 'boulevard')} {rng.choice(_FR_STREETS)}", f"{cp} {city}"]


def _es_tune(rng: random.Random) -> Lines:
    city, cp, _ = rng.choice(_ES_CITIES)
    floor = _pick(rng, "", ", 3º B", ", 2.º izq.", ", 1º 2ª")
    return [f"Calle {rng.choice(_ES_STREETS)} {_n(rng, 180)}{floor}", f"{cp} {city}"]


def _it_tune(rng: random.Random) -> Lines:
    city, cap, pr = rng.choice(_IT_CITIES)
    return [f"{_pick(rng, 'Via', 'Piazza', 'Corso')} {rng.choice(_IT_STREETS)} {_n(rng, 150)}", f"{cap} {city} ({pr})"]


def _nl_tune(rng: random.Random) -> Lines:
    city, pc = rng.choice(_NL_CITIES)
    letters = _pick(rng, "AB", "CJ", "GL", "HK", "XZ")
    return [f"{rng.choice(_NL_NAMES)}{_pick(rng, 'straat', 'gracht', 'weg', 'laan')} {_n(rng, 300)}",
            f"{pc} {letters} {city}"]


def _au_tune(rng: random.Random) -> Lines:
    suburb, state, pc = rng.choice(_AU_SUBURBS)
    street = f"{_n(rng, 400)} {rng.choice(_EN_NAMES)} {_pick(rng, 'Street', 'Road', 'Parade', 'Avenue', 'Terrace')}"
    if rng.random() < 0.4:
        street = f"Unit {_n(rng, 20)}, {street}"
    return [street, f"{suburb} {state} {pc}"]


def _in_tune(rng: random.Random) -> Lines:
    city, state, pin = rng.choice(_IN_CITIES)
    return [f"{_n(rng, 300)}, {rng.choice(_IN_NAMES)} Road", f"{city}, {state} {pin}{rng.randint(10, 99)}"]


# --- held formats (other shapes: abbreviations, units, PO boxes, localised forms) ----------

def _us_held(rng: random.Random) -> Lines:
    city, st, state, z = rng.choice(_US_CITIES)
    zip_code = f"{z}{rng.randint(10, 99)}" + _pick(rng, "", f"-{rng.randint(1000, 9999)}")
    kind = rng.randrange(3)
    if kind == 0:
        return [f"{_pick(rng, 'P.O. Box', 'PO Box')} {_n(rng, 9999)}", f"{city} {st} {zip_code}"]
    street = f"{_n(rng, 9999)} {_pick(rng, 'N', 'S', 'E', 'W')} {rng.choice(_EN_NAMES)} " \
             f"{_pick(rng, 'St', 'Ave', 'Blvd', 'Rd.', 'Dr', 'Ln', 'Ct', 'Pl', 'Pkwy')}"
    unit = _pick(rng, "Apt. 12", "Ste 300", "Unit 5C", "# 4", "Apartment 2F")
    if kind == 1:
        return [street, unit, f"{city}, {st} {zip_code}"]
    return [f"{street} {unit}", f"{city}, {state} {zip_code}"]


def _ca_held(rng: random.Random) -> Lines:
    if rng.random() < 0.5:
        city, fsa = rng.choice(_QC_CITIES)
        return [f"{_n(rng, 2999)}, {_pick(rng, 'rue', 'boulevard', 'avenue')} {rng.choice(_FR_STREETS)}",
                f"{city} (Québec) {_ca_postcode(rng, fsa)}"]
    city, prov, fsa = rng.choice(_CA_CITIES)
    return [f"Suite {_n(rng, 900)}, {_n(rng, 2999)} {rng.choice(_EN_NAMES)} {_pick(rng, 'St', 'Ave', 'Blvd')} "
            f"{_pick(rng, 'W', 'E', 'N', 'S')}", f"{city} {prov}  {_ca_postcode(rng, fsa)}"]


def _gb_held(rng: random.Random) -> Lines:
    town, out = rng.choice(_GB_TOWNS)
    kind = rng.randrange(3)
    if kind == 0:
        return [f"PO Box {_n(rng, 999)}", f"{town} {_gb_postcode(rng, out)}"]
    street = f"{_n(rng, 199)}{_pick(rng, '', 'a', 'B')} {rng.choice(_EN_NAMES)} " \
             f"{_pick(rng, 'Mews', 'Crescent', 'Gardens', 'Rd', 'Grove', 'Terrace', 'Way')}"
    if kind == 1:
        return [f"Flat {_n(rng, 9)}", street, town.upper(), rng.choice(_GB_COUNTIES), _gb_postcode(rng, out)]
    return [f"{street}, {town}, {_gb_postcode(rng, out)}"]


def _de_held(rng: random.Random) -> Lines:
    city, plz = rng.choice(_DE_CITIES)
    kind = rng.randrange(3)
    if kind == 0:
        return [f"Postfach {_n(rng, 99999)}", f"{plz} {city}"]
    if kind == 1:
        return [f"Am {rng.choice(_DE_NAMES)}hof {_n(rng, 60)}, {_pick(rng, '3. OG', '2. Stock', 'Hinterhaus')}",
                f"D-{plz} {city}"]
    return [f"{rng.choice(_DE_NAMES)}-{_pick(rng, 'Straße', 'Platz', 'Ring')} {_n(rng, 150)}-{_n(rng, 9)}",
            f"{plz} {city}"]


def _fr_held(rng: random.Random) -> Lines:
    city, cp = rng.choice(_FR_CITIES)
    kind = rng.randrange(3)
    if kind == 0:
        return [f"BP {_n(rng, 999)}", f"{cp} {city.upper()} CEDEX"]
    if kind == 1:
        return [f"{_n(rng, 80)} bis, {_pick(rng, 'place', 'allée', 'impasse', 'quai')} {rng.choice(_FR_STREETS)}",
                "3e étage", f"{cp} {city}"]
    return [f"Appartement {_n(rng, 40)}, {_n(rng, 120)} chemin {rng.choice(_FR_STREETS)}, {cp} {city}"]


def _es_held(rng: random.Random) -> Lines:
    city, cp, prov = rng.choice(_ES_CITIES)
    kind = rng.randrange(3)
    if kind == 0:
        return [f"Apartado de Correos {_n(rng, 999)}", f"{cp} {city}"]
    if kind == 1:
        return [f"C/ {rng.choice(_ES_STREETS)}, {_n(rng, 180)}, {_pick(rng, '4º izda.', 'bajo', '5ºA')}",
                f"{cp} {city} ({prov})"]
    return [f"{_pick(rng, 'Avda.', 'Avenida', 'Paseo', 'Plaza')} de {rng.choice(_ES_STREETS)} nº {_n(rng, 90)}",
            f"{cp} {city}"]


def _it_held(rng: random.Random) -> Lines:
    city, cap, pr = rng.choice(_IT_CITIES)
    kind = rng.randrange(3)
    if kind == 0:
        return [f"Casella Postale {_n(rng, 999)}", f"{cap} {city} {pr}"]
    if kind == 1:
        return [f"Viale {rng.choice(_IT_STREETS)} n. {_n(rng, 150)}, scala B, int. {_n(rng, 20)}", f"{cap} {city}"]
    return [f"{_pick(rng, 'Corso', 'Largo', 'Vicolo')} {rng.choice(_IT_STREETS)}, {_n(rng, 150)}/B - {cap} {city} {pr}"]


def _nl_held(rng: random.Random) -> Lines:
    city, pc = rng.choice(_NL_CITIES)
    kind = rng.randrange(3)
    if kind == 0:
        return [f"Postbus {_n(rng, 9999)}", f"{pc}AB {city.upper()}"]
    if kind == 1:
        return [f"{rng.choice(_NL_NAMES)}{_pick(rng, 'kade', 'plein', 'singel', 'dijk')} {_n(rng, 300)}"
                f"-{_pick(rng, 'II', 'hs', '3')}",
                f"{pc} KL  {city}"]
    return [f"{rng.choice(_NL_NAMES)}{_pick(rng, 'laan', 'straat')} {_n(rng, 300)}{_pick(rng, 'A', ' bis', 'c')}, "
            f"{pc}GH {city}"]


def _au_held(rng: random.Random) -> Lines:
    suburb, state, pc = rng.choice(_AU_SUBURBS)
    kind = rng.randrange(3)
    if kind == 0:
        return [f"PO Box {_n(rng, 999)}", f"{suburb} {state} {pc}"]
    if kind == 1:
        return [f"{_n(rng, 30)}/{_n(rng, 400)} {rng.choice(_EN_NAMES)} {_pick(rng, 'St', 'Rd', 'Pde', 'Hwy', 'Cres')}",
                f"{suburb.upper()} {state} {pc}"]
    return [f"Level {_n(rng, 20)}, {_n(rng, 400)} {rng.choice(_EN_NAMES)} "
            f"{_pick(rng, 'Esplanade', 'Place', 'Circuit')}",
            f"{suburb}, {state} {pc}"]


def _in_held(rng: random.Random) -> Lines:
    city, state, pin = rng.choice(_IN_CITIES)
    pin_code = f"{pin}{rng.randint(10, 99)}"
    kind = rng.randrange(3)
    if kind == 0:
        return [f"House No. {_n(rng, 900)}, Sector {_n(rng, 60)}", f"{city}, {state} - {pin_code}"]
    if kind == 1:
        return [f"Flat No. {_n(rng, 900)}, {rng.choice(_IN_NAMES)} Apartments",
                f"{_n(rng, 99)} {rng.choice(_IN_NAMES)} Main Road, {rng.choice(_IN_NAMES)} Nagar", f"{city} {pin_code}"]
    return [f"{_n(rng, 30)}/{_n(rng, 200)}, {rng.choice(_IN_NAMES)} Marg, {city} {pin_code}"]


TUNE_FORMATS: dict[str, Format] = {"US": _us_tune, "CA": _ca_tune, "GB": _gb_tune, "DE": _de_tune, "FR": _fr_tune,
                                   "ES": _es_tune, "IT": _it_tune, "NL": _nl_tune, "AU": _au_tune, "IN": _in_tune}
HELD_FORMATS: dict[str, Format] = {"US": _us_held, "CA": _ca_held, "GB": _gb_held, "DE": _de_held, "FR": _fr_held,
                                   "ES": _es_held, "IT": _it_held, "NL": _nl_held, "AU": _au_held, "IN": _in_held}

_PEOPLE = ("Jane Doe", "Arjun Mehta", "Claire Martin", "Jonas Weber", "Lucía García", "Marco Rossi", "Sanne de Vries")

#: ``{a}`` is the address (lines joined by ", " unless the template says ``multi``); ``{p}`` a name.
#: ``lower`` templates lower-case the address.
TUNE_TEMPLATES = (
    ("Please send the package to {a}.", "inline"),
    ("My home address is {a}, thanks.", "inline"),
    ("I live at {a} with my partner.", "inline"),
    ("Can you update my address to {a}?", "inline"),
    ("Our office moved to {a} last month.", "inline"),
    ("Address:\n{a}\nPhone: see below", "multi"),
    ("pls ship to {a} asap", "lower"),
)
HELD_TEMPLATES = (
    ("Dear Sir or Madam,\n\n{p}\n{a}\n\nI am writing about my recent order.", "multi"),
    ("name,address,qty\n{p},\"{a}\",2", "inline"),
    ('{{"customer": "{p}", "shipping_address": "{a}", "express": true}}', "inline"),
    ("SHIP TO:\n{p}\n{a}\nRef: 88213", "multi"),
    ("yeah just drop it off at {a} around 6", "lower"),
    ("Return address — {a} — please keep on file.", "inline"),
    ("Best regards,\n{p}\n{a}", "multi"),
    ("The tenant, {p}, resides at {a} since 2019.", "inline"),
)


def _cases(family: str, formats: dict[str, Format], templates: tuple[tuple[str, str], ...],
           per_country: int, rng: random.Random) -> list[Case]:
    out: list[Case] = []
    for country in COUNTRIES:
        for i in range(per_country):
            lines = formats[country](rng)
            template, mode = templates[i % len(templates)]
            address = "\n".join(lines) if mode == "multi" else ", ".join(lines)
            if mode == "lower":
                address = address.lower()
            out.append(Case(template.format(a=address, p=rng.choice(_PEOPLE)), address, country, family))
    return out


def positives(per_country: int = 20, seed: int = 5) -> list[Case]:
    """Cases of every country in both families (``per_country`` each)."""
    rng = random.Random(seed)
    return (_cases("tune", TUNE_FORMATS, TUNE_TEMPLATES, per_country, rng)
            + _cases("held", HELD_FORMATS, HELD_TEMPLATES, per_country, rng))


POSITIVES: list[Case] = positives()

_FIXED_NEGATIVES = [
    # public landmarks and fictional homes in knowledge questions (not private, see module docstring)
    "Where is 10 Downing Street?",
    "Tell me about the history of 221B Baker Street.",
    "What is on Fifth Avenue?",
    "Who lives at 1600 Pennsylvania Avenue?",
    "Why is 1600 Pennsylvania Ave NW called the White House?",
    "Is Abbey Road in London?",
    "What happened at 10 Downing Street in 1940?",
    "How tall is the Empire State Building at 350 Fifth Avenue?",
    "Which company had its headquarters at 1 Infinite Loop, Cupertino?",
    "In the books, Harry lived at 4 Privet Drive.",
    "Was the studio at 3 Abbey Road really where the Beatles recorded?",
    "What is the significance of 12 Grimmauld Place in the novels?",
    "Who is the Sherlock Holmes museum at 221b Baker St dedicated to?",
    "Describe the architecture of 30 Rockefeller Plaza.",
    "What is Wall Street known for?",
    "Is Champs-Élysées the most famous avenue in Paris?",
    "What does the Élysée Palace at 55 rue du Faubourg Saint-Honoré house?",
    "When was the Reichstag at Platz der Republik 1 rebuilt?",
    "Why is Lombard Street so crooked?",
    "Which street is longer, Broadway or Sunset Boulevard?",
    "Name three shops on Oxford Street.",
    "Is Via del Corso in Rome a shopping street?",
    "What is the oldest house on Prinsengracht?",
    "How do I get to Times Square from Penn Station?",
    "Where is 742 Evergreen Terrace in The Simpsons?",
    "Who lived at 1313 Mockingbird Lane on TV?",
    # maths, code, quantities, dates, versions, scores
    "3 + 7 = 22 is false; 3 + 7 = 10.",
    "Bake at 350 degrees for 25 minutes.",
    "Here are 12 Main ideas from the book.",
    "I have 3 Main concerns about the plan.",
    "Python 3.12 removed distutils.",
    "The Lakers won 112-108 on Sunday.",
    "Final score: Arsenal 2, Chelsea 1.",
    "for i in range(10): print(i * 2)",
    "SELECT name FROM users WHERE id = 42 AND street IS NULL;",
    "def street_address(n: int) -> str: return f'{n} Main Street'",
    "Windows 11 Pro and Office 365 are installed.",
    "Apollo 11 landed on 20 July 1969.",
    "The Boeing 747 Jumbo Jet first flew in 1969.",
    "Chapter 12 Road Trips covers packing lists.",
    "Top 10 Drive Tips for winter.",
    "We need 4 Park Rangers and 2 Lake Guards.",
    "The 5 Court Cases that changed history.",
    "Route 66 is a famous highway.",
    "There are 2 high street banks in our town.",
    "She ran 5 km along the river road yesterday.",
    "Meet me on Main Street at noon.",
    "The parade goes down Church Street every year.",
    "Room 101 in Nineteen Eighty-Four.",
    "Area 51 is in Nevada.",
    "Take the 42 bus to the station.",
    "Line 17 column 4: unexpected token.",
    "Add 2 cups of flour and 3 eggs.",
    "The iPhone 15 Plus costs 899 dollars.",
    "Section 230 of the Communications Decency Act.",
    "Interstate 95 runs along the East Coast.",
    "The 1st Avenue exit is closed, use 2nd Street instead.",
    "I counted 17 Oak trees and 4 Birch saplings.",
    "Version 2.4.1 fixes 13 bugs.",
    "The match ended 3-1 after 90 minutes.",
    "Das Spiel endete 2:1 nach Verlängerung.",
    "Le score final est de 24 à 17.",
    "Il treno parte alle 14:35 dal binario 3.",
    "Wir haben 3 Straßenbahnen und 12 Busse.",
    "Er wohnt in der Nähe vom Hauptbahnhof.",
    "La rue principale est fermée aujourd'hui.",
    "El precio es 25 euros por persona.",
    "De trein van 10:15 naar Utrecht is vertraagd.",
    "Ik heb 3 straten verderop geparkeerd.",
    "My order number is 48213 and it shipped on 12/03/2025.",
    "Invoice 2024-118 totals 1,250.00 USD.",
    "The function returns 404 when the route is missing.",
    "Set max_workers = 8 in the config.",
    "Temperature: 21 °C, humidity 60 %.",
    "I was born in 1987 in a small village.",
    "The deadline is 31 March 2026.",
    "Scale the image to 1920 x 1080 pixels.",
    "git commit -m 'fix 12 failing tests in street parser'",
    "Score 7 out of 10 for the street food.",
    "Our team has 14 Field engineers.",
    "He drove 300 miles on Highway 1 along the coast.",
    "What's the population of Avenue, a town in Maryland?",
    "Is Rodeo Drive in Beverly Hills expensive?",
    "What are the opening hours of Harrods on Brompton Road?",
    "Was Bourbon Street in New Orleans always this busy?",
    "I moved to a new street last year.",
    "Street Fighter 2 was released in 1991.",
    "42 is the answer to everything.",
    "Use 3 spaces, not 2 tabs.",
    "The recipe serves 6 people.",
    "PostgreSQL 16 and Redis 7.2 are required.",
    "The S&P 500 rose 1.2% today.",
    "She scored 28 points and 11 rebounds.",
    "Chapter 3: The Road Not Taken",
    "Psalm 23 and John 3:16 are often quoted.",
    "Highway 401 traffic is heavy at 5 pm.",
    "The 3 Musketeers is a novel by Dumas.",
    "1 Direction released 5 albums.",
    "She finished 2nd in the 100 m final.",
    "Set the oven to 200 degrees Celsius.",
    "PLZ und Ort bitte im Formular eintragen.",
    "Indirizzo: da compilare.",
    "Enter your street address below.",
    "Street address field is required.",
]


def _negative_values(rng: random.Random) -> list[str]:
    r = rng.randint
    return [
        f"{r(1, 99)} + {r(1, 99)} = {r(1, 200)}",
        f"Preheat to {r(150, 250)} degrees and bake {r(10, 60)} minutes.",
        f"The meeting is on {r(2000, 2030)}-{r(1, 12):02d}-{r(1, 28):02d} at {r(0, 23):02d}:{r(0, 59):02d}.",
        f"Upgrade to version {r(0, 20)}.{r(0, 40)}.{r(0, 200)} before Friday.",
        f"Final score {r(0, 130)}-{r(0, 130)} in overtime.",
        f"We sold {r(2, 900)} Widgets and {r(2, 90)} Gadgets this week.",
        f"Order #{r(10**5, 10**7)} contains {r(1, 9)} items.",
        f"x = [{r(1, 99)}, {r(1, 99)}, {r(1, 99)}]; y = sum(x) / {r(1, 9)}",
        f"Room {r(100, 999)}, floor {r(1, 30)}, badge {r(100000, 999999)}.",
        f"Page {r(1, 400)} of {r(400, 900)}",
        f"It costs ${r(1, 999)}.{r(0, 99):02d} plus tax.",
        f"Train {r(100, 999)} leaves at {r(5, 22)}:{r(10, 59)} from platform {r(1, 20)}.",
        f"Load {r(1, 50)} Boxes onto truck {r(1, 12)}.",
        f"Der Preis beträgt {r(1, 999)},{r(0, 99):02d} € für {r(2, 9)} Personen.",
    ]


def negatives(rounds: int = 8, seed: int = 13) -> list[str]:
    """Fixed tricky texts plus drawn number-heavy texts (14 shapes, ``rounds`` draws each)."""
    rng = random.Random(seed)
    out = list(_FIXED_NEGATIVES)
    for _ in range(rounds):
        out.extend(_negative_values(rng))
    return out


NEGATIVES: list[str] = negatives()
