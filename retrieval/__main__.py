"""Command line: list documents, show clauses, check the manifest, keep the corpus current.

python -m retrieval documents [--json]
python -m retrieval show DOC_ID [LOCATOR]
python -m retrieval check-manifest
python -m retrieval add FILE [--title … --region … --status … --issued YYYY-MM-DD --doc-number …] [--dry-run]
python -m retrieval replace OLD_ID FILE [same options] [--dry-run]
python -m retrieval retire ID --status repealed|expired [--dry-run]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from retrieval.corpus import Corpus, load_corpus
from retrieval.errors import RetrievalError
from retrieval.models import ClauseKind, DocStatus


def _corpus() -> Corpus:
    from retrieval.settings import IndexSettings

    return load_corpus(IndexSettings().corpus_dir)


def _documents(as_json: bool) -> int:
    corpus = _corpus()
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
    corpus = _corpus()
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

    problems = check(_corpus())
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


def _ingest(rebuild: bool) -> int:
    import time

    from retrieval.service import update_index
    from retrieval.settings import IndexSettings

    settings = IndexSettings()
    corpus = load_corpus(settings.corpus_dir)
    start = time.perf_counter()
    report = update_index(settings, corpus, rebuild=rebuild)  # under the index lock
    where = f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else settings.chroma_path
    print(
        f"index at {where}: {report.total} chunks, {report.added} added, {report.updated} updated, "
        f"{report.deleted} deleted, {report.unchanged} unchanged ({time.perf_counter() - start:.1f} s)"
    )
    return 0


def _edit(args: argparse.Namespace) -> int:
    """add, replace, retire: plan, print, and (without --dry-run) write and update the index."""
    import time

    from retrieval.ingest import Library, Overrides, describe
    from retrieval.settings import IndexSettings

    settings = IndexSettings()
    library = Library(settings.corpus_dir)
    start = time.perf_counter()
    if args.cmd == "retire":
        plan = library.plan_retire(args.doc_id, DocStatus(args.status))
    else:
        overrides = Overrides(
            id=args.id,
            title=args.title,
            region=args.region,
            status=DocStatus(args.status) if args.status else None,
            issued=args.issued,
            doc_number=args.doc_number,
        )
        file = Path(args.file)
        if args.cmd == "replace":
            plan = library.plan_replace(args.old_id, file, overrides)
        else:
            plan = library.plan_add(file, overrides)
    before = library.corpus
    print(describe(plan, before))
    if plan.noop:
        return 0
    if args.dry_run:
        print("\ndry run: nothing was written. Run again without --dry-run to publish.")
        return 0
    corpus = library.apply(plan)
    parsed = time.perf_counter() - start
    written = [f"corpus/raw/{plan.raw_name}"] if plan.raw_name else []
    print(f"\nwritten: {', '.join([*written, 'corpus/manifest.yaml'])} ({parsed:.1f} s)")
    if not args.no_index:
        from retrieval.service import update_index

        t = time.perf_counter()
        report = update_index(settings, corpus, progress=True)
        print(
            f"index: {report.added} clauses added, {report.updated} updated, {report.deleted} deleted, "
            f"{report.unchanged} unchanged ({time.perf_counter() - t:.1f} s)"
        )
    if plan.meta is not None:
        print(f"next: python -m assistant rules propose --doc {plan.meta.id}   (then review corpus/rules/)")
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def _edit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--id", help="the document id (default: region-year-hash)")
    p.add_argument("--title", help="the title, when the text's first lines are not it")
    p.add_argument("--region", help="where it applies: 北京市, 西城区, 北京经济技术开发区, …")
    p.add_argument("--status", choices=[s.value for s in DocStatus], help="default: draft (征求意见稿) or in_force")
    p.add_argument("--issued", type=_date, help="date of issue, YYYY-MM-DD")
    p.add_argument("--doc-number", help="文号, e.g. 京科发〔2025〕3号")


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
    p_add = sub.add_parser("add", help="add a document (.txt .md .html .docx .pdf) to the corpus")
    p_add.add_argument("file")
    _edit_options(p_add)
    p_replace = sub.add_parser("replace", help="add a new version of a document; the old one is kept, superseded")
    p_replace.add_argument("old_id")
    p_replace.add_argument("file")
    _edit_options(p_replace)
    p_retire = sub.add_parser("retire", help="mark a document repealed or expired")
    p_retire.add_argument("doc_id")
    p_retire.add_argument("--status", required=True, choices=["repealed", "expired"])
    for p in (p_add, p_replace, p_retire):
        p.add_argument("--dry-run", action="store_true", help="print the clause tree and the entry; write nothing")
        p.add_argument("--no-index", action="store_true", help="write the corpus only; running apps index on reload")
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
        if args.cmd in ("add", "replace", "retire"):
            return _edit(args)
        if args.cmd == "search":
            return _search(args.query, args.k, args.mode, args.region)
        return _check_manifest()
    except RetrievalError as e:
        print(f"错误: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
