import pytest

from retrieval.clauses import build_clauses, cn_to_int, parse_marker


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("三十八", 38), ("一百零二", 102)],
)
def test_cn_to_int(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize(
    ("segment", "kind", "number"),
    [
        ("第十二条 支持", "article", 12),
        ("（三）支持", "cn_paren", 3),
        ("(3)企业", "arabic_paren", 3),
        ("13. 支持加氢站", "arabic_dot", 13),
        ("03 上市企业并购重组补贴", "two_digit", 3),
        ("16 项目投资奖励", "two_digit", 16),
        ("一、主要举措", "cn_num", 1),
    ],
)
def test_parse_marker(segment, kind, number):
    m = parse_marker(segment, flat=True)
    assert m is not None and (m.type, m.number) == (kind, number)


@pytest.mark.parametrize("segment", ["100 万元奖励", "1.5元/平方米/天", "30 万元", "2025 年"])
def test_numbers_are_not_markers(segment):
    m = parse_marker(segment, flat=True)
    assert m is None or m.type not in ("two_digit", "arabic_dot")


def test_out_of_sequence_numbers_stay_in_text():
    clauses = build_clauses("d", ["第一条 标题", "（一）给予奖励，详见（三）。", "（三）不应成为新条款。"], flat=False)
    assert [c.locator for c in clauses] == ["第一条", "第一条（一）"]
    assert "（三）不应成为新条款" in clauses[1].text


def test_flat_document_is_split_at_its_numbering():
    text = "总则。 1. 支持研发 对研发给予支持。 2. 支持人才 对人才给予支持。"
    clauses = build_clauses("d", [text], flat=True)
    assert [c.locator for c in clauses] == ["序言", "1. 支持研发", "2. 支持人才"]
    assert "".join(c.text for c in clauses).replace(" ", "") == text.replace(" ", "")


def test_clause_ids_are_stable_across_runs():
    text = ["第一条 一。", "第二条 二。", "（一）甲。", "（二）乙。"]
    assert [c.id for c in build_clauses("d", text, flat=False)] == [c.id for c in build_clauses("d", text, flat=False)]
    assert [c.id for c in build_clauses("d", text, flat=False)] == ["d#a1", "d#a2", "d#a2.p1", "d#a2.p2"]
