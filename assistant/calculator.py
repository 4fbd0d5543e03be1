"""The calculator: a pure function from (rule, inputs) to an amount with its steps. No LLM inside."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from assistant.facts import format_yuan
from assistant.formula import CalculationError, evaluate, names_in, to_python_expr
from assistant.models import Calculation
from assistant.rules import (
    Bracket,
    Condition,
    InputKind,
    InputSpec,
    Op,
    Rule,
    Step,
    Tier,
)

Value = Decimal | list[Decimal] | str


class Outcome(StrEnum):
    COMPUTED = "computed"
    MISSING = "missing"  # a needed fact was not given: ask for it
    INELIGIBLE = "ineligible"  # a condition is not met: 0, with the condition quoted


class CalcResult(BaseModel):
    outcome: Outcome
    calculation: Calculation | None = None
    missing: list[InputSpec] = Field(default_factory=list)
    unmet: Condition | None = None


# -- display -----------------------------------------------------------------------------------

_KIND_UNITS = {
    InputKind.AREA: "平方米",
    InputKind.MU: "亩",
    InputKind.PEOPLE: "人",
    InputKind.DAYS: "天",
    InputKind.MONTHS: "个月",
    InputKind.YEARS: "年",
    InputKind.KG: "公斤",
    InputKind.UNIT_PRICE: "元/平方米/天",
    InputKind.PERCENT: "%",
    InputKind.COUNT: "项",
}


def fmt_money(value: Decimal) -> str:
    """Amounts in the steps: 24万, 1.5亿, 11400元."""
    s = format_yuan(value)
    return s[:-1] if s.endswith(("万元", "亿元")) else s


def fmt_plain(value: Decimal) -> str:
    v = value.quantize(Decimal("0.0001")).normalize()
    s = format(v, "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


class _Display:
    """How each name is shown in a step: money as 万/元, areas with 平方米, …"""

    def __init__(self, rule: Rule) -> None:
        self.kinds: dict[str, InputKind] = {i.name: i.kind for i in rule.inputs}
        self.money_names = {i.name for i in rule.inputs if i.kind == InputKind.MONEY}

    def is_money_expr(self, expr: str) -> bool:
        names = names_in(expr)
        if names & self.money_names or "value" in names:
            return True
        return bool(re.search(r"\d\s*(万|亿)|元", expr))

    def learn(self, name: str, expr: str) -> None:
        if self.is_money_expr(expr):
            self.money_names.add(name)
        else:
            kinds = {self.kinds[n] for n in names_in(expr) if n in self.kinds}
            if len(kinds) == 1:
                self.kinds[name] = kinds.pop()

    def show(self, name: str, value: Decimal) -> str:
        if name in self.money_names or name == "value":
            return fmt_money(value)
        kind = self.kinds.get(name)
        if kind == InputKind.PERCENT:
            return f"{fmt_plain(value)}%"
        unit = _KIND_UNITS.get(kind, "") if kind else ""
        return f"{fmt_plain(value)}{unit}"

    def result(self, expr: str, value: Decimal) -> str:
        return fmt_money(value) if self.is_money_expr(expr) else fmt_plain(value)

    def render(self, expr: str, env: dict[str, Decimal]) -> str:
        """The formula with its names replaced by their values: 'contract * 30%' → '80万 × 30%'."""
        out = expr.replace("*", "×").replace("/", "÷")
        for name in sorted(names_in(expr), key=len, reverse=True):
            if name in env:
                out = re.sub(rf"(?<![\w]){re.escape(name)}(?![\w])", self.show(name, env[name]), out)
        return out


def _q(value: Decimal) -> Decimal:
    """Round to the fen; whole yuan stay whole (no exponent)."""
    v = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return v.quantize(Decimal(1)) if v == v.to_integral_value() else v


# -- the calculation ---------------------------------------------------------------------------


def _condition_holds(c: Condition, x: Value, kind: InputKind | None = None) -> bool:
    if c.op == Op.IN:
        return isinstance(x, str) and x in (c.values or [c.value])
    if c.op == Op.EQ and isinstance(x, str):
        return x == c.value
    if isinstance(x, list):
        x = sum(x, Decimal(0))
    assert isinstance(x, Decimal)
    # A percentage input holds 50 for 50%: compare it with the number the clause writes.
    t = evaluate(c.value.rstrip("%％"), {}) if kind == InputKind.PERCENT else evaluate(c.value, {})
    return {
        Op.GE: x >= t,
        Op.GT: x > t,
        Op.LE: x <= t,
        Op.LT: x < t,
        Op.EQ: x == t,
    }[c.op]


def _in_bracket(b: Bracket, x: Value) -> bool:
    if b.option is not None:
        return x == b.option
    if not isinstance(x, Decimal):
        return False
    if b.min is not None:
        lo = evaluate(b.min, {})
        if x < lo or (x == lo and not b.min_inclusive):
            return False
    if b.max is not None:
        hi = evaluate(b.max, {})
        if x > hi or (x == hi and not b.max_inclusive):
            return False
    return True


class _Run:
    def __init__(self, rule: Rule, display: _Display) -> None:
        self.rule = rule
        self.display = display
        self.lines: list[str] = []
        self.binding: str | None = None
        self.labels = {i.name: i.label for i in rule.inputs}

    def steps(self, steps: list[Step], env: dict[str, Decimal], raw: dict[str, Value], prefix: str = "") -> Decimal:
        value = env.get("value", Decimal(0))
        for step in steps:
            env["value"] = value
            if step.tier is not None:
                result, text = self.tier(step.tier, env, raw)
                if result is None:
                    self.lines.append(prefix + text)
                    raise _Ineligible(text)
                self.lines.append(prefix + text)
                if step.let:
                    env[step.let] = result
                    self.display.learn(step.let, next(b.value for b in step.tier.brackets))
                else:
                    value = result
            elif step.formula is not None:
                result = evaluate(step.formula, env)
                shown = self.display.render(step.formula, env)
                # The running value is always an amount of money; a `let` may be an area, a price, …
                res = self.display.result(step.formula, result) if step.let else fmt_money(result)
                self.lines.append(
                    f"{prefix}{step.label}：{shown} = {res}" if shown != res else f"{prefix}{step.label}：{res}"
                )
                if step.let:
                    env[step.let] = result
                    self.display.learn(step.let, step.formula)
                else:
                    value = result
            else:
                assert step.cap is not None
                cap = evaluate(step.cap, env)
                cap_shown = fmt_money(cap)
                if value > cap:
                    self.lines.append(f"{prefix}{fmt_money(value)} 超过上限（{step.label}）→ 按{cap_shown}")
                    value = cap
                    self.binding = step.label
                else:
                    self.lines.append(f"{prefix}{fmt_money(value)} ≤ {cap_shown}（{step.label}），未超过上限")
        env["value"] = value
        return value

    def tier(self, tier: Tier, env: dict[str, Decimal], raw: dict[str, Value]) -> tuple[Decimal | None, str]:
        x = raw.get(tier.input, env.get(tier.input))
        label = self.labels.get(tier.input, tier.input)
        shown = x if isinstance(x, str) else self.display.show(tier.input, x) if isinstance(x, Decimal) else str(x)
        for b in tier.brackets:
            if x is not None and _in_bracket(b, x):
                result = evaluate(b.value, env)
                return result, f"{label}{shown}，属于「{b.label}」→ {self.display.result(b.value, result)}"
        if tier.otherwise is not None:
            result = evaluate(tier.otherwise, env)
            return result, f"{label}{shown}，{tier.otherwise_label or '不在所列档次'} → {fmt_money(result)}"
        return None, f"{label}{shown}，不在任何支持档次内（{'；'.join(b.label for b in tier.brackets)}）"


class _Ineligible(Exception):
    pass


def calculate(
    rule: Rule, inputs: dict[str, Value], years: int | None = None, first_year: int | None = None
) -> CalcResult:
    """Evaluate a rule; with `years`, the total over that many years from `first_year` (see `over_years`).

    Missing inputs (without defaults) are reported, never guessed.
    """
    once = _calculate_once(rule, inputs)
    if years is None or once.outcome != Outcome.COMPUTED:
        return once
    return over_years(rule, once, years, first_year)


def over_years(rule: Rule, once: CalcResult, years: int, first_year: int | None = None) -> CalcResult:
    """The total of a computed support over `years` years, one step per year, with the rule's period.

    A rule without a period is paid once: the total is that amount, and the steps say so. Years
    beyond what the clause allows are named and not paid; a cap over all years applies last.
    """
    calc = once.calculation
    assert calc is not None and once.outcome == Outcome.COMPUTED
    if years < 1:
        raise ValueError("years must be at least 1")
    yearly = calc.amount_yuan
    steps = list(calc.steps[:-1])
    period = rule.period
    if period is None:
        if years > 1:
            steps.append(f"条款未规定按年连续给予，该项支持按一次计算，不按{years}年累加")
        steps.append(f"可获支持金额：{format_yuan(yearly)}")
        return once.model_copy(update={"calculation": calc.model_copy(update={"steps": steps})})
    paid = years if period.years is None else min(years, period.years)
    # A clause that pays until a year (实施至2028年底): years after it are not paid.
    until, until_paid = period.until_year, None
    if until is not None and first_year is not None:
        until_paid = max(0, until - first_year + 1)
        paid = min(paid, until_paid)
    steps.insert(0, "【一年的金额】")
    steps.append(f"一年的金额：{fmt_money(yearly)}")
    steps.append(f"【{paid}年合计】（{period.label}）")
    parts: list[Decimal] = []
    for n in range(1, paid + 1):
        if period.year_rates:
            rate_expr = period.year_rates[n - 1]
            part = _q(yearly * evaluate(rate_expr, {}))
            steps.append(f"第{n}年：{fmt_money(yearly)} × {rate_expr} = {fmt_money(part)}")
        else:
            part = yearly
            steps.append(f"第{n}年：{fmt_money(part)}")
        parts.append(part)
    total = sum(parts, Decimal(0))
    if paid > 1:
        steps.append(f"{paid}年合计：{' + '.join(fmt_money(p) for p in parts)} = {fmt_money(total)}")
    binding = calc.binding_limit
    if period.years is None:
        calc = calc.model_copy(
            update={"assumptions": [*calc.assumptions, f"条款按年度给予、未限年数，按{years}年每年情况相同计算"]}
        )
    elif years > period.years and paid == period.years:
        steps.append(f"您问的是{years}年；条款规定{period.label}，第{period.years + 1}年起不再给予，只计{paid}年")
        binding = binding or period.label
    if until is not None and first_year is not None and until_paid == paid < years:
        steps.append(
            f"您问的是{first_year}—{first_year + years - 1}年；条款规定{period.label}，{until + 1}年起不再给予，"
            f"只计{first_year}—{until}年共{paid}年"
        )
        binding = binding or period.label
    if period.total_cap is not None:
        cap = evaluate(period.total_cap, {})
        if total > cap:
            steps.append(f"{fmt_money(total)} 超过上限（{period.total_cap_label}）→ 按{fmt_money(cap)}")
            total = cap
            binding = period.total_cap_label
        else:
            steps.append(f"{fmt_money(total)} ≤ {fmt_money(cap)}（{period.total_cap_label}），未超过上限")
    assumptions = list(calc.assumptions)
    if paid > 1:
        assumptions.append("假设以后各年的条件和金额与第一年相同")
    steps.append(f"可获支持金额（{paid}年合计）：{format_yuan(total)}")
    return once.model_copy(
        update={
            "calculation": calc.model_copy(
                update={"amount_yuan": _q(total), "steps": steps, "binding_limit": binding, "assumptions": assumptions}
            )
        }
    )


def _calculate_once(rule: Rule, inputs: dict[str, Value]) -> CalcResult:
    """One evaluation of a rule (one year's support for a rule with a period)."""
    values: dict[str, Value] = dict(inputs)
    assumptions = list(rule.assumptions)
    kinds = {i.name: i.kind for i in rule.inputs}
    # A condition the given facts already fail decides the answer (0), even if other facts are missing.
    for c in rule.conditions:
        if (
            c.input in values
            and values[c.input] not in (None, [])
            and not _condition_holds(c, values[c.input], kinds.get(c.input))
        ):
            display = _Display(rule)
            x = values[c.input]
            shown = x if isinstance(x, str) else display.show(c.input, sum(x, Decimal(0)) if isinstance(x, list) else x)
            label = next((i.label for i in rule.inputs if i.name == c.input), c.input)
            calc = Calculation(
                amount_yuan=Decimal(0),
                steps=[f"{label}{shown}，不符合条件「{c.label}」→ 不能享受，金额0元"],
                rule_id=rule.id,
                binding_limit=c.label,
                assumptions=assumptions,
            )
            return CalcResult(outcome=Outcome.INELIGIBLE, calculation=calc, unmet=c)
    missing: list[InputSpec] = []
    skipped_conditions: set[str] = set()
    for spec in rule.inputs:
        if spec.name in values and values[spec.name] not in (None, []):
            continue
        if spec.optional:
            for c in rule.conditions:
                if c.input == spec.name:
                    skipped_conditions.add(c.label)
                    assumptions.append(f"假设满足「{c.label}」（您未提供{spec.label}）")
            continue
        if spec.default is not None:
            values[spec.name] = evaluate(spec.default, {}) if spec.kind != InputKind.CHOICE else spec.default
            assumptions.append(spec.default_note or "")
        else:
            missing.append(spec)
    if missing:
        return CalcResult(outcome=Outcome.MISSING, missing=missing)
    display = _Display(rule)
    run = _Run(rule, display)
    for c in rule.conditions:
        if c.label in skipped_conditions:
            continue
        x = values[c.input]
        shown = x if isinstance(x, str) else display.show(c.input, sum(x, Decimal(0)) if isinstance(x, list) else x)
        if not _condition_holds(c, x, kinds.get(c.input)):
            run.lines.append(f"{run.labels.get(c.input, c.input)}{shown}，不符合条件「{c.label}」→ 不能享受，金额0元")
            calc = Calculation(
                amount_yuan=Decimal(0),
                steps=run.lines,
                rule_id=rule.id,
                binding_limit=c.label,
                assumptions=assumptions,
            )
            return CalcResult(outcome=Outcome.INELIGIBLE, calculation=calc, unmet=c)
        run.lines.append(f"{run.labels.get(c.input, c.input)}{shown}，符合条件「{c.label}」")
    env: dict[str, Decimal] = {k: v for k, v in values.items() if isinstance(v, Decimal)}
    try:
        total = Decimal(0)
        if rule.items:
            item_values = values[rule.items.input]
            items = item_values if isinstance(item_values, list) else [item_values]
            assert all(isinstance(i, Decimal) for i in items)
            if rule.items.max_items is not None and len(items) > rule.items.max_items:
                run.lines.append(f"只计前{rule.items.max_items}项（{rule.items.max_items_label or ''}）")
                items = items[: rule.items.max_items]
            parts: list[Decimal] = []
            for n, item in enumerate(items, 1):
                item_env = dict(env)
                item_env[rule.items.input] = item  # type: ignore[assignment]
                item_env["value"] = Decimal(0)
                parts.append(
                    run.steps(rule.items.steps, item_env, values, prefix=f"第{n}项：" if len(items) > 1 else "")
                )
            total = sum(parts, Decimal(0))
            if len(parts) > 1:
                run.lines.append(f"合计：{' + '.join(fmt_money(p) for p in parts)} = {fmt_money(total)}")
        env["value"] = total
        amount = run.steps(rule.steps, env, values) if rule.steps else total
    except _Ineligible as e:
        calc = Calculation(
            amount_yuan=Decimal(0), steps=run.lines, rule_id=rule.id, binding_limit=str(e), assumptions=assumptions
        )
        return CalcResult(outcome=Outcome.INELIGIBLE, calculation=calc)
    amount = max(_q(amount), Decimal(0))
    run.lines.append(f"可获支持金额：{format_yuan(amount)}")
    return CalcResult(
        outcome=Outcome.COMPUTED,
        calculation=Calculation(
            amount_yuan=amount,
            steps=run.lines,
            rule_id=rule.id,
            binding_limit=run.binding,
            assumptions=[a for a in assumptions if a],
        ),
    )


__all__ = ["CalcResult", "CalculationError", "Outcome", "calculate", "evaluate", "to_python_expr"]
