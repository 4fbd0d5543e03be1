from decimal import Decimal

from assistant.calculator import calculate
from assistant.extractor import propose, reproduces
from assistant.rulebook import RuleBook
from retrieval.corpus import DEFAULT_CORPUS_DIR, load_corpus


def test_ratio_with_annual_cap_is_proposed():
    corpus = load_corpus()
    [clause] = corpus.find_clauses("xicheng-sci-tech-draft", "第五条（二）")
    [rule] = propose(clause, "xicheng")
    assert calculate(rule, {"base": Decimal(800000)}).calculation.amount_yuan == Decimal(240000)
    assert calculate(rule, {"base": Decimal(3000000)}).calculation.amount_yuan == Decimal(500000)


def test_matching_funds_are_proposed():
    corpus = load_corpus()
    [clause] = corpus.find_clauses("xicheng-sci-tech-draft", "第十条（一）")
    [rule] = propose(clause, "xicheng")
    assert calculate(rule, {"base": Decimal(4000000)}).calculation.amount_yuan == Decimal(2000000)
    assert calculate(rule, {"base": Decimal(40000000)}).calculation.amount_yuan == Decimal(5000000)


def test_extractor_reproduces_a_share_of_curated_rules():
    corpus = load_corpus()
    book = RuleBook.load(DEFAULT_CORPUS_DIR / "rules", corpus)
    hits = sum(
        1 for b in book.rules if any(reproduces(p, b.rule) for p in propose(corpus.clause(b.clause_id), b.doc_id))
    )
    assert hits >= 25
