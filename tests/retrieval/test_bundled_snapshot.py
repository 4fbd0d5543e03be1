"""The five bundled sources keep every clause id, locator and text through the general parser.

The snapshot was written from the per-source parser before the corpus became an input; regenerate it
only on purpose: `python -m tests.retrieval.test_bundled_snapshot`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from retrieval.corpus import DEFAULT_CORPUS_DIR, load_corpus

SNAPSHOT = Path(__file__).parent / "snapshots" / "bundled_clauses.json"
BUNDLED = {
    "000_71964efc8a77a636.txt",
    "001_423d60946eb60f0d.txt",
    "002_cab9f307b0a2989b.txt",
    "003_2cc35b69b6431184.txt",
    "004_5bf338b5875b77cf.txt",
}


def current() -> list[dict[str, object]]:
    corpus = load_corpus(DEFAULT_CORPUS_DIR)
    rows: list[dict[str, object]] = []
    for doc in corpus:
        primary = next(s for s in doc.meta.sources if s.role == "primary")
        if primary.file not in BUNDLED:
            continue
        for c in doc.clauses:
            rows.append(
                {
                    "id": c.id,
                    "locator": c.locator,
                    "kind": c.kind.value,
                    "labels": list(c.labels),
                    "title": c.title,
                    "heading_path": list(c.heading_path),
                    "text_sha1": hashlib.sha1(c.text.encode()).hexdigest()[:12],
                }
            )
    return rows


def test_bundled_clauses_are_unchanged() -> None:
    want = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    got = current()
    assert len(got) == len(want) == 751
    assert [(r["id"], r["locator"]) for r in got] == [(r["id"], r["locator"]) for r in want]
    assert got == want


if __name__ == "__main__":
    SNAPSHOT.write_text(json.dumps(current(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
