"""``make demo`` (examples/demo.py): its turns on recording backends, no model (fast),
and the script as users run it, on the embedded model (slow). The summary's counts must
be those of the turns printed above it, and no secret of the demo may appear in what the
demo reports as sent to the cloud."""
from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from ptmo_middleware.router import PrivacyRouter
from recording_backend import RecordingBackend

ROOT = Path(__file__).resolve().parent.parent
#: The private values in the demo's prompts, per turn (the strict turn repeats the password).
SECRETS = [[], ["Tr0ub4dor&3x"], ["Maria Keller"], ["Tom Becker", "42 Elm Street, Springfield"], [],
           ["Tr0ub4dor&3x"]]
PLACEHOLDER = re.compile(r"\[([A-Z_]+?)_\d+\]")


def load_demo() -> ModuleType:
    """examples/demo.py as a module (examples/ is not a package)."""
    spec = importlib.util.spec_from_file_location("ptmo_demo", ROOT / "examples" / "demo.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def turn_blocks(out: str) -> list[list[str]]:
    """The printed lines of each turn (from its ``=== Turn`` header to the next)."""
    blocks: list[list[str]] = []
    for line in out.splitlines():
        if line.startswith("=== Turn "):
            blocks.append([])
        elif line.startswith("=== Summary"):
            break
        elif blocks:
            blocks[-1].append(line)
    return blocks


def sent_lines(block: list[str]) -> list[str]:
    """The lines a turn shows as having left the device."""
    return [line for line in block if line.startswith("    | ")]


def test_summary_counts_are_the_turns(capsys: pytest.CaptureFixture[str]) -> None:
    demo = load_demo()
    cloud = RecordingBackend("cloud")
    router = PrivacyRouter(local=RecordingBackend("local"), cloud=cloud)
    strict = PrivacyRouter(local=router.local_backend, cloud=router.cloud_backend, **demo.STRICT)
    records = demo.run_turns(router, strict, "the cloud", max_tokens=16)
    summary = demo.summarize(records, load_s=0.0, total_s=1.0)
    blocks = turn_blocks(capsys.readouterr().out)
    assert len(records) == len(blocks) == len(SECRETS)

    # What the demo reports as sent is what the cloud received, and holds no secret.
    assert [text for r in records for text in r.sent] == cloud.texts
    for record, block, secrets in zip(records, blocks, SECRETS):
        shown = " ".join(sent_lines(block))
        assert not any(secret in text for secret in secrets for text in record.sent + [shown])
        assert record.leaked == 0
        # Every secret was kept, so the bytes kept are exactly the secrets' bytes.
        assert record.kept_bytes == sum(len(secret.encode()) for secret in secrets)
        assert (not record.sent) == any("nothing left the device" in line for line in block)
        assert any(line.startswith("Why:") for line in block)

    # Masked spans by type: the summary's counts are the placeholders printed in the turns.
    printed = Counter(m for block in blocks for line in sent_lines(block) for m in PLACEHOLDER.findall(line))
    assert Counter(t for r in records for t in r.masked_types) == printed == Counter(
        {"PASSWORD": 1, "PERSON": 2, "ADDRESS": 1})
    by_type = ", ".join(f"{t} x{n}" for t, n in sorted(printed.items()))
    assert f"Masked, by type: {by_type} ({sum(printed.values())} spans)" in summary

    # Routes: one per turn; the split turn is the one that printed a part answered locally.
    routes = Counter(r.route for r in records)
    assert sum(routes.values()) == len(records)
    assert routes["split"] == sum(any("was answered on this device" in line for line in b) for b in blocks)
    assert routes == Counter({"cloud": 2, "masked": 3, "split": 1})
    assert "Routes:          local 0, cloud 2, masked 3, split 1" in summary
    assert f"Left the device: {sum(1 for r in records if r.sent)} of 6 requests;" in summary[3]
    kept = sum(len(s.encode()) for secrets in SECRETS for s in secrets)
    assert summary[4].startswith(f"Kept on device:  {kept} bytes of detected values")
    assert "PRIVATE values in what left: 0  OK" in summary


@pytest.mark.slow
def test_demo_script_offline_on_the_embedded_model() -> None:
    env = {**os.environ, "GROQ_API_KEY": "", "OLLAMA_HOST": "", "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "demo.py")], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    blocks = turn_blocks(done.stdout)
    assert len(blocks) == len(SECRETS)
    for block, secrets in zip(blocks, SECRETS):
        assert not any(secret in line for secret in secrets for line in sent_lines(block))
    assert "=== Summary of this run: 6 requests ===" in done.stdout
    assert "PRIVATE values in what left: 0  OK" in done.stdout
