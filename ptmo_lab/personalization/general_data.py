"""Instruction data for the General adapter the embedded model ships with.

The packaged Gemma 3 270M is a pre-trained model: asked a question it often rambles,
answers another question, or loops. The General adapter (``ptmo lora train --level
general``) teaches it to answer the question, briefly, in the question/answer transcript
the embedded backend writes. Its data, built by :func:`build_history`:

* :data:`SEED_PAIRS`: short factual answers and how-tos written for this purpose (none of
  them is a question of ``benchmarks/general_adapter.py``);
* PUPA_New's training split (rows whose index is not divisible by 5): the
  ``redacted_query`` (private units already replaced by ``[REDACTED]``) and the target
  response with every labelled private unit, and whatever the query's redaction
  replaced, masked the same way; English rows with a short query only, no row carrying
  Presidio placeholders, a seeded sample of :data:`MAX_PUPA_ROWS`;
* M4A1's ``Query`` and ``Message Editing`` turns judged at least as good as the reference
  (score >= 1), without those about images or what a camera sees, one answer per question.

Responses are cut at a sentence end within :data:`MAX_RESPONSE_CHARS` (about 120 tokens).
:func:`package_adapter` then copies the trained adapter into the package, float16::

    python -m ptmo_lab.personalization.general_data build OUT.jsonl [--data-dir DIR]
    ptmo lora train OUT.jsonl --name general --level general --max-length 192 --epochs 2
    python -m ptmo_lab.personalization.general_data package STORE/general
"""
from __future__ import annotations

import argparse
import csv
import difflib
import json
import random
import re
from pathlib import Path

#: About 120 Gemma tokens of English text.
MAX_RESPONSE_CHARS = 480
#: Longest PUPA ``redacted_query`` kept (longer ones are pasted documents).
MAX_QUERY_CHARS = 400
#: PUPA rows kept (a seeded sample), so that short answers are not outweighed.
MAX_PUPA_ROWS = 150

SEED_PAIRS: list[tuple[str, str]] = [
    ("What is the capital of Germany?", "Berlin."),
    ("What is the capital of Spain?", "Madrid."),
    ("What is the capital of Egypt?", "Cairo."),
    ("What is the capital of Kenya?", "Nairobi."),
    ("What is the capital of Norway?", "Oslo."),
    ("What is the capital of Argentina?", "Buenos Aires."),
    ("What is the capital of South Korea?", "Seoul."),
    ("What is the capital of Portugal?", "Lisbon."),
    ("What is the capital city of Peru?", "Lima."),
    ("Which city is the capital of Poland?", "Warsaw."),
    ("What is the chemical symbol for silver?", "Ag."),
    ("What is the chemical symbol for iron?", "Fe."),
    ("What is the chemical symbol for sodium?", "Na."),
    ("Which element has the chemical symbol H?", "Hydrogen."),
    ("Which element has the chemical symbol C?", "Carbon."),
    ("What is the chemical formula of table salt?", "NaCl."),
    ("How many legs does an insect have?", "6."),
    ("How many legs does a dog have?", "4."),
    ("How many arms does an octopus have?", "8."),
    ("How many days are in a week?", "7."),
    ("How many months are in a year?", "12."),
    ("How many seconds are in a minute?", "60."),
    ("How many days are in a normal year?", "365."),
    ("How many sides does a triangle have?", "3."),
    ("How many sides does an octagon have?", "8."),
    ("How many sides does a pentagon have?", "5."),
    ("How many planets are in our solar system?", "8."),
    ("How many keys does a standard piano have?", "88."),
    ("How many players are on a basketball team on the court?", "5."),
    ("What is 7 times 8?", "56."),
    ("What is 9 times 6?", "54."),
    ("What is 100 divided by 4?", "25."),
    ("What is 23 plus 19?", "42."),
    ("What is 50 minus 17?", "33."),
    ("What is the square root of 64?", "8."),
    ("What is the square root of 144?", "12."),
    ("What is 10 squared?", "100."),
    ("Is 17 a prime number?", "Yes. 17 is divisible only by 1 and itself."),
    ("Which planet is closest to the Sun?", "Mercury."),
    ("Which planet has the most famous rings?", "Saturn."),
    ("What is the hottest planet in our solar system?", "Venus."),
    ("What is the closest star to Earth?", "The Sun."),
    ("What is Earth's natural satellite called?", "The Moon."),
    ("Who wrote the play Hamlet?", "William Shakespeare."),
    ("Who wrote the novel 1984?", "George Orwell."),
    ("Who wrote Pride and Prejudice?", "Jane Austen."),
    ("Who painted The Starry Night?", "Vincent van Gogh."),
    ("Who composed the Fifth Symphony that begins with four famous notes?", "Ludwig van Beethoven."),
    ("Who developed the theory of relativity?", "Albert Einstein."),
    ("Who proposed the theory of evolution by natural selection?", "Charles Darwin."),
    ("Who invented the telephone?", "Alexander Graham Bell is usually credited with it, in 1876."),
    ("Who was the first President of the United States?", "George Washington."),
    ("What is the largest desert in the world?", "Antarctica, if cold deserts count; the Sahara is the largest hot desert."),
    ("What is the longest river in Africa?", "The Nile."),
    ("What is the largest country in the world by area?", "Russia."),
    ("What is the smallest country in the world?", "Vatican City."),
    ("Which ocean lies between Africa and Australia?", "The Indian Ocean."),
    ("On which continent is Kenya?", "Africa."),
    ("In which country is the Eiffel Tower?", "France. It stands in Paris."),
    ("In which city is the Colosseum?", "Rome."),
    ("Which language is mainly spoken in Argentina?", "Spanish."),
    ("Which language is mainly spoken in Austria?", "German."),
    ("What is the currency of Japan?", "The yen."),
    ("What is the currency of the United States?", "The US dollar."),
    ("What is the currency of most countries in the European Union?", "The euro."),
    ("What is the largest mammal?", "The blue whale."),
    ("What is the fastest land animal?", "The cheetah."),
    ("What do bees make?", "Honey, and also beeswax."),
    ("What is a baby cat called?", "A kitten."),
    ("What is a group of wolves called?", "A pack."),
    ("Which animal has black and white stripes?", "The zebra."),
    ("Which bird is a symbol of peace?", "The dove."),
    ("What is the largest organ of the human body?", "The skin."),
    ("How many bones are in the adult human body?", "206."),
    ("Which organ do humans use to breathe?", "The lungs."),
    ("What do red blood cells carry?", "Oxygen, from the lungs to the rest of the body."),
    ("What gas do humans breathe out?", "Carbon dioxide."),
    ("What is the boiling point of water in degrees Fahrenheit?", "212 degrees Fahrenheit, at sea level."),
    ("At what temperature in degrees Celsius does water freeze?", "0 degrees Celsius."),
    ("What is the speed of light?", "About 300,000 kilometres per second."),
    ("What force keeps us on the ground?", "Gravity."),
    ("What colour do you get by mixing red and white?", "Pink."),
    ("What colour do you get by mixing red and yellow?", "Orange."),
    ("What are the three primary colours of light?", "Red, green and blue."),
    ("In what year did the First World War begin?", "1914."),
    ("In what year did the Berlin Wall fall?", "1989."),
    ("In what year did humans first land on the Moon?", "1969."),
    ("What is the opposite of hot?", "Cold."),
    ("What is the plural of mouse?", "Mice."),
    ("What is the past tense of go?", "Went."),
    ("What does CPU stand for?", "Central processing unit."),
    ("What does HTML stand for?", "HyperText Markup Language."),
    ("What does www stand for in a web address?", "World Wide Web."),
    ("What is the main ingredient of guacamole?", "Avocado."),
    ("What is bread mainly made from?", "Flour, water, yeast and salt."),
    ("Which vitamin does the skin make in sunlight?", "Vitamin D."),
    ("How many teaspoons are in a tablespoon?", "3."),
    ("How many centimetres are in a metre?", "100."),
    ("How many grams are in a kilogram?", "1,000."),
    ("Translate 'thank you' into French.", "Merci."),
    ("Translate 'good morning' into Spanish.", "Buenos días."),
    ("Give me a synonym for happy.", "Cheerful."),
    ("Give me an antonym for generous.", "Stingy."),
    ("How do I make a cup of tea?",
     "Boil water, pour it over a tea bag in a cup, and let it steep for 3 to 5 minutes. "
     "Remove the bag, then add milk or sugar if you like."),
    ("How do I reset a frozen laptop?",
     "Hold the power button for about 10 seconds until it turns off, wait a few seconds, "
     "then press it again to start the laptop."),
    ("How can I remember names better?",
     "Repeat the name when you are introduced, use it once in the conversation, and link it "
     "to something about the person. Write it down afterwards if it matters."),
    ("Give two tips for writing a clear email.",
     "1. Put the main point or request in the first two lines.\n2. Keep it short and use a specific subject line."),
    ("How do I clean a cast iron pan?",
     "Rinse it with hot water and scrub with a brush, avoiding long soaks. Dry it fully on the "
     "stove, then rub in a thin layer of oil."),
    ("Explain what a virus is in one sentence.",
     "A virus is a tiny infectious agent that can only reproduce inside the cells of a living host."),
    ("Explain what inflation means.",
     "Inflation is the general rise of prices over time, so the same amount of money buys less."),
    ("What is the difference between weather and climate?",
     "Weather is the state of the air on a given day; climate is the average weather of a place over many years."),
    ("Write a one-sentence thank-you note to a colleague who helped me.",
     "Thank you so much for your help this week; I could not have finished the project on time without you."),
    ("Write a short message telling my team the meeting moved to 3 pm.",
     "Hi all, a quick update: today's meeting has moved to 3 pm. Same room and link. Thanks!"),
    ("Suggest a title for a blog post about hiking.", "Trails Worth the Climb: Notes from the Hills."),
    ("Give three ideas for a rainy day at home.",
     "1. Cook a new recipe.\n2. Start a puzzle or a board game.\n3. Read a book or watch a classic film."),
    ("List three primary school subjects.", "1. Mathematics\n2. Reading and writing\n3. Science"),
    ("How do I change a flat bicycle tyre?",
     "Remove the wheel, lever the tyre off the rim and take out the inner tube. Fit a new or "
     "patched tube, put the tyre back on, pump it up and refit the wheel."),
    ("What should I do if I burn my finger on the stove?",
     "Hold it under cool running water for about 20 minutes, then cover it loosely with a clean "
     "dressing. See a doctor if the burn is large or blisters badly."),
    ("How can I make my phone battery last longer?",
     "Lower the screen brightness, close apps you are not using, and turn off location and "
     "Bluetooth when you do not need them."),
    ("Explain what a computer network is.",
     "A computer network is a group of computers connected so they can share data and resources, "
     "such as files, printers or an internet connection."),
    ("Why is the sky blue?",
     "Air scatters the short blue wavelengths of sunlight much more than the red ones, so blue "
     "light reaches our eyes from every part of the sky."),
    ("Summarise the story of Cinderella in two sentences.",
     "A kind young woman mistreated by her stepfamily goes to a royal ball with the help of her "
     "fairy godmother. She leaves a glass slipper behind, and the prince finds her with it and marries her."),
    ("Rewrite this sentence to be more polite: Send me the report now.",
     "Could you please send me the report when you have a moment?"),
    ("Correct the grammar: She don't like apples.", "She doesn't like apples."),
    ("Is a tomato a fruit or a vegetable?",
     "Botanically it is a fruit, because it grows from a flower and holds seeds; in cooking it is treated as a vegetable."),
    ("What is a good way to start learning to cook?",
     "Start with a few simple dishes such as eggs, pasta and a stir-fry, and cook them several times "
     "until they feel easy. Then add one new recipe a week."),
    ("How long should I brush my teeth?", "About two minutes, twice a day."),
    ("Recommend a beginner-friendly houseplant.",
     "A snake plant: it tolerates low light and needs water only every two to three weeks."),
]


def truncate(text: str, limit: int = MAX_RESPONSE_CHARS) -> str:
    """``text`` with collapsed spaces, cut at the last sentence end within ``limit``
    characters (at a word boundary when no sentence ends in time)."""
    flat = re.sub(r"[ \t]+", " ", text.strip())
    if len(flat) <= limit:
        return flat
    head = flat[:limit]
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s)", head)]
    if ends and ends[-1] > limit // 3:
        return head[:ends[-1]].strip()
    return head.rsplit(" ", 1)[0].strip()


def _english(text: str) -> bool:
    return sum(c.isascii() for c in text) >= 0.97 * len(text)


def _redact(text: str, units: list[str]) -> str:
    """``text`` with every labelled private unit (case-insensitive, as whole words) replaced
    by ``[REDACTED]``."""
    for unit in sorted(units, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(unit)}(?!\w)", "[REDACTED]", text, flags=re.IGNORECASE)
    return text


_TOKEN = re.compile(r"\[REDACTED\]|\w+|[^\w\s]")


def redacted_spans(original: str, redacted: str) -> list[str]:
    """The stretches of ``original`` that ``redacted`` replaced by ``[REDACTED]`` (a
    word-level alignment of the two)."""
    a = list(_TOKEN.finditer(original))
    b = [m.group() for m in _TOKEN.finditer(redacted)]
    matcher = difflib.SequenceMatcher(None, [m.group() for m in a], b, autojunk=False)
    return [original[a[i1].start():a[i2 - 1].end()] for op, i1, i2, j1, j2 in matcher.get_opcodes()
            if op == "replace" and "[REDACTED]" in b[j1:j2]]


def pupa_pairs(path: Path, limit: int = MAX_PUPA_ROWS, seed: int = 0) -> list[tuple[str, str]]:
    """PUPA_New's training rows as (redacted prompt, redacted and truncated response): the
    labelled private units and whatever ``redacted_query`` replaced are redacted in the
    response too. At most ``limit`` rows, a seeded sample."""
    pairs = []
    with open(path, newline="", encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f)):
            query, response = row["redacted_query"].strip(), row["target_response"].strip()
            if i % 5 == 0 or not query or not response or len(query) > MAX_QUERY_CHARS:
                continue
            if "presidio" in (query + response).lower() or not _english(query + response):
                continue
            units = row["pii_units"].split("||") + redacted_spans(row["user_query"], query)
            pairs.append((query, truncate(_redact(response, [u.strip() for u in units if len(u.strip()) >= 2]))))
    return random.Random(seed).sample(pairs, min(limit, len(pairs)))


def m4a1_pairs(path: Path) -> list[tuple[str, str]]:
    """M4A1's well-judged query and message-editing answers, one per question, truncated."""
    best: dict[str, tuple[float, str]] = {}
    for dialogue in json.loads(path.read_text(encoding="utf-8")):
        for turn in dialogue["interactions"]:
            question, answer, score = turn["question"].strip(), (turn.get("answer") or "").strip(), turn["score"]
            if turn["task_cat"] not in ("Query", "Message Editing") or score < 1 or not answer:
                continue
            if re.search(r"\bimages?\b|\bpictures?\b|\blooks like\b|\byou can see\b", question + answer, re.IGNORECASE):
                continue
            if question not in best or score > best[question][0]:
                best[question] = (score, answer)
    return [(q, truncate(a)) for q, (_, a) in sorted(best.items())]


def build_history(out: Path, data_dir: Path, seed: int = 0) -> dict[str, int]:
    """Write the General adapter's training data to ``out`` (JSONL pairs, shuffled with
    ``seed`` so the trainer's held-out tail mixes every source); return counts per source."""
    sources = {"seed": SEED_PAIRS, "pupa_train": pupa_pairs(data_dir / "PUPA_New.csv"),
               "m4a1": m4a1_pairs(data_dir / "M4A1.json")}
    records = [{"prompt": p, "response": r, "id": f"{name}-{i}"}
               for name, pairs in sources.items() for i, (p, r) in enumerate(pairs)]
    random.Random(seed).shuffle(records)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return {name: len(pairs) for name, pairs in sources.items()}


def package_adapter(trained: Path, dest: Path | None = None) -> Path:
    """Copy the adapter trained at ``trained`` to ``dest`` (default: the embedded backend's
    :data:`~ptmo_middleware.backends.local_model.GENERAL_ADAPTER_DIR`): weights as float16
    (half the bytes; merged into float32 weights at load), the config naming the default
    model as base, and ``training.json``."""
    import torch
    from safetensors.torch import load_file, save_file

    from ptmo_middleware.backends.local_model import DEFAULT_MODEL_DIRNAME, GENERAL_ADAPTER_DIR

    dest = dest or GENERAL_ADAPTER_DIR
    dest.mkdir(parents=True, exist_ok=True)
    weights = load_file(str(trained / "adapter_model.safetensors"))
    save_file({k: v.to(torch.float16).contiguous() for k, v in weights.items()},
              str(dest / "adapter_model.safetensors"))
    (dest / "adapter_model.safetensors").chmod(0o644)  # shipped: readable by every user
    config = json.loads((trained / "adapter_config.json").read_text(encoding="utf-8"))
    config["base_model_name_or_path"] = DEFAULT_MODEL_DIRNAME
    (dest / "adapter_config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    training = json.loads((trained / "training.json").read_text(encoding="utf-8"))
    (dest / "training.json").write_text(json.dumps(training, indent=2) + "\n", encoding="utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description="The General adapter's training data, and its packaging.")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="write the training data (JSONL pairs)")
    build.add_argument("out", type=Path)
    build.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    package = commands.add_parser("package", help="copy a trained adapter into the package (float16)")
    package.add_argument("trained", type=Path)
    args = parser.parse_args()
    if args.command == "build":
        print(json.dumps(build_history(args.out, args.data_dir)))
    else:
        print(package_adapter(args.trained))


if __name__ == "__main__":
    main()
