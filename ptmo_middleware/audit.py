"""The audit log: one JSON line per decision, never any raw text of a prompt.

A ``plan`` record is written when a request is planned and a ``send`` record for each
body that leaves the device (a retry is another one, with its ``attempt`` number). Each holds the time (UTC), principal, conversation
id, request id, route, level, span types with their counts, the SHA-256 of what leaves
the device (:meth:`Plan.payload_hash`), the budget the plan costs (``plan``) or spent
(``send``), and the policy's name and version.
Span texts, parts, placeholders' originals and payloads are never written: the hash
lets an auditor check a payload they hold without the log holding it.

The file is append-only (``O_APPEND``, one ``write`` per record, mode 0600) and safe to
share between threads. A record that cannot be written raises :class:`AuditLogError`,
so a decision is never acted on without being recorded.
"""
from __future__ import annotations

import datetime as _dt
import importlib.metadata
import json
import os
import re
import threading
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .data_home import data_file
from .errors import PtmoError
from .tools import wire_text
from .types import Message, Plan, messages_hash

#: Schema version of a record (``"v"``).
SCHEMA_VERSION = 1
#: ``audit_log = "default"`` resolves to this file in the user data directory.
DEFAULT_FILE_NAME = "audit.jsonl"


class AuditLogError(PtmoError):
    """The audit log cannot be written or read."""


def default_path() -> Path:
    """``audit.jsonl`` in the data directory (``$PTMO_DATA_HOME`` overrides it)."""
    return data_file(DEFAULT_FILE_NAME)


def resolve_path(setting: str | os.PathLike[str] | None) -> Path | None:
    """The log file a ``Settings.audit_log`` value names: ``None`` or ``""`` is off,
    ``"default"`` the user data directory, anything else a path."""
    if setting is None or str(setting).strip() == "":
        return None
    if str(setting).strip().lower() == "default":
        return default_path()
    return Path(setting).expanduser()


def utc_now() -> str:
    """The current time as ISO 8601 UTC with microseconds (``...Z``)."""
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@lru_cache(maxsize=256)
def _version_of_module(module: str) -> str | None:
    top = module.split(".", 1)[0]
    if top == "ptmo_middleware":
        from . import __version__
        return __version__
    for dist in importlib.metadata.packages_distributions().get(top, []):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def component_version(component: Any) -> str | None:
    """A component's ``version`` attribute, else the version of the distribution that
    ships its module (ptmo-middleware's own for built-in plugins)."""
    version = getattr(component, "version", None)
    if version is not None:
        return str(version)
    return _version_of_module(type(component).__module__)


class AuditLog:
    """Append-only JSON-lines audit log at ``path``. Thread-safe."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._fd: int | None = None

    def _open(self) -> int:
        if self._fd is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            except OSError as exc:
                raise AuditLogError(f"cannot open audit log {self.path}: {exc.strerror}") from None
        return self._fd

    def write(self, record: dict[str, Any]) -> None:
        """Append one record as a single line (one ``write`` call)."""
        line = (json.dumps(record, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")
        with self._lock:
            fd = self._open()
            try:
                written = os.write(fd, line)
            except OSError as exc:
                raise AuditLogError(f"cannot write audit log {self.path}: {exc.strerror}") from None
            if written != len(line):
                # Cut the torn record off, so the next one starts on a line of its own.
                end = os.lseek(fd, 0, os.SEEK_END)
                os.ftruncate(fd, end - written)
                raise AuditLogError(f"cannot write audit log {self.path}: short write "
                                    f"({written} of {len(line)} bytes; disk full?)")

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def __del__(self) -> None:
        if getattr(self, "_fd", None) is not None:
            os.close(self._fd)  # type: ignore[arg-type]

    def record_plan(self, plan: Plan, policy_version: str | None = None) -> dict[str, Any]:
        """Record the decision a plan holds; return the record written."""
        record = _base(plan, "plan")
        record.update({
            "level": plan.level.name,
            "decomposer": plan.decomposer,
            "policy": plan.policy,
            "policy_version": policy_version,
            "budget_cost": float(plan.budget_cost),
            "span_types": dict(sorted(Counter(s.entity_type for s in plan.spans).items())),
            "n_spans": len(plan.spans),
            "n_parts": len(plan.parts),
            "n_parts_cloud": len(plan.cloud_parts),
            "payload_hash": plan.payload_hash() if plan.cloud_messages else None,
            "n_cloud_messages": len(plan.cloud_messages),
            "cloud_chars": sum(len(wire_text(m)) for m in plan.cloud_messages),
            "failed_classifiers": list(plan.classification.failed),
            "shield_overrides": len(plan.notes),
        })
        self.write(record)
        return record

    def record_send(self, plan: Plan, messages: Sequence[Message], *, backend: str,
                    budget_spent: float | None = None, attempt: int = 1) -> dict[str, Any]:
        """Record that ``messages`` leave the device for ``backend`` on behalf of ``plan``,
        charging ``budget_spent`` (default: the plan's cost; 0 for a retry, which the
        first attempt paid for). One record per body sent: ``attempt`` counts them
        within the request. ``matches_plan`` is false when the messages differ from what
        the plan decided."""
        sent_hash = messages_hash(list(messages))
        record = _base(plan, "send")
        record.update({
            "backend": backend,
            "policy": plan.policy,
            "payload_hash": sent_hash,
            "matches_plan": sent_hash == plan.payload_hash(),
            "n_cloud_messages": len(messages),
            "cloud_chars": sum(len(wire_text(m)) for m in messages),
            "budget_spent": float(budget_spent if budget_spent is not None
                                  else plan.budget_cost if attempt == 1 else 0.0),
            "attempt": attempt,
        })
        self.write(record)
        return record


def _base(plan: Plan, event: str) -> dict[str, Any]:
    return {
        "v": SCHEMA_VERSION,
        "event": event,
        "time": utc_now(),
        "principal": plan.principal,
        "conversation_id": plan.conversation_id,
        "request_id": plan.request_id,
        "route": plan.route.value,
    }


# -- reading ------------------------------------------------------------------------------
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_time(value: str, now: _dt.datetime | None = None) -> _dt.datetime:
    """An ISO 8601 date/time (naive ones are UTC) or a duration back from now (``"30m"``,
    ``"2h"``, ``"7d"``), as an aware UTC datetime."""
    m = _DURATION.match(value)
    if m:
        now = now or _dt.datetime.now(_dt.timezone.utc)
        return now - _dt.timedelta(seconds=float(m.group(1)) * _UNIT_S[m.group(2).lower()])
    try:
        t = _dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise AuditLogError(f"bad time {value!r}: use ISO 8601 (2026-01-31T12:00) or a duration (30m, 2h, 7d)") from None
    return t.replace(tzinfo=_dt.timezone.utc) if t.tzinfo is None else t.astimezone(_dt.timezone.utc)


def read_records(path: str | os.PathLike[str], *, principal: str | None = None,
                 route: str | None = None, event: str | None = None,
                 conversation_id: str | None = None, since: str | None = None,
                 until: str | None = None) -> Iterator[dict[str, Any]]:
    """Records of the log at ``path`` matching every filter given, oldest first.
    A line that is not a JSON object (a torn last line after a crash) is skipped."""
    lo = parse_time(since) if since else None
    hi = parse_time(until) if until else None
    try:
        f = open(path, encoding="ascii", errors="replace")
    except FileNotFoundError:
        raise AuditLogError(f"no audit log at {path} (set audit_log in the settings to enable it)") from None
    with f:
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if not isinstance(rec, dict):
                continue
            if _matches(rec, principal=principal, route=route, event=event,
                        conversation_id=conversation_id, lo=lo, hi=hi):
                yield rec


def _matches(rec: dict[str, Any], *, principal: str | None, route: str | None, event: str | None,
             conversation_id: str | None, lo: _dt.datetime | None, hi: _dt.datetime | None) -> bool:
    wanted = {"principal": principal, "route": route, "event": event, "conversation_id": conversation_id}
    if any(v is not None and rec.get(k) != v for k, v in wanted.items()):
        return False
    if lo is None and hi is None:
        return True
    try:
        t = parse_time(str(rec.get("time", "")))
    except AuditLogError:
        return False
    return (lo is None or t >= lo) and (hi is None or t <= hi)


def summarize(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Totals over records: count by event and by route, budget spent by principal."""
    by_event: Counter[str] = Counter()
    by_route: Counter[str] = Counter()
    spent: dict[str, float] = {}
    for r in records:
        by_event[str(r.get("event"))] += 1
        if r.get("event") == "plan":
            by_route[str(r.get("route"))] += 1
        if r.get("event") == "send":
            p = str(r.get("principal"))
            spent[p] = spent.get(p, 0.0) + float(r.get("budget_spent") or 0.0)
    return {"events": dict(by_event), "plans_by_route": dict(by_route), "budget_spent_by_principal": spent}
