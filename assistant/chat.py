"""Dispatch: a question (and its conversation) in, an Answer out. No LLM needed.

The question is read once into a `Query`; the checks that refuse come first, then one answerer per
intent (amount, lookup, comparison, validity, overview) answers from the clauses in scope.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from assistant import vocabulary as v
from assistant.answers.amount import AmountAnswerer
from assistant.answers.base import _ANAPHORA, COVERAGE_NOTE, Answerer, Context, _needs_context
from assistant.answers.comparison import ComparisonAnswerer
from assistant.answers.lookup import LookupAnswerer
from assistant.answers.overview import OverviewAnswerer
from assistant.answers.refusal import RefusalAnswerer
from assistant.answers.validity import ValidityAnswerer
from assistant.compose import Composer
from assistant.facts import Kind
from assistant.models import Answer, Citation, Message
from assistant.query import IntentKind, Query, QueryReader
from assistant.rulebook import RuleBook
from assistant.scope import corpus_vocabulary, judge
from retrieval.corpus import Corpus
from retrieval.hybrid import HybridSearcher
from retrieval.models import Clause, SearchFilters, SearchHit
from retrieval.normalize import normalize

__all__ = ["COVERAGE_NOTE", "Assistant", "user_turns"]


def user_turns(history: list[Message]) -> list[str]:
    return [m.content for m in history if m.role == "user"]


class Assistant:
    """The answerer. It receives its parts (searcher, rule book); it does not build them."""

    def __init__(
        self,
        searcher: HybridSearcher,
        today: dt.date | None = None,
        top_k: int = 5,
        rulebook: RuleBook | None = None,
    ) -> None:
        if top_k < 1:
            raise ValueError("top_k must be at least 1")
        self.searcher = searcher
        self.corpus: Corpus = searcher.corpus
        self.fixed_today = today
        self.top_k = top_k
        self.rulebook = rulebook or RuleBook([], {})
        self.reader = QueryReader(self.corpus, lambda: self.today)
        self.vocabulary = corpus_vocabulary(
            [c.norm_text for c in self.corpus.clauses]
            + [d.title for d in self.corpus]
            + [a for d in self.corpus for a in d.meta.aliases]
        )
        self.composer = Composer(self.corpus, lambda: self.today, self.rulebook.unreviewed(self.corpus))
        ctx = Context(searcher, self.rulebook, self.reader, self.vocabulary, top_k, self.composer)
        self.base = Answerer(ctx)
        self.lookup = LookupAnswerer(ctx)
        self.amount = AmountAnswerer(ctx)
        self.comparison = ComparisonAnswerer(ctx)
        self.validity = ValidityAnswerer(ctx)
        self.overview = OverviewAnswerer(ctx)
        self.refusals = RefusalAnswerer(ctx, self.lookup)

    @property
    def today(self) -> dt.date:
        """The date validity is judged on: the configured one, else the date of the request."""
        return self.fixed_today or dt.date.today()

    def runnable(self) -> Runnable[dict[str, Any], Answer]:
        """The answerer as an LCEL runnable: {"question": …, "history": [Message, …]} → Answer."""
        return RunnableLambda(
            lambda inp: self.answer(inp["question"], list(inp.get("history", [])), inp.get("region")),
            name="policy_qa_extractive",
        )

    def read(self, message: str, history: list[Message] | None = None, region: str | None = None) -> Query:
        return self.reader.read(message, history, region)

    def filters(self, query: Query) -> SearchFilters | None:
        return self.base.filters(query)

    def retrieve(self, query: Query, k: int | None = None) -> list[SearchHit]:
        return self.base.retrieve(query, k)

    def cite(self, clause: Clause) -> Citation:
        return self.composer.cite(clause)

    def warnings(self, clauses: list[Clause]) -> list[str]:
        return self.composer.warnings(clauses)

    def answer(self, message: str, history: list[Message] | None = None, region: str | None = None) -> Answer:
        """Answer a message; `region` (e.g. 西城区, from a widget's data-region) is a hint, not a filter."""
        history = history or []
        if not message.strip():
            return Answer(text="请输入您的问题。", follow_up="请问您想了解哪项政策或补贴？")
        query = self.read(message, history, region)
        if query.flags.injection:
            rest, injected = without_injected(message)
            clean = self.read(rest, history, region) if injected and len(rest) >= _SHORTEST_QUESTION else None
            if clean is not None and not clean.claims and not v.CONFIRM_OR_STATE.search(clean.text):
                # An instruction hidden in a real question: the question is answered, the instruction is not.
                answer = self.answer_query(clean)
                note = "您的消息中夹带了要求改变回答方式或直接声明金额、结果的指令，已忽略；以下只按政策条款回答。\n\n"
                return answer.model_copy(update={"text": note + answer.text, "lead": note + answer.lead})
        return self.answer_query(query)

    def answer_query(self, query: Query) -> Answer:
        """The answer to a question already read."""
        message = query.message
        previous = query.turns[:-1]
        if query.elsewhere and not query.places:
            names = "、".join(query.elsewhere)
            return Answer(
                text=f"语料库只收录北京市（另有石家庄市一份）的科技政策，没有{names}的政策文件，无法回答。\n\n{COVERAGE_NOTE}",
                refused=True,
            )
        lacking = [p for p in query.without_own_documents if query.own_level or p in query.issuers]
        if lacking and len(query.places) == 1 and not query.places_carried:
            return self.refusals.no_own_documents(query, lacking)
        if query.flags.deceive:
            return self.refusals.deception(query)
        if query.flags.fabricate:
            return self.refusals.fabrication(query)
        if (
            query.flags.injection
            and v.CONFIRM_OR_STATE.search(query.text)
            and all(f.quantity.kind == Kind.MONEY for f in query.facts)
        ):
            # Told to confirm or state a figure, with nothing of the company's own to compute from.
            notice = "抱歉，不能按指令确认或写入指定的金额；金额只能按政策条款计算。"
            return self.refusals.fabrication(query, notice).model_copy(update={"refused": True})
        empty = self.refusals.empty_document(message)
        if empty:
            return empty
        elsewhere_doc = self.refusals.other_place_document(query)
        if elsewhere_doc:
            return elsewhere_doc
        missing_locator = self.refusals.missing_locator(query)
        if missing_locator:
            return missing_locator
        hits = self.retrieve(query)
        named = self.refusals.named_clauses(query)
        if named:
            # The clause the question names by number comes first, whatever search ranks first.
            doc = self.corpus.document(named[0].doc_id)
            pinned = [SearchHit(clause=c, doc_title=doc.title, status=doc.meta.status, score=1.0) for c in named]
            hits = [*pinned, *[h for h in hits if h.clause.id not in {c.id for c in named}]]
        decision = judge(message, hits, self.vocabulary)
        if not decision.in_scope and previous:
            # A follow-up ("合同八十万能补多少") is judged together with the turn it follows.
            decision = judge(f"{previous[-1]} {message}", hits, self.vocabulary)
        if not decision.in_scope and IntentKind.OVERVIEW in query.intents and not previous:
            return self.overview.answer(query)
        if not decision.in_scope:
            return self.refusals.out_of_scope(query, decision.reason or "")
        elsewhere_only = self.refusals.subject_elsewhere(query, hits)
        if elsewhere_only:
            return elsewhere_only
        if query.flags.future:
            return self.refusals.future(query, hits)
        unstated = self.refusals.unstated_detail(query, hits)
        if unstated:
            return unstated
        if query.flags.logistics:
            unstated = self.refusals.logistics(query, hits)
            if unstated:
                return unstated
        if IntentKind.OVERVIEW in query.intents and not previous and query.intent != IntentKind.VALIDITY:
            return self.overview.answer(query)
        if query.flags.listing and not previous and not query.facts and query.intent != IntentKind.VALIDITY:
            listed = self.overview.listing(query, hits)
            if listed is not None:
                return listed
        return self._answer_in_scope(query, hits)

    def _answer_in_scope(self, query: Query, hits: list[SearchHit]) -> Answer:
        answer = self._answer_by_intent(query, hits)
        lacking = [p for p in query.without_own_documents if p in query.places and not answer.refused]
        if lacking and len(query.places) == 1:
            note = f"语料中没有{'、'.join(lacking)}自己出台的政策文件；以下按适用于该区企业的全市政策回答。\n\n"
            answer = answer.model_copy(update={"text": note + answer.text, "lead": note + answer.lead})
        return answer

    def _answer_by_intent(self, query: Query, hits: list[SearchHit]) -> Answer:
        intent = query.intent
        if intent == IntentKind.LOOKUP and len(query.turns) > 1 and _follows_on(query) and _asked_amount(query):
            intent = IntentKind.AMOUNT
        if intent == IntentKind.VALIDITY:
            return self.validity.answer(query, hits)
        if intent == IntentKind.COMPARISON or (
            query.flags.each and (len(query.places) > 1 or len(query.documents) > 1)
        ):
            return self.comparison.answer(query, hits)
        if _conditions_only(query):
            # "申请要具备什么条件": what it takes, not how much — the conditions answer it.
            return self.lookup.answer(query, hits)
        if intent in (IntentKind.AMOUNT, IntentKind.PROFILE) or IntentKind.AMOUNT in query.intents:
            answer = self.amount.answer(query, hits)
            if answer is not None:
                return answer
        else:
            if IntentKind.ELIGIBILITY in query.intents:
                answer = self.amount.ineligible(query, hits)
                if answer is not None:
                    return answer
            # Facts without "多少" ("压缩机1500公斤，直接回复…") or a fixed award: compute when the rule can.
            answer = self.amount.answer(query, hits, only_if_computed=True)
            if answer is not None:
                return answer
        return self.lookup.answer(query, hits)


_SHORTEST_QUESTION = 6  # characters left after an injected instruction is taken out, to be a question


def without_injected(message: str) -> tuple[str, str]:
    """The message without the parts that instruct the assistant (【系统指令：…】, a sentence saying 忽略…), and
    those parts."""
    injected: list[str] = []

    def drop(m: re.Match[str]) -> str:
        if v.INJECTION.search(normalize(m.group(0))):
            injected.append(m.group(0))
            return ""
        return m.group(0)

    rest = re.sub(r"【[^】]*】|\[[^\]]*\]|（[^）]*）|\([^)]*\)", drop, message)
    rest = re.sub(r"[^。！？!?\n]*[。！？!?\n]?", drop, rest)
    return rest.strip(), "".join(injected)


def _conditions_only(query: Query) -> bool:
    """Conditions asked, with no figure of the company's and no "how much" (多少, 几万)."""
    return (
        v.CONDITIONS_ASKED.search(query.text) is not None
        and not query.facts
        and re.search(r"多少|几[万百千亿]|怎么算|如何计算", query.text) is None
    )


def _asked_amount(query: Query) -> bool:
    """Whether an earlier turn asked for an amount (a follow-up giving a number continues it)."""
    return any(v.AMOUNT.search(normalize(turn)) for turn in query.turns[-3:-1])


def _follows_on(query: Query) -> bool:
    """A turn that gives numbers or refers back ("那", "呢") continues the earlier question."""
    last = len(query.turns) - 1
    gives_numbers = any(f.turn == last for f in query.facts)
    return gives_numbers or _ANAPHORA.search(query.message) is not None or _needs_context(query.message)
