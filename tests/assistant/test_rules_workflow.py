"""After an add: rules propose writes a draft file, rules check reports the new amount clauses, and a draft
file does not count as reviewed rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.__main__ import main as cli
from assistant.rulebook import RuleBook
from assistant.settings import get_settings
from retrieval.corpus import DEFAULT_CORPUS_DIR, read_corpus
from retrieval.ingest import Library, Overrides

FIXTURES = Path(__file__).resolve().parents[1] / "retrieval" / "fixtures"


@pytest.fixture
def corpus_dir(tmp_path, monkeypatch):
    target = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS_DIR, target)
    lib = Library(target)
    lib.apply(lib.plan_add(FIXTURES / "notice_page.html", Overrides(id="test-rent")))
    monkeypatch.setenv("POLICY_QA_CORPUS_DIR", str(target))
    get_settings.cache_clear()
    yield target
    get_settings.cache_clear()


def test_propose_check_and_review(corpus_dir, capsys):
    assert cli(["rules", "check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "test-rent#a2 (第二条) states an amount but has no rule or not_computable entry",
        "test-rent#a3 (第三条) states an amount but has no rule or not_computable entry",
    ]
    assert out[-1] == "284 rules, 44 not computable; 2 problem(s)"

    assert cli(["rules", "propose", "--doc", "test-rent"]) == 0
    proposed = corpus_dir / "rules" / "test-rent.proposed.yaml"
    assert "2 rule(s) proposed, 0 clause(s) with an amount left to review" in capsys.readouterr().out
    corpus = read_corpus(corpus_dir)
    book = RuleBook.load(corpus_dir / "rules", corpus)
    assert not any(r.doc_id == "test-rent" for r in book.rules)  # a draft is not a reviewed rule
    assert book.unreviewed(corpus) == frozenset({"test-rent#a2", "test-rent#a3"})

    # Reviewed: the draft saved as test-rent.yaml, the open list gone.
    text = proposed.read_text(encoding="utf-8").replace("unresolved: []\n", "")
    (corpus_dir / "rules" / "test-rent.yaml").write_text(text, encoding="utf-8")
    book = RuleBook.load(corpus_dir / "rules", corpus)
    assert sorted(r.rule.id for r in book.rules if r.doc_id == "test-rent") == ["test-rent-x2-rent", "test-rent-x3-f1"]
    assert book.unreviewed(corpus) == frozenset()
    assert cli(["rules", "check"]) == 0
    capsys.readouterr()


def test_propose_an_unknown_document(corpus_dir, capsys):
    assert cli(["rules", "propose", "--doc", "nope"]) == 2
    assert "python -m retrieval documents" in capsys.readouterr().err
