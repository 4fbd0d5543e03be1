"""Guards on a reply: every number must be grounded, every citation must be real.

A number in a reply is grounded when it occurs in a cited clause, in the calculation, in the
user's own words, or in the cited documents' metadata (dates, 文号). Anything else — a ratio
changed from 30% to 35%, 24万 turned into 25万, an invented cap — makes the reply a defect.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel

from assistant.binding import bind
from assistant.calculator import calculate
from assistant.facts import money
from assistant.models import Answer
from assistant.rulebook import RuleBook
from retrieval.corpus import Corpus
from retrieval.normalize import normalize, squash

_PLAIN = re.compile(r"(?<![\d.])-?\d+(?:,\d{3})*(?:\.\d+)?")
_LIST_MARKER = re.compile(r"^\s*(?:\d+[.、)]|[-*>])\s+", re.M)


class Violation(BaseModel):
    number: str
    context: str


class GuardReport(BaseModel):
    ungrounded: list[Violation]
    bad_citations: list[str]

    @property
    def ok(self) -> bool:
        return not self.ungrounded and not self.bad_citations


def _plain_numbers(text: str) -> set[Decimal]:
    out: set[Decimal] = set()
    for m in _PLAIN.finditer(text):
        try:
            out.add(Decimal(m.group(0).replace(",", "")).normalize())
        except InvalidOperation:
            continue
    return out


def _sources(
    answer: Answer, user_texts: list[str], corpus: Corpus, today: dt.date
) -> tuple[set[Decimal], set[Decimal]]:
    texts: list[str] = list(user_texts)
    for c in answer.citations:
        texts.append(c.quote)
        texts.append(c.locator)
        doc = corpus.document(c.doc_id)
        meta = doc.meta
        texts.append(doc.title)
        texts.extend(str(x) for x in (meta.doc_number, meta.issued, meta.effective) if x)
        if meta.validity:
            texts.append(meta.validity.text)
            texts.extend(str(x) for x in (meta.validity.until, meta.validity.years) if x)
            if meta.validity.until:
                u = meta.validity.until
                texts.append(f"{u.year}年{u.month}月{u.day}日")
        if meta.issued:
            texts.append(f"{meta.issued.year}年{meta.issued.month}月{meta.issued.day}日")
        texts.extend(f"{r.title} {r.doc_number or ''}" for r in meta.supersedes)
    if answer.calculation:
        texts.extend(answer.calculation.steps)
        texts.extend(answer.calculation.assumptions)
        texts.append(str(answer.calculation.amount_yuan))
        if answer.calculation.binding_limit:
            texts.append(answer.calculation.binding_limit)
    texts.append(f"{today.year}年{today.month}月{today.day}日")
    joined = normalize("\n".join(texts))
    plain = _plain_numbers(joined)
    yuan = {q.value.normalize() for q in money(joined)}
    # 24万 in a source also grounds 240000 and 24
    plain |= {v / 10000 for v in yuan} | yuan
    return plain, yuan


def check_numbers(answer: Answer, user_texts: list[str], corpus: Corpus, today: dt.date) -> list[Violation]:
    plain, yuan = _sources(answer, user_texts, corpus, today)
    text = normalize(_LIST_MARKER.sub("", answer.text))
    violations: list[Violation] = []
    spans: list[tuple[int, int]] = []
    for q in money(text):
        spans.append((q.start, q.end))
        v = q.value.normalize()
        if v in yuan or v in plain:
            continue
        violations.append(Violation(number=q.text, context=text[max(0, q.start - 12) : q.end + 12]))
    for m in _PLAIN.finditer(text):
        if any(s <= m.start() < e for s, e in spans):
            continue
        try:
            v = Decimal(m.group(0).replace(",", "")).normalize()
        except InvalidOperation:
            continue
        if v in plain:
            continue
        violations.append(Violation(number=m.group(0), context=text[max(0, m.start() - 12) : m.end() + 12]))
    return violations


def check_citations(answer: Answer, corpus: Corpus) -> list[str]:
    """Citations must name a real clause and quote it verbatim."""
    problems: list[str] = []
    for c in answer.citations:
        try:
            clause = corpus.clause(c.clause_id)
        except Exception:
            problems.append(f"{c.clause_id}: no such clause")
            continue
        if squash(c.quote) not in squash(clause.text) or clause.locator != c.locator:
            problems.append(f"{c.clause_id}: quote or locator does not match the clause")
    return problems


def recomputed_steps(answer: Answer, user_texts: list[str], rulebook: RuleBook) -> list[str]:
    """Steps the calculator produces for the cited clauses from the user's words (comparisons show several)."""
    steps: list[str] = []
    for c in answer.citations:
        for bound in rulebook.by_clause.get(c.clause_id, []):
            result = calculate(bound.rule, bind(bound.rule, user_texts).values)
            if result.calculation is not None:
                steps.extend(result.calculation.steps)
    return steps


def check(
    answer: Answer, user_texts: list[str], corpus: Corpus, today: dt.date, rulebook: RuleBook | None = None
) -> GuardReport:
    if rulebook is not None and answer.citations:
        extra = recomputed_steps(answer, user_texts, rulebook)
        if extra:
            user_texts = [*user_texts, *extra]
    return GuardReport(
        ungrounded=check_numbers(answer, user_texts, corpus, today),
        bad_citations=check_citations(answer, corpus),
    )
