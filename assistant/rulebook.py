"""All rules of the corpus, resolved to their clauses, and the choice of a rule for a question."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from assistant.errors import ConfigError
from assistant.rules import BoundRule, NotComputable, load_rule_files
from retrieval.corpus import Corpus
from retrieval.models import SearchHit
from retrieval.normalize import normalize, squash


class RuleChoice(BaseModel):
    best: BoundRule | None
    rivals: list[BoundRule]  # rules as likely as the best: ask which is meant


class RuleBook:
    def __init__(self, rules: list[BoundRule], not_computable: dict[str, NotComputable]) -> None:
        self.rules = rules
        self.not_computable = not_computable
        self.by_clause: dict[str, list[BoundRule]] = {}
        for r in rules:
            self.by_clause.setdefault(r.clause_id, []).append(r)

    @classmethod
    def load(cls, rules_dir: Path, corpus: Corpus) -> RuleBook:
        bound: list[BoundRule] = []
        skipped: dict[str, NotComputable] = {}
        for f in load_rule_files(rules_dir):
            doc = corpus.document(f.doc)
            for rule in f.rules:
                clause = _resolve(corpus, doc.id, rule.clause, rule.id)
                bound.append(BoundRule(rule=rule, doc_id=doc.id, clause_id=clause))
            for nc in f.not_computable:
                skipped[_resolve(corpus, doc.id, nc.clause, f"not_computable {nc.clause}")] = nc
        return cls(bound, skipped)

    def choose(self, question: str, hits: list[SearchHit]) -> RuleChoice:
        """The rule a question most likely asks about: trigger words first, then search rank."""
        q = normalize(question)
        rank_bonus = {h.clause.id: max(0.0, 3.0 - i) for i, h in enumerate(hits[:5])}
        scored: list[tuple[float, BoundRule]] = []
        for r in self.rules:
            triggers = sum(1 for t in r.rule.triggers if normalize(t) in q)
            bonus = rank_bonus.get(r.clause_id)
            if bonus is None and triggers == 0:
                continue
            score = triggers * 2.0 + (bonus or 0.0) + (0.5 if bonus is not None else 0.0)
            scored.append((score, r))
        if not scored:
            return RuleChoice(best=None, rivals=[])
        scored.sort(key=lambda t: -t[0])
        best_score, best = scored[0]
        rivals = [r for s, r in scored[1:] if s == best_score and r.clause_id != best.clause_id and r.rule.triggers]
        return RuleChoice(best=best, rivals=rivals)


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
