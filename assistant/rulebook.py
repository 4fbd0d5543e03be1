"""All rules of the corpus, resolved to their clauses, and the choice of a rule for a question."""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from assistant.binding import bind
from assistant.errors import ConfigError
from assistant.facts import Quantity
from assistant.rules import AMOUNT_IN_TEXT, BoundRule, NotComputable, Rule, load_rule_files
from assistant.vocabulary import QUESTION_WORDS, with_synonyms, without_negated
from retrieval.corpus import Corpus
from retrieval.lexical import tokenize
from retrieval.models import ClauseKind, SearchHit
from retrieval.normalize import normalize, squash


class BoundEligibility(BaseModel):
    """An eligibility clause with its clause id and the ids of the clauses it governs."""

    model_config = ConfigDict(frozen=True)

    rule: Rule  # the conditions as a rule (see Eligibility.as_rule)
    doc_id: str
    clause_id: str
    covers: frozenset[str]


class RuleChoice(BaseModel):
    best: BoundRule | None
    rivals: list[BoundRule]  # rules as likely as the best: ask which is meant
    # items of the best's article for another kind of company that the facts fill alike: ask which one the
    # company is, unless the question adds several supports up (A和B一共)
    siblings: list[BoundRule] = Field(default_factory=list)


class RuleBook:
    def __init__(
        self,
        rules: list[BoundRule],
        not_computable: dict[str, NotComputable],
        eligibility: list[BoundEligibility] | None = None,
    ) -> None:
        self.rules = rules
        self.not_computable = not_computable
        self.eligibility = eligibility or []
        self._titles: dict[str, dict[str, str]] = {}
        for r in rules:
            self._titles.setdefault(r.doc_id, {})[r.rule.id] = normalize(r.rule.title)
        # Trigger words that name a rule and no other rule of its document (国家新品种审定 vs 北京市审定).
        self.distinct: dict[str, list[str]] = {}
        for r in rules:
            others = {t for o in rules if o.doc_id == r.doc_id and o.rule.id != r.rule.id for t in o.rule.triggers}
            self.distinct[r.rule.id] = [t for t in r.rule.triggers if t not in others and len(t) >= 2]
        self.by_clause: dict[str, list[BoundRule]] = {}
        for r in rules:
            self.by_clause.setdefault(r.clause_id, []).append(r)

    @classmethod
    def load(cls, rules_dir: Path, corpus: Corpus) -> RuleBook:
        bound: list[BoundRule] = []
        skipped: dict[str, NotComputable] = {}
        eligibility: list[BoundEligibility] = []
        for f in load_rule_files(rules_dir):
            doc = corpus.document(f.doc)
            for n, e in enumerate(f.eligibility, 1):
                clause_id = _resolve(corpus, doc.id, e.clause, f"eligibility {e.clause}")
                covers: set[str] = set()
                for loc in e.applies_to:
                    head = corpus.clause(_resolve(corpus, doc.id, loc, f"eligibility {e.clause} applies_to {loc}"))
                    covers |= {c.id for c in doc.clauses if c.labels[: len(head.labels)] == head.labels and head.labels}
                rule = e.as_rule(f"{doc.id}-eligibility-{n}")
                eligibility.append(
                    BoundEligibility(rule=rule, doc_id=doc.id, clause_id=clause_id, covers=frozenset(covers))
                )
            for rule in f.rules:
                clause = _resolve(corpus, doc.id, rule.clause, rule.id)
                bound.append(BoundRule(rule=rule, doc_id=doc.id, clause_id=clause))
            for nc in f.not_computable:
                skipped[_resolve(corpus, doc.id, nc.clause, f"not_computable {nc.clause}")] = nc
        return cls(bound, skipped, eligibility)

    def unreviewed(self, corpus: Corpus) -> frozenset[str]:
        """Clauses that state an amount but have neither a reviewed rule nor a not_computable entry: answers
        quote them and say the amount must be checked (a document just added, its rules only proposed)."""
        covered = set(self.by_clause) | set(self.not_computable)
        return frozenset(
            c.id
            for c in corpus.clauses
            if c.kind != ClauseKind.HEADING and c.id not in covered and AMOUNT_IN_TEXT.search(c.text)
        )

    def _trigger_weight(self, bound: BoundRule, question: str) -> float:
        """The question's mentions of a rule's words: 1 each, ½ for a word another rule of the document has in
        its title (项目投资奖励 names both the 股权 and the 创业投资 fund awards)."""
        titles = self._titles.get(bound.doc_id, {})
        weight = 0.0
        for t in matched_triggers(bound.rule.triggers, question):
            shared = any(t in title for rid, title in titles.items() if rid != bound.rule.id)
            weight += 0.5 if shared else 1.0
        return weight

    def eligibility_for(self, clause_id: str) -> list[BoundEligibility]:
        """The eligibility clauses that govern the support of this clause."""
        return [e for e in self.eligibility if clause_id in e.covers]

    def choose(
        self,
        question: str,
        hits: list[SearchHit],
        documents: set[str] | None = None,
        facts: tuple[list[str], list[tuple[int, Quantity]]] | None = None,
        asked: str = "",
        prefer: set[str] | None = None,
    ) -> RuleChoice:
        """The rule a question most likely asks about: its clause's search rank, then its trigger words.

        A rule whose clause was not found by search is considered only when the question names it
        clearly (two of its trigger words, or one when it belongs to the best hit's document).
        When the best hit is a clause marked not computable, no rule is chosen. With `facts` (the user's
        turns and the quantities read from them), a rule whose inputs those facts fill is preferred:
        the numbers a user gives say which measure they mean.
        """
        q = with_synonyms(normalize(without_negated(question)))
        asked_terms = [t for t in tokenize(asked) if len(t) >= 2 and t not in QUESTION_WORDS]
        ranks = {h.clause.id: i for i, h in enumerate(hits[:5])}
        top = [h for h in hits if not documents or h.clause.doc_id in documents]
        top_doc = top[0].clause.doc_id if top else (hits[0].clause.doc_id if hits else None)
        scored: list[tuple[float, int, BoundRule]] = []
        # Whether the question names any rule of the best hit's document by its words.
        top_named = any(r.doc_id == top_doc and matched_triggers(r.rule.triggers, q) for r in self.rules)
        for r in self.rules:
            if documents and r.doc_id not in documents:
                continue  # the question names its document (软件政策里…, 氢能那份…)
            triggers = len(matched_triggers(r.rule.triggers, q))
            rank = ranks.get(r.clause_id)
            if rank is None and not (triggers >= 2 or (triggers >= 1 and r.doc_id == top_doc)):
                continue
            if r.doc_id != top_doc and triggers < 2 and (top_named or rank is None or triggers == 0):
                # the question is about the best hit's document unless it names this rule clearly — or names
                # this found rule and none of that document's
                continue
            score = self._trigger_weight(r, q) * 2.0 + (3.5 - rank if rank is not None else 0.0)
            if prefer and r.doc_id in prefer:
                score += 1.0  # the place's own document before the city's, when both have such a support
            if asked_terms and any(t in normalize(r.rule.title) for t in asked_terms):
                score += 1.5  # the support the asking phrase names (贷款贴息能补多少 → 贷款贴息补助)
            if facts is not None and r.rule.inputs:
                turns, quantities = facts
                b = bind(r.rule, turns, quantities, near=self.distinct.get(r.rule.id, ()))
                for i in r.rule.inputs:
                    if b.values.get(i.name) not in (None, []):
                        # A number the input's own words point to (市级资金80万 → 北京市资金奖励) counts most; a
                        # choice is picked by words the triggers already counted, so it adds little.
                        score += 1.0 if i.name in b.hinted or i.many else 0.4
                        if i.name in b.hinted and _shared_run(normalize(i.label), q) >= _LABEL_RUN:
                            score += 1.0  # the user wrote the input's own name (非硬件部分实际销售额2500万)
            scored.append((score, triggers, r))
        if not scored:
            return RuleChoice(best=None, rivals=[])
        scored.sort(key=lambda t: (-t[0], -t[1]))  # at equal score, the rule the question names more
        best_score, best_triggers, best = scored[0]
        top_not_computable = bool(hits) and hits[0].clause.id in self.not_computable
        if (
            top_not_computable
            and best.clause_id != hits[0].clause.id
            and (ranks.get(best.clause_id) is None or best_triggers == 0)
        ):
            return RuleChoice(best=None, rivals=[])
        rivals = [r for s, t, r in scored[1:] if s == best_score and t >= 1 and r.clause_id != best.clause_id]
        ids = {r.rule.id for r in rivals}
        siblings = [
            r for r in self._sibling_rivals(best, best_score, scored[1:], q, ranks, facts) if r.rule.id not in ids
        ]
        return RuleChoice(best=best, rivals=rivals, siblings=siblings)

    def _sibling_rivals(
        self,
        best: BoundRule,
        best_score: float,
        others: list[tuple[float, int, BoundRule]],
        question: str,
        ranks: dict[str, int],
        facts: tuple[list[str], list[tuple[int, Quantity]]] | None,
    ) -> list[BoundRule]:
        """Items of one article for different kinds of company (新增的头部企业 / 已落地的头部企业), named by the
        same words, that the facts fill alike: search rank alone does not say which one the company is."""
        if facts is None or ranks.get(best.clause_id) is None:
            return []
        parent = best.clause_id.rsplit(".", 1)[0]
        weight = self._trigger_weight(best, question)
        out: list[BoundRule] = []
        for s, _t, r in others:
            rank = ranks.get(r.clause_id)
            if (
                r.doc_id != best.doc_id
                or r.clause_id == best.clause_id
                or r.clause_id.rsplit(".", 1)[0] != parent
                or rank is None
                or abs(rank - ranks[best.clause_id]) > 1
                or s < best_score - _SIBLING_MARGIN
                or self._trigger_weight(r, question) != weight
                or weight == 0
            ):
                continue
            if all(_filled(x, facts) for x in (best, r)):
                out.append(r)
        return out


_SIBLING_MARGIN = 1.0  # a score within one search rank of the best


def _filled(bound: BoundRule, facts: tuple[list[str], list[tuple[int, Quantity]]]) -> bool:
    """Every required input of the rule has a value from the facts."""
    turns, quantities = facts
    values = bind(bound.rule, turns, quantities).values
    return all(values.get(i.name) not in (None, []) for i in bound.rule.inputs if not i.optional and i.default is None)


_CLOSE_SLACK = 3  # characters between a trigger's words, in another order, that still make one mention
_LABEL_RUN = 6  # characters of an input's label written in the question that name that input


def _shared_run(label: str, question: str) -> int:
    """The longest run of the label's characters the question contains."""
    m = SequenceMatcher(None, label, question, autojunk=False).find_longest_match(0, len(label), 0, len(question))
    return m.size


def matched_triggers(triggers: list[str], question: str) -> list[str]:
    """The trigger words of a rule the question uses; one inside another counts once
    (省级专精特新 and 专精特新 in "省级专精特新" are one mention). A trigger of several words also counts when
    all its words stand close together in another order ("A级B认定" ~ "B认定的A级")."""
    found = {normalize(t) for t in triggers if normalize(t) in question or _words_close(normalize(t), question)}
    return sorted(t for t in found if not any(t != o and t in o for o in found))


@lru_cache(maxsize=4096)
def _trigger_words(trigger: str) -> tuple[str, ...]:
    """A trigger's words of two characters or more; none when they do not make up the trigger."""
    words = tuple(w for w in tokenize(trigger) if len(w) >= 2)
    return words if len(words) >= 2 and sum(len(w) for w in words) >= len(trigger) else ()


def _words_close(trigger: str, question: str) -> bool:
    words = _trigger_words(trigger)
    if not words:
        return False
    starts = [question.find(w) for w in words]
    if min(starts) < 0:
        return False
    span = max(s + len(w) for s, w in zip(starts, words, strict=True)) - min(starts)
    return span <= len(trigger) + _CLOSE_SLACK


def _resolve(corpus: Corpus, doc_id: str, locator: str, what: str) -> str:
    matches = corpus.find_clauses(doc_id, locator)
    exact = [c for c in matches if squash(c.locator) == squash(locator)]
    chosen = exact or matches
    if len(chosen) != 1:
        raise ConfigError(
            f"{what}: locator {locator!r} in {doc_id} matches {len(chosen)} clauses "
            f"({[c.locator for c in chosen][:5]}); write it as `python -m retrieval show {doc_id}` prints it"
        )
    return chosen[0].id
