"""Policies written for the test with structures the bundled corpus lacks parse into the expected locators."""

from __future__ import annotations

from pathlib import Path

from retrieval.clauses import build_clauses, parse_marker
from retrieval.sources import split_file

FIXTURES = Path(__file__).parent / "fixtures"


def parsed(name: str) -> list[tuple[str, str, str]]:
    [piece] = split_file(FIXTURES / name)
    return [(c.id, c.locator, c.kind.value) for c in build_clauses("t", piece.paragraphs, False, piece.preamble_count)]


def test_chapters_sections_articles_circled_items_table_and_attachment():
    assert parsed("structured_policy.md") == [
        ("t#ch1", "第一章 总则", "heading"),
        ("t#ch1.a1", "第一条", "clause"),
        ("t#ch1.a2", "第二条", "clause"),
        ("t#ch2", "第二章 支持措施", "heading"),
        ("t#ch2.se1", "第二章第一节 研发支持", "heading"),
        ("t#ch2.se1.a3", "第三条", "clause"),
        ("t#ch2.se1.a3.c1", "第三条①", "clause"),
        ("t#ch2.se1.a3.c2", "第三条②", "clause"),
        ("t#ch2.se1.a4", "第四条", "clause"),
        ("t#ch2.se2", "第二章第二节 人才支持", "heading"),
        ("t#ch2.se2.a5", "第五条", "heading"),
        ("t#ch2.se2.a5.p1", "第五条（一）", "clause"),
        ("t#ch2.se2.a5.p2", "第五条（二）", "clause"),
        ("t#ch3", "第三章 附则", "heading"),
        ("t#ch3.a6", "第六条", "clause"),
        ("t#ax1", "附件1 示范产业重点领域目录", "heading"),
        ("t#ax1.s1", "附件1 一、人工智能", "clause"),
        ("t#ax1.s2", "附件1 二、生物医药", "clause"),
    ]


def test_a_table_of_amounts_stays_in_its_article_row_by_row():
    [piece] = split_file(FIXTURES / "structured_policy.md")
    [art4] = [c for c in build_clauses("t", piece.paragraphs, False) if c.locator == "第四条"]
    assert art4.text == (
        "第四条 首台套奖励\n首台套产品按下表给予一次性奖励：\n"
        "产品类别：国际首创；奖励标准：100万元。\n产品类别：国内首创；奖励标准：50万元。"
    )
    assert art4.title == "首台套奖励"


def test_title_and_doc_number_are_read_from_the_head():
    [piece] = split_file(FIXTURES / "structured_policy.md")
    assert piece.title == "北京市测试区促进示范产业发展办法"
    assert piece.meta_lines == ["京测政发〔2025〕7号"]


def test_unnumbered_measures_keep_their_blocks_and_close():
    assert parsed("measures_blocks.txt") == [
        ("t#para1", "第1段", "paragraph"),
        ("t#g1", "研发费用补贴", "clause"),
        ("t#g2", "上市培育奖励", "clause"),
        ("t#end1", "末段", "closing"),
    ]
    [piece] = split_file(FIXTURES / "measures_blocks.txt")
    g1 = build_clauses("t", piece.paragraphs, False)[1]
    assert g1.text.splitlines()[1:] == [
        "支持对象：在本区注册的专精特新中小企业。",
        "支持条件：上年度研发费用不低于500万元。",
        "支持标准：按照上年度研发费用的5%给予补贴，最高不超过100万元。",
    ]


def test_traditional_characters():
    assert parsed("traditional.txt") == [
        ("t#ch1", "第一章 總則", "heading"),
        ("t#ch1.a1", "第一條", "clause"),
        ("t#ch2", "第二章 支持措施", "heading"),
        ("t#ch2.a2", "第二條", "heading"),
        ("t#ch2.a2.p1", "第二條（一）", "clause"),
        ("t#ch2.a2.p2", "第二條（二）", "clause"),
        ("t#ch3", "第三章 附則", "heading"),
        ("t#ch3.a3", "第三條", "clause"),
    ]


def test_attachment_marks_are_headings_not_words():
    assert parse_marker("附件1 示范产业重点领域目录", flat=False).label == "附件1"  # type: ignore[union-attr]
    assert parse_marker("附件一：申报材料清单", flat=False).number == 1  # type: ignore[union-attr]
    assert parse_marker("附件上传无误后,系统内提交。", flat=False) is None
    assert parse_marker("附件1 示范产业重点领域目录", flat=True) is None  # one-line pages quote 附件 in sentences
    assert parse_marker("⑤研发投入", flat=False).number == 5  # type: ignore[union-attr]


def test_articles_of_an_attachment_are_cited_with_it():
    paragraphs = ["第一条 正文。", "第二条 正文。", "附件1", "第一条 附件的第一条。"]
    got = [(c.id, c.locator) for c in build_clauses("t", paragraphs, False)]
    assert got == [("t#a1", "第一条"), ("t#a2", "第二条"), ("t#ax1", "附件1"), ("t#ax1.a1", "附件1第一条")]


def test_an_attachment_out_of_sequence_stays_text():
    clauses = build_clauses("t", ["第一条 正文。", "第二条 正文。", "附件2", "第一条 引用。"], False)
    assert [c.locator for c in clauses] == ["第一条", "第二条"]
    assert clauses[1].text == "第二条 正文。\n附件2\n第一条 引用。"
