"""The corpus: the manifest joined with the parsed raw sources."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from retrieval.clauses import build_clauses
from retrieval.errors import CorpusError
from retrieval.models import Clause, DocStatus, Document, DocumentMeta
from retrieval.normalize import squash
from retrieval.sources import RawPiece, split_sources

DEFAULT_CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"


class Manifest(BaseModel):
    documents: list[DocumentMeta]


def load_manifest(corpus_dir: Path = DEFAULT_CORPUS_DIR) -> Manifest:
    path = corpus_dir / "manifest.yaml"
    if not path.exists():
        raise CorpusError(f"{path} is missing: the corpus needs a manifest (see corpus/README.md)")
    try:
        manifest = Manifest.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except ValidationError as e:
        raise CorpusError(f"{path} is not a valid manifest:\n{e}") from e
    ids = [d.id for d in manifest.documents]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise CorpusError(f"{path}: duplicate document ids {sorted(dupes)}")
    return manifest


class Corpus:
    """All documents and clauses, with lookups by id, title and locator."""

    def __init__(self, documents: list[Document], corpus_dir: Path | None = None) -> None:
        self.documents = documents
        self.corpus_dir = corpus_dir
        self._by_id = {d.id: d for d in documents}
        self._clauses = {c.id: c for d in documents for c in d.clauses}

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    @property
    def clauses(self) -> list[Clause]:
        return list(self._clauses.values())

    def document(self, doc_id: str) -> Document:
        try:
            return self._by_id[doc_id]
        except KeyError:
            raise CorpusError(f"no document with id {doc_id!r}; `python -m retrieval documents` lists them") from None

    def clause(self, clause_id: str) -> Clause:
        try:
            return self._clauses[clause_id]
        except KeyError:
            raise CorpusError(f"no clause with id {clause_id!r}") from None

    def find_documents(self, text: str) -> list[Document]:
        """Documents whose title or alias contains `text` (either script, any width)."""
        q = squash(text)
        return [d for d in self.documents if any(q in squash(t) for t in (d.title, *d.meta.aliases))]

    def find_clauses(self, doc_id: str, locator: str) -> list[Clause]:
        """Clauses of a document whose locator starts with `locator` (brackets and spaces ignored)."""
        q = squash(locator)
        doc = self.document(doc_id)
        exact = [c for c in doc.clauses if squash(c.locator) == q]
        return exact or [c for c in doc.clauses if squash(c.locator).startswith(q)]


def _piece_for(meta: DocumentMeta, pieces: dict[tuple[str, str], RawPiece]) -> RawPiece:
    src = next(s for s in meta.sources if s.role == "primary")
    try:
        return pieces[(src.file, src.key)]
    except KeyError:
        known = sorted(k for f, k in pieces if f == src.file)
        raise CorpusError(
            f"manifest entry {meta.id}: no document {src.key!r} in {src.file}; the file holds {known}"
        ) from None


def build_document(meta: DocumentMeta, piece: RawPiece) -> Document:
    if meta.status == DocStatus.EMPTY:
        if piece.paragraphs:
            raise CorpusError(f"{meta.id} is marked empty but its source has text")
        return Document(meta=meta, body="", clauses=())
    clauses = build_clauses(meta.id, piece.paragraphs, piece.layout == "flat", piece.preamble_count)
    return Document(meta=meta, body=piece.body, clauses=tuple(clauses))


def corpus_version(corpus_dir: Path = DEFAULT_CORPUS_DIR) -> str:
    """A fingerprint of what the corpus is made of: the manifest, the cleaning, the raw files, the reviewed rules.

    Cheap enough to check on every request: raw files are named by their content hash, so their names and
    sizes stand for them; the manifest and rule files are small and hashed whole.
    """
    h = hashlib.sha256()
    for name in ("manifest.yaml", "cleaning.yaml"):
        path = corpus_dir / name
        h.update(path.read_bytes() if path.exists() else b"")
    raw = corpus_dir / "raw"
    for path in sorted(raw.iterdir()) if raw.is_dir() else []:
        if path.is_file() and not path.name.startswith("."):
            h.update(f"\0{path.name}\0{path.stat().st_size}".encode())
    rules = corpus_dir / "rules"
    for path in sorted(rules.glob("*.yaml")) if rules.is_dir() else []:
        if not path.name.endswith(".proposed.yaml"):
            h.update(f"\0{path.name}\0".encode() + path.read_bytes())
    return h.hexdigest()[:16]


def read_corpus(corpus_dir: Path = DEFAULT_CORPUS_DIR) -> Corpus:
    """Parse every document of the manifest from corpus/raw (not cached: a reload reads the files again)."""
    manifest = load_manifest(corpus_dir)
    pieces = split_sources(corpus_dir / "raw")
    for meta in manifest.documents:
        for src in meta.sources:
            if (src.file, src.key) not in pieces:
                raise CorpusError(f"manifest entry {meta.id}: no document {src.key!r} in {src.file}")
    claimed = {(s.file, s.key) for m in manifest.documents for s in m.sources}
    unclaimed = sorted(set(pieces) - claimed)
    if unclaimed:
        raise CorpusError(f"documents in corpus/raw with no manifest entry: {unclaimed}")
    return Corpus([build_document(m, _piece_for(m, pieces)) for m in manifest.documents], corpus_dir)


@lru_cache(maxsize=4)
def load_corpus(corpus_dir: Path = DEFAULT_CORPUS_DIR) -> Corpus:
    """Parse every document of the manifest from corpus/raw (cached per directory; see `read_corpus`)."""
    return read_corpus(corpus_dir)
