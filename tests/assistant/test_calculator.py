from decimal import Decimal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.calculator import Outcome, calculate, evaluate
from assistant.formula import to_python_expr
from assistant.rules import Rule

D = Decimal


def rule(text: str) -> Rule:
    return Rule.model_validate(yaml.safe_load(text))


RATIO = rule(
    """
id: t-ratio
clause: 第五条（二）
title: 知识产权服务后补贴
inputs:
  - {name: contract, kind: money, label: 合同额, ask: 合同额是多少？}
steps:
  - {formula: contract * 30%, label: 按照合同额的30%给予后补贴}
  - {cap: 50万, label: 年度支持金额不超过50万元, limit: per_year}
"""
)

ITEMS = rule(
    """
id: t-items
clause: 第十条（三）
title: 参展补贴
inputs:
  - {name: fees, kind: money, many: true, label: 参展费用, ask: 参展费用？}
items:
  input: fees
  steps:
    - {formula: fees * 30%, label: 按照参展费用的30%进行补贴}
    - {cap: 300万, label: 单个展会补贴金额不超过300万元, limit: per_item}
steps:
  - {cap: 1000万, label: 年度支持总额不超过1000万元, limit: per_year}
"""
)

CONDITION = rule(
    """
id: t-cond
clause: 第六条（三）
title: 并购贷款贴息
inputs:
  - {name: investment, kind: money, label: 项目投资额, ask: 投资额？, hints: [投资]}
  - {name: interest, kind: money, many: true, label: 每年已支付利息, ask: 利息？, hints: [利息]}
conditions:
  - {input: investment, op: ">=", value: 5000万, label: 投资5000万元（含）以上的项目}
items:
  input: interest
  max_items: 3
  max_items_label: 贴息不超过3年
  steps:
    - {formula: interest * 30%, label: 按企业已支付利息给予30%的贴息}
    - {cap: 300万, label: 年度贴息金额不超过300万元, limit: per_year}
"""
)

RENT = rule(
    """
id: t-rent
clause: 春笋
title: 房租补贴
inputs:
  - {name: price, kind: unit_price, label: 实际租金单价, ask: 租金单价？}
  - {name: area, kind: area, label: 承租面积, ask: 面积？}
  - {name: people, kind: people, label: 企业人数, ask: 人数？}
  - {name: days, kind: days, label: 天数, ask: 天数？, default: "365", default_note: 按一年365天计算}
steps:
  - {let: unit, formula: "min(price, 1.5)", label: 补贴单价}
  - let: area_cap
    label: 面积上限
    tier:
      input: people
      brackets:
        - {max: "100", max_inclusive: false, value: "1000", label: 人數少於100人的支援面積不超過1000平方米}
        - {min: "100", min_inclusive: true, value: "2000", label: 人數超過100人(含100人)的支援面積不超過2000平方米}
  - {formula: "unit * min(area, area_cap) * days", label: 房租补贴}
"""
)

TIERS = rule(
    """
id: t-tier
clause: "13."
title: 加氢站建设补贴
inputs:
  - {name: capacity, kind: kg, label: 压缩机12小时额定工作能力, ask: 能力？}
steps:
  - tier:
      input: capacity
      brackets:
        - {min: "1000", value: 500万, label: 不少于1000公斤}
        - {min: "500", max: "1000", value: 200万, label: 不少于500公斤}
    label: 按压缩机能力分档
"""
)


def test_ratio_under_cap():
    res = calculate(RATIO, {"contract": D(800000)})
    assert res.outcome == Outcome.COMPUTED
    assert res.calculation.amount_yuan == D(240000)
    assert res.calculation.steps[0] == "按照合同额的30%给予后补贴：80万 × 30% = 24万"
    assert res.calculation.binding_limit is None


def test_ratio_cap_binds():
    res = calculate(RATIO, {"contract": D(2100000)})
    assert res.calculation.amount_yuan == D(500000)
    assert res.calculation.binding_limit == "年度支持金额不超过50万元"


def test_missing_fact_is_asked_not_guessed():
    res = calculate(RATIO, {})
    assert res.outcome == Outcome.MISSING
    assert [m.name for m in res.missing] == ["contract"]


def test_per_item_caps_then_annual_cap():
    fees = [D(12000000), D(15000000), D(9000000), D(8000000)]
    res = calculate(ITEMS, {"fees": fees})
    # 360万→300万, 450万→300万, 270万, 240万: 1110万 → 1000万
    assert res.calculation.amount_yuan == D(10000000)
    assert res.calculation.binding_limit == "年度支持总额不超过1000万元"


def test_condition_boundary_inclusive():
    assert calculate(CONDITION, {"investment": D(50000000), "interest": [D(4000000)]}).outcome == Outcome.COMPUTED
    res = calculate(CONDITION, {"investment": D(49999999), "interest": [D(4000000)]})
    assert res.outcome == Outcome.INELIGIBLE
    assert res.calculation.amount_yuan == 0
    assert "投资5000万元（含）以上的项目" in res.calculation.steps[-1]


def test_multi_year_interest_counts_three_years():
    res = calculate(CONDITION, {"investment": D(1e8), "interest": [D(4000000), D(12000000), D(2000000), D(1000000)]})
    # 120万 + min(360万, 300万) + 60万; the fourth year does not count
    assert res.calculation.amount_yuan == D(4800000)


def test_rent_with_headcount_area_cap_and_default_days():
    res = calculate(RENT, {"price": D("1.4"), "area": D(2300), "people": D(100)})
    assert res.calculation.amount_yuan == D(1022000)
    assert res.calculation.assumptions == ["按一年365天计算"]
    res99 = calculate(RENT, {"price": D(2), "area": D(2300), "people": D(99)})
    assert res99.calculation.amount_yuan == D("547500")


@pytest.mark.parametrize(("kg", "amount"), [(1500, 5000000), (1000, 5000000), (999, 2000000), (500, 2000000)])
def test_tiers(kg, amount):
    assert calculate(TIERS, {"capacity": D(kg)}).calculation.amount_yuan == D(amount)


def test_below_all_tiers_is_not_eligible():
    res = calculate(TIERS, {"capacity": D(400)})
    assert res.outcome == Outcome.INELIGIBLE and res.calculation.amount_yuan == 0


def test_expressions():
    assert to_python_expr("contract * 30%") == "contract * (30/100)"
    assert evaluate("50万 + 1.2亿", {}) == D(120500000)
    assert evaluate("x * 万分之一", {"x": D(300000000)}) == D(30000)
    assert evaluate("floor(q / 1亿) * 30万", {"q": D(350000000)}) == D(900000)
    with pytest.raises(ValueError):
        evaluate("__import__('os')", {})


money = st.decimals(min_value=0, max_value=10**10, places=0, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(money)
def test_never_above_the_cap(x):
    assert calculate(RATIO, {"contract": x}).calculation.amount_yuan <= D(500000)


@settings(max_examples=200, deadline=None)
@given(money, money)
def test_monotone_in_the_base(a, b):
    lo, hi = sorted((a, b))
    assert (
        calculate(RATIO, {"contract": lo}).calculation.amount_yuan
        <= calculate(RATIO, {"contract": hi}).calculation.amount_yuan
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(money, min_size=1, max_size=6))
def test_items_respect_every_cap(fees):
    amount = calculate(ITEMS, {"fees": fees}).calculation.amount_yuan
    assert amount <= D(10000000)
    assert amount <= sum(min(f * D("0.3"), D(3000000)) for f in fees)


@settings(max_examples=100, deadline=None)
@given(st.decimals(min_value=0, max_value=49999999, places=0), money)
def test_zero_when_threshold_unmet(investment, interest):
    res = calculate(CONDITION, {"investment": investment, "interest": [interest]})
    assert res.calculation.amount_yuan == 0


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=99), st.integers(min_value=0, max_value=100000))
def test_area_cap_below_100_people(people, area):
    res = calculate(RENT, {"price": D(2), "area": D(area), "people": D(people)})
    assert res.calculation.amount_yuan <= D("1.5") * 1000 * 365


def _corpus_rule(rule_id: str):
    from assistant.rulebook import RuleBook
    from retrieval.corpus import DEFAULT_CORPUS_DIR, load_corpus

    book = RuleBook.load(DEFAULT_CORPUS_DIR / "rules", load_corpus())
    return next(b.rule for b in book.rules if b.rule.id == rule_id)


@pytest.mark.parametrize(
    ("share", "deal", "fees", "amount"),
    [
        (50, 1e8, 3e6, 0),  # 50%以上(不含50%): exactly 50% is not enough
        (51, 1e8, 3e6, 2000000),  # 2% of 1亿 = 200万, the cap, below the fees
        (51, 8e7, 1.2e6, 1200000),  # exactly 8000万 (含) qualifies; the fees bind
        (51, 79999999, 3e6, 0),
    ],
)
def test_haidian_ma_boundaries(share, deal, fees, amount):
    rule = _corpus_rule("haidian-ma-subsidy")
    names = {i.name for i in rule.inputs}
    values = {"share": D(share), "deal": D(str(int(deal)))}
    fee_name = next(n for n in names if n not in values)
    values[fee_name] = D(str(int(fees)))
    assert calculate(rule, values).calculation.amount_yuan == D(amount)


PER_YEAR = rule(
    """
id: t-per-year
clause: 第三条
title: 算力补贴
inputs:
  - {name: contract, kind: money, label: 算力合同金额, ask: 合同金额是多少？}
steps:
  - {formula: contract * 10%, label: 给予合同金额的10%的资金补贴}
  - {cap: 100万, label: 每年最高不超过100万元, limit: per_year}
period: {years: 3, label: 最多可连续支持3年, total_cap: 250万, total_cap_label: 累计支持不超过250万元}
"""
)


def test_a_multi_year_total_is_one_step_per_year_with_the_total_cap():
    res = calculate(PER_YEAR, {"contract": D(8000000)}, years=3)
    calc = res.calculation
    assert res.outcome == Outcome.COMPUTED and calc is not None
    assert calc.amount_yuan == D(2400000)
    assert [s for s in calc.steps if s.startswith("第")] == ["第1年：80万", "第2年：80万", "第3年：80万"]
    assert "3年合计：80万 + 80万 + 80万 = 240万" in calc.steps


def test_years_beyond_the_clause_are_named_and_not_paid_and_the_total_cap_binds():
    calc = calculate(PER_YEAR, {"contract": D(20000000)}, years=5).calculation
    assert calc is not None
    assert calc.amount_yuan == D(2500000)
    assert calc.binding_limit == "累计支持不超过250万元"
    assert "您问的是5年；条款规定最多可连续支持3年，第4年起不再给予，只计3年" in calc.steps


def test_one_year_is_the_rules_own_amount():
    assert calculate(PER_YEAR, {"contract": D(8000000)}).calculation.amount_yuan == D(800000)  # type: ignore[union-attr]


def test_a_rule_without_a_period_is_paid_once_whatever_the_years_asked():
    calc = calculate(RATIO, {"contract": D(800000)}, years=3).calculation
    assert calc is not None and calc.amount_yuan == D(240000)
    assert "条款未规定按年连续给予，该项支持按一次计算，不按3年累加" in calc.steps


UNTIL = rule(
    """
id: t-until
clause: 第十四条(二)
title: 种植面积支持
inputs:
  - {name: area, kind: mu, label: 种植面积, ask: 种植面积是多少亩？}
steps:
  - {formula: area * 200, label: 按每亩200元给予支持}
period: {label: 按年度给予，实施至2028年底, until_year: 2028}
"""
)


def test_a_clause_paid_until_a_year_pays_no_year_after_it():
    calc = calculate(UNTIL, {"area": D(12000)}, years=5, first_year=2026).calculation
    assert calc is not None and calc.amount_yuan == D(7200000)
    assert (
        "您问的是2026—2030年；条款规定按年度给予，实施至2028年底，2029年起不再给予，只计2026—2028年共3年" in calc.steps
    )
    assert calc.binding_limit == "按年度给予，实施至2028年底"
    within = calculate(UNTIL, {"area": D(12000)}, years=2, first_year=2026).calculation
    assert within is not None and within.amount_yuan == D(4800000) and within.binding_limit is None
    after = calculate(UNTIL, {"area": D(12000)}, years=2, first_year=2029).calculation
    assert after is not None and after.amount_yuan == D(0)


def test_year_rates_vary_the_share_per_year():
    r = PER_YEAR.model_copy(
        update={
            "period": PER_YEAR.period.model_copy(
                update={"year_rates": ["100%", "50%", "50%"], "total_cap": None, "total_cap_label": None}
            )
        }  # type: ignore[union-attr]
    )
    assert calculate(r, {"contract": D(8000000)}, years=3).calculation.amount_yuan == D(1600000)  # type: ignore[union-attr]


def test_every_rule_case_in_the_corpus_passes(settings):
    from assistant.rulebook import RuleBook
    from assistant.rules_check import run_cases
    from retrieval.corpus import load_corpus

    corpus = load_corpus(settings.corpus_dir)
    book = RuleBook.load(settings.corpus_dir / "rules", corpus)
    count, failures = run_cases(book)
    assert failures == []
    assert count >= 900
    assert [r.rule.id for r in book.rules if not r.rule.cases] == []


def test_a_wrong_case_is_reported(settings):
    from assistant.rulebook import RuleBook
    from assistant.rules import BoundRule, RuleCase
    from assistant.rules_check import run_cases

    wrong = RATIO.model_copy(update={"cases": [RuleCase(name="错", facts={"contract": "80万"}, amount="25万")]})
    count, failures = run_cases(RuleBook([BoundRule(rule=wrong, doc_id="d", clause_id="d#a")], {}))
    assert count == 1 and failures == ["t-ratio [错]: expected 250000 yuan, got 240000"]
