"""The composer: one reply built from structured parts (lead, details, quoted clauses, warnings, question).

Every answerer hands its parts here; the Markdown `text` is rendered from them, and the same parts are
returned as fields, so the web layer renders parts and never re-parses the Markdown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from assistant.models import Answer, Calculation, Citation
from assistant.validity import standing
from retrieval.corpus import Corpus
from retrieval.models import Clause, ClauseKind
from retrieval.normalize import squash


class Composer:
    """Builds answers from parts; the date of each reply comes from `today`."""

    def __init__(self, corpus: Corpus, today: Callable[[], dt.date], unreviewed: frozenset[str] = frozenset()) -> None:
        self.corpus = corpus
        self._today = today
        self.unreviewed = unreviewed  # clauses stating amounts whose rules a person has not reviewed yet

    @property
    def today(self) -> dt.date:
        return self._today()

    def cite(self, clause: Clause) -> Citation:
        doc = self.corpus.document(clause.doc_id)
        s = standing(doc.meta, self.today)
        return Citation(
            doc_id=doc.id,
            doc_title=doc.title,
            locator=clause.locator,
            quote=clause.text,
            status=doc.meta.status.value,
            status_label=s.label,
            clause_id=clause.id,
        )

    def warnings(self, clauses: list[Clause]) -> list[str]:
        seen: list[str] = []
        for c in clauses:
            meta = self.corpus.document(c.doc_id).meta
            w = standing(meta, self.today).warning
            if w and w not in seen:
                seen.append(w)
            if c.id in self.unreviewed:
                w = (
                    f"注意：《{meta.title}》的金额规则尚未经人工审核，本回答不计算其金额；"
                    "引用条款中的金额以原文为准，请自行核对。"
                )
                if w not in seen:
                    seen.append(w)
        return seen

    # -- answer ------------------------------------------------------------------------------

    def validity_clause(self, doc_id: str) -> Clause | None:
        doc = self.corpus.document(doc_id)
        meta = doc.meta
        needles = [squash(meta.validity.text)] if meta.validity else []
        needles += [squash(r.doc_number) for r in meta.supersedes if r.doc_number]
        for c in doc.clauses:
            text = squash(c.text)
            if any(n and n in text for n in needles):
                return c
        closing = [c for c in doc.clauses if c.kind == ClauseKind.CLOSING]
        return closing[-1] if closing else None

    def compose(
        self,
        lead: str,
        clauses: list[Clause],
        calculation: Calculation | None = None,
        follow_up: str | None = None,
        extra: list[str] | None = None,
    ) -> Answer:
        parts = [lead]
        parts.extend(extra or [])
        parts.append("**依据条款**")
        for c in clauses:
            doc = self.corpus.document(c.doc_id)
            label = standing(doc.meta, self.today).label
            quoted = "\n".join(f"> {line}" for line in c.text.splitlines())
            parts.append(f"{quoted}\n>\n> ——《{doc.title}》{c.locator}（{label}）")
        # An expired document's answer also quotes the sentence that says how long it applied.
        for c in list(clauses):
            meta = self.corpus.document(c.doc_id).meta
            if meta.expired_on(self.today):
                vc = self.validity_clause(c.doc_id)
                if vc is not None and vc not in clauses:
                    clauses = [*clauses, vc]
                    quoted = "\n".join(f"> {line}" for line in vc.text.splitlines())
                    parts.append(f"{quoted}\n>\n> ——《{meta.title}》{vc.locator}（{standing(meta, self.today).label}）")
        parts.extend(f"⚠️ {w}" for w in self.warnings(clauses))
        if follow_up:
            parts.append(f"❓ {follow_up}")
        warnings = self.warnings(clauses)
        return Answer(
            text="\n\n".join(parts),
            lead=lead,
            details=list(extra or []),
            warnings=warnings,
            citations=[self.cite(c) for c in clauses],
            calculation=calculation,
            follow_up=follow_up,
        )
