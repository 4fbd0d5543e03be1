"""The clause parser on arbitrary text: no crash, and every clause's words come from the input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.clauses import build_clauses

MARKERS = ["第一条", "第十二条", "第一章", "一、", "二、", "（一）", "（二）", "(1)", "1.", "2.", "01", "13.", "附件"]
MARKS = st.sampled_from([*MARKERS, "\n", "。", "；", " "])
PARAGRAPH = st.lists(st.one_of(MARKS, st.text(max_size=12)), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(PARAGRAPH, max_size=8), st.booleans(), st.integers(min_value=0, max_value=3))
def test_parser_never_crashes_and_keeps_to_the_input(paragraphs, flat, preamble):
    clauses = build_clauses("doc", paragraphs, flat, preamble_count=min(preamble, len(paragraphs)))
    source = "".join("".join(p.split()) for p in paragraphs)
    for c in clauses:
        assert c.doc_id == "doc"
        assert set("".join(c.text.split())) <= set(source) | set("。；：")
