"""Attaching LoRA adapters to one loaded base model and switching between them per request.

The base model is loaded once; :class:`AdapterRuntime` loads each adapter the first time
it is asked for (checking a stored adapter's checksum), keeps the most recently used ones
attached, builds weighted combinations with PEFT's ``add_weighted_adapter`` (``cat``:
the combined update is exactly the weighted sum of the adapters' updates), and activates
the right one, or none, for the duration of a ``with`` block.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from .adapters import ADAPTER_FILES, AdapterError, AdapterStore, Resolution, checksum_of

AdapterRef = str | Resolution | None
"""What to activate: a store adapter name, an adapter directory, a :class:`Resolution`,
or ``None`` / an empty resolution for the plain base model."""


def _internal_name(ref: str) -> str:
    # PEFT uses adapter names as module keys: no dots; stable for the same reference.
    return "a_" + hashlib.sha256(ref.encode()).hexdigest()[:16]


class AdapterRuntime:
    """Adapters on top of one base model, switched without reloading the model."""

    def __init__(self, base_model: Any, store: AdapterStore | None = None, max_loaded: int = 8) -> None:
        self.base_model = base_model
        self.store = store
        self.max_loaded = max_loaded
        self.peft_model: Any = None
        self._loaded: OrderedDict[str, None] = OrderedDict()
        self._names: dict[str, str] = {}  # reference (store name or directory) -> internal name
        self._lock = threading.RLock()

    @property
    def loaded(self) -> list[str]:
        """Internal names of the attached adapters, least recently used first."""
        return list(self._loaded)

    def _path_of(self, ref: str) -> Path:
        if self.store is not None and not Path(ref).is_dir():
            return self.store.verify(ref).path
        path = Path(ref)
        if not all((path / f).is_file() for f in ADAPTER_FILES):
            raise AdapterError(f"{ref!r} is neither an adapter in the store nor a PEFT adapter directory")
        return path

    def _attach(self, ref: str, checksum: str | None = None) -> str:
        name = self._names.get(ref)
        if name is None or name not in self._loaded:
            path = self._path_of(ref)
            if checksum is not None and checksum_of(path) != checksum:
                raise AdapterError(f"adapter at {path} fails its manifest checksum")
            name = self._names[ref] = _internal_name(str(path.resolve()))
        if name in self._loaded:
            self._loaded.move_to_end(name)
            return name
        if self.peft_model is None:
            from peft import PeftModel

            self.peft_model = PeftModel.from_pretrained(self.base_model, str(path), adapter_name=name)
            self.peft_model.eval()
        else:
            self.peft_model.load_adapter(str(path), adapter_name=name)
        self._loaded[name] = None
        return name

    def _combine(self, parts: list[tuple[str, float]]) -> str:
        name = _internal_name("mix:" + "|".join(f"{n}@{w!r}" for n, w in parts))
        if name in self._loaded:
            self._loaded.move_to_end(name)
        else:
            self.peft_model.add_weighted_adapter([n for n, _ in parts], [w for _, w in parts], name,
                                                 combination_type="cat")
            self._loaded[name] = None
        return name

    def _evict(self, keep: set[str]) -> None:
        for name in list(self._loaded):
            if len(self._loaded) <= self.max_loaded:
                break
            if name not in keep:
                self.peft_model.delete_adapter(name)
                del self._loaded[name]

    def prepare(self, target: AdapterRef) -> str | None:
        """Attach what ``target`` needs and return the adapter name to activate (``None``: base)."""
        if isinstance(target, Resolution):
            refs = [(str(a.path), a.checksum, w) for a, w in target.adapters]
        else:
            refs = [(target, None, 1.0)] if target else []
        with self._lock:
            if not refs:
                return None
            names = [(self._attach(ref, checksum), w) for ref, checksum, w in refs]
            chosen = names[0][0] if len(names) == 1 and names[0][1] == 1.0 else self._combine(names)
            self._evict({chosen, *(n for n, _ in names)})
            return chosen

    @contextmanager
    def activated(self, target: AdapterRef) -> Iterator[Any]:
        """Within the block, the model answers with ``target``'s adapter(s) (or none).

        Holds the runtime's lock: requests with different adapters take turns.
        """
        with self._lock:
            name = self.prepare(target)
            if name is None:
                if self.peft_model is None:
                    yield self.base_model
                else:
                    with self.peft_model.disable_adapter():
                        yield self.peft_model
                return
            self.peft_model.set_adapter(name)
            yield self.peft_model
