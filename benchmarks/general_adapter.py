"""Answer quality of the embedded model with and without the shipped General adapter.

    python benchmarks/general_adapter.py [--threads N]

The questions below were written before any model output was looked at, and none of
them (nor their facts) is in the adapter's training data
(:mod:`ptmo_lab.personalization.general_data`). Each variant runs in its own process
through :class:`~ptmo_middleware.backends.embedded.EmbeddedBackend` exactly as it ships
(question/answer template, stop string, int8 weights), greedy, the same
``max_new_tokens``; only ``PTMO_EMBEDDED_GENERAL_ADAPTER`` differs (``off``: the base
model; ``on``: the adapter merged into the weights before int8 quantization).

Scoring, fixed up front:

* factual (40): the answer's first line, lower-cased, punctuation and a leading article
  stripped. **exact**: it equals one of the accepted answers; **contains**: one of them
  appears in it as a whole word or number.
* open instructions (10), a rubric of four checks: *nonempty* (3+ words), *concise*
  (at most 6 sentences), *no loop* (no sentence of 3+ words repeated and no 6-word
  sequence occurring 3+ times), *on topic* (one of the instruction's keywords appears).
  An answer passes when all four hold.

Speed: decode tokens/s of a fixed 128-token greedy generation (``min_new_tokens``), the
median of 3 after a warm-up, and tokens/s over all benchmark answers. Writes
benchmarks/results/general_adapter.md.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "general_adapter.md"
FACT_TOKENS = 48
OPEN_TOKENS = 128
SPEED_TOKENS = 128
MAX_SENTENCES = 6

#: (question, accepted answers separated by ``|``)
FACTUAL: list[tuple[str, str]] = [
    ("How many legs does a spider have?", "8|eight"),
    ("What is the capital of France?", "paris"),
    ("What is the chemical symbol for gold?", "au"),
    ("How many days are in a leap year?", "366"),
    ("Which planet is known as the Red Planet?", "mars"),
    ("Who wrote the play Romeo and Juliet?", "shakespeare|william shakespeare"),
    ("What is the largest ocean on Earth?", "pacific|pacific ocean"),
    ("At what temperature in degrees Celsius does water boil at sea level?", "100|100 degrees|100 degrees celsius|100°c"),
    ("How many continents are there?", "7|seven"),
    ("What is the square root of 81?", "9|nine"),
    ("Which gas do plants take from the air for photosynthesis?", "carbon dioxide|co2"),
    ("What is the capital of Japan?", "tokyo"),
    ("Which language is mainly spoken in Brazil?", "portuguese"),
    ("What is 12 times 12?", "144"),
    ("Who painted the Mona Lisa?", "leonardo da vinci|da vinci|leonardo"),
    ("What is the freezing point of water in degrees Fahrenheit?", "32|32 degrees|32 degrees fahrenheit|32°f"),
    ("How many minutes are in an hour?", "60|sixty"),
    ("What is the largest planet in our solar system?", "jupiter"),
    ("What is the currency of the United Kingdom?", "pound|pound sterling|pounds|british pound"),
    ("In which country are the pyramids of Giza?", "egypt"),
    ("What is the hardest natural substance?", "diamond|diamonds"),
    ("How many sides does a hexagon have?", "6|six"),
    ("What is the capital of Italy?", "rome"),
    ("Which organ pumps blood through the human body?", "heart"),
    ("What is the chemical formula of water?", "h2o"),
    ("Who was the first person to walk on the Moon?", "neil armstrong|armstrong"),
    ("What is the longest river in South America?", "amazon|amazon river"),
    ("How many strings does a standard guitar have?", "6|six"),
    ("What is the smallest prime number?", "2|two"),
    ("What color do you get by mixing blue and yellow?", "green"),
    ("What is the capital of Canada?", "ottawa"),
    ("How many hours are in a day?", "24|twenty-four|twenty four"),
    ("Which animal is known as the king of the jungle?", "lion|the lion"),
    ("What is the main language spoken in Mexico?", "spanish"),
    ("What is 15 plus 27?", "42|forty-two"),
    ("Which element has the chemical symbol O?", "oxygen"),
    ("What is the tallest mountain in the world?", "everest|mount everest|mt everest"),
    ("How many players does a soccer team have on the field?", "11|eleven"),
    ("In what year did World War II end?", "1945"),
    ("What is the capital of Australia?", "canberra"),
]

#: (instruction, on-topic keywords separated by ``|``; a keyword matches as a word prefix)
OPEN: list[tuple[str, str]] = [
    ("Give three tips for sleeping better.", "sleep|bed|caffeine|screen|routine|dark"),
    ("Explain what photosynthesis is in simple terms.", "light|sun|plant|energy|sugar|glucose"),
    ("Write a short polite email declining a meeting invitation.", "meeting|unable|thank|sorry|unfortunately|decline"),
    ("How do I boil an egg?", "water|boil|minute"),
    ("Summarize why exercise is good for health.", "heart|health|weight|muscle|mood|energy"),
    ("Suggest a name for a coffee shop.", "coffee|cafe|café|bean|brew|espresso|cup"),
    ("Explain what a password manager does.", "password"),
    ("List three fruits that are high in vitamin C.", "orange|kiwi|strawberr|lemon|guava|papaya|grapefruit"),
    ("How can I save money on groceries?", "list|budget|bulk|coupon|sale|plan|price|cheap"),
    ("Describe the water cycle in two sentences.", "evaporat|rain|precipitation|condens|cloud"),
]


def normalise(text: str) -> str:
    """First line, lower-cased, without punctuation at the ends or a leading article."""
    first = text.strip().split("\n", 1)[0].lower().strip()
    first = re.sub(r"[\s.!?,;:\"'*]+$", "", re.sub(r"^[\s\"'*]+", "", first))
    return re.sub(r"^(the|a|an)\s+", "", first)


def score_factual(answer: str, accepted: str) -> tuple[bool, bool]:
    """``(exact, contains)`` for one factual answer."""
    first = normalise(answer)
    options = [normalise(a) for a in accepted.split("|")]
    exact = first in options
    contains = any(re.search(rf"(?<![\w]){re.escape(o)}(?![\w])", first) for o in options)
    return exact, contains


def sentences(text: str) -> list[str]:
    """Sentences and list items of ``text``."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def score_open(answer: str, keywords: str) -> dict[str, bool]:
    """The four rubric checks for one open instruction, and ``passed``."""
    words = re.findall(r"[\w']+", answer.lower())
    parts = [" ".join(re.findall(r"[\w']+", s.lower())) for s in sentences(answer)]
    long_parts = [p for p in parts if len(p.split()) >= 3]
    grams = [" ".join(words[i:i + 6]) for i in range(max(len(words) - 5, 0))]
    checks = {
        "nonempty": len(words) >= 3,
        "concise": len(parts) <= MAX_SENTENCES,
        "no_loop": len(set(long_parts)) == len(long_parts) and all(grams.count(g) < 3 for g in set(grams)),
        "on_topic": any(re.search(rf"\b{re.escape(k)}", answer.lower()) for k in keywords.split("|")),
    }
    checks["passed"] = all(checks.values())
    return checks


def worker(threads: int) -> dict[str, Any]:
    """Answer every question with the embedded backend as configured by the environment."""
    import torch

    from ptmo_middleware.backends.embedded import EmbeddedBackend, loaded_model
    from ptmo_middleware.types import Message

    os.environ["PTMO_TORCH_THREADS"] = str(threads)
    t0 = time.perf_counter()
    backend = EmbeddedBackend()
    backend.load()
    load_s = time.perf_counter() - t0
    answers: list[dict[str, Any]] = []
    for kind, items, limit in (("factual", FACTUAL, FACT_TOKENS), ("open", OPEN, OPEN_TOKENS)):
        for question, _ in items:
            t = time.perf_counter()
            reply = backend.chat([Message("user", question)], max_tokens=limit)
            answers.append({"kind": kind, "question": question, "answer": reply.text,
                            "tokens": reply.usage.output_tokens, "seconds": time.perf_counter() - t})
    model, tokenizer, _ = loaded_model()
    inputs = tokenizer.apply_chat_template([{"role": "user", "content": "Tell me about the history of tea."}],
                                           add_generation_prompt=True, return_tensors="pt", return_dict=True)
    rates = []
    with torch.no_grad():
        for _ in range(4):
            t = time.perf_counter()
            model.generate(**inputs, max_new_tokens=SPEED_TOKENS, min_new_tokens=SPEED_TOKENS, do_sample=False)
            rates.append(SPEED_TOKENS / (time.perf_counter() - t))
    return {"load_s": load_s, "answers": answers, "decode_tok_s": statistics.median(rates[1:])}


def run_variant(setting: str, threads: int) -> dict[str, Any]:
    """One variant in a fresh process (the model is loaded once per process)."""
    env = {**os.environ, "PTMO_EMBEDDED_GENERAL_ADAPTER": setting}
    out = subprocess.run([sys.executable, __file__, "--worker", "--threads", str(threads)], env=env,
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    """Scores and speed of one variant."""
    facts = [a for a in result["answers"] if a["kind"] == "factual"]
    opens = [a for a in result["answers"] if a["kind"] == "open"]
    for a, (_, accepted) in zip(facts, FACTUAL):
        a["exact"], a["contains"] = score_factual(a["answer"], accepted)
    for a, (_, keywords) in zip(opens, OPEN):
        a["checks"] = score_open(a["answer"], keywords)
    tokens = sum(a["tokens"] for a in result["answers"])
    seconds = sum(a["seconds"] for a in result["answers"])
    return {
        "exact": sum(a["exact"] for a in facts),
        "contains": sum(a["contains"] for a in facts),
        "rubric": {k: sum(a["checks"][k] for a in opens) for k in ("nonempty", "concise", "no_loop", "on_topic", "passed")},
        "mean_tokens": tokens / len(result["answers"]),
        "answer_tok_s": tokens / seconds,
        "decode_tok_s": result["decode_tok_s"],
        "load_s": result["load_s"],
    }


def _share(hits: int) -> str:
    return f"{hits}/{len(FACTUAL)} ({100 * hits / len(FACTUAL):.1f} %)"


def _cell(text: str, width: int = 90) -> str:
    flat = " ".join(text.split()).replace("|", "/")
    return flat if len(flat) <= width else flat[:width - 3] + "..."


def report(results: dict[str, dict[str, Any]], threads: int) -> str:
    """The markdown report of both variants."""
    from machine import describe  # benchmarks/machine.py

    s = {k: summarise(v) for k, v in results.items()}
    base, gen = s["off"], s["on"]
    n_open = len(OPEN)
    lines = [
        "## General adapter: embedded answers with and without it",
        "",
        f"Machine: {describe()}. torch threads: {threads}. Gemma 3 270M (pre-trained), int8 weights, greedy, "
        f"max_new_tokens {FACT_TOKENS} (factual) / {OPEN_TOKENS} (open); each variant in its own process.",
        "",
        "| measure | base | base + General adapter |",
        "|---|---|---|",
        f"| factual exact match (first line) | {_share(base['exact'])} | {_share(gen['exact'])} |",
        f"| factual contains match (first line) | {_share(base['contains'])} | {_share(gen['contains'])} |",
    ]
    for key, label in (("passed", "open instructions passing the rubric"), ("nonempty", "  nonempty (3+ words)"),
                       ("concise", f"  concise (<= {MAX_SENTENCES} sentences)"), ("no_loop", "  no repetition loop"),
                       ("on_topic", "  on-topic keyword")):
        lines.append(f"| {label} | {base['rubric'][key]}/{n_open} | {gen['rubric'][key]}/{n_open} |")
    lines += [
        f"| mean answer tokens | {base['mean_tokens']:.1f} | {gen['mean_tokens']:.1f} |",
        f"| decode tokens/s ({SPEED_TOKENS} tokens, median of 3) | {base['decode_tok_s']:.1f} | {gen['decode_tok_s']:.1f} |",
        f"| new tokens/s over all answers (wall time, incl. prefill) | {base['answer_tok_s']:.1f} | {gen['answer_tok_s']:.1f} |",
        f"| model load (s) | {base['load_s']:.1f} | {gen['load_s']:.1f} |",
        "",
        "### Answers (first 90 characters; factual: E exact, C contains; open: the rubric checks failed)",
        "",
        "| question | base | score | + adapter | score |",
        "|---|---|---|---|---|",
    ]
    for a, b in zip(results["off"]["answers"], results["on"]["answers"]):
        def mark(x: dict[str, Any]) -> str:
            if x["kind"] == "factual":
                return f"{'E' if x['exact'] else '-'}{'C' if x['contains'] else '-'}"
            failed = [k for k, v in x["checks"].items() if not v and k != "passed"]
            return "fail: " + ",".join(failed) if failed else "pass"
        lines.append(f"| {_cell(a['question'], 60)} | {_cell(a['answer'])} | {mark(a)} | {_cell(b['answer'])} | {mark(b)} |")
    lines += ["", f"Reproduce: `.venv/bin/python benchmarks/general_adapter.py --threads {threads}`", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.threads)))
        return
    sys.path.insert(0, str(Path(__file__).parent))
    results = {setting: run_variant(setting, args.threads) for setting in ("off", "on")}
    OUT.write_text(report(results, args.threads), encoding="utf-8")
    print(OUT.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
