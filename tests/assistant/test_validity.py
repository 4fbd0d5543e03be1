"""Statuses an operator sets: superseded (the successor named), repealed by a document, expired."""

from __future__ import annotations

import datetime as dt

from assistant.validity import standing, validity_sentence
from retrieval.models import DocStatus, DocumentMeta, Relation, SourceRef, Validity

TODAY = dt.date(2026, 11, 22)


def meta(status: DocStatus, **extra) -> DocumentMeta:  # type: ignore[no-untyped-def]
    return DocumentMeta(
        id="old-doc",
        title="北京市测试区若干措施",
        region="北京市",
        region_level="city",
        status=status,
        sources=(SourceRef(file="005_x.txt", key="*"),),
        **extra,
    )


NEW = Relation(title="北京市测试区若干措施（2026年修订）", doc_number="京测发〔2026〕1号", doc_id="new-doc")


def test_a_superseded_document_names_its_successor():
    s = standing(meta(DocStatus.SUPERSEDED, superseded_by=(NEW,)), TODAY)
    assert (s.code, s.label) == ("superseded", "已被替代")
    assert s.warning == (
        "注意：《北京市测试区若干措施》已被《北京市测试区若干措施（2026年修订）》（京测发〔2026〕1号）替代，"
        "申报请以新文件为准。"
    )
    assert "该文件已被《北京市测试区若干措施（2026年修订）》（京测发〔2026〕1号）替代" in validity_sentence(
        meta(DocStatus.SUPERSEDED, superseded_by=(NEW,)), TODAY
    )


def test_a_repealed_document_names_what_repealed_it():
    s = standing(meta(DocStatus.REPEALED, superseded_by=(NEW,)), TODAY)
    assert s.warning == (
        "注意：《北京市测试区若干措施》已废止（由《北京市测试区若干措施（2026年修订）》（京测发〔2026〕1号）废止），"
        "不能再作为申报依据。"
    )
    assert (
        standing(meta(DocStatus.REPEALED), TODAY).warning
        == "注意：《北京市测试区若干措施》已废止，不能再作为申报依据。"
    )


def test_a_retired_expired_document():
    s = standing(meta(DocStatus.EXPIRED), TODAY)
    assert (s.code, s.label) == ("expired", "已过有效期")
    assert s.warning == "注意：《北京市测试区若干措施》已失效，不能再作为申报依据；是否有接续政策请向主管部门确认。"
    dated = meta(DocStatus.EXPIRED, validity=Validity(text="有效期至2027年12月31日。", until=dt.date(2027, 12, 31)))
    assert standing(dated, TODAY).warning == (
        "注意：《北京市测试区若干措施》的有效期至2027年12月31日，已宣布失效；是否仍受理申报请向主管部门确认，或查找接续政策。"
    )
