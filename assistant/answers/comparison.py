"""Comparisons: 2–4 places or documents side by side, every row cited or marked 语料中未见."""

from __future__ import annotations

import re

from assistant.answers.base import (
    Answerer,
)
from assistant.calculator import calculate
from assistant.facts import format_yuan
from assistant.models import Answer
from assistant.query import IntentKind, Query
from assistant.scope import judge
from retrieval.models import Clause, ClauseKind, SearchFilters, SearchHit
from retrieval.normalize import to_simplified
from retrieval.places import document_regions, place


class ComparisonAnswerer(Answerer):
    """One row per place or document named."""

    def answer(self, query: Query, hits: list[SearchHit]) -> Answer:
        """One row per place named (2–4), else per best document; every row cited or marked 语料中未见."""
        message = query.message
        sides: list[tuple[str, list[SearchHit]]] = []
        missing: list[str] = []
        named = [place(p) for p in query.places]
        if len(query.documents) >= 2:
            for doc_id in query.documents[:4]:
                found = self.searcher.search(message, self.top_k, SearchFilters(doc_ids=(doc_id,)))
                if found:
                    sides.append((self.corpus.document(doc_id).title, found))
        elif len(named) >= 2:
            for p in named[:4]:
                # Each side is searched without the other sides' place names, within its own documents.
                others = [w for o in named if o != p for w in o.words]
                plain = to_simplified(message)  # 朝陽 is 朝阳: other sides' names are removed in either script
                text = re.sub("|".join(map(re.escape, others)), "", plain) if others else plain
                own = self.reader.scope_docs(self.read(p.name + " " + text))
                mine = document_regions(p, self.reader.regions)
                own = {d for d in own or () if self.corpus.document(d).meta.region in mine}
                regional = self.searcher.search(text, self.top_k, SearchFilters(doc_ids=tuple(sorted(own or ()))))
                if regional and judge(text, regional, self.vocabulary).in_scope:
                    sides.append((p.name, regional))
                else:
                    missing.append(p.name)
        if len(sides) + len(missing) < 2:
            seen_docs: set[str] = {side[0].clause.doc_id for _, side in sides}
            for h in hits:
                if h.clause.kind != ClauseKind.HEADING and h.clause.doc_id not in seen_docs:
                    same = [x for x in hits if x.clause.doc_id == h.clause.doc_id and x is not h]
                    sides.append((self.corpus.document(h.clause.doc_id).meta.region, [h, *same]))
                    seen_docs.add(h.clause.doc_id)
                if len(sides) >= 2:
                    break
        wants_amount = IntentKind.AMOUNT in query.intents or bool(query.facts)
        chosen: list[Clause] = []
        lines: list[str] = []
        for name, side in sides:
            clause = next((h.clause for h in side if h.clause.kind != ClauseKind.HEADING), side[0].clause)
            doc = self.corpus.document(clause.doc_id)
            choice = self.rulebook.choose(
                message, side, documents={h.clause.doc_id for h in side}, facts=self._facts(query)
            )
            if choice.best is not None and choice.best.doc_id == doc.id:
                clause = self.corpus.clause(choice.best.clause_id)  # the side's measure, as its rule says
            line = f"- **{name}**：《{doc.title}》{clause.locator}：{''.join(self._key_sentences(message, clause))}"
            if wants_amount and choice.best is not None and choice.best.doc_id == doc.id:
                rule = choice.best.rule
                result = calculate(
                    rule,
                    self._bind(rule, query).values,
                    years=self._years(query, rule),
                    first_year=query.horizon.first_year,
                )
                calc = result.calculation
                if calc is not None:
                    line = (
                        f"- **{name}**：《{doc.title}》{clause.locator}（{rule.title}）：按您给出的数字，"
                        f"可获得 **{format_yuan(calc.amount_yuan)}**（{'；'.join(calc.steps[:-1])}）"
                    )
            chosen.append(clause)
            lines.append(line)
        lines += [f"- **{name}**：语料中未见该地区（含全市政策）关于此事项的条款" for name in missing]
        if not chosen:
            return Answer(text="对比如下：\n\n" + "\n".join(lines), refused=True)
        return self._compose("对比如下：\n\n" + "\n".join(lines), chosen)
