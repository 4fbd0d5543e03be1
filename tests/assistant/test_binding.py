from decimal import Decimal

import pytest
import yaml

from assistant.binding import bind
from assistant.rules import Rule

NON_HARDWARE = Rule.model_validate(
    yaml.safe_load(
        """
id: t-non-hardware
clause: "2."
title: 首方案资金支持
inputs:
  - name: nonhw
    kind: money
    label: 非硬件部分实际销售额
    ask: 非硬件部分销售额是多少？
    hints: [非硬件, 软件]
    excludes: [硬件]
steps:
  - {formula: nonhw * 20%, label: 按照非硬件部分实际销售额20%的比例给予资金支持}
"""
    )
)


def test_a_total_and_its_excluded_part_bind_the_difference_with_a_step():
    b = bind(NON_HARDWARE, ["销售额2000万，其中硬件设备800万"])
    assert b.values == {"nonhw": Decimal(12000000)}
    assert b.derived == ["非硬件部分实际销售额：2000万元 − 800万元（硬件部分不计入） = 1200万元"]


def test_the_whole_the_inputs_words_name_is_the_total_not_a_larger_other_figure():
    b = bind(NON_HARDWARE, ["项目软件总额900万，其中硬件300万，公司年营收2亿"])
    assert b.values == {"nonhw": Decimal(6000000)}
    assert b.derived == ["非硬件部分实际销售额：900万元 − 300万元（硬件部分不计入） = 600万元"]


def test_the_non_excluded_part_named_directly_binds_as_is():
    b = bind(NON_HARDWARE, ["非硬件部分销售额1200万"])
    assert b.values == {"nonhw": Decimal(12000000)} and b.derived == []


def test_a_part_larger_than_the_total_is_not_subtracted():
    b = bind(NON_HARDWARE, ["销售额500万，硬件800万"])
    assert b.derived == []


RENT = Rule.model_validate(
    yaml.safe_load(
        """
id: t-rent
clause: "7."
title: 房租补贴
inputs:
  - name: rent
    kind: money
    label: 每年实际房租
    ask: 每年房租是多少？
    hints: [房租, 租金]
    derive: area_x_daily_price
steps:
  - {formula: rent * 50%, label: 给予不超过实际房租50%的房租补贴}
"""
    )
)


def test_a_yearly_rent_is_derived_from_area_and_daily_price():
    b = bind(RENT, ["租了2500平米，每平每天8元"])
    assert b.values == {"rent": Decimal(7300000)}
    assert b.derived == ["每年实际房租：2500平方米 × 8元/平方米/天 × 365天 = 730万元"]


def test_a_rent_the_user_states_is_used_as_given():
    b = bind(RENT, ["租了2500平米，每平每天8元，一年房租700万"])
    assert b.values == {"rent": Decimal(7000000)} and b.derived == []


PAID_IN = Rule.model_validate(
    yaml.safe_load(
        """
id: t-paid-in
clause: "9."
title: 外资企业一次性支持
inputs:
  - {name: fdi, kind: money, label: 当年累计实缴合同外资总额, ask: 实缴多少？, hints: [实缴, 合同外资, 外资, 外方]}
steps:
  - {formula: fdi * 0, label: 按档}
"""
    )
)


def test_the_number_said_to_be_actual_wins_over_the_nominal_one():
    b = bind(PAID_IN, ["外方新设外资企业，合同外资签的是1200万，但今年实际实缴到位的只有650万"])
    assert b.values == {"fdi": Decimal(6500000)}


BUILD = Rule.model_validate(
    yaml.safe_load(
        """
id: t-build-excludes
clause: "9."
title: 平台建设补贴
inputs:
  - name: eligible
    kind: money
    label: 实际建设投入（土地、人力、租赁成本除外）
    ask: 实际建设投入是多少？
    hints: [投入]
    excludes: [土地, 人力, 租赁, 租金]
steps:
  - {formula: eligible * 30%, label: 按照实际建设投入30%的比例}
"""
    )
)

GROWTH = Rule.model_validate(
    yaml.safe_load(
        """
id: t-growth
clause: "6."
title: 成长支持
inputs:
  - name: increment
    kind: money
    label: 营业收入增加额
    ask: 营业收入增加了多少？
    hints: [多, 增加, 增长]
    derive: later_minus_earlier
steps:
  - {formula: floor(increment / 300万) * 6万, label: 每增加300万元，支持6万元}
"""
    )
)


def test_several_excluded_parts_are_all_subtracted():
    b = bind(BUILD, ["平台投入5000万，其中设备3000万、土地500万、人力400万、场地租金100万"])
    assert b.values == {"eligible": Decimal(40000000)}
    assert b.derived == [
        "实际建设投入（土地、人力、租赁成本除外）：5000万元 − 500万元 − 400万元 − 100万元（土地、人力、租金部分不计入）"
        " = 4000万元"
    ]


def test_an_increase_from_this_years_and_last_years_figures():
    b = bind(GROWTH, ["去年营收800万，今年营收1500万"])
    assert b.values == {"increment": Decimal(7000000)}
    assert b.derived == ["营业收入增加额：1500万元 − 800万元 = 700万元"]


RD_GROWTH = Rule.model_validate(
    yaml.safe_load(
        """
id: t-rd-growth
clause: "7."
title: 研发增量支持
inputs:
  - name: rd_increase
    kind: money
    label: 研发费用同比增量
    ask: 研发费用比上一年增加了多少？
    hints: [增量, 研发费用]
steps:
  - {formula: rd_increase * 5%, label: 按增量的5%}
"""
    )
)


def test_a_money_input_named_as_an_increase_derives_from_two_years_without_saying_so():
    assert RD_GROWTH.inputs[0].derive == "later_minus_earlier"
    b = bind(RD_GROWTH, ["研发费用：大前年300万，前年450万，去年700万"])
    assert b.values == {"rd_increase": Decimal(2500000)}
    assert b.derived == ["研发费用同比增量：700万元 − 450万元 = 250万元"]


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("营业收入2022年1100万，2023年1650万", Decimal(5500000)),
        ("2023年营收1650万，2022年营收1100万", Decimal(5500000)),
        ("营收一直在涨，2024年比2023年增加了420万", Decimal(4200000)),
    ],
)
def test_figures_of_named_years_give_the_later_minus_the_earlier(said, value):
    assert bind(GROWTH, [said]).values == {"increment": value}


def test_two_years_of_different_things_give_no_increase():
    b = bind(RD_GROWTH, ["去年营收3000万，今年研发投入500万"])
    assert b.derived == []


def test_an_increase_stated_directly_binds_as_is():
    b = bind(GROWTH, ["今年营收比去年多了600万"])
    assert b.values == {"increment": Decimal(6000000)} and b.derived == []


RETROFIT = Rule.model_validate(
    yaml.safe_load(
        """
id: t-retrofit
clause: "6."
title: 智能化改造支持
inputs:
  - {name: equipment, kind: money, label: 设备投资, ask: 设备投资是多少？, hints: [设备, 硬件]}
steps:
  - {formula: equipment * 10%, label: 给予总投资10%的资金支持}
"""
    )
)


def test_a_hint_negated_by_fei_does_not_point_to_the_input():
    assert bind(RETROFIT, ["非硬件部分销售额600万"]).hinted == set()
    assert bind(RETROFIT, ["硬件投入600万"]).hinted == {"equipment"}


def test_a_number_named_as_something_else_fills_no_input_left_without_one():
    assert bind(RETROFIT, ["公司去年营收8000万，想做智能化改造"]).values == {}
    assert bind(RETROFIT, ["智能化改造花了600万"]).values == {"equipment": Decimal(6000000)}
