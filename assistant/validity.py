"""A document's standing on a given day: the badge, and the warning an answer must carry."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from retrieval.models import DocStatus, DocumentMeta


class Standing(BaseModel):
    code: str  # in_force, draft, repealed, summary, interpretation, empty, expired
    label: str  # the badge: 现行有效, 征求意见稿, 已过有效期, …
    warning: str | None  # a sentence every answer citing the document must include


def _date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def successor(meta: DocumentMeta) -> str | None:
    """The document that replaced this one, as a reader would name it: 《title》（文号）."""
    if not meta.superseded_by:
        return None
    rel = meta.superseded_by[-1]
    return f"《{rel.title}》" + (f"（{rel.doc_number}）" if rel.doc_number else "")


def standing(meta: DocumentMeta, today: dt.date) -> Standing:
    title = f"《{meta.title}》"
    after = successor(meta)
    if meta.status == DocStatus.SUPERSEDED:
        return Standing(
            code="superseded",
            label="已被替代",
            warning=f"注意：{title}已被{after or '新版本'}替代，申报请以新文件为准。",
        )
    if meta.status == DocStatus.DRAFT:
        return Standing(
            code="draft",
            label="征求意见稿",
            warning=f"注意：{title}目前是征求意见稿，尚未正式印发施行，条款和金额可能调整，以正式发布版本为准。",
        )
    if meta.status == DocStatus.REPEALED:
        by = f"（由{after}废止）" if after else ""
        return Standing(code="repealed", label="已废止", warning=f"注意：{title}已废止{by}，不能再作为申报依据。")
    if meta.status == DocStatus.SUMMARY:
        return Standing(
            code="summary",
            label="新闻摘要",
            warning=f"注意：{title}是新闻报道或汇编摘要，不是政策原文；申报请以正式发布的政策文件为准。",
        )
    if meta.status == DocStatus.INTERPRETATION:
        return Standing(
            code="interpretation",
            label="政策解读",
            warning=f"注意：{title}是政策解读，不是政策原文；申报请以正式发布的政策文件为准。",
        )
    if meta.status == DocStatus.EMPTY:
        return Standing(
            code="empty", label="仅有标题", warning=f"注意：语料中{title}只有标题、没有正文，无法引用其内容。"
        )
    if meta.status == DocStatus.EXPIRED and not (meta.validity and meta.validity.until):
        return Standing(
            code="expired",
            label="已过有效期",
            warning=f"注意：{title}已失效，不能再作为申报依据；是否有接续政策请向主管部门确认。",
        )
    if (meta.expired_on(today) or meta.status == DocStatus.EXPIRED) and meta.validity and meta.validity.until:
        return Standing(
            code="expired",
            label="已过有效期",
            warning=(
                f"注意：{title}的有效期至{_date(meta.validity.until)}，"
                + (f"截至{_date(today)}已过有效期；" if meta.validity.until < today else "已宣布失效；")
                + "是否仍受理申报请向主管部门确认，或查找接续政策。"
            ),
        )
    return Standing(code="in_force", label="现行有效", warning=None)


def validity_sentence(meta: DocumentMeta, today: dt.date) -> str:
    """What the corpus says about when the document applies, in one or two sentences."""
    parts: list[str] = []
    if meta.issued:
        parts.append(f"该文件于{_date(meta.issued)}印发")
    v = meta.validity
    if v and v.until:
        state = "已过有效期" if v.until < today else "目前仍在有效期内"
        parts.append(f"有效期至{_date(v.until)}，{state}")
    elif v and v.years:
        parts.append(f"文件规定有效期（试行期）{v.years}年，但语料未载明起算日期，无法确定具体截止日")
    elif meta.status not in (DocStatus.SUMMARY, DocStatus.INTERPRETATION, DocStatus.EMPTY):
        parts.append("文本未规定有效期")
    after = successor(meta)
    if after and meta.status in (DocStatus.SUPERSEDED, DocStatus.REPEALED):
        parts.append(f"该文件已被{after}{'替代' if meta.status == DocStatus.SUPERSEDED else '废止'}")
    for rel in meta.supersedes:
        number = f"（{rel.doc_number}）" if rel.doc_number else ""
        verb = "正式施行后将废止" if meta.status == DocStatus.DRAFT else "施行后废止"
        parts.append(f"该文件{verb}《{rel.title}》{number}")
    return "；".join(parts) + "。" if parts else ""
