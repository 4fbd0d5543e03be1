"""Facts from the user's words: money, areas, headcounts, shares, durations, unit prices, counts.

Handles the ways people type numbers: 80万, 八十万, 1.2亿, 3个亿, 80w, 800,000元, 0.8百万,
一千八百元, 5000万美元, 两千平, 1500㎡, 2块/平/天, 51%, 百分之五十, 10个月, 3个展会.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum

import cn2an
from pydantic import BaseModel, ConfigDict

from retrieval.normalize import to_simplified

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_NUM = rf"(?:-?\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN_DIGITS}]+(?:点[{_CN_DIGITS}]+)?)"
_NUMBER_RE = re.compile(_NUM)


class Kind(StrEnum):
    MONEY = "money"
    AREA = "area"  # square metres
    MU = "mu"  # 亩
    PEOPLE = "people"
    PERCENT = "percent"
    YEARS = "years"
    MONTHS = "months"
    DAYS = "days"
    KG = "kg"
    UNIT_PRICE = "unit_price"  # 元/平方米/天
    COUNT = "count"  # 3个展会, 2项标准
    YEAR = "year"  # a calendar year: 2025年


class Quantity(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Kind
    value: Decimal  # money in yuan of `currency`; area in m²; percent as 30 for 30%
    text: str
    start: int
    end: int
    currency: str = "CNY"
    unit: str = ""  # what a count counts (展会, 项), or the unit as typed

    @property
    def yuan(self) -> Decimal:
        return self.value


def parse_number(text: str) -> Decimal | None:
    """'1,200.5' → 1200.5; '八十' → 80; '两千' → 2000; '一点五' → 1.5; '' → None."""
    t = text.replace(",", "").strip()
    if not t:
        return None
    try:
        value = Decimal(t)
        return value if value.is_finite() else None  # "NaN", "Infinity": not numbers anyone paid
    except InvalidOperation:
        pass
    t = t.replace("〇", "零")
    scale = Decimal(1)
    if "点" in t and t[-1] in "万亿":  # 一点二亿, 三点五万: the decimal part, then the unit
        scale, t = Decimal(10) ** (8 if t[-1] == "亿" else 4), t[:-1]
    try:
        value = cn2an.cn2an(t, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return Decimal(str(value)) * scale


_MULTIPLIERS: list[tuple[str, Decimal]] = [
    ("个亿", Decimal(10) ** 8),
    ("百万", Decimal(10) ** 6),
    ("千万", Decimal(10) ** 7),
    ("亿", Decimal(10) ** 8),
    ("万", Decimal(10) ** 4),
    ("w", Decimal(10) ** 4),
    ("W", Decimal(10) ** 4),
    ("千", Decimal(10) ** 3),
    ("k", Decimal(10) ** 3),
    ("K", Decimal(10) ** 3),
    ("million", Decimal(10) ** 6),
    ("Million", Decimal(10) ** 6),
    ("billion", Decimal(10) ** 9),
    ("Billion", Decimal(10) ** 9),
]
_CURRENCIES = {
    "美元": "USD",
    "美金": "USD",
    "欧元": "EUR",
    "港币": "HKD",
    "港元": "HKD",
    "日元": "JPY",
    "英镑": "GBP",
    "人民币": "CNY",
    "元": "CNY",
    "块钱": "CNY",
    "块": "CNY",
    "rmb": "CNY",
    "RMB": "CNY",
    "USD": "USD",
    "usd": "USD",
    "CNY": "CNY",
}
# A currency written before the number: USD 6.5 million, US$200万, $3 million, ¥80万.
_PREFIX_CURRENCIES = {
    "USD": "USD",
    "usd": "USD",
    "US$": "USD",
    "$": "USD",
    "RMB": "CNY",
    "CNY": "CNY",
    "¥": "CNY",
    "￥": "CNY",
}
_MULT_RE = "|".join(re.escape(m) for m, _ in _MULTIPLIERS)
_CUR_RE = "|".join(re.escape(c) for c in sorted(_CURRENCIES, key=len, reverse=True))
_PRE_RE = "|".join(re.escape(c) for c in sorted(_PREFIX_CURRENCIES, key=len, reverse=True))
_MONEY = re.compile(
    rf"(?:(?P<pre>{_PRE_RE})\s*)?(?P<num>{_NUM})\s*(?P<mult>{_MULT_RE})?\s*(?P<mult2>万|亿)?\s*(?P<cur>{_CUR_RE})?"
    r"(?!\s*[/每]\s*(?:平|㎡|m2|平方|亩|公斤|千克|kg|天|日|月|年|人|个|次))"
    r"(?!\s*(?:公斤|千克|kg|KG|吨|平|㎡|亩|人|名|个月|项|家|倍|台|套|件|户|千瓦|kW|P\b))"
)
_AREA = re.compile(rf"(?P<num>{_NUM})\s*(?P<mult>万)?\s*(?P<unit>平方米|平方|平米|㎡|m2|m²|平(?![台均]))")
_MU = re.compile(rf"(?P<num>{_NUM})\s*(?P<mult>万)?\s*亩")
_PEOPLE = re.compile(
    rf"(?P<num>{_NUM})\s*(?:个)?(?:人|名员工|名职工|名|位员工|号人|个员工|个职工)(?!民币|才)"
    rf"|(?:员工|职工|人数|人员|团队)(?:有|是|共|总共|一共)?\s*(?P<num2>{_NUM})\s*(?:个|名|位)?(?![\d万亿元%天年月平])"
    # 2位亦城领军人才, 3名博士: a count of people named by what they are
    rf"|(?P<num3>{_NUM})\s*(?:位|名)(?=[\u4e00-\u9fff]{{0,8}}?(?:人才|专家|员工|职工|博士|硕士|工程师|人员|院士|学者))"
)
_PERCENT = re.compile(rf"(?:(?P<num>{_NUM})\s*[%％]|百分之(?P<cn>[{_CN_DIGITS}点\d.]+))")
_YEARS = re.compile(rf"(?P<num>{_NUM})\s*(?:个)?(?:年(?![度底初内中])|周年)")
_CALENDAR_YEAR = re.compile(r"(?P<num>(?:19|20)\d{2})\s*年")
_MONTHS = re.compile(rf"(?P<num>{_NUM})\s*个\s*月")
_DAYS = re.compile(rf"(?P<num>{_NUM})\s*(?:天|日)(?!元)")
_KG = re.compile(
    rf"(?P<num>{_NUM})\s*(?P<mult>万|吨)?\s*(?:公斤|千克|kg|KG)?(?P<t>吨)?(?=\s*(?:氢|氢气|的|，|,|。|$|\s))"
)
_SQM = r"(?:平方米|平米|平方|平|㎡|m2|m²)"
_DAY = r"(?:天|日)"
_YUAN = r"(?:元|块钱|块)"
_PER = r"\s*(?:/|每|一|一个)?\s*"
_UNIT_PRICE = re.compile(
    # 1.5元/平方米/天, 2块/平/天, 3块一平一天, 1.2元每平米每天, 1.5元/天/平, 1.5一天一平
    # (the 一 of "一天一平米" is no price: it means "per")
    rf"(?!一\s*(?:{_DAY}|{_SQM}))(?P<num>{_NUM})\s*{_YUAN}?{_PER}(?:{_SQM}{_PER}{_DAY}|{_DAY}{_PER}{_SQM})"
    rf"(?![\u4e00-\u9fff]*?(?:面积))"
    # 每天1.4元一平, 每天每平1.3元, 每平每天2块, 每天1.3元/平米, 一天一平米3块8 (3.8元)
    rf"|(?:每|一)\s*(?:{_DAY}|{_SQM})\s*(?:每|一)?\s*(?:{_DAY}|{_SQM})?\s*(?P<num2>{_NUM})\s*{_YUAN}"
    rf"(?P<jiao>[1-9](?![\d.万千亿元]))?"
    rf"(?:{_PER}{_SQM}|{_PER}{_DAY})?"
)
# A price per kilogram (28元/公斤, 每公斤28元): money, with its unit, not a total.
_PER_KG = re.compile(
    rf"(?P<num>{_NUM})\s*{_YUAN}\s*(?:/|每|一)\s*(?:公斤|千克|kg|KG)|(?:每|一)\s*(?:公斤|千克)\s*(?P<num2>{_NUM})\s*{_YUAN}"
)
_PAID = re.compile(r"(?:缴纳|缴|交|支付|付)了?\s*(?P<num>\d+(?:\.\d+)?)(?!\s*[\d.,万亿元块%个天年月人平亩公斤])")
_COUNT = re.compile(
    rf"(?P<num>{_NUM})\s*(?P<cls>个|项|家|份|场|次|台|套|款|件)(?P<noun>[\u4e00-\u9fff]{{1,6}})"
    rf"|(?P<noun2>[\u4e00-\u9fff]{{2,6}}?)(?P<num2>{_NUM})\s*(?P<cls2>项|家|份|场|次|台|套|款|件)(?![\u4e00-\u9fff])"
    # 俩/仨: two/three with the classifier built in (俩二类注册证)
    rf"|(?P<num3>[俩仨])(?P<noun3>[\u4e00-\u9fff]{{1,6}})"
)
_BUILT_IN = {"俩": Decimal(2), "仨": Decimal(3)}


# 大写 numerals of contracts and invoices: 捌佰万元 → 八百万元 (same length, so positions hold).
_FINANCIAL_DIGITS = str.maketrans("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億圆", "一二二三三四五六六七八九十百千万亿元")


def _span_free(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= s or start >= e for s, e in spans)


def extract(text: str) -> list[Quantity]:
    """All quantities in the text, left to right; each character belongs to at most one."""
    t = to_simplified(text).translate(_FINANCIAL_DIGITS)
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def add(q: Quantity) -> None:
        found.append(q)
        taken.append((q.start, q.end))

    for m in _UNIT_PRICE.finditer(t):
        num = parse_number(m.group("num") or m.group("num2") or m.group("num3"))
        if num is not None and m.group("jiao"):
            num += Decimal(m.group("jiao")) / 10  # 4块5: four and a half yuan
        if not re.search(_DAY, m.group(0)) or re.match(rf"\s*{_PER}(?:年|月)", t[m.end() :]):
            continue  # 每平米1800元 (a year's rent per m², or a price), 1.5元/平/天 only with its day
        if num is not None:
            add(Quantity(kind=Kind.UNIT_PRICE, value=num, text=m.group(0), start=m.start(), end=m.end()))
    for m in _PER_KG.finditer(t):
        num = parse_number(m.group("num") or m.group("num2"))
        if num is not None and _span_free(taken, m.start(), m.end()):
            add(Quantity(kind=Kind.MONEY, value=num, text=m.group(0), start=m.start(), end=m.end(), unit="元/公斤"))
    for m in _PERCENT.finditer(t):
        if not _span_free(taken, m.start(), m.end()):
            continue
        num = parse_number(m.group("num") or m.group("cn").replace(".", "点") if m.group("cn") else m.group("num"))
        if num is None and m.group("cn"):
            num = parse_number(m.group("cn"))
        if num is not None:
            add(Quantity(kind=Kind.PERCENT, value=num, text=m.group(0), start=m.start(), end=m.end()))
    for m in _AREA.finditer(t):
        if not _span_free(taken, m.start(), m.end()):
            continue
        num = parse_number(m.group("num"))
        if num is not None:
            if m.group("mult"):
                num *= 10000
            add(Quantity(kind=Kind.AREA, value=num, text=m.group(0), start=m.start(), end=m.end(), unit="㎡"))
    for m in _MU.finditer(t):
        num = parse_number(m.group("num"))
        if num is not None and m.group("mult"):
            num *= 10000
        if num is not None and _span_free(taken, m.start(), m.end()):
            add(Quantity(kind=Kind.MU, value=num, text=m.group(0), start=m.start(), end=m.end(), unit="亩"))
    for m in _MONEY.finditer(t):
        chinese_wan = re.search(r"[万亿]$", m.group("num")) is not None  # 八十万, 两千万, 一亿二千万
        if not (m.group("mult") or m.group("mult2") or m.group("cur") or m.group("pre") or chinese_wan):
            continue
        if not _span_free(taken, m.start(), m.end()):
            continue
        num = parse_number(m.group("num"))
        if num is None:
            continue
        for name in ("mult", "mult2"):
            if m.group(name):
                num *= dict(_MULTIPLIERS)[m.group(name)]
        cur = _CURRENCIES.get(m.group("cur") or "") or _PREFIX_CURRENCIES.get(m.group("pre") or "", "CNY")
        if m.group("mult") in ("千", "k", "K") and not (m.group("cur") or m.group("pre")):
            continue  # 3千 without a currency is not clearly money
        add(Quantity(kind=Kind.MONEY, value=num, text=m.group(0).strip(), start=m.start(), end=m.end(), currency=cur))
    for m in _PAID.finditer(t):  # 每月缴2500: a payment without 元 is still money
        num = parse_number(m.group("num"))
        if num is not None and _span_free(taken, m.start(), m.end()):
            add(Quantity(kind=Kind.MONEY, value=num, text=m.group(0), start=m.start("num"), end=m.end()))
    for kind, pattern in ((Kind.MONTHS, _MONTHS), (Kind.DAYS, _DAYS), (Kind.PEOPLE, _PEOPLE)):
        for m in pattern.finditer(t):
            num = parse_number(m.group("num") or m.groupdict().get("num2") or m.groupdict().get("num3") or "")
            if num is not None and _span_free(taken, m.start(), m.end()):
                add(Quantity(kind=kind, value=num, text=m.group(0), start=m.start(), end=m.end()))
    for m in _CALENDAR_YEAR.finditer(t):
        if _span_free(taken, m.start(), m.end()):
            add(Quantity(kind=Kind.YEAR, value=Decimal(m.group("num")), text=m.group(0), start=m.start(), end=m.end()))
    for m in _YEARS.finditer(t):
        num = parse_number(m.group("num"))
        if num is not None and num < 100 and _span_free(taken, m.start(), m.end()):
            add(Quantity(kind=Kind.YEARS, value=num, text=m.group(0), start=m.start(), end=m.end()))
    for m in re.finditer(rf"(?P<num>{_NUM})\s*(?P<mult>万)?\s*(?P<unit>公斤|千克|kg|KG|吨)", t):
        num = parse_number(m.group("num"))
        if num is not None and _span_free(taken, m.start(), m.end()):
            if m.group("mult"):
                num *= 10000
            if m.group("unit") == "吨":
                num *= 1000
            add(Quantity(kind=Kind.KG, value=num, text=m.group(0), start=m.start(), end=m.end(), unit="公斤"))
    for m in _COUNT.finditer(t):
        if m.group("num") is not None:
            num, cls, noun, start = parse_number(m.group("num")), m.group("cls"), m.group("noun"), m.start()
            end = m.start() + len(m.group("num")) + len(cls)
        elif m.group("num3") is not None:  # 俩证书
            num, cls, noun, start = _BUILT_IN[m.group("num3")], "个", m.group("noun3"), m.start()
            end = m.start() + 1
        else:  # 国家标准2项
            num, cls, noun = parse_number(m.group("num2")), m.group("cls2"), m.group("noun2")
            start, end = m.start("num2"), m.end()
        if num is not None and _span_free(taken, start, end):
            add(Quantity(kind=Kind.COUNT, value=num, text=m.group(0), start=start, end=end, unit=f"{cls}{noun}"))
    return sorted(found, key=lambda q: q.start)


def money(text: str) -> list[Quantity]:
    return [q for q in extract(text) if q.kind == Kind.MONEY]


def yuan_values(text: str) -> set[Decimal]:
    """Every amount of Chinese yuan mentioned in the text."""
    return {q.value.normalize() for q in money(text) if q.currency == "CNY"}


def format_yuan(value: Decimal) -> str:
    """240000 → '24万元'; 1022000 → '102.2万元'; 11400 → '11400元'; 150000000 → '1.5亿元'."""
    v = value.quantize(Decimal("0.01")) if value != value.to_integral_value() else value.quantize(Decimal(1))
    if abs(v) >= Decimal(10) ** 8 and (v % (Decimal(10) ** 6)) == 0:
        return f"{_trim(v / Decimal(10) ** 8)}亿元"
    if abs(v) >= 100000 and (v % 100) == 0:
        return f"{_trim(v / 10000)}万元"
    return f"{_trim(v)}元"


def _trim(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s
