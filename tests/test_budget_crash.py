"""The SQLite store survives ``kill -9`` mid-spend: nothing committed is lost, and a
request replayed after the crash (same request id) is not charged twice."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from ptmo_middleware.budget.sqlite import SQLiteStore

COST = 1_000  # micro-units per request
_CHILD = textwrap.dedent("""
    import sys
    from ptmo_middleware.budget.sqlite import SQLiteStore
    store = SQLiteStore(sys.argv[1])
    start = int(sys.argv[2])
    for i in range(start, start + 100_000):
        if store.spend("crash|all", {cost}, 10**15, f"req-{{i}}").granted:
            print(i, flush=True)   # reported only after the commit
""").format(cost=COST)


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_kill_9_mid_spend_loses_nothing_and_double_counts_nothing(tmp_path):
    path = tmp_path / "crash.sqlite3"
    SQLiteStore(path)
    next_id = 0
    reported: set[int] = set()
    for round_ in range(3):
        child = subprocess.Popen([sys.executable, "-c", _CHILD, str(path), str(next_id)],
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        seen = 0
        for line in child.stdout:  # let it commit a few hundred spends, then kill it mid-loop
            reported.add(int(line))
            seen += 1
            if seen >= 200 + 37 * round_:
                break
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert child.returncode == -signal.SIGKILL
        next_id = max(reported) + 1
        # the client replays what may have been in flight, with the same request ids
        store = SQLiteStore(path)
        replay = [store.spend("crash|all", COST, 10**15, f"req-{i}") for i in range(next_id - 5, next_id + 3)]
        next_id += 3
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = {int(r[0].split("-")[1]) for r in con.execute("SELECT request_id FROM ledger")}
        con.close()
        assert reported <= ids, "a spend reported as committed was lost"
        assert all(r.granted for r in replay)
        assert sum(not r.duplicate for r in replay) <= 8
        # exact: one charge per distinct request id, totals equal to the ledger
        assert store.spent("crash|all") == pytest.approx(len(ids) * COST / 1e6, abs=0)
        assert store.ledger_total("crash|all") == store.spent("crash|all")
