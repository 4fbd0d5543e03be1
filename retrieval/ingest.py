"""Keeping the corpus current: add, replace and retire documents without touching code.

Each operation is planned first (the parsed clause tree, the manifest entry, the changes to other
documents) and written only when applied: the raw file is copied under corpus/raw/ with a name
from its content hash, then the manifest is rewritten atomically, and the corpus is parsed again
to prove it loads (the old files are restored when it does not). The same file added twice, a
replacement already recorded, a status already set: nothing changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from retrieval.corpus import Corpus, build_document, load_corpus, read_corpus
from retrieval.drafting import document_id, draft_meta
from retrieval.errors import CorpusError
from retrieval.formats import SUPPORTED
from retrieval.manifest_file import ManifestFile, entry_yaml, write_atomic
from retrieval.models import ClauseKind, DocStatus, Document, DocumentMeta, Relation, SourceRef
from retrieval.places import Level, place
from retrieval.sources import RawPiece, load_cleaning, source_files, split_file

RETIRED = (DocStatus.REPEALED, DocStatus.EXPIRED)
_LEVELS = {Level.CITY: "city", Level.DISTRICT: "district", Level.ZONE: "zone"}


class Overrides(BaseModel):
    """What the operator states instead of what the text gives (from the command line or the admin page)."""

    id: str | None = None
    title: str | None = None
    region: str | None = None
    status: DocStatus | None = None
    issued: dt.date | None = None
    doc_number: str | None = None


class Change(BaseModel):
    """An edit of another document's entry."""

    doc_id: str
    status: DocStatus | None = None
    superseded_by: Relation | None = None

    def describe(self, corpus: Corpus) -> str:
        old = corpus.document(self.doc_id).meta
        parts = []
        if self.status and self.status != old.status:
            parts.append(f"status {old.status.value} → {self.status.value}")
        if self.superseded_by:
            parts.append(f"superseded_by + {self.superseded_by.doc_id or self.superseded_by.title}")
        return f"{self.doc_id}: " + "; ".join(parts)


class Plan(BaseModel):
    """What an operation would write; nothing is written until `Library.apply`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    action: Literal["add", "replace", "retire"]
    doc_id: str
    meta: DocumentMeta | None = None
    document: Document | None = None
    source: Path | None = None
    raw_name: str | None = None
    changes: list[Change] = []
    noop: str | None = None  # why nothing would change


class Library:
    """The corpus directory as something an operator edits."""

    def __init__(self, corpus_dir: Path) -> None:
        self.corpus_dir = corpus_dir
        self.raw_dir = corpus_dir / "raw"
        self.corpus = read_corpus(corpus_dir)

    # -- planning ------------------------------------------------------------------------------

    def plan_add(self, file: Path, overrides: Overrides | None = None, replacing: str | None = None) -> Plan:
        """Plan adding a document file (txt, md, html, docx, pdf)."""
        overrides = overrides or Overrides()
        action: Literal["add", "replace"] = "replace" if replacing else "add"
        old = self.corpus.document(replacing).meta if replacing else None
        if not file.is_file():
            raise CorpusError(f"{file}: no such file")
        if file.suffix.lower() not in SUPPORTED:
            raise CorpusError(f"{file.name}: unsupported format; use one of {', '.join(SUPPORTED)}")
        data = file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:16]
        known = self._document_of_digest(digest)
        if known is not None:
            return self._plan_known(action, known, old)
        raw_name = f"{self._next_number():03d}_{digest}{file.suffix.lower()}"
        piece = self._piece(file, raw_name)
        draft = draft_meta(piece, self.corpus, issued=overrides.issued)
        review = list(draft.review)
        title = overrides.title or draft.title or (old.title if old else "")
        region, level = draft.region, draft.region_level
        if overrides.region:
            region, level = overrides.region, _level(overrides.region)
        elif region is None and old is not None:
            region, level = old.region, old.region_level.value
        if region is None:
            region, level = "北京市", "city"  # a placeholder the review list names
        issued = draft.issued
        status = overrides.status or draft.status
        taken = {d.id for d in self.corpus}
        doc_id = overrides.id or document_id(region, issued, digest, taken)
        if doc_id in taken:
            raise CorpusError(f"{doc_id} is already in the corpus; choose another --id")
        given = {"title": overrides.title, "region": overrides.region, "doc_number": overrides.doc_number}
        review = [r for r in review if not given.get(r)]
        if not title:
            raise CorpusError(f"{file.name}: no title found in the text; pass --title")
        meta = DocumentMeta(
            id=doc_id,
            title=title,
            issuers=tuple(draft.issuers),
            doc_number=overrides.doc_number or draft.doc_number,
            region=region,
            region_level=level,
            issued=issued,
            effective=draft.effective,
            validity=draft.validity,
            status=status,
            supersedes=tuple(draft.supersedes),
            replaces=(Relation(title=old.title, doc_number=old.doc_number, doc_id=old.id),) if old else (),
            sources=(SourceRef(file=raw_name, key=piece.key),),
            review=tuple(review),
        )
        changes = self._repeal_changes(meta)
        if old is not None:
            rel = Relation(title=meta.title, doc_number=meta.doc_number, doc_id=meta.id)
            changes.append(Change(doc_id=old.id, status=DocStatus.SUPERSEDED, superseded_by=rel))
        return Plan(
            action=action,
            doc_id=doc_id,
            meta=meta,
            document=build_document(meta, piece),
            source=file,
            raw_name=raw_name,
            changes=changes,
        )

    def plan_replace(self, old_id: str, file: Path, overrides: Overrides | None = None) -> Plan:
        """Plan a new version of a document (a final text for a draft, a new edition): the old is superseded."""
        old = self.corpus.document(old_id).meta
        if old.status == DocStatus.SUPERSEDED and old.superseded_by:
            digest = hashlib.sha256(file.read_bytes()).hexdigest()[:16] if file.is_file() else ""
            known = self._document_of_digest(digest) if digest else None
            if known is None or known.id not in {r.doc_id for r in old.superseded_by}:
                raise CorpusError(
                    f"{old_id} is already superseded by {old.superseded_by[-1].doc_id or old.superseded_by[-1].title}; "
                    "replace that document instead"
                )
        return self.plan_add(file, overrides, replacing=old_id)

    def plan_retire(self, doc_id: str, status: DocStatus) -> Plan:
        """Plan marking a document repealed or expired (it stays in the corpus, cited with that status)."""
        if status not in RETIRED:
            raise CorpusError(f"retire sets repealed or expired, not {status.value}")
        meta = self.corpus.document(doc_id).meta
        if meta.status == status:
            return Plan(action="retire", doc_id=doc_id, noop=f"{doc_id} is already {status.value}")
        return Plan(action="retire", doc_id=doc_id, changes=[Change(doc_id=doc_id, status=status)])

    # -- applying ------------------------------------------------------------------------------

    def apply(self, plan: Plan) -> Corpus:
        """Write what the plan says; the corpus parsed again afterwards (restored when it does not load)."""
        if plan.noop:
            return self.corpus
        manifest_path = self.corpus_dir / "manifest.yaml"
        before = manifest_path.read_bytes()
        raw_path = self.raw_dir / plan.raw_name if plan.raw_name else None
        manifest = ManifestFile(manifest_path)
        if plan.meta is not None:
            manifest.add(plan.meta)
        for change in plan.changes:
            if change.status is not None:
                manifest.set(change.doc_id, "status", change.status.value)
            if change.superseded_by is not None:
                manifest.add_relation(change.doc_id, "superseded_by", change.superseded_by)
        manifest.validate()
        created = False
        try:
            if raw_path is not None and plan.source is not None and not raw_path.exists():
                write_atomic(raw_path, plan.source.read_bytes())
                created = True
            manifest.save()
            corpus = read_corpus(self.corpus_dir)
        except Exception:
            write_atomic(manifest_path, before)
            if created and raw_path is not None:
                raw_path.unlink(missing_ok=True)
            raise
        load_corpus.cache_clear()
        self.corpus = corpus
        return corpus

    # -- helpers -------------------------------------------------------------------------------

    def _document_of_digest(self, digest: str) -> DocumentMeta | None:
        for path in source_files(self.raw_dir):
            if re.fullmatch(rf"\d+_{digest}", path.stem):
                for d in self.corpus:
                    if any(s.file == path.name for s in d.meta.sources):
                        return d.meta
                raise CorpusError(f"{path.name} is in corpus/raw but no manifest entry names it")
        return None

    def _plan_known(self, action: Literal["add", "replace"], known: DocumentMeta, old: DocumentMeta | None) -> Plan:
        """The file is in the corpus already: nothing to add; a replacement only links the two."""
        if old is None or known.id == old.id:
            return Plan(action=action, doc_id=known.id, noop=f"this file is already in the corpus as {known.id}")
        if known.id in {r.doc_id for r in old.superseded_by} and old.status == DocStatus.SUPERSEDED:
            return Plan(action=action, doc_id=known.id, noop=f"{old.id} is already superseded by {known.id}")
        raise CorpusError(
            f"this file is already in the corpus as {known.id}; it was not added as {old.id}'s replacement — "
            f"retire {old.id} or edit the manifest"
        )

    def _next_number(self) -> int:
        numbers = [int(m.group(1)) for p in source_files(self.raw_dir) if (m := re.match(r"(\d+)_", p.name))]
        return max(numbers, default=-1) + 1

    def _piece(self, file: Path, raw_name: str) -> RawPiece:
        with tempfile.TemporaryDirectory() as tmp:
            staged = Path(tmp) / raw_name
            shutil.copyfile(file, staged)
            pieces = split_file(staged, load_cleaning(self.corpus_dir / "cleaning.yaml"))
        if len(pieces) != 1:
            raise CorpusError(
                f"{file.name} holds {len(pieces)} documents (a gazette or a compilation); add one file per document"
            )
        piece = pieces[0]
        if not piece.paragraphs:
            raise CorpusError(f"{file.name}: no text found after the title")
        return piece

    def _repeal_changes(self, meta: DocumentMeta) -> list[Change]:
        """A document's repeal clauses retire the documents they name, once it is issued (a draft repeals nothing)."""
        if meta.status == DocStatus.DRAFT:
            return []
        out = []
        rel = Relation(title=meta.title, doc_number=meta.doc_number, doc_id=meta.id)
        for named in meta.supersedes:
            if named.doc_id is None:
                continue
            old = self.corpus.document(named.doc_id).meta
            status = None if old.status in (*RETIRED, DocStatus.SUPERSEDED) else DocStatus.REPEALED
            out.append(Change(doc_id=old.id, status=status, superseded_by=rel))
        return out


def _level(region: str) -> str:
    try:
        p = place(region)
    except ValueError as e:
        raise CorpusError(str(e)) from None
    if p.level not in _LEVELS:
        raise CorpusError(f"{region} is not a region documents are filed under (a city, district or zone)")
    return _LEVELS[p.level]


def _display_width(text: str) -> int:
    """Columns a terminal gives the text (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def describe(plan: Plan, corpus: Corpus, width: int = 60) -> str:
    """The plan for a person: the clause tree (locator and first characters), the manifest entry, other changes."""
    if plan.noop:
        return f"nothing to do: {plan.noop}"
    lines: list[str] = []
    if plan.meta is not None and plan.document is not None:
        doc = plan.document
        verb = "replace" if plan.action == "replace" else "add"
        lines.append(f"{verb}: 《{doc.title}》 as {doc.id}  (corpus/raw/{plan.raw_name})")
        lines.append(f"\nclauses ({len(doc.clauses)}):")
        loc_width = min(36, max((_display_width(c.locator) for c in doc.clauses), default=0))
        for c in doc.clauses:
            text = c.text.replace("\n", " ")
            marker = "#" if c.kind == ClauseKind.HEADING else " "
            pad = " " * max(0, loc_width - _display_width(c.locator))
            lines.append(f"  {marker} {c.locator}{pad}  {text[:width]}{'…' if len(text) > width else ''}")
        lines.append("\nmanifest entry:")
        lines.extend("  " + ln for ln in entry_yaml(plan.meta).rstrip().splitlines())
        if plan.meta.review:
            lines.append(f"\nto review (not found in the text): {', '.join(plan.meta.review)}")
    if plan.changes:
        lines.append("\nchanges to documents in the corpus:")
        lines.extend(f"  {c.describe(corpus)}" for c in plan.changes)
    return "\n".join(lines)
