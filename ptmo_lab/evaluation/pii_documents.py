"""Seeded synthetic chatbot documents (letters, CVs, emails, chat logs, forms, medical and
legal questions) in English, German, French and Spanish, with typed gold spans.

A second generator beside :mod:`ptmo_lab.evaluation.synthetic_pii`: longer texts, Faker
values of the template's locale, street addresses with unit numbers and postcodes,
phone numbers of many countries formatted by ``phonenumbers``, and national IDs with
valid checksums. Every template belongs to a family: ``"tune"`` templates may be read,
debugged and tuned on; ``"held"`` templates are only measured (they were written with
the tune ones, before either was run through a detector, and share no sentence with
them); ``"final"`` templates were written after the detectors were adjusted on the tune
family and measured, then their failures read and fixed; ``"blind"`` templates were
written before that fix and measured after it, then read and fixed in turn; ``"blind2"``
templates were written before that second fix and measured once after it. Nothing here
trains a model.

Gold spans are what must not leave the device: the user's and other private people's
names, employers, home towns, contact details and identifiers. Public entities in the
same texts (well-known companies, capitals, countries asked about) are not gold.
"""
from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass, field
from typing import Callable

from ptmo_lab.evaluation.synthetic_pii import fill_slots, luhn_complete

#: Gold entity type of each ``[SLOT]``.
SLOT_TYPES: dict[str, str] = {
    "NAME": "PERSON", "FIRST": "PERSON", "LAST": "PERSON", "COMPANY": "ORGANIZATION",
    "CITY": "LOCATION", "ADDRESS": "ADDRESS", "STREET": "ADDRESS", "EMAIL": "EMAIL_ADDRESS",
    "PHONE": "PHONE_NUMBER", "INTL": "PHONE_NUMBER", "CARD": "CREDIT_CARD", "IBAN": "IBAN_CODE",
    "NATID": "NATIONAL_ID", "DOB": "DATE_OF_BIRTH", "HANDLE": "USERNAME", "PASSWORD": "PASSWORD",
}

_LOCALES = {"en": ("en_US", "en_GB"), "de": ("de_DE",), "fr": ("fr_FR",), "es": ("es_ES",)}

#: Regions whose mobile numbers fill ``[INTL]`` (any template, any language).
INTL_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "CH", "SE", "PL", "IN", "BR", "MX",
                "JP", "KR", "AU", "CA", "ZA", "NG", "AE", "TR", "IE", "PT", "SG")

#: ``(family, lang, kind, template)``. ``[slot]`` in lower case: the value typed in lower case.
TEMPLATES: tuple[tuple[str, str, str, str], ...] = (
    # --- tune ---
    ("tune", "en", "cv", "Please tidy up the header of my CV:\n[NAME]\n[ADDRESS]\nMobile: [INTL]\n"
     "Email: [EMAIL]\nDate of birth: [DOB]"),
    ("tune", "en", "letter", "Write a short letter to my landlord, [NAME], telling him I am moving out "
     "of [STREET] at the end of next month and asking how the deposit will be returned."),
    ("tune", "en", "email", "Can you make this email friendlier? 'Hi [FIRST], the invoice from [COMPANY] "
     "is still unpaid. Call me on [PHONE] before Friday. Regards, [NAME]'"),
    ("tune", "en", "chat_log", "Summarise this chat for me:\n[FIRST]: are you still coming to the party?\n"
     "me: yes, I'll bring [first] too\n[FIRST]: great, text me on [INTL] when you're outside"),
    ("tune", "en", "medical", "I'm [NAME], 46, and my GP in [CITY] says my cholesterol is high. "
     "What questions should I ask at my next appointment?"),
    ("tune", "en", "legal", "My employer [COMPANY] has not paid my overtime for three months. "
     "My employee number is on the payslip, my NI number is [NATID]. Can I take them to a tribunal?"),
    ("tune", "en", "form", "Check this form for mistakes: Name: [NAME] | Phone: [PHONE] | "
     "Card: [CARD] | Billing address: [ADDRESS]"),
    ("tune", "en", "friend", "my friend [name] lives in [city] and wants to study nursing, which "
     "universities should she look at?"),
    ("tune", "en", "travel", "Book a table for four under the name [LAST] and send the confirmation to "
     "[EMAIL]. Also, what is the best time to visit Rome?"),
    ("tune", "en", "bank", "I need to pay my sister [NAME] back. Her IBAN is [IBAN]. How long does a SEPA "
     "transfer take from the UK?"),
    ("tune", "en", "social", "Write a bio for my Instagram [HANDLE]. I'm a baker from [CITY] and I love "
     "sourdough."),
    ("tune", "en", "account", "I can't log in to the [COMPANY] portal, my username is [HANDLE] and the "
     "password [PASSWORD] worked yesterday."),
    ("tune", "de", "letter", "Formuliere bitte eine Kündigung für meinen Handyvertrag. Absender: [NAME], "
     "[ADDRESS], Kundennummer folgt. Telefon: [PHONE]"),
    ("tune", "de", "tax", "Meine Steuer-ID ist [NATID] und ich wohne in [CITY]. Muss ich die "
     "Steuererklärung abgeben, wenn ich nur angestellt bin?"),
    ("tune", "de", "email", "Schreib eine kurze Mail an [NAME] von [COMPANY]: ich komme am Montag später, "
     "erreichbar unter [INTL]."),
    ("tune", "de", "medical", "Mein Sohn [FIRST] hat seit drei Tagen Fieber. Unser Kinderarzt in [CITY] "
     "hat Urlaub. Was soll ich tun?"),
    ("tune", "fr", "letter", "Rédige une lettre de motivation pour [NAME], né le [DOB], qui postule chez "
     "[COMPANY] comme comptable."),
    ("tune", "fr", "admin", "Mon numéro de sécurité sociale est [NATID] et j'habite [ADDRESS]. Comment "
     "changer d'adresse auprès de la CPAM ?"),
    ("tune", "fr", "chat_log", "Résume cette conversation :\n[FIRST] : tu peux m'appeler au [PHONE] ?\n"
     "moi : oui, ce soir après le travail"),
    ("tune", "es", "cv", "Corrige mi currículum: [NAME], DNI [NATID], teléfono [PHONE], correo [EMAIL], "
     "vivo en [CITY]."),
    ("tune", "es", "email", "Escribe un correo a [NAME] de [COMPANY] para pedirle el contrato firmado. "
     "Mi número es [INTL]."),
    ("tune", "es", "bank", "Quiero domiciliar el recibo de la luz en mi cuenta [IBAN]. ¿Qué datos necesito?"),
    ("tune", "en", "code", "Why does this fail?\nuser = User(name=\"[NAME]\", email=\"[EMAIL]\", "
     "phone=\"[INTL]\")\nuser.save()"),
    ("tune", "en", "intl", "My colleague in the other office, [NAME], gave me [INTL] as her number. "
     "What time zone is that?"),
    ("tune", "en", "account", "The Wi-Fi password at my place is [PASSWORD], can you make a QR code for "
     "guests? The network is called [LAST]-home."),
    ("tune", "en", "account", "pw for the shared drive: [PASSWORD] - is that strong enough or should I "
     "change it?"),
    ("tune", "de", "account", "Mein Passwort für das Kundenportal von [COMPANY] ist [PASSWORD], "
     "Benutzername [HANDLE]. Wie ändere ich es?"),
    ("tune", "en", "intl", "Which of these is a mobile number: [INTL], [INTL] or [PHONE]?"),
    ("tune", "fr", "intl", "Mon fils [FIRST] est en Erasmus, son numéro est le [INTL]. Quel forfait "
     "prendre pour l'appeler ?"),
    ("tune", "en", "location", "We are moving from [CITY] to [CITY] in June with two kids. What should "
     "we sort out first?"),
    ("tune", "es", "location", "Vivo en [CITY] desde hace dos años y trabajo en [COMPANY]. ¿Me "
     "conviene hacer la declaración conjunta?"),
    ("tune", "de", "location", "Ich bin in [CITY] aufgewachsen und wohne jetzt in [CITY]. Schreib mir "
     "einen kurzen Text über Heimat."),
    # --- held ---
    ("held", "en", "cv", "Turn this into a one-page résumé:\n[NAME] | [EMAIL] | [INTL]\n[ADDRESS]\n"
     "Experience: 2016-2023 logistics planner at [COMPANY]"),
    ("held", "en", "letter", "Draft a complaint to [COMPANY] about the broken boiler. My address is "
     "[ADDRESS] and they can reach me on [PHONE]. Sign it [NAME]."),
    ("held", "en", "email", "Reply to [FIRST] for me: thanks for the quote, please send the invoice to "
     "[EMAIL] and put [NAME] as the contact."),
    ("held", "en", "chat_log", "What is going on in this group chat?\n[NAME]: who took my charger\n"
     "[FIRST]: not me, ask [first]\n[NAME]: ok I'll call her, [INTL] right?"),
    ("held", "en", "medical", "My mother [NAME] was diagnosed with type 2 diabetes at the clinic in "
     "[CITY]. What diet changes help most?"),
    ("held", "en", "legal", "I got a parking fine while visiting [CITY]. The car is registered to "
     "[NAME], [STREET]. Should I appeal?"),
    ("held", "en", "form", "Fill in the rest of this rental application for me: Applicant: [NAME]. "
     "DOB: [DOB]. SSN or NI number: [NATID]. Current employer: [COMPANY]."),
    ("held", "en", "friend", "how do i tell my flatmate [name] that i'm moving to [city] with my "
     "boyfriend without hurting her"),
    ("held", "en", "travel", "Our hotel booking is under [NAME], phone [INTL]. Is it worth hiring a car "
     "to drive from Lisbon to Porto?"),
    ("held", "en", "bank", "Someone charged my card [CARD] twice at a petrol station. The bank is "
     "[COMPANY]. What should I say when I call them?"),
    ("held", "en", "social", "Help me answer a DM from [HANDLE], who says we met at the conference in "
     "[CITY] last year."),
    ("held", "en", "account", "Reset instructions please: the Wi-Fi admin login is [HANDLE] / "
     "[PASSWORD] and the router is in my office."),
    ("held", "de", "letter", "Bitte schreib einen Widerspruch gegen den Bescheid. Ich heiße [NAME], "
     "wohne in der [STREET] und bin unter [PHONE] erreichbar."),
    ("held", "de", "tax", "Das Finanzamt [CITY] will meine Steueridentifikationsnummer, sie lautet "
     "[NATID]. Wo trage ich sie im Formular ein?"),
    ("held", "de", "email", "Antworte [FIRST] [LAST] freundlich, dass die Lieferung von [COMPANY] erst "
     "nächste Woche kommt. Meine Nummer: [INTL]"),
    ("held", "de", "medical", "Meine Frau [NAME] ist schwanger und ihre Frauenärztin in [CITY] rät zu "
     "Eisentabletten. Gibt es Nebenwirkungen?"),
    ("held", "fr", "letter", "Écris une lettre de résiliation pour mon abonnement internet. Nom : [NAME]. "
     "Adresse : [ADDRESS]. Téléphone : [PHONE]."),
    ("held", "fr", "admin", "Je suis [NAME], mon IBAN est [IBAN]. Pourquoi mon remboursement n'est-il "
     "pas encore arrivé ?"),
    ("held", "fr", "chat_log", "Traduis en anglais :\n[FIRST] : je suis chez [first] à [CITY], "
     "appelle-moi au [INTL]"),
    ("held", "es", "cv", "Mejora este perfil de LinkedIn: [NAME], ingeniera en [COMPANY], vive en "
     "[CITY]. Contacto: [EMAIL]."),
    ("held", "es", "email", "Contesta a [FIRST]: la reunión con [COMPANY] es el jueves y mi móvil es "
     "[PHONE]."),
    ("held", "es", "bank", "Mi NIE es [NATID] y quiero abrir una cuenta. ¿Qué banco me recomiendas "
     "para extranjeros?"),
    ("held", "en", "code", "Add validation to this fixture:\ncustomer = {\"name\": \"[NAME]\", "
     "\"address\": \"[ADDRESS]\", \"phone\": \"[INTL]\"}"),
    ("held", "en", "intl", "A recruiter called me from [INTL] about a job at [COMPANY]. Is this number "
     "a scam?"),
    # --- final: written after the tune family was debugged, measured once ---
    ("final", "de", "cv", "Bitte formatiere meinen Lebenslauf:\n[NAME]\n[ADDRESS]\nTel. [PHONE]\n"
     "E-Mail [EMAIL]\ngeboren am [DOB]\n2019-2024 Sachbearbeiterin bei [COMPANY]"),
    ("final", "es", "letter", "Redacta una carta al casero, [NAME], diciendo que dejo el piso de [STREET] "
     "el mes que viene. Firmado: [NAME]."),
    ("final", "fr", "email", "Peux-tu relire ce mail ? « Bonjour [FIRST], je vous envoie le devis de "
     "[COMPANY]. Mon portable : [INTL]. Cordialement, [NAME] »"),
    ("final", "en", "chat_log", "[09:12] [FIRST]: did anyone see my keys\n[09:13] [FIRST]: try the car\n"
     "[09:15] [FIRST]: found them, thanks! call me on [PHONE] if you need the car"),
    ("final", "es", "medical", "Mi padre, [NAME], tiene 70 años y vive solo en [CITY]. Le han recetado "
     "metformina. ¿Qué efectos secundarios son normales?"),
    ("final", "fr", "legal", "Mon employeur [COMPANY] refuse de me payer mes congés. Je m'appelle [NAME], "
     "numéro de sécu [NATID]. Puis-je saisir les prud'hommes ?"),
    ("final", "de", "form", "Prüf das Formular: Name: [NAME]; Geburtsdatum: [DOB]; IBAN: [IBAN]; "
     "Anschrift: [ADDRESS]"),
    ("final", "de", "friend", "meine freundin [first] [last] zieht nach [CITY] und sucht eine wohnung, "
     "hast du tipps?"),
    ("final", "en", "travel", "Please email the itinerary to [EMAIL]. The flight is booked for [NAME] and "
     "[NAME]. How early should we be at Heathrow?"),
    ("final", "de", "bank", "Ich habe [NAME] aus Versehen 500 Euro überwiesen, an [IBAN]. Wie bekomme "
     "ich das Geld zurück?"),
    ("final", "fr", "social", "Écris une bio Twitter pour [HANDLE] : photographe à [CITY], passionné de "
     "vélo."),
    ("final", "es", "account", "No puedo entrar en mi correo [EMAIL], la contraseña era [PASSWORD]. "
     "¿Cómo la recupero?"),
    ("final", "en", "code", "Fix the indentation:\ncontact:\n  owner: [NAME]\n  phone: \"[INTL]\"\n"
     "  office: [ADDRESS]"),
    ("final", "en", "intl", "I keep getting calls from [INTL] and [INTL]. My name is [NAME], should I "
     "block them?"),
    ("final", "en", "medical", "My son [FIRST] ([DOB]) has asthma. His card for the clinic at [COMPANY] "
     "says patient [NAME]. What inhaler dose is normal for his age?"),
    ("final", "en", "friend", "went hiking with [first] and [first] near [city] last weekend, write a "
     "funny caption for the photo"),
    # --- blind: written after the final family's failures were read, measured once ---
    ("blind", "en", "letter", "Help me write a reference letter. [NAME] worked for me at [COMPANY] from "
     "2018 to 2022; she can be reached at [EMAIL]."),
    ("blind", "en", "chat_log", "[FIRST] - Today at 8:02 PM\nanyone up for tennis sat?\n[FIRST] - Today at "
     "8:05 PM\nme, if [first] brings the balls"),
    ("blind", "de", "email", "Kannst du das kürzer machen? \"Sehr geehrte Frau [LAST], anbei die Unterlagen "
     "von [COMPANY]. Rückfragen gern an [PHONE]. Viele Grüße, [NAME]\""),
    ("blind", "fr", "friend", "mon coloc [first] [last] part vivre à [CITY] en septembre, quel cadeau de "
     "départ lui offrir ?"),
    ("blind", "es", "legal", "Me llamo [NAME] y mi casero, [NAME], no me devuelve la fianza del piso en "
     "[STREET]. ¿Qué puedo hacer?"),
    ("blind", "en", "medical", "Patient: [NAME], DOB [DOB], NHS or SSN [NATID]. Symptoms: cough for three "
     "weeks. Write a referral note."),
    ("blind", "en", "travel", "Can you translate our booking note into Italian: guests [NAME] and [NAME], "
     "arriving from [CITY], contact [INTL]."),
    ("blind", "de", "bank", "Mein Vermieter [NAME] will die Kaution auf [IBAN] überwiesen haben. Ist das "
     "ein deutsches Konto?"),
    ("blind", "fr", "account", "Identifiants de la box : utilisateur [HANDLE], mot de passe [PASSWORD]. "
     "Comment changer le nom du Wi-Fi ?"),
    ("blind", "es", "cv", "Datos personales:\nNombre: [NAME]\nDirección: [ADDRESS]\nMóvil: [INTL]\n"
     "Email: [EMAIL]\nExperiencia: 2015-2023, administrativa en [COMPANY]"),
    ("blind", "en", "code", "test fixture looks wrong:\nINSERT INTO customers (name, phone, city) VALUES "
     "('[NAME]', '[INTL]', '[CITY]');"),
    ("blind", "en", "social", "my cousin [first] just opened a bakery in [city], write an instagram post "
     "announcing it"),
    ("blind", "de", "medical", "Ich bin [NAME], geboren am [DOB], und habe seit gestern Ausschlag. "
     "Meine Hausärztin in [CITY] hat zu. Was tun?"),
    ("blind", "en", "intl", "Is [INTL] a landline or a mobile? A woman called [NAME] left a voicemail "
     "from it."),
    # --- blind2: written after the blind family's failures were read, before fixing them ---
    ("blind2", "en", "email", "Proofread: 'Hello [FIRST], please find attached the lease for [STREET]. "
     "If anything is unclear, my number is [PHONE]. Best, [FIRST] [LAST]'"),
    ("blind2", "de", "chat_log", "Fass den Chat zusammen:\n[FIRST]: bin gleich da\n[FIRST]: ok, "
     "[first] wartet am Eingang\n[FIRST]: alles klar, ruf mich an: [INTL]"),
    ("blind2", "fr", "cv", "Mets en forme :\n[NAME]\n[ADDRESS]\n[PHONE] - [EMAIL]\nExpérience : "
     "assistante de direction chez [COMPANY] (2017-2024)"),
    ("blind2", "es", "friend", "mi mejor amiga [first] [last] se casa en [CITY] en mayo, ¿qué le "
     "regalo?"),
    ("blind2", "en", "form", "{\"applicant\": \"[NAME]\", \"dob\": \"[DOB]\", \"mobile\": "
     "\"[INTL]\", \"iban\": \"[IBAN]\"} - is this JSON valid?"),
    ("blind2", "en", "medical", "I'm a nurse at [COMPANY]. Our patient [NAME] from [CITY] reacted to "
     "penicillin. How should I document it?"),
    ("blind2", "de", "legal", "Mein Nachbar [NAME] ([STREET]) parkt ständig in meiner Einfahrt. Kann ich "
     "abschleppen lassen?"),
    ("blind2", "fr", "bank", "Virement à faire : bénéficiaire [NAME], IBAN [IBAN], motif loyer. "
     "Combien de temps ça prend ?"),
    ("blind2", "es", "account", "usuario: [HANDLE] / clave: [PASSWORD] - ¿es segura esta contraseña?"),
    ("blind2", "en", "chat_log", "<[FIRST]> who broke the build\n<[FIRST]> not me, ask [FIRST]\n"
     "<[FIRST]> my bad, fixing it now"),
    ("blind2", "en", "travel", "Rental car is booked under [NAME] (license [NATID]?) - pick-up at "
     "[ADDRESS]. How much should the deposit be?"),
    ("blind2", "en", "social", "write a birthday post for my grandma [first] [last], she turns 90 "
     "and still lives in [city]"),
)


@dataclass
class Document:
    """One generated text, its gold spans ``(start, end, type)``, and where it came from."""

    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    family: str = ""
    lang: str = ""
    kind: str = ""


def intl_phone(rng: random.Random, region: str) -> str:
    """A valid mobile number of ``region`` (its example number with random last digits),
    formatted international, national or E.164 at random."""
    import phonenumbers
    from phonenumbers import PhoneNumberFormat, PhoneNumberType

    example = phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE)
    nsn = phonenumbers.national_significant_number(example)
    number = example
    for _ in range(100):
        tail = "".join(rng.choice(string.digits) for _ in range(min(5, len(nsn) - 3)))
        candidate = phonenumbers.parse("+" + str(example.country_code) + nsn[:len(nsn) - len(tail)] + tail)
        if phonenumbers.is_valid_number(candidate):
            number = candidate
            break
    fmt = rng.choice([PhoneNumberFormat.INTERNATIONAL, PhoneNumberFormat.INTERNATIONAL,
                      PhoneNumberFormat.NATIONAL, PhoneNumberFormat.E164])
    return phonenumbers.format_number(number, fmt)


def _steuer_id(rng: random.Random) -> str:
    from stdnum.de import idnr
    from stdnum.iso7064 import mod_11_10

    while True:
        body = str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(9))
        number = body + mod_11_10.calc_check_digit(body)
        if idnr.is_valid(number):
            return rng.choice([number, idnr.format(number)])


def _nino(rng: random.Random) -> str:
    first = rng.choice("ABCEGHJKLMNPRSTWXYZ")
    second = rng.choice("ABCEGHJKLMNPRSTWXYZ".replace("O", ""))
    digits = "".join(rng.choice(string.digits) for _ in range(6))
    spaced = rng.random() < 0.5
    sep = " " if spaced else ""
    return f"{first}{second}{sep}{digits[:2]}{sep}{digits[2:4]}{sep}{digits[4:]}{sep}{rng.choice('ABCD')}"


def _ssn(rng: random.Random) -> str:
    area = rng.choice([n for n in range(1, 900) if n != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def _card(rng: random.Random) -> str:
    prefix = rng.choice(["4", "51", "55", "22"])
    number = luhn_complete(prefix + "".join(rng.choice(string.digits) for _ in range(15 - len(prefix))))
    sep = rng.choice(["", " ", "-", " "])
    return sep.join(number[i:i + 4] for i in range(0, 16, 4))


def _iban(fake, rng: random.Random) -> str:
    value = fake.iban()
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4)) if rng.random() < 0.5 else value


def _national_id(fake, locale: str, rng: random.Random) -> str:
    if locale == "de_DE":
        return _steuer_id(rng)
    if locale == "fr_FR":
        return fake.ssn()
    if locale == "es_ES":
        return rng.choice([fake.nif, fake.nie])()
    if locale == "en_GB":
        return _nino(rng)
    return _ssn(rng)


def _makers(fake, locale: str) -> dict[str, Callable[[random.Random], str]]:
    return {
        "NAME": lambda r: fake.name(), "FIRST": lambda r: fake.first_name(),
        "LAST": lambda r: fake.last_name(), "COMPANY": lambda r: fake.company(),
        "CITY": lambda r: fake.city(), "STREET": lambda r: fake.street_address(),
        "ADDRESS": lambda r: re.sub(r"\s*\n\s*", ", ", fake.address()),
        "EMAIL": lambda r: fake.email(), "PHONE": lambda r: fake.phone_number(),
        "INTL": lambda r: intl_phone(r, r.choice(INTL_REGIONS)), "CARD": _card,
        "IBAN": lambda r: _iban(fake, r), "NATID": lambda r: _national_id(fake, locale, r),
        "DOB": lambda r: fake.date_of_birth(minimum_age=18, maximum_age=80).strftime(
            r.choice(["%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %B %Y"])),
        "HANDLE": lambda r: "@" + fake.user_name(),
        "PASSWORD": lambda r: r.choice(["Summer", "kitten", "Blue", "rocket"]) + str(r.randint(10, 9999))
        + r.choice("!#$%&*?"),
    }


FAMILIES = ("tune", "held", "final", "blind", "blind2")


def generate_documents(n: int = 400, seed: int = 11, family: str = "held") -> list[Document]:
    """``n`` documents of the ``family``'s templates (one of :data:`FAMILIES`), each filled
    with Faker values of a locale of the template's language; the same seed gives the same
    documents."""
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES}")
    from faker import Faker

    pool = [t for t in TEMPLATES if t[0] == family]
    rng = random.Random(seed)
    makers: dict[str, dict[str, Callable[[random.Random], str]]] = {}
    for i, locale in enumerate(sorted({loc for locs in _LOCALES.values() for loc in locs})):
        fake = Faker(locale)
        fake.seed_instance(seed * 100 + i + 25 * FAMILIES.index(family))
        makers[locale] = _makers(fake, locale)
    docs = []
    for k in range(n):
        fam, lang, kind, template = pool[k % len(pool)] if k < len(pool) else rng.choice(pool)
        text, spans = fill_slots(template, makers[rng.choice(_LOCALES[lang])], rng, SLOT_TYPES)
        docs.append(Document(text, spans, fam, lang, kind))
    return docs
