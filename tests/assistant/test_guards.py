import datetime as dt
from decimal import Decimal

import pytest

from assistant.guards import check
from assistant.models import Answer, Calculation, Citation
from retrieval.corpus import load_corpus

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def cite(corpus, doc_id, locator):
    [clause] = corpus.find_clauses(doc_id, locator)
    doc = corpus.document(doc_id)
    return Citation(
        doc_id=doc_id,
        doc_title=doc.title,
        locator=clause.locator,
        quote=clause.text,
        status=doc.meta.status.value,
        status_label="征求意见稿",
        clause_id=clause.id,
    )


def answer(corpus, text, calc=None):
    return Answer(text=text, citations=[cite(corpus, "xicheng-sci-tech-draft", "第五条（二）")], calculation=calc)


CALC = Calculation(
    amount_yuan=Decimal(240000),
    steps=["按照合同额的30%给予后补贴：80万 × 30% = 24万", "可获支持金额：24万元"],
    rule_id="xicheng-ip-services",
)
USER = ["我们在西城做专利导航花了80万，能补多少？"]


def test_grounded_reply_passes(corpus):
    report = check(answer(corpus, "按第五条（二），80万 × 30% = 24万元，年度不超过50万元。", CALC), USER, corpus, TODAY)
    assert report.ok, report


def test_altered_ratio_is_caught(corpus):
    report = check(answer(corpus, "按照合同额的35%给予后补贴，可得28万元。", CALC), USER, corpus, TODAY)
    assert {v.number for v in report.ungrounded} >= {"35"}


def test_altered_amount_is_caught(corpus):
    report = check(answer(corpus, "可获得25万元。", CALC), USER, corpus, TODAY)
    assert [v.number for v in report.ungrounded] == ["25万元"]


def test_invented_number_is_caught(corpus):
    report = check(answer(corpus, "另外还可以申请最高200万元的配套奖励。", None), USER, corpus, TODAY)
    assert [v.number for v in report.ungrounded] == ["200万元"]


def test_same_amount_in_another_spelling_is_grounded(corpus):
    report = check(answer(corpus, "可获得240,000元。", CALC), USER, corpus, TODAY)
    assert report.ok


def test_user_numbers_are_grounded(corpus):
    report = check(answer(corpus, "您提到合同额80万元。", None), USER, corpus, TODAY)
    assert report.ok


def test_quote_must_match_clause(corpus):
    a = answer(corpus, "见条款。")
    bad = a.model_copy(update={"citations": [a.citations[0].model_copy(update={"quote": "按照合同额的50%给予补贴"})]})
    assert check(bad, USER, corpus, TODAY).bad_citations
