"""Device profiler: per-stage latency, peak memory and energy, from whatever the device exposes.

Sources, each used only where present: process peak RSS (``resource``), CPU package
energy from Intel RAPL (``/sys/class/powercap/*/energy_uj``, when readable), GPU memory
and energy through NVML (``nvidia-ml-py``, when a GPU exists), and Jetson's
``tegrastats`` (one sample of its power rails, when the binary exists). A source that is
absent is reported as absent, never estimated.
"""
from __future__ import annotations

import glob
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable


def peak_rss_mib() -> float:
    """Peak resident set size of this process, in MiB."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024 if sys.platform != "darwin" else kib / 2**20


class RaplMeter:
    """Cumulative CPU package energy (joules) from RAPL counters, if readable."""

    def __init__(self) -> None:
        self.paths = []
        for p in sorted(glob.glob("/sys/class/powercap/intel-rapl:*/energy_uj")):
            if p.count(":") == 1 and os.access(p, os.R_OK):  # packages, not sub-zones
                try:
                    int(open(p).read())
                    self.paths.append(p)
                except (OSError, ValueError):
                    continue

    @property
    def available(self) -> bool:
        return bool(self.paths)

    def read_j(self) -> float:
        return sum(int(open(p).read()) for p in self.paths) / 1e6


class NvmlMeter:
    """GPU memory in use and cumulative energy through NVML, if a GPU is there."""

    def __init__(self) -> None:
        self.handle = None
        try:
            import pynvml

            pynvml.nvmlInit()
            self.handle = pynvml.nvmlDeviceGetHandleByIndex(0)
            self._nvml = pynvml
        except Exception:
            self.handle = None

    @property
    def available(self) -> bool:
        return self.handle is not None

    def memory_mib(self) -> float:
        return self._nvml.nvmlDeviceGetMemoryInfo(self.handle).used / 2**20

    def energy_j(self) -> float | None:
        try:
            return self._nvml.nvmlDeviceGetTotalEnergyConsumption(self.handle) / 1000.0
        except Exception:
            return None


def tegrastats_sample(timeout_s: float = 3.0) -> dict[str, float] | None:
    """One sample of Jetson power rails (mW) from ``tegrastats``, or None off Jetson."""
    exe = shutil.which("tegrastats")
    if not exe:
        return None
    try:
        proc = subprocess.Popen([exe, "--interval", "500"], stdout=subprocess.PIPE, text=True)
        line = proc.stdout.readline() if proc.stdout else ""
        proc.terminate()
        proc.wait(timeout=timeout_s)
    except (OSError, subprocess.SubprocessError):
        return None
    rails = dict((k, float(v)) for k, v in re.findall(r"(\w+) (\d+)mW/\d+mW", line))
    return rails or None


@dataclass
class ProfileReport:
    """Per-stage latency percentiles (ms), memory and energy of a profiled run."""

    runs: int
    stages: dict[str, dict[str, float]]
    peak_rss_mib: float
    cpu_energy_j: float | None
    gpu_memory_mib: float | None
    gpu_energy_j: float | None
    jetson_rails_mw: dict[str, float] | None
    sources: dict[str, bool] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "runs": self.runs, "stages_ms": self.stages, "peak_rss_mib": round(self.peak_rss_mib, 1),
            "cpu_energy_j": self.cpu_energy_j, "gpu_memory_mib": self.gpu_memory_mib,
            "gpu_energy_j": self.gpu_energy_j, "jetson_rails_mw": self.jetson_rails_mw,
            "sources": self.sources,
        }


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": round(statistics.median(ordered), 3),
        "p95": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 3),
        "mean": round(statistics.fmean(ordered), 3),
    }


def profile(run_once: Callable[[Any], dict[str, float]], items: Iterable[Any]) -> ProfileReport:
    """Call ``run_once(item)`` for each item; it returns stage -> milliseconds (e.g. a plan's
    or a reply's ``timings_ms``). Energy is measured over the whole loop."""
    rapl, nvml = RaplMeter(), NvmlMeter()
    e0 = rapl.read_j() if rapl.available else None
    g0 = nvml.energy_j() if nvml.available else None
    per_stage: dict[str, list[float]] = {}
    runs = 0
    t0 = time.perf_counter()
    for item in items:
        timings = run_once(item)
        runs += 1
        for stage, ms in timings.items():
            per_stage.setdefault(stage, []).append(float(ms))
    wall_ms = (time.perf_counter() - t0) * 1e3
    if runs == 0:
        raise ValueError("nothing to profile: no items")
    per_stage.setdefault("wall_per_item", []).append(wall_ms / runs)
    g1 = nvml.energy_j() if nvml.available else None
    rails = tegrastats_sample()
    return ProfileReport(
        runs=runs,
        stages={k: _summary(v) for k, v in per_stage.items()},
        peak_rss_mib=peak_rss_mib(),
        cpu_energy_j=(rapl.read_j() - e0) if e0 is not None else None,
        gpu_memory_mib=nvml.memory_mib() if nvml.available else None,
        gpu_energy_j=(g1 - g0) if g0 is not None and g1 is not None else None,
        jetson_rails_mw=rails,
        sources={"rapl": rapl.available, "nvml": nvml.available, "tegrastats": rails is not None},
    )
