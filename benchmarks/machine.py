"""The machine a benchmark runs on, detected rather than written by hand: CPU model and
core count, memory, GPU (NVIDIA, through nvidia-smi, when one is present) and load."""
from __future__ import annotations

import os
import platform
import shutil
import subprocess


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return None


def _gpus() -> list[str]:
    if shutil.which("nvidia-smi") is None:
        return []
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"], capture_output=True,
                             text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in out.splitlines() if line.strip()]


def describe() -> str:
    """One line: cores, CPU model, memory, GPU or none, 1-min load average."""
    mem = _memory_gib()
    gpus = _gpus()
    parts = [f"{os.cpu_count()}-core {platform.machine()} ({_cpu_model()})"]
    if mem:
        parts.append(f"{mem:.0f} GiB")
    parts.append(", ".join(gpus) if gpus else "no GPU")
    if hasattr(os, "getloadavg"):
        parts.append(f"1-min load {os.getloadavg()[0]:.1f}")
    return ", ".join(parts)


if __name__ == "__main__":
    print(describe())
