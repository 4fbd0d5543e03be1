"""Data types of the corpus: documents, their metadata, clauses, search hits."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DocStatus(StrEnum):
    IN_FORCE = "in_force"
    DRAFT = "draft"
    REPEALED = "repealed"
    SUMMARY = "summary"
    INTERPRETATION = "interpretation"
    EMPTY = "empty"
    SUPERSEDED = "superseded"  # replaced by a later version (a final text, a new edition): superseded_by names it
    EXPIRED = "expired"  # retired: its period ended (or the issuer declared it no longer applies)

    @property
    def label(self) -> str:
        """The badge shown to users."""
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    DocStatus.IN_FORCE: "现行有效",
    DocStatus.DRAFT: "征求意见稿",
    DocStatus.REPEALED: "已废止",
    DocStatus.SUMMARY: "新闻摘要",
    DocStatus.INTERPRETATION: "政策解读",
    DocStatus.EMPTY: "仅有标题",
    DocStatus.SUPERSEDED: "已被替代",
    DocStatus.EXPIRED: "已过有效期",
}


class RegionLevel(StrEnum):
    CITY = "city"
    DISTRICT = "district"
    ZONE = "zone"


class SourceRef(Frozen):
    """Where a document's text comes from: a raw file and the piece of it."""

    file: str = Field(description="file name under corpus/raw/")
    key: str = Field(description="the piece of the file: its title as written there, or '*' for the file")
    role: str = Field(default="primary", description="primary (text used) or duplicate (same text elsewhere)")


class Validity(Frozen):
    text: str = Field(description="the sentence of the document that states it, verbatim")
    years: int | None = None
    until: dt.date | None = Field(default=None, description="last day in force, where computable")


class Relation(Frozen):
    """A document named by another: repealed by it, or repealing it."""

    title: str
    doc_number: str | None = None
    doc_id: str | None = Field(default=None, description="set when the document is in the corpus")


class DocumentMeta(Frozen):
    """One entry of corpus/manifest.yaml."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,63}$")
    title: str
    aliases: tuple[str, ...] = ()
    issuers: tuple[str, ...] = ()
    doc_number: str | None = Field(default=None, description="文号, as printed")
    region: str
    region_level: RegionLevel
    issued: dt.date | None = None
    effective: dt.date | None = None
    validity: Validity | None = None
    status: DocStatus
    supersedes: tuple[Relation, ...] = ()
    superseded_by: tuple[Relation, ...] = Field(
        default=(), description="the documents that repealed or replaced this one (in the corpus: with doc_id)"
    )
    replaces: tuple[Relation, ...] = Field(
        default=(), description="earlier versions this one replaces (a final text for its draft, a new edition)"
    )
    sources: tuple[SourceRef, ...]
    layout: str = Field(default="auto", description="parser hint: auto, flat (one line per document)")
    notes: str = ""
    review: tuple[str, ...] = Field(
        default=(), description="fields `python -m retrieval add` could not find in the text: a person fills them"
    )

    @field_validator("sources")
    @classmethod
    def _one_primary(cls, v: tuple[SourceRef, ...]) -> tuple[SourceRef, ...]:
        if sum(1 for s in v if s.role == "primary") != 1:
            raise ValueError("a document needs exactly one source with role: primary")
        return v

    def expired_on(self, day: dt.date) -> bool:
        """True when the stated validity period ended before `day`."""
        return bool(self.validity and self.validity.until and self.validity.until < day)


class ClauseKind(StrEnum):
    PREAMBLE = "preamble"  # text before the first numbered part, or a notice
    HEADING = "heading"  # a heading with no text of its own (第二章 …, 一、…)
    CLAUSE = "clause"  # a numbered or headed unit with text
    PARAGRAPH = "paragraph"  # an unnumbered paragraph
    CLOSING = "closing"  # 本办法自…施行 and similar closing paragraphs


class Clause(Frozen):
    """A citable unit of a document."""

    id: str = Field(description="stable: document id + structural path")
    doc_id: str
    order: int = Field(description="position in the document, from 0")
    kind: ClauseKind
    locator: str = Field(description="as a person would cite it: 第五条（二）, 13. 支持加氢站建设运营")
    labels: tuple[str, ...] = Field(description="the numbering path from the top: ('第二章', '第六条', '(三)')")
    title: str | None = Field(default=None, description="the heading the clause starts with, if any")
    heading_path: tuple[str, ...] = Field(description="headings above the clause, outermost first")
    text: str = Field(description="verbatim text in the original script")
    norm_text: str = Field(description="simplified, half-width form for indexing")


class Document(Frozen):
    """A parsed document: its metadata, cleaned body and clauses."""

    meta: DocumentMeta
    body: str
    clauses: tuple[Clause, ...]

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def title(self) -> str:
        return self.meta.title


class SearchFilters(Frozen):
    """Metadata filters for search; empty means no restriction."""

    regions: tuple[str, ...] = ()
    statuses: tuple[DocStatus, ...] = ()
    doc_ids: tuple[str, ...] = ()

    def allows(self, doc: DocumentMeta) -> bool:
        return (
            (not self.regions or doc.region in self.regions)
            and (not self.statuses or doc.status in self.statuses)
            and (not self.doc_ids or doc.id in self.doc_ids)
        )


class SearchHit(Frozen):
    """A clause found for a query, with how each retriever ranked it."""

    clause: Clause
    doc_title: str
    status: DocStatus
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None
