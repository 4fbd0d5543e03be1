"""The feedback store: WAL mode, and a writer killed in the middle of its writes loses nothing it committed."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from assistant.feedback import Feedback, FeedbackStore
from assistant.models import Answer

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from assistant.feedback import Feedback, FeedbackStore
    from assistant.models import Answer

    store = FeedbackStore(Path(sys.argv[1]))
    answer = Answer(text="答" * 2000)
    for i in range(100000):
        row = store.add(Feedback(question=f"问题{i}", answer=answer, rating="up", comment="x" * 500))
        print(row, flush=True)
    """
)


def test_the_store_is_in_wal_mode(tmp_path):
    FeedbackStore(tmp_path / "f.sqlite")
    db = sqlite3.connect(tmp_path / "f.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_writer_killed_mid_writes_loses_no_committed_row(tmp_path):
    path = tmp_path / "feedback.sqlite"
    reader = FeedbackStore(path)  # another worker reading while the writer writes
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert writer.stdout is not None
    committed: list[int] = []
    seen_while_writing = 0
    for line in writer.stdout:
        committed.append(int(line))
        if len(committed) == 100:
            seen_while_writing = reader.count()
        if len(committed) == 300:
            writer.send_signal(signal.SIGKILL)
            break
    writer.wait(30)
    rest = writer.stdout.read()
    committed += [int(x) for x in rest.split()]
    assert writer.returncode == -signal.SIGKILL
    assert seen_while_writing >= 100
    after = FeedbackStore(path)
    ids = [f.id for f in after.all()]
    assert set(committed) <= set(ids)  # every row the writer was told was stored is there
    assert len(ids) - len(committed) in (0, 1)  # at most the one it was writing when killed
    assert ids == list(range(1, len(ids) + 1))
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert after.add(Feedback(question="之后", answer=Answer(text="答"), rating="down")) == len(ids) + 1
