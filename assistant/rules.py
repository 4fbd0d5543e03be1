"""Subsidy rules as data: inputs, conditions and calculation steps, each tied to a clause.

Rules live in corpus/rules/<doc_id>.yaml. A rule's numbers are written as they appear in its
clause (30%, 50万, 1.5), so a test can check that every number of a rule occurs in the clause.

Formulas are small arithmetic expressions over input names and earlier `let` values:
``contract * 30%``, ``min(price, 1.5) * min(area, area_cap) * days``, ``floor(quota / 1亿) * 30万``.
Amounts may carry 万/亿 and percentages %, exactly as the clause writes them.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.errors import ConfigError
from assistant.facts import Kind
from assistant.formula import names_in, parse_expr

# A clause that states an amount (元 / 万元 / 亿元 / % / 1:1 / 万分之…) needs a rule or a not_computable entry.
AMOUNT_IN_TEXT = re.compile(r"\d[\d.,]*\s*(万元|亿元|元|%|％)|\d\s*[:：]\s*\d|万分之|千分之")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InputKind(StrEnum):
    MONEY = "money"
    AREA = "area"
    MU = "mu"
    PEOPLE = "people"
    PERCENT = "percent"
    YEARS = "years"
    MONTHS = "months"
    DAYS = "days"
    KG = "kg"
    UNIT_PRICE = "unit_price"
    COUNT = "count"
    YEAR = "year"
    CHOICE = "choice"  # picked by words in the question (国际首创 / 国内首创)

    @property
    def fact_kind(self) -> Kind | None:
        return None if self is InputKind.CHOICE else Kind(self.value)


class Option(Strict):
    value: str  # the option's key, e.g. 国际首创
    match: list[str] = Field(min_length=1, description="words that select it, most specific first")


class InputSpec(Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: InputKind
    label: str = Field(description="what it is, in Chinese: 合同额")
    ask: str = Field(description="the question asked when it is missing")
    hints: list[str] = Field(default_factory=list, description="words near the number that point to this input")
    avoid: list[str] = Field(default_factory=list, description="words near a number that mean it is not this input")
    many: bool = Field(default=False, description="several values (3 trade fairs, 2 contracts, 3 years)")
    default: str | None = Field(default=None, description="used when the user gives none, stated as an assumption")
    default_note: str | None = None
    options: list[Option] = Field(default_factory=list)
    currency: str = Field(default="CNY", description="for money: the currency the clause counts in (USD for 美元)")
    optional: bool = Field(
        default=False,
        description="only for conditions: checked when the user gives it, otherwise assumed met and said so",
    )
    derive: Literal["area_x_daily_price", "later_minus_earlier"] | None = Field(
        default=None,
        description=(
            "when not given: area_x_daily_price — a yearly rent from area × price per m² per day × 365; "
            "later_minus_earlier — an increase from this year's and last year's figures (今年2000万，去年1500万); "
            "a money input whose label names an increase (增量, 增加额) derives so unless it says otherwise"
        ),
    )
    excludes: list[str] = Field(
        default_factory=list,
        description="parts not counted (硬件 for 非硬件部分): a total and its excluded part give total − part",
    )

    @model_validator(mode="after")
    def _choice_has_options(self) -> InputSpec:
        if self.kind == InputKind.CHOICE and not self.options:
            raise ValueError(f"input {self.name}: a choice needs options")
        if self.default is not None and self.default_note is None:
            raise ValueError(f"input {self.name}: a default needs a default_note saying so to the user")
        return self

    @model_validator(mode="before")
    @classmethod
    def _an_increase_derives(cls, data: object) -> object:
        """A money input whose label names an increase (增量, 增加额) is derived from two years' figures."""
        if (
            isinstance(data, dict)
            and "derive" not in data
            and data.get("kind") == "money"
            and _INCREASE_LABEL.search(str(data.get("label", "")))
        ):
            return {**data, "derive": "later_minus_earlier"}
        return data


_INCREASE_LABEL = re.compile(r"增量|增加额|增长额|净增")


class Op(StrEnum):
    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "=="
    IN = "in"  # for choices


class Condition(Strict):
    input: str
    op: Op
    value: str = Field(description="a number as the clause writes it (5000万, 50%), or a choice key for `in`")
    values: list[str] = Field(default_factory=list, description="choice keys, with op `in`")
    label: str = Field(description="the clause's words: 投资5000万元（含）以上的项目")


class Bracket(Strict):
    min: str | None = None
    min_inclusive: bool = True
    max: str | None = None
    max_inclusive: bool = False
    option: str | None = Field(default=None, description="for a tier on a choice input")
    value: str = Field(description="a formula: 500万, contract * 1%")
    label: str


class Tier(Strict):
    input: str
    brackets: list[Bracket] = Field(min_length=1)
    otherwise: str | None = Field(default=None, description="formula when no bracket applies; None: not eligible")
    otherwise_label: str | None = None


LimitKind = Literal["per_item", "per_year", "per_enterprise", "total", "actual_cost", "area", "price", "other"]


class Step(Strict):
    """One line of the calculation. Exactly one of formula, cap, tier."""

    let: str | None = Field(default=None, description="store the result under this name instead of the running value")
    formula: str | None = None
    cap: str | None = Field(default=None, description="the running value may not exceed this")
    tier: Tier | None = None
    label: str = Field(description="the clause's words for this step")
    limit: (
        Literal["per_item", "per_year", "per_enterprise", "total", "actual_cost", "area", "price", "other"] | None
    ) = None

    @model_validator(mode="after")
    def _one_kind(self) -> Step:
        kinds = [x for x in (self.formula, self.cap, self.tier) if x is not None]
        if len(kinds) != 1:
            raise ValueError(f"step {self.label!r}: give exactly one of formula, cap, tier")
        for expr in (self.formula, self.cap):
            if expr is not None:
                parse_expr(expr)
        if self.cap is not None and self.let is not None:
            raise ValueError(f"step {self.label!r}: a cap applies to the running value; it cannot be a let")
        return self


class Items(Strict):
    input: str = Field(description="the many-valued input each item comes from")
    max_items: int | None = Field(default=None, description="only the first N items count (贴息不超过3年)")
    max_items_label: str | None = None
    steps: list[Step] = Field(min_length=1)


class Period(Strict):
    """How long a support runs: one calculation of the rule is one year's support, for at most `years` years.

    OpenFisca-style, the period is part of the rule: a question about a total over N years (or "按最长期限")
    is computed year by year, never answered with one year's amount.
    """

    years: int | None = Field(
        default=None, ge=1, description="the most years the support runs (连续三年 → 3); none: each year, no limit"
    )
    label: str = Field(description="the clause's words: 最多可连续支持3年")
    year_rates: list[str] = Field(
        default_factory=list,
        description="a share of the yearly amount for each year, when the clause varies it (第一年100%、第二年50%)",
    )
    until_year: int | None = Field(
        default=None, ge=2000, le=2100, description="the last year the clause pays (实施至2028年底 → 2028)"
    )
    total_cap: str | None = Field(default=None, description="a cap over all years together (贴息总额不超过300万)")
    total_cap_label: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Period:
        if self.year_rates and (self.years is None or len(self.year_rates) != self.years):
            raise ValueError(f"period {self.label!r}: give one rate per year ({self.years})")
        for expr in [*self.year_rates, *([self.total_cap] if self.total_cap else [])]:
            parse_expr(expr)
        if (self.total_cap is None) != (self.total_cap_label is None):
            raise ValueError(f"period {self.label!r}: total_cap and total_cap_label go together")
        return self


class RuleCase(Strict):
    """A test case kept beside its rule: facts in, outcome out (facts written as the clause writes numbers)."""

    name: str
    facts: dict[str, str | list[str]] = Field(
        default_factory=dict, description="input name → value: 80万, 2000, 1.5, a choice key, or a list for many"
    )
    years: int | None = Field(default=None, description="the horizon asked: a total over this many years")
    first_year: int | None = Field(default=None, description="the calendar year that total starts (2026)")
    outcome: Literal["computed", "ineligible", "missing"] = "computed"
    amount: str | None = Field(default=None, description="the expected amount in yuan, e.g. 240000 or 24万")

    @model_validator(mode="after")
    def _amount_given(self) -> RuleCase:
        if self.outcome == "computed" and self.amount is None:
            raise ValueError(f"case {self.name!r}: a computed case needs its amount")
        return self


class Rule(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,80}$")
    clause: str = Field(description="the clause's locator in its document, as `python -m retrieval show` prints it")
    title: str
    triggers: list[str] = Field(default_factory=list, description="words of a question that point to this rule")
    inputs: list[InputSpec] = Field(default_factory=list)
    conditions: list[Condition] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list, description="conditions the user must meet, stated")
    items: Items | None = None
    steps: list[Step] = Field(default_factory=list)
    stacks_on: list[str] = Field(
        default_factory=list,
        description="rule ids this one adds to (在获得…奖励基础上，追加…): computed together when both apply",
    )
    per_person: bool = Field(
        default=False,
        description="the amount is one person's (每人每月…): a number of people in the question multiplies it",
    )
    period: Period | None = Field(
        default=None, description="how many years the support runs; None: a one-off or a single year"
    )
    cases: list[RuleCase] = Field(default_factory=list, description="facts in → amount out, checked by rules test")
    unit: Literal["yuan"] = "yuan"
    note: str | None = None
    source: Literal["curated", "extracted"] = "curated"

    @model_validator(mode="after")
    def _names_defined(self) -> Rule:
        known = {i.name for i in self.inputs}
        many = {i.name for i in self.inputs if i.many}
        if not self.steps and not self.items:
            raise ValueError(f"rule {self.id}: needs steps or items")
        if self.items and self.items.input not in many:
            raise ValueError(f"rule {self.id}: items.input must be a many-valued input")
        for c in self.conditions:
            if c.input not in known:
                raise ValueError(f"rule {self.id}: condition on unknown input {c.input!r}")
        scope = set(known)
        for step in (self.items.steps if self.items else []) + self.steps:
            for expr in (step.formula, step.cap):
                if expr is not None:
                    unknown = names_in(expr) - scope - {"value"}
                    if unknown:
                        raise ValueError(f"rule {self.id}: step {step.label!r} uses undefined {sorted(unknown)}")
            if step.tier:
                if step.tier.input not in scope:
                    raise ValueError(f"rule {self.id}: tier on undefined {step.tier.input!r}")
                for b in step.tier.brackets:
                    unknown = names_in(b.value) - scope - {"value"}
                    if unknown:
                        raise ValueError(f"rule {self.id}: bracket {b.label!r} uses undefined {sorted(unknown)}")
            if step.let:
                scope.add(step.let)
        return self


class NotComputable(Strict):
    clause: str
    reason: str


class Eligibility(Strict):
    """Who qualifies, as a clause defines it for the supports of other clauses (第六条(二) for 第六条(三)).

    Its inputs are checked when the user gives them; an unmet condition gives 0 for every support the
    clause covers, with the condition quoted and this clause cited. Its numbers come from this clause.
    """

    clause: str = Field(description="the locator of the clause that says who qualifies")
    applies_to: list[str] = Field(min_length=1, description="locators of the supports it governs (and their items)")
    inputs: list[InputSpec] = Field(min_length=1)
    conditions: list[Condition] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_inputs(self) -> Eligibility:
        names = {i.name for i in self.inputs}
        for c in self.conditions:
            if c.input not in names:
                raise ValueError(f"eligibility {self.clause}: condition on unknown input {c.input!r}")
        if any(not i.optional for i in self.inputs):
            raise ValueError(f"eligibility {self.clause}: its inputs are optional (checked only when given)")
        return self

    def as_rule(self, rule_id: str) -> Rule:
        """The conditions as a rule paying 0, so the binder and calculator check them like any rule's."""
        return Rule(
            id=rule_id,
            clause=self.clause,
            title=f"{self.clause}支持条件",
            inputs=self.inputs,
            conditions=self.conditions,
            steps=[Step(formula="0", label="支持条件")],
        )


class RuleFile(Strict):
    doc: str
    rules: list[Rule] = Field(default_factory=list)
    eligibility: list[Eligibility] = Field(default_factory=list)
    not_computable: list[NotComputable] = Field(default_factory=list)

    @field_validator("rules")
    @classmethod
    def _unique(cls, v: list[Rule]) -> list[Rule]:
        ids = [r.id for r in v]
        if len(ids) != len(set(ids)):
            raise ValueError(f"duplicate rule ids {sorted({i for i in ids if ids.count(i) > 1})}")
        return v


class BoundRule(BaseModel):
    """A rule with its clause id resolved."""

    model_config = ConfigDict(frozen=True)

    rule: Rule
    doc_id: str
    clause_id: str


PROPOSED_SUFFIX = ".proposed.yaml"


def load_rule_files(rules_dir: Path) -> list[RuleFile]:
    """The reviewed rule files (<doc>.yaml); drafts written by `rules propose` (<doc>.proposed.yaml) are not rules."""
    files = sorted(p for p in rules_dir.glob("*.yaml") if not p.name.endswith(PROPOSED_SUFFIX))
    out: list[RuleFile] = []
    for path in files:
        try:
            out.append(RuleFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))))
        except (ValidationError, ValueError, yaml.YAMLError) as e:
            raise ConfigError(f"{path}: invalid rule file: {e}") from e
    return out
