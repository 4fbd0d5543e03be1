"""Propose rules from clause text, so a new document gets draft rules without hand work.

Covers the common forms: a ratio of a base with per-item / annual / overall caps (按照合同额的30%
给予后补贴，年度支持金额不超过50万元), matching funds (按照市级资金1:0.5给予配套，支持金额不超过500万元)
and a fixed award (给予30万元奖励). Proposals are drafts: a person reviews them before they go into
corpus/rules/. `python -m assistant rules propose DOC_ID` prints them; `python -m assistant rules
compare` reports how many curated rules the extractor reproduces.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.calculator import Outcome, calculate
from assistant.rules import InputKind, InputSpec, Rule, Step
from retrieval.models import Clause

_NUM = r"\d+(?:\.\d+)?"
_AWARD = r"(?:后补贴|补贴|奖励|支持|资助|贴息|补助|资金支持|支援)"
_RATIO = re.compile(
    rf"按(?:照)?(?:不超过)?\s*(?P<base>[\u4e00-\u9fff()]{{2,24}}?)(?:的)?\s*(?P<rate>{_NUM})\s*%(?:的比例|比例)?"
    rf"[^。;]{{0,16}}?{_AWARD}"
    rf"|给予\s*(?P<base2>[\u4e00-\u9fff]{{2,12}}?)\s*(?:的)?(?:最高|不超过)?\s*(?P<rate2>{_NUM})\s*%"
)
_MATCH = re.compile(
    rf"按(?:照)?(?P<base>市级资金|国家[\u4e00-\u9fff]{{0,6}}资金|[\u4e00-\u9fff]{{2,8}}资金)(?:的)?1\s*:\s*(?P<r>{_NUM})"
)
_FIXED = re.compile(rf"给予(?:[\u4e00-\u9fff]{{0,8}})?(?:一次性)?(?P<amt>{_NUM})\s*万元(?:的)?(?:一次性)?{_AWARD}")
_CAP = rf"(?:不超过|最高(?:不超过|给予)?|上限为?)\s*(?P<cap>{_NUM})\s*(?P<u>万|亿)元"
_PER_ITEM = re.compile(rf"(?P<label>(?:单个|每个|单项|每项|单笔|每家|单家)[^,。;]{{0,10}}?{_CAP})")
_PER_YEAR = re.compile(rf"(?P<label>(?:年度|每年)[^,。;]{{0,10}}?{_CAP})")
_TOTAL = re.compile(rf"(?P<label>(?:累计|总额|合计|支持金额)[^,。;]{{0,8}}?{_CAP})")
_UPTO = re.compile(rf"(?P<label>{_CAP})")


def _money_input(base: str) -> InputSpec:
    return InputSpec(
        name="base",
        kind=InputKind.MONEY,
        label=base,
        ask=f"请问{base}是多少？",
        hints=[w for w in re.split(r"[的（）()]", base) if len(w) >= 2][:3],
    )


def _caps(text: str, after: int) -> list[Step]:
    rest = text[after:]
    steps: list[Step] = []
    seen: set[str] = set()
    for pattern, limit in ((_PER_ITEM, "per_item"), (_PER_YEAR, "per_year"), (_TOTAL, "total"), (_UPTO, "other")):
        for m in pattern.finditer(rest):
            if m.group("cap") in seen:
                continue
            seen.add(m.group("cap"))
            steps.append(Step(cap=f"{m.group('cap')}{m.group('u')}", label=m.group("label"), limit=limit))
            break
    return steps


def propose(clause: Clause, doc_prefix: str) -> list[Rule]:
    """Draft rules for a clause's amount sentences; an empty list when no common form is found."""
    text = clause.norm_text
    out: list[Rule] = []
    for n, m in enumerate(_RATIO.finditer(text), 1):
        base = (m.group("base") or m.group("base2")).removeprefix("按照").strip("的")
        rate = m.group("rate") or m.group("rate2")
        steps = [Step(formula=f"base * {rate}%", label=m.group(0)), *_caps(text, m.end())]
        out.append(
            Rule(
                id=f"{doc_prefix}-x{clause.order}-r{n}",
                clause=clause.locator,
                title=f"{clause.title or clause.locator}（按{base}的{rate}%）",
                inputs=[_money_input(base)],
                steps=steps,
                source="extracted",
            )
        )
    for n, m in enumerate(_MATCH.finditer(text), 1):
        rate = m.group("r")
        formula = "base * 1" if rate in ("1", "1.0") else f"base * {rate}"
        steps = [Step(formula=formula, label=m.group(0)), *_caps(text, m.end())]
        out.append(
            Rule(
                id=f"{doc_prefix}-x{clause.order}-m{n}",
                clause=clause.locator,
                title=f"{clause.title or clause.locator}（配套支持）",
                inputs=[_money_input(m.group("base"))],
                steps=steps,
                source="extracted",
            )
        )
    if not out:
        fixed = list(_FIXED.finditer(text))
        if len(fixed) == 1:
            m = fixed[0]
            out.append(
                Rule(
                    id=f"{doc_prefix}-x{clause.order}-f1",
                    clause=clause.locator,
                    title=f"{clause.title or clause.locator}（一次性支持）",
                    steps=[Step(formula=f"{m.group('amt')}万", label=m.group(0))],
                    source="extracted",
                )
            )
    return out


_PROBES = [Decimal(v) for v in (50_000, 800_000, 3_000_000, 20_000_000, 150_000_000, 2_000_000_000)]


def reproduces(proposal: Rule, curated: Rule) -> bool:
    """Whether a proposal computes the same amounts as a curated rule over a range of bases."""
    money = [i for i in curated.inputs if i.kind == InputKind.MONEY and i.default is None]
    others = [i for i in curated.inputs if i.default is None and i not in money]
    if others or curated.conditions or len(money) > 1 or curated.items:
        return False
    for x in _PROBES:
        a = calculate(proposal, {"base": x})
        b = calculate(curated, {money[0].name: x} if money else {})
        if a.outcome != Outcome.COMPUTED or b.outcome != Outcome.COMPUTED:
            return False
        assert a.calculation is not None and b.calculation is not None
        if a.calculation.amount_yuan != b.calculation.amount_yuan:
            return False
    return True
