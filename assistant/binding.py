"""Fill a rule's inputs from what the user said (this turn and earlier ones)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from pydantic import BaseModel, Field

from assistant import vocabulary as v
from assistant.calculator import Value
from assistant.facts import Kind, Quantity, format_yuan
from assistant.rules import InputKind, InputSpec, Rule
from retrieval.normalize import normalize

_WINDOW = 14
_CURRENCY_NAMES = {"CNY": "人民币", "USD": "美元", "EUR": "欧元", "HKD": "港币"}


class Binding(BaseModel):
    values: dict[str, Value] = Field(default_factory=dict)
    invalid: list[str] = Field(default_factory=list, description="values given but impossible (negative amounts)")
    used: dict[str, list[str]] = Field(default_factory=dict, description="the words each value came from")
    derived: list[str] = Field(default_factory=list, description="steps that derived an input (total − part)")
    hinted: set[str] = Field(default_factory=set, description="inputs bound to a number the input's words point to")


def _score(q: Quantity, text: str, spec: InputSpec) -> float:
    before = normalize(text[max(0, q.start - _WINDOW) : q.start])
    after = normalize(text[q.end : q.end + 6])
    score = 0.0
    if q.kind == Kind.COUNT and q.unit:
        # "2项重点国际标准": the counted noun is the strongest hint.
        # the counted noun and the rest of its phrase ("3项专利通过了国家级验收")
        noun = normalize(q.unit) + re.split(r"[，,。；;！!？?、]", normalize(text[q.end : q.end + 8]))[0]
        named = sum(1 for h in spec.hints if normalize(h) in noun)
        if named:
            return 4.0 + named  # the more of the input's words the noun holds, the surer (国家级 vs 市级)
    # A noun the number carries in its own words ("130名员工") names what it counts.
    inner = normalize(re.sub(r"[\d.,，]+", "", q.text))
    if inner and any(len(normalize(h)) >= 2 and normalize(h) in inner for h in spec.hints):
        score += 3.0
    # Words in the same phrase as the number describe it; words of an earlier phrase count for less.
    own = re.split(r"[，,。；;！!？?]", before)[-1]
    for hint in spec.hints:
        h = normalize(hint)
        if _negated_only(h, before) or _negated_only(h, after):
            continue  # "非硬件部分" names what is not hardware
        if h in before:
            near = before.endswith(h) or re.sub(r"[是为了约共计合计总额的:：，, ]+$", "", before).endswith(h)
            score += (3.0 if near else 2.0) * (1.0 if h in own else 0.5)
        elif h in after:
            score += 2.5 if after.startswith(h) or after.lstrip("的").startswith(h) else 1.0
    if score > 0 and _ACTUAL.search(normalize(spec.label)):
        # An input that counts what was actually paid or received (实缴, 实际支付): the number said to be
        # actual wins over the nominal one (合同签的是1200万，实际到位650万).
        if _ACTUAL.search(own):
            score += 3.0
        elif _NOMINAL.search(own):
            score -= 1.0
    return score


_ACTUAL = re.compile(r"实际|实缴|实付|已支付|已付|到位|到账|已缴")
_NOMINAL = re.compile(r"合同(额|金额)?(签|是|为)|签的是|计划|预计|拟|认缴")


def _named_otherwise(q: Quantity, text: str, spec: InputSpec) -> bool:
    """The number's own phrase names what it is (营收, 投资, 利息…), and that is not what this input is."""
    own = re.split(r"[，,。；;！!？?]", normalize(text[max(0, q.start - _WINDOW) : q.start]))[-1]
    words = {normalize(w) for w in [spec.label, *spec.hints]}
    named = [c for c in v.MONEY_CONCEPTS if c in own]
    return bool(named) and not any(c in w or w in c for c in named for w in words if w)


def _negated_only(hint: str, text: str) -> bool:
    """Every mention of the hint is negated by 非 (非硬件): the words name its opposite."""
    starts = [m.start() for m in re.finditer(re.escape(hint), text)]
    return bool(starts) and not hint.startswith("非") and all(i > 0 and text[i - 1] == "非" for i in starts)


def score_for(q: Quantity, text: str, spec: InputSpec) -> float:
    """How strongly the words around a number point to an input (0: not at all)."""
    return _score(q, text, spec)


_CONCEPT = re.compile(r"费|额|款|金|资|税|收入|利息|估值|贷|本|价|租")


def _continues_list(
    prev: tuple[int, Quantity], cur: tuple[int, Quantity], found: list[tuple[int, Quantity, str]]
) -> bool:
    """Whether `cur` is the next entry of an enumeration that `prev` belongs to."""
    p_turn, p_q, _ = found[prev[0]]
    c_turn, c_q, text = found[cur[0]]
    if p_turn != c_turn:
        return False
    gap = text[p_q.end : c_q.start]
    return len(gap) <= 14 and re.search(r"[、，,；;和及]|还有", gap) is not None and not _CONCEPT.search(gap)


_PER_UNIT = re.compile(r"(每家|每个|每项|每份|每笔|每次|各|单个|单家|单笔|平均每)[^，。,；;]{0,6}$")


def _repeat_per_unit(
    items: list[tuple[int, Quantity]], found: list[tuple[int, Quantity, str]]
) -> list[tuple[int, Quantity]]:
    """'投了7家，每家实缴1200万' is seven items of 1200万: repeat a per-unit amount by the count given."""
    if len(items) != 1:
        return items
    idx, q = items[0]
    turn_n, _q, text = found[idx]
    if not _PER_UNIT.search(text[max(0, q.start - 10) : q.start]):
        return items
    counts = [c for n, c, _t in found if n == turn_n and c.kind == Kind.COUNT and 1 < c.value <= 50]
    if len(counts) != 1:
        return items
    return [(idx, q)] * int(counts[0].value)


def _avoided(q: Quantity, text: str, spec: InputSpec) -> bool:
    """A number led by a word the input must not take (贷款 for 利息) — unless one of its own hints stands
    nearer the number ("贷了一笔贷款，每年利息150万": 利息 names 150万)."""
    before = normalize(text[max(0, q.start - _WINDOW) : q.start])[-8:]
    avoid_at = max(
        (before.rfind(normalize(w)) + len(normalize(w)) for w in spec.avoid if normalize(w) in before), default=-1
    )
    if avoid_at < 0:
        return False
    hint_at = max((before.rfind(normalize(w)) for w in spec.hints if normalize(w) in before), default=-1)
    return hint_at < avoid_at


def _excluded_parts(spec: InputSpec, found: list[tuple[int, Quantity, str]]) -> list[tuple[int, str]]:
    """The money facts that are excluded parts (其中土地600万、人力700万) of the total, each with its word."""
    parts: list[tuple[int, str]] = []
    for idx, (_n, q, text) in enumerate(found):
        if q.kind != Kind.MONEY:
            continue
        before = normalize(text[max(0, q.start - 10) : q.start])
        before = re.split(r"[\d,，、;；。]", before)[-1]  # the words since the previous number or item
        for word in spec.excludes:
            w = normalize(word)
            at = before.rfind(w)
            if at >= 0 and not before[:at].endswith("非") and len(before) - (at + len(w)) <= 4:
                parts.append((idx, word))
                break
    return parts


def _derive_excluded(rule: Rule, binding: Binding, found: list[tuple[int, Quantity, str]], taken: set[int]) -> None:
    """A total and its excluded parts (销售额2000万，其中硬件800万; 投入4500万，其中土地600万、人力700万) bind the
    input as total − parts, shown as a step. The total is the largest amount, at least all the parts listed."""
    for spec in rule.inputs:
        if not spec.excludes or spec.kind != InputKind.MONEY or spec.many:
            continue
        parts = _excluded_parts(spec, found)
        if not parts:
            continue
        excluded = {idx for idx, _w in parts}
        amounts = [(i, q) for i, (_n, q, _t) in enumerate(found) if q.kind == Kind.MONEY and q.value > 0]
        totals = [(i, q) for i, q in amounts if i not in excluded]
        if not totals:
            continue
        pieces = [found[idx][1] for idx, _w in parts]
        # The whole the input's words point to (项目总额900万), not a larger figure of something else
        # (年营收2亿); without such words, the largest amount that is the whole of the others.
        excluded_sum = sum((p.value for p in pieces), Decimal(0))
        others = {q.value for _i, q in amounts}
        hinted = [
            (i, q)
            for i, q in totals
            if _score(q, found[i][2], spec) > 0 and q.value + excluded_sum not in others  # not the part itself
        ]
        if hinted:
            t_idx, total = max(hinted, key=lambda iq: iq[1].value)
        else:
            t_idx, total = max(totals, key=lambda iq: iq[1].value)
            if total.value < sum((q.value for i, q in amounts if i != t_idx), Decimal(0)) and len(totals) > 1:
                continue  # no amount here is the whole of the others
        value = total.value - sum((p.value for p in pieces), Decimal(0))
        if value < 0:
            continue
        words = "、".join(dict.fromkeys(w for _i, w in parts))
        binding.values[spec.name] = value
        binding.used[spec.name] = [total.text, *(p.text for p in pieces)]
        binding.derived.append(
            f"{spec.label}：{format_yuan(total.value)} − "
            + " − ".join(format_yuan(p.value) for p in pieces)
            + f"（{words}部分不计入） = {format_yuan(value)}"
        )
        taken |= excluded | {t_idx}


def _derive_rent(rule: Rule, binding: Binding, found: list[tuple[int, Quantity, str]]) -> None:
    """A yearly rent the user did not state, from the area and the price per m² per day they did."""
    for spec in rule.inputs:
        if spec.derive != "area_x_daily_price" or spec.name in binding.values:
            continue
        if any(q.kind == Kind.MONEY and _score(q, t, spec) > 0 for _n, q, t in found):
            continue  # the user stated the rent itself
        areas = [q for _n, q, _t in found if q.kind == Kind.AREA]
        prices = [q for _n, q, _t in found if q.kind == Kind.UNIT_PRICE]
        if not areas or not prices:
            continue
        area, price = areas[-1], prices[-1]
        value = area.value * price.value * 365
        binding.values[spec.name] = [value] if spec.many else value
        binding.used[spec.name] = [area.text, price.text]
        binding.derived.append(
            f"{spec.label}：{fmt_number(area.value)}平方米 × {fmt_number(price.value)}元/平方米/天 × 365天"
            f" = {format_yuan(value)}"
        )


def _derive_increase(rule: Rule, binding: Binding, found: list[tuple[int, Quantity, str]]) -> None:
    """An increase the user did not state, from the figures of two years they did (去年580万，今年900万;
    2023年2600万，2024年3800万): the later year's minus the one before it, shown as a step."""
    for spec in rule.inputs:
        if spec.derive != "later_minus_earlier":
            continue
        dated: dict[tuple[str, int], tuple[Quantity, str]] = {}
        stated = False
        for _n, q, text in found:
            if q.kind != Kind.MONEY:
                continue
            own = _own_phrase(q, text)
            if v.INCREASE_SAID.search(own) or v.INCREASE_SAID.match(normalize(text[q.end : q.end + 3])):
                stated = True  # "比上一年多900万": the increase itself
                break
            year = _year_of(own)
            if year is not None:
                dated[year] = (q, own)
        if stated or len(dated) < 2:
            continue
        kinds = {k for k, _y in dated}
        if len(kinds) > 1:
            continue  # 2023年 and 去年 together: which comes first is not certain
        kind = kinds.pop()
        # the latest year and the one before it (later = nearer to now)
        order = sorted(dated, key=lambda ky: ky[1], reverse=(kind == "back"))
        (later, later_own), (earlier, earlier_own) = dated[order[-1]], dated[order[-2]]
        concepts = [{c for c in v.MONEY_CONCEPTS if c in own} for own in (later_own, earlier_own)]
        if concepts[0] and concepts[1] and not concepts[0] & concepts[1]:
            continue  # 去年营收3000万，今年研发投入500万: two different things
        value = max(later.value - earlier.value, Decimal(0))
        binding.values[spec.name] = [value] if spec.many else value
        binding.used[spec.name] = [later.text, earlier.text]
        binding.derived.append(
            f"{spec.label}：{format_yuan(later.value)} − {format_yuan(earlier.value)} = {format_yuan(value)}"
        )


def _own_phrase(q: Quantity, text: str) -> str:
    """The words before a number since the previous number or punctuation (the words that describe it)."""
    before = normalize(text[max(0, q.start - _WINDOW) : q.start])
    return re.split(r"[，,。；;！!？?、]|\d+(?:\.\d+)?\s*[万亿千百]?元?(?![\d年])", before)[-1]


def _year_of(own: str) -> tuple[str, int] | None:
    """("named", 2023) for 2023年…, ("back", 1) for 去年…: the year the figure belongs to."""
    named = v.YEAR_NAMED.search(own)
    if named:
        return ("named", int(named.group(1)))
    back = v.YEAR_BACK.search(own)
    if back:
        return ("back", v.YEARS_BACK[back.group(1)])
    return None


def fmt_number(value: Decimal) -> str:
    s = format(value.normalize(), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def _near_bonus(q: Quantity, text: str, near: Sequence[str]) -> float:
    """A number in the same phrase as a word that names this rule alone (国家新品种审定 vs 北京市审定)."""
    if not near:
        return 0.0
    start = max(text.rfind(p, 0, q.start) for p in "，,。；;！!？?") + 1
    ends = [i for i in (text.find(p, q.end) for p in "，,。；;！!？?") if i >= 0]
    phrase = normalize(text[start : min(ends) if ends else len(text)])
    return 3.0 if any(normalize(w) in phrase for w in near) else 0.0


def bind(
    rule: Rule,
    turns: list[str],
    facts: list[tuple[int, Quantity]] | None = None,
    near: Sequence[str] = (),
) -> Binding:
    """Values for the rule's inputs from the user's turns; later turns win over earlier ones.

    `facts` are the (turn index, quantity) pairs the query reader found; without them the turns are
    read here (for callers that hold only text, such as the guards). `near`: words that name this rule
    and no other of its document; a number in the same phrase as one of them is this rule's.
    """
    binding = Binding()
    if facts is None:
        from assistant.query import read_facts

        facts = [(f.turn, f.quantity) for f in read_facts(turns)[0]]
    found: list[tuple[int, Quantity, str]] = [(n, q, turns[n]) for n, q in facts]  # (turn, quantity, turn text)
    taken: set[int] = set()
    _derive_excluded(rule, binding, found, taken)
    singles = [s for s in rule.inputs if not s.many and s.kind != InputKind.CHOICE and s.name not in binding.values]
    manys = [s for s in rule.inputs if s.many]
    # Single-valued inputs: best hint score, then the latest mention.
    candidates: list[tuple[float, int, int, InputSpec]] = []
    # Words naming the rule that are no input's hint tell rules apart; an input's hint tells numbers apart.
    hints = [normalize(h) for i in rule.inputs for h in i.hints]
    rule_near = [w for w in near if not any(normalize(w) in h for h in hints)]
    for spec in singles:
        for idx, (n, q, turn) in enumerate(found):
            if q.kind == spec.kind.fact_kind:
                candidates.append((_score(q, turn, spec) + _near_bonus(q, turn, rule_near), n, idx, spec))
    # An input that is the only one of its kind takes the latest turn's value (a correction:
    # "那要是只到账了199万美元呢"); inputs sharing a kind are told apart by their words first.
    alone = {s.name for s in singles if sum(1 for o in singles if o.kind == s.kind) == 1}
    candidates.sort(key=lambda t: (-t[1], -t[0], -t[2]) if t[3].name in alone else (-t[0], -t[1], -t[2]))
    assigned: set[str] = set()
    # Prefer hinted matches; inputs with no hinted match take what is left, latest first.
    for score, _n, idx, spec in candidates:
        if spec.name in assigned or idx in taken or _avoided(found[idx][1], found[idx][2], spec):
            continue
        if spec.optional and score == 0:
            continue  # an optional condition is checked only on a number the user tied to it
        if score == 0 and _named_otherwise(found[idx][1], found[idx][2], spec):
            continue  # "营收2亿" is no rent, whatever input is left without a number
        competing = [
            s for s in rule.inputs if s.kind == spec.kind and s.name not in assigned and s is not spec
        ]  # a number that another input's words point to is not this one's
        if score == 0 and competing and any(_score(found[idx][1], found[idx][2], c) > 0 for c in competing):
            continue
        _n2, q, turn = found[idx]
        taken.add(idx)
        assigned.add(spec.name)
        if q.kind == Kind.MONEY and q.currency != spec.currency:
            binding.invalid.append(
                f"{q.text}（币种与条款不符，条款以{_CURRENCY_NAMES.get(spec.currency, spec.currency)}计）"
            )
            continue
        if q.value < 0:
            binding.invalid.append(f"{q.text}（金额或数量不能为负数）")
            continue
        binding.values[spec.name] = q.value
        binding.used[spec.name] = [q.text]
        if score > 0:
            binding.hinted.add(spec.name)
    _derive_rent(rule, binding, found)
    _derive_increase(rule, binding, found)
    for spec in manys:
        items = [
            (idx, q)
            for idx, (_n, q, t) in enumerate(found)
            if q.kind == spec.kind.fact_kind and idx not in taken and not _avoided(q, t, spec)
        ]
        if spec.hints and any(_score(q, found[idx][2], spec) > 0 for idx, q in items):
            # Numbers carrying this input's words count, and so does a list that continues them
            # (a list of fees, one after another); other numbers are something else (a loan, a fee).
            kept: list[tuple[int, Quantity]] = []
            for idx, q in items:
                _turn, _q, text = found[idx]
                if _score(q, text, spec) > 0 or (kept and _continues_list(kept[-1], (idx, q), found)):
                    kept.append((idx, q))
            items = kept
        if items:
            latest = max(found[idx][0] for idx, _q in items)
            items = [(idx, q) for idx, q in items if found[idx][0] == latest]
        items = _repeat_per_unit(items, found)
        good: list[Decimal] = []
        for idx, q in items:
            taken.add(idx)
            if q.value < 0:
                binding.invalid.append(f"{q.text}（金额或数量不能为负数）")
            elif q.kind == Kind.MONEY and q.currency != spec.currency:
                binding.invalid.append(
                    f"{q.text}（币种与条款不符，条款以{_CURRENCY_NAMES.get(spec.currency, spec.currency)}计）"
                )
            else:
                good.append(q.value)
        if good:
            binding.values[spec.name] = good
            binding.used[spec.name] = [q.text for _, q in items]
    for spec in rule.inputs:
        if spec.kind != InputKind.CHOICE:
            continue
        for turn in reversed(turns):
            t = normalize(turn)
            chosen = next((o.value for o in spec.options if any(normalize(m) in t for m in o.match)), None)
            if chosen:
                binding.values[spec.name] = chosen
                break
    return binding
