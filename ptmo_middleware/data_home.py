"""Where ptmo-middleware keeps its files: the user data directory (platformdirs), or
``$PTMO_DATA_HOME`` where set."""
from __future__ import annotations

import os
from pathlib import Path


def data_file(name: str) -> Path:
    """``name`` in the data directory (not created here)."""
    base = os.environ.get("PTMO_DATA_HOME")
    if base:
        return Path(base) / name
    import platformdirs

    return platformdirs.user_data_path("ptmo-middleware", appauthor=False) / name
