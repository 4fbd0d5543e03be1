"""Facts a document states about itself: 文号, dates, validity, documents it repeals.

Used to draft manifest entries for new documents and to check the manifest against the
text; the manifest stays the reviewed source of truth.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel

from retrieval.clauses import cn_to_int

_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［]\s*\d{4}\s*[〕\]］]\s*\d+\s*号")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_VALIDITY_YEARS = re.compile(r"(?:有效期|试行期)\s*(?:为)?\s*([一二三四五六七八九十\d]+)\s*年")
_VALID_UNTIL = re.compile(
    r"(?:执行至|有效期至|实施至|有效期自\S{2,8}起至|自印发日起至|自发布之日起至)\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_REPEAL = re.compile(r"(?:原)?(《[^》]+》)\s*[(（]([^()（）]*?〔\d{4}〕\s*\d+\s*号)[)）]\s*(?:同时)?废止")


class DerivedMeta(BaseModel):
    doc_numbers: list[str] = []
    dates: list[dt.date] = []
    validity_text: str | None = None
    validity_years: int | None = None
    valid_until: dt.date | None = None
    repeals: list[tuple[str, str]] = []


def normalize_doc_number(text: str) -> str:
    """京科发〔2022〕14 号 → 京科发〔2022〕14号 (spaces and bracket forms unified)."""
    t = re.sub(r"\s+", "", text)
    return t.replace("[", "〔").replace("]", "〕").replace("［", "〔").replace("］", "〕")


def parse_date(text: str) -> dt.date | None:
    """2025年1月1日 or 2025-01-01 → the date; None when the text holds no valid date."""
    m = _DATE.search(text)
    if not m:
        return None
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    try:
        return dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None


def add_years(day: dt.date, years: int) -> dt.date:
    """The last day of a period of `years` years starting on `day`."""
    try:
        end = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        end = day.replace(year=day.year + years, day=28)
    return end - dt.timedelta(days=1)


def derive(text: str) -> DerivedMeta:
    """Read the facts a document's text states about itself."""
    meta = DerivedMeta()
    meta.doc_numbers = list(dict.fromkeys(normalize_doc_number(m.group(0)) for m in _DOC_NUMBER.finditer(text)))
    for d in _DATE.finditer(text):
        meta.dates += [day] if (day := parse_date(d.group(0))) else []
    years = _VALIDITY_YEARS.search(text)
    if years:
        raw = years.group(1)
        meta.validity_years = int(raw) if raw.isdigit() else cn_to_int(raw)
        meta.validity_text = _sentence_around(text, years.start())
    until = _VALID_UNTIL.search(text)
    if until:
        meta.valid_until = dt.date(int(until.group(1)), int(until.group(2)), int(until.group(3)))
        meta.validity_text = meta.validity_text or _sentence_around(text, until.start())
    meta.repeals = [(m.group(1), normalize_doc_number(m.group(2))) for m in _REPEAL.finditer(text)]
    return meta


def _sentence_around(text: str, pos: int) -> str:
    start = max(text.rfind(c, 0, pos) for c in "。；;\n") + 1
    ends = [i for i in (text.find(c, pos) for c in "。；;\n") if i != -1]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()
