"""Lookups: what a clause says, quoted."""

from __future__ import annotations

from assistant import vocabulary as v
from assistant.answers.base import (
    Answerer,
)
from assistant.models import Answer
from assistant.query import Query
from retrieval.models import SearchHit


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
        clauses = self._primary(hits)
        main = clauses[0]
        doc = self.corpus.document(main.doc_id)
        key = "".join(self._key_sentences(message, main))
        lead = f"根据《{doc.title}》{main.locator}：{key}"
        return self._compose(lead, clauses)
