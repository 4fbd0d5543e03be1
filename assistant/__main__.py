"""Command line: ask a question.

python -m assistant ask "问题" [--json] [--history FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from assistant.errors import AssistantError
from assistant.models import Answer, Message
from retrieval.errors import RetrievalError


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


def _rules_check(doc: str | None) -> int:
    from assistant.rulebook import RuleBook
    from assistant.rules_check import check_rules
    from assistant.settings import get_settings
    from retrieval.corpus import load_corpus

    settings = get_settings()
    corpus = load_corpus(settings.corpus_dir)
    try:
        book = RuleBook.load(settings.corpus_dir / "rules", corpus)
    except AssistantError as e:
        print(f"错误: {e}", file=sys.stderr)
        return 2
    problems = [p for p in check_rules(book, corpus) if doc is None or p.startswith(f"{doc}#")]
    for p in problems:
        print(p)
    print(f"{len(book.rules)} rules, {len(book.not_computable)} not computable; {len(problems)} problem(s)")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="政策问答助手")
    sub = parser.add_subparsers(dest="cmd", required=True)
    ask = sub.add_parser("ask", help="ask a question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the answer object")
    ask.add_argument("--history", help="a JSON file with earlier messages [{role, content}, …]")
    rules = sub.add_parser("rules", help="check the rule data")
    rules.add_argument("action", choices=["check"])
    rules.add_argument("--doc", help="only this document")
    args = parser.parse_args(argv)
    if args.cmd == "rules":
        return _rules_check(args.doc)
    try:
        from assistant.service import build_assistant

        assistant = build_assistant(progress=True)
        answer = assistant.answer(args.question, _load_history(args.history))
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
