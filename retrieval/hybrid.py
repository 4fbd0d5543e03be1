"""Hybrid search: dense (Chroma) and BM25 rankings fused by reciprocal rank, clause-level hits."""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from retrieval.chunking import Chunk
from retrieval.corpus import Corpus
from retrieval.embeddings import Embedder
from retrieval.lexical import BM25Index
from retrieval.models import SearchFilters, SearchHit
from retrieval.normalize import normalize
from retrieval.places import BEIJING, nearest_regions, places_named
from retrieval.store import VectorStore


class SearchMode(StrEnum):
    HYBRID = "hybrid"
    DENSE = "dense"
    LEXICAL = "lexical"

    @classmethod
    def parse(cls, value: str) -> SearchMode:
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"unknown search mode {value!r}; use one of {[m.value for m in cls]}") from None


class HybridSearcher:
    """Searches the corpus; the store and embedder are given, not built here."""

    def __init__(
        self,
        corpus: Corpus,
        chunks: list[Chunk],
        store: VectorStore,
        embedder: Embedder,
        rrf_k: int = 10,
        candidates: int = 40,
        region_boost: float = 1.5,
        lexical_weight: float = 1.3,
    ) -> None:
        if rrf_k < 1 or candidates < 1:
            raise ValueError("rrf_k and candidates must be positive")
        self.corpus = corpus
        self.store = store
        self.embedder = embedder
        self.rrf_k = rrf_k
        self.candidates = candidates
        self.region_boost = region_boost
        self.lexical_weight = lexical_weight
        self.regions = {d.meta.region for d in corpus}
        self.chunks = chunks
        self._chunk_clause = {c.id: c.clause_id for c in chunks}
        self._clause_chunks: dict[str, list[str]] = defaultdict(list)
        for c in chunks:
            self._clause_chunks[c.clause_id].append(c.id)
        self.lexical = BM25Index([c.id for c in chunks], [c.embed_text for c in chunks])

    def _allowed_chunks(self, filters: SearchFilters | None) -> set[str] | None:
        if not filters or filters == SearchFilters():
            return None
        docs = {d.id for d in self.corpus if filters.allows(d.meta)}
        return {cid for cid, clause in self._chunk_clause.items() if clause.split("#")[0] in docs}

    @staticmethod
    def _where(filters: SearchFilters | None) -> dict[str, Any] | None:
        if not filters:
            return None
        conds: list[dict[str, Any]] = []
        if filters.regions:
            conds.append({"region": {"$in": list(filters.regions)}})
        if filters.statuses:
            conds.append({"status": {"$in": [s.value for s in filters.statuses]}})
        if filters.doc_ids:
            conds.append({"doc_id": {"$in": list(filters.doc_ids)}})
        if not conds:
            return None
        return conds[0] if len(conds) == 1 else {"$and": conds}

    def dense(self, query: str, k: int, filters: SearchFilters | None = None) -> list[str]:
        vector = self.embedder.embed_query(normalize(query))
        return [h.id for h in self.store.query(vector, k, self._where(filters))]

    def lexical_ids(self, query: str, k: int, filters: SearchFilters | None = None) -> list[str]:
        return [i for i, _ in self.lexical.search(query, k, self._allowed_chunks(filters))]

    def _clauses_of(self, chunk_ids: list[str]) -> list[str]:
        """Chunk ids ranked → clause ids ranked (a clause counts at its best chunk).

        A chunk this searcher's corpus does not hold (another process is adding a document to the shared
        store) is skipped: a searcher answers from its own corpus only, never from a half-updated one.
        """
        return list(dict.fromkeys(self._chunk_clause[c] for c in chunk_ids if c in self._chunk_clause))

    def fuse(self, rankings: list[tuple[float, list[str]]]) -> dict[str, float]:
        """Weighted reciprocal-rank fusion of several rankings of ids (the one fusion of the project)."""
        scores: dict[str, float] = defaultdict(float)
        for weight, ids in rankings:
            for rank, item in enumerate(ids, 1):
                scores[item] += weight / (self.rrf_k + rank)
        return dict(scores)

    def search(
        self,
        query: str,
        k: int = 5,
        filters: SearchFilters | None = None,
        mode: SearchMode = SearchMode.HYBRID,
        prefer_regions: tuple[str, ...] = (),
    ) -> list[SearchHit]:
        """The k best clauses for the query; regions it names (or `prefer_regions`) are boosted."""
        n = max(self.candidates, k * 4)
        dense = self.dense(query, n, filters) if mode != SearchMode.LEXICAL else []
        lexical = self.lexical_ids(query, n, filters) if mode != SearchMode.DENSE else []
        dense_clauses = self._clauses_of(dense)
        lexical_clauses = self._clauses_of(lexical)
        scores = self.fuse([(1.0, dense_clauses), (self.lexical_weight, lexical_clauses)])
        dense_rank = {cid: i for i, cid in enumerate(dense_clauses, 1)}
        lexical_rank = {cid: i for i, cid in enumerate(lexical_clauses, 1)}
        # City-wide documents are the default everywhere; only the places below the city are boosted.
        wanted_regions = (nearest_regions(places_named(query), self.regions) - {BEIJING}) | set(prefer_regions)
        hits: list[SearchHit] = []
        for clause_id, score in scores.items():
            clause = self.corpus.clause(clause_id)
            doc = self.corpus.document(clause.doc_id)
            if wanted_regions and doc.meta.region in wanted_regions:
                score *= self.region_boost
            hits.append(
                SearchHit(
                    clause=clause,
                    doc_title=doc.title,
                    status=doc.meta.status,
                    score=score,
                    dense_rank=dense_rank.get(clause_id),
                    lexical_rank=lexical_rank.get(clause_id),
                )
            )
        hits.sort(key=lambda h: (-h.score, h.clause.order))
        return hits[:k]


class PolicyRetriever(BaseRetriever):
    """The hybrid searcher as a LangChain retriever (for LCEL chains and agents)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: HybridSearcher
    k: int = 5
    filters: SearchFilters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        return [
            LCDocument(
                page_content=h.clause.text,
                metadata={
                    "clause_id": h.clause.id,
                    "doc_id": h.clause.doc_id,
                    "doc_title": h.doc_title,
                    "locator": h.clause.locator,
                    "status": h.status.value,
                    "score": h.score,
                },
            )
            for h in self.searcher.search(query, self.k, self.filters)
        ]
