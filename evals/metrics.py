"""Aggregate metrics over case results, overall and by category."""

from __future__ import annotations

import statistics
from collections import defaultdict

from pydantic import BaseModel

from evals.models import CaseResult


class Metrics(BaseModel):
    cases: int
    passed: int
    errors: int
    amount_exact: float | None
    amount_cases: int
    citation_recall: float | None
    citation_precision: float | None
    must_include: float | None
    must_not_include: float | None
    refusal_precision: float | None
    refusal_recall: float | None
    follow_up_accuracy: float | None
    grounded: float | None
    in_place: float | None  # share of place-scoped answers citing only the places asked (and the city)
    recall_at_1: float | None
    recall_at_5: float | None
    mrr: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None

    def value(self, name: str) -> float | None:
        v = getattr(self, name, None)
        if v is None and name not in type(self).model_fields:
            raise KeyError(f"unknown metric {name!r}; known: {sorted(type(self).model_fields)}")
        return float(v) if v is not None else None


def _rate(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    idx = min(len(ordered) - 1, max(0, round(p * (len(ordered) - 1))))
    return ordered[idx]


def compute(results: list[CaseResult]) -> Metrics:
    def checks(name: str) -> list[bool]:
        return [c.passed for r in results for c in r.checks if c.name == name]

    refusal_expected = [r for r in results if any(c.name == "refusal" and "expected" in c.detail for c in r.checks)]
    refused = [r for r in results if r.answer.get("refused")]
    ranks = [rank for r in results for rank in r.gold_ranks]
    return Metrics(
        cases=len(results),
        passed=sum(r.passed for r in results),
        errors=sum(r.error is not None for r in results),
        amount_exact=_rate(checks("amount")),
        amount_cases=len(checks("amount")),
        citation_recall=_mean([r.citation_recall for r in results if r.citation_recall is not None]),
        citation_precision=_mean([r.citation_precision for r in results if r.citation_precision is not None]),
        must_include=_rate(checks("must_include")),
        must_not_include=_rate(checks("must_not_include")),
        refusal_precision=(sum(1 for r in refused if r in refusal_expected) / len(refused) if refused else None),
        refusal_recall=(
            sum(1 for r in refusal_expected if r.answer.get("refused")) / len(refusal_expected)
            if refusal_expected
            else None
        ),
        follow_up_accuracy=_rate(checks("follow_up")),
        grounded=_rate(checks("grounded")),
        in_place=_rate(checks("place")),
        recall_at_1=_rate([x is not None and x <= 1 for x in ranks]),
        recall_at_5=_rate([x is not None and x <= 5 for x in ranks]),
        mrr=_mean([1.0 / x if x else 0.0 for x in ranks]),
        latency_p50_ms=_percentile([r.latency_ms for r in results if r.error is None], 0.5),
        latency_p95_ms=_percentile([r.latency_ms for r in results if r.error is None], 0.95),
    )


def by_category(results: list[CaseResult]) -> dict[str, Metrics]:
    groups: dict[str, list[CaseResult]] = defaultdict(list)
    for r in results:
        groups[r.category].append(r)
    return {name: compute(rs) for name, rs in sorted(groups.items())}
