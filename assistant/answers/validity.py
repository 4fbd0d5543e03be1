"""Validity: whether a document applies today, and what it repeals (a draft repeals nothing yet)."""

from __future__ import annotations

from assistant import vocabulary as v
from assistant.answers.base import (
    Answerer,
)
from assistant.models import Answer
from assistant.query import Query
from assistant.scope import content_tokens
from assistant.validity import standing, validity_sentence
from retrieval.models import Clause, ClauseKind, DocStatus, SearchFilters, SearchHit
from retrieval.normalize import squash
from retrieval.places import places_named


class ValidityAnswerer(Answerer):
    """Says whether a document is in force, expired, a draft or a summary, citing its validity clause."""

    def answer(self, query: Query, hits: list[SearchHit]) -> Answer:
        message = query.message
        named = [d for d in query.documents if d in {h.clause.doc_id for h in hits}] or query.documents
        doc = self.corpus.document(named[0] if len(named) == 1 else hits[0].clause.doc_id)
        meta = doc.meta
        clause = self._validity_clause(doc.id) or hits[0].clause
        clauses = [clause]
        asked = self._measure_asked(query, doc.id) or hits[0].clause
        if asked.id != clause.id and asked.kind not in (ClauseKind.HEADING, ClauseKind.PREAMBLE, ClauseKind.CLOSING):
            clauses = [asked, clause]  # the measure asked about, then what says how long it applies
        if meta.status in (DocStatus.SUMMARY, DocStatus.INTERPRETATION):
            # What the question asked about, and the opening that says what the source is.
            first = next((c for c in doc.clauses if c.kind != ClauseKind.HEADING), None)
            clauses = [hits[0].clause] + ([first] if first and first.id != hits[0].clause.id else [])
        s = standing(meta, self.today)
        sentence = validity_sentence(meta, self.today)
        if meta.issued is None and meta.effective is None and "自印发之日起" in squash(clause.text):
            # "自印发之日起施行" with no date anywhere in the corpus: the start cannot be dated.
            sentence += "文件规定自印发之日起施行，但语料未载明印发日期，无法确定具体施行日期。"
        state = {
            "draft": "这是一份征求意见稿，尚未正式印发施行，目前不能据此申报。",
            "expired": "该文件已过有效期。",
            "repealed": "该文件已废止。",
            "superseded": "该文件已被新版本替代，申报请以新文件为准。",
            "summary": "该来源是新闻报道或汇编摘要，不是政策原文，不能直接作为申报依据。",
            "interpretation": "该来源是政策解读，不是政策原文，引用时应以正式文件为准。",
            "in_force": "该文件为现行有效文件。",
            "empty": "语料中该文件只有标题。",
        }[s.code]
        lead = f"关于《{doc.title}》的效力：{state}{sentence}"
        asked_text = squash(message)
        for rel in meta.supersedes:
            if rel.doc_number and squash(rel.doc_number) in asked_text:
                if meta.status == DocStatus.DRAFT:
                    # A draft repeals nothing until it is issued and takes effect.
                    lead = (
                        f"您提到的{rel.doc_number}《{rel.title}》目前没有被废止：拟替代它的《{doc.title}》"
                        f"还是征求意见稿，尚未正式印发施行，征求意见稿中“原文件同时废止”的规定要等新文件施行后才生效。"
                        f"在此之前，{rel.doc_number}的效力以主管部门公布为准（语料未收录其原文）。"
                    )
                    continue
                # The user holds the document this one repealed.
                issued = f"{meta.issued.year}年{meta.issued.month}月{meta.issued.day}日印发的" if meta.issued else ""
                lead = (
                    f"您提到的{rel.doc_number}《{rel.title}》已经废止，不能再按它申请。"
                    f"现行的是{issued}《{doc.title}》，其中规定原文件同时废止。"
                )
        return self._compose(lead, clauses)

    def _measure_asked(self, query: Query, doc_id: str) -> Clause | None:
        """The measure of a document a validity question also names (…若干措施还有效吗？某项补贴还能报吗？)."""
        doc = self.corpus.document(doc_id)
        rest = squash(query.message)
        for name in sorted({squash(doc.title), *(squash(a) for a in doc.meta.aliases)}, key=len, reverse=True):
            rest = rest.replace(name, " ")
        rest = _without_title_runs(rest, squash(doc.title))
        words = {w for w in content_tokens(rest) if len(w) >= 2 and not v.VALIDITY.search(w)}
        words -= set(self.reader.doc_keys.get(doc_id, set()))
        words = {w for w in words if not places_named(w)}  # a place names where, not which measure
        if not words:
            return None
        found = self.searcher.search(rest, self.top_k, SearchFilters(doc_ids=(doc_id,)))
        for h in found:
            if h.clause.kind == ClauseKind.CLAUSE and any(w in h.clause.norm_text for w in words):
                return h.clause
        return None


def _without_title_runs(text: str, title: str, shortest: int = 4) -> str:
    """The text without runs of the title it quotes in part (four characters or more of a longer title)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        j = i + shortest
        if text[i:j] in title and j <= len(text):
            while j < len(text) and text[i : j + 1] in title:
                j += 1
            out.append(" ")
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)
