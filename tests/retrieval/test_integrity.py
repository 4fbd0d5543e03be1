"""Nothing lost: one index writer at a time (a file lock), and a broken index or embedding cache found at
start, set aside with a clear message and rebuilt."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from retrieval.embeddings import EmbeddingCache
from retrieval.service import build_searcher, index_lock
from retrieval.settings import IndexSettings

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture
def data(settings, assistant, tmp_path) -> Path:
    """A data directory with the test index's embedding cache (so building an index embeds nothing)."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(settings.embedding_cache_path, folder / "embeddings.sqlite")
    return folder


def _settings(data: Path) -> IndexSettings:
    return IndexSettings(POLICY_QA_DATA_DIR=data, CHROMA_HOST="")


def _break(path: Path, how: str) -> None:
    if how == "garbage":
        path.write_bytes(os.urandom(64 * 1024))
    else:  # half written: the first half of a good file
        content = path.read_bytes()
        path.write_bytes(content[: len(content) // 2])


@pytest.mark.parametrize("how", ["garbage", "half-written"])
def test_a_broken_index_is_set_aside_and_rebuilt_at_start(data, how, caplog):
    s = _settings(data)
    searcher, _ = build_searcher(s, progress=False)
    total = searcher.store.count()
    del searcher
    _break(s.chroma_path / "chroma.sqlite3", how)
    with caplog.at_level(logging.ERROR, logger="policy-qa.index"):
        searcher, report = build_searcher(s, progress=False)
    [record] = [r for r in caplog.records if r.name == "policy-qa.index"]
    aside = searcher.store.recovered
    assert aside is not None and aside.exists() and aside.name.startswith("chroma.corrupt-")
    assert record.getMessage().startswith(f"the search index at {s.chroma_path} is unreadable (")
    assert record.getMessage().endswith(f"): moved it to {aside}; rebuilding it from the corpus")
    assert report is not None and (report.added, report.unchanged) == (total, 0)
    assert searcher.store.count() == total
    hits = searcher.search("委托知识产权服务机构开展专利导航", k=3)
    assert hits and hits[0].clause.doc_id.startswith("xicheng")


@pytest.mark.parametrize("how", ["garbage", "half-written"])
def test_a_broken_embedding_cache_is_set_aside_and_started_empty(data, how, caplog):
    path = data / "embeddings.sqlite"
    _break(path, how)
    with caplog.at_level(logging.ERROR, logger="policy-qa.index"):
        cache = EmbeddingCache(path)
    assert cache.recovered is not None and cache.recovered.exists()
    [record] = [r for r in caplog.records if r.name == "policy-qa.index"]
    assert record.getMessage().startswith(f"the embedding cache {path} is unreadable (")
    assert record.getMessage().endswith(
        f"): moved it to {cache.recovered} and starting an empty cache (vectors are computed again as needed)"
    )
    cache.put_many({"k": [0.5, 0.25]})
    assert cache.get_many(["k", "other"]) == {"k": [0.5, 0.25]}
    assert EmbeddingCache(path).recovered is None  # the new one reads whole


def test_a_good_cache_and_index_are_kept(data, caplog):
    s = _settings(data)
    build_searcher(s, progress=False)
    with caplog.at_level(logging.ERROR, logger="policy-qa.index"):
        searcher, report = build_searcher(s, progress=False)
    assert searcher.store.recovered is None and report is not None and report.added == 0
    assert [r for r in caplog.records if r.name == "policy-qa.index"] == []


def _ingest(data: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env |= {"POLICY_QA_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    return subprocess.Popen(
        [sys.executable, "-m", "retrieval", "ingest"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_an_ingest_waits_for_the_index_lock(data):
    s = _settings(data)
    with index_lock(s):
        proc = _ingest(data)
        assert proc.stderr is not None
        waiting = ""
        for line in proc.stderr:  # it says it waits, and does
            waiting = line
            if "another process is updating the index" in line:
                break
        assert waiting.strip() == f"another process is updating the index in {data}; waiting for it to finish"
        assert proc.poll() is None
        assert not (data / "chroma").exists()
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert ", 0 updated, 0 deleted, 0 unchanged" in out


def test_two_ingests_at_once_leave_one_whole_index(data):
    first, second = _ingest(data), _ingest(data)
    results = [p.communicate(timeout=600) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], [err[-2000:] for _, err in results]
    outs = sorted(out for out, _ in results)
    total = int(outs[0].split(": ", 1)[1].split(" chunks")[0])
    assert "0 added, 0 updated, 0 deleted" in outs[0] or "0 added, 0 updated, 0 deleted" in outs[1]
    searcher, report = build_searcher(_settings(data), progress=False)
    assert searcher.store.recovered is None and report is not None
    assert (searcher.store.count(), report.added, report.updated) == (total, 0, 0)
