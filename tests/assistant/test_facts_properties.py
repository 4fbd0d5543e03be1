"""Properties of the facts reader over arbitrary text: it never crashes, and every quantity it reads
stands in the text, written with digits or numerals."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.facts import _FINANCIAL_DIGITS, extract, parse_number
from retrieval.normalize import to_simplified

NUMERALS = set("零〇一二两三四五六七八九十百千万亿壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億")


def numeral(ch: str) -> bool:
    """A digit of any script (Python reads ٣ and ８ as digits) or a Chinese numeral."""
    return ch.isdecimal() or ch in NUMERALS


def nonzero_numeral(ch: str) -> bool:
    return (ch.isdecimal() and unicodedata.decimal(ch) != 0) or ch in NUMERALS - {"零", "〇"}


# Text that looks like what people type about money: numbers, units, currencies and noise between them.
PIECES = st.sampled_from(
    [
        "80",
        "八十",
        "万",
        "亿",
        "元",
        "块",
        "w",
        "k",
        "1.5",
        "-",
        "e30",
        "1e30",
        "0.00001",
        "千万",
        "百万",
        "平",
        "㎡",
        "亩",
        "人",
        "%",
        "百分之",
        "年",
        "个月",
        "天",
        "公斤",
        "吨",
        "美元",
        "$",
        "¥",
        "，",
        "。",
        "两千",
        "一点五",
        "捌佰",
        "合同",
        "花了",
        "每天",
        "每平",
        "/",
        "每",
        "个",
        "项",
        "家",
        " ",
        "\u200b",
        "2025年",
        "万万",
        "亿亿",
        "..",
        ",",
        "0",
        "000",
        "九九九九九九九九九九",
        "99999999999999999999",
    ]
)
TEXTS = st.one_of(st.text(max_size=80), st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=25).map("".join))


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_every_quantity_read_stands_in_the_text_with_numerals(text):
    seen = to_simplified(text).translate(_FINANCIAL_DIGITS)
    for q in extract(text):
        assert seen[q.start : q.end] == q.text or q.text in seen, (q, seen)
        assert any(numeral(ch) for ch in q.text), q
        if q.value != 0:
            assert any(nonzero_numeral(ch) for ch in q.text), q


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_parse_number_never_crashes(text):
    value = parse_number(text)
    assert value is None or value.is_finite()
