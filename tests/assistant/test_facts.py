from decimal import Decimal

import pytest

from assistant.facts import Kind, extract, format_yuan, money, parse_number

D = Decimal

MONEY_CASES = [
    ("80万", D(800000), "CNY"),
    ("八十万", D(800000), "CNY"),
    ("1.2亿", D(120000000), "CNY"),
    ("3个亿", D(300000000), "CNY"),
    ("80w", D(800000), "CNY"),
    ("80W", D(800000), "CNY"),
    ("800,000元", D(800000), "CNY"),
    ("0.8百万", D(800000), "CNY"),
    ("一千八百元", D(1800), "CNY"),
    ("5000万美元", D(50000000), "USD"),
    ("实缴外资USD 6.5 million", D(6500000), "USD"),
    ("$3 million", D(3000000), "USD"),
    ("6.5 million美元", D(6500000), "USD"),
    ("¥80万", D(800000), "CNY"),
    ("固定资产投资一点二亿", D(120000000), "CNY"),
    ("三点五万元", D(35000), "CNY"),
    ("1200万元", D(12000000), "CNY"),
    ("两千万", D(20000000), "CNY"),
    ("3千万", D(30000000), "CNY"),
    ("一亿二千万", D(120000000), "CNY"),
    ("1,200万", D(12000000), "CNY"),
    ("500 万元", D(5000000), "CNY"),
    ("1900元", D(1900), "CNY"),
    ("三千块", D(3000), "CNY"),
    ("12.5万元", D(125000), "CNY"),
    ("2亿元", D(200000000), "CNY"),
    ("100万欧元", D(1000000), "EUR"),
    ("五十万", D(500000), "CNY"),
    ("十万", D(100000), "CNY"),
    ("二十亿", D(2000000000), "CNY"),
    ("1.5亿元", D(150000000), "CNY"),
    ("300k元", D(300000), "CNY"),
    ("4500万", D(45000000), "CNY"),
    ("-100万", D(-1000000), "CNY"),
    ("600万人民币", D(6000000), "CNY"),
    ("8000万元人民币", D(80000000), "CNY"),
]


@pytest.mark.parametrize(("text", "value", "currency"), MONEY_CASES)
def test_money(text, value, currency):
    [q] = money(text)
    assert q.value == value
    assert q.currency == currency


QUANTITY_CASES = [
    ("有2位亦城领军人才", Kind.PEOPLE, D(2)),
    ("引进3名博士", Kind.PEOPLE, D(3)),
    ("租了2300平", Kind.AREA, D(2300)),
    ("两千平", Kind.AREA, D(2000)),
    ("1500㎡", Kind.AREA, D(1500)),
    ("800平方米的办公室", Kind.AREA, D(800)),
    ("300平米", Kind.AREA, D(300)),
    ("1.2万平方米", Kind.AREA, D(12000)),
    ("流转了90亩地", Kind.MU, D(90)),
    ("200亩", Kind.MU, D(200)),
    ("我们100人整", Kind.PEOPLE, D(100)),
    ("员工99人", Kind.PEOPLE, D(99)),
    ("80名员工", Kind.PEOPLE, D(80)),
    ("一百二十人", Kind.PEOPLE, D(120)),
    ("51%股权", Kind.PERCENT, D(51)),
    ("占比50％", Kind.PERCENT, D(50)),
    ("百分之五十", Kind.PERCENT, D(50)),
    ("10个月", Kind.MONTHS, D(10)),
    ("十二个月", Kind.MONTHS, D(12)),
    ("一年按365天", Kind.DAYS, D(365)),
    ("补贴200天", Kind.DAYS, D(200)),
    ("1000公斤", Kind.KG, D(1000)),
    ("36000千克氢气", Kind.KG, D(36000)),
    ("3.6万公斤", Kind.KG, D(36000)),
    ("12吨", Kind.KG, D(12000)),
    ("2块/平/天", Kind.UNIT_PRICE, D(2)),
    ("1.5元/平方米/天", Kind.UNIT_PRICE, D("1.5")),
    ("每天1.4元一平", Kind.UNIT_PRICE, D("1.4")),
    ("3块一平一天", Kind.UNIT_PRICE, D(3)),
    ("1.2元每平米每天", Kind.UNIT_PRICE, D("1.2")),
    ("一天一平米3块8", Kind.UNIT_PRICE, D("3.8")),  # 一 there is "per", 3块8 is 3.8元
    ("每平每天6块", Kind.UNIT_PRICE, D(6)),
    ("拿了俩证书", Kind.COUNT, D(2)),
    ("仨项目", Kind.COUNT, D(3)),
    ("3个展会", Kind.COUNT, D(3)),
    ("2项国际标准", Kind.COUNT, D(2)),
    ("5家企业", Kind.COUNT, D(5)),
    ("两个产品", Kind.COUNT, D(2)),
    ("2025年签的合同", Kind.YEAR, D(2025)),
    ("2024年", Kind.YEAR, D(2024)),
    ("贴息3年", Kind.YEARS, D(3)),
    ("连续两年", Kind.YEARS, D(2)),
]


@pytest.mark.parametrize(("text", "kind", "value"), QUANTITY_CASES)
def test_quantities(text, kind, value):
    found = [q for q in extract(text) if q.kind == kind]
    assert found, extract(text)
    assert found[0].value == value


MIXED = [
    ("我们在西城，委托机构做专利导航花了80万，能补多少？", [(Kind.MONEY, D(800000))]),
    (
        "租了2300平，租金折算下来每天1.4元一平。一年按365天",
        [(Kind.AREA, D(2300)), (Kind.UNIT_PRICE, D("1.4")), (Kind.DAYS, D(365))],
    ),
    ("2025年签了一份3000万的智算合同", [(Kind.YEAR, D(2025)), (Kind.MONEY, D(30000000))]),
    ("每月给他缴1900元企业年金，今年缴了10个月", [(Kind.MONEY, D(1900)), (Kind.MONTHS, D(10))]),
    ("汉诺威参展费用1200万、CES 1500万、MWC 900万", [(Kind.MONEY, D(12000000))] * 1),
    ("公司80人，租了1500㎡", [(Kind.PEOPLE, D(80)), (Kind.AREA, D(1500))]),
    ("投资8000万元，贷款利息每年400万", [(Kind.MONEY, D(80000000)), (Kind.MONEY, D(4000000))]),
    ("持股51%，融资5000万美元", [(Kind.PERCENT, D(51)), (Kind.MONEY, D(50000000))]),
]


@pytest.mark.parametrize(("text", "expected"), MIXED)
def test_mixed_sentences(text, expected):
    found = [(q.kind, q.value) for q in extract(text)]
    for item in expected:
        assert item in found, found


@pytest.mark.parametrize(
    "text",
    ["第五条（二）", "我们是2家公司合并", "13. 支持加氢站建设运营", "三、推动产业", "国家高新技术企业"],
)
def test_no_money_in_locators_and_names(text):
    assert money(text) == []


def test_three_amounts_in_a_list():
    values = [q.value for q in money("汉诺威工博会参展费用1200万、CES 1500万、MWC 900万，还有一个800万")]
    assert values == [D(12000000), D(15000000), D(9000000), D(8000000)]


def test_traditional_script():
    assert money("合同額八十萬元")[0].value == D(800000)
    assert [q.value for q in extract("承租面積兩千平方米") if q.kind == Kind.AREA] == [D(2000)]


@pytest.mark.parametrize(
    ("text", "value"), [("1,200.5", D("1200.5")), ("八十", D(80)), ("两千", D(2000)), ("", None), ("abc", None)]
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D(240000), "24万元"),
        (D(1022000), "102.2万元"),
        (D(11400), "11400元"),
        (D(150000000), "1.5亿元"),
        (D(2490000), "249万元"),
        (D(0), "0元"),
        (D("1234.5"), "1234.5元"),
    ],
)
def test_format_yuan(value, text):
    assert format_yuan(value) == text


def test_a_price_per_kilogram_is_money_with_its_unit():
    from assistant.facts import Kind, extract

    price, amount = extract("承诺售价28元/公斤，加注了20万公斤")
    assert (price.kind, price.value, price.unit) == (Kind.MONEY, 28, "元/公斤")
    assert (amount.kind, amount.value) == (Kind.KG, 200000)


def test_a_price_per_square_metre_without_a_day_is_not_a_daily_rent():
    kinds = [(q.kind, q.value) for q in extract("年租金每平米1800元，租了400平米")]
    assert (Kind.UNIT_PRICE, Decimal(1800)) not in kinds
    assert [q.value for q in extract("每平每天2块") if q.kind == Kind.UNIT_PRICE] == [Decimal(2)]
