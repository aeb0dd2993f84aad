"""The adapter store: LoRA adapters at three levels, and which to use for a request.

A store is a directory; each adapter is a sub-directory holding the PEFT files
(``adapter_config.json``, ``adapter_model.safetensors``) and a manifest
``ptmo_adapter.json``: name, base model, level (personal / group / general), owner (a
user for personal, a group for group, none for general), created (UTC), metrics, and the
SHA-256 checksum of the adapter files. ``store.json`` holds the store's settings: which
adapter is in use for each owner (``ptmo lora use``) and how levels combine.

Resolution for a user and their groups: with ``combination = "priority"`` (default) the
personal adapter wins over a group adapter, which wins over a general one; with
``"weighted"`` every level that has an adapter contributes, scaled by the configured
weights (default personal 1.0, group 0.5, general 0.25), combined by PEFT's
``add_weighted_adapter`` (see :mod:`.runtime`). Within one level and owner the adapter
selected with :meth:`AdapterStore.use` is taken, else the newest.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Any, Literal, Sequence

from ..errors import PtmoError

MANIFEST = "ptmo_adapter.json"
STORE_FILE = "store.json"
ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors")
DEFAULT_WEIGHTS = {"personal": 1.0, "group": 0.5, "general": 0.25}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class AdapterError(PtmoError, ValueError):
    """An adapter is unknown, malformed, or fails its checksum."""


class AdapterLevel(str, Enum):
    """Where an adapter sits in the hierarchy; earlier members win under ``priority``."""

    PERSONAL = "personal"
    GROUP = "group"
    GENERAL = "general"


@dataclass
class AdapterInfo:
    """One stored adapter, as its manifest describes it."""

    name: str
    level: AdapterLevel
    owner: str | None
    base_model: str
    created: str
    checksum: str
    metrics: dict[str, Any] = field(default_factory=dict)
    path: Path = Path()

    def manifest(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("path")
        d["level"] = self.level.value
        return d

    @classmethod
    def from_manifest(cls, data: dict[str, Any], path: Path) -> "AdapterInfo":
        try:
            return cls(name=data["name"], level=AdapterLevel(data["level"]), owner=data.get("owner"),
                       base_model=data["base_model"], created=data["created"], checksum=data["checksum"],
                       metrics=dict(data.get("metrics") or {}), path=path)
        except (KeyError, ValueError, TypeError) as exc:
            raise AdapterError(f"{path / MANIFEST}: bad manifest ({exc})") from None


@dataclass(frozen=True)
class Resolution:
    """The adapters to apply to one request, each with its weight (empty: the base model)."""

    adapters: tuple[tuple[AdapterInfo, float], ...] = ()
    combination: Literal["priority", "weighted"] = "priority"

    @property
    def names(self) -> list[str]:
        return [a.name for a, _ in self.adapters]

    @property
    def key(self) -> str:
        """A stable name for this combination (what the runtime caches it under)."""
        if len(self.adapters) == 1:
            return self.adapters[0][0].name
        return "mix-" + "+".join(f"{a.name}@{w:g}" for a, w in self.adapters)


def checksum_of(directory: Path) -> str:
    """SHA-256 over the adapter files of ``directory`` (names and contents)."""
    h = hashlib.sha256()
    for name in ADAPTER_FILES:
        h.update(name.encode() + b"\0")
        with open(directory / name, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return "sha256:" + h.hexdigest()


def default_store_dir() -> Path:
    """``$PTMO_ADAPTER_DIR`` or the user data directory's ``adapters`` folder."""
    override = os.environ.get("PTMO_ADAPTER_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("ptmo-middleware")) / "adapters"


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


class AdapterStore:
    """A directory of adapters with manifests; see the module docstring."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root else default_store_dir()

    # -- settings ----------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """``{"combination": ..., "weights": {...}, "active": {"level:owner": name}}``."""
        path = self.root / STORE_FILE
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        data.setdefault("combination", "priority")
        data["weights"] = {**DEFAULT_WEIGHTS, **data.get("weights", {})}
        data.setdefault("active", {})
        return data

    def configure(self, combination: Literal["priority", "weighted"] | None = None,
                  weights: dict[str, float] | None = None) -> dict[str, Any]:
        """Set how levels combine and the per-level weights of the weighted combination."""
        data = self.settings()
        if combination is not None:
            if combination not in ("priority", "weighted"):
                raise AdapterError("combination must be 'priority' or 'weighted'")
            data["combination"] = combination
        for level, w in (weights or {}).items():
            data["weights"][AdapterLevel(level).value] = float(w)
        self.root.mkdir(parents=True, exist_ok=True)
        _write_json(self.root / STORE_FILE, data)
        return data

    # -- adapters ----------------------------------------------------------------------
    def add(self, source: str | os.PathLike[str], name: str, level: AdapterLevel | str = AdapterLevel.PERSONAL,
            owner: str | None = None, base_model: str | None = None, metrics: dict[str, Any] | None = None,
            overwrite: bool = False) -> AdapterInfo:
        """Copy a PEFT adapter directory into the store under ``name`` with its manifest.

        ``base_model`` and ``metrics`` default to what the trainer wrote in ``training.json``.
        """
        src = Path(source)
        level = AdapterLevel(level)
        if not _NAME.match(name):
            raise AdapterError(f"adapter name {name!r}: use letters, digits, '.', '_' or '-'")
        if (level is AdapterLevel.GENERAL) != (owner is None):
            raise AdapterError("a personal adapter needs its user and a group adapter its group as owner; "
                               "a general adapter has no owner")
        missing = [f for f in ADAPTER_FILES if not (src / f).is_file()]
        if missing:
            raise AdapterError(f"{src} is not a PEFT adapter directory: missing {', '.join(missing)}")
        training = json.loads((src / "training.json").read_text()) if (src / "training.json").is_file() else {}
        if base_model is None:
            base_model = training.get("base_model") or json.loads(
                (src / "adapter_config.json").read_text()).get("base_model_name_or_path") or "unknown"
        if metrics is None:
            metrics = training.get("result") or {}
        target = self.root / name
        if target.exists():
            if not overwrite:
                raise AdapterError(f"adapter {name!r} already exists in {self.root}")
            shutil.rmtree(target)
        tmp = self.root / f".{name}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for f in (*ADAPTER_FILES, "training.json"):
            if (src / f).is_file():
                shutil.copy2(src / f, tmp / f)
        info = AdapterInfo(name, level, owner, base_model,
                           datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
                           checksum_of(tmp), metrics, target)
        _write_json(tmp / MANIFEST, info.manifest())
        tmp.rename(target)
        return info

    def get(self, name: str) -> AdapterInfo:
        """The adapter called ``name``; :class:`AdapterError` when there is none."""
        path = self.root / name
        if not _NAME.match(name) or not (path / MANIFEST).is_file():
            raise AdapterError(f"no adapter {name!r} in {self.root}")
        return AdapterInfo.from_manifest(json.loads((path / MANIFEST).read_text(encoding="utf-8")), path)

    def list(self, level: AdapterLevel | str | None = None, owner: str | None = None) -> list[AdapterInfo]:
        """Stored adapters, optionally of one level and/or owner, oldest first."""
        if not self.root.is_dir():
            return []
        found = [self.get(p.name) for p in self.root.iterdir() if (p / MANIFEST).is_file()]
        if level is not None:
            found = [a for a in found if a.level is AdapterLevel(level)]
        if owner is not None:
            found = [a for a in found if a.owner == owner]
        return sorted(found, key=lambda a: (a.created, a.name))

    def remove(self, name: str) -> None:
        """Delete an adapter (and forget it where it was in use)."""
        info = self.get(name)
        shutil.rmtree(info.path)
        data = self.settings()
        data["active"] = {k: v for k, v in data["active"].items() if v != name}
        _write_json(self.root / STORE_FILE, data)

    def verify(self, name: str) -> AdapterInfo:
        """The adapter, after checking its files against the manifest's checksum."""
        info = self.get(name)
        actual = checksum_of(info.path)
        if actual != info.checksum:
            raise AdapterError(f"adapter {name!r} fails its checksum (manifest {info.checksum}, files {actual})")
        return info

    def use(self, name: str) -> AdapterInfo:
        """Make ``name`` the adapter in use for its level and owner."""
        info = self.get(name)
        data = self.settings()
        data["active"][f"{info.level.value}:{info.owner or ''}"] = name
        self.root.mkdir(parents=True, exist_ok=True)
        _write_json(self.root / STORE_FILE, data)
        return info

    # -- resolution --------------------------------------------------------------------
    def _pick(self, level: AdapterLevel, owner: str | None, candidates: list[AdapterInfo],
              active: dict[str, str]) -> AdapterInfo | None:
        mine = [a for a in candidates if a.level is level and a.owner == owner]
        chosen = active.get(f"{level.value}:{owner or ''}")
        for a in mine:
            if a.name == chosen:
                return a
        return mine[-1] if mine else None

    def resolve(self, user: str | None = None, groups: Sequence[str] = (),
                base_model: str | None = None) -> Resolution:
        """The adapters for a request of ``user`` (member of ``groups``, in order of
        preference), restricted to adapters of ``base_model`` when given."""
        data = self.settings()
        candidates = [a for a in self.list() if base_model is None or a.base_model == base_model]
        personal = self._pick(AdapterLevel.PERSONAL, user, candidates, data["active"]) if user else None
        group = next((g for g in (self._pick(AdapterLevel.GROUP, name, candidates, data["active"])
                                  for name in groups) if g), None)
        general = self._pick(AdapterLevel.GENERAL, None, candidates, data["active"])
        per_level = [a for a in (personal, group, general) if a is not None]
        if not per_level:
            return Resolution((), data["combination"])
        if data["combination"] == "weighted" and len(per_level) > 1:
            return Resolution(tuple((a, data["weights"][a.level.value]) for a in per_level), "weighted")
        return Resolution(((per_level[0], 1.0),), data["combination"])
