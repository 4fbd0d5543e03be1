"""Amounts: the rule a question asks about, its inputs from the facts, the calculator, the reply."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from assistant import vocabulary as v
from assistant.answers.base import (
    Answerer,
    _needs_context,
)
from assistant.binding import bind, score_for
from assistant.calculator import CalcResult, Outcome, calculate, fmt_plain
from assistant.facts import Kind, Quantity, extract, format_yuan
from assistant.formula import evaluate
from assistant.models import Answer, Calculation
from assistant.query import Query
from assistant.rulebook import matched_triggers
from assistant.rules import BoundRule, InputKind, Rule, Step
from retrieval.models import Clause, ClauseKind, SearchHit
from retrieval.normalize import normalize


class AmountAnswerer(Answerer):
    """Computes the support a question asks about, with steps, limits and eligibility."""

    def answer(self, query: Query, hits: list[SearchHit], only_if_computed: bool = False) -> Answer | None:
        message = query.message
        turns = query.turns
        scope = self.reader.scope_docs(query)
        named = set(query.documents) or set(self.reader.documents_named(query.context))
        # One named document narrows the choice to it, within the places asked about.
        documents = scope
        if len(named) == 1:
            documents = (named & scope) or scope if scope else named
        own = {d.id for d in self.corpus if d.meta.region in query.places}
        choice = self.rulebook.choose(
            query.context,
            hits,
            documents=documents or None,
            facts=self._facts(query),
            asked=query.asked,
            prefer=own or None,
        )
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
        rivals = choice.rivals
        if choice.siblings and not query.flags.total and not query.flags.each:
            rivals = [*rivals, *choice.siblings]
        if rivals and query.flags.each:
            each = self._each(query, [choice.best, *rivals])
            if each is not None:
                return each
        if rivals and v.TOTAL_ASKED.search(query.text):
            # both named and asked together: each computed from its own facts and added, when the facts split
            summed_answer = self._rivals_summed(query, choice.best, rivals)
            if summed_answer is not None:
                return summed_answer
        if rivals:
            options = [choice.best, *rivals]
            clauses = [self.corpus.clause(r.clause_id) for r in options]
            names = "、".join(f"“{r.rule.title}”（{c.locator}）" for r, c in zip(options, clauses, strict=True))
            return self._compose(
                f"您的问题可能涉及几项不同的支持：{names}。", clauses, follow_up=f"请问您指的是哪一项：{names}？"
            )
        bound = self._whole_period(query, choice.best)
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
        grouped = self._grouped(bound, query) or self._items_summed(bound, query) or self._counted_options(bound, query)
        values, repeated = self._repeat_years(query, rule, _each_the_same(query, rule, binding.values))
        result = grouped or calculate(
            rule, values, years=None if repeated else self._years(query, rule), first_year=query.horizon.first_year
        )
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
                result, extra, titles = summed
                titled = rule.model_copy(update={"title": "、".join(titles) + "合计"})
                return self._finish_amount(where, titled, result, [clause, *extra], query)
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
            last = len(turns) - 1
            if not any(f.turn == last for f in query.facts) and v.ASKS_SHARE.search(query.text):
                return None  # "各分多少", "比例是多少": the clause's own shares answer it, no figure is needed
            need = "、".join(spec.label for spec in result.missing)
            if not query.facts and v.TERMS_ASKED.search(query.text):
                # "具体怎么规定的？最高能拿多少？": the clause's terms answer it; a figure is offered, not demanded.
                lead = f"根据{where}：{clause.text.strip()}\n\n如需测算贵单位的具体金额，请告诉我：{need}。"
                return self._compose(lead, [clause])
            ask = " ".join(spec.ask for spec in result.missing)
            lead = f"按{where}：{''.join(self._key_sentences(message, clause))}\n\n要算出具体金额，还需要知道：{need}。"
            return self._compose(lead, [clause], follow_up=ask)
        return self._finish_amount(where, rule, result, [*clauses_for_answer, *extra_defining], query)

    def _rivals_summed(self, query: Query, best: BoundRule, rivals: list[BoundRule]) -> Answer | None:
        result = calculate(best.rule, self._bind(best.rule, query).values)
        if result.outcome != Outcome.COMPUTED:
            return None
        summed = self._summed(best, query, result)
        if summed is None:
            return None
        total, extra, titles = summed
        if not all(r.rule.title in titles for r in rivals):
            return None
        clause = self.corpus.clause(best.clause_id)
        where = f"《{self.corpus.document(best.doc_id).title}》{clause.locator}"
        titled = best.rule.model_copy(update={"title": "、".join(titles) + "合计"})
        return self._finish_amount(where, titled, total, [clause, *extra], query)

    def _whole_period(self, query: Query, best: BoundRule) -> BoundRule:
        """A total over the support period asked (支持期内累计最多): of a clause's rules, the one for the
        whole period (a total cap or a period) rather than one year's (第一年不超过2000万)."""
        if not query.horizon.multi_year or not _one_year_of_several(best.rule):
            return best
        whole = [
            r
            for r in self.rulebook.by_clause.get(best.clause_id, [])
            if _covers_period(r.rule) and not _one_year_of_several(r.rule)
        ]
        return whole[0] if len(whole) == 1 else best

    def ineligible(self, query: Query, hits: list[SearchHit]) -> Answer | None:
        """0 with the failed condition, when a clause asked about (or the condition clause itself) defines who
        qualifies and the facts given fail it (a headcount over the clause's limit → 0 with that condition)."""
        if not query.facts:
            return None
        scope = self.reader.scope_docs(query)
        for hit in hits[: self.top_k]:
            clause = hit.clause
            if scope and clause.doc_id not in scope:
                continue
            governing = self.rulebook.eligibility_for(clause.id) or [
                e
                for e in self.rulebook.eligibility
                if e.clause_id == clause.id or e.clause_id.startswith(clause.id + ".")
            ]
            for e in governing:
                res = calculate(e.rule, self._bind(e.rule, query).values)
                if res.outcome != Outcome.INELIGIBLE:
                    continue
                support_id = min(e.covers, key=lambda c: len(self.corpus.clause(c).locator))  # the support as a whole
                support = self.corpus.clause(support_id)
                defining = self.corpus.clause(e.clause_id)
                doc = self.corpus.document(support.doc_id)
                named = self.rulebook.by_clause.get(support_id, [])
                rule = named[0].rule if len(named) == 1 else failed_rule_stub(res)
                return self._finish_amount(f"《{doc.title}》{support.locator}", rule, res, [support, defining], query)
        return None

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

    def _summed(
        self, bound: BoundRule, query: Query, result: CalcResult
    ) -> tuple[CalcResult, list[Clause], list[str]] | None:
        """ "两项一共多少": other supports of the same document the question names, computed and added."""
        q = query.text
        parts: list[tuple[Rule, CalcResult, BoundRule]] = [(bound.rule, result, bound)]
        own = {normalize(t) for t in bound.rule.triggers}
        used = {t for texts in self._bind(bound.rule, query).used.values() for t in texts}
        for other in self.rulebook.rules:
            if other.doc_id != bound.doc_id or other.rule.id == bound.rule.id:
                continue
            if any(p[2].rule.id == other.rule.id for p in parts):
                continue
            if not any(t not in own for t in matched_triggers(other.rule.triggers, q)):
                continue  # the question must name the other support by its own words
            other_binding = self._bind(other.rule, query)
            given = {t for texts in other_binding.used.values() for t in texts}
            if given & used:
                continue  # each fact belongs to one support: a number already used is not this one's
            res = calculate(other.rule, other_binding.values)
            if res.outcome == Outcome.COMPUTED and res.calculation is not None and res.calculation.amount_yuan > 0:
                parts.append((other.rule, res, other))
                used |= given
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
        clauses = list(dict.fromkeys(self.corpus.clause(p[2].clause_id) for p in parts))
        exclusive = next(
            (m.group(0) for c in clauses for sent in re.split(r"[。；;]", c.text) if (m := v.EXCLUSIVE.search(sent))),
            None,
        )
        binding_limit = None
        if exclusive is not None:
            # The clauses say the supports do not add up (从高/不重复/择一): the highest one applies.
            best = max(p[1].calculation.amount_yuan for p in parts if p[1].calculation is not None)
            steps.append(f"条款规定“{exclusive}”，各项不叠加，按最高一项：{format_yuan(best)}")
            total, binding_limit = best, f"条款规定{exclusive}"
        else:
            steps.append(f"合计：{' + '.join(amounts)} = {format_yuan(total)}")
        calc = Calculation(
            amount_yuan=total,
            steps=steps,
            rule_id="+".join(p[0].id for p in parts),
            binding_limit=binding_limit,
            assumptions=list(dict.fromkeys(assumptions)),
        )
        extra = [c for c in clauses if c.id != bound.clause_id]
        return CalcResult(outcome=Outcome.COMPUTED, calculation=calc), extra, [p[0].title for p in parts]

    def _each(self, query: Query, options: list[BoundRule]) -> Answer | None:
        """ "分别能补多少": every measure the question may mean, computed side by side."""
        lines: list[str] = []
        clauses: list[Clause] = []
        for b in options:
            res = calculate(
                b.rule,
                self._bind(b.rule, query).values,
                years=self._years(query, b.rule),
                first_year=query.horizon.first_year,
            )
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
        if (
            rule.items
            or not money
            or any(i.many for i in money)
            or any(i.kind == InputKind.CHOICE for i in rule.inputs)
        ):
            return None
        if not v.SEVERAL.search(query.text):
            return None
        last = len(query.turns) - 1
        text = query.turns[last]
        spec = money[0]
        if len(money) > 1:
            # The input the listed figures are of (项目实际收入 350万、600万、400万), the others given once
            # (单笔合同200万以上).
            listed_facts = [f.quantity for f in query.facts if f.turn == last and f.quantity.kind == Kind.MONEY]
            # the input most of the figures point to (not the one a single figure points to strongly)
            scored = [
                (
                    sum(1 for q in listed_facts if score_for(q, text, m) > 0),
                    sum(score_for(q, text, m) for q in listed_facts),
                    n,
                    m,
                )
                for n, m in enumerate(money)
            ]
            best = max(scored, key=lambda t: (t[0], t[1], -t[2]))
            if best[0] == 0:
                return None
            spec = best[3]
        # An amount another input or the eligibility clause names better (上年营收1500万) is not one of the items.
        others = [i for i in rule.inputs if i is not spec] + [
            i for e in self.rulebook.eligibility_for(bound.clause_id) for i in e.rule.inputs
        ]
        amounts = [
            f.quantity
            for f in query.facts
            if f.turn == last
            and f.quantity.kind == Kind.MONEY
            and not any(score_for(f.quantity, text, o) > score_for(f.quantity, text, spec) for o in others)
        ]
        values = [q.value for q in amounts if score_for(q, text, spec) > 0]
        listed = [q.value for q in amounts]
        if len(values) == 1 and len(listed) >= 2 and all(x > 0 for x in listed):
            values = listed  # "展位租金一个60万、一个50万": the hint names the list once
        enumeration = _enumeration(text, [f.quantity for f in query.facts if f.turn == last])
        listed_once = [q.value for q in enumeration]
        if values and len(enumeration) > len(values) and set(values) <= set(listed_once):
            values = listed_once  # "保费分别交了100万、200万、300万": one list, named once
        elif len(enumeration) >= 2 and set(listed_once) < set(values):
            # "都在100万以上（分别为120万、150万）": the list is the figures, the rest a bound or context
            values = listed_once
        if len(values) == 1:
            values = values * _items_of_one_figure(query)
        if len(values) < 2:
            return None
        shared = {k: x for k, x in self._bind(rule, query).values.items() if k != spec.name}
        # "三年保费分别交了100万、200万、300万": one value a year, each under the rule's yearly cap.
        by_year = query.horizon.years is not None and 1 < len(values) <= query.horizon.years
        steps: list[str] = []
        period = rule.period if by_year else None
        if period is not None and period.years is not None and len(values) > period.years:
            steps.append(f"您给出了{len(values)}年的金额；条款规定{period.label}，只计前{period.years}年")
            values = values[: period.years]
        if not by_year and v.CHOOSE_ONE.search(spec.label):
            # "前3个合同中任选1个": one of the figures is used — the one that gives the most
            results = [(value, calculate(rule, {**shared, spec.name: value})) for value in values]
            computed = [(x, r) for x, r in results if r.outcome == Outcome.COMPUTED and r.calculation is not None]
            if not computed:
                return None
            pick, picked = max(computed, key=lambda t: t[1].calculation.amount_yuan if t[1].calculation else 0)
            calc = picked.calculation
            assert calc is not None
            given = "、".join(format_yuan(x) for x in values)
            note = f"条款规定{spec.label}只能选一项：您给出{given}，按金额最高的{format_yuan(pick)}计算"
            return picked.model_copy(update={"calculation": calc.model_copy(update={"steps": [note, *calc.steps]})})
        parts: list[Decimal] = []
        assumptions: list[str] = []
        for n, value in enumerate(values, 1):
            res = calculate(rule, {**shared, spec.name: value})
            if res.outcome != Outcome.COMPUTED or res.calculation is None:
                return None
            steps.append(f"【第{n}{'年' if by_year else '项'}：{spec.label}{format_yuan(value)}】")
            steps.extend(res.calculation.steps[:-1])
            parts.append(res.calculation.amount_yuan)
            assumptions += res.calculation.assumptions
        env = {k: x for k, x in shared.items() if isinstance(x, Decimal)}
        return _sum_under_caps(rule, parts, steps, env, assumptions, yearly_parts=by_year)

    def _counted_options(self, bound: BoundRule, query: Query) -> CalcResult | None:
        """A rule paid per item of a kind ("1项国家标准、2项团体标准"): each kind's award × its count, summed,
        then the rule's yearly or per-enterprise caps on the sum."""
        rule = bound.rule
        choices = [i for i in rule.inputs if i.kind == InputKind.CHOICE]
        counted = [i for i in rule.inputs if i.kind == InputKind.COUNT]
        # the kind alone (the award is per item), or the kind and how many (the rule counts them itself)
        if len(choices) != 1 or len(rule.inputs) - len(choices) - len(counted) != 0 or len(counted) > 1:
            return None
        choice = choices[0]
        last = len(query.turns) - 1
        groups: list[tuple[str, Decimal]] = []
        for f in query.facts:
            if f.turn != last or f.quantity.kind != Kind.COUNT:
                continue
            noun = normalize(f.quantity.unit)
            option = next((o.value for o in choice.options if any(normalize(m) in noun for m in o.match)), None)
            if option is not None:
                groups.append((option, f.quantity.value))
        if not groups or (len(groups) == 1 and groups[0][1] <= 1):
            return None
        steps: list[str] = []
        parts: list[Decimal] = []
        if counted and len(groups) < 2:
            return None  # one kind with its count: the rule itself computes it
        for option, count in groups:
            if counted:
                res = calculate(rule, {choice.name: option, counted[0].name: count})
                if res.outcome != Outcome.COMPUTED or res.calculation is None:
                    return None
                steps.append(f"【{option}（{fmt_plain(count)}项）】")
                steps.extend(res.calculation.steps[:-1])
                parts.append(res.calculation.amount_yuan)
                continue
            res = calculate(rule, {choice.name: option})
            if res.outcome != Outcome.COMPUTED or res.calculation is None:
                return None
            each = res.calculation.amount_yuan
            steps.append(f"【{option}】{format_yuan(each)} × {fmt_plain(count)}项 = {format_yuan(each * count)}")
            parts.append(each * count)
        return _sum_under_caps(rule, parts, steps, {}, [*rule.assumptions, "按每项分别给予计算"])

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
        # The latest turn that describes groups ("…有2位杰出人才，每人每月缴3000元" / "那一年一共多少？").
        said = next((t for t in reversed(query.turns) if any(q.kind == Kind.MONEY for q in extract(t))), query.message)
        for splitter in (r"[，,；;。、]", r"[；;。]|另外|此外|还有|以及|同时"):
            groups = []
            for seg in (x for x in re.split(splitter, said) if x.strip()):
                b = bind(rule, [seg])
                option = b.values.get(choice.name)
                if isinstance(option, str) and any(k != choice.name for k in b.values):
                    counted = [q.value for q in extract(seg) if q.kind in (Kind.COUNT, Kind.PEOPLE) and q.value > 1]
                    people = counted[0] if counted else None
                    groups.append((seg, option, people))
            if len(groups) >= 2 and len({g[1] for g in groups}) >= 2:
                break
        one_kind_counted = rule.per_person and len(groups) == 1 and groups[0][2] is not None
        if not one_kind_counted and (len(groups) < 2 or len({g[1] for g in groups}) < 2):
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
        env = {k: x for k, x in shared.items() if isinstance(x, Decimal)}
        return _sum_under_caps(rule, parts, steps, env, assumptions)


def _covers_period(rule: Rule) -> bool:
    return rule.period is not None or any(st.cap is not None and st.limit == "total" for st in rule.steps)


def _one_year_of_several(rule: Rule) -> bool:
    """A rule for one year of a longer support (技术创新中心第一年资金支持)."""
    return any(v.FIRST_YEAR.search(t) for t in [rule.title, *(st.label for st in rule.steps)])


def _items_of_one_figure(query: Query) -> int:
    """How many items one figure is said to hold for ("办了3场活动，每场都花了200万" → 3); else 1."""
    last = len(query.turns) - 1
    if not v.EACH_SAME.search(query.turns[last]):
        return 1
    counts = [f.quantity.value for f in query.facts if f.turn == last and f.quantity.kind == Kind.COUNT]
    if len(counts) == 1 and 2 <= counts[0] <= 50 and counts[0] == int(counts[0]):
        return int(counts[0])
    return 1


def _each_the_same(query: Query, rule: Rule, values: dict[str, Any]) -> dict[str, Any]:
    """A rule paid per item (单个展会…) given one figure that holds for each of several items."""
    if rule.items is None:
        return values
    given = values.get(rule.items.input)
    if not isinstance(given, list) or len(given) != 1:
        return values
    return {**values, rule.items.input: given * _items_of_one_figure(query)}


def _enumeration(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """The longest run of amounts written as one list (100万、200万和300万)."""
    money = [q for q in quantities if q.kind == Kind.MONEY]
    best: list[Quantity] = []
    run: list[Quantity] = []
    for q in money:
        if run and re.fullmatch(r"\s*[、,，和及与]\s*", text[run[-1].end : q.start]):
            run.append(q)
        else:
            run = [q]
        if len(run) > len(best):
            best = list(run)
    return best if len(best) >= 2 else []


def _sum_under_caps(
    rule: Rule,
    parts: list[Decimal],
    steps: list[str],
    env: dict[str, Decimal],
    assumptions: list[str],
    yearly_parts: bool = False,
) -> CalcResult:
    """Parts computed one by one, added up, then the rule's yearly / per-enterprise / total caps on the sum
    (a yearly cap only when the parts fall in one year; parts that are years each had theirs)."""
    limits = ("per_enterprise", "total") if yearly_parts else ("per_year", "per_enterprise", "total")
    total = sum(parts, Decimal(0))
    if len(parts) > 1:
        steps.append(f"合计：{' + '.join(format_yuan(p) for p in parts)} = {format_yuan(total)}")
    binding_limit = None
    for step in rule.steps:
        if step.cap is not None and step.limit in limits:
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


def failed_rule_stub(res: CalcResult) -> Rule:
    """A stand-in rule for a clause without a computable rule whose eligibility the facts fail."""
    rule_id = res.calculation.rule_id if res.calculation else "eligibility"
    return Rule(id=rule_id, clause="-", title="该项支持", steps=[Step(formula="0", label="支持条件")])
