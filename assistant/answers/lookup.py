"""Lookups: what a clause says, quoted."""

from __future__ import annotations

from assistant import vocabulary as v
from assistant.answers.base import Answerer, introduces_list
from assistant.models import Answer
from assistant.query import Query
from retrieval.models import Clause, SearchHit
from retrieval.normalize import normalize


class LookupAnswerer(Answerer):
    """Answers with the clauses that say it."""

    def answer(self, query: Query, hits: list[SearchHit]) -> Answer:
        message = query.message
        if query.flags.combination:
            # "能一起拿吗": the clause that says whether supports combine answers it.
            exclusive = [h for h in hits if v.EXCLUSIVE.search(h.clause.text)]
            if exclusive:
                hits = [exclusive[0], *[h for h in hits if h is not exclusive[0]]]
                clause = exclusive[0].clause
                doc = self.corpus.document(clause.doc_id)
                lead = f"根据《{doc.title}》{clause.locator}：{''.join(self._key_sentences(message, clause))}"
                return self._compose(lead, [clause])
        if v.CONDITIONS_ASKED.search(query.text):
            hits = _list_first(hits)
        clauses = self._primary(hits)
        main = clauses[0]
        doc = self.corpus.document(main.doc_id)
        key = "".join(self._key_sentences(message, main))
        unstated = self._value_not_stated(query, clauses)
        if unstated:
            lead = (
                f"《{doc.title}》{main.locator}涉及这一事项，但没有规定{unstated}，语料中无法确认；"
                f"请以主管部门的解释或相关专项文件为准。条款原文：{key}"
            )
            return self._compose(lead, clauses).model_copy(update={"refused": True})
        items = [c for c in clauses[1:] if c.labels[:-1] == main.labels and main.labels]
        if items and (introduces_list(main.text)):
            # "须满足以下条件：" says nothing by itself: its items are the answer.
            key = key + "".join(f"\n{c.text.strip()}" for c in items)
        lead = f"根据《{doc.title}》{main.locator}：{key}"
        return self._compose(lead, clauses)

    @staticmethod
    def _value_not_stated(query: Query, clauses: list[Clause]) -> str | None:
        """A rate asked for (百分之多少, 按100%还是120%) that the clauses found do not state: what is missing."""
        text = " ".join(normalize(c.text) for c in clauses)
        offered = [m.group(1) for m in v.OFFERED_VALUES.finditer(query.text)]
        offered += [m.group(3) for m in v.OFFERED_VALUES.finditer(query.text)]
        if offered and not any(o.replace(" ", "") in text.replace(" ", "") for o in offered):
            return f"您问的{'还是'.join(dict.fromkeys(offered))}这样的具体标准"
        if v.ASKS_RATE.search(query.text) and not v.STATES_RATE.search(text):
            return "具体比例"
        return None


def _list_first(hits: list[SearchHit]) -> list[SearchHit]:
    """Conditions asked, and three of the best five hits are items of one list (登记条件(一)(二)(三)): that list
    answers, whatever single clause ranks first."""
    top5 = [h for h in hits[:5] if h.clause.labels[:-1]]
    for h in top5:
        parent = (h.clause.doc_id, h.clause.labels[:-1])
        if sum(1 for x in top5 if (x.clause.doc_id, x.clause.labels[:-1]) == parent) >= 3:
            return [h, *[x for x in hits if x is not h]]
    return hits
