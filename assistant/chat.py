"""Orchestration: a question (and its conversation) in, an Answer out. No LLM needed.

Every step reads the one `Query` the reader builds for the turn; none re-parses the message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from assistant import vocabulary as v
from assistant.binding import bind, score_for
from assistant.calculator import CalcResult, Outcome, calculate, fmt_plain
from assistant.facts import Kind, Quantity, extract, format_yuan
from assistant.formula import evaluate
from assistant.models import Answer, Calculation, Citation, Message
from assistant.query import IntentKind, Query, QueryReader
from assistant.rulebook import RuleBook
from assistant.rules import BoundRule, InputKind, Rule, Step
from assistant.scope import content_tokens, corpus_vocabulary, coverage, judge
from assistant.validity import standing, validity_sentence
from retrieval.clauses import cn_to_int
from retrieval.corpus import Corpus
from retrieval.hybrid import HybridSearcher
from retrieval.models import Clause, ClauseKind, DocStatus, SearchFilters, SearchHit
from retrieval.normalize import normalize, squash
from retrieval.places import place

_SENTENCES = re.compile(r"[^。；;！？\n]+[。；;！？]?")
_AMOUNTISH = re.compile(r"\d[\d.,]*\s*(万元|亿元|元|%|％|万)|1:\d|不超过|最高|给予")
_INTRODUCES_LIST = re.compile(r"下列|以下|下述|如下|之一")
_ANAPHORA = re.compile(r"^(那|这|它|该|上述|还有|另外|如果|要是)|[呢吗]\s*[？?]?$")
_INTEGRITY = re.compile(r"追回|失信|虚假|骗取|诚信|弄虚作假|违规")

COVERAGE_NOTE = (
    "语料库收录了北京市及各区（西城、海淀、朝阳、丰台、昌平、门头沟、通州/城市副中心、北京经济技术开发区）"
    "的科技创新扶持政策，以及石家庄市的一份产业政策。"
)


def user_turns(history: list[Message]) -> list[str]:
    return [m.content for m in history if m.role == "user"]


class Assistant:
    """The answerer. It receives its parts (searcher, calculator, LLM); it does not build them."""

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
        self.reader = QueryReader(self.corpus)
        self.vocabulary = corpus_vocabulary(
            [c.norm_text for c in self.corpus.clauses]
            + [d.title for d in self.corpus]
            + [a for d in self.corpus for a in d.meta.aliases]
        )

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

    # -- retrieval ---------------------------------------------------------------------------

    def filters(self, query: Query) -> SearchFilters | None:
        """The documents a question's places (or named documents) allow: a constraint, not a boost."""
        docs = self.reader.scope_docs(query)
        if docs is None:
            return None
        return SearchFilters(doc_ids=tuple(sorted(docs)) or ("-none-",))

    def retrieve(self, query: Query, k: int | None = None) -> list[SearchHit]:
        """Hits for the question within its scope, with the earlier user turns as context for follow-ups."""
        k = k or self.top_k
        previous = query.turns[:-1]
        prefer = (query.region_hint,) if query.region_hint else ()
        filters = self.filters(query)
        hits = self.searcher.search(query.message, k * 2, filters, prefer_regions=prefer)
        if not previous:
            return hits[:k]
        context = " ".join(previous[-2:])
        ctx_hits = self.searcher.search(f"{context} {query.message}", k * 2, filters, prefer_regions=prefer)
        # A follow-up that names no place or document of its own continues the earlier turn's topic.
        continues = query.places_carried or (bool(self.reader.documents_named(context)) and not query.documents)
        weights = (0.5, 1.0) if _needs_context(query.message) or continues else (1.0, 0.8)
        by_id = {h.clause.id: h for h in [*ctx_hits, *hits]}
        fused = self.searcher.fuse(
            [(weights[0], [h.clause.id for h in hits]), (weights[1], [h.clause.id for h in ctx_hits])]
        )
        order = sorted(fused, key=lambda cid: -fused[cid])
        return [by_id[cid].model_copy(update={"score": fused[cid]}) for cid in order[:k]]

    # -- citations ---------------------------------------------------------------------------

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
            w = standing(self.corpus.document(c.doc_id).meta, self.today).warning
            if w and w not in seen:
                seen.append(w)
        return seen

    # -- answer ------------------------------------------------------------------------------

    def answer(self, message: str, history: list[Message] | None = None, region: str | None = None) -> Answer:
        """Answer a message; `region` (e.g. 西城区, from a widget's data-region) is a hint, not a filter."""
        history = history or []
        if not message.strip():
            return Answer(text="请输入您的问题。", follow_up="请问您想了解哪项政策或补贴？")
        return self.answer_query(self.read(message, history, region))

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
        if query.flags.deceive:
            return self._decline_deception(query)
        if query.flags.fabricate:
            return self._refuse_to_invent(query)
        empty = self._empty_document_asked(message)
        if empty:
            return empty
        elsewhere_doc = self._document_of_another_place(query)
        if elsewhere_doc:
            return elsewhere_doc
        missing_locator = self._missing_locator(query)
        if missing_locator:
            return missing_locator
        hits = self.retrieve(query)
        named = self._named_clauses(query)
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
            return self._overview(query)
        if not decision.in_scope:
            return self._out_of_scope(query, decision.reason or "")
        if query.flags.future:
            return self._future(query, hits)
        if IntentKind.OVERVIEW in query.intents and not previous and query.intent != IntentKind.VALIDITY:
            return self._overview(query)
        return self._answer_in_scope(query, hits)

    def _answer_in_scope(self, query: Query, hits: list[SearchHit]) -> Answer:
        intent = query.intent
        if intent == IntentKind.LOOKUP and len(query.turns) > 1 and _follows_on(query) and _asked_amount(query):
            intent = IntentKind.AMOUNT
        if intent == IntentKind.VALIDITY:
            return self._validity_answer(query, hits)
        if intent == IntentKind.COMPARISON or (
            query.flags.each and (len(query.places) > 1 or len(query.documents) > 1)
        ):
            return self._comparison_answer(query, hits)
        if intent in (IntentKind.AMOUNT, IntentKind.PROFILE) or IntentKind.AMOUNT in query.intents:
            answer = self._amount_answer(query, hits)
            if answer is not None:
                return answer
        else:
            # Facts without "多少" ("压缩机1500公斤，直接回复…") or a fixed award: compute when the rule can.
            answer = self._amount_answer(query, hits, only_if_computed=True)
            if answer is not None:
                return answer
        return self._lookup_answer(query, hits)

    def _bind(self, rule: Rule, query: Query, turns: list[int] | None = None) -> Any:
        """The rule's inputs from the facts the reader found (claims and unreadable numbers left out)."""
        chosen = [f for f in query.facts if turns is None or f.turn in turns]
        texts = query.turns if turns is None else [query.turns[i] for i in sorted(set(turns))]
        index = {t: n for n, t in enumerate(sorted(set(turns)))} if turns is not None else None
        facts = [(index[f.turn] if index is not None else f.turn, f.quantity) for f in chosen]
        return bind(rule, texts, facts)

    @staticmethod
    def _facts(query: Query) -> tuple[list[str], list[tuple[int, Quantity]]]:
        return query.turns, [(f.turn, f.quantity) for f in query.facts]

    def _amount_answer(self, query: Query, hits: list[SearchHit], only_if_computed: bool = False) -> Answer | None:
        message = query.message
        turns = query.turns
        scope = self.reader.scope_docs(query)
        named = set(query.documents) or set(self.reader.documents_named(query.context))
        # One named document narrows the choice to it, within the places asked about.
        documents = scope
        if len(named) == 1:
            documents = (named & scope) or scope if scope else named
        choice = self.rulebook.choose(query.context, hits, documents=documents or None, facts=self._facts(query))
        if len(turns) > 1 and _needs_context(message) and (not query.places or query.places_carried):
            # "那如果合同是200万呢？": the measure of the earlier turn, with the new facts.
            earlier_hits = self.searcher.search(turns[-2], self.top_k, self.filters(query))
            earlier = self.rulebook.choose(turns[-2], earlier_hits, documents=documents or None)
            if earlier.best is not None and not earlier.rivals:
                choice = earlier
        if choice.best is None:
            top = next((h.clause for h in hits if h.clause.kind != ClauseKind.HEADING), None)
            failed = self._eligibility_failure(top.id, query) if top is not None and not only_if_computed else None
            if top is not None and failed is not None:
                res, defining = failed
                doc = self.corpus.document(top.doc_id)
                rule = failed_rule_stub(res)
                return self._finish_amount(f"《{doc.title}》{top.locator}", rule, res, [top, defining], query)
            return None
        if only_if_computed:
            if choice.rivals or (hits and choice.best.clause_id != hits[0].clause.id):
                return None
            probe = calculate(choice.best.rule, self._bind(choice.best.rule, query).values)
            if probe.outcome == Outcome.MISSING:
                return None
            last = len(turns) - 1
            if choice.best.rule.inputs and not any(
                q for q in self._bind(choice.best.rule, query, [last]).values.values() if q not in (None, [])
            ):
                return None
        if choice.rivals and query.flags.each:
            each = self._each(query, [choice.best, *choice.rivals])
            if each is not None:
                return each
        if choice.rivals:
            options = [choice.best, *choice.rivals]
            clauses = [self.corpus.clause(r.clause_id) for r in options]
            names = "、".join(f"“{r.rule.title}”（{c.locator}）" for r, c in zip(options, clauses, strict=True))
            return self._compose(
                f"您的问题可能涉及几项不同的支持：{names}。", clauses, follow_up=f"请问您指的是哪一项：{names}？"
            )
        bound = choice.best
        rule = bound.rule
        clause = self.corpus.clause(bound.clause_id)
        doc = self.corpus.document(bound.doc_id)
        where = f"《{doc.title}》{clause.locator}"
        binding = self._bind(rule, query)
        unreadable = [f"{u.text}（{u.reason}）" for u in query.unreadable]
        if binding.invalid or unreadable:
            given = "、".join([*unreadable, *binding.invalid])
            ask = f"您给出的{given}无法用于计算，请提供实际的人民币金额或数量。"
            return self._compose(f"按{where}，{''.join(self._key_sentences(message, clause))}", [clause], follow_up=ask)
        failed = self._eligibility_failure(bound.clause_id, query)
        if failed is not None:
            res, defined_by = failed
            return self._finish_amount(where, rule, res, [clause, defined_by], query)
        grouped = self._grouped(bound, query) or self._items_summed(bound, query)
        values, repeated = self._repeat_years(query, rule, binding.values)
        result = grouped or calculate(rule, values, years=self._years(query, rule))
        met, defining_clauses, assumed = self._eligibility_met(bound.clause_id, query)
        if result.outcome == Outcome.COMPUTED and result.calculation is not None and defining_clauses:
            calc = result.calculation
            result = result.model_copy(
                update={
                    "calculation": calc.model_copy(
                        update={"steps": [*met, *calc.steps], "assumptions": [*calc.assumptions, *assumed]}
                    )
                }
            )
        if binding.derived and result.calculation is not None and not grouped:
            calc = result.calculation
            result = result.model_copy(
                update={"calculation": calc.model_copy(update={"steps": [*binding.derived, *calc.steps]})}
            )
        if repeated and result.calculation is not None:
            calc = result.calculation
            note = f"假设以后各年的金额与您给出的一年相同，按{repeated}年计算"
            result = result.model_copy(
                update={"calculation": calc.model_copy(update={"assumptions": [*calc.assumptions, note]})}
            )
        if result.outcome == Outcome.COMPUTED and query.flags.total:
            summed = self._summed(bound, query, result)
            if summed is not None:
                result, extra = summed
                return self._finish_amount(where, rule, result, [clause, *extra], query)
        extra_defining = defining_clauses if result.outcome == Outcome.COMPUTED else []
        if result.outcome == Outcome.COMPUTED:
            stacked = self._stacked(bound, query, result)
            if stacked is not None:
                result, extra_clauses = stacked
                clauses_for_answer = [clause, *extra_clauses]
            else:
                clauses_for_answer = [clause]
        else:
            clauses_for_answer = [clause]
        if result.outcome == Outcome.MISSING:
            need = "、".join(spec.label for spec in result.missing)
            ask = " ".join(spec.ask for spec in result.missing)
            lead = f"按{where}：{''.join(self._key_sentences(message, clause))}\n\n要算出具体金额，还需要知道：{need}。"
            return self._compose(lead, [clause], follow_up=ask)
        return self._finish_amount(where, rule, result, [*clauses_for_answer, *extra_defining], query)

    def _eligibility_failure(self, clause_id: str, query: Query) -> tuple[CalcResult, Clause] | None:
        """A condition of the clause that defines who qualifies (第六条(二) for 第六条(三)) the facts fail."""
        for e in self.rulebook.eligibility_for(clause_id):
            res = calculate(e.rule, self._bind(e.rule, query).values)
            if res.outcome == Outcome.INELIGIBLE:
                return res, self.corpus.clause(e.clause_id)
        return None

    def _eligibility_met(self, clause_id: str, query: Query) -> tuple[list[str], list[Clause], list[str]]:
        """Conditions of defining clauses the facts meet (steps), those clauses, and those assumed (not given)."""
        steps: list[str] = []
        clauses: list[Clause] = []
        assumed: list[str] = []
        for e in self.rulebook.eligibility_for(clause_id):
            res = calculate(e.rule, self._bind(e.rule, query).values)
            if res.calculation is None:
                continue
            met = [line for line in res.calculation.steps if "，符合条件「" in line]
            steps += met
            assumed += [a for a in res.calculation.assumptions if a.startswith("假设满足")]
            clauses.append(self.corpus.clause(e.clause_id))
        return steps, clauses, assumed

    @staticmethod
    def _repeat_years(query: Query, rule: Rule, values: dict[str, Any]) -> tuple[dict[str, Any], int]:
        """A rule that counts years as items (贴息不超过3年) asked over N years with one year's figure given."""
        items = rule.items
        if items is None or not query.horizon.multi_year:
            return values, 0
        spec = next(i for i in rule.inputs if i.name == items.input)
        if "年" not in (items.max_items_label or "") and "每年" not in spec.label:
            return values, 0  # the items are not years (展会, 项目)
        given = values.get(items.input)
        if not isinstance(given, list) or len(given) != 1:
            return values, 0
        n = query.horizon.years or items.max_items or 1
        if n <= 1:
            return values, 0
        return {**values, items.input: given * n}, n

    @staticmethod
    def _years(query: Query, rule: Rule) -> int | None:
        """The years to add up: those asked, or the longest the clause allows when that is asked."""
        if query.horizon.years is not None and (query.horizon.years > 1 or rule.period is not None):
            return query.horizon.years
        if query.horizon.longest:
            return rule.period.years if rule.period is not None else 1
        return None

    def _finish_amount(
        self, where: str, rule: Rule, result: CalcResult, clauses: list[Clause], query: Query | None = None
    ) -> Answer:
        calc = result.calculation
        assert calc is not None
        notes: list[str] = []
        if query is not None and query.claims:
            notes.append("您要求直接写明或认定的金额不是计算依据；金额只能按条款和企业实际情况计算，以上为计算结果。")
        if query is not None and not query.horizon.multi_year and rule.period is not None:
            notes.append(f"以上为一年的金额；条款规定{rule.period.label}。")
        if result.outcome == Outcome.INELIGIBLE:
            lead = f"按{where}，{rule.title}：不符合条件「{calc.binding_limit}」，不能享受该项支持（0元）。"
        else:
            bound_by = f"（受“{calc.binding_limit}”限制）" if calc.binding_limit else ""
            lead = f"按{where}，{rule.title}可获得 **{format_yuan(calc.amount_yuan)}**{bound_by}。"
        lines = ["**计算过程**", *[f"{i}. {step}" for i, step in enumerate(calc.steps, 1)]]
        if calc.assumptions:
            lines.append("**前提与假设**：" + "；".join(calc.assumptions) + "。")
        return self._compose(lead, clauses, calculation=calc, extra=["\n".join(lines), *notes])

    def _summed(self, bound: BoundRule, query: Query, result: CalcResult) -> tuple[CalcResult, list[Clause]] | None:
        """ "两项一共多少": other supports of the same document the question names, computed and added."""
        q = query.text
        parts: list[tuple[Rule, CalcResult, BoundRule]] = [(bound.rule, result, bound)]
        own = {normalize(t) for t in bound.rule.triggers}
        for other in self.rulebook.rules:
            if other.doc_id != bound.doc_id or other.clause_id == bound.clause_id:
                continue  # rules of one clause are alternatives, not supports to add up
            if not any(normalize(t) in q and normalize(t) not in own for t in other.rule.triggers):
                continue  # the question must name the other support by its own words
            res = calculate(other.rule, self._bind(other.rule, query).values)
            if res.outcome == Outcome.COMPUTED and res.calculation is not None and res.calculation.amount_yuan > 0:
                parts.append((other.rule, res, other))
        if len(parts) < 2:
            return None
        steps: list[str] = []
        total = Decimal(0)
        assumptions: list[str] = []
        amounts: list[str] = []
        for r, res, _b in parts:
            assert res.calculation is not None
            steps.append(f"【{r.title}】")
            steps.extend(res.calculation.steps[:-1])
            total += res.calculation.amount_yuan
            amounts.append(format_yuan(res.calculation.amount_yuan))
            assumptions += res.calculation.assumptions
        steps.append(f"合计：{' + '.join(amounts)} = {format_yuan(total)}")
        calc = Calculation(
            amount_yuan=total,
            steps=steps,
            rule_id="+".join(p[0].id for p in parts),
            binding_limit=None,
            assumptions=list(dict.fromkeys(assumptions)),
        )
        extra = [self.corpus.clause(p[2].clause_id) for p in parts[1:]]
        return CalcResult(outcome=Outcome.COMPUTED, calculation=calc), list(dict.fromkeys(extra))

    def _each(self, query: Query, options: list[BoundRule]) -> Answer | None:
        """ "分别能补多少": every measure the question may mean, computed side by side."""
        lines: list[str] = []
        clauses: list[Clause] = []
        for b in options:
            res = calculate(b.rule, self._bind(b.rule, query).values, years=self._years(query, b.rule))
            if res.calculation is None:
                continue
            clause = self.corpus.clause(b.clause_id)
            doc = self.corpus.document(b.doc_id)
            lines.append(
                f"- 《{doc.title}》{clause.locator}（{b.rule.title}）：**{format_yuan(res.calculation.amount_yuan)}**"
                f"（{'；'.join(res.calculation.steps[:-1])}）"
            )
            clauses.append(clause)
        if len(lines) < 2:
            return None
        return self._compose("按您给出的数字，分别计算如下：\n\n" + "\n".join(lines), clauses)

    def _stacked(self, bound: BoundRule, query: Query, result: CalcResult) -> tuple[CalcResult, list[Clause]] | None:
        """A rule added on top of another (在获得…奖励基础上，追加…) is computed together with it."""
        q = normalize(query.context)
        partners: list[tuple[BoundRule, bool]] = []  # (rule, partner is the base)
        for other in self.rulebook.rules:
            if other.rule.id == bound.rule.id or not any(normalize(t) in q for t in other.rule.triggers):
                continue
            if bound.rule.id in other.rule.stacks_on:
                partners.append((other, False))
            elif other.rule.id in bound.rule.stacks_on:
                partners.append((other, True))
        for other, is_base in partners:
            res = calculate(other.rule, self._bind(other.rule, query).values)
            if res.outcome != Outcome.COMPUTED or res.calculation is None or result.calculation is None:
                continue
            first, second = (res, result) if is_base else (result, res)
            first_rule, second_rule = (other.rule, bound.rule) if is_base else (bound.rule, other.rule)
            a, b = first.calculation, second.calculation
            assert a is not None and b is not None
            total = a.amount_yuan + b.amount_yuan
            steps = [
                f"【{first_rule.title}】",
                *a.steps[:-1],
                f"【{second_rule.title}】",
                *b.steps[:-1],
                f"合计：{format_yuan(a.amount_yuan)} + {format_yuan(b.amount_yuan)} = {format_yuan(total)}",
            ]
            calc = Calculation(
                amount_yuan=total,
                steps=steps,
                rule_id=f"{first_rule.id}+{second_rule.id}",
                binding_limit=a.binding_limit or b.binding_limit,
                assumptions=list(dict.fromkeys([*a.assumptions, *b.assumptions])),
            )
            return CalcResult(outcome=Outcome.COMPUTED, calculation=calc), [self.corpus.clause(other.clause_id)]
        return None

    def _items_summed(self, bound: BoundRule, query: Query) -> CalcResult | None:
        """Several things under a one-amount rule ("两个展会，展位租金一个60万、一个50万"): each computed, then
        the yearly or per-enterprise caps applied to the sum."""
        rule = bound.rule
        money = [i for i in rule.inputs if i.kind == InputKind.MONEY and not i.optional]
        if rule.items or len(money) != 1 or money[0].many or any(i.kind == InputKind.CHOICE for i in rule.inputs):
            return None
        if not v.SEVERAL.search(query.text):
            return None
        spec = money[0]
        last = len(query.turns) - 1
        text = query.turns[last]
        values = [
            f.quantity.value
            for f in query.facts
            if f.turn == last and f.quantity.kind == Kind.MONEY and score_for(f.quantity, text, spec) > 0
        ]
        listed = [f.quantity.value for f in query.facts if f.turn == last and f.quantity.kind == Kind.MONEY]
        if len(values) == 1 and len(listed) >= 2 and all(x > 0 for x in listed):
            values = listed  # "展位租金一个60万、一个50万": the hint names the list once
        if len(values) < 2:
            return None
        shared = {k: x for k, x in self._bind(rule, query).values.items() if k != spec.name}
        steps: list[str] = []
        parts: list[Decimal] = []
        assumptions: list[str] = []
        for n, value in enumerate(values, 1):
            res = calculate(rule, {**shared, spec.name: value})
            if res.outcome != Outcome.COMPUTED or res.calculation is None:
                return None
            steps.append(f"【第{n}项：{spec.label}{format_yuan(value)}】")
            steps.extend(res.calculation.steps[:-1])
            parts.append(res.calculation.amount_yuan)
            assumptions += res.calculation.assumptions
        total = sum(parts, Decimal(0))
        steps.append(f"合计：{' + '.join(format_yuan(p) for p in parts)} = {format_yuan(total)}")
        binding_limit = None
        env = {k: x for k, x in shared.items() if isinstance(x, Decimal)}
        for step in rule.steps:
            if step.cap is not None and step.limit in ("per_year", "per_enterprise", "total"):
                cap = evaluate(step.cap, env)
                if total > cap:
                    steps.append(f"{format_yuan(total)} 超过上限（{step.label}）→ 按{format_yuan(cap)}")
                    total, binding_limit = cap, step.label
        steps.append(f"可获支持金额：{format_yuan(total)}")
        calc = Calculation(
            amount_yuan=total,
            steps=steps,
            rule_id=rule.id,
            binding_limit=binding_limit,
            assumptions=list(dict.fromkeys(assumptions)),
        )
        return CalcResult(outcome=Outcome.COMPUTED, calculation=calc)

    def _grouped(self, bound: BoundRule, query: Query) -> CalcResult | None:
        """Groups in one question ("2个杰出人才每月缴2500，3个优秀人才每月缴900"): each computed, then summed."""
        rule = bound.rule
        choice = next((i for i in rule.inputs if i.kind == InputKind.CHOICE), None)
        kinds = {i.kind for i in rule.inputs}
        if choice is None or InputKind.COUNT in kinds or InputKind.MONEY not in kinds:
            return None  # counts are the rule's own business; groups need an amount each
        groups: list[tuple[str, str, Decimal | None]] = []
        # Groups are phrases ("2个杰出人才每月缴2500，3个优秀人才…") or sentences ("牵头一个市级专项，投资800万；
        # 另外还有一个区级专项，投资350万").
        for splitter in (r"[，,；;。、]", r"[；;。]|另外|此外|还有|以及|同时"):
            groups = []
            for seg in (x for x in re.split(splitter, query.message) if x.strip()):
                b = bind(rule, [seg])
                option = b.values.get(choice.name)
                if isinstance(option, str) and any(k != choice.name for k in b.values):
                    counted = [q.value for q in extract(seg) if q.kind in (Kind.COUNT, Kind.PEOPLE) and q.value > 1]
                    people = counted[0] if counted else None
                    groups.append((seg, option, people))
            if len(groups) >= 2 and len({g[1] for g in groups}) >= 2:
                break
        if len(groups) < 2 or len({g[1] for g in groups}) < 2:
            return None
        shared = self._bind(rule, query).values
        steps: list[str] = []
        parts: list[Decimal] = []
        assumptions: list[str] = []
        for seg, option, people in groups:
            values = {**shared, **bind(rule, [seg]).values, choice.name: option}
            res = calculate(rule, values)
            if res.outcome != Outcome.COMPUTED or res.calculation is None:
                return None
            each = res.calculation.amount_yuan
            if people is None:
                steps.append(f"【{option}】")
                steps.extend(res.calculation.steps[:-1])
                parts.append(each)
            else:
                steps.append(f"【{option}（{fmt_plain(people)}人）】")
                steps.extend(res.calculation.steps[:-1])
                steps.append(f"{format_yuan(each)} × {fmt_plain(people)}人 = {format_yuan(each * people)}")
                parts.append(each * people)
            assumptions += res.calculation.assumptions
        total = sum(parts, Decimal(0))
        steps.append(f"合计：{' + '.join(format_yuan(p) for p in parts)} = {format_yuan(total)}")
        calc = Calculation(
            amount_yuan=total,
            steps=steps,
            rule_id=rule.id,
            binding_limit=None,
            assumptions=list(dict.fromkeys(assumptions)),
        )
        return CalcResult(outcome=Outcome.COMPUTED, calculation=calc)

    def _refuse_to_invent(self, query: Query) -> Answer:
        """Never write a made-up clause or number; give the real clause when there is one on the subject."""
        notice = "抱歉，不能编造或改写政策条款、条款号或金额。"
        hits = self.retrieve(query)
        if hits and coverage(query.message, hits[:1], self.vocabulary) >= 0.5:
            real = self._lookup_answer(query, hits)
            return real.model_copy(update={"text": f"{notice}以下是政策原文的真实规定：\n\n{real.text}"})
        return Answer(text=notice + "语料中没有您描述的条款，不能据此写入材料。" + COVERAGE_NOTE, refused=True)

    def _decline_deception(self, query: Query) -> Answer:
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

    def _document_of_another_place(self, query: Query) -> Answer | None:
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

    def _missing_locator(self, query: Query) -> Answer | None:
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

    def _named_clauses(self, query: Query) -> list[Clause]:
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

    def _future(self, query: Query, hits: list[SearchHit]) -> Answer:
        """Future policy cannot be read from the corpus; say what the current text says."""
        current = self._lookup_answer(query, hits)
        text = (
            "语料库只收录已发布的政策文本，无法预测今后的政策调整或出台计划；以主管部门正式发布的文件为准。"
            f"现行文本的规定如下：\n\n{current.text}"
        )
        return current.model_copy(update={"text": text, "refused": True})

    def _out_of_scope(self, query: Query, reason: str) -> Answer:
        """Nothing in the scoped documents answers; for a named place, say which places have such a clause."""
        if query.scope_regions is None:
            return Answer(text=f"{reason}\n\n{COVERAGE_NOTE}", refused=True)
        where = "、".join(query.places) or "该地区"
        text = f"{where}适用的政策文件（含全市政策）中，没有找到关于这个问题的条款，无法按{where}的政策回答。"
        unscoped = self.searcher.search(query.message, self.top_k)
        elsewhere = [h for h in unscoped if h.clause.kind != ClauseKind.HEADING]
        if elsewhere and judge(query.message, elsewhere, self.vocabulary).in_scope:
            seen: list[str] = []
            for h in elsewhere[:3]:
                doc = self.corpus.document(h.clause.doc_id)
                line = f"- 《{doc.title}》{h.clause.locator}（{doc.meta.region}）"
                if line not in seen:
                    seen.append(line)
            text += "\n\n供参考（其他地区的政策，不适用于" + where + "）：\n" + "\n".join(seen)
        return Answer(text=text, refused=True)

    def _empty_document_asked(self, message: str) -> Answer | None:
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

    def _overview(self, query: Query, hits: list[SearchHit] | None = None) -> Answer:
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

    def _key_sentences(self, message: str, clause: Clause, limit: int = 2) -> list[str]:
        words = set(content_tokens(message))
        sentences = [s.strip() for s in _SENTENCES.findall(clause.text) if s.strip()]
        if len(sentences) <= limit:
            return sentences
        scored = []
        for i, s in enumerate(sentences):
            ns = normalize(s)
            score = sum(1 for w in words if w in ns) + (1.5 if _AMOUNTISH.search(s) else 0.0)
            scored.append((score, i, s))
        best = sorted(scored, key=lambda t: (-t[0], t[1]))[:limit]
        return [s for _, _, s in sorted(best, key=lambda t: t[1])]

    def _compose(
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
                vc = self._validity_clause(c.doc_id)
                if vc is not None and vc not in clauses:
                    clauses = [*clauses, vc]
                    quoted = "\n".join(f"> {line}" for line in vc.text.splitlines())
                    parts.append(f"{quoted}\n>\n> ——《{meta.title}》{vc.locator}（{standing(meta, self.today).label}）")
        parts.extend(f"⚠️ {w}" for w in self.warnings(clauses))
        if follow_up:
            parts.append(f"❓ {follow_up}")
        return Answer(
            text="\n\n".join(parts),
            citations=[self.cite(c) for c in clauses],
            calculation=calculation,
            follow_up=follow_up,
        )

    def _primary(self, hits: list[SearchHit]) -> list[Clause]:
        """The best clause; its list items when it introduces a list; its siblings when several matched."""
        usable = [h for h in hits if h.clause.kind != ClauseKind.HEADING] or hits
        top = usable[0].clause
        doc = self.corpus.document(top.doc_id)
        children = [c for c in doc.clauses if len(c.labels) == len(top.labels) + 1 and c.labels[:-1] == top.labels]
        if top.labels and children and (_INTRODUCES_LIST.search(top.text) or top.text.rstrip().endswith(("：", ":"))):
            return [top, *children[:8]]
        if top.labels[:-1]:
            # Several matched items of the same list(s): cite the lists whole, with their opening lines.
            groups: list[tuple[str, ...]] = []
            for h in usable[:5]:
                p = h.clause.labels[:-1]
                matched = sum(1 for x in usable[:5] if x.clause.doc_id == top.doc_id and x.clause.labels[:-1] == p)
                if h.clause.doc_id == top.doc_id and p and p not in groups and matched >= 2:
                    groups.append(p)
            cited: list[Clause] = []
            for p in groups[:2]:
                items = [c for c in doc.clauses if c.labels[:-1] == p and len(c.labels) == len(p) + 1]
                if len(items) > 8:
                    continue
                cited += [c for c in doc.clauses if c.labels == p and c.kind != ClauseKind.HEADING] + items
            if cited and top in cited:
                return sorted(dict.fromkeys(cited), key=lambda c: c.order)
        chosen = [top]
        for h in usable[1:3]:
            if h.score >= 0.9 * usable[0].score and h.clause.doc_id == top.doc_id:
                chosen.append(h.clause)
        return chosen

    def _lookup_answer(self, query: Query, hits: list[SearchHit]) -> Answer:
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

    def _comparison_answer(self, query: Query, hits: list[SearchHit]) -> Answer:
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
                text = re.sub("|".join(map(re.escape, others)), "", message) if others else message
                own = self.reader.scope_docs(self.read(p.name + " " + text))
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
                result = calculate(rule, self._bind(rule, query).values, years=self._years(query, rule))
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

    def _validity_answer(self, query: Query, hits: list[SearchHit]) -> Answer:
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
        state = {
            "draft": "这是一份征求意见稿，尚未正式印发施行，目前不能据此申报。",
            "expired": "该文件已过有效期。",
            "repealed": "该文件已废止。",
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
        """The measure of a document a validity question also names (…若干措施还有效吗？创新券还能领吗？)."""
        doc = self.corpus.document(doc_id)
        rest = squash(query.message)
        for name in sorted({squash(doc.title), *(squash(a) for a in doc.meta.aliases)}, key=len, reverse=True):
            rest = rest.replace(name, " ")
        words = {w for w in content_tokens(rest) if len(w) >= 2 and not v.VALIDITY.search(w)}
        words -= set(self.reader.doc_keys.get(doc_id, set()))
        if not words:
            return None
        found = self.searcher.search(rest, self.top_k, SearchFilters(doc_ids=(doc_id,)))
        for h in found:
            if h.clause.kind == ClauseKind.CLAUSE and any(w in h.clause.norm_text for w in words):
                return h.clause
        return None

    def _validity_clause(self, doc_id: str) -> Clause | None:
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


def _needs_context(message: str) -> bool:
    """A follow-up that names no topic of its own: "合同八十万能补多少", "那朝阳呢？"."""
    topical = [t for t in content_tokens(message) if not re.search(r"[\d一二三四五六七八九十百千万亿两]", t)]
    return len(topical) <= 2 or bool(_ANAPHORA.search(message.strip()))


def failed_rule_stub(res: CalcResult) -> Rule:
    """A stand-in rule for a clause without a computable rule whose eligibility the facts fail."""
    rule_id = res.calculation.rule_id if res.calculation else "eligibility"
    return Rule(id=rule_id, clause="-", title="该项支持", steps=[Step(formula="0", label="支持条件")])


def _asked_amount(query: Query) -> bool:
    """Whether an earlier turn asked for an amount (a follow-up giving a number continues it)."""
    return any(v.AMOUNT.search(normalize(turn)) for turn in query.turns[-3:-1])


def _follows_on(query: Query) -> bool:
    """A turn that gives numbers or refers back ("那", "呢") continues the earlier question."""
    last = len(query.turns) - 1
    gives_numbers = any(f.turn == last for f in query.facts)
    return gives_numbers or _ANAPHORA.search(query.message) is not None or _needs_context(query.message)
