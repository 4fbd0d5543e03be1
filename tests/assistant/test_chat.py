"""The extractive answerer on the real corpus: exact citations, amounts, refusals, follow-ups."""

import json
from decimal import Decimal

from assistant.__main__ import main as cli
from assistant.models import Message

PATENT = "我们在西城，委托机构做专利导航花了80万，能补多少？"


def test_amount_with_citation_steps_and_draft_warning(assistant):
    a = assistant.answer(PATENT)
    assert a.calculation.amount_yuan == Decimal(240000)
    assert a.calculation.steps[0] == "按照合同额的30%给予后补贴：80万 × 30% = 24万"
    assert [(c.locator, c.status) for c in a.citations] == [("第五条（二）", "draft")]
    assert "24万元" in a.text and "征求意见稿" in a.text
    assert a.refused is False and a.follow_up is None and a.mode == "extractive"


def test_cap_binds(assistant):
    a = assistant.answer("西城专利导航服务合同210万，补多少？")
    assert a.calculation.amount_yuan == Decimal(500000)
    assert a.calculation.binding_limit == "年度支持金额不超过50万元"


def test_missing_fact_is_asked_for(assistant):
    a = assistant.answer("西城专利导航能补多少？")
    assert a.calculation is None
    assert a.follow_up and "合同金额" in a.follow_up
    assert a.citations[0].locator == "第五条（二）"


def test_facts_carry_over_between_turns(assistant):
    history = [
        Message(role="user", content="西城区对企业做专利导航有没有补贴？"),
        Message(role="assistant", content="有，按照合同额的30%给予后补贴。"),
    ]
    a = assistant.answer("我们跟服务机构签的合同是八十万，能补多少", history)
    assert a.calculation.amount_yuan == Decimal(240000)


def test_traditional_question_finds_the_same_clause(assistant):
    simp = assistant.retrieve(assistant.read("经开区科技型中小企业房租补贴标准"))[0].clause.id
    trad = assistant.retrieve(assistant.read("經開區科技型中小企業房租補貼標準"))[0].clause.id
    assert simp == trad


def test_other_city_is_refused(assistant):
    a = assistant.answer("深圳南山区新认定高新技术企业奖励多少钱？")
    assert a.refused and a.citations == [] and a.calculation is None
    assert "深圳" in a.text


def test_unrelated_subject_is_refused(assistant):
    assert assistant.answer("年终奖个税今年还能单独计税吗？").refused


def test_expired_document_is_flagged(assistant):
    a = assistant.answer("氢能那份若干政策措施现在还能申报吗？")
    assert "2025年8月10日" in a.text and "已过有效期" in a.text
    assert a.citations[0].status_label == "已过有效期"


def test_empty_document_is_not_invented(assistant):
    a = assistant.answer("北京超高清视听产业发展项目管理办法对4K内容制作最高支持多少？")
    assert a.refused and "只有标题" in a.text


def test_vague_question_gets_a_cited_overview_and_a_question_back(assistant):
    a = assistant.answer("有什么补贴？")
    assert a.follow_up and not a.refused
    regions = {assistant.corpus.document(c.doc_id).meta.region for c in a.citations}
    assert len(regions) == 8  # one clause per place, at most eight (plus validity clauses of expired ones)


def test_vague_question_about_a_district_stays_in_that_district(assistant):
    a = assistant.answer("西城有啥补贴？")
    assert a.follow_up and not a.refused
    assert {assistant.corpus.document(c.doc_id).meta.region for c in a.citations} <= {"西城区", "北京市"}
    assert any(c.doc_id == "xicheng-sci-tech-draft" for c in a.citations)


def test_cli_ask_json_with_history(tmp_path, capsys, monkeypatch, settings):
    monkeypatch.setattr("assistant.service.get_settings", lambda: settings)
    history = tmp_path / "h.json"
    history.write_text(
        json.dumps([{"role": "user", "content": "西城专利导航有补贴吗"}, {"role": "assistant", "content": "有"}]),
        encoding="utf-8",
    )
    assert cli(["ask", "合同八十万能补多少", "--json", "--history", str(history)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["calculation"]["amount_yuan"] == 240000
    assert set(out) == {"text", "citations", "calculation", "refused", "follow_up", "mode"}


def test_answerer_is_an_lcel_runnable(assistant):
    a = assistant.runnable().invoke({"question": PATENT})
    assert a.calculation.amount_yuan == Decimal(240000)
