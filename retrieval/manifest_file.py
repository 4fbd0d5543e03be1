"""Edits of corpus/manifest.yaml that keep its comments, order and style (ruamel.yaml round trip).

Every write is checked against the manifest schema first and lands atomically (a temporary file
renamed over the old one), so a reader never sees half a manifest.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from retrieval.errors import CorpusError
from retrieval.models import DocumentMeta, Relation

# The order of an entry's fields, as the hand-written entries have them.
FIELD_ORDER = [
    "id",
    "title",
    "aliases",
    "issuers",
    "doc_number",
    "region",
    "region_level",
    "issued",
    "effective",
    "validity",
    "status",
    "supersedes",
    "replaces",
    "superseded_by",
    "sources",
    "layout",
    "notes",
    "review",
]


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.representer.ignore_aliases = lambda *args: True  # the same date twice is written twice, not as &id001
    return y


class ManifestFile:
    """The manifest as an editable document."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise CorpusError(f"{path} is missing: the corpus needs a manifest (see corpus/README.md)")
        self.path = path
        self.data: CommentedMap = _yaml().load(path.read_text(encoding="utf-8"))

    @property
    def entries(self) -> CommentedSeq:
        docs: CommentedSeq = self.data["documents"]
        return docs

    def entry(self, doc_id: str) -> CommentedMap:
        for e in self.entries:
            if e["id"] == doc_id:
                return e
        raise CorpusError(f"no document with id {doc_id!r} in {self.path}")

    def add(self, meta: DocumentMeta) -> None:
        if any(e["id"] == meta.id for e in self.entries):
            raise CorpusError(f"{meta.id} is already in the manifest")
        self.entries.append(entry_map(meta))
        # A blank line between entries, as the hand-written ones are spaced.
        self.entries.yaml_set_comment_before_after_key(len(self.entries) - 1, before="\n", indent=2)

    def set(self, doc_id: str, field: str, value: Any) -> None:
        _put(self.entry(doc_id), field, _plain(value))

    def add_relation(self, doc_id: str, field: str, rel: Relation) -> bool:
        """Append a relation unless one to the same document is there; True when it changed."""
        e = self.entry(doc_id)
        rels = e.get(field) or CommentedSeq()
        for r in rels:
            if (rel.doc_id and r.get("doc_id") == rel.doc_id) or (
                rel.doc_number and r.get("doc_number") == rel.doc_number and not r.get("doc_id")
            ):
                if rel.doc_id and not r.get("doc_id"):
                    r["doc_id"] = rel.doc_id
                    return True
                return False
        rels.append(_plain(rel.model_dump(exclude_none=True)))
        _put(e, field, rels)
        return True

    def validate(self) -> list[DocumentMeta]:
        try:
            return [DocumentMeta.model_validate(_to_python(e)) for e in self.entries]
        except ValidationError as err:
            raise CorpusError(f"the edited manifest would not be valid:\n{err}") from err

    def dumps(self) -> str:
        buf = io.StringIO()
        _yaml().dump(self.data, buf)
        return buf.getvalue()

    def save(self) -> None:
        self.validate()
        write_atomic(self.path, self.dumps())


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write a file so that readers see the old or the new content, never a part."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8") if isinstance(text, str) else text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def entry_map(meta: DocumentMeta) -> CommentedMap:
    """A manifest entry as the hand-written ones look: defaults left out, sources in flow style."""
    data = meta.model_dump(mode="python", exclude_defaults=True)
    data["status"] = meta.status.value
    data["region_level"] = meta.region_level.value
    m = CommentedMap()
    for k, v in data.items():
        _put(m, k, _plain(v))
    return m


def entry_yaml(meta: DocumentMeta) -> str:
    """One entry as YAML text (for previews)."""
    buf = io.StringIO()
    _yaml().dump(CommentedSeq([entry_map(meta)]), buf)
    return buf.getvalue()


def _plain(value: Any) -> Any:
    """Python values → ruamel nodes; a source is written on one line ({file: …, key: …})."""
    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = _plain(v)
        if set(value) <= {"file", "key", "role"} or (set(value) <= {"text", "years", "until"} and len(value) <= 3):
            m.fa.set_flow_style()
        return m
    if isinstance(value, list | tuple):
        seq = CommentedSeq([_plain(v) for v in value])
        if value and all(isinstance(v, str) for v in value):
            seq.fa.set_flow_style()
        return seq
    if value == "*":
        return DoubleQuotedScalarString("*")  # as the hand-written entries quote it
    if hasattr(value, "value") and isinstance(getattr(value, "value", None), str):
        return value.value  # enums
    return value


def _put(m: CommentedMap, key: str, value: Any) -> None:
    """Set a field, placing a new one where FIELD_ORDER puts it (the comments of the others stay)."""
    if key in m:
        m[key] = value
        return
    rank = FIELD_ORDER.index(key) if key in FIELD_ORDER else len(FIELD_ORDER)
    keys = list(m.keys())
    pos = next((i for i, k in enumerate(keys) if (FIELD_ORDER.index(k) if k in FIELD_ORDER else 99) > rank), len(keys))
    m.insert(pos, key, value)


def _to_python(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _to_python(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_to_python(v) for v in node]
    return node
