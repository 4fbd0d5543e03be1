"""Thumbs up/down with an optional comment, stored with the question and the answer in SQLite."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from assistant.models import Answer, Message


class Feedback(BaseModel):
    question: str = Field(min_length=1, max_length=4000)
    history: list[Message] = Field(default_factory=list, max_length=50)
    answer: Answer
    rating: Literal["up", "down"]
    comment: str = Field(default="", max_length=2000)


class StoredFeedback(Feedback):
    id: int
    created: dt.datetime


class FeedbackStore:
    """SQLite in WAL mode: a row is on disk once `add` returns, a writer killed mid-way loses nothing it
    committed, readers do not block writers, and several worker processes can share the file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, created TEXT NOT NULL,"
                " question TEXT NOT NULL, history TEXT NOT NULL, answer TEXT NOT NULL, rating TEXT NOT NULL,"
                " comment TEXT NOT NULL)"
            )
            self._db.commit()

    def add(self, fb: Feedback) -> int:
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO feedback (created, question, history, answer, rating, comment) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    dt.datetime.now(dt.UTC).isoformat(),
                    fb.question,
                    json.dumps([m.model_dump() for m in fb.history], ensure_ascii=False),
                    fb.answer.model_dump_json(),
                    fb.rating,
                    fb.comment,
                ),
            )
            self._db.commit()
            return int(cur.lastrowid or 0)

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])

    def all(self) -> list[StoredFeedback]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, created, question, history, answer, rating, comment FROM feedback ORDER BY id"
            ).fetchall()
        return [
            StoredFeedback(
                id=r[0],
                created=dt.datetime.fromisoformat(r[1]),
                question=r[2],
                history=[Message.model_validate(m) for m in json.loads(r[3])],
                answer=Answer.model_validate_json(r[4]),
                rating=r[5],
                comment=r[6],
            )
            for r in rows
        ]


def to_eval_case(fb: StoredFeedback) -> dict[str, object]:
    """An eval case from feedback: a liked answer becomes the expectation; a disliked one a case to fix."""
    turns = [m.content for m in fb.history if m.role == "user"] + [fb.question]
    expected: dict[str, object] = {}
    if fb.rating == "up":
        if fb.answer.calculation:
            amount = fb.answer.calculation.amount_yuan
            expected["amount_yuan"] = int(amount) if amount == amount.to_integral_value() else float(amount)
        expected["citations"] = [{"doc": c.doc_title, "article": c.locator} for c in fb.answer.citations]
        expected["should_refuse"] = fb.answer.refused
    case: dict[str, object] = {
        "id": f"feedback-{fb.id}",
        "category": "feedback_up" if fb.rating == "up" else "feedback_down",
        "expected": expected,
        "comment": fb.comment,
        "answer_given": fb.answer.text,
    }
    if len(turns) > 1:
        case["turns"] = turns
    else:
        case["question"] = turns[0]
    return case
