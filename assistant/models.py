"""The answer contract: what every interface (CLI, HTTP API, chat page, evals) returns."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


Yuan = Annotated[Decimal, PlainSerializer(_json_number, return_type=int | float, when_used="json")]


class Message(BaseModel):
    """One turn of a conversation, as clients send it."""

    role: Literal["user", "assistant", "system"]
    content: str


class Citation(BaseModel):
    model_config = ConfigDict(frozen=True)

    doc_id: str
    doc_title: str
    locator: str = Field(description="第五条（二）, 13. 支持加氢站建设运营, …")
    quote: str = Field(description="the clause text, verbatim")
    status: str = Field(description="in_force, draft, repealed, summary, interpretation, empty, superseded, expired")
    status_label: str = Field(description="现行有效, 征求意见稿, 已废止, 新闻摘要, 政策解读, 已过有效期")
    clause_id: str


class Calculation(BaseModel):
    amount_yuan: Yuan = Field(description="the exact amount in yuan")
    steps: list[str] = Field(description="each step in Chinese, checkable by a finance officer")
    rule_id: str
    binding_limit: str | None = Field(default=None, description="the cap or condition that decided the amount")
    assumptions: list[str] = Field(default_factory=list)


class Answer(BaseModel):
    text: str = Field(description="the reply, Markdown, Chinese (rendered from the parts below)")
    lead: str = Field(default="", description="the direct answer, without the quoted clauses")
    details: list[str] = Field(default_factory=list, description="further parts: the calculation, notes")
    warnings: list[str] = Field(default_factory=list, description="status warnings of the cited documents")
    citations: list[Citation] = Field(default_factory=list)
    calculation: Calculation | None = None
    refused: bool = Field(default=False, description="true when the corpus does not answer the question")
    follow_up: str | None = Field(default=None, description="the question the assistant needs answered to go on")
    mode: Literal["extractive", "llm"] = "extractive"
