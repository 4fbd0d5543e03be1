"""Compare manifest entries with the facts their texts state (文号, dates, validity, repeals)."""

from __future__ import annotations

from retrieval.corpus import DEFAULT_CORPUS_DIR, Corpus
from retrieval.metadata import add_years, derive, normalize_doc_number
from retrieval.models import DocStatus, DocumentMeta
from retrieval.normalize import squash
from retrieval.sources import split_sources


def check(corpus: Corpus) -> list[str]:
    """Problems found, one line each; an empty list means the manifest agrees with the texts."""
    pieces = split_sources((corpus.corpus_dir or DEFAULT_CORPUS_DIR) / "raw")
    problems: list[str] = []
    for doc in corpus:
        meta = doc.meta
        src = next(s for s in meta.sources if s.role == "primary")
        piece = pieces[(src.file, src.key)]
        full = "\n".join([*piece.meta_lines, piece.title, *piece.paragraphs])
        derived = derive(full)
        if meta.doc_number and normalize_doc_number(meta.doc_number) not in derived.doc_numbers:
            problems.append(f"{meta.id}: 文号 {meta.doc_number} does not occur in the text")
        for rel in meta.supersedes:
            if rel.doc_number and normalize_doc_number(rel.doc_number) not in {n for _, n in derived.repeals}:
                problems.append(f"{meta.id}: the text does not say it repeals {rel.doc_number}")
        for title, number in derived.repeals:
            if number not in {normalize_doc_number(r.doc_number or "") for r in meta.supersedes}:
                problems.append(f"{meta.id}: the text repeals {title}{number}; add it to supersedes")
        if meta.validity:
            if squash(meta.validity.text) not in squash(full):
                problems.append(f"{meta.id}: validity text not found verbatim: {meta.validity.text}")
            if derived.valid_until and meta.validity.until != derived.valid_until:
                problems.append(f"{meta.id}: the text says valid until {derived.valid_until}")
            if meta.validity.years and meta.validity.until and meta.issued:
                expected = add_years(meta.effective or meta.issued, meta.validity.years)
                if expected != meta.validity.until:
                    problems.append(f"{meta.id}: {meta.validity.years} years from issue end on {expected}")
        elif derived.validity_text:
            problems.append(f"{meta.id}: the text states a validity the manifest lacks: {derived.validity_text}")
        if meta.issued and derived.dates and meta.issued not in derived.dates and src.key == "*":
            problems.append(f"{meta.id}: issued {meta.issued} is not a date in the text")
        problems += _relations(corpus, meta)
    return problems


def _relations(corpus: Corpus, meta: DocumentMeta) -> list[str]:
    """Relations to documents in the corpus point both ways, and the earlier document's status says so."""
    ids = {d.id for d in corpus}
    out: list[str] = []
    for rel in (*meta.supersedes, *meta.replaces, *meta.superseded_by):
        if rel.doc_id and rel.doc_id not in ids:
            out.append(f"{meta.id}: relation to {rel.doc_id}, which is not in the corpus")
    for rel in meta.replaces:
        if rel.doc_id in ids:
            old = corpus.document(rel.doc_id).meta
            if old.status != DocStatus.SUPERSEDED or meta.id not in {r.doc_id for r in old.superseded_by}:
                out.append(f"{meta.id}: replaces {old.id}, which should be superseded with superseded_by {meta.id}")
    if meta.status == DocStatus.SUPERSEDED and not meta.superseded_by:
        out.append(f"{meta.id}: superseded, but superseded_by does not name its successor")
    for rel in meta.superseded_by:
        if rel.doc_id in ids:
            new = corpus.document(rel.doc_id).meta
            if meta.id not in {r.doc_id for r in (*new.supersedes, *new.replaces)}:
                out.append(f"{meta.id}: superseded_by {new.id}, which does not name it in supersedes or replaces")
    return out
