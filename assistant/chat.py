"""Orchestration: a question (and its conversation) in, an Answer out. No LLM needed."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.binding import bind
from assistant.calculator import CalcResult, Outcome, calculate, fmt_plain
from assistant.facts import Kind, extract, format_yuan
from assistant.intent import Intent, IntentKind, classify
from assistant.models import Answer, Calculation, Citation, Message
from assistant.rulebook import RuleBook
from assistant.rules import BoundRule, InputKind, Rule
from assistant.scope import content_tokens, corpus_vocabulary, coverage, judge, place_or_subject_outside
from assistant.validity import standing, validity_sentence
from retrieval.corpus import Corpus
from retrieval.hybrid import REGION_WORDS as _REGION_WORDS
from retrieval.hybrid import HybridSearcher
from retrieval.hybrid import regions_mentioned as intent_regions
from retrieval.models import Clause, ClauseKind, DocStatus, SearchFilters, SearchHit
from retrieval.normalize import normalize, squash

_SENTENCES = re.compile(r"[^。；;！？\n]+[。；;！？]?")
_AMOUNTISH = re.compile(r"\d[\d.,]*\s*(万元|亿元|元|%|％|万)|1:\d|不超过|最高|给予")
_EACH = re.compile(r"分别|各能|各自|各是|两个都|都能补|各补")
_ASKS_COMBINATION = re.compile(r"同时|一起|重复|叠加|还能再|兼得|都拿|两个都|一并")
_EXCLUSIVE = re.compile(r"不得同时|不重复|从优|从高|就高|不叠加|择一|不可同时")
_INTRODUCES_LIST = re.compile(r"下列|以下|下述|如下|之一")
_ANAPHORA = re.compile(r"^(那|这|它|该|上述|还有|另外|如果|要是)|[呢吗]\s*[？?]?$")

COVERAGE_NOTE = (
    "语料库收录了北京市及各区（西城、海淀、朝阳、丰台、昌平、门头沟、通州/城市副中心、北京经济技术开发区）"
    "的科技创新扶持政策，以及石家庄市的一份产业政策。"
)


_TITLE_GENERIC = set(
    [
        "北京",
        "北京市",
        "京市",
        "关于",
        "若干",
        "措施",
        "政策",
        "办法",
        "实施",
        "细则",
        "实施细则",
        "发展",
        "高质量",
        "质量",
        "高质",
        "支持",
        "促进",
        "推动",
        "加快",
        "推进",
        "产业",
        "创新",
        "若干措施",
        "政策措施",
        "管理",
        "项目",
        "试行",
        "行动",
        "方案",
        "计划",
        "工作",
        "建设",
        "进一步",
        "企业",
        "科技",
        "服务",
        "技术",
        "经济",
        "国家",
        "中心",
        "城市",
        "一步",
        "发布",
        "打造",
        "意见",
        "若干意见",
        "万元",
        "奖励",
        "最高",
        "补助",
        "第一",
        "一期",
        "能力",
        "资金",
        "提升",
        "开发",
        "信息",
        "先进",
        "培育",
    ]
)


def document_keywords(corpus: Corpus) -> dict[str, set[str]]:
    """Words of each document's title and aliases that name it (氢能, 软件, 人才年金, 科创二十条)."""
    from retrieval.lexical import tokenize

    keys: dict[str, set[str]] = {}
    for d in corpus:
        words: set[str] = set()
        for t in (d.title, *d.meta.aliases):
            words |= {
                w
                for w in tokenize(re.sub(r"[(（].*?[)）]", "", t))
                if len(w) >= 2 and w not in _TITLE_GENERIC and not w.isdigit()
            }
        keys[d.id] = words
    # Keep the words that name one document: used in the titles or texts of at most one other document.
    texts = {d.id: normalize(d.title + " " + " ".join(c.norm_text for c in d.clauses)) for d in corpus}
    out: dict[str, set[str]] = {}
    for doc_id, words in keys.items():
        out[doc_id] = {w for w in words if sum(1 for other, t in texts.items() if other != doc_id and w in t) <= 1}
    return out


def user_turns(history: list[Message]) -> list[str]:
    return [m.content for m in history if m.role == "user"]


class Assistant:
    """The answerer. It receives its parts (searcher, calculator, LLM); it does not build them."""

    def __init__(
        self,
        searcher: HybridSearcher,
        today: dt.date,
        top_k: int = 5,
        rulebook: RuleBook | None = None,
    ) -> None:
        if top_k < 1:
            raise ValueError("top_k must be at least 1")
        self.searcher = searcher
        self.corpus: Corpus = searcher.corpus
        self.today = today
        self.top_k = top_k
        self.rulebook = rulebook or RuleBook([], {})
        self.doc_keys = document_keywords(self.corpus)
        self.vocabulary = corpus_vocabulary(
            [c.norm_text for c in self.corpus.clauses]
            + [d.title for d in self.corpus]
            + [a for d in self.corpus for a in d.meta.aliases]
        )

    def runnable(self) -> Runnable[dict[str, Any], Answer]:
        """The answerer as an LCEL runnable: {"question": …, "history": [Message, …]} → Answer."""
        return RunnableLambda(
            lambda inp: self.answer(inp["question"], list(inp.get("history", [])), inp.get("region")),
            name="policy_qa_extractive",
        )

    # -- retrieval ---------------------------------------------------------------------------

    def retrieve(
        self, message: str, history: list[Message], k: int | None = None, prefer_regions: tuple[str, ...] = ()
    ) -> list[SearchHit]:
        """Hits for the message, with the earlier user turns as context for follow-ups."""
        k = k or self.top_k
        previous = user_turns(history)
        prefer = prefer_regions
        hits = self.searcher.search(message, k * 2, prefer_regions=prefer)
        if not previous:
            return hits[:k]
        context = " ".join(previous[-2:])
        ctx_hits = self.searcher.search(f"{context} {message}", k * 2, prefer_regions=prefer)
        # A follow-up that names no region of its own continues the earlier turn's topic.
        earlier = " ".join(previous[-2:])
        continues = (bool(intent_regions(earlier)) and not intent_regions(message)) or (
            bool(self.mentioned_documents(earlier)) and not self.mentioned_documents(message)
        )
        weights = (0.5, 1.0) if _needs_context(message) or continues else (1.0, 0.8)
        fused: dict[str, float] = defaultdict(float)
        by_id: dict[str, SearchHit] = {}
        for weight, ranked in zip(weights, (hits, ctx_hits), strict=True):
            for rank, h in enumerate(ranked, 1):
                fused[h.clause.id] += weight / (60 + rank)
                by_id.setdefault(h.clause.id, h)
        order = sorted(fused, key=lambda cid: -fused[cid])
        return [by_id[cid].model_copy(update={"score": fused[cid]}) for cid in order[:k]]

    def mentioned_documents(self, text: str) -> set[str]:
        """Documents a question names by a distinctive title word; region names are not counted."""
        q = normalize(text)
        region_words = {w for words in _REGION_WORDS.values() for w in words}
        return {
            doc_id
            for doc_id, words in self.doc_keys.items()
            if any(w in q for w in words if w not in region_words and not any(r in w for r in region_words))
        }

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
        message = message.strip()
        prefer = (region,) if region and not intent_regions(message) else ()
        if not message:
            return Answer(text="请输入您的问题。", follow_up="请问您想了解哪项政策或补贴？")
        intent = classify(message)
        previous = user_turns(history)
        gives_numbers = re.search(r"\d|[一二三四五六七八九十百千万亿两]", message) is not None
        follow_on = gives_numbers or _ANAPHORA.search(message) is not None or _needs_context(message)
        if intent.kind == IntentKind.LOOKUP and previous and follow_on and _asked_amount(previous):
            intent = intent.model_copy(update={"kind": IntentKind.AMOUNT})
        if intent.fabricate:
            return self._refuse_to_invent(message, history, intent)
        empty = self._empty_document_asked(message)
        if empty:
            return empty
        hits = self.retrieve(message, history, prefer_regions=prefer)
        decision = judge(message, hits, self.vocabulary)
        if not decision.in_scope and previous and place_or_subject_outside(message) is None:
            # A follow-up ("合同八十万能补多少") is judged together with the turn it follows.
            decision = judge(f"{previous[-1]} {message}", hits, self.vocabulary)
        if not decision.in_scope:
            return Answer(text=f"{decision.reason}\n\n{COVERAGE_NOTE}", refused=True)
        if intent.vague and not previous:
            return self._overview()
        return self._answer_in_scope(message, history, intent, hits)

    def _answer_in_scope(self, message: str, history: list[Message], intent: Intent, hits: list[SearchHit]) -> Answer:
        if intent.kind == IntentKind.VALIDITY:
            return self._validity_answer(message, hits)
        if intent.compare:
            return self._comparison_answer(message, intent, hits)
        if intent.kind == IntentKind.AMOUNT:
            answer = self._amount_answer(message, history, hits)
            if answer is not None:
                return answer
        else:
            # Facts without "多少" ("压缩机1500公斤，直接回复…") or a fixed award: compute when the rule can.
            answer = self._amount_answer(message, history, hits, only_if_computed=True)
            if answer is not None:
                return answer
        return self._lookup_answer(message, intent, hits)

    def _amount_answer(
        self, message: str, history: list[Message], hits: list[SearchHit], only_if_computed: bool = False
    ) -> Answer | None:
        turns = [*user_turns(history), message]
        mentioned = self.mentioned_documents(message) or self.mentioned_documents(" ".join(turns[-2:]))
        choice = self.rulebook.choose(" ".join(turns[-2:]), hits, documents=mentioned if len(mentioned) == 1 else None)
        if len(turns) > 1 and _needs_context(message) and not intent_regions(message):
            # "那如果合同是200万呢？": the measure of the earlier turn, with the new facts.
            earlier = self.rulebook.choose(turns[-2], self.searcher.search(turns[-2], self.top_k))
            if earlier.best is not None and not earlier.rivals:
                choice = earlier
        if choice.best is None:
            return None
        if only_if_computed:
            if choice.rivals or (hits and choice.best.clause_id != hits[0].clause.id):
                return None
            probe = calculate(choice.best.rule, bind(choice.best.rule, turns).values)
            if probe.outcome == Outcome.MISSING:
                return None
            if choice.best.rule.inputs and not any(
                q for q in bind(choice.best.rule, [message]).values.values() if q not in (None, [])
            ):
                return None
        if choice.rivals and _EACH.search(message):
            each = self._each(turns, [choice.best, *choice.rivals])
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
        binding = bind(rule, turns)
        if binding.invalid:
            ask = f"您给出的{'、'.join(binding.invalid)}无法用于计算，请提供实际的人民币金额或数量。"
            return self._compose(f"按{where}，{''.join(self._key_sentences(message, clause))}", [clause], follow_up=ask)
        grouped = self._grouped(bound, turns)
        result = grouped or calculate(rule, binding.values)
        if result.outcome == Outcome.COMPUTED and classify(message).total:
            summed = self._summed(bound, turns, result)
            if summed is not None:
                result, extra = summed
                return self._finish_amount(where, rule, result, [clause, *extra])
        if result.outcome == Outcome.COMPUTED:
            stacked = self._stacked(bound, turns, result)
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
        return self._finish_amount(where, rule, result, clauses_for_answer)

    def _finish_amount(self, where: str, rule: Rule, result: CalcResult, clauses: list[Clause]) -> Answer:
        calc = result.calculation
        assert calc is not None
        if result.outcome == Outcome.INELIGIBLE:
            lead = f"按{where}，{rule.title}：不符合条件「{calc.binding_limit}」，不能享受该项支持（0元）。"
        else:
            bound_by = f"（受“{calc.binding_limit}”限制）" if calc.binding_limit else ""
            lead = f"按{where}，{rule.title}可获得 **{format_yuan(calc.amount_yuan)}**{bound_by}。"
        lines = ["**计算过程**", *[f"{i}. {step}" for i, step in enumerate(calc.steps, 1)]]
        if calc.assumptions:
            lines.append("**前提与假设**：" + "；".join(calc.assumptions) + "。")
        return self._compose(lead, clauses, calculation=calc, extra=["\n".join(lines)])

    def _summed(self, bound: BoundRule, turns: list[str], result: CalcResult) -> tuple[CalcResult, list[Clause]] | None:
        """ "两项一共多少": other supports of the same document the question names, computed and added."""
        q = normalize(turns[-1])
        parts: list[tuple[Rule, CalcResult, BoundRule]] = [(bound.rule, result, bound)]
        own = {normalize(t) for t in bound.rule.triggers}
        for other in self.rulebook.rules:
            if other.doc_id != bound.doc_id or other.clause_id == bound.clause_id:
                continue  # rules of one clause are alternatives, not supports to add up
            if not any(normalize(t) in q and normalize(t) not in own for t in other.rule.triggers):
                continue  # the question must name the other support by its own words
            res = calculate(other.rule, bind(other.rule, turns).values)
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

    def _each(self, turns: list[str], options: list[BoundRule]) -> Answer | None:
        """ "分别能补多少": every measure the question may mean, computed side by side."""
        lines: list[str] = []
        clauses: list[Clause] = []
        for b in options:
            res = calculate(b.rule, bind(b.rule, turns).values)
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

    def _stacked(
        self, bound: BoundRule, turns: list[str], result: CalcResult
    ) -> tuple[CalcResult, list[Clause]] | None:
        """A rule added on top of another (在获得…奖励基础上，追加…) is computed together with it."""
        q = normalize(" ".join(turns[-2:]))
        partners: list[tuple[BoundRule, bool]] = []  # (rule, partner is the base)
        for other in self.rulebook.rules:
            if other.rule.id == bound.rule.id or not any(normalize(t) in q for t in other.rule.triggers):
                continue
            if bound.rule.id in other.rule.stacks_on:
                partners.append((other, False))
            elif other.rule.id in bound.rule.stacks_on:
                partners.append((other, True))
        for other, is_base in partners:
            res = calculate(other.rule, bind(other.rule, turns).values)
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

    def _grouped(self, bound: BoundRule, turns: list[str]) -> CalcResult | None:
        """Groups in one question ("2个杰出人才每月缴2500，3个优秀人才每月缴900"): each computed, then summed."""
        rule = bound.rule
        choice = next((i for i in rule.inputs if i.kind == InputKind.CHOICE), None)
        kinds = {i.kind for i in rule.inputs}
        if choice is None or InputKind.COUNT in kinds or InputKind.MONEY not in kinds:
            return None  # counts are the rule's own business; groups need an amount each
        segments = [seg for seg in re.split(r"[，,；;。、]", turns[-1]) if seg.strip()]
        groups: list[tuple[str, str, Decimal]] = []
        for seg in segments:
            b = bind(rule, [seg])
            option = b.values.get(choice.name)
            if isinstance(option, str) and any(k != choice.name for k in b.values):
                people = next((q.value for q in extract(seg) if q.kind in (Kind.COUNT, Kind.PEOPLE)), Decimal(1))
                groups.append((seg, option, people))
        if len(groups) < 2 or len({g[1] for g in groups}) < 2:
            return None
        shared = bind(rule, turns).values
        steps: list[str] = []
        parts: list[Decimal] = []
        assumptions: list[str] = []
        for seg, option, people in groups:
            values = {**shared, **bind(rule, [seg]).values, choice.name: option}
            res = calculate(rule, values)
            if res.outcome != Outcome.COMPUTED or res.calculation is None:
                return None
            each = res.calculation.amount_yuan
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

    def _refuse_to_invent(self, message: str, history: list[Message], intent: Intent) -> Answer:
        """Never write a made-up clause or number; give the real clause when there is one on the subject."""
        notice = "抱歉，不能编造或改写政策条款、条款号或金额。"
        hits = self.retrieve(message, history)
        if hits and coverage(message, hits[:1], self.vocabulary) >= 0.5:
            real = self._answer_in_scope(message, history, intent.model_copy(update={"fabricate": False}), hits)
            return real.model_copy(update={"text": f"{notice}以下是政策原文的真实规定：\n\n{real.text}"})
        return Answer(
            text=notice + "语料中没有您描述的条款，不能据此写入材料。" + COVERAGE_NOTE,
            refused=True,
        )

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

    def _overview(self) -> Answer:
        return Answer(
            text=(
                "可以帮您查找适用的政策和可申请的金额。" + COVERAGE_NOTE + "\n\n"
                "为了给出准确的条款和金额，请告诉我：企业注册在哪个区、属于什么行业，"
                "以及想了解哪类支持（如研发投入、上市挂牌、房租、人才、知识产权、标准制定、加氢站等）。"
            ),
            follow_up="请问贵企业注册在哪个区、想了解哪一类支持？",
        )

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

    def _lookup_answer(self, message: str, intent: Intent, hits: list[SearchHit]) -> Answer:
        if _ASKS_COMBINATION.search(normalize(message)):
            # "能一起拿吗": the clause that says whether supports combine answers it.
            exclusive = [h for h in hits if _EXCLUSIVE.search(h.clause.text)]
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

    def _comparison_answer(self, message: str, intent: Intent, hits: list[SearchHit]) -> Answer:
        """One clause per side (per region mentioned, else the two best documents), with amounts when asked."""
        sides: list[list[SearchHit]] = []
        for region in intent.regions:
            # Each side is searched without the other sides' place names.
            others = [w for r in intent.regions if r != region for w in _REGION_WORDS.get(r, ())]
            query = re.sub("|".join(map(re.escape, others)), "", message) if others else message
            regional = self.searcher.search(query, self.top_k, _region_filter(region))
            if regional:
                sides.append(regional)
        if len(sides) < 2:
            seen_docs = {s[0].clause.doc_id for s in sides}
            for h in hits:
                if h.clause.kind != ClauseKind.HEADING and h.clause.doc_id not in seen_docs:
                    sides.append([h, *[x for x in hits if x.clause.doc_id == h.clause.doc_id and x is not h]])
                    seen_docs.add(h.clause.doc_id)
                if len(sides) >= 2:
                    break
        wants_amount = intent.kind == IntentKind.AMOUNT or re.search(r"\d|[十百千万亿]", message) is not None
        chosen: list[Clause] = []
        lines: list[str] = []
        for side in sides:
            clause = next((h.clause for h in side if h.clause.kind != ClauseKind.HEADING), side[0].clause)
            doc = self.corpus.document(clause.doc_id)
            line = f"- 《{doc.title}》{clause.locator}：{''.join(self._key_sentences(message, clause))}"
            if wants_amount:
                choice = self.rulebook.choose(message, side)
                if choice.best is not None and choice.best.doc_id == doc.id:
                    clause = self.corpus.clause(choice.best.clause_id)
                    result = calculate(choice.best.rule, bind(choice.best.rule, [message]).values)
                    calc = result.calculation
                    if calc is not None:
                        line = (
                            f"- 《{doc.title}》{clause.locator}（{choice.best.rule.title}）：按您给出的数字，"
                            f"可获得 **{format_yuan(calc.amount_yuan)}**（{'；'.join(calc.steps[:-1])}）"
                        )
            chosen.append(clause)
            lines.append(line)
        return self._compose("对比如下：\n\n" + "\n".join(lines), chosen)

    def _validity_answer(self, message: str, hits: list[SearchHit]) -> Answer:
        doc = self.corpus.document(hits[0].clause.doc_id)
        meta = doc.meta
        clause = self._validity_clause(doc.id) or hits[0].clause
        clauses = [clause]
        asked = hits[0].clause
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
                # The user holds the document this one repealed.
                issued = f"{meta.issued.year}年{meta.issued.month}月{meta.issued.day}日印发的" if meta.issued else ""
                lead = (
                    f"您提到的{rel.doc_number}《{rel.title}》已经废止，不能再按它申请。"
                    f"现行的是{issued}《{doc.title}》，其中规定原文件同时废止。"
                )
        return self._compose(lead, clauses)

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


def _asked_amount(previous: list[str]) -> bool:
    return any(classify(turn).kind == IntentKind.AMOUNT for turn in previous[-2:])


def _region_filter(region: str) -> SearchFilters:
    return SearchFilters(regions=(region,))
