"""What every answerer shares: the corpus, search within the question's scope, binding, the composer."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from assistant.binding import bind
from assistant.compose import Composer
from assistant.facts import Quantity
from assistant.models import Answer, Calculation, Citation, Message
from assistant.query import Query, QueryReader
from assistant.rulebook import RuleBook
from assistant.rules import Rule
from assistant.scope import content_tokens
from retrieval.corpus import Corpus
from retrieval.hybrid import HybridSearcher
from retrieval.models import Clause, ClauseKind, SearchFilters, SearchHit
from retrieval.normalize import normalize

_SENTENCES = re.compile(r"[^。；;！？\n]+[。；;！？]?")
_AMOUNTISH = re.compile(r"\d[\d.,]*\s*(万元|亿元|元|%|％|万)|1:\d|不超过|最高|给予")
_INTRODUCES_LIST = re.compile(r"下列|以下|下述|如下|之一")
_ANAPHORA = re.compile(r"^(那|这|它|该|上述|还有|另外|如果|要是)|[呢吗]\s*[？?]?$")
_INTEGRITY = re.compile(r"追回|失信|虚假|骗取|诚信|弄虚作假|违规")

COVERAGE_NOTE = (
    "语料库收录了北京市及各区（西城、海淀、朝阳、丰台、昌平、门头沟、通州/城市副中心、北京经济技术开发区）"
    "的科技创新扶持政策，以及石家庄市的一份产业政策。"
)


class Context:
    """The parts an answerer is given (it builds none of them)."""

    def __init__(
        self,
        searcher: HybridSearcher,
        rulebook: RuleBook,
        reader: QueryReader,
        vocabulary: set[str],
        top_k: int,
        composer: Composer,
    ) -> None:
        self.searcher = searcher
        self.corpus: Corpus = searcher.corpus
        self.rulebook = rulebook
        self.reader = reader
        self.vocabulary = vocabulary
        self.top_k = top_k
        self.composer = composer


class Answerer:
    """Base of the answerers: search in scope, bind facts, compose; each subclass answers one intent."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.searcher = ctx.searcher
        self.corpus = ctx.corpus
        self.rulebook = ctx.rulebook
        self.reader = ctx.reader
        self.vocabulary = ctx.vocabulary
        self.top_k = ctx.top_k
        self.composer = ctx.composer

    @property
    def today(self) -> dt.date:
        return self.composer.today

    def cite(self, clause: Clause) -> Citation:
        return self.composer.cite(clause)

    def warnings(self, clauses: list[Clause]) -> list[str]:
        return self.composer.warnings(clauses)

    def _validity_clause(self, doc_id: str) -> Clause | None:
        return self.composer.validity_clause(doc_id)

    def _compose(
        self,
        lead: str,
        clauses: list[Clause],
        calculation: Calculation | None = None,
        follow_up: str | None = None,
        extra: list[str] | None = None,
    ) -> Answer:
        return self.composer.compose(lead, clauses, calculation, follow_up, extra)

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

    def _bind(self, rule: Rule, query: Query, turns: list[int] | None = None) -> Any:
        """The rule's inputs from the facts the reader found (claims and unreadable numbers left out)."""
        chosen = [f for f in query.facts if turns is None or f.turn in turns]
        texts = query.turns if turns is None else [query.turns[i] for i in sorted(set(turns))]
        index = {t: n for n, t in enumerate(sorted(set(turns)))} if turns is not None else None
        facts = [(index[f.turn] if index is not None else f.turn, f.quantity) for f in chosen]
        return bind(rule, texts, facts, near=self.rulebook.distinct.get(rule.id, ()))

    @staticmethod
    def _facts(query: Query) -> tuple[list[str], list[tuple[int, Quantity]]]:
        return query.turns, [(f.turn, f.quantity) for f in query.facts]

    @staticmethod
    def _years(query: Query, rule: Rule) -> int | None:
        """The years to add up: those asked, or the longest the clause allows when that is asked."""
        if query.horizon.years is not None and (query.horizon.years > 1 or rule.period is not None):
            return query.horizon.years
        if query.horizon.longest:
            period = rule.period
            if period is None:
                return 1
            if period.years is None and period.until_year is not None and query.horizon.first_year is not None:
                return max(1, period.until_year - query.horizon.first_year + 1)  # paid until a year: to it
            return period.years or 1
        return None

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

    def _primary(self, hits: list[SearchHit]) -> list[Clause]:
        """The best clause; its list items when it introduces a list; its siblings when several matched."""
        usable = [h for h in hits if h.clause.kind != ClauseKind.HEADING] or hits
        top = usable[0].clause
        doc = self.corpus.document(top.doc_id)
        children = [c for c in doc.clauses if len(c.labels) == len(top.labels) + 1 and c.labels[:-1] == top.labels]
        if top.labels and children and introduces_list(top.text):
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


def _needs_context(message: str) -> bool:
    """A follow-up that names no topic of its own: "合同八十万能补多少", "那朝阳呢？"."""
    topical = [t for t in content_tokens(message) if not re.search(r"[\d一二三四五六七八九十百千万亿两]", t)]
    return len(topical) <= 2 or bool(_ANAPHORA.search(message.strip()))


def introduces_list(text: str) -> bool:
    """A clause that opens a list (须满足以下条件：, 包括：): its items say what it does not."""
    return _INTRODUCES_LIST.search(text) is not None or text.rstrip().endswith(("：", ":"))
