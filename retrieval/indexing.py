"""Corpus → vector store: idempotent (upsert changed chunks, delete vanished ones)."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable

from pydantic import BaseModel
from tqdm import tqdm

from retrieval.chunking import Chunk
from retrieval.embeddings import Embedder
from retrieval.store import VectorStore

ProgressFactory = Callable[[int, str], "tqdm[object]"]


class IndexReport(BaseModel):
    total: int
    added: int
    updated: int
    deleted: int
    unchanged: int


def chunk_hash(chunk: Chunk, model: str) -> str:
    return hashlib.sha256(f"{model}\x00{chunk.embed_text}\x00{chunk.model_dump_json()}".encode()).hexdigest()[:32]


def sync_index(
    chunks: list[Chunk],
    store: VectorStore,
    embedder: Embedder,
    rebuild: bool = False,
    progress: bool = True,
    batch_size: int = 64,
    known: dict[str, str] | None = None,
) -> IndexReport:
    """Make the store hold exactly these chunks; embed only what changed.

    `known`: the chunks (id → hash) this process last indexed. An embedded store does not show this process
    vectors another process (the `add` command) wrote, so chunks new to this process are written again
    (their vectors come from the embedding cache).
    """
    if rebuild:
        store.reset()
    existing = store.ids_and_hashes()
    wanted = {c.id: (c, chunk_hash(c, embedder.name)) for c in chunks}
    todo = [
        (c, h) for c, h in wanted.values() if existing.get(c.id) != h or (known is not None and known.get(c.id) != h)
    ]
    stale = [i for i in existing if i not in wanted]
    bar = tqdm(
        total=len(todo),
        desc="indexing clauses",
        unit="clause",
        disable=not progress or not todo,
        file=sys.stderr,
    )
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        vectors = embedder.embed_passages([c.embed_text for c, _ in batch])
        store.upsert([c for c, _ in batch], vectors, [h for _, h in batch])
        bar.update(len(batch))
    bar.close()
    if stale:
        store.delete(stale)
    added = sum(1 for c, _ in todo if c.id not in existing)
    return IndexReport(
        total=len(chunks),
        added=added,
        updated=len(todo) - added,
        deleted=len(stale),
        unchanged=len(chunks) - len(todo),
    )
