"""Overviews: a vague question gets what applies, grouped by place, cited, and a question back."""

from __future__ import annotations

from collections import defaultdict

from assistant.answers.base import (
    _AMOUNTISH,
    COVERAGE_NOTE,
    Answerer,
)
from assistant.models import Answer
from assistant.query import Query
from assistant.scope import content_tokens
from assistant.validity import standing
from retrieval.models import Clause, ClauseKind, DocStatus, SearchHit
from retrieval.normalize import normalize


class OverviewAnswerer(Answerer):
    """A short cited map of what can be asked."""

    def _first_measures(self, doc_id: str, n: int) -> list[Clause]:
        """The first n clauses of a document that state a support, one per top-level part."""
        out: list[Clause] = []
        parts: set[str] = set()
        for c in self.corpus.document(doc_id).clauses:
            top = c.labels[0] if c.labels else c.locator
            if c.kind == ClauseKind.CLAUSE and top not in parts and _AMOUNTISH.search(c.text):
                out.append(c)
                parts.add(top)
            if len(out) >= n:
                break
        return out

    def answer(self, query: Query, hits: list[SearchHit] | None = None) -> Answer:
        """A vague question: a short overview of what applies, grouped by place, cited, and a question back."""
        scope = self.reader.scope_docs(query)
        docs = [d for d in self.corpus if d.meta.status != DocStatus.EMPTY and (scope is None or d.id in scope)]
        ask: str | None = (
            "请问贵企业注册在哪个区、属于什么行业、想了解哪一类支持（如研发、上市、房租、人才、知识产权、标准等）？"
        )
        clauses: list[Clause] = []
        for h in hits or []:
            if h.clause.kind != ClauseKind.HEADING and h.clause.doc_id not in {c.doc_id for c in clauses}:
                clauses.append(h.clause)
        clauses = clauses[:4]
        if not clauses and query.places:
            # A place named: the first measures of its own documents (a short list by type), then the city's.
            own = [d for d in docs if d.meta.region in query.places and d.meta.region_level != "city"]
            # The document whose title shares the question's subject (中小企业 → 中小企业梯度培育) first, and most.
            words = {w for w in content_tokens(query.message) if len(w) >= 2}
            own.sort(key=lambda d: -sum(1 for w in words if w in normalize(d.title)))
            for n, d in enumerate(own):
                clauses += self._first_measures(d.id, 5 if n == 0 else 2)
            city = [d for d in docs if d not in own and d.meta.status == DocStatus.IN_FORCE]
            for d in city[:2]:
                clauses += self._first_measures(d.id, 1)
        if not clauses:
            # One document per place (in force first, the place's own before the city's), with a clause that
            # states a support: a map of what can be asked, each entry cited.
            ranked = sorted(docs, key=lambda d: (d.meta.status != DocStatus.IN_FORCE, d.meta.region_level == "city"))
            for d in ranked:
                if any(self.corpus.document(c.doc_id).meta.region == d.meta.region for c in clauses):
                    continue
                if len(clauses) < 8:
                    clauses += self._first_measures(d.id, 1)
        by_doc: dict[str, list[str]] = defaultdict(list)
        for c in clauses:
            by_doc[c.doc_id].append(c.locator)
        groups: dict[str, list[str]] = defaultdict(list)
        for doc_id, locators in by_doc.items():
            d = self.corpus.document(doc_id)
            label = standing(d.meta, self.today).label
            groups[d.meta.region].append(f"《{d.title}》（{label}）：{'；'.join(locators)}")
        where = "、".join(query.places) if query.places else "语料库中"
        lines = [f"{where}可以查到的支持举例如下（按地区，每项的条款原文见下方）："]
        # The places asked about first, then the city.
        for region, entries in sorted(groups.items(), key=lambda t: (t[0] == "北京市", t[0])):
            lines.append(f"- {region}：{' '.join(entries)}")
        lines.append("\n要给出准确的条款和金额，还需要了解企业情况。")
        if query.places:
            # The place's overview answers; the question back invites the facts that would narrow it.
            lines[-1] = f"\n要给出准确的条款和金额，还需要了解企业情况：{ask}"
            ask = None
        text = "\n".join(lines)
        if not clauses:
            return Answer(text=text + "\n\n" + COVERAGE_NOTE, follow_up=ask)
        return self._compose(text, clauses, follow_up=ask)

    def listing(self, query: Query, hits: list[SearchHit]) -> Answer | None:
        """ "朝阳中小企业能申请哪些钱": the supports of the document that best answers the subject, each cited."""
        usable = [h for h in hits if h.clause.kind != ClauseKind.HEADING]
        if not usable:
            return None
        doc = self.corpus.document(usable[0].clause.doc_id)
        found = [h.clause for h in usable if h.clause.doc_id == doc.id]
        if len(found) < 3:
            words = {w for w in content_tokens(query.message) if len(w) >= 2}
            measures = [
                c
                for c in doc.clauses
                if c.kind == ClauseKind.CLAUSE and _AMOUNTISH.search(c.text) and c.id not in {f.id for f in found}
            ]
            measures.sort(key=lambda c: -sum(1 for w in words if w in c.norm_text))
            found += measures[: 5 - len(found)]
        order = {c.id: n for n, c in enumerate(doc.clauses)}
        found.sort(key=lambda c: order.get(c.id, 0))
        label = standing(doc.meta, self.today).label
        lines = [f"《{doc.title}》（{label}）中与此相关的支持措施如下（条款原文见下方）："]
        lines += [f"- {c.locator}：{''.join(self._key_sentences(query.message, c, limit=1))}" for c in found]
        lines.append("\n如需测算具体金额，请告诉我企业的相关情况（如投入、合同额、认定类别等）。")
        return self._compose("\n".join(lines), found)
