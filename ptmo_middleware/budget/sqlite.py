"""SQLite budget store: the default. One file, WAL journal, atomic check-and-spend.

Each spend is one ``BEGIN IMMEDIATE`` transaction that reads the account, checks the
limit, appends to the ledger (primary key: account + request id) and updates the total.
A process killed with ``kill -9`` at any instant leaves either the whole spend or none
of it; replaying the request with the same id then charges it at most once.
``synchronous=NORMAL`` in WAL mode is durable against process crashes; set
``durable=True`` (``synchronous=FULL``) to survive power loss too, at some latency.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

from .store import SpendResult, from_units
from ..data_home import data_file

_SCHEMA = """
CREATE TABLE IF NOT EXISTS totals (key TEXT PRIMARY KEY, spent INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ledger (key TEXT NOT NULL, request_id TEXT NOT NULL,
    cost INTEGER NOT NULL, ts REAL NOT NULL, PRIMARY KEY (key, request_id));
"""


def default_path() -> Path:
    """``budget.sqlite3`` in the data directory (``$PTMO_DATA_HOME`` overrides it)."""
    return data_file("budget.sqlite3")


class SQLiteStore:
    """Budget accounts in a SQLite file shared by the threads and processes of one host."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, durable: bool = False,
                 timeout_s: float = 10.0) -> None:
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._durable = durable
        self._timeout_s = timeout_s
        self._local = threading.local()
        with self._conn() as conn:
            conn.executescript(_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=self._timeout_s, isolation_level=None,
                                   check_same_thread=True)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={'FULL' if self._durable else 'NORMAL'}")
            self._local.conn = conn
        return conn

    def spend(self, key: str, cost: int, limit: int, request_id: str) -> SpendResult:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute("SELECT spent FROM totals WHERE key = ?", (key,)).fetchone()
            total = row[0] if row else 0
            if conn.execute("SELECT 1 FROM ledger WHERE key = ? AND request_id = ?",
                            (key, request_id)).fetchone():
                conn.execute("COMMIT")
                return SpendResult(True, from_units(total), duplicate=True)
            if total + cost > limit:
                conn.execute("COMMIT")
                return SpendResult(False, from_units(total))
            conn.execute("INSERT INTO ledger (key, request_id, cost, ts) VALUES (?, ?, ?, ?)",
                         (key, request_id, cost, time.time()))
            conn.execute("INSERT INTO totals (key, spent) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET spent = spent + excluded.spent", (key, cost))
            conn.execute("COMMIT")
            return SpendResult(True, from_units(total + cost))
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def spent(self, key: str) -> float:
        row = self._conn().execute("SELECT spent FROM totals WHERE key = ?", (key,)).fetchone()
        return from_units(row[0]) if row else 0.0

    def ledger_total(self, key: str) -> float:
        """Sum of the ledger of ``key`` (equals :meth:`spent`; used by consistency checks)."""
        row = self._conn().execute("SELECT COALESCE(SUM(cost), 0) FROM ledger WHERE key = ?", (key,)).fetchone()
        return from_units(row[0])

    def accounts(self) -> dict[str, float]:
        rows = self._conn().execute("SELECT key, spent FROM totals ORDER BY key").fetchall()
        return {k: from_units(v) for k, v in rows}

    def reset(self, principal: str | None = None) -> int:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            if principal is None:
                n = conn.execute("DELETE FROM totals").rowcount
                conn.execute("DELETE FROM ledger")
            else:
                pattern = principal.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "|%"
                n = conn.execute("DELETE FROM totals WHERE key LIKE ? ESCAPE '\\'", (pattern,)).rowcount
                conn.execute("DELETE FROM ledger WHERE key LIKE ? ESCAPE '\\'", (pattern,))
            conn.execute("COMMIT")
            return n
        except BaseException:
            conn.execute("ROLLBACK")
            raise
