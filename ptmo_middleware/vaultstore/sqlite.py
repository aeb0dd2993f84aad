"""SQLite vault store: one file shared by the processes of one host (``ptmo serve
--workers N``). Each claim is one ``BEGIN IMMEDIATE`` transaction."""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Collection
from pathlib import Path

from ..data_home import data_file

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (conversation TEXT PRIMARY KEY, expires REAL NOT NULL);
CREATE INDEX IF NOT EXISTS conversations_expires ON conversations (expires);
CREATE TABLE IF NOT EXISTS entries (conversation TEXT NOT NULL, placeholder TEXT NOT NULL,
    label TEXT NOT NULL, number INTEGER NOT NULL, digest TEXT NOT NULL, value BLOB NOT NULL,
    PRIMARY KEY (conversation, placeholder), UNIQUE (conversation, digest));
"""


def default_path() -> Path:
    """``vault.sqlite3`` in the data directory (``$PTMO_DATA_HOME`` overrides it)."""
    return data_file("vault.sqlite3")


class SQLiteVaultStore:
    """Mask-map entries in a SQLite file (WAL journal)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, timeout_s: float = 10.0) -> None:
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._timeout_s = timeout_s
        self._local = threading.local()
        self._conn().executescript(_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=self._timeout_s, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def _purge(self, conn: sqlite3.Connection, now: float) -> None:
        """Delete the conversations that expired (inside the caller's transaction)."""
        expired = "SELECT conversation FROM conversations WHERE expires < ?"
        conn.execute(f"DELETE FROM entries WHERE conversation IN ({expired})", (now,))
        conn.execute("DELETE FROM conversations WHERE expires < ?", (now,))

    def claim(self, conversation_id: str, label: str, digest: str, ciphertext: bytes,
              avoid: Collection[int], ttl_s: float) -> tuple[str, bytes]:
        conn = self._conn()
        now = time.time()
        conn.execute("BEGIN IMMEDIATE")
        try:
            self._purge(conn, now)
            conn.execute("INSERT INTO conversations VALUES (?, ?) ON CONFLICT(conversation) "
                         "DO UPDATE SET expires = excluded.expires", (conversation_id, now + ttl_s))
            row = conn.execute("SELECT placeholder, value FROM entries WHERE conversation = ? AND digest = ?",
                               (conversation_id, digest)).fetchone()
            if row is None:
                top = conn.execute("SELECT MAX(number) FROM entries WHERE conversation = ? AND label = ?",
                                   (conversation_id, label)).fetchone()[0] or 0
                n = top + 1
                while n in avoid:
                    n += 1
                row = (f"[{label}_{n}]", ciphertext)
                conn.execute("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)",
                             (conversation_id, row[0], label, n, digest, ciphertext))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return row[0], bytes(row[1])

    def load(self, conversation_id: str, ttl_s: float) -> list[tuple[str, bytes]]:
        conn = self._conn()
        now = time.time()
        conn.execute("BEGIN IMMEDIATE")
        try:
            self._purge(conn, now)
            conn.execute("UPDATE conversations SET expires = ? WHERE conversation = ?", (now + ttl_s, conversation_id))
            rows = conn.execute("SELECT placeholder, value FROM entries WHERE conversation = ?",
                                (conversation_id,)).fetchall()
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return [(ph, bytes(value)) for ph, value in rows]

    def drop(self, conversation_id: str) -> None:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM entries WHERE conversation = ?", (conversation_id,))
            conn.execute("DELETE FROM conversations WHERE conversation = ?", (conversation_id,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def ping(self) -> None:
        self._conn().execute("SELECT 1").fetchone()
