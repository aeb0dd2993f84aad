"""Public prompts left alone, personal ones masked: the unit judge measured on prompts it
was not trained or tuned on, ours beside Presidio in the same run.

    python benchmarks/public_prompts.py

Sets (``ptmo_lab.evaluation.prompt_corpus``, written before the judge; the judge is
trained on the ``tune`` family and PUPA_New's training split only):
- public: the ``held`` family's prompts with no personal data; "changed" means what
  leaves the device differs from the prompt;
- disclosures: the ``held`` family's prompts about the user and the people around them;
  a marked value "leaks" when it is in what leaves;
- PUPA_New dev split (never trained on): leak and retain as in benchmarks/leakage.py.
Also: the judge's threshold swept (table and plot), PUPA's categories, and
leave-one-category-out (the judge retrained without a PUPA category, measured on that
category's rows; the unit tagger under it did see the training split of every category).
Writes benchmarks/results/public_prompts.md and benchmarks/results/judge_thresholds.png.
"""
from __future__ import annotations

import datetime
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ptmo_middleware import PrivacyRouter  # noqa: E402
from ptmo_lab.evaluation.leakage import (  # noqa: E402
    by_category, data_dir, dev_split, load_pupa, score)
from ptmo_lab.evaluation.prompt_corpus import PRIVATE, PUBLIC, held  # noqa: E402
from ptmo_lab.evaluation.train_judge import train  # noqa: E402
from machine import describe  # noqa: E402  (benchmarks/machine.py)
from ptmo_middleware.plugins.classifiers.unit_judge import load_judge  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "public_prompts.md"
PLOT = ROOT / "benchmarks" / "results" / "judge_thresholds.png"
Cloud = Callable[[str], "str | None"]
THRESHOLDS = (0.0, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9)


def ours(router: PrivacyRouter) -> Cloud:
    def cloud(text: str) -> str | None:
        plan = router.plan(text)
        return "\n".join(m.content for m in plan.cloud_messages) if plan.cloud_messages else None
    return cloud


def presidio() -> Cloud:
    from ptmo_lab.evaluation.presidio_anchor import sanitizer

    return sanitizer()


def measure(cloud: Cloud, pupa_dev: list[dict]) -> dict[str, object]:
    """Every figure of one system: public changed, disclosures leaked, PUPA dev, timings."""
    public = held(PUBLIC)
    changed: dict[str, list[bool]] = defaultdict(list)
    times = []
    for p in public:
        t = time.perf_counter()
        out = cloud(p.text)
        times.append(time.perf_counter() - t)
        for key in ("all", f"lang={p.lang}", f"kind={p.kind}"):
            changed[key].append(out != p.text)
    leaked: dict[str, list[bool]] = defaultdict(list)
    for d in held(PRIVATE):
        out = cloud(d.text) or ""
        for v in d.private:
            for key in ("all", f"kind={d.kind}", f"lang={d.lang}"):
                leaked[key].append(v in out)
    payloads = [cloud(r["query"]) for r in pupa_dev]
    return {"changed": {k: sum(v) / len(v) for k, v in changed.items()},
            "leaked": {k: sum(v) / len(v) for k, v in leaked.items()},
            "pupa": score(pupa_dev, payloads), "categories": by_category(pupa_dev, payloads),
            "ms_p50": 1000 * statistics.median(times)}


def sweep(router: PrivacyRouter, pupa_dev: list[dict]) -> list[dict[str, float]]:
    """The default router's figures at each judge threshold."""
    rows = []
    shipped = router.planner.judge.threshold
    for t in sorted(set(THRESHOLDS) | {shipped}):
        router.planner.judge.threshold = t
        m = measure(ours(router), pupa_dev)
        rows.append({"threshold": t, "public_changed": m["changed"]["all"], "disclosures_leaked": m["leaked"]["all"],
                     "pupa_leak": m["pupa"]["leak"], "pupa_retain": m["pupa"]["retain"], "shipped": t == shipped})
        print(f"threshold {t}: {rows[-1]}", flush=True)
    router.planner.judge.threshold = shipped
    return rows


def leave_one_category_out(rows: list[dict]) -> list[dict[str, object]]:
    """Per PUPA category: the judge retrained without it, measured on its rows (both
    splits), beside the shipped judge on the same rows."""
    out = []
    shipped = PrivacyRouter()
    folder = Path(tempfile.mkdtemp())
    for category in sorted({r["category"] for r in rows}):
        mine = [r for r in rows if r["category"] == category]
        path = folder / f"{category[:12].replace(' ', '_')}.json.gz"
        train(out=path, exclude_categories=(category,))
        router = PrivacyRouter()
        router.planner.judge = load_judge(path)
        loco = score(mine, [ours(router)(r["query"]) for r in mine])
        full = score(mine, [ours(shipped)(r["query"]) for r in mine])
        out.append({"category": category, "rows": len(mine), "loco": loco, "full": full})
        print(category, loco["leak"], full["leak"], flush=True)
    return out


def plot(rows: list[dict[str, float]], presidio_point: tuple[float, float]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot([r["public_changed"] for r in rows], [r["pupa_leak"] for r in rows], "o-", label="PUPA dev leak")
    ax.plot([r["public_changed"] for r in rows], [r["disclosures_leaked"] for r in rows], "s--",
            label="held disclosures leaked")
    for r in rows:
        ax.annotate(f"{r['threshold']:g}" + (" (shipped)" if r["shipped"] else ""),
                    (r["public_changed"], r["pupa_leak"]), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.plot([presidio_point[0]], [presidio_point[1]], "x", color="black", label="Presidio (PUPA dev)")
    ax.set_xlabel("held public prompts changed")
    ax.set_ylabel("share leaked")
    ax.set_title("Unit judge threshold: leak vs public prompts changed")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(PLOT, dpi=120)


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def main() -> None:
    rows = load_pupa(data_dir() / "PUPA_New.csv")
    dev = dev_split(rows)
    routers = {"ours, default (with the judge)": PrivacyRouter(),
               "ours, judge off (before)": PrivacyRouter(unit_judge=False),
               "ours, rules only": PrivacyRouter(classifiers=["rules"])}
    systems: dict[str, Cloud] = {name: ours(r) for name, r in routers.items()}
    systems["Presidio (anchor)"] = presidio()
    results = {}
    for name, cloud in systems.items():
        results[name] = measure(cloud, dev)
        print(name, "done", flush=True)
    sweep_rows = sweep(routers["ours, default (with the judge)"], dev)
    pres = results["Presidio (anchor)"]
    plot(sweep_rows, (pres["changed"]["all"], pres["pupa"]["leak"]))
    loco = leave_one_category_out(rows)

    n_public, n_private = len(held(PUBLIC)), sum(len(d.private) for d in held(PRIVATE))
    lines = ["## Public prompts left alone, personal ones masked (unit judge)", "",
             f"`python benchmarks/public_prompts.py`; {datetime.date.today()}, {describe()}. Held family of the prompt corpus ({n_public} public prompts, "
             f"{n_private} marked values in {len(held(PRIVATE))} disclosures; the judge never saw these templates) "
             f"and PUPA_New's dev split ({len(dev)} rows). Targets: public changed <= 5 %, PUPA leak <= 0.08 at "
             "retain >= 0.90.", "",
             "| system | public changed | disclosures leaked | PUPA dev leak | PUPA dev retain | p50 ms (public) |",
             "|---|---|---|---|---|---|"]
    for name, m in results.items():
        lines.append(f"| {name} | {pct(m['changed']['all'])} | {pct(m['leaked']['all'])} | "
                     f"{m['pupa']['leak']:.3f} | {m['pupa']['retain']:.3f} | {m['ms_p50']:.1f} |")
    names = list(results)
    for title, key in (("Public prompts changed, by language", "changed"), ("... by kind", "changed"),
                       ("Disclosed values leaked, by kind", "leaked")):
        prefix = "lang=" if "language" in title else "kind="
        keys = sorted(k for k in results[names[0]][key] if k.startswith(prefix))
        lines += ["", f"{title}:", "", "| " + prefix[:-1] + " | " + " | ".join(names) + " |",
                  "|---" * (len(names) + 1) + "|"]
        for k in keys:
            lines.append(f"| {k[len(prefix):]} | " + " | ".join(pct(results[n][key][k]) for n in names) + " |")
    lines += ["", "PUPA dev split by category (leak / retain):", "",
              "| category | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for cat in sorted(results[names[0]]["categories"]):
        lines.append(f"| {cat} | " + " | ".join(
            f"{results[n]['categories'][cat]['leak']:.3f} / {results[n]['categories'][cat]['retain']:.3f}"
            for n in names) + " |")
    lines += ["", "Judge threshold swept (default router; the shipped threshold is the lowest whose "
              "out-of-fold public-changed share on the tune family is <= 5 %):", "",
              "| threshold | public changed | disclosures leaked | PUPA dev leak | PUPA dev retain |",
              "|---|---|---|---|---|"]
    for r in sweep_rows:
        mark = " (shipped)" if r["shipped"] else ""
        lines.append(f"| {r['threshold']:g}{mark} | {pct(r['public_changed'])} | {pct(r['disclosures_leaked'])} | "
                     f"{r['pupa_leak']:.3f} | {r['pupa_retain']:.3f} |")
    lines += ["", f"![leak against public prompts changed]({PLOT.relative_to(ROOT).as_posix()})", "",
              "Leave one PUPA category out (judge retrained without the category; all its rows, both splits):", "",
              "| category | rows | leak, judge without it | leak, shipped judge | retain without / shipped |",
              "|---|---|---|---|---|"]
    for r in loco:
        lines.append(f"| {r['category']} | {r['rows']} | {r['loco']['leak']:.3f} | {r['full']['leak']:.3f} | "
                     f"{r['loco']['retain']:.3f} / {r['full']['retain']:.3f} |")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
