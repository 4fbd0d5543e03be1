"""Checks on the rule data: numbers come from their clauses; every amount clause is covered."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.calculator import Value, calculate
from assistant.formula import amount_literal
from assistant.rulebook import RuleBook
from assistant.rules import AMOUNT_IN_TEXT as AMOUNT_IN_TEXT
from assistant.rules import InputKind, Rule, RuleCase
from retrieval.corpus import Corpus
from retrieval.normalize import squash

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
    for e in book.eligibility:
        clause = corpus.clause(e.clause_id)
        for token in rule_numbers(e.rule):
            if token not in _FREE and not _number_in(token, clause.text):
                problems.append(f"{e.clause_id} eligibility: {token} does not occur in {clause.locator}")
    unreviewed = book.unreviewed(corpus)
    for clause in corpus.clauses:
        if clause.id in unreviewed:
            problems.append(f"{clause.id} ({clause.locator}) states an amount but has no rule or not_computable entry")
    return problems


def case_inputs(rule: Rule, case: RuleCase) -> dict[str, Value]:
    """A case's facts as calculator inputs: numbers as the clause writes them (80万, 30%, 1.5), choice keys."""
    kinds = {i.name: i.kind for i in rule.inputs}
    unknown = sorted(set(case.facts) - set(kinds))
    if unknown:
        raise ValueError(f"rule {rule.id} case {case.name!r}: unknown inputs {unknown}; the rule has {sorted(kinds)}")
    out: dict[str, Value] = {}
    for name, raw in case.facts.items():
        kind = kinds[name]
        if kind == InputKind.CHOICE:
            if not isinstance(raw, str):
                raise ValueError(f"rule {rule.id} case {case.name!r}: {name} is a choice; give one option")
            out[name] = raw
        elif isinstance(raw, list):
            out[name] = [_number(x, kind) for x in raw]
        else:
            out[name] = _number(raw, kind)
    return out


def _number(text: str, kind: InputKind) -> Decimal:
    if kind == InputKind.PERCENT:
        return amount_literal(text.rstrip("%％"))
    return amount_literal(text)


def run_cases(book: RuleBook) -> tuple[int, list[str]]:
    """Run every rule's cases; (cases run, failures described)."""
    failures: list[str] = []
    count = 0
    for bound in book.rules:
        rule = bound.rule
        for case in rule.cases:
            count += 1
            where = f"{rule.id} [{case.name}]"
            try:
                result = calculate(rule, case_inputs(rule, case), years=case.years, first_year=case.first_year)
            except ValueError as e:
                failures.append(f"{where}: {e}")
                continue
            if result.outcome.value != case.outcome:
                failures.append(f"{where}: expected {case.outcome}, got {result.outcome.value}")
                continue
            if case.amount is not None:
                want = amount_literal(case.amount)
                got = result.calculation.amount_yuan if result.calculation else None
                if got != want:
                    failures.append(f"{where}: expected {want} yuan, got {got}")
    return count, failures
