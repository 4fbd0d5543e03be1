"""Rule formulas: small arithmetic over input names, written with the clause's own numbers.

``contract * 30%``, ``min(price, 1.5) * min(area, area_cap) * days``, ``floor(quota / 1亿) * 30万``.
Parsed with `ast` (only arithmetic, names and min/max/floor/ceil) and evaluated in `Decimal`.
"""

from __future__ import annotations

import ast
import math
import re
from decimal import Decimal


class CalculationError(ValueError):
    """A rule cannot be evaluated with these inputs (a bug in the rule data)."""


_UNITS = {"亿": "100000000", "万": "10000", "千": "1000"}
_NUM_WITH_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*(亿|万|千|%)")


def to_python_expr(expr: str) -> str:
    """'contract * 30%' → 'contract * (30/100)'; '50万' → '(50*10000)'."""

    def repl(m: re.Match[str]) -> str:
        num, unit = m.group(1), m.group(2)
        if unit == "%":
            return f"({num}/100)"
        return f"({num}*{_UNITS[unit]})"

    out = _CN_FRACTION.sub(lambda m: f"({_cn_small(m.group(2))}/{_FRACTION_BASE[m.group(1)]})", expr)
    return _NUM_WITH_UNIT.sub(repl, out).replace("×", "*").replace("÷", "/")


_FRACTION_BASE = {"万分之": "10000", "千分之": "1000", "百分之": "100"}
_CN_FRACTION = re.compile(r"(万分之|千分之|百分之)([一二三四五六七八九十\d.]+)")


def _cn_small(text: str) -> str:
    if re.fullmatch(r"[\d.]+", text):
        return text
    from retrieval.clauses import cn_to_int

    return str(cn_to_int(text))


_ALLOWED_FUNCS = {"min", "max", "floor", "ceil"}
_ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Constant,
    ast.Name,
    ast.Load,
    ast.Call,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.USub,
)


def parse_expr(expr: str) -> ast.Expression:
    """Parse a rule formula, allowing only arithmetic, names and min/max/floor/ceil."""
    try:
        tree = ast.parse(to_python_expr(expr), mode="eval")
    except SyntaxError as e:
        raise ValueError(f"formula {expr!r} is not valid: {e.msg}") from e
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ValueError(f"formula {expr!r}: {type(node).__name__} is not allowed")
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in _ALLOWED_FUNCS):
            raise ValueError(f"formula {expr!r}: only {sorted(_ALLOWED_FUNCS)} may be called")
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise ValueError(f"formula {expr!r}: only numbers are allowed as constants")
    return tree


def names_in(expr: str) -> set[str]:
    tree = parse_expr(expr)
    funcs = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - funcs


def _eval(node: ast.AST, env: dict[str, Decimal]) -> Decimal:
    if isinstance(node, ast.Expression):
        return _eval(node.body, env)
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        if node.id not in env:
            raise CalculationError(f"no value for {node.id!r}")
        return env[node.id]
    if isinstance(node, ast.UnaryOp):
        return -_eval(node.operand, env)
    if isinstance(node, ast.BinOp):
        a, b = _eval(node.left, env), _eval(node.right, env)
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        if b == 0:
            raise CalculationError("division by zero")
        return a / b
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        args = [_eval(a, env) for a in node.args]
        if node.func.id == "min":
            return min(args)
        if node.func.id == "max":
            return max(args)
        if node.func.id == "floor":
            return Decimal(math.floor(args[0]))
        if node.func.id == "ceil":
            return Decimal(math.ceil(args[0]))
    raise CalculationError(f"cannot evaluate {ast.dump(node)}")


def evaluate(expr: str, env: dict[str, Decimal]) -> Decimal:
    return _eval(parse_expr(expr), env)


def amount_literal(text: str) -> Decimal:
    """'50万' → 500000; '30%' → 0.3; '1.5' → 1.5 (a constant written as the clause writes it)."""
    return evaluate(text, {})
