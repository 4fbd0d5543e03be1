"""Run cases through the assistant and check each answer against its expectations."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from decimal import Decimal

from tqdm import tqdm

from assistant import guards
from assistant.chat import Assistant
from assistant.models import Answer, Message
from evals.matching import locator_matches, phrase_in, title_matches
from evals.models import Case, CaseResult, Check, CitationExpectation
from retrieval.corpus import Corpus
from retrieval.models import Clause

AnswerFn = Callable[[str, list[Message]], Answer]


def gold_clauses(corpus: Corpus, expected: list[CitationExpectation]) -> list[list[Clause]]:
    """For each expected citation, the clauses that satisfy it."""
    out: list[list[Clause]] = []
    for e in expected:
        docs = [d for d in corpus if title_matches(e.doc, d.title, d.meta.aliases)]
        out.append([c for d in docs for c in d.clauses if locator_matches(e.article, c.locator)])
    return out


def _cited_ok(e: CitationExpectation, answer: Answer, corpus: Corpus) -> bool:
    for c in answer.citations:
        meta = corpus.document(c.doc_id).meta
        if title_matches(e.doc, c.doc_title, meta.aliases) and locator_matches(e.article, c.locator):
            return True
    return False


def assertion_text(answer: Answer) -> str:
    """What the answer asserts in its own words: without quoted clauses and calculation steps.

    Quotes reproduce the source verbatim, and the steps show intermediate values (an uncapped
    amount before the cap applies) on purpose; must_not_include judges the rest.
    """
    steps = set(answer.calculation.steps) if answer.calculation else set()
    kept = []
    for line in answer.text.splitlines():
        stripped = line.strip()
        if stripped.startswith(">"):
            continue
        body = stripped.split(". ", 1)[1] if stripped[:1].isdigit() and ". " in stripped else stripped
        if body in steps:
            continue
        kept.append(line)
    return "\n".join(kept)


def check_answer(case: Case, answer: Answer, corpus: Corpus) -> tuple[list[Check], float | None, float | None]:
    exp = case.expected
    checks: list[Check] = []
    if exp.amount_yuan is not None:
        got = answer.calculation.amount_yuan if answer.calculation else None
        ok = got is not None and Decimal(str(got)) == Decimal(str(exp.amount_yuan))
        checks.append(Check(name="amount", passed=ok, detail=f"expected {exp.amount_yuan}, got {got}"))
    recall = precision = None
    if exp.citations:
        hits = [_cited_ok(e, answer, corpus) for e in exp.citations]
        recall = sum(hits) / len(hits)
        missing = [f"{e.doc} {e.article or ''}".strip() for e, h in zip(exp.citations, hits, strict=True) if not h]
        checks.append(Check(name="citations", passed=all(hits), detail="missing: " + "; ".join(missing)))
        if answer.citations:
            relevant = 0
            for c in answer.citations:
                meta = corpus.document(c.doc_id).meta
                if any(
                    title_matches(e.doc, c.doc_title, meta.aliases) and locator_matches(e.article, c.locator)
                    for e in exp.citations
                ):
                    relevant += 1
            precision = relevant / len(answer.citations)
    for phrase in exp.must_include:
        checks.append(Check(name="must_include", passed=phrase_in(phrase, answer.text), detail=phrase))
    own_words = assertion_text(answer)
    for phrase in exp.must_not_include:
        checks.append(Check(name="must_not_include", passed=not phrase_in(phrase, own_words), detail=phrase))
    if exp.should_refuse or case.category == "out_of_scope":
        checks.append(Check(name="refusal", passed=answer.refused, detail="expected a refusal"))
    elif answer.refused:
        checks.append(Check(name="refusal", passed=False, detail="refused a question the corpus answers"))
    if exp.follow_up is not None:
        ok = (answer.follow_up is not None) == exp.follow_up
        want = "a follow-up question" if exp.follow_up else "no follow-up question"
        checks.append(Check(name="follow_up", passed=ok, detail=f"expected {want}"))
    return checks, recall, precision


def run_case(case: Case, answer_fn: AnswerFn, assistant: Assistant | None, corpus: Corpus) -> CaseResult:
    history: list[Message] = []
    messages = case.messages
    answer: Answer | None = None
    latency = 0.0
    try:
        for i, msg in enumerate(messages):
            start = time.perf_counter()
            answer = answer_fn(msg, history)
            latency = (time.perf_counter() - start) * 1000
            if i < len(messages) - 1:
                history += [Message(role="user", content=msg), Message(role="assistant", content=answer.text)]
    except Exception as e:  # a crash is a failed case, reported, not a dead run
        return CaseResult(
            id=case.id,
            category=case.category,
            question=" / ".join(messages),
            answer={},
            checks=[],
            latency_ms=0.0,
            error=f"{type(e).__name__}: {e}",
        )
    assert answer is not None
    checks, recall, precision = check_answer(case, answer, corpus)
    today = assistant.today if assistant is not None else None
    if today is not None:
        report = guards.check(answer, messages, corpus, today, assistant.rulebook if assistant else None)
        detail = "; ".join(f"{v.number} in “{v.context}”" for v in report.ungrounded) + "; ".join(report.bad_citations)
        checks.append(Check(name="grounded", passed=report.ok, detail=detail or "all numbers grounded"))
    if assistant is not None:
        scope = assistant.read(messages[-1], history).scope_regions
        if scope:
            regions = {corpus.document(c.doc_id).meta.region for c in answer.citations}
            outside = sorted(regions - set(scope))
            detail = f"cites documents of {'、'.join(outside)}" if outside else "cites only the places asked"
            checks.append(Check(name="place", passed=not outside, detail=detail))
    ranks: list[int | None] = []
    if assistant is not None and case.expected.citations:
        hits = assistant.retrieve(assistant.read(messages[-1], history), k=10)
        ids = [h.clause.id for h in hits]
        for gold in gold_clauses(corpus, case.expected.citations):
            gold_ids = {c.id for c in gold}
            ranks.append(next((i + 1 for i, cid in enumerate(ids) if cid in gold_ids), None))
    return CaseResult(
        id=case.id,
        category=case.category,
        question=" / ".join(messages),
        answer=answer.model_dump(mode="json"),
        checks=checks,
        latency_ms=latency,
        gold_ranks=ranks,
        citation_recall=recall,
        citation_precision=precision,
    )


def run_cases(
    cases: Iterable[Case],
    answer_fn: AnswerFn,
    corpus: Corpus,
    assistant: Assistant | None = None,
    progress: bool = True,
) -> list[CaseResult]:
    cases = list(cases)
    return [
        run_case(c, answer_fn, assistant, corpus)
        for c in tqdm(cases, desc="evaluating", unit="case", disable=not progress)
    ]
