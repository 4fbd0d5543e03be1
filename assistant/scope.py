"""Is a question inside what the corpus covers? Judged from the retrieved clauses' content, not topic lists."""

from __future__ import annotations

import re

from pydantic import BaseModel

from assistant.vocabulary import OUTSIDE_DOMAINS, QUESTION_WORDS
from retrieval.lexical import tokenize
from retrieval.models import SearchHit
from retrieval.normalize import normalize


class ScopeDecision(BaseModel):
    in_scope: bool
    reason: str | None = None  # shown to the user when out of scope
    coverage: float = 1.0


def content_tokens(text: str) -> list[str]:
    return [t for t in tokenize(text) if t not in QUESTION_WORDS and not re.fullmatch(r"[\d.%]+", t)]


def coverage(question: str, hits: list[SearchHit], vocabulary: set[str] | None = None) -> float:
    """Share of the question's topical words (those the corpus uses at all) found in the best clauses.

    Words the corpus never uses (an expo's name, a product) are detail, not topic, and do not count —
    unless most of the question consists of them, which is itself a sign it is about something else.
    """
    words = set(content_tokens(question))
    if not words:
        return 1.0
    known = words & vocabulary if vocabulary is not None else words
    if vocabulary is not None and len(known) < 0.3 * len(words):
        return len(known) / len(words)
    if not known:
        return 0.0
    haystack = " ".join(normalize(h.clause.text + h.doc_title + " ".join(h.clause.heading_path)) for h in hits)
    found = {w for w in known if w in haystack}
    return len(found) / len(known)


def outside_domain(question: str) -> str | None:
    """The public-service domain (tax, social insurance, registration, …) a question is about, if any."""
    q = normalize(question)
    return next((name for name, pattern in OUTSIDE_DOMAINS.items() if pattern.search(q)), None)


def judge(
    question: str, hits: list[SearchHit], vocabulary: set[str] | None = None, min_coverage: float = 0.34
) -> ScopeDecision:
    domain = outside_domain(question)
    if domain:
        reason = f"语料库是科技创新扶持政策，不涉及{domain}方面的规定，无法据此回答，请咨询相应主管部门。"
        return ScopeDecision(in_scope=False, reason=reason, coverage=0.0)
    if not hits:
        return ScopeDecision(in_scope=False, reason="语料库中没有找到与这个问题相关的条款。", coverage=0.0)
    cov = coverage(question, hits[:3], vocabulary)
    if cov < min_coverage:
        return ScopeDecision(
            in_scope=False,
            reason="语料库中没有找到直接回答这个问题的条款（最接近的条款与问题关系不大，不宜据此作答）。",
            coverage=cov,
        )
    return ScopeDecision(in_scope=True, coverage=cov)


def corpus_vocabulary(texts: list[str]) -> set[str]:
    """Every search token the corpus uses."""
    return {t for text in texts for t in tokenize(text)}
