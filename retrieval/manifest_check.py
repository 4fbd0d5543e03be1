"""Compare manifest entries with the facts their texts state (文号, dates, validity, repeals)."""

from __future__ import annotations

from retrieval.corpus import DEFAULT_CORPUS_DIR, Corpus
from retrieval.metadata import add_years, derive, normalize_doc_number
from retrieval.normalize import squash
from retrieval.sources import split_sources


def check(corpus: Corpus) -> list[str]:
    """Problems found, one line each; an empty list means the manifest agrees with the texts."""
    pieces = split_sources(DEFAULT_CORPUS_DIR / "raw")
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
            if rel.doc_number and rel.doc_number not in {n for _, n in derived.repeals}:
                problems.append(f"{meta.id}: the text does not say it repeals {rel.doc_number}")
        for title, number in derived.repeals:
            if number not in {r.doc_number for r in meta.supersedes}:
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
    return problems
