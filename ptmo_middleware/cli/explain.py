"""Why the router decided what it did, in words: route, level, spans by type, the
classifiers that found them, the policy's decision per part, the shield's and budget's
notes. Types, levels and counts only: never a detected value."""
from __future__ import annotations

from typing import Any

from ..types import Plan


def count_types(spans: list[Any]) -> str:
    """``EMAIL_ADDRESS x2, PERSON x1``, or ``none``."""
    counts: dict[str, int] = {}
    for span in spans:
        counts[span.entity_type] = counts.get(span.entity_type, 0) + 1
    return ", ".join(f"{t} x{n}" for t, n in sorted(counts.items())) or "none"


def explain_plan(plan: Plan, settings: Any, classifiers: list[str]) -> list[str]:
    """The lines that explain ``plan`` (``settings``: the router's; ``classifiers``: those that ran)."""
    c = plan.classification
    lines = [f"route: {plan.route.value} (request level {c.level.name}, score {c.score:.2f}, "
             f"{len(plan.parts)} part(s) by the {plan.decomposer} decomposer)",
             f"spans by type: {count_types(plan.spans)}"]
    found = sorted({s.source for s in plan.spans})
    lines.append(f"classifiers: {', '.join(classifiers) or 'none'} ran"
                 + (f"; spans found by {', '.join(found)}" if found else "")
                 + (f"; failed: {', '.join(c.failed)}" if c.failed else ""))
    decisions = "; ".join(f"part {i + 1} ({p.level.name}, {'maskable' if p.maskable else 'not maskable'}"
                          f"{', ' + count_types(p.spans) if p.spans else ''}) -> {p.route.value}"
                          for i, p in enumerate(plan.parts))
    lines.append(f"policy {plan.policy}: {decisions}")
    if plan.policy == "threshold":
        table = ", ".join(f"{level.name} -> {action}" for level, action in sorted(settings.thresholds.items()))
        lines.append(f"  thresholds: {table}")
    lines += [f"  {reason}" for reason in plan.reasons]
    if plan.budget_cost:
        lines.append(f"  budget: this plan costs {plan.budget_cost:.4g} of the principal's privacy budget")
    lines += [f"  note: {note}" for note in plan.notes]
    return lines
