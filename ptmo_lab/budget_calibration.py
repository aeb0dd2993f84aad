"""Measure the masker's leak rates on PUPA's training split; writes ``leak.json``.

``python -m ptmo_lab.budget_calibration`` plans every training prompt with every
part masked and counts PUPA's private units still in the payload:
- ``masked_leak``: among units a detected maskable span covers, the share still present,
  as the upper end of its 95 % Wilson interval (few observed leaks must not read as none);
- ``missed_per_kchar``: units present in the masked payload per 1000 payload characters
  (what the classifiers missed: the residual risk of any text that leaves).
"""
from __future__ import annotations

import datetime
import json
import math
import sys
from pathlib import Path
from typing import Any

from ptmo_lab.datasets import load_pupa, unit_present
from ptmo_middleware.budget import risk
from ptmo_middleware.router import PrivacyRouter

_ALL_MASKED = {"public": "masked", "semi-sensitive": "masked", "private": "masked"}


def wilson_upper(k: int, n: int, z: float = 1.96) -> float:
    """Upper end of the Wilson score interval of k successes in n trials (1.0 when n = 0)."""
    if n == 0:
        return 1.0
    p = k / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return min(1.0, (centre + margin) / (1 + z * z / n))


def measure(router: PrivacyRouter | None = None, limit: int | None = None) -> dict[str, Any]:
    """Leak figures of ``router`` (default: all available classifiers, every part masked)."""
    router = router or PrivacyRouter(policy="threshold", thresholds=_ALL_MASKED)
    rows = load_pupa("train")[:limit]
    covered = covered_leaked = present = 0
    chars = 0
    for i, row in enumerate(rows):
        plan = router.plan(row.query, conversation_id=f"calibrate-{i}")
        payload = "\n".join(plan.cloud_payloads)
        chars += len(payload)
        for unit in row.units:
            in_payload = unit_present(unit, payload)
            present += in_payload
            if any(s.maskable and unit_present(unit, s.text) for s in plan.spans):
                covered += 1
                covered_leaked += in_payload
    return {
        "masked_leak": round(wilson_upper(covered_leaked, covered), 4),
        "masked_leak_observed": round(covered_leaked / covered, 4) if covered else None,
        "missed_per_kchar": round(1000.0 * present / max(chars, 1), 4),
        "units_covered": covered, "units_in_payload": present, "payload_chars": chars,
        "prompts": len(rows), "classifiers": router.classifier_names,
        "date": datetime.date.today().isoformat(),
        "command": "python -m ptmo_lab.budget_calibration",
    }


def main(argv: list[str] | None = None) -> None:
    out = Path(risk.__file__).with_name("leak.json")
    result = measure()
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
