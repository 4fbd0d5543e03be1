"""Command line: ask a question.

python -m assistant ask "问题" [--json] [--history FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import TypeAdapter, ValidationError

from assistant.errors import AssistantError
from assistant.models import Answer, Message
from retrieval.errors import RetrievalError

if TYPE_CHECKING:
    from assistant.rulebook import RuleBook
    from retrieval.corpus import Corpus


def _load_history(path: str | None) -> list[Message]:
    if not path:
        return []
    try:
        return TypeAdapter(list[Message]).validate_json(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValidationError) as e:
        raise AssistantError(f"--history 需要一个 JSON 列表，元素为 {{role, content}}：{e}") from e


def render(answer: Answer) -> str:
    lines = [answer.text]
    if answer.citations:
        lines.append("\n引用：")
        lines.extend(f"  《{c.doc_title}》{c.locator} [{c.status_label}]" for c in answer.citations)
    return "\n".join(lines)


def _parse(question: str, history: str | None, region: str | None) -> int:
    """The Query for a question: needs the corpus only, not the index."""
    from assistant.query import QueryReader
    from assistant.settings import get_settings
    from retrieval.corpus import load_corpus

    try:
        reader = QueryReader(load_corpus(get_settings().corpus_dir))
        query = reader.read(question, _load_history(history), region)
    except (AssistantError, RetrievalError, ValueError) as e:
        print(f"错误: {e}", file=sys.stderr)
        return 2
    print(json.dumps(query.model_dump(mode="json"), ensure_ascii=False, indent=2))
    return 0


def _load_rules() -> tuple[Corpus, RuleBook]:
    """The corpus and its rule book, or an AssistantError with the file and problem."""
    from assistant.rulebook import RuleBook
    from assistant.settings import get_settings
    from retrieval.corpus import load_corpus

    settings = get_settings()
    corpus = load_corpus(settings.corpus_dir)
    return corpus, RuleBook.load(settings.corpus_dir / "rules", corpus)


def _rules_check(doc: str | None) -> int:
    from assistant.rules_check import check_rules

    try:
        corpus, book = _load_rules()
    except AssistantError as e:
        print(f"错误: {e}", file=sys.stderr)
        return 2
    problems = [p for p in check_rules(book, corpus) if doc is None or p.startswith(f"{doc}#")]
    for p in problems:
        print(p)
    print(f"{len(book.rules)} rules, {len(book.not_computable)} not computable; {len(problems)} problem(s)")
    return 1 if problems else 0


def _rules_test(doc: str | None) -> int:
    from assistant.rulebook import RuleBook
    from assistant.rules_check import run_cases

    try:
        _corpus, book = _load_rules()
    except AssistantError as e:
        print(f"错误: {e}", file=sys.stderr)
        return 2
    if doc is not None:
        book = RuleBook([r for r in book.rules if r.doc_id == doc], book.not_computable)
    count, failures = run_cases(book)
    for f in failures:
        print(f)
    without = [r.rule.id for r in book.rules if not r.rule.cases]
    print(
        f"{count} case(s) of {len(book.rules) - len(without)} rules: {count - len(failures)} passed, "
        f"{len(failures)} failed; {len(without)} rule(s) without cases"
    )
    return 1 if failures else 0


def _rules_propose(doc_id: str | None) -> int:
    """With --doc: write corpus/rules/DOC.proposed.yaml for review; without: print every document's proposals."""
    import yaml

    from assistant.extractor import proposal_file, propose
    from assistant.settings import get_settings
    from retrieval.corpus import load_corpus

    settings = get_settings()
    try:
        corpus = load_corpus(settings.corpus_dir)
        docs = [corpus.document(doc_id)] if doc_id else list(corpus)
    except RetrievalError as e:
        print(f"错误: {e}", file=sys.stderr)
        return 2
    if doc_id:
        path = settings.corpus_dir / "rules" / f"{doc_id}.proposed.yaml"
        text, proposed, unresolved = proposal_file(docs[0])
        path.write_text(text, encoding="utf-8")
        print(
            f"{path}: {proposed} rule(s) proposed, {unresolved} clause(s) with an amount left to review; "
            f"after review save it as {doc_id}.yaml (see corpus/rules/README.md)"
        )
        return 0
    for doc in docs:
        rules = [r for c in doc.clauses for r in propose(c, doc.id)]
        if rules:
            payload = {"doc": doc.id, "rules": [r.model_dump(mode="json", exclude_defaults=True) for r in rules]}
            print(yaml.safe_dump(payload, allow_unicode=True, sort_keys=False))
    return 0


def _rules_compare() -> int:
    from assistant.extractor import propose, reproduces
    from assistant.rulebook import RuleBook
    from assistant.rules import InputKind
    from assistant.settings import get_settings
    from retrieval.corpus import load_corpus

    settings = get_settings()
    corpus = load_corpus(settings.corpus_dir)
    book = RuleBook.load(settings.corpus_dir / "rules", corpus)
    comparable = [
        b
        for b in book.rules
        if not b.rule.conditions
        and not b.rule.items
        and len([i for i in b.rule.inputs if i.default is None]) <= 1
        and all(i.kind == InputKind.MONEY for i in b.rule.inputs if i.default is None)
    ]
    hits = 0
    for b in comparable:
        clause = corpus.clause(b.clause_id)
        if any(reproduces(p, b.rule) for p in propose(clause, b.doc_id)):
            hits += 1
    print(
        f"{len(book.rules)} curated rules; {len(comparable)} have one money input (or none) and no conditions; "
        f"the extractor reproduces {hits} of them exactly ({hits / max(1, len(comparable)):.0%})."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="政策问答助手")
    sub = parser.add_subparsers(dest="cmd", required=True)
    ask = sub.add_parser("ask", help="ask a question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the answer object")
    ask.add_argument("--history", help="a JSON file with earlier messages [{role, content}, …]")
    parse = sub.add_parser("parse", help="print the typed reading of a question (the Query) as JSON")
    parse.add_argument("question")
    parse.add_argument("--history", help="a JSON file with earlier messages [{role, content}, …]")
    parse.add_argument("--region", help="the region hint of an embedding site, e.g. 西城区")
    rules = sub.add_parser("rules", help="check the rule data")
    rules.add_argument("action", choices=["check", "test", "propose", "compare"])
    rules.add_argument("--doc", help="only this document")
    args = parser.parse_args(argv)
    if args.cmd == "rules":
        if args.action == "propose":
            return _rules_propose(args.doc)
        if args.action == "compare":
            return _rules_compare()
        if args.action == "test":
            return _rules_test(args.doc)
        return _rules_check(args.doc)
    if args.cmd == "parse":
        return _parse(args.question, args.history, args.region)
    try:
        from assistant import intake
        from assistant.service import build_assistant
        from assistant.settings import get_settings

        history = _load_history(args.history)
        budget = get_settings().budget
        got = intake.take(args.question, history, None, budget)
        if not got.readable:  # nothing to read: no index needed to say so
            answer = intake.no_question()
        else:
            assistant = build_assistant(progress=True)
            answer = intake.answer(
                lambda m, h, r: assistant.answer(m, h, region=r), args.question, history, None, budget
            )
    except (AssistantError, RetrievalError, ValueError) as e:
        print(f"错误: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print(render(answer))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
