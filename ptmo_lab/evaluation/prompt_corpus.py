"""Public-prompt corpus: chatbot prompts that contain NO personal data (``PUBLIC``) and
prompts that DO disclose personal data about the user or people around them (``PRIVATE``).

This corpus was written blind to the detectors: none of the code under ``plugins/`` or
``ptmo_middleware/`` was read or run while writing it.

Every item carries a ``family``:

* ``"tune"`` items may be used to train, tune or debug a detector;
* ``"held"`` items are only measured. Held templates/phrasings are never used for training
  or tuning, and held and tune never share a sentence skeleton (checked below). Where
  practical the filler entities (countries, companies, names...) differ too.

A ``PublicPrompt`` must pass through a privacy layer completely unchanged. A ``Disclosure``
lists in ``private`` the exact substrings of ``text`` that must not leave the device.

Pure data, stdlib only, deterministic. ``check()`` asserts its invariants (run by the tests).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence, TypeVar

__all__ = ["PublicPrompt", "Disclosure", "PUBLIC", "PRIVATE", "held", "tune", "skeleton"]


@dataclass(frozen=True)
class PublicPrompt:
    text: str
    kind: str
    lang: str
    family: str
    template: str = field(default="", compare=False)  # "" for hand-written prompts


@dataclass(frozen=True)
class Disclosure:
    text: str
    private: tuple[str, ...]
    kind: str
    lang: str
    family: str
    template: str = field(default="", compare=False)


T = TypeVar("T", PublicPrompt, Disclosure)


def held(items: Iterable[T]) -> list[T]:
    """Items of the held (measure-only) family."""
    return [i for i in items if i.family == "held"]


def tune(items: Iterable[T]) -> list[T]:
    """Items of the tune (train/tune) family."""
    return [i for i in items if i.family == "tune"]


def skeleton(text: str) -> str:
    """Sentence skeleton: capitalised words and numbers masked, runs of masks merged."""
    out: list[str] = []
    for tok in re.findall(r"\w+|[^\w\s]", text):
        t = "<X>" if (tok[0].isupper() or tok[0].isdigit()) else tok.lower()
        if t == "<X>" and out and out[-1] == "<X>":
            continue
        out.append(t)
    return " ".join(out)


PUBLIC: list[PublicPrompt] = []
PRIVATE: list[Disclosure] = []


def _pub(family: str, lang: str, kind: str, texts: Sequence[str]) -> None:
    for t in texts:
        PUBLIC.append(PublicPrompt(t, kind, lang, family))


def _pubt(family: str, lang: str, kind: str, template: str, values: Sequence) -> None:
    for v in values:
        text = template.format(*v) if isinstance(v, tuple) else template.format(v)
        PUBLIC.append(PublicPrompt(text, kind, lang, family, template))


# =====================================================================================
# PUBLIC — held
# =====================================================================================
H = "held"

# ---- English, hand-written ----------------------------------------------------------
_pub(H, "en", "geography", [
    "What is the capital of France?",
    "capital of australia?",
    "Which river flows through Budapest?",
    "How tall is Mount Kilimanjaro?",
    "List the five largest countries by area.",
    "Rank these by population: 1. China 2. India 3. United States 4. Indonesia",
    "Is Istanbul in Europe or Asia?",
    "Name the Great Lakes of North America.",
    "What time zone is Chicago in?",
    "Why is the Dead Sea so salty?",
    "which us state has the longest coastline",
    "How many provinces does Canada have, and what are they called?",
])
_pub(H, "en", "history", [
    "When did the Berlin Wall fall?",
    "Explain the causes of World War I in three bullet points.",
    "Who built Machu Picchu and why?",
    "What happened at the Congress of Vienna in 1815?",
    "Summarise the history of the Ottoman Empire in 200 words.",
    "why did the roman republic collapse",
    "What was the Marshall Plan?",
    "Describe the role of the East India Company in 18th-century Bengal.",
    "When was the Magna Carta signed, and what did it change?",
    "What Was The Significance Of The Battle Of Hastings?",
])
_pub(H, "en", "science", [
    "How does photosynthesis work?",
    "What is the difference between mitosis and meiosis?",
    "Why is the sky blue?",
    "Explain quantum entanglement to a 12-year-old.",
    "What is the half-life of carbon-14?",
    "how do vaccines train the immune system",
    "What did the James Webb Space Telescope discover about early galaxies?",
    "Explain how CRISPR-Cas9 edits DNA.",
    "What is dark matter and how do we know it exists?",
    "Describe the Krebs cycle step by step.",
    "What are the main findings of the latest IPCC report?",
])
_pub(H, "en", "famous_people", [
    "Who was John Smith of Jamestown?",
    "Summarise Marie Curie's discoveries.",
    "What did Ada Lovelace contribute to computing?",
    "Why is Nelson Mandela considered a global icon?",
    "Give a short biography of Frida Kahlo.",
    "what instruments did Jimi Hendrix play",
    "How did Serena Williams change women's tennis?",
    "Compare the leadership styles of Abraham Lincoln and Winston Churchill.",
    "What is Taylor Swift's best-selling album?",
    "Which films did Akira Kurosawa direct in the 1950s?",
])
_pub(H, "en", "company", [
    "What was Walmart's revenue in 2023?",
    "Compare AWS Lambda and Google Cloud Functions.",
    "Who founded Patagonia?",
    "How does Costco make most of its profit?",
    "What is the market cap of Nvidia?",
    "Is the Toyota Corolla more reliable than the Honda Civic?",
    "When did Microsoft acquire LinkedIn and for how much?",
    "Which airlines belong to the Star Alliance?",
    "What is Spotify's business model?",
    "Explain the difference between an iPhone 15 and an iPhone 15 Pro.",
    "samsung galaxy s24 vs pixel 8 camera",
])
_pub(H, "en", "travel", [
    "What's the best time to visit Kyoto?",
    "Plan a 3-day itinerary for Lisbon.",
    "Do Canadian citizens need a visa to visit Japan?",
    "What are the opening hours of the Louvre?",
    "How do you get from Heathrow to central London by train?",
    "Top 10 things to do in Marrakech",
    "is the eiffel tower open on mondays",
    "Which national parks in Utah are best for hiking in October?",
    "How expensive is a week in Reykjavik?",
])
_pub(H, "en", "sports", [
    "Who won the FIFA World Cup in 2014?",
    "How many NBA titles have the Boston Celtics won?",
    "Explain the offside rule in football.",
    "When is the next Tour de France?",
    "Who holds the record for most Grand Slam titles in men's tennis?",
    "what is a hat-trick in cricket",
    "How does the NFL draft work?",
    "Which team won the Stanley Cup in 2019?",
])
_pub(H, "en", "maths", [
    "Factorise x^2 - 5x + 6.",
    "What is the derivative of sin(x) * e^x?",
    "Integrate 3x^2 + 2x dx from 0 to 2.",
    "Is 221 a prime number?",
    "What is 15% of 240?",
    "Prove that the square root of 2 is irrational.",
    "Find the eigenvalues of [[2, 1], [1, 2]].",
    "A train travels 180 km in 2.5 hours. What is its average speed?",
    "how many ways can 5 people sit around a round table",
    "Compute 17 * 23 - 45 / 9.",
])
_pub(H, "en", "code", [
    "How do I reverse a list in Python?",
    "What does `git rebase -i HEAD~3` do?",
    "Explain this regex: ^[A-Z]{2}\\d{4}$",
    "SELECT customer_id, SUM(amount) FROM orders GROUP BY customer_id HAVING SUM(amount) > 1000; -- why is this slow on PostgreSQL?",
    "Why does a HashMap<String, Integer> lookup throw a NullPointerException on get()?",
    "Write a Kubernetes Deployment manifest for nginx with 3 replicas.",
    "What is the difference between `let` and `const` in JavaScript?",
    "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\nHow can I make this faster?",
    "Explain the Observer pattern with a WeatherStation class example.",
    "How do I list all files larger than 100 MB with find?",
    "What does the UserRepositoryImpl class usually do in a Spring Boot project?",
    "docker compose up -d fails with 'port is already allocated', how to fix?",
    "Convert this loop to a list comprehension: for i in range(10): if i % 2 == 0: squares.append(i * i)",
    "In Rust, what is the difference between Box<T> and Rc<T>?",
    "tar -xzvf archive.tar.gz -C /opt/app  what do the flags mean",
])
_pub(H, "en", "homework", [
    "Write a five-paragraph essay outline on the causes of the French Revolution.",
    "What are the main themes of To Kill a Mockingbird?",
    "Help me understand the difference between weather and climate for a geography test.",
    "Balance this chemical equation: Fe + O2 -> Fe2O3",
    "What is the main argument of Plato's allegory of the cave?",
    "Give three examples of onomatopoeia.",
    "explain supply and demand with a simple example",
])
_pub(H, "en", "definition", [
    "What does 'ubiquitous' mean?",
    "Define opportunity cost.",
    "What is a blockchain?",
    "Meaning of the idiom 'break the ice'?",
    "What is an API?",
    "what's the difference between affect and effect",
])
_pub(H, "en", "grammar_translation", [
    "Translate 'Where is the train station?' into German.",
    "Is it 'fewer' or 'less' people?",
    "How do you say 'good morning' in Japanese?",
    "Correct the grammar: 'Him and me goes to the store yesterday.'",
    "What is the past participle of 'swim'?",
    "Translate into Spanish: The library opens at nine.",
])
_pub(H, "en", "cooking", [
    "How long should I boil an egg for a runny yolk?",
    "What can I substitute for buttermilk?",
    "Give me a recipe for vegan lasagna.",
    "At what temperature is chicken safe to eat?",
    "how to make sourdough starter from scratch",
    "What wine pairs well with mushroom risotto?",
])
_pub(H, "en", "health", [
    "What are the early symptoms of type 2 diabetes?",
    "How much water should an adult drink per day?",
    "Is ibuprofen safe to take with paracetamol?",
    "What does the WHO recommend for weekly physical activity?",
    "What is a normal resting heart rate?",
    "How does the measles vaccine work?",
])
_pub(H, "en", "legal_tax", [
    "What is the difference between a will and a trust?",
    "How does capital gains tax work in the UK?",
    "Can a landlord keep a security deposit for normal wear and tear?",
    "What is GDPR and who does it apply to?",
    "What is the standard deduction for 2024 in the US?",
    "Explain the difference between a misdemeanor and a felony.",
])
_pub(H, "en", "writing", [
    "Write a haiku about autumn in Vermont.",
    "Draft a press release announcing a city marathon.",
    "Write a short persuasive speech on renewable energy.",
    "Compose a limerick about a cat who loves jazz.",
    "Write a product description for a stainless steel water bottle.",
    "Write a blog intro about the history of the Olympic Games.",
])
_pub(H, "en", "books_films", [
    "Who is Atticus Finch?",
    "Summarise the plot of Pride and Prejudice.",
    "Why does Gandalf fall in Moria?",
    "How many Harry Potter books did J. K. Rowling write?",
    "What is the meaning of the ending of Inception?",
    "Which actor played Hermione Granger?",
    "Is Dune by Frank Herbert worth reading?",
])
_pub(H, "en", "conversion", [
    "Convert 350 degrees Fahrenheit to Celsius.",
    "How many ounces are in a liter?",
    "5 miles in km",
    "What is 72 kg in pounds?",
    "How many teaspoons are in a tablespoon?",
])
_pub(H, "en", "dates", [
    "What day of the week was 4 July 1776?",
    "How many days are there between March 1 and June 15?",
    "When is Easter in 2027?",
    "Is 2100 a leap year?",
    "What year did the first iPhone come out?",
])

# ---- English, templated (held) ------------------------------------------------------
_pubt(H, "en", "geography", "What is the official language of {}?",
      ["Brazil", "Switzerland", "Ethiopia", "Belgium", "Pakistan", "Paraguay", "Singapore", "Luxembourg", "Kenya", "Israel"])
_pubt(H, "en", "geography", "Roughly how many people live in {}?",
      ["Lagos", "Jakarta", "São Paulo", "Toronto", "Osaka", "Cairo", "Manchester", "Melbourne"])
_pubt(H, "en", "famous_people", "Summarise the main achievements of {}.",
      ["Isaac Newton", "Rosalind Franklin", "Nikola Tesla", "Alan Turing", "Srinivasa Ramanujan", "Dorothy Hodgkin",
       "Charles Darwin", "Hedy Lamarr"])
_pubt(H, "en", "company", "How did {} get started, and who were its founders?",
      ["Airbnb", "Nike", "IKEA", "Netflix", "Samsung", "Tesla", "Zara", "Salesforce"])
_pubt(H, "en", "company", "Compare {} and {} for a small team.",
      [("Slack", "Microsoft Teams"), ("Jira", "Trello"), ("Notion", "Confluence"), ("Figma", "Sketch"),
       ("PostgreSQL", "MySQL"), ("Azure DevOps", "GitLab CI")])
_pubt(H, "en", "travel", "What's the best month to visit {}?",
      ["Bali", "Patagonia", "Iceland", "Vietnam", "the Amalfi Coast", "Banff National Park", "Cape Town", "Petra"])
_pubt(H, "en", "sports", "How many league titles have {} won?",
      ["Manchester United", "Bayern Munich", "Juventus", "Ajax", "Celtic", "Benfica"])
_pubt(H, "en", "maths", "Solve for x: {}",
      ["3x + 7 = 22", "2x - 9 = 15", "5(x - 1) = 30", "x/4 + 3 = 10", "7x = 3x + 20", "x^2 = 49"])
_pubt(H, "en", "conversion", "Convert {} to {}.",
      [("100 degrees Fahrenheit", "Celsius"), ("2.5 miles", "kilometres"), ("12 ounces", "grams"),
       ("180 cm", "feet and inches"), ("3 gallons", "litres"), ("60 mph", "km/h")])
_pubt(H, "en", "books_films", "Who wrote {}?",
      ["One Hundred Years of Solitude", "Things Fall Apart", "The Great Gatsby", "Beloved", "Crime and Punishment",
       "The Handmaid's Tale", "Norwegian Wood", "Middlemarch"])
_pubt(H, "en", "definition", "Define the term '{}' in one sentence.",
      ["photosynthesis", "inflation", "polymorphism", "entropy", "federalism", "metaphor", "idempotent", "osmosis"])
_pubt(H, "en", "code", "Write a Python function that {}.",
      ["checks whether a string is a palindrome", "merges two sorted lists", "counts word frequencies in a text",
       "flattens a nested list", "returns the nth prime number", "parses an ISO 8601 date string"])
_pubt(H, "en", "cooking", "Give me a simple recipe for {}.",
      ["shakshuka", "pad thai", "banana bread", "chicken tikka masala", "gazpacho", "pierogi"])
_pubt(H, "en", "health", "What are common symptoms of {}?",
      ["iron deficiency", "Lyme disease", "dehydration", "migraine", "appendicitis", "vitamin D deficiency"])
_pubt(H, "en", "history", "What was the significance of the {}?",
      ["Treaty of Westphalia", "Meiji Restoration", "Cuban Missile Crisis", "Silk Road", "Apollo 11 mission",
       "fall of Constantinople"])
_pubt(H, "en", "science", "How does {} work?",
      ["a lithium-ion battery", "GPS", "an MRI scanner", "a nuclear reactor", "noise-cancelling", "a heat pump"])

# ---- German (held) ------------------------------------------------------------------
_pub(H, "de", "geography", [
    "Was ist die Hauptstadt von Kanada?",
    "Wie lang ist der Rhein?",
    "Welche Bundesländer grenzen an Bayern?",
    "wie hoch ist die zugspitze",
    "Nenne die fünf größten Städte Österreichs.",
])
_pub(H, "de", "history", [
    "Wann wurde die Bundesrepublik Deutschland gegründet?",
    "Erkläre die Ursachen der Weimarer Inflation von 1923.",
    "Was war der Westfälische Frieden?",
    "Wer war Otto von Bismarck?",
])
_pub(H, "de", "science", [
    "Wie funktioniert eine Wärmepumpe?",
    "Was ist der Unterschied zwischen DNA und RNA?",
    "Warum ist Eis leichter als Wasser?",
])
_pub(H, "de", "famous_people", [
    "Fasse die wichtigsten Werke von Johann Wolfgang von Goethe zusammen.",
    "Was hat Albert Einstein 1905 veröffentlicht?",
    "Wer war Sophie Scholl?",
])
_pub(H, "de", "company", [
    "Wie hoch war der Umsatz von Siemens im Jahr 2023?",
    "Vergleiche SAP S/4HANA mit Microsoft Dynamics 365.",
    "Wer hat die Deutsche Bahn gegründet?",
    "Lohnt sich eine BahnCard 50?",
])
_pub(H, "de", "travel", [
    "Was sind die schönsten Sehenswürdigkeiten in Dresden?",
    "Wann ist die beste Reisezeit für Mallorca?",
    "Wie komme ich vom Flughafen München in die Innenstadt?",
])
_pub(H, "de", "sports", [
    "Wie oft ist der FC Bayern München Deutscher Meister geworden?",
    "Wer hat die Fußball-WM 1990 gewonnen?",
])
_pub(H, "de", "maths", [
    "Löse die Gleichung 4x - 8 = 12.",
    "Was ist die Ableitung von ln(x^2)?",
    "Berechne 18 % von 350.",
    "wie berechnet man den umfang eines kreises",
])
_pub(H, "de", "code", [
    "Wie sortiere ich ein Dictionary in Python nach Werten?",
    "Was macht der Befehl `kubectl get pods -n kube-system`?",
    "Erkläre den Unterschied zwischen INNER JOIN und LEFT JOIN.",
])
_pub(H, "de", "grammar_translation", [
    "Übersetze ins Englische: Der Zug hat zehn Minuten Verspätung.",
    "Heißt es 'wegen des Wetters' oder 'wegen dem Wetter'?",
    "Wann schreibt man 'das' und wann 'dass'?",
])
_pub(H, "de", "cooking", [
    "Rezept für einen klassischen Kaiserschmarrn?",
    "Wie lange muss ein Schweinebraten in den Ofen?",
])
_pub(H, "de", "health", [
    "Was sind typische Symptome einer Schilddrüsenunterfunktion?",
    "Wie oft sollte man eine Tetanus-Impfung auffrischen?",
])
_pub(H, "de", "legal_tax", [
    "Was ist der Unterschied zwischen einer GmbH und einer UG?",
    "Wie funktioniert die Pendlerpauschale?",
    "Wie lange ist die gesetzliche Kündigungsfrist für Mietwohnungen?",
])
_pub(H, "de", "books_films", [
    "Worum geht es in Kafkas 'Die Verwandlung'?",
    "Wer spielte in 'Das Boot' den Kapitän?",
])
_pub(H, "de", "conversion", [
    "Wie viele Unzen sind 500 Gramm?",
    "Rechne 75 Meilen in Kilometer um.",
])
_pub(H, "de", "writing", [
    "Schreibe ein kurzes Gedicht über den Herbst im Schwarzwald.",
    "Verfasse eine Pressemitteilung zur Eröffnung eines Stadtmuseums.",
])
_pubt(H, "de", "geography", "Wie viele Einwohner hat {}?",
      ["Hamburg", "Köln", "Leipzig", "Graz", "Zürich", "Stuttgart"])
_pubt(H, "de", "definition", "Was bedeutet der Begriff '{}'?",
      ["Nachhaltigkeit", "Inflation", "Gewaltenteilung", "Photosynthese"])

# ---- French (held) ------------------------------------------------------------------
_pub(H, "fr", "geography", [
    "Combien d'habitants compte Marseille ?",
    "Quelle est la capitale du Sénégal ?",
    "Quel est le plus long fleuve de France ?",
    "combien de départements y a-t-il en france",
    "Où se trouve le mont Blanc ?",
])
_pub(H, "fr", "history", [
    "Quelles sont les causes de la Révolution française ?",
    "Qui était Charlemagne ?",
    "Résume la guerre de Cent Ans en quelques lignes.",
    "Que s'est-il passé en Mai 68 ?",
])
_pub(H, "fr", "science", [
    "Comment fonctionne la photosynthèse ?",
    "Pourquoi la mer est-elle salée ?",
    "Qu'est-ce qu'un trou noir ?",
])
_pub(H, "fr", "famous_people", [
    "Résume les découvertes de Louis Pasteur.",
    "Qui était Simone de Beauvoir ?",
    "Quels sont les romans les plus connus de Victor Hugo ?",
])
_pub(H, "fr", "company", [
    "Quel a été le chiffre d'affaires de LVMH en 2023 ?",
    "Compare la Renault Clio et la Peugeot 208.",
    "Qui a fondé Michelin ?",
    "Quelle est la différence entre Orange et Free pour la fibre ?",
])
_pub(H, "fr", "travel", [
    "Quelle est la meilleure période pour visiter la Provence ?",
    "Que voir à Lyon en deux jours ?",
    "Comment aller de l'aéroport Charles-de-Gaulle à Paris ?",
])
_pub(H, "fr", "sports", [
    "Combien de fois le PSG a-t-il gagné la Ligue 1 ?",
    "Qui a remporté Roland-Garros en 2022 ?",
])
_pub(H, "fr", "maths", [
    "Résous l'équation 2x + 5 = 17.",
    "Factorise x^2 - 9.",
    "Calcule la dérivée de f(x) = x^3 - 4x.",
    "quelle est l'aire d'un cercle de rayon 4 cm",
])
_pub(H, "fr", "code", [
    "Comment inverser une chaîne de caractères en JavaScript ?",
    "Explique la différence entre une liste et un tuple en Python.",
    "Que fait la commande `git stash pop` ?",
])
_pub(H, "fr", "grammar_translation", [
    "Traduis en anglais : Le musée est fermé le mardi.",
    "Quand utilise-t-on le subjonctif après 'bien que' ?",
    "Accord du participe passé avec avoir : quelles sont les règles ?",
])
_pub(H, "fr", "cooking", [
    "Recette de la blanquette de veau ?",
    "Combien de temps faut-il cuire des pâtes al dente ?",
])
_pub(H, "fr", "health", [
    "Quels sont les symptômes de la grippe ?",
    "Combien d'heures de sommeil faut-il à un adolescent ?",
])
_pub(H, "fr", "legal_tax", [
    "Comment fonctionne le prélèvement à la source ?",
    "Quelle est la différence entre une SARL et une SAS ?",
    "Quel est le délai de préavis pour quitter un logement meublé ?",
])
_pub(H, "fr", "books_films", [
    "Qui est Jean Valjean dans Les Misérables ?",
    "De quoi parle L'Étranger d'Albert Camus ?",
])
_pub(H, "fr", "conversion", [
    "Combien font 10 miles en kilomètres ?",
    "Convertis 400 degrés Fahrenheit en Celsius.",
])
_pub(H, "fr", "writing", [
    "Écris un poème sur la Bretagne en hiver.",
    "Rédige un discours court sur l'importance du recyclage.",
])
_pubt(H, "fr", "definition", "Que signifie le mot « {} » ?",
      ["éphémère", "laïcité", "oxymore", "algorithme", "inflation"])
_pubt(H, "fr", "geography", "Quelle est la population de {} ?",
      ["Bordeaux", "Montréal", "Genève", "Toulouse", "Dakar"])

# ---- Spanish (held) -----------------------------------------------------------------
_pub(H, "es", "geography", [
    "¿Cuál es la capital de Argentina?",
    "¿Cuántos habitantes tiene Madrid?",
    "¿Qué países atraviesa la cordillera de los Andes?",
    "capital de colombia",
    "¿Cuál es el río más largo de España?",
])
_pub(H, "es", "history", [
    "¿Quién fue Simón Bolívar?",
    "Resume la Guerra Civil Española en cinco puntos.",
    "¿Cuándo llegó Cristóbal Colón a América?",
    "¿Qué fue el Imperio azteca?",
])
_pub(H, "es", "science", [
    "¿Cómo funciona la fotosíntesis?",
    "¿Por qué la Luna tiene fases?",
    "¿Qué es el ADN?",
])
_pub(H, "es", "famous_people", [
    "Resume la obra de Gabriel García Márquez.",
    "¿Quién fue Frida Kahlo y por qué es famosa?",
    "¿Qué descubrió Santiago Ramón y Cajal?",
])
_pub(H, "es", "company", [
    "¿Cuál fue la facturación de Inditex en 2023?",
    "Compara Telefónica y Vodafone en España.",
    "¿Quién fundó Mercado Libre?",
    "¿Qué es mejor, SEAT Ibiza o Volkswagen Polo?",
])
_pub(H, "es", "travel", [
    "¿Cuál es la mejor época para visitar Cancún?",
    "Itinerario de tres días en Barcelona.",
    "¿Qué ver en Cusco además de Machu Picchu?",
])
_pub(H, "es", "sports", [
    "¿Cuántas Champions League ha ganado el Real Madrid?",
    "¿Quién ganó el Mundial de 2010?",
])
_pub(H, "es", "maths", [
    "Resuelve la ecuación 3x - 4 = 11.",
    "¿Cuál es la derivada de x^2 * cos(x)?",
    "Calcula el 20 % de 85.",
    "como se calcula el area de un triangulo",
])
_pub(H, "es", "code", [
    "¿Cómo leo un archivo CSV con pandas?",
    "Explica qué hace esta consulta: SELECT COUNT(*) FROM productos WHERE precio > 50;",
    "¿Cuál es la diferencia entre == y === en JavaScript?",
])
_pub(H, "es", "grammar_translation", [
    "Traduce al inglés: El tren sale a las ocho.",
    "¿Cuándo se usa 'por' y cuándo 'para'?",
    "¿Se escribe 'haber' o 'a ver' en esta frase: vamos ___ qué pasa?",
])
_pub(H, "es", "cooking", [
    "Receta de tortilla de patatas.",
    "¿Cuánto tiempo se cocina el arroz para paella?",
])
_pub(H, "es", "health", [
    "¿Cuáles son los síntomas del dengue?",
    "¿Cuántas horas debe dormir un adulto?",
])
_pub(H, "es", "legal_tax", [
    "¿Cómo funciona la declaración de la renta en España?",
    "¿Qué diferencia hay entre una sociedad limitada y una anónima?",
    "¿Qué es el IVA y cuánto es en México?",
])
_pub(H, "es", "books_films", [
    "¿De qué trata Don Quijote de la Mancha?",
    "¿Quién dirigió El laberinto del fauno?",
])
_pub(H, "es", "conversion", [
    "Convierte 50 libras a kilogramos.",
    "¿Cuántos centímetros son 6 pulgadas?",
])
_pub(H, "es", "writing", [
    "Escribe un poema corto sobre el mar Mediterráneo.",
    "Redacta un artículo breve sobre la historia del tango.",
])
_pubt(H, "es", "definition", "¿Qué significa la palabra '{}'?",
      ["efímero", "resiliencia", "democracia", "metáfora", "algoritmo"])
_pubt(H, "es", "geography", "¿En qué país está {}?",
      ["Valparaíso", "Guadalajara", "Cartagena de Indias", "Sevilla", "Montevideo"])

# ---- Italian / Portuguese / Dutch (held) --------------------------------------------
_pub(H, "it", "misc", [
    "Qual è la capitale del Portogallo?",
    "Chi era Leonardo da Vinci?",
    "Quanti abitanti ha Milano?",
    "Ricetta della carbonara originale?",
    "Spiega il teorema di Pitagora.",
    "Traduci in inglese: Il negozio chiude alle sette.",
    "Quando è stata fondata la Fiat?",
])
_pub(H, "pt", "misc", [
    "Qual é a capital da Austrália?",
    "Quem foi Pedro Álvares Cabral?",
    "Quantos habitantes tem o Rio de Janeiro?",
    "Como funciona o Imposto de Renda no Brasil?",
    "Resolva a equação 5x + 3 = 28.",
    "Qual a melhor época para visitar Lisboa?",
    "Receita de pão de queijo.",
])
_pub(H, "nl", "misc", [
    "Wat is de hoofdstad van Nederland?",
    "Wie was Vincent van Gogh?",
    "Hoeveel inwoners heeft Rotterdam?",
    "Hoe werkt de Nederlandse hypotheekrenteaftrek?",
    "Vertaal naar het Engels: De winkel is op zondag gesloten.",
    "Wanneer is Philips opgericht?",
])

# ---- Contrast (held): public mentions of entities that appear privately elsewhere ----
_pub(H, "en", "contrast", [
    "What was Target's revenue in 2022?",
    "Where is Irvine, California?",
    "Who was Jane Austen's most famous heroine?",
    "How hard is it to get into the University of Michigan?",
    "What does Siemens Healthineers manufacture?",
    "Tell me about the history of Accenture.",
    "Who was A. Paul Weber, the German graphic artist?",
    "Which public transport serves Oakland?",
    "What is Mayo Clinic known for?",
    "Is Deloitte one of the Big Four?",
])
_pub(H, "de", "contrast", [
    "Wie viele Mitarbeiter hat die Allianz weltweit?",
    "Wo liegt Münster?",
])
_pub(H, "fr", "contrast", [
    "Quand a été fondée la Société Générale ?",
    "Quelle est la population de Nantes ?",
])
_pub(H, "es", "contrast", [
    "¿Cuándo se fundó el Banco Santander?",
    "¿Qué se puede visitar en Zaragoza?",
])
_pub(H, "en", "misc", [
    "Explain the difference between TCP and UDP.",
    "What is the boiling point of water at the top of Mount Everest?",
    "Write unit tests with pytest for a function add(a, b).",
    "Why did Kodak go bankrupt?",
    "What are the rules of chess castling?",
    "Recommend five classic science-fiction novels.",
    "What is the GDP of Japan?",
    "How does compound interest work? Show the formula.",
    "Outline a 30-minute beginner yoga routine.",
    "What's the tallest building in the world?",
    "Explain how NASA's Artemis program differs from Apollo.",
    "regex to match a hex colour like #1a2B3c",
    "What is the population density of Bangladesh?",
    "How do tides work?",
    "Why do cats purr?",
    "What does HTTP status code 418 mean?",
    "List the planets in order from the Sun.",
    "Explain the plot of Hamlet in five sentences.",
    "Which vitamins are fat-soluble?",
    "Summarise the Universal Declaration of Human Rights.",
    "What is a Roth IRA?",
    "How do I center a div with CSS flexbox?",
])

# =====================================================================================
# PUBLIC — tune (other phrasings, other fillers)
# =====================================================================================
U = "tune"

_pub(U, "en", "geography", [
    "Tell me the capital city of Mongolia.",
    "capital of peru",
    "Which countries border Switzerland?",
    "Name every country that the Danube passes through.",
    "How deep is Lake Baikal?",
    "Sort by area, largest first: 1. Brazil 2. Australia 3. Canada 4. Russia",
    "Which is bigger, Texas or France?",
    "WHAT IS THE LONGEST RIVER IN AFRICA",
    "Can you describe the climate of the Atacama Desert?",
    "Is Greenland part of Europe or North America?",
    "In which ocean are the Maldives?",
])
_pub(U, "en", "history", [
    "Give me a timeline of the American Civil War.",
    "who were the Vikings",
    "Explain why the Soviet Union dissolved in 1991.",
    "Can you tell me about the Ming dynasty?",
    "What were the consequences of the Treaty of Versailles?",
    "Briefly, how did the printing press change Europe?",
    "Describe the Partition of India in 1947.",
    "What Caused The Great Depression?",
    "Why is 1066 an important year in English history?",
])
_pub(U, "en", "science", [
    "Can you explain general relativity in simple terms?",
    "why do leaves change colour in autumn",
    "What's the speed of sound in water?",
    "Tell me how black holes form.",
    "Difference between a virus and a bacterium?",
    "What did CERN's Large Hadron Collider find in 2012?",
    "Explain plate tectonics to a high-school class.",
    "How are elements heavier than iron created?",
    "Give an overview of the periodic table's groups.",
    "Explain what mRNA vaccines do inside cells.",
])
_pub(U, "en", "famous_people", [
    "Tell me about Captain James Cook's voyages.",
    "Give me a quick summary of what Albert Einstein discovered.",
    "who was florence nightingale",
    "List the major works of Ludwig van Beethoven.",
    "Why was Galileo Galilei put on trial?",
    "Describe Mahatma Gandhi's Salt March.",
    "How many Olympic gold medals did Michael Phelps win?",
    "Can you explain Martin Luther King Jr.'s role in the civil rights movement?",
    "What are Beyoncé's most famous songs?",
    "Which paintings made Claude Monet famous?",
])
_pub(U, "en", "company", [
    "How much did Amazon earn in the last fiscal year?",
    "Azure Functions vs AWS Lambda: pros and cons?",
    "Tell me the history of Lego.",
    "What does Palantir actually sell?",
    "apple vs google market cap",
    "Which is cheaper to run, a Tesla Model 3 or a BMW i4?",
    "Why did Meta rename itself from Facebook?",
    "Who are the biggest shareholders of Berkshire Hathaway?",
    "Explain how Uber's surge pricing works.",
    "Can you compare Starbucks and Dunkin' on menu prices?",
    "Is a MacBook Air M3 good for programming?",
])
_pub(U, "en", "travel", [
    "When is cherry blossom season in Tokyo?",
    "Suggest a one-week route through the Scottish Highlands.",
    "Do EU citizens need a passport to visit Norway?",
    "what are the must-see museums in new york",
    "How do you get from Rome to Florence cheaply?",
    "Is the Grand Canyon worth visiting in winter?",
    "Recommend a two-day plan for Prague.",
    "How crowded is Santorini in August?",
    "Which Greek islands are reachable by ferry from Athens?",
])
_pub(U, "en", "sports", [
    "Who has scored the most goals in Premier League history?",
    "Tell me how many Super Bowls the New England Patriots won.",
    "rules of rugby union scrum",
    "When did Usain Bolt set the 100 m world record?",
    "Which country has won the most Cricket World Cups?",
    "Explain tie-breaks in tennis.",
    "Who won the Ballon d'Or in 2023?",
    "How long is a marathon in miles?",
])
_pub(U, "en", "maths", [
    "factor x^2 + 7x + 12",
    "Differentiate ln(3x) with respect to x.",
    "Evaluate the integral of cos(x) from 0 to pi/2.",
    "Is 97 prime?",
    "Twenty percent of 65 is what?",
    "Show that there are infinitely many prime numbers.",
    "Compute the determinant of [[1, 2], [3, 4]].",
    "If a car uses 6 litres per 100 km, how much fuel does it need for 450 km?",
    "In how many ways can you choose 3 cards from a 52-card deck?",
    "Simplify (2x^3)(4x^2) / 8x.",
])
_pub(U, "en", "code", [
    "python: sort a list of dicts by the key 'age'",
    "Can you explain what `git cherry-pick` does?",
    "What does this regex match? \\b\\d{3}-\\d{3}-\\d{4}\\b",
    "Optimise this query: SELECT * FROM invoices i JOIN line_items li ON li.invoice_id = i.id WHERE i.created_at > NOW() - INTERVAL '30 days';",
    "Refactor OrderProcessingService so it doesn't violate the single-responsibility principle.",
    "Give me a Helm chart values.yaml for Redis with persistence enabled.",
    "TypeScript: difference between interface and type alias?",
    "class Stack:\n    def __init__(self):\n        self.items = []\n\nAdd push, pop and peek methods.",
    "What is dependency injection? Show a Java example with a PaymentGateway interface.",
    "bash one-liner to count lines in all .py files recursively",
    "Why does `npm install` print 'ERESOLVE unable to resolve dependency tree'?",
    "Explain async/await in C# with a HttpClient example.",
    "Go: how do goroutines and channels work together?",
    "What does `chmod 755 deploy.sh` do?",
    "How do I create an index concurrently in PostgreSQL?",
])
_pub(U, "en", "homework", [
    "Can you outline an essay about the Industrial Revolution's effect on cities?",
    "What are the key symbols in The Great Gatsby?",
    "Balance: C3H8 + O2 -> CO2 + H2O",
    "Explain Newton's third law with an everyday example.",
    "summarise the water cycle for a 5th grade worksheet",
    "Give four examples of alliteration.",
    "Help with a book report on Lord of the Flies: what are the main themes?",
])
_pub(U, "en", "definition", [
    "Meaning of 'serendipity'?",
    "Opportunity cost vs sunk cost, explain.",
    "Tell me what machine learning is.",
    "What does the phrase 'bite the bullet' mean?",
    "explain what a REST endpoint is",
    "Define 'gerrymandering'.",
])
_pub(U, "en", "grammar_translation", [
    "How would you say 'thank you very much' in Korean?",
    "Translate to French: The museum opens at ten o'clock.",
    "Which is correct: 'who' or 'whom' in 'To ___ it may concern'?",
    "Fix the grammar: 'Their going to the park tomorrow, isnt they?'",
    "Past tense of 'lie' (to recline)?",
    "German translation of 'Happy birthday'?",
])
_pub(U, "en", "cooking", [
    "What's a good substitute for eggs in baking?",
    "How long do you roast a whole chicken at 200°C?",
    "easy weeknight vegetarian curry recipe",
    "Can you freeze cooked rice?",
    "Which cheese is best for a French onion soup?",
    "How do you temper chocolate?",
])
_pub(U, "en", "health", [
    "What causes high blood pressure?",
    "Is it safe to drink coffee during pregnancy?",
    "How many steps a day are recommended for adults?",
    "What is the difference between a cold and the flu?",
    "What does the CDC say about flu shots for people over 65?",
    "How long do antibiotics take to work on strep throat?",
])
_pub(U, "en", "legal_tax", [
    "Can an employer in California require overtime?",
    "Explain inheritance tax in Ireland.",
    "What counts as fair use under US copyright law?",
    "Who needs to file a tax return in Canada?",
    "What rights do tenants have under the German Mietrecht?",
    "Difference between civil and criminal law?",
])
_pub(U, "en", "writing", [
    "Compose a sonnet about the Atlantic Ocean.",
    "Can you write a newsletter blurb for a public library's summer reading programme?",
    "Write a two-minute toast for a generic retirement party.",
    "Give me a catchy slogan for a bicycle shop.",
    "Write an op-ed on why cities need more bike lanes.",
    "Draft a tweet announcing a solar eclipse viewing event.",
])
_pub(U, "en", "books_films", [
    "Tell me about Elizabeth Bennet's character arc.",
    "What happens at the end of The Lord of the Rings?",
    "who plays Tony Stark in the MCU",
    "Why is Moby-Dick considered a classic?",
    "Describe Sherlock Holmes's relationship with Dr. Watson.",
    "Is Oppenheimer based on a book?",
    "Which studio made Spirited Away?",
])
_pub(U, "en", "conversion", [
    "180 celsius in fahrenheit",
    "How many cups are in a quart?",
    "What's 10 km in miles?",
    "Convert 5 feet 9 inches to centimetres please.",
    "How many grams is a pound?",
])
_pub(U, "en", "dates", [
    "Which weekday was 1 January 2000?",
    "How many weeks until the end of the year from October 1?",
    "When does daylight saving time start in Europe in 2026?",
    "Why wasn't 1900 a leap year?",
    "In what year did the Titanic sink?",
])
_pub(U, "en", "misc", [
    "Explain how DNS resolution works.",
    "How hot is the surface of Venus?",
    "Generate pytest fixtures for a temporary SQLite database.",
    "Why did Blockbuster fail?",
    "How does en passant work in chess?",
    "Suggest a reading list of Latin American magical realism.",
    "What is India's GDP per capita?",
    "Explain amortisation of a 30-year mortgage.",
    "Suggest a 20-minute bodyweight workout.",
    "Which is the deepest point in the ocean?",
    "What is ESA's Rosetta mission known for?",
    "regex for a UK postcode format",
    "Why do onions make people cry?",
    "What does HTTP 503 mean?",
    "Explain the plot of Macbeth briefly.",
    "What's the difference between an ETF and a mutual fund?",
    "How do you make a grid layout with CSS Grid?",
    "Tell me about the Wright brothers' first flight.",
    "why is the ocean blue",
])

# ---- English, templated (tune) ------------------------------------------------------
_pubt(U, "en", "geography", "capital of {}?",
      ["nigeria", "vietnam", "chile", "norway", "morocco", "new zealand", "thailand", "hungary", "ecuador", "iran"])
_pubt(U, "en", "geography", "Population of {}, approximately?",
      ["Mumbai", "Mexico City", "Istanbul", "Sydney", "Berlin", "Nairobi", "Seoul", "Buenos Aires"])
_pubt(U, "en", "famous_people", "Tell me about the life and work of {}.",
      ["Johannes Kepler", "Grace Hopper", "Michael Faraday", "Katherine Johnson", "Gregor Mendel", "Emmy Noether",
       "Louis Pasteur", "Rachel Carson"])
_pubt(U, "en", "company", "Give me a short history of {}.",
      ["Sony", "Adidas", "Volvo", "Oracle", "Nintendo", "Unilever", "Spotify", "Shopify"])
_pubt(U, "en", "company", "{} or {}: which should a startup pick?",
      [("Stripe", "PayPal"), ("Asana", "Monday.com"), ("MongoDB", "Cassandra"), ("Vercel", "Netlify"),
       ("Terraform", "Pulumi"), ("Datadog", "Grafana")])
_pubt(U, "en", "travel", "When is the ideal season for a trip to {}?",
      ["Morocco", "the Maldives", "Lapland", "Tasmania", "Cuba", "the Dolomites", "Zanzibar", "Yellowstone"])
_pubt(U, "en", "sports", "Which major trophies have {} won?",
      ["Liverpool FC", "AC Milan", "Borussia Dortmund", "FC Porto", "Galatasaray", "River Plate"])
_pubt(U, "en", "maths", "find x if {}",
      ["4x + 1 = 29", "6x - 2 = 40", "3(x + 2) = 27", "x/5 - 1 = 4", "9x = 2x + 35", "x^2 = 81"])
_pubt(U, "en", "conversion", "how much is {} in {}",
      [("80 fahrenheit", "celsius"), ("15 kilometres", "miles"), ("500 grams", "ounces"),
       ("6 feet", "metres"), ("20 litres", "gallons"), ("100 km/h", "mph")])
_pubt(U, "en", "books_films", "Who is the author of {}?",
      ["War and Peace", "Jane Eyre", "The Catcher in the Rye", "Half of a Yellow Sun", "The Name of the Rose",
       "Frankenstein", "The Remains of the Day", "Don Quixote"])
_pubt(U, "en", "definition", "What does '{}' mean?",
      ["cognitive dissonance", "quantitative easing", "encapsulation", "biodiversity", "irony", "latency",
       "gentrification", "diffusion"])
_pubt(U, "en", "code", "In JavaScript, how do I {}?",
      ["debounce a function", "deep-clone an object", "remove duplicates from an array", "format a number as currency",
       "fetch JSON with a timeout", "sort strings case-insensitively"])
_pubt(U, "en", "cooking", "How do you make {} at home?",
      ["ramen broth", "croissants", "falafel", "butter chicken", "ceviche", "tiramisu"])
_pubt(U, "en", "health", "What causes {}, and how is it treated?",
      ["anemia", "tinnitus", "gout", "eczema", "shingles", "insomnia"])
_pubt(U, "en", "history", "Why was the {} important?",
      ["Peace of Augsburg", "Russian Revolution", "Berlin Airlift", "Spanish Armada", "Moon landing",
       "Reformation"])
_pubt(U, "en", "science", "Explain the science behind {}.",
      ["solar panels", "Wi-Fi", "X-ray imaging", "fusion power", "refrigerators", "rainbows"])

# ---- German (tune) ------------------------------------------------------------------
_pub(U, "de", "geography", [
    "Hauptstadt von Norwegen?",
    "Durch welche Länder fließt die Donau?",
    "Welcher ist der höchste Berg Deutschlands und wie hoch ist er?",
    "wo liegt der bodensee",
    "Zähle alle Nachbarländer der Schweiz auf.",
])
_pub(U, "de", "history", [
    "Erzähl mir etwas über die Hanse.",
    "Warum kam es 1989 zum Mauerfall?",
    "Kurz erklärt: der Dreißigjährige Krieg.",
    "Welche Rolle spielte Konrad Adenauer nach 1949?",
])
_pub(U, "de", "science", [
    "Erkläre mir die Relativitätstheorie ganz einfach.",
    "Wieso leuchten Glühwürmchen?",
    "Was passiert bei einer Sonnenfinsternis?",
])
_pub(U, "de", "famous_people", [
    "Erzähl mir etwas über das Leben von Friedrich Schiller.",
    "Welche Entdeckungen machte Robert Koch?",
    "Erzähl mir etwas über Hildegard von Bingen.",
])
_pub(U, "de", "company", [
    "Wie viel Gewinn hat Volkswagen letztes Jahr gemacht?",
    "BMW oder Mercedes-Benz: wer verkauft mehr Elektroautos?",
    "Erzähl die Geschichte von Aldi.",
    "Was macht die Firma Bosch eigentlich alles?",
])
_pub(U, "de", "travel", [
    "Reisetipps für ein Wochenende in Hamburg?",
    "Lohnt sich ein Besuch auf Rügen im November?",
    "Zeig mir eine Route durch die Sächsische Schweiz.",
])
_pub(U, "de", "sports", [
    "Wie viele Titel hat Borussia Dortmund gewonnen?",
    "Erkläre die Abseitsregel beim Handball.",
])
_pub(U, "de", "maths", [
    "bestimme x: 7x + 3 = 31",
    "Leite f(x) = e^(2x) ab.",
    "Wie viel sind 12,5 % von 640?",
    "Zeige, dass die Summe der Innenwinkel eines Dreiecks 180 Grad beträgt.",
])
_pub(U, "de", "code", [
    "Python: Wie entferne ich Duplikate aus einer Liste und behalte die Reihenfolge?",
    "Erklär mir `docker build -t webapp:latest .`",
    "Was ist der Unterschied zwischen GROUP BY und PARTITION BY in SQL?",
])
_pub(U, "de", "grammar_translation", [
    "Wie sagt man 'Feierabend' auf Englisch?",
    "Ist 'Standart' oder 'Standard' richtig?",
    "Übersetz bitte ins Französische: Das Museum ist montags geschlossen.",
])
_pub(U, "de", "cooking", [
    "Wie macht man echte Maultaschen?",
    "Wie lange kocht man Spargel?",
])
_pub(U, "de", "health", [
    "Woran erkennt man einen Sonnenstich?",
    "Wie viel Vitamin D braucht ein Erwachsener im Winter?",
])
_pub(U, "de", "legal_tax", [
    "Wer muss in Deutschland eine Steuererklärung abgeben?",
    "Erbschaftsteuer vs. Schenkungsteuer: was ist der Unterschied?",
    "Darf ein Vermieter die Haustierhaltung grundsätzlich verbieten?",
])
_pub(U, "de", "books_films", [
    "Erzähl mir den Inhalt von 'Der Steppenwolf'.",
    "Wer hat 'Lola rennt' gedreht?",
])
_pub(U, "de", "conversion", [
    "20 Grad Celsius in Fahrenheit?",
    "Wie viel sind 3 Fuß in Zentimetern?",
])
_pub(U, "de", "writing", [
    "Dichte ein Frühlingsgedicht über die Ostsee.",
    "Formuliere einen Werbetext für ein Fahrradgeschäft.",
])
_pubt(U, "de", "geography", "Einwohnerzahl von {}?",
      ["Berlin", "Frankfurt am Main", "Bremen", "Linz", "Basel", "Düsseldorf"])
_pubt(U, "de", "definition", "Erklär mir das Wort '{}'.",
      ["Föderalismus", "Rezession", "Klimawandel", "Demokratie"])

# ---- French (tune) ------------------------------------------------------------------
_pub(U, "fr", "geography", [
    "capitale du maroc ?",
    "Quels pays traverse le Rhône ?",
    "Quelle est la plus haute montagne d'Afrique ?",
    "Cite les régions de France métropolitaine.",
    "Où est situé le lac Léman ?",
])
_pub(U, "fr", "history", [
    "Raconte-moi la prise de la Bastille.",
    "Pourquoi Napoléon a-t-il perdu à Waterloo ?",
    "Explique la décolonisation de l'Afrique de l'Ouest.",
    "C'était quoi, la Belle Époque ?",
])
_pub(U, "fr", "science", [
    "Explique-moi la relativité restreinte simplement.",
    "D'où vient l'arc-en-ciel ?",
    "Comment se forment les volcans ?",
])
_pub(U, "fr", "famous_people", [
    "Parle-moi de la vie d'Édith Piaf.",
    "Qu'a inventé Blaise Pascal ?",
    "Pourquoi Molière est-il si célèbre ?",
])
_pub(U, "fr", "company", [
    "Combien TotalEnergies a-t-il gagné l'an dernier ?",
    "Airbus ou Boeing : qui livre le plus d'avions ?",
    "Raconte l'histoire de Danone.",
    "Que vend la société Dassault Systèmes ?",
])
_pub(U, "fr", "travel", [
    "Que faire à Bordeaux un week-end ?",
    "Vaut-il mieux visiter la Corse en juin ou en septembre ?",
    "Propose un itinéraire d'une semaine en Normandie.",
])
_pub(U, "fr", "sports", [
    "Combien de Tours de France Bernard Hinault a-t-il gagnés ?",
    "Explique les règles du rugby à XV.",
])
_pub(U, "fr", "maths", [
    "trouve x : 6x - 4 = 20",
    "Dérive la fonction g(x) = sin(2x).",
    "Combien font 35 % de 120 ?",
    "Démontre que la somme de deux nombres pairs est paire.",
])
_pub(U, "fr", "code", [
    "En Python, comment lire un fichier JSON ?",
    "À quoi sert `git reset --hard` ?",
    "Différence entre une clé primaire et une clé étrangère en SQL ?",
])
_pub(U, "fr", "grammar_translation", [
    "Comment dit-on « bon appétit » en allemand ?",
    "Faut-il écrire « quelque fois » ou « quelquefois » ?",
    "Traduis en espagnol : La bibliothèque ferme à dix-huit heures.",
])
_pub(U, "fr", "cooking", [
    "Comment réussir une pâte brisée ?",
    "Temps de cuisson d'un gigot d'agneau ?",
])
_pub(U, "fr", "health", [
    "Comment reconnaître une déshydratation ?",
    "Quelle quantité de fibres faut-il manger par jour ?",
])
_pub(U, "fr", "legal_tax", [
    "Qui doit payer la taxe foncière en France ?",
    "Explique le statut d'auto-entrepreneur.",
    "Un employeur peut-il refuser des congés payés ?",
])
_pub(U, "fr", "books_films", [
    "Raconte l'intrigue du Petit Prince.",
    "Qui a réalisé Amélie Poulain ?",
])
_pub(U, "fr", "conversion", [
    "5 pieds en mètres ?",
    "Combien de grammes dans une livre ?",
])
_pub(U, "fr", "writing", [
    "Compose un sonnet sur la Seine.",
    "Écris un slogan pour une boulangerie.",
])
_pubt(U, "fr", "definition", "Explique-moi le terme « {} ».",
      ["démocratie", "inflation", "photosynthèse", "métaphore", "cybersécurité"])
_pubt(U, "fr", "geography", "Nombre d'habitants de {} ?",
      ["Lille", "Québec", "Strasbourg", "Bruxelles", "Abidjan"])

# ---- Spanish (tune) -----------------------------------------------------------------
_pub(U, "es", "geography", [
    "Dime la capital de Perú.",
    "¿Qué países limitan con Bolivia?",
    "¿Cuál es la montaña más alta de América?",
    "donde esta el lago titicaca",
    "Enumera las comunidades autónomas de España.",
])
_pub(U, "es", "history", [
    "Cuéntame sobre la Revolución mexicana.",
    "¿Por qué cayó el Imperio inca?",
    "Explica la Reconquista en pocas líneas.",
    "¿Qué fue la Transición española?",
])
_pub(U, "es", "science", [
    "Explícame la teoría de la evolución de forma sencilla.",
    "¿Por qué hay estaciones del año?",
    "¿Cómo se forma un huracán?",
])
_pub(U, "es", "famous_people", [
    "Háblame de la vida de Pablo Neruda.",
    "¿Qué pintó Diego Velázquez?",
    "¿Por qué es famoso Rafael Nadal?",
])
_pub(U, "es", "company", [
    "¿Cuánto ganó Repsol el año pasado?",
    "Iberia o Vueling: ¿cuál tiene mejores tarifas?",
    "Cuéntame la historia de Bimbo.",
    "¿A qué se dedica la empresa Cemex?",
])
_pub(U, "es", "travel", [
    "¿Qué hacer un fin de semana en Valencia?",
    "¿Conviene visitar la Patagonia en invierno?",
    "Propón una ruta de una semana por Andalucía.",
])
_pub(U, "es", "sports", [
    "¿Cuántos títulos de Liga tiene el FC Barcelona?",
    "Explica las reglas del pádel.",
])
_pub(U, "es", "maths", [
    "encuentra x: 5x + 2 = 37",
    "Deriva h(x) = e^x * sin(x).",
    "¿Cuánto es el 15 % de 300?",
    "Demuestra que la suma de dos impares es par.",
])
_pub(U, "es", "code", [
    "En Python, ¿cómo elimino espacios al principio y al final de un string?",
    "¿Para qué sirve `git merge --squash`?",
    "¿Qué diferencia hay entre DELETE y TRUNCATE en SQL?",
])
_pub(U, "es", "grammar_translation", [
    "¿Cómo se dice 'buenas noches' en italiano?",
    "¿Lleva tilde 'solo' en la frase 'solo quiero agua'?",
    "Traduce al francés: El museo abre a las diez.",
])
_pub(U, "es", "cooking", [
    "¿Cómo se hace un gazpacho andaluz?",
    "Tiempo de horno para un pollo asado entero.",
])
_pub(U, "es", "health", [
    "¿Cómo se contagia la varicela?",
    "¿Qué alimentos tienen más hierro?",
])
_pub(U, "es", "legal_tax", [
    "¿Quién está obligado a declarar el IRPF?",
    "Explica qué es un autónomo en España.",
    "¿Puede un casero subir el alquiler cuando quiera?",
])
_pub(U, "es", "books_films", [
    "Cuéntame el argumento de Cien años de soledad.",
    "¿Quién dirigió Roma (2018)?",
])
_pub(U, "es", "conversion", [
    "30 grados Celsius en Fahrenheit",
    "¿Cuántos metros son 100 yardas?",
])
_pub(U, "es", "writing", [
    "Compón un soneto sobre los Andes.",
    "Escribe un eslogan para una librería.",
])
_pubt(U, "es", "definition", "Explícame el término «{}».",
      ["sostenibilidad", "inflación", "fotosíntesis", "ironía", "globalización"])
_pubt(U, "es", "geography", "Población aproximada de {}",
      ["Bogotá", "Lima", "Bilbao", "Santiago de Chile", "Quito"])

# ---- Italian / Portuguese / Dutch (tune) --------------------------------------------
_pub(U, "it", "misc", [
    "capitale della Grecia?",
    "Raccontami la vita di Galileo Galilei.",
    "Popolazione di Napoli?",
    "Come si fa il tiramisù?",
    "Dimostra che radice di 3 è irrazionale.",
    "Come si dice 'arrivederci' in tedesco?",
    "Storia della Ferrari in breve.",
])
_pub(U, "pt", "misc", [
    "capital do Canadá?",
    "Fale sobre a vida de Machado de Assis.",
    "População de Salvador da Bahia?",
    "Explique o que é o MEI no Brasil.",
    "encontre x: 4x - 6 = 18",
    "Quando visitar o Algarve?",
    "Como fazer brigadeiro?",
])
_pub(U, "nl", "misc", [
    "hoofdstad van België?",
    "Vertel over het leven van Rembrandt.",
    "Bevolking van Utrecht?",
    "Leg de Nederlandse inkomstenbelasting uit in boxen.",
    "Hoe zeg je 'dank je wel' in het Frans?",
    "Geschiedenis van Heineken in het kort.",
])

# ---- Contrast (tune) -----------------------------------------------------------------
_pub(U, "en", "contrast", [
    "How many stores does Walmart operate worldwide?",
    "What is there to do in Pasadena for a weekend?",
    "Tell me about Stanford University's history.",
    "Tell me who started Kaiser Permanente and when.",
    "How big is Amazon Web Services compared with Azure?",
    "What is Boeing's main factory in Everett used for?",
    "is sacramento the capital of california",
    "Tell me about John Smith, the English explorer.",
    "What is Goldman Sachs's core business?",
    "Which courses is Trinity College Dublin known for?",
])
_pub(U, "de", "contrast", [
    "Wie hoch ist der Umsatz der Deutschen Telekom?",
    "Was kann man in Freiburg im Breisgau besichtigen?",
])
_pub(U, "fr", "contrast", [
    "Quel est le chiffre d'affaires de Carrefour ?",
    "Que visiter à Rennes ?",
])
_pub(U, "es", "contrast", [
    "¿Cuántos empleados tiene Mercadona?",
    "¿Qué ver en Salamanca?",
])
_pub(U, "en", "misc", [
    "What is the melting point of tungsten?",
    "Explain big-O notation with examples.",
    "Who painted the ceiling of the Sistine Chapel?",
    "Why did the Library of Alexandria decline?",
    "How many bones are in the adult human body?",
    "Compare Kubernetes and Docker Swarm for orchestration.",
    "Give three arguments for and against nuclear power.",
    "What is the Fibonacci sequence used for in nature?",
])


# =====================================================================================
# PRIVATE
# =====================================================================================
_SLOT = re.compile(r"\{(\w+)\}")


def _priv(family: str, lang: str, kind: str, text: str, private: Sequence[str]) -> None:
    PRIVATE.append(Disclosure(text, tuple(private), kind, lang, family))


def _privt(family: str, lang: str, kind: str, template: str, fills: Sequence[dict]) -> None:
    """Every ``{slot}`` of ``template`` is private; slots in order of appearance."""
    slots = _SLOT.findall(template)
    for f in fills:
        text = template.format(**f)
        PRIVATE.append(Disclosure(text, tuple(dict.fromkeys(f[s] for s in slots)), kind, lang, family, template))


def _pick(pool: Sequence[str], i: int, j: int, step: int = 5) -> str:
    """Deterministic rotation through ``pool`` so templates get different fillers."""
    return pool[(i * step + j) % len(pool)]


# ---- filler pools: held and tune are disjoint ----------------------------------------
_FULL = {
    H: ["Hannah Berger", "Tomasz Wójcik", "Aisha Okafor", "Rahul Venkataraman", "Mei-Ling Chou", "Kwame Mensah",
        "Siobhan O'Leary", "Lars van der Berg", "María de la Fuente", "Yusuf Demir", "Ingrid Solberg",
        "Thanh Nguyen", "Fatima Zahra Benali", "Jean-Baptiste Moreau", "Keiko Tanabe", "Dmitri Volkov",
        "Priya Raghunathan", "Oluwaseun Adeyemi", "Ana-Maria Popescu", "Giulia Ferraro", "Sven Lindqvist",
        "Carmen Ruiz-Ortega", "Bilal Haddad", "Niamh Gallagher", "Marek Dvořák", "Ayesha Siddiqui"],
    U: ["Leonie Hartmann", "Mateus Carvalho", "Chiara Bellini", "Obinna Eze", "Sunita Kapoor", "Jakub Nowicki",
        "Elif Kaya", "Pieter de Vries", "Camille Lefèvre", "Diego Alvarado", "Astrid Nyberg", "Minh Anh Tran",
        "Kofi Boateng", "Rosa van Dijk", "Amir Farahani", "Zofia Kowalczyk", "Ravi Subramanian", "Lucía del Río",
        "Hamza El Idrissi", "Freya McAllister", "Joon-ho Park", "Nadia Haddou", "Björn Eriksson", "Adaeze Nwosu",
        "Tereza Horáková", "Santiago Mejía-Ríos"],
}
_FIRST = {
    H: ["Anna", "Leo", "Marta", "Felix", "Noor", "Emeka", "Sakura", "Mateo", "Ilse", "Dev", "Chloé", "Bruno",
        "Zainab", "Oskar", "Paloma", "Kenji"],
    U: ["Mila", "Jonas", "Ines", "Theo", "Yara", "Chidi", "Hana", "Pablo", "Greta", "Arjun", "Margaux", "Luca",
        "Amina", "Emil", "Sofía", "Daiki"],
}
_CO_CITY = {
    ("en", H): [("Walgreens", "Irvine"), ("Target", "Minneapolis"), ("Accenture", "Dublin"), ("Deloitte", "Leeds"),
                ("Infosys", "Pune"), ("Shopify", "Ottawa"), ("Kroger", "Cincinnati"), ("Rolls-Royce", "Derby")],
    ("en", U): [("Costco", "Issaquah"), ("Boeing", "Everett"), ("Goldman Sachs", "Salt Lake City"),
                ("Tesco", "Welwyn Garden City"), ("Wipro", "Bengaluru"), ("Atlassian", "Sydney"),
                ("Home Depot", "Atlanta"), ("BAE Systems", "Preston")],
    ("de", H): [("Allianz", "Münster"), ("Bosch", "Reutlingen"), ("Lidl", "Neckarsulm"), ("Zalando", "Berlin"),
                ("BASF", "Ludwigshafen"), ("Henkel", "Düsseldorf"), ("Deutsche Post", "Bonn"), ("Continental", "Hannover")],
    ("de", U): [("Deutsche Telekom", "Freiburg im Breisgau"), ("Edeka", "Kassel"), ("Bayer", "Leverkusen"),
                ("Otto Group", "Hamburg"), ("Porsche", "Zuffenhausen"), ("Rewe", "Köln"), ("Infineon", "Regensburg"),
                ("Merck", "Darmstadt")],
    ("fr", H): [("Société Générale", "Nantes"), ("Decathlon", "Lille"), ("Thales", "Toulouse"), ("Capgemini", "Grenoble"),
                ("SNCF", "Lyon"), ("Veolia", "Aubervilliers"), ("L'Oréal", "Clichy"), ("Safran", "Bordeaux")],
    ("fr", U): [("Carrefour", "Rennes"), ("BNP Paribas", "Marseille"), ("Schneider Electric", "Angers"),
                ("Auchan", "Roubaix"), ("EDF", "Dijon"), ("Ubisoft", "Montpellier"), ("Crédit Agricole", "Tours"),
                ("Sanofi", "Strasbourg")],
    ("es", H): [("Banco Santander", "Zaragoza"), ("Inditex", "Arteixo"), ("Telefónica", "Madrid"), ("BBVA", "Bilbao"),
                ("Iberdrola", "Valencia"), ("Bimbo", "Ciudad de México"), ("Falabella", "Santiago"), ("Ecopetrol", "Bogotá")],
    ("es", U): [("Mercadona", "Salamanca"), ("Repsol", "Cartagena"), ("CaixaBank", "Girona"), ("Mapfre", "Málaga"),
                ("El Corte Inglés", "Murcia"), ("Grupo Modelo", "Puebla"), ("Avianca", "Medellín"), ("Arcor", "Córdoba")],
}
_ADDR = {
    H: ["42 Maple Street", "1180 Birchwood Drive", "7 Kensington Gardens Square", "15 Harbour View Road",
        "300 Pine Ridge Lane", "9 Alder Close", "2210 Sunset Boulevard, Apt 4B", "56 Quarry Hill"],
    U: ["18 Willow Crescent", "77 Orchard Lane", "1403 Cedar Avenue", "3 Mill Race Court", "25 Foxglove Way",
        "610 Lakeshore Drive, Unit 12", "11 Chapel Street", "94 Heather Gardens"],
}
_CITY = {
    H: ["Irvine", "Leeds", "Oakland", "Brisbane", "Halifax", "Aberdeen", "Tacoma", "Galway"],
    U: ["Pasadena", "Bristol", "Sacramento", "Adelaide", "Winnipeg", "Cork", "Boise", "Dundee"],
}
_SCHOOL = {
    H: ["Lincoln Elementary", "Hillcrest Middle School", "St. Aidan's Primary", "Roosevelt High School",
        "Oakwood Academy", "Maple Grove Elementary", "Westfield Secondary School", "Jefferson Middle School"],
    U: ["Riverside High", "St. Bride's Catholic School", "Greenfield Primary", "Kennedy Middle School",
        "Brookside Academy", "Northgate Elementary", "Holy Cross College", "Summit Ridge High School"],
}
_UNI = {
    H: ["University of Leeds", "McGill University", "Universidade de Coimbra", "University of Otago"],
    U: ["University of Bristol", "TU Delft", "University of Waterloo", "Monash University", "Politecnico di Milano",
        "University of Cape Town", "KTH Royal Institute of Technology", "National University of Singapore"],
}
_HOSPITAL = {
    H: ["St. Mary's Hospital", "Mayo Clinic", "Royal Infirmary of Edinburgh", "Mercy General"],
    U: ["Kaiser Permanente", "Addenbrooke's Hospital", "Cedars-Sinai", "Beaumont Hospital"],
}
_EMAIL = {
    H: ["h.berger@gmx.de", "kwame.mensah84@gmail.com", "lars.vdberg@outlook.com", "priya.r@protonmail.com",
        "noor.haddad@yahoo.com", "t.wojcik@wp.pl", "mlchou@icloud.com", "ingrid.solberg@online.no"],
    U: ["leonie.hartmann@web.de", "obinna.eze@gmail.com", "pieter.devries@ziggo.nl", "sunita.k@hotmail.com",
        "amir.farahani@proton.me", "j.nowicki@onet.pl", "elif.kaya@yandex.com", "astrid.nyberg@telia.se"],
}
_HANDLE = {
    H: ["@kwame.codes", "@liss_vdb", "@hb_berger", "@tomek_w", "@priya.r.dev", "@siobhan_ol", "@yusuf.d", "@mlchou88"],
    U: ["@leo_hartmann", "@obi.eze", "@pietje_dv", "@zofia.k", "@amirf_", "@ravi.subra", "@freya_mca", "@joonhopark"],
}
_GERMAN_SCHOOL = {
    H: ["Goethe-Gymnasium Bochum", "Grundschule am Lindenhof", "Realschule Nord", "Humboldt-Gymnasium"],
    U: ["Schiller-Gymnasium", "Gesamtschule Am Rosenhügel", "Grundschule Sonnenberg", "Lessing-Realschule"],
}


def _ctx(fam: str, lang: str) -> dict:
    return {
        "full": _FULL[fam], "first": _FIRST[fam], "co": [c for c, _ in _CO_CITY[(lang, fam)]],
        "city": [c for _, c in _CO_CITY[(lang, fam)]], "addr": _ADDR[fam], "home": _CITY[fam],
        "school": _SCHOOL[fam], "uni": _UNI[fam], "hospital": _HOSPITAL[fam], "email": _EMAIL[fam], "handle": _HANDLE[fam],
        "gschool": _GERMAN_SCHOOL[fam],
    }


def _templ(fam: str, specs: Sequence[tuple[str, str, str]], per: int = 8) -> None:
    """``specs``: (lang, kind, template). Slot names pick the pool; a trailing ``_lc``/``_uc``
    lower/upper-cases it; a digit suffix (``full2``) draws a second value from the same pool."""
    for i, (lang, kind, template) in enumerate(specs):
        ctx = _ctx(fam, lang)
        slots = list(dict.fromkeys(_SLOT.findall(template)))
        fills = []
        for j in range(per):
            f = {}
            for s_i, s in enumerate(slots):
                base = re.sub(r"(_lc|_uc|\d)$", "", s)
                pool = ctx[base]
                if base in ("co", "city"):  # keep employer and its city together
                    v = pool[(i + j) % len(pool)]
                else:
                    v = _pick(pool, i, j * 3 + s_i * 7)
                if s.endswith("_lc"):
                    v = v.lower()
                elif s.endswith("_uc"):
                    v = v.upper()
                f[s] = v
            fills.append(f)
        _privt(fam, lang, kind, template, fills)


# ---- held disclosure templates -------------------------------------------------------
_templ(H, [
    ("en", "self_employer", "I work at {co} in {city} and my manager keeps scheduling meetings at 7am. How do I push back politely?"),
    ("en", "friend", "my friend {full_lc} is turning 30 next week, any gift ideas under $50?"),
    ("en", "email_to_write", "Write an email to Dr. {full} asking to move my appointment from Tuesday to Thursday."),
    ("en", "chat_log", "Summarise this chat:\n{first}: can you pick up {first2} at 5?\n{first3}: sure, after football practice\n{first}: thanks, dinner at 7"),
    ("en", "code_comment", "Review this code:\n# Written by {full}, ask them before changing the retry logic\ndef fetch(url, retries=3):\n    for _ in range(retries):\n        ..."),
    ("en", "cover_letter", "Help me write a cover letter. I'm {full}, I currently work as a nurse at {hospital} and I'm applying to a children's hospital."),
    ("en", "medical_family", "My partner {first} was diagnosed with type 2 diabetes last month. What should they eat for breakfast?"),
    ("en", "address", "I live at {addr} in {home}. What's the quickest way to get to the airport at 6am?"),
    ("en", "school", "My kid {first} goes to {school} and is being bullied. How should I raise it with the teachers?"),
    ("en", "legal_self", "My landlord, {full}, refuses to return the deposit after I moved out of {addr}. What can I do?"),
    ("en", "email_address", "Draft a reply to {email} thanking {first} for sending the meeting notes so quickly."),
    ("en", "handle", "My coworker {handle} keeps posting screenshots of my mistakes in the team channel. How do I handle this?"),
    ("en", "all_caps", "PLEASE HELP: MY COUSIN {full_uc} HAS NOT ANSWERED THEIR PHONE IN 3 DAYS, WHO DO I CONTACT?"),
    ("en", "patient", "Patient {full}, 54, presents with chest pain radiating to the left arm. Draft a referral letter to cardiology."),
    ("en", "cv", "Proofread my CV summary: '{full} - data analyst at {co} since 2019, based in {city}.'"),
    ("de", "self_employer", "Ich arbeite bei {co} in {city} und möchte eine Gehaltserhöhung. Wie formuliere ich das?"),
    ("de", "email_to_write", "Schreib eine E-Mail an Dr. {full}, dass ich meinen Termin am Montag absagen muss."),
    ("de", "school", "Mein Kind {first} geht auf das {gschool} und hat Probleme in Mathe. Hast du Tipps?"),
    ("fr", "self_employer", "Je travaille chez {co} à {city} et la personne qui me manage, {full}, me demande de faire des heures sup non payées. Est-ce légal ?"),
    ("fr", "message", "Écris un message à {first} pour lui dire que je ne pourrai pas venir samedi."),
    ("fr", "medical_self", "Mon médecin, le Dr {full}, m'a prescrit du Levothyrox. Quels sont les effets secondaires ?"),
    ("es", "self_employer", "Trabajo en {co} en {city} y quiero pedir una excedencia. ¿Cómo redacto la carta?"),
    ("es", "neighbour", "{full}, que vive en el piso de al lado, me pidió que cuidara a su perro dos semanas. ¿Qué necesito saber?"),
    ("es", "email_to_write", "Escribe un correo a {full} para confirmar la reunión del jueves con mi equipo."),
])

# ---- held hand-written disclosures (incl. contrast partners of held PUBLIC "contrast") --
_priv(H, "en", "contrast", "I'm a cashier at Target in Oakland and my shift lead Derek Olsen keeps cutting my hours. Is that legal?",
      ["Target", "Oakland", "Derek Olsen"])
_priv(H, "en", "contrast", "My classmate Jane Austen (yes, really) copied my lab report. Should I tell Professor Okonkwo?",
      ["Jane Austen", "Okonkwo"])
_priv(H, "en", "contrast", "My daughter Freya just got into the University of Michigan! Write her a congratulations card.",
      ["Freya", "University of Michigan"])
_priv(H, "en", "contrast", "I'm a field engineer at Siemens Healthineers and my colleague Paul Weber keeps taking credit for my work.",
      ["Siemens Healthineers", "Paul Weber"])
_priv(H, "en", "contrast", "I got a job offer from Accenture in Dublin, but I'm still at Deloitte in Leeds. Help me compare the packages.",
      ["Accenture", "Dublin", "Deloitte", "Leeds"])
_priv(H, "en", "contrast", "My mother Rosalind Achterberg is being treated at Mayo Clinic for lymphoma. What questions should we ask?",
      ["Rosalind Achterberg", "Mayo Clinic"])
_priv(H, "en", "contrast", "We moved to Irvine last month and my son Caleb needs a pediatrician. How do I find one?",
      ["Irvine", "Caleb"])
_priv(H, "de", "contrast", "Ich bin Sachbearbeiterin bei der Allianz in Münster; meine Teamleiterin Sabine Kröger mobbt mich. Was tun?",
      ["Allianz", "Münster", "Sabine Kröger"])
_priv(H, "fr", "contrast", "Je suis conseiller à la Société Générale de Nantes et ma collègue Aurélie Gautier m'a signalé à la RH.",
      ["Société Générale", "Nantes", "Aurélie Gautier"])
_priv(H, "es", "contrast", "Trabajo en el Banco Santander de Zaragoza y mi jefe, Ignacio Lozano, no me deja coger vacaciones.",
      ["Banco Santander", "Zaragoza", "Ignacio Lozano"])
_priv(H, "en", "chat_log", "anna: did u tell mr. pritchard about the leak?\nme: not yet, he's in Swansea till friday\nanna: ok i'll text him",
      ["anna", "pritchard", "Swansea"])
_priv(H, "en", "email_to_write", "Write a thank-you note to Mrs. Eleanor Whitcombe-Hayes, my grandmother's neighbour, for driving her to the clinic.",
      ["Eleanor Whitcombe-Hayes"])
_priv(H, "en", "code_comment", "// FIXME ask sanjay.patel@northwind-logistics.com why this returns null on prod\nconst user = repo.findById(id);",
      ["sanjay.patel@northwind-logistics.com"])
_priv(H, "en", "medical_self", "I'm Gustavo Pereira, 41, I was diagnosed with sleep apnea at Hillview Clinic. Is a CPAP the only option?",
      ["Gustavo Pereira", "Hillview Clinic"])
_priv(H, "de", "chat_log", "Fasse zusammen:\nJana: Holst du Ben um 16 Uhr von der Kita ab?\nMarkus: Geht klar, danach Schwimmen.",
      ["Jana", "Ben", "Markus"])
_priv(H, "de", "cover_letter", "Schreib mir ein Anschreiben: Ich heiße Friederike Albrecht, bin Erzieherin in Gelsenkirchen und bewerbe mich als Kita-Leitung.",
      ["Friederike Albrecht", "Gelsenkirchen"])
_priv(H, "fr", "chat_log", "Résume : « Karim : tu peux récupérer Inès à 17h ? — Sophie : ok, après le judo »",
      ["Karim", "Inès", "Sophie"])
_priv(H, "fr", "legal_self", "J'habite 12 rue des Tanneurs à Colmar et mon propriétaire, M. Roland Keller, refuse de réparer le chauffage.",
      ["12 rue des Tanneurs", "Colmar", "Roland Keller"])
_priv(H, "es", "chat_log", "Resume esto:\nVale: ¿puedes recoger a Tomi a las 5?\nJavi: sí, después del fútbol",
      ["Vale", "Tomi", "Javi"])
_priv(H, "es", "medical_family", "Mi abuela Remedios Castillo vive en Alicante y tiene Alzheimer. ¿Qué ayudas puede pedir?",
      ["Remedios Castillo", "Alicante"])
_priv(H, "it", "self_employer", "Lavoro da Esselunga a Bergamo e il mio capo Davide Colombo mi fa fare turni doppi. È legale?",
      ["Esselunga", "Bergamo", "Davide Colombo"])
_priv(H, "pt", "friend", "Minha amiga Juliana Albuquerque vai casar em Recife, me ajuda a escrever um discurso?",
      ["Juliana Albuquerque", "Recife"])
_priv(H, "nl", "email_to_write", "Schrijf een mail aan mijn huisarts dokter Willemijn Bakker dat ik de afspraak moet verzetten.",
      ["Willemijn Bakker"])


# ---- tune disclosure templates (other wording, other fillers) ------------------------
_templ(U, [
    ("en", "self_employer", "Quick question: my employer is {co} (the {city} office) and they want me to sign a non-compete. Is that enforceable?"),
    ("en", "friend", "what should i get my buddy {full_lc} for their graduation"),
    ("en", "email_to_write", "Can you draft a message to my dentist, Dr. {full}, saying I need to reschedule the cleaning?"),
    ("en", "chat_log", "[09:14] {first}: running late, tell {first2} to start the standup without me\n[09:15] {first3}: ok\nWhat's the tone of this conversation?"),
    ("en", "code_comment", "// Author: {full} - do not touch without asking\nfunction calcTax(amount) {{ return amount * 0.2; }}\nIs this function correct?"),
    ("en", "cover_letter", "Write a motivation letter for me: my name is {full}, I study computer science at {uni} and I want a summer internship."),
    ("en", "medical_family", "Our neighbour {first}, who is 80, has been diagnosed with early Alzheimer's. How can we support them at home?"),
    ("en", "address", "Our new flat is at {addr}, {home}. Which broadband providers cover that street?"),
    ("en", "school", "my child {first} started at {school} this fall and hates the bus ride, any advice?"),
    ("en", "legal_self", "The contractor {full} took a deposit for our kitchen at {addr} and disappeared. Can I sue?"),
    ("en", "email_address", "Reply to this email from {email}: 'Hi, can we move the call to Friday?' Sign it from {first}."),
    ("en", "handle", "Someone called {handle} on our Discord server keeps harassing my sister {first}. How do I report them?"),
    ("en", "all_caps", "URGENT: {full_uc} FROM ACCOUNTING SENT ME A STRANGE INVOICE, IS IT A SCAM?"),
    ("en", "patient", "Discharge summary: {full} (born 1968) admitted for pneumonia, treated with amoxicillin. Rewrite it in plain language for the family."),
    ("en", "cv", "Rewrite this LinkedIn headline: '{full} | Product Manager at {co} | {city}'"),
    ("de", "self_employer", "Mein Arbeitgeber ist {co} in {city}. Darf der mir den genehmigten Urlaub wieder streichen?"),
    ("de", "email_to_write", "Formuliere eine Nachricht an meine Hausarztpraxis, Dr. {full}: Ich brauche ein neues Rezept."),
    ("de", "school", "Unser Kind {first} besucht das {gschool} und will die Schule wechseln. Wie läuft das ab?"),
    ("fr", "self_employer", "Mon employeur, {co} à {city}, refuse mon télétravail. Quels sont mes droits ? Responsable : {full}."),
    ("fr", "message", "Rédige un SMS pour {first} : je serai en retard ce soir, commencez sans moi."),
    ("fr", "medical_self", "La gynéco que je vois, {full}, m'a parlé d'endométriose. Tu peux m'expliquer ce que c'est ?"),
    ("es", "self_employer", "Mi empresa es {co}, oficina de {city}, y no me pagan las horas extra. ¿Qué hago?"),
    ("es", "neighbour", "La persona con la que comparto piso, {full}, no paga su parte del alquiler desde marzo. ¿Cómo se lo digo?"),
    ("es", "email_to_write", "Redacta un mensaje de WhatsApp para {full} felicitándole por su cumpleaños de mi parte."),
])

# ---- tune hand-written disclosures (incl. contrast partners of tune PUBLIC "contrast") --
_priv(U, "en", "contrast", "i'm a stocker at walmart in pasadena and my supervisor karen whitfield yelled at me today. what are my options?",
      ["walmart", "pasadena", "karen whitfield"])
_priv(U, "en", "contrast", "My nephew Eli Brandt was admitted to Stanford University. Write a short toast for his farewell dinner.",
      ["Eli Brandt", "Stanford University"])
_priv(U, "en", "contrast", "My wife Marisol gets her chemo at Kaiser Permanente on Fridays. How can I help with side effects?",
      ["Marisol", "Kaiser Permanente"])
_priv(U, "en", "contrast", "I'm a solutions architect at Amazon Web Services and my skip-level Trevor Lindahl wants me to relocate.",
      ["Amazon Web Services", "Trevor Lindahl"])
_priv(U, "en", "contrast", "My neighbour John Smith keeps parking in front of our garage on Sycamore Road. How do I ask him to stop?",
      ["John Smith", "Sycamore Road"])
_priv(U, "en", "contrast", "I was laid off from Goldman Sachs last week. Help me explain the gap to recruiters. - Priyanka Desai",
      ["Goldman Sachs", "Priyanka Desai"])
_priv(U, "en", "contrast", "We live in Sacramento and my kid Harper wants to study at Trinity College Dublin. How do we budget for it?",
      ["Sacramento", "Harper", "Trinity College Dublin"])
_priv(U, "de", "contrast", "Ich bin Techniker bei der Deutschen Telekom in Freiburg im Breisgau, mein Chef Uwe Brandstätter verweigert mir die Elternzeit.",
      ["Deutschen Telekom", "Freiburg im Breisgau", "Uwe Brandstätter"])
_priv(U, "fr", "contrast", "Je suis caissière chez Carrefour à Rennes et mon manager Julien Marchal m'a changé d'horaires sans prévenir.",
      ["Carrefour", "Rennes", "Julien Marchal"])
_priv(U, "es", "contrast", "Soy reponedora en Mercadona de Salamanca y mi encargado, Álvaro Benítez, me grita delante de los clientes.",
      ["Mercadona", "Salamanca", "Álvaro Benítez"])
_priv(U, "en", "chat_log", "gus: is grandma dot still at the care home on elm street?\nsis: yes, visit her saturday\nWhat should we bring?",
      ["gus", "dot", "elm street"])
_priv(U, "en", "email_to_write", "Write a condolence note to Mr. Thaddeus Okoro-Williams, my late father's business partner.",
      ["Thaddeus Okoro-Williams"])
_priv(U, "en", "code_comment", "# contact: magda.kowal@brightline-analytics.io before changing the ETL schedule\nschedule.every(10).minutes.do(run_etl)",
      ["magda.kowal@brightline-analytics.io"])
_priv(U, "en", "medical_self", "Hi, this is Reginald Abernathy, 63. Dr. Yusupova at Lakeside Cardiology put me on warfarin. Can I still eat spinach?",
      ["Reginald Abernathy", "Yusupova", "Lakeside Cardiology"])
_priv(U, "de", "chat_log", "Was will sie mir sagen?\n[18:02] Lotte: Kannst du Paul nach dem Training abholen?\n[18:05] Henrik: erst um 19 Uhr",
      ["Lotte", "Paul", "Henrik"])
_priv(U, "de", "cover_letter", "Hilf mir beim Lebenslauf: Mein Name ist Wiebke Janssen, ich bin Pflegefachfrau am Klinikum Oldenburg.",
      ["Wiebke Janssen", "Klinikum Oldenburg"])
_priv(U, "fr", "chat_log", "Tu comprends ce message ? « Élodie : Nathan a oublié son cartable chez Mamie Odette »",
      ["Élodie", "Nathan", "Odette"])
_priv(U, "fr", "legal_self", "Mon voisin du 4 allée des Peupliers à Angoulême, Gérard Fontaine, taille ma haie sans permission. Que dit la loi ?",
      ["4 allée des Peupliers", "Angoulême", "Gérard Fontaine"])
_priv(U, "es", "chat_log", "¿Qué quiso decir?\nMaite: dile a Quique que no venga hoy\nRubén: vale",
      ["Maite", "Quique", "Rubén"])
_priv(U, "es", "medical_family", "Mi padre Fermín Olmedo, que vive en Logroño, tiene EPOC. ¿Puede viajar en avión?",
      ["Fermín Olmedo", "Logroño"])
_priv(U, "it", "self_employer", "Sono infermiera all'Ospedale San Raffaele e la caposala Federica Greco mi nega le ferie. Cosa posso fare?",
      ["Ospedale San Raffaele", "Federica Greco"])
_priv(U, "pt", "friend", "Meu colega Thiago Rezende, de Curitiba, me pediu dinheiro emprestado. Como recusar com educação?",
      ["Thiago Rezende", "Curitiba"])
_priv(U, "nl", "email_to_write", "Schrijf een bericht aan de juf van mijn dochter, juf Marieke Hoekstra, dat Saar ziek is.",
      ["Marieke Hoekstra", "Saar"])


# =====================================================================================
# Self-check
# =====================================================================================
_OWN = {
    "en": r"\b(my|mine|i'm|i live|i work|i have)\b",
    "de": r"\b(mein|meine|meinen|meinem|meiner|meines|ich wohne|ich arbeite)\b",
    "fr": r"\b(mon|ma|mes|je travaille|j'habite)\b",
    "es": r"\b(mi|mis|vivo en|trabajo en)\b",
    "it": r"\b(mio|mia|miei|mie)\b",
    "pt": r"\b(meu|minha|meus|minhas)\b",
    "nl": r"\b(mijn)\b",
}


def check() -> None:
    from collections import Counter

    for p in PUBLIC:
        assert p.family in ("held", "tune"), p
        assert not re.search(_OWN[p.lang], p.text, re.I), f"first-person possessive in PUBLIC: {p.text!r}"
    for d in PRIVATE:
        assert d.family in ("held", "tune"), d
        assert d.private, d
        for s in d.private:
            assert s and s in d.text, f"{s!r} not in {d.text!r}"

    for name, items in (("PUBLIC", PUBLIC), ("PRIVATE", PRIVATE)):
        texts = [i.text for i in items]
        dup = [t for t, n in Counter(texts).items() if n > 1]
        assert not dup, f"duplicate {name} texts: {dup[:5]}"

    everything = [*PUBLIC, *PRIVATE]
    h, t = held(everything), tune(everything)
    assert not {i.text for i in h} & {i.text for i in t}, "held and tune share a text"
    shared_t = {i.template for i in h if i.template} & {i.template for i in t if i.template}
    assert not shared_t, f"held and tune share templates: {shared_t}"
    # skeletons with under two lower-case words (ALL CAPS, Title Case) carry no template information
    def _informative(sk: str) -> bool:
        return len(re.findall(r"(?<![<\w])[a-zà-ÿß]+\b", sk)) >= 2

    shared_s = {s for s in (skeleton(i.text) for i in h) if _informative(s)} & {skeleton(i.text) for i in t}
    assert not shared_s, f"held and tune share sentence skeletons: {sorted(shared_s)[:10]}"
    # private fillers differ between families (the contrast items name their partner entities once per family)
    priv_h = {s.lower() for d in held(PRIVATE) for s in d.private}
    priv_t = {s.lower() for d in tune(PRIVATE) for s in d.private}
    assert not priv_h & priv_t, f"held and tune share private fillers: {sorted(priv_h & priv_t)}"

    pub_h, pub_t, pr_h, pr_t = held(PUBLIC), tune(PUBLIC), held(PRIVATE), tune(PRIVATE)
    assert len(pub_h) >= 450 and len(pub_t) >= 450, (len(pub_h), len(pub_t))
    assert len(pr_h) >= 200 and len(pr_t) >= 200, (len(pr_h), len(pr_t))
    for fam, items in (("held", pub_h), ("tune", pub_t)):
        langs = Counter(p.lang for p in items)
        assert langs["en"] >= 0.6 * len(items), (fam, langs)
        for lang in ("de", "fr", "es"):
            assert langs[lang] >= 0.08 * len(items), (fam, lang, langs)
        assert all(langs[x] for x in ("it", "pt", "nl")), (fam, langs)

    for name, items in (("PUBLIC", PUBLIC), ("PRIVATE", PRIVATE)):
        for fam in ("held", "tune"):
            sub = [i for i in items if i.family == fam]
            print(f"{name} {fam}: {len(sub)}")
            print("  lang:", dict(sorted(Counter(i.lang for i in sub).items())))
            print("  kind:", dict(sorted(Counter(i.kind for i in sub).items())))
    print("ok")


if __name__ == "__main__":
    check()
