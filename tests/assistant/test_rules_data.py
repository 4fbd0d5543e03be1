"""The rule data of the whole corpus: numbers from their clauses, every amount clause covered."""

from assistant.rulebook import RuleBook
from assistant.rules_check import check_rules
from retrieval.corpus import DEFAULT_CORPUS_DIR, load_corpus


def test_rules_load_and_check_clean():
    corpus = load_corpus()
    book = RuleBook.load(DEFAULT_CORPUS_DIR / "rules", corpus)
    assert len(book.rules) >= 150
    assert check_rules(book, corpus) == []


def test_every_rule_has_triggers_or_a_clause_people_find():
    book = RuleBook.load(DEFAULT_CORPUS_DIR / "rules", load_corpus())
    for bound in book.rules:
        assert (bound.rule.title and bound.rule.steps) or bound.rule.items, bound.rule.id
        for spec in bound.rule.inputs:
            assert "？" in spec.ask or "?" in spec.ask, (bound.rule.id, spec.name)


def test_eligibility_inputs_must_be_optional():
    import pytest
    from pydantic import ValidationError

    from assistant.rules import Eligibility

    with pytest.raises(ValidationError, match="optional"):
        Eligibility.model_validate(
            {
                "clause": "第六条(二)",
                "applies_to": ["第六条(三)"],
                "inputs": [{"name": "staff", "kind": "people", "label": "人数", "ask": "多少人？"}],
                "conditions": [{"input": "staff", "op": "<=", "value": "100", "label": "100人(含)以下"}],
            }
        )
