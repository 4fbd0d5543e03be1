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
from assistant.validity import standing
from retrieval.models import Clause, ClauseKind, DocStatus, SearchHit


class OverviewAnswerer(Answerer):
    """A short cited map of what can be asked."""

    def answer(self, query: Query, hits: list[SearchHit] | None = None) -> Answer:
        """A vague question: a short overview of what applies, grouped by place, cited, and a question back."""
        scope = self.reader.scope_docs(query)
        docs = [d for d in self.corpus if d.meta.status != DocStatus.EMPTY and (scope is None or d.id in scope)]
        ask = "请问贵企业注册在哪个区、属于什么行业、想了解哪一类支持（如研发、上市、房租、人才、知识产权、标准等）？"
        clauses: list[Clause] = []
        for h in hits or []:
            if h.clause.kind != ClauseKind.HEADING and h.clause.doc_id not in {c.doc_id for c in clauses}:
                clauses.append(h.clause)
        clauses = clauses[:4]
        if not clauses:
            # One document per place (in force first, the place's own before the city's), with a clause that
            # states a support: a map of what can be asked, each entry cited.
            ranked = sorted(docs, key=lambda d: (d.meta.status != DocStatus.IN_FORCE, d.meta.region_level == "city"))
            per_region = 2 if scope is not None else 1
            for d in ranked:
                if sum(1 for c in clauses if self.corpus.document(c.doc_id).meta.region == d.meta.region) >= per_region:
                    continue
                first = next((c for c in d.clauses if c.kind == ClauseKind.CLAUSE and _AMOUNTISH.search(c.text)), None)
                if first is not None and len(clauses) < 8:
                    clauses.append(first)
        groups: dict[str, list[str]] = defaultdict(list)
        for c in clauses:
            d = self.corpus.document(c.doc_id)
            groups[d.meta.region].append(f"《{d.title}》{c.locator}（{standing(d.meta, self.today).label}）")
        where = "、".join(query.places) if query.places else "语料库中"
        lines = [f"{where}可以查到的支持举例如下（按地区，每项的条款原文见下方）："]
        for region, titles in sorted(groups.items(), key=lambda t: (t[0] != "北京市", t[0])):
            lines.append(f"- {region}：{'；'.join(titles)}")
        lines.append("\n要给出准确的条款和金额，还需要了解企业情况。")
        text = "\n".join(lines)
        if not clauses:
            return Answer(text=text + "\n\n" + COVERAGE_NOTE, follow_up=ask)
        return self._compose(text, clauses, follow_up=ask)
