"""Is a question inside what the corpus covers? Judged from the retrieved clauses' content, not topic lists."""

from __future__ import annotations

import math
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


class TermWeights:
    """How telling each word of a question is: rare in the corpus's clauses, telling (an IDF weight).

    `best_cover` is the share of a question's weighted topical words that the best single clause of a
    set of hits contains — the measure that compares a place's own clauses with everyone else's.
    """

    def __init__(self, clause_texts: list[str]) -> None:
        self.texts = [normalize(t) for t in clause_texts]
        self._cache: dict[str, float] = {}

    def weight(self, word: str) -> float:
        if word not in self._cache:
            n = sum(1 for t in self.texts if word in t)
            self._cache[word] = math.log((len(self.texts) + 1) / (n + 1))
        return self._cache[word]

    def best_cover(self, words: set[str], hits: list[SearchHit]) -> float:
        total = sum(self.weight(w) for w in words)
        if total <= 0:
            return 0.0
        best = 0.0
        for h in hits:
            text = normalize(h.clause.text + " ".join(h.clause.heading_path))
            best = max(best, sum(self.weight(w) for w in words if w in text) / total)
        return best
