"""Secrets and identifiers where people paste them: the held-apart template family of our
three corpora (credentials in code and commands, national/tax/health IDs, values spelled
out or given in pieces), ours beside Presidio and detect-secrets in the same run.

    python benchmarks/secrets_identifiers.py

The corpora (tests/credentials_corpus.py, tests/identifiers_corpus.py,
tests/spelled_corpus.py) were written before the detectors, each kind in two template
families: "tune" (the detectors were adjusted on it) and "held" (other wording, only
measured). A case leaks when its value still reaches what would leave the device: ours,
the plan's cloud messages (rules classifier; and the default router with every
classifier); Presidio, its anonymised text; detect-secrets (credentials only), the text
with every secret it reports removed. "Rules before" is the rules classifier without
this change's detectors (same run): the anchor for "today's" speed and coverage.
Clean sets: code and config snippets with no credential (four families: tune, held, and
two written by other authors without seeing the detectors, tests/clean_code_blind.py and
tests/clean_code_final.py), prompts with numbers that are no identifier, ordinary prompts
with number words; "changed" means what leaves differs from the text. Writes
benchmarks/results/secrets_identifiers.md.
"""
from __future__ import annotations

import datetime
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import clean_code_blind  # noqa: E402
import clean_code_final  # noqa: E402
import credentials_corpus  # noqa: E402
import identifiers_corpus  # noqa: E402
import spelled_corpus  # noqa: E402

from ptmo_middleware import PrivacyRouter  # noqa: E402
from ptmo_middleware.plugins.classifiers import rules as rules_module  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "secrets_identifiers.md"
#: Conversation: the turns, each a list of message texts (the last one the new message).
Cloud = Callable[[list[list[str]], str], list[str]]
NEW_DETECTORS = ("credentials", "spelled_values", "seed_phrases", "partial_values", "checked_ids", "record_numbers")


def ours(router: PrivacyRouter) -> Cloud:
    def cloud(turns: list[list[str]], conversation: str) -> list[str]:
        plan = None
        for turn in turns:
            messages = [{"role": ("user", "assistant")[k % 2], "content": t} for k, t in enumerate(turn)]
            plan = router.plan(messages, conversation_id=conversation)
        return [m.content for m in plan.cloud_messages]
    return cloud


def presidio() -> Cloud:
    from ptmo_lab.evaluation.presidio_anchor import sanitizer

    sanitize = sanitizer()
    return lambda turns, _: [sanitize(t) for t in turns[-1]]


def detect_secrets() -> Cloud:
    """detect-secrets 1.x, default plugins and filters, scanning the text as a file."""
    from detect_secrets import SecretsCollection
    from detect_secrets.settings import default_settings

    folder = tempfile.mkdtemp()

    def scrub(text: str) -> str:
        path = os.path.join(folder, "snippet.txt")
        Path(path).write_text(text, encoding="utf-8")
        with default_settings():
            found = SecretsCollection()
            found.scan_file(path)
        for _, secret in found:
            if secret.secret_value:
                text = text.replace(secret.secret_value, "")
        return text

    return lambda turns, _: [scrub(t) for t in turns[-1]]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def cases() -> list[tuple[str, str, str, list[list[str]], Callable[[list[str]], bool]]]:
    """(corpus, kind, family, turns, leaked(cloud texts)) for every case."""
    out = []
    for c in credentials_corpus.cases():
        out.append(("credentials", c.kind, c.family, [[c.text]],
                    lambda cloud, s=c.secrets: any(v in "\n".join(cloud) for v in s)))
    for c in identifiers_corpus.identifier_cases():
        def leaked(cloud: list[str], v: str = c.value) -> bool:
            joined = "\n".join(cloud)
            return v in joined or (len(_digits(v)) >= 6 and _digits(v) in _digits(joined))
        out.append(("identifiers", c.kind, c.family, [[c.text]], leaked))
    for kind in spelled_corpus.KINDS:
        for family in ("tune", "held"):
            for c in spelled_corpus.cases(kind, family):
                out.append(("spelled and split", kind, family, [list(t) for t in c.turns],
                            lambda cloud, c=c: spelled_corpus.leaked(c, cloud)))
    return out


def clean_sets() -> dict[str, list[str]]:
    return {"code and configs without credentials, tune (trained and tuned on)": credentials_corpus.clean("tune"),
            "code and configs, held (written before the change, failures seen during it)": credentials_corpus.clean("held"),
            "code and configs, blind (another author; failures seen during the change)": list(clean_code_blind.SNIPPETS),
            "code and configs, final (another author; never tuned on)": list(clean_code_final.SNIPPETS),
            "numbers that are no identifier": identifiers_corpus.negative_prompts(),
            "ordinary prompts with number words": spelled_corpus.negatives()}


def main() -> None:
    rules_now = rules_module.RulesClassifier.detectors
    before = tuple(d for d in rules_now if getattr(d, "__name__", "") not in NEW_DETECTORS)
    systems: dict[str, Cloud] = {}
    routers = {"ours, rules": PrivacyRouter(classifiers=["rules"]),
               "ours, default (all classifiers)": PrivacyRouter()}
    for name, router in routers.items():
        systems[name] = ours(router)
    systems["Presidio (anchor)"] = presidio()
    systems["detect-secrets (anchor, credentials only)"] = detect_secrets()
    systems["ours, rules before (anchor)"] = ours(PrivacyRouter(classifiers=["rules"]))

    all_cases = cases()
    leaks: dict[tuple[str, str, str, str], list[bool]] = defaultdict(list)
    changed: dict[tuple[str, str], float] = {}
    for system, cloud in systems.items():
        rules_module.RulesClassifier.detectors = before if "before" in system else rules_now
        for i, (corpus, kind, family, turns, leaked) in enumerate(all_cases):
            if "detect-secrets" in system and corpus != "credentials":
                continue
            leaks[(system, corpus, kind, family)].append(leaked(cloud(turns, f"{system}-{i}")))
        for name, texts in clean_sets().items():
            if "detect-secrets" in system and not name.startswith("code"):
                continue
            changed[(system, name)] = sum(cloud([[t]], f"{system}-clean-{j}") != [t]
                                          for j, t in enumerate(texts)) / len(texts)
        print(system, "done", flush=True)

    code_sets = {"all": [c.text for c in credentials_corpus.cases()] + credentials_corpus.clean(),
                 "clean": credentials_corpus.clean() + credentials_corpus.clean("held")}
    latency = {}
    for label, detectors in (("now", rules_now), ("before", before)):
        rules_module.RulesClassifier.detectors = detectors
        router = PrivacyRouter(classifiers=["rules"])
        for which, texts in code_sets.items():
            times = []
            for rep in range(3):
                for j, t in enumerate(texts):
                    t0 = time.perf_counter()
                    router.plan(t, conversation_id=f"lat-{label}-{rep}-{j}")
                    times.append((time.perf_counter() - t0) * 1e3)
            latency[(label, which)] = statistics.median(times)
    rules_module.RulesClassifier.detectors = rules_now
    write(systems, all_cases, leaks, changed, latency)


def _pct(values: list[bool]) -> str:
    return f"{100 * (1 - sum(values) / len(values)):.1f}" if values else "-"


def write(systems, all_cases, leaks, changed, latency) -> None:
    names = list(systems)
    kinds = sorted({(corpus, kind) for corpus, kind, *_ in all_cases})
    head = "| corpus | kind | held cases | " + " | ".join(names) + " | ours, rules: tune |"
    lines = [
        "## Secrets and identifiers where people paste them (held-apart templates)",
        "",
        f"`python benchmarks/secrets_identifiers.py`; {datetime.date.today()}, {platform.machine()}, "
        f"{os.cpu_count()} cores. Percent of the held family's cases whose value does NOT reach what would "
        "leave the device (higher is better); the last column is our rules on the tune family the detectors "
        "were adjusted on (the gap to the held column is the tuning's optimism; both are templated, so "
        "independently written prompts will score lower: a probe of 24 unseen credential syntaxes written "
        "after tuning caught 14). Anchors in the same run: Presidio defaults, detect-secrets 1.5 defaults "
        "(credentials only), and our rules without this change's detectors.",
        "",
        head,
        "|---|---|---:|" + "---:|" * (len(names) + 1),
    ]
    totals: dict[str, list[bool]] = defaultdict(list)
    for corpus, kind in kinds:
        cells = []
        for s in names:
            values = leaks.get((s, corpus, kind, "held"), [])
            totals[s] += values
            cells.append(_pct(values))
        held = len(leaks[(names[0], corpus, kind, "held")])
        tune = _pct(leaks[("ours, rules", corpus, kind, "tune")])
        totals["tune"] += leaks[("ours, rules", corpus, kind, "tune")]
        lines.append(f"| {corpus} | {kind} | {held} | " + " | ".join(cells) + f" | {tune} |")
    lines.append("| **all** | | | " + " | ".join(f"**{_pct(totals[s])}**" for s in names)
                 + f" | **{_pct(totals['tune'])}** |")
    lines += ["", "Clean sets, percent changed before leaving (lower is better):", "",
              "| set | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for name, texts in clean_sets().items():
        cells = [f"{100 * changed[(s, name)]:.1f}" if (s, name) in changed else "-" for s in names]
        lines.append(f"| {name} ({len(texts)}) | " + " | ".join(cells) + " |")
    final = 100 * changed[("ours, rules", next(n for n in clean_sets() if n.startswith("code and configs, final")))]
    lines += ["", "The code sets: *tune*, the snippets the secret detectors were adjusted on and the longer pastes "
              "the unit judge's code model is trained on; *held*, written before the change that added the code "
              "model and only measured, though its failures were read during that change; *blind*, written by a "
              "separate author who never saw the detectors, its failures read after its first measurement (midway "
              "through that change: 16.2 % rules, 48.1 % default); *final*, another such author, never tuned on: "
              "measured after the code model (45.0 % default) and again after the judge's model for the prose "
              "around code, added without reading its failures. On the final set the rules alone change "
              f"{final:.1f} % of the pastes (public URLs: a URL is masked unless its host names no one; Perl and Ruby variables "
              "taken for handles), and the default router about a third: spaCy and the tagger find names in the "
              "prose around code, in logs and in outputs, and the judge clears only part of them. The 3 % target is not met: the rules "
              "reach it on the short snippets of the tune set, not on longer pastes or on code written by others."]
    lines += ["", "plan() p50 on prompts with code, rules classifier, 3 passes, now / without this change's "
              "detectors (target 1.2x):"]
    for which, label in (("all", "credential corpus and clean snippets"), ("clean", "clean snippets only")):
        now, was = latency[("now", which)], latency[("before", which)]
        lines.append(f"- {label}: {now:.3f} / {was:.3f} ms ({now / was:.2f}x)")
    lines += ["", "\"Rules before\" lacks this change's detectors but keeps its value-propagation forms, "
              "so its cross_turn row is not a before figure (it was 25 % held before the change, measured "
              "when the corpus was written)."]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
