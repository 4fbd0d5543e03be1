"""Command line: run suites and write results and a report.

python -m evals run SUITE [SUITE …] [--mode extractive|llm] [--out results.json]
    [--report report.html] [--fail-under METRIC=VALUE …] [--only ID …]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from evals.loader import SuiteError, load_suite
from evals.metrics import Metrics, by_category, compute
from evals.report import render
from evals.runner import run_cases


def parse_thresholds(items: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise SuiteError(f"--fail-under takes METRIC=VALUE, e.g. citation_recall=0.95; got {item!r}")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise SuiteError(f"--fail-under {item!r}: {value!r} is not a number") from None
    return out


def missed(metrics: Metrics, thresholds: dict[str, float]) -> list[str]:
    problems = []
    for name, floor in thresholds.items():
        value = metrics.value(name)
        if value is None or value < floor:
            problems.append(f"{name} = {value} is below {floor}")
    return problems


def _run(args: argparse.Namespace) -> int:
    thresholds = parse_thresholds(args.fail_under)
    for name in thresholds:
        Metrics.model_fields[name] if name in Metrics.model_fields else Metrics.value(compute([]), name)
    cases = [c for path in args.suites for c in load_suite(Path(path))]
    if args.only:
        cases = [c for c in cases if c.id in set(args.only)]
    from assistant.service import build_assistant

    assistant = build_assistant(progress=not args.quiet)
    if args.mode == "llm":
        from assistant.service import build_llm_answerer

        answer_fn = build_llm_answerer(assistant)
    else:
        answer_fn = assistant.answer
    results = run_cases(cases, answer_fn, assistant.corpus, assistant, progress=not args.quiet)
    overall = compute(results)
    categories = by_category(results)
    print(f"{overall.passed}/{overall.cases} cases passed")
    width = max((len(n) for n in categories), default=8)
    print(f"{'category':<{width}}  cases  passed  amount   cit.recall  must_incl")
    for name, m in categories.items():
        amount = f"{m.amount_exact:.2f}" if m.amount_exact is not None else "  — "
        recall = f"{m.citation_recall:.2f}" if m.citation_recall is not None else "  — "
        inc = f"{m.must_include:.2f}" if m.must_include is not None else "  — "
        print(f"{name:<{width}}  {m.cases:>5}  {m.passed:>6}  {amount:>6}   {recall:>9}  {inc:>9}")
    for key, value in overall.model_dump().items():
        if key not in ("cases", "passed"):
            print(f"  {key}: {value if not isinstance(value, float) else round(value, 4)}")
    if args.out:
        Path(args.out).write_text(
            json.dumps(
                {
                    "metrics": overall.model_dump(),
                    "categories": {k: v.model_dump() for k, v in categories.items()},
                    "results": [r.model_dump() for r in results],
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    if args.report:
        title = "政策问答助手 评测报告 — " + ", ".join(Path(s).name for s in args.suites)
        Path(args.report).write_text(render(results, overall, categories, title), encoding="utf-8")
    problems = missed(overall, thresholds)
    for p in problems:
        print(f"FAIL: {p}", file=sys.stderr)
    return 1 if problems else 0


def _from_feedback(db: str | None, out: str | None) -> int:
    from assistant.feedback import FeedbackStore, to_eval_case
    from assistant.settings import get_settings

    path = Path(db) if db else get_settings().data_dir / "feedback.sqlite"
    if not path.exists():
        raise SuiteError(f"{path}: no feedback stored yet (thumbs up/down on the chat page write it)")
    lines = [json.dumps(to_eval_case(f), ensure_ascii=False) for f in FeedbackStore(path).all()]
    text = "\n".join(lines) + ("\n" if lines else "")
    if out:
        Path(out).write_text(text, encoding="utf-8")
        print(f"{len(lines)} cases written to {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _export(suite: str, url: str, out: str | None) -> int:
    """A promptfoo config: the app's HTTP API as the provider, must_include/must_not_include as asserts."""
    import yaml

    tests = []
    for case in load_suite(Path(suite)):
        asserts: list[dict[str, object]] = [{"type": "icontains", "value": p} for p in case.expected.must_include]
        asserts += [{"type": "not-icontains", "value": p} for p in case.expected.must_not_include]
        if case.expected.amount_yuan is not None:
            asserts.append(
                {
                    "type": "javascript",
                    "value": f"JSON.parse(output).calculation?.amount_yuan === {case.expected.amount_yuan}",
                }
            )
        if case.expected.should_refuse:
            asserts.append({"type": "javascript", "value": "JSON.parse(output).refused === true"})
        history = [{"role": "user", "content": t} for t in case.messages[:-1]]
        tests.append(
            {
                "description": f"{case.id} ({case.category})",
                "vars": {"message": case.messages[-1], "history": history},
                "assert": asserts,
            }
        )
    config = {
        "description": f"政策问答助手 — {Path(suite).name}",
        "providers": [
            {
                "id": url,
                "config": {
                    "method": "POST",
                    "headers": {"Content-Type": "application/json"},
                    "body": {"message": "{{message}}", "history": "{{history | dump}}"},
                    "transformResponse": "JSON.stringify(json)",
                },
            }
        ],
        "tests": tests,
    }
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    if out:
        Path(out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals", description="评测: run suites against expected answers")
    sub = parser.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="run suites")
    run.add_argument("suites", nargs="+")
    run.add_argument("--mode", choices=["extractive", "llm"], default="extractive")
    run.add_argument("--out", help="write results.json here")
    run.add_argument("--report", help="write report.html here")
    run.add_argument("--fail-under", action="append", default=[], metavar="METRIC=VALUE")
    run.add_argument("--only", nargs="*", help="run only these case ids")
    run.add_argument("--quiet", action="store_true")
    fb = sub.add_parser("from-feedback", help="export thumbs up/down feedback as an eval suite (JSONL)")
    fb.add_argument("--db", help="the feedback SQLite file (default: POLICY_QA_DATA_DIR/feedback.sqlite)")
    fb.add_argument("--out", help="write here instead of standard output")
    ex = sub.add_parser("export", help="write a suite as a promptfoo config (the app's HTTP API as provider)")
    ex.add_argument("suite")
    ex.add_argument("--format", choices=["promptfoo"], default="promptfoo")
    ex.add_argument("--url", default="http://127.0.0.1:7860/api/chat")
    ex.add_argument("--out")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "export":
            return _export(args.suite, args.url, args.out)
        if args.cmd == "from-feedback":
            return _from_feedback(args.db, args.out)
        return _run(args)
    except (SuiteError, KeyError) as e:
        print(f"错误: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
