"""PNG plots of the benchmark report: exposure vs repetitions, the privacy-utility
frontier, and reward vs privacy budget (matplotlib, headless)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_exposure(saved: Mapping[str, Any], path: str | Path) -> Path:
    """Mean canary exposure vs repetitions, one line per variant, with the chance level
    (a random rank: about 1.44 bits) and the maximum (log2 |R|)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    for v in saved["variants"]:
        points = sorted((int(r), x) for r, x in v["exposure_by_repetition"].items())
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=v["variant"])
    ax.axhline(saved["max_exposure"], color="grey", linestyle="--", linewidth=1, label="max (log2 |R|)")
    ax.axhline(1.44, color="grey", linestyle=":", linewidth=1, label="chance")
    ax.set_xscale("log")
    ax.set_xlabel("canary repetitions in the history")
    ax.set_ylabel("exposure (bits)")
    ax.legend(fontsize=8)
    ax.set_title("Canary exposure of the personal adapter")
    return _save(fig, path)


def plot_frontier(points: Mapping[str, tuple[float, float]], path: str | Path) -> Path:
    """Leak (x) vs retain (y) per policy: up and to the left is better."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    markers = "osD^vP*X"
    for i, (name, (leak, retain)) in enumerate(points.items()):
        ax.scatter([leak], [retain], marker=markers[i % len(markers)], s=50, alpha=0.8, label=name)
    ax.legend(fontsize=7, loc="lower right")
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel("leak (private units reaching the cloud)")
    ax.set_ylabel("retain (other words reaching the cloud)")
    ax.set_title("Privacy-utility frontier on PUPA")
    return _save(fig, path)


def plot_reward_vs_budget(budgets: Sequence[float], rewards: Mapping[str, Sequence[float]],
                          path: str | Path) -> Path:
    """Mean episode reward per policy at each privacy budget."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    for name, values in rewards.items():
        ax.plot(list(budgets), list(values), marker="o", label=name)
    ax.set_xlabel("privacy budget (epsilon)")
    ax.set_ylabel("mean episode reward")
    ax.legend(fontsize=8)
    ax.set_title("Reward vs privacy budget")
    return _save(fig, path)


def _save(fig: Any, path: str | Path) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(p, dpi=110)
    _pyplot().close(fig)
    return p
