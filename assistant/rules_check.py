"""Checks on the rule data: numbers come from their clauses; every amount clause is covered."""

from __future__ import annotations

import re

from assistant.rulebook import RuleBook
from assistant.rules import Rule
from retrieval.corpus import Corpus
from retrieval.models import ClauseKind
from retrieval.normalize import squash

AMOUNT_IN_TEXT = re.compile(r"\d[\d.,]*\s*(万元|亿元|元|%|％)|\d\s*[:：]\s*\d|万分之|千分之")
_NUMBER_TOKEN = re.compile(r"(万分之|千分之)[一二三四五六七八九十\d.]+|\d+(?:\.\d+)?\s*(?:万|亿|%)?")
_FREE = {"0", "1"}


def rule_numbers(rule: Rule) -> list[str]:
    """Every number a rule's formulas, caps, conditions and brackets write."""
    texts: list[str] = []
    for step in [*(rule.items.steps if rule.items else []), *rule.steps]:
        texts += [x for x in (step.formula, step.cap) if x]
        if step.tier:
            for b in step.tier.brackets:
                texts += [x for x in (b.min, b.max, b.value) if x]
            if step.tier.otherwise:
                texts.append(step.tier.otherwise)
    for c in rule.conditions:
        if c.op != "in":
            texts.append(c.value)
    return [m.group(0).replace(" ", "") for t in texts for m in _NUMBER_TOKEN.finditer(t)]


def _number_in(token: str, clause_text: str) -> bool:
    text = squash(clause_text).replace(",", "")
    if token in text:
        return True
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(万|亿)", token)
    if m:  # 5亿 written as 5亿元 or 50000万: accept the same value in another unit
        from decimal import Decimal

        value = Decimal(m.group(1)) * (10000 if m.group(2) == "万" else 100000000)
        for n, unit in re.findall(r"(\d+(?:\.\d+)?)(万|亿)", text):
            if Decimal(n) * (10000 if unit == "万" else 100000000) == value:
                return True
    if token.endswith("%"):
        return token[:-1] + "％" in clause_text.replace(" ", "")
    return False


def check_rules(book: RuleBook, corpus: Corpus) -> list[str]:
    problems: list[str] = []
    for bound in book.rules:
        clause = corpus.clause(bound.clause_id)
        for token in rule_numbers(bound.rule):
            if token in _FREE:
                continue
            if not _number_in(token, clause.text):
                problems.append(f"{bound.clause_id} rule {bound.rule.id}: {token} does not occur in {clause.locator}")
    covered = set(book.by_clause) | set(book.not_computable)
    for clause in corpus.clauses:
        if clause.kind == ClauseKind.HEADING or clause.id in covered:
            continue
        if AMOUNT_IN_TEXT.search(clause.text):
            problems.append(f"{clause.id} ({clause.locator}) states an amount but has no rule or not_computable entry")
    return problems
