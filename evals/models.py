"""Eval cases and results."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class CitationExpectation(Lenient):
    doc: str
    article: str | None = None


class Expected(Lenient):
    amount_yuan: int | float | None = None
    citations: list[CitationExpectation] = Field(default_factory=list)
    must_include: list[str] = Field(default_factory=list)
    must_not_include: list[str] = Field(default_factory=list)
    should_refuse: bool = False
    follow_up: bool | None = None


class Case(Lenient):
    id: str
    category: str = "uncategorized"
    question: str | None = None
    turns: list[str] | None = None
    expected: Expected = Field(default_factory=Expected)
    source_quote: str | None = None

    @model_validator(mode="after")
    def _question_or_turns(self) -> Case:
        if not self.question and not self.turns:
            raise ValueError(f"case {self.id}: needs a question or turns")
        return self

    @property
    def messages(self) -> list[str]:
        return list(self.turns) if self.turns else [self.question or ""]


class Check(BaseModel):
    name: str  # amount, citations, must_include, must_not_include, refusal, follow_up
    passed: bool
    detail: str = ""


class CaseResult(BaseModel):
    id: str
    category: str
    question: str
    answer: dict[str, Any]
    checks: list[Check]
    latency_ms: float
    gold_ranks: list[int | None] = Field(default_factory=list, description="rank of each gold clause in retrieval")
    citation_recall: float | None = None
    citation_precision: float | None = None
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and all(c.passed for c in self.checks)
