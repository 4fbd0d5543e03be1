"""Files that may have been left broken (a crash, a full disk, a copy cut short): checked at start, set aside."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path


def sqlite_problem(path: Path) -> str | None:
    """None when the SQLite file is missing or reads whole; else what is wrong with it."""
    if not path.exists():
        return None
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as db:
            row = db.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as e:
        return str(e)
    result = str(row[0]) if row else "no answer to PRAGMA quick_check"
    return None if result == "ok" else result


def move_aside(path: Path) -> Path:
    """Rename a broken file or folder to NAME.corrupt-TIMESTAMP (kept for a look, never read again)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    shutil.move(str(path), str(aside))
    for suffix in ("-wal", "-shm", "-journal"):  # SQLite's side files belong to the broken copy
        side = path.with_name(path.name + suffix)
        if side.exists():
            shutil.move(str(side), str(aside.with_name(aside.name + suffix)))
    return aside
