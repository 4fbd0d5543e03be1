"""Chunks: one per clause, split at sentence ends when a clause exceeds the token budget."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from retrieval.models import Clause, ClauseKind, Document
from retrieval.normalize import normalize
from retrieval.tokens import count_tokens

DEFAULT_BUDGET = 400  # tokens of clause text per chunk; multilingual-e5-small reads 512
_SENTENCE_END = re.compile(r"(?<=[。；;！？!?])")


class Chunk(BaseModel):
    """What goes into the index: the clause (or a part of it) with its context for embedding."""

    model_config = ConfigDict(frozen=True)

    id: str
    clause_id: str
    doc_id: str
    part: int
    text: str  # the clause text (or part), verbatim
    embed_text: str  # title + heading path + locator + normalized text, what the model reads
    locator: str
    status: str
    region: str
    kind: str


def split_sentences(text: str, budget: int) -> list[str]:
    """Cut text at sentence ends into pieces of at most `budget` tokens (a longer sentence stays whole)."""
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    parts: list[str] = []
    current = ""
    for s in sentences:
        if current and count_tokens(current + s) > budget:
            parts.append(current)
            current = s
        else:
            current += s
    if current:
        parts.append(current)
    return parts


def chunk_clause(doc: Document, clause: Clause, budget: int = DEFAULT_BUDGET) -> list[Chunk]:
    context = " ".join([doc.title, *clause.heading_path, clause.locator])
    parts = [clause.text] if count_tokens(clause.text) <= budget else split_sentences(clause.text, budget)
    return [
        Chunk(
            id=clause.id if i == 0 else f"{clause.id}@{i}",
            clause_id=clause.id,
            doc_id=doc.id,
            part=i,
            text=part,
            embed_text=normalize(f"{context}\n{part}"),
            locator=clause.locator,
            status=doc.meta.status.value,
            region=doc.meta.region,
            kind=clause.kind.value,
        )
        for i, part in enumerate(parts)
    ]


def chunk_documents(documents: list[Document], budget: int = DEFAULT_BUDGET) -> list[Chunk]:
    """All chunks of the corpus; headings with no text of their own are not indexed."""
    return [
        chunk
        for doc in documents
        for clause in doc.clauses
        if clause.kind != ClauseKind.HEADING
        for chunk in chunk_clause(doc, clause, budget)
    ]
