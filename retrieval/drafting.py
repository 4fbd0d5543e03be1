"""Draft a manifest entry for a new document from what its text states about itself.

Title, 文号, issuers, dates, validity and the documents it repeals are read from the text; the
region from the places its title and issuers name. What cannot be found is listed under
`review`, for a person to fill in; the manifest stays the reviewed source of truth.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel

from retrieval.corpus import Corpus
from retrieval.metadata import add_years, derive, normalize_doc_number, parse_date
from retrieval.models import DocStatus, Relation, Validity
from retrieval.normalize import squash
from retrieval.places import BEIJING, Level, place, places_named
from retrieval.sources import _DOC_NUMBER_LINE, RawPiece

# Slugs for document ids, as the bundled ids start (xicheng-…, bda-…).
REGION_SLUGS = {
    "北京市": "bj",
    "东城区": "dongcheng",
    "西城区": "xicheng",
    "朝阳区": "chaoyang",
    "海淀区": "haidian",
    "丰台区": "fengtai",
    "石景山区": "shijingshan",
    "门头沟区": "mentougou",
    "房山区": "fangshan",
    "通州区/城市副中心": "tongzhou",
    "顺义区": "shunyi",
    "昌平区": "changping",
    "大兴区": "daxing",
    "怀柔区": "huairou",
    "平谷区": "pinggu",
    "密云区": "miyun",
    "延庆区": "yanqing",
    "北京经济技术开发区": "bda",
    "中关村": "zgc",
    "石家庄市": "shijiazhuang",
}
_ISSUER = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,30}(人民政府|人民政府办公厅|人民政府办公室|委员会|管理委员会|管委会|办公室|办公厅|局|厅|中心|部)$"
)
_EFFECTIVE = re.compile(r"自\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*起(?:施行|实施|执行|生效)")
_ON_ISSUE = re.compile(r"自(?:印发|发布|公布|颁布)之日起(?:施行|实施|执行|生效)")
_INFO_ISSUED = re.compile(r"^(成文日期|发布日期|發佈日期|发布时间|發佈時間|日期)\s*[:：]\s*(.+)$")
_INFO_ISSUER = re.compile(r"^(发文机关|發文機關|发布机构|来源|來源|信息来源)\s*[:：]\s*(\S+)")
_INFO_NUMBER = re.compile(r"^(发文字号|發文字號|文号)\s*[:：]\s*(.+)$")


class Draft(BaseModel):
    """The fields of a manifest entry read from a text, and those it could not find."""

    title: str
    doc_number: str | None = None
    issuers: list[str] = []
    region: str | None = None
    region_level: str | None = None
    issued: dt.date | None = None
    effective: dt.date | None = None
    validity: Validity | None = None
    status: DocStatus = DocStatus.IN_FORCE
    supersedes: list[Relation] = []
    review: list[str] = []


def draft_meta(piece: RawPiece, corpus: Corpus | None = None, issued: dt.date | None = None) -> Draft:
    """What the text of a new document states about itself (`issued`: a date the operator states instead)."""
    head = [*piece.meta_lines, piece.title]
    notice = piece.paragraphs[: piece.preamble_count]
    full = "\n".join([*head, *piece.paragraphs])
    derived = derive(full)

    doc_number = _doc_number(piece)
    issuers = _issuers(piece)
    issued = issued or _issued(piece)
    effective = None
    m = _EFFECTIVE.search(full)
    if m:
        effective = parse_date(m.group(1))
    elif _ON_ISSUE.search(full) and issued:
        effective = issued
    validity = None
    if derived.validity_text:
        until = derived.valid_until
        if until is None and derived.validity_years and (effective or issued):
            until = add_years(effective or issued, derived.validity_years)  # type: ignore[arg-type]
        validity = Validity(text=derived.validity_text, years=derived.validity_years, until=until)
    region, level = _region(piece.title, issuers, notice)
    draft = "征求意见稿" in squash(" ".join(head))
    status = DocStatus.DRAFT if draft else DocStatus.IN_FORCE
    supersedes = [_relation(title, number, corpus) for title, number in derived.repeals]
    review = [
        name
        for name, value in (
            ("title", piece.title),
            ("doc_number", doc_number),
            ("issuers", issuers),
            ("region", region),
            ("issued", issued),
        )
        if not value
    ]
    if validity is None:
        review.append("validity")
    elif validity.until is None:
        review.append("validity.until")
    return Draft(
        title=piece.title,
        doc_number=doc_number,
        issuers=issuers,
        region=region,
        region_level=level,
        issued=issued,
        effective=effective,
        validity=validity,
        status=status,
        supersedes=supersedes,
        review=review,
    )


def _doc_number(piece: RawPiece) -> str | None:
    """The 文号 printed in the document's head (a 文号 quoted in the body is another document's)."""
    for line in piece.meta_lines:
        m = _INFO_NUMBER.match(line)
        if m:
            return normalize_doc_number(m.group(2))
        if _DOC_NUMBER_LINE.match(line.strip()):
            return normalize_doc_number(line)
    for line in piece.paragraphs[:3]:
        if _DOC_NUMBER_LINE.match(line.strip()):
            return normalize_doc_number(line)
    return None


def _issuers(piece: RawPiece) -> list[str]:
    """Issuers from the page's information lines, or the signature above the notice's (or the text's) date."""
    out: list[str] = []
    for line in piece.meta_lines:
        m = _INFO_ISSUER.match(line)
        if m and _ISSUER.match(m.group(2)):
            out.append(m.group(2))
    if out:
        return out
    notice = piece.paragraphs[: piece.preamble_count]
    for block in (notice, piece.paragraphs[-4:]):
        for i, line in enumerate(block):
            if re.fullmatch(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", line.strip()) and i > 0:
                names = [n for n in re.split(r"[\s、]+", block[i - 1].strip()) if _ISSUER.match(n)]
                if names:
                    return names
    return []


def _issued(piece: RawPiece) -> dt.date | None:
    for line in piece.meta_lines:
        m = _INFO_ISSUED.match(line)
        if m and (day := parse_date(m.group(2))):
            return day
    for line in [*piece.meta_lines, *piece.paragraphs[: piece.preamble_count], *piece.paragraphs[-3:]]:
        if re.fullmatch(r"\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*", line) and (day := parse_date(line)):
            return day
    return None


def _region(title: str, issuers: list[str], notice: list[str]) -> tuple[str | None, str | None]:
    """The most specific place the title (else the issuers) names, with its level."""
    for text in (title, " ".join(issuers), " ".join(notice[:2])):
        found = [p for p in places_named(text) if p.level != Level.ELSEWHERE]
        if not found:
            continue
        p = found[0]
        if p.level == Level.AREA and p.parent:
            p = place(p.parent)
        level = {Level.CITY: "city", Level.DISTRICT: "district", Level.ZONE: "zone"}[p.level]
        if p.name == "中关村":
            return BEIJING, "city"  # 中关村 documents apply city-wide, as the bundled ones are filed
        return p.name, level
    return None, None


def _relation(title: str, number: str, corpus: Corpus | None) -> Relation:
    """A document named by a repeal clause, with its id when it is in the corpus."""
    title = title.strip("《》")
    doc_id = None
    if corpus is not None:
        for d in corpus:
            same_number = d.meta.doc_number and normalize_doc_number(d.meta.doc_number) == number
            if same_number or (not d.meta.doc_number and squash(d.title) == squash(title)):
                doc_id = d.id
                break
    return Relation(title=title, doc_number=number, doc_id=doc_id)


def document_id(region: str | None, issued: dt.date | None, digest: str, taken: set[str]) -> str:
    """A new document's id: region slug, year, and the start of its file's hash (xicheng-2025-3fa2c1)."""
    slug = REGION_SLUGS.get(region or "", "doc")
    base = f"{slug}-{issued.year}" if issued else slug
    for n in range(6, len(digest) + 1):
        candidate = f"{base}-{digest[:n]}"
        if candidate not in taken:
            return candidate
    raise ValueError(f"cannot make a new id from {digest}: all taken")
