"""Propose rules from clause text, so a new document gets draft rules without hand work.

Covers the common forms: a ratio of a base with per-item / annual / overall caps (按照合同额的30%
给予后补贴，年度支持金额不超过50万元), matching funds (按照市级资金1:0.5给予配套，支持金额不超过500万元),
a fixed award (给予30万元奖励), a rent per m² per day with area and yearly caps (按照每天每平方米不超过2元
的标准给予房租补贴，补贴面积不超过1000平方米), tiers by kind or by amount (对独角兽、潜在独角兽企业分别给予
500万元、300万元; 达到5亿元、10亿元以上的，分别给予30万元、50万元) and a table of amounts by kind
(产品类别：国际首创；奖励标准：100万元。 one row a line). Proposals are drafts: a person reviews them
before they go into corpus/rules/. `python -m assistant rules propose DOC_ID` prints them; `python -m assistant rules
compare` reports how many curated rules the extractor reproduces.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.calculator import Outcome, calculate
from assistant.rules import AMOUNT_IN_TEXT, Bracket, InputKind, InputSpec, Option, Rule, Step, Tier
from retrieval.models import Clause, ClauseKind, Document

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
_FIXED = re.compile(
    rf"给予(?:[\u4e00-\u9fff]{{0,8}})?(?:一次性)?(?P<amt>{_NUM})\s*万元(?:的)?(?:一次性)?[\u4e00-\u9fff]{{0,4}}?{_AWARD}"
)
_RENT = re.compile(
    rf"(?:每天每平方米|每平方米每天)\s*(?:不超过|最高)?\s*(?P<price>{_NUM})\s*元|(?P<price2>{_NUM})\s*元\s*/\s*(?:平方米|㎡|平米)\s*/\s*天"
)
_AREA_CAP = re.compile(rf"面积\s*(?:不超过|最高|上限为?)\s*(?P<area>{_NUM})\s*(?:平方米|㎡|平米)")
_EACH = re.compile(
    rf"(?P<head>[^，,。；;]*?)[，,]?\s*分别给予(?:[\u4e00-\u9fff]{{0,6}}?)(?P<amts>{_NUM}\s*万元(?:\s*[、和及]\s*{_NUM}\s*万元)+)"
)
_LEADING_MARK = re.compile(
    r"^\s*(第[一二三四五六七八九十百]+条|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、]|[一二三四五六七八九十]+、)\s*"
)
_LEVELS = re.compile(rf"(?P<n>{_NUM})\s*(?P<u>万|亿)元")
_ROW = re.compile(
    rf"^(?P<h1>[^：:；;\n]{{1,12}})[：:](?P<kind>[^：:；;\n]{{1,20}})；(?P<h2>[^：:；;\n]{{1,12}})[：:](?P<amt>{_NUM})\s*(?P<u>万|亿)?元。?$"
)
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
        out += _rents(clause, doc_prefix, text) or _tiers(clause, doc_prefix, text) or _table(clause, doc_prefix)
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


def _rents(clause: Clause, prefix: str, text: str) -> list[Rule]:
    """按照每天每平方米不超过2元的标准…补贴面积不超过1000平方米…每年不超过50万元 → price × area × days."""
    m = _RENT.search(text)
    if not m:
        return []
    price = m.group("price") or m.group("price2")
    area = _AREA_CAP.search(text)
    formula = f"min(price, {price}) * " + (f"min(area, {area.group('area')})" if area else "area") + " * days"
    inputs = [
        InputSpec(
            name="price",
            kind=InputKind.UNIT_PRICE,
            label="实际租金单价（元/平方米/天）",
            ask="请问实际租金单价是每平方米每天多少元？",
            hints=["租金", "单价", "每天", "每平"],
        ),
        InputSpec(
            name="area", kind=InputKind.AREA, label="承租面积", ask="请问承租面积是多少平方米？", hints=["面积", "租"]
        ),
        InputSpec(
            name="days",
            kind=InputKind.DAYS,
            label="每年计算天数",
            ask="请问按一年多少天计算？",
            default="365",
            default_note="按一年365天计算",
        ),
    ]
    label = m.group(0) + (f"，{area.group(0)}" if area else "")
    steps = [Step(formula=formula, label=label), *_caps(text, m.end())]
    return [
        Rule(
            id=f"{prefix}-x{clause.order}-rent",
            clause=clause.locator,
            title=f"{clause.title or clause.locator}（房租补贴）",
            inputs=inputs,
            steps=steps,
            source="extracted",
        )
    ]


def _tiers(clause: Clause, prefix: str, text: str) -> list[Rule]:
    """…分别给予A万元、B万元: by the kinds listed before it, or by the amounts listed before it."""
    out: list[Rule] = []
    for n, m in enumerate(_EACH.finditer(text), 1):
        amounts = [f"{a}万" for a in re.findall(rf"({_NUM})\s*万元", m.group("amts"))]
        head = m.group("head")
        levels = list(_LEVELS.finditer(head))
        if len(levels) == len(amounts):
            # 年末贷款余额达到5亿元、10亿元、20亿元以上的 → brackets from each level up to the next.
            base = re.sub(r"^(对|对于)|(达到|超过|在)$", "", head[: levels[0].start()].strip("，, ")).strip() or "金额"
            edges = [f"{x.group('n')}{x.group('u')}" for x in levels]
            brackets = [
                Bracket(
                    min=edge,
                    max=edges[i + 1] if i + 1 < len(edges) else None,
                    value=amount,
                    label=f"{base}达到{edge}元的，给予{amount}元",
                )
                for i, (edge, amount) in enumerate(zip(edges, amounts, strict=True))
            ]
            inputs = [_money_input(base)]
            tier = Tier(input="base", brackets=brackets)
        else:
            head = _LEADING_MARK.sub("", head)
            kinds = [k for k in re.split(r"[、和及]", re.sub(r"^(对|对于)?(新培育的|获得|新认定的)?", "", head)) if k]
            kinds = [re.sub(r"(企业|单位|机构)$", "", k).strip() or k for k in kinds]
            if len(kinds) != len(amounts):
                continue
            # 潜在独角兽 before 独角兽: a kind named inside another is matched last.
            options = [Option(value=k, match=[k]) for k in sorted(kinds, key=len, reverse=True)]
            inputs = [
                InputSpec(
                    name="kind",
                    kind=InputKind.CHOICE,
                    label="类别",
                    ask=f"请问属于哪一类：{'、'.join(kinds)}？",
                    options=options,
                )
            ]
            brackets = [Bracket(option=k, value=a, label=f"{k}给予{a}元") for k, a in zip(kinds, amounts, strict=True)]
            tier = Tier(input="kind", brackets=brackets)
        out.append(
            Rule(
                id=f"{prefix}-x{clause.order}-t{n}",
                clause=clause.locator,
                title=f"{clause.title or clause.locator}（分档）",
                inputs=inputs,
                steps=[Step(tier=tier, label=m.group(0).strip("，, "))],
                source="extracted",
            )
        )
    return out


def _table(clause: Clause, prefix: str) -> list[Rule]:
    """Rows of a flattened table (产品类别：国际首创；奖励标准：100万元。) → a tier by the first column."""
    rows = [m for line in clause.text.splitlines() if (m := _ROW.match(line.strip()))]
    if len(rows) < 2 or len({(r.group("h1"), r.group("h2")) for r in rows}) != 1:
        return []
    column = rows[0].group("h1")
    kinds = [r.group("kind") for r in rows]
    amounts = [f"{r.group('amt')}{r.group('u') or ''}" for r in rows]
    brackets = [
        Bracket(option=k, value=a, label=r.group(0).rstrip("。")) for k, a, r in zip(kinds, amounts, rows, strict=True)
    ]
    return [
        Rule(
            id=f"{prefix}-x{clause.order}-table",
            clause=clause.locator,
            title=f"{clause.title or clause.locator}（按{column}）",
            inputs=[
                InputSpec(
                    name="kind",
                    kind=InputKind.CHOICE,
                    label=column,
                    ask=f"请问{column}是哪一种：{'、'.join(kinds)}？",
                    options=[Option(value=k, match=[k]) for k in kinds],
                )
            ],
            steps=[Step(tier=Tier(input="kind", brackets=brackets), label=f"按{column}确定{rows[0].group('h2')}")],
            source="extracted",
        )
    ]


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


_HEADER = """\
# Rules proposed by `python -m assistant rules propose --doc {doc}` from the clause texts: DRAFTS.
# Review each rule against its clause (numbers, caps, who qualifies), add `triggers` and `cases`,
# and decide every clause under `unresolved:` (write its rule, or move it to not_computable with
# the reason). Then save the file as corpus/rules/{doc}.yaml — the rule file schema has no
# `unresolved:` key, so a file with open items does not load. Until then answers on this document
# cite and quote its clauses and say the amount must be checked.
"""


def proposal_file(doc: Document) -> tuple[str, int, int]:
    """The text of corpus/rules/DOC.proposed.yaml: proposed rules and the amount clauses left open; with counts."""
    import yaml

    rules: list[Rule] = []
    unresolved: list[dict[str, str]] = []
    for clause in doc.clauses:
        if clause.kind == ClauseKind.HEADING:
            continue
        proposed = propose(clause, doc.id)
        rules += proposed
        if not proposed and AMOUNT_IN_TEXT.search(clause.text):
            text = clause.text.replace("\n", " ")
            unresolved.append({"clause": clause.locator, "text": text[:120] + ("…" if len(text) > 120 else "")})
    payload: dict[str, object] = {
        "doc": doc.id,
        "rules": [r.model_dump(mode="json", exclude_defaults=True) for r in rules],
        "not_computable": [],
        "unresolved": unresolved,
    }
    body = yaml.safe_dump(payload, allow_unicode=True, sort_keys=False, width=120)
    return _HEADER.format(doc=doc.id) + body, len(rules), len(unresolved)
