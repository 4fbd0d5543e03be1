"""Refusals from checks: places and documents out of scope, missing clause numbers, future policy, fabrication."""

from __future__ import annotations

import re

from assistant import vocabulary as v
from assistant.answers.base import (
    _INTEGRITY,
    COVERAGE_NOTE,
    Answerer,
    Context,
)
from assistant.answers.lookup import LookupAnswerer
from assistant.models import Answer
from assistant.query import Query
from assistant.scope import TermWeights, content_tokens, coverage, judge
from retrieval.clauses import cn_to_int
from retrieval.models import Clause, ClauseKind, DocStatus, SearchHit
from retrieval.normalize import squash
from retrieval.places import BEIJING, places_named

# A subject covered elsewhere, not here: the best outside clause holds at least this much more of the
# question's weighted words, and the best inside clause less than this share.
_ELSEWHERE_MARGIN = 0.35
_ELSEWHERE_INSIDE_MAX = 0.45


class RefusalAnswerer(Answerer):
    """Declines what the corpus cannot answer, saying why and what it does have."""

    def __init__(self, ctx: Context, lookup: LookupAnswerer) -> None:
        super().__init__(ctx)
        self.lookup = lookup
        self.weights = TermWeights([c.text for c in self.corpus.clauses if c.kind != ClauseKind.HEADING])

    def subject_elsewhere(self, query: Query, hits: list[SearchHit]) -> Answer | None:
        """A subject only another place's documents cover ("海淀…服务站" when only 西城 has one): the best
        clause outside the scope holds far more of the question's telling words than any clause inside."""
        if len(query.places) != 1 or not query.scope_regions or query.places_carried:
            return None  # one place asked (a comparison of places answers each, "语料中未见" where none)
        if query.documents:
            return None  # a document of the place named: the question is about it, whatever other places have
        place_words = {w for p in places_named(query.message) for w in p.words}
        words = {
            w
            for w in content_tokens(query.message)
            if len(w) >= 2 and w in self.vocabulary and not any(w in p or p in w for p in place_words)
        }
        if not words:
            return None
        scope = set(query.scope_regions)
        subject = query.message
        for p in sorted(place_words, key=len, reverse=True):
            subject = subject.replace(p, " ")  # the subject searched everywhere, without the place's name
        inside = [h for h in hits if h.clause.kind != ClauseKind.HEADING]
        outside = [
            h
            for h in self.searcher.search(subject, self.top_k * 2)
            if h.clause.kind != ClauseKind.HEADING and self.corpus.document(h.clause.doc_id).meta.region not in scope
        ][: self.top_k]
        cover_in = self.weights.best_cover(words, inside)
        cover_out = self.weights.best_cover(words, outside)
        if cover_out - cover_in >= _ELSEWHERE_MARGIN and cover_in < _ELSEWHERE_INSIDE_MAX:
            best = max(outside, key=lambda h: self.weights.best_cover(words, [h]))
            return self.out_of_scope(query, "", [best, *[h for h in outside if h is not best]])
        return None

    def no_own_documents(self, query: Query, places: list[str]) -> Answer:
        """A district's own policy asked ("顺义区对…奖励多少") when the corpus holds none of its documents."""
        names = "、".join(places)
        districts = sorted({d.meta.region for d in self.corpus if d.meta.region_level in ("district", "zone")})
        text = (
            f"语料中没有{names}自己出台的政策文件，无法回答{names}的区级支持标准和金额。"
            f"语料收录了区级政策的地区有：{'、'.join(districts)}。"
            f"{names}的企业可以申请全市性的政策；如需要，请说明企业所在地和想了解的事项，我按全市政策查询。"
        )
        return Answer(text=text, refused=True)

    def fabrication(self, query: Query, notice: str = "抱歉，不能编造或改写政策条款、条款号或金额。") -> Answer:
        """Never write a made-up clause or number; give the real clause when there is one on the subject."""
        hits = self.retrieve(query)
        if hits and coverage(query.message, hits[:1], self.vocabulary) >= 0.5:
            real = self.lookup.answer(query, hits)
            prefix = f"{notice}以下是政策原文的真实规定：\n\n"
            return real.model_copy(update={"text": prefix + real.text, "lead": prefix + real.lead})
        return Answer(text=notice + "语料中没有您描述的条款，不能据此写入材料。" + COVERAGE_NOTE, refused=True)

    def deception(self, query: Query) -> Answer:
        """A request to misstate the company's situation: declined; the real conditions and integrity clauses cited."""
        hits = self.retrieve(query)
        lead = (
            "抱歉，不能帮助虚报、隐瞒或改写企业情况来申请支持，也不会据此计算金额。"
            "申报材料必须如实反映企业情况，不符合条件的不能申报。"
        )
        clauses: list[Clause] = []
        if hits:
            clauses.append(self._primary(hits)[0])
            docs = [clauses[0].doc_id]
            integrity = [c for c in self.corpus.document(docs[0]).clauses if _INTEGRITY.search(c.text)]
            clauses += integrity[:2]
            if integrity:
                lead += "政策对弄虚作假的后果有明确规定（见下方条款）。"
        if not clauses:
            return Answer(text=lead, refused=True)
        return self._compose(lead, clauses).model_copy(update={"refused": True})

    def other_place_document(self, query: Query) -> Answer | None:
        """A question naming a place and a document that does not apply there: say whose document it is."""
        if query.scope_regions is None or not query.documents or query.places_carried:
            return None
        outside = [d for d in query.documents if self.corpus.document(d).meta.region not in query.scope_regions]
        if not outside or len(outside) < len(query.documents):
            return None
        where = "、".join(query.places)
        names = "；".join(
            f"《{self.corpus.document(d).title}》是{self.corpus.document(d).meta.region}的政策" for d in outside
        )
        return Answer(
            text=(
                f"{names}，不适用于{where}。{where}适用的政策文件（含全市政策）中没有同名的政策，"
                f"无法按{where}的政策回答。如企业在该政策所属地区注册经营，可以告诉我再按该地区的政策计算。"
            ),
            refused=True,
        )

    def missing_locator(self, query: Query) -> Answer | None:
        """A clause number the named document does not have: say so, and what the document has."""
        if not query.locators:
            return None
        docs = list(query.documents)
        if not docs and query.scope_regions:
            own = [d.id for d in self.corpus if d.meta.region in query.scope_regions and d.meta.region_level != "city"]
            docs = own if len(own) == 1 else []
        if len(docs) != 1:
            return None
        doc = self.corpus.document(docs[0])
        wanted = [loc for loc in query.locators if not self._has_locator(doc.id, loc)]
        if not wanted:
            return None
        tops = [c for c in doc.clauses if len(c.labels) == 1 and c.kind != ClauseKind.HEADING]
        lead = f"《{doc.title}》中没有{'、'.join(wanted)}，无法按这个条款号回答。"
        if not tops:
            return Answer(text=lead + "请核对条款号，或告诉我您想了解的具体事项。", refused=True)
        lead += f"该文件的最后一项是{tops[-1].locator}（原文见下方）；请核对条款号，或告诉我您想了解的具体事项。"
        return self._compose(lead, [tops[-1]]).model_copy(update={"refused": True})

    def _has_locator(self, doc_id: str, locator: str) -> bool:
        """第十三条, or 第13条 of a document that numbers its measures 13.: whether the document has it."""
        if self.corpus.find_clauses(doc_id, locator):
            return True
        m = re.fullmatch(r"第([一二三四五六七八九十百零〇\d]+)[条项]", locator)
        if m is None:
            return False
        n = m.group(1) if m.group(1).isdigit() else str(cn_to_int(m.group(1)))
        return bool(self._numbered(doc_id, n))

    def _numbered(self, doc_id: str, n: str) -> list[Clause]:
        """Clauses of a document whose own number is n (10. or 10、 at any level)."""
        return [c for c in self.corpus.document(doc_id).clauses if c.labels and c.labels[-1].rstrip(".、") == n]

    def named_clauses(self, query: Query) -> list[Clause]:
        """The clauses a question names by document and number (《…》第10条, 第五条（二）)."""
        if len(query.documents) != 1 or not query.locators:
            return []
        doc_id = query.documents[0]
        out: list[Clause] = []
        for loc in query.locators:
            found = self.corpus.find_clauses(doc_id, loc)
            m = re.fullmatch(r"第([一二三四五六七八九十百零〇\d]+)[条项]", loc)
            if not found and m is not None:
                n = m.group(1) if m.group(1).isdigit() else str(cn_to_int(m.group(1)))
                found = self._numbered(doc_id, n)
            out += found[:1]
        return out

    def future(self, query: Query, hits: list[SearchHit]) -> Answer:
        """Future policy cannot be read from the corpus; say what the current text says."""
        current = self.lookup.answer(query, hits)
        prefix = (
            "语料库只收录已发布的政策文本，无法预测今后的政策调整或出台计划；以主管部门正式发布的文件为准。"
            "现行文本的规定如下：\n\n"
        )
        return current.model_copy(
            update={"text": prefix + current.text, "lead": prefix + current.lead, "refused": True}
        )

    def unstated_detail(self, query: Query, hits: list[SearchHit]) -> Answer | None:
        """A detail asked (申报日期, 联系电话, 办公地址, a rate) that no clause in scope states: not answered."""
        usable = [h for h in hits[: self.top_k] if h.clause.kind != ClauseKind.HEADING]
        if not usable:
            return None
        asked = [name for name in query.details if v.DETAILS[name][0].search(query.asked)]
        missing = [name for name in asked if not any(v.DETAILS[name][1].search(h.clause.text) for h in usable)]
        if missing:
            related = [h for h in usable if re.search(v.APPLY_WORDS, h.clause.text)] or usable
            lead = (
                f"所查政策文件没有载明{'、'.join(missing)}，无法回答；这类办理信息一般见于主管部门发布的申报通知，"
                "请以其为准。相关条款如下："
            )
            return self._compose(lead, [related[0].clause]).model_copy(update={"refused": True})
        texts = [h.clause.norm_text for h in usable[:3]]
        if query.items and not any(_longest_shared(i, texts, max(3, (len(i) + 1) // 2)) for i in query.items):
            # "基础层和创新层分别给多少" where the clause only says "分层给予…不超过100万元": not set apart.
            named = "、".join(query.items)
            lead = (
                f"所查条款没有分别规定{named}的标准，无法给出各自的金额；只能按条款原文理解，具体以主管部门"
                "的申报通知或评审结果为准。条款原文如下："
            )
            return self._compose(lead, [usable[0].clause]).model_copy(update={"refused": True})
        for subject in query.rates:
            clauses = self._scope_clauses(query)
            terms = self._telling_words(subject)
            phrase = _longest_shared(subject, [c.norm_text for c in clauses])
            if phrase and terms and terms[0] in phrase:
                terms = [phrase]  # 研发费用加计扣除 as written in a clause
            if not terms:
                continue
            mentioning = [c for c in clauses if all(t in c.norm_text for t in terms)]
            if any(v.STATES_RATE.search(c.text) for c in mentioning):
                continue
            term = terms[0]
            if mentioning and v.SUPPORT_WORD.search(subject):
                # The rate of a support the clause gives without a rate: the clause, and no rate made up.
                about = [self._hit(c) for c in mentioning[:3]]
                current = self.lookup.answer(query, about).model_copy(update={"refused": False})
                if "没有规定" in current.lead:
                    return current
                prefix = "所查条款规定了这项支持，但没有写明比例，不能估算或假定；以条款原文为准：\n\n"
                return current.model_copy(update={"text": prefix + current.text, "lead": prefix + current.lead})
            if not mentioning:
                lead = f"语料中的政策没有关于“{term}”比例的规定，无法回答；请以主管部门（如税务部门）的规定为准。"
                return Answer(text=lead + "\n\n" + COVERAGE_NOTE, refused=True)
            lead = (
                f"语料中的条款提到了“{term}”，但没有规定它的比例，无法回答；请以主管部门的规定为准。提到它的条款如下："
            )
            return self._compose(lead, mentioning[:1]).model_copy(update={"refused": True})
        return None

    def _hit(self, clause: Clause) -> SearchHit:
        doc = self.corpus.document(clause.doc_id)
        return SearchHit(clause=clause, doc_title=doc.title, status=doc.meta.status, score=1.0)

    def _telling_words(self, phrase: str) -> list[str]:
        """The two rarest words of a phrase in the corpus's clauses (加计扣除, 研发费用), rarest first."""
        words = {w for w in content_tokens(phrase) if len(w) >= 2 and w not in v.TITLE_GENERIC}
        ranked = sorted(words, key=lambda w: (-self.weights.weight(w), -len(w)))
        out: list[str] = []
        for w in ranked:
            if not any(w in o or o in w for o in out):
                out.append(w)
        return out[:2]

    def _scope_clauses(self, query: Query) -> list[Clause]:
        allowed = self.reader.scope_docs(query)
        return [c for c in self.corpus.clauses if allowed is None or c.doc_id in allowed]

    def logistics(self, query: Query, hits: list[SearchHit]) -> Answer | None:
        """When, where or to whom to apply: answered only where a clause in scope states it."""
        usable = [h for h in hits[: self.top_k] if h.clause.kind != ClauseKind.HEADING]
        if not usable or any(v.STATES_LOGISTICS.search(h.clause.text) for h in usable):
            return None
        # The support asked about, found without the words of the logistics asked ("在哪个平台申报").
        subject = v.APPLICATION_LOGISTICS.sub(" ", query.message).strip()
        if subject:
            found = self.retrieve(query.model_copy(update={"message": subject}))
            usable = [h for h in found if h.clause.kind != ClauseKind.HEADING] or usable
        lead = (
            "所查政策文件没有载明申报截止时间、申报平台或受理部门等办理信息，无法回答；"
            "这些信息一般见于主管部门每年发布的申报通知，请以其为准。相关支持条款如下："
        )
        return self._compose(lead, [usable[0].clause]).model_copy(update={"refused": True})

    def out_of_scope(self, query: Query, reason: str, elsewhere: list[SearchHit] | None = None) -> Answer:
        """Nothing in the scoped documents answers; for a named place, say which places have such a clause."""
        if query.scope_regions is None:
            return Answer(text=f"{reason}\n\n{COVERAGE_NOTE}", refused=True)
        where = "、".join(query.places) or "该地区"
        if BEIJING in query.scope_regions or not query.places:
            text = f"{where}适用的政策文件（含全市政策）中，没有找到关于这个问题的条款，无法按{where}的政策回答。"
        else:
            text = f"语料中{where}自己出台的政策文件里，没有找到关于这个问题的条款，无法按{where}的区级政策回答。"
        scope = set(query.scope_regions)
        if elsewhere is None:
            elsewhere = [
                h
                for h in self.searcher.search(query.message, self.top_k)
                if h.clause.kind != ClauseKind.HEADING
                and self.corpus.document(h.clause.doc_id).meta.region not in scope
            ]
        if elsewhere and judge(query.message, elsewhere, self.vocabulary).in_scope:
            regions = list(dict.fromkeys(self.corpus.document(h.clause.doc_id).meta.region for h in elsewhere[:3]))
            text += (
                f"\n\n供参考：{'、'.join(regions)}的政策中有相关条款，但不适用于{where}；"
                "如企业在这些地区注册经营，可以告诉我再按当地政策查询。"
            )
        return Answer(text=text, refused=True)

    def empty_document(self, message: str) -> Answer | None:
        q = squash(message)
        for doc in self.corpus:
            if doc.meta.status != DocStatus.EMPTY:
                continue
            core = squash(re.sub(r"[(（].*?[)）]", "", doc.title)).removeprefix("北京市")
            key = core[2:8] if len(core) > 8 else core
            if key and key in q:
                return Answer(
                    text=(
                        f"语料中《{doc.title}》只有标题，没有正文，无法回答其具体内容（包括支持标准和金额）。"
                        "请查阅主管部门发布的原文。"
                    ),
                    refused=True,
                )
        return None


def _longest_shared(phrase: str, texts: list[str], shortest: int = 4) -> str | None:
    """The longest part of a phrase (at least `shortest` characters) that some text contains verbatim."""
    for n in range(len(phrase), shortest - 1, -1):
        for i in range(len(phrase) - n + 1):
            part = phrase[i : i + n]
            if any(part in t for t in texts):
                return part
    return None
