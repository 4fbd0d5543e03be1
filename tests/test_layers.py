"""Imports flow one way (app → assistant → retrieval, evals → assistant) and no module imports itself back."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("assistant", "retrieval", "evals", "prompts", "benchmarks")
# What each top-level part may import of the project.
ALLOWED = {
    "retrieval": {"retrieval"},
    "prompts": {"prompts"},
    "assistant": {"assistant", "retrieval", "prompts"},
    "evals": {"evals", "assistant", "retrieval"},
    "benchmarks": {"benchmarks", "evals", "assistant", "retrieval"},
    "app": {"app", "admin", "protect", "assistant", "retrieval", "prompts"},
    "protect": {"assistant"},
    "admin": {"assistant", "retrieval"},
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    found = {"app": ROOT / "app.py", "admin": ROOT / "admin.py", "protect": ROOT / "protect.py"}
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            found[_module_name(path)] = path
    return found


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """Project modules imported anywhere in the file (module level or inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    out: set[str] = set()
    for n in names:
        while n and n not in modules:
            n = n.rpartition(".")[0]
        if n:
            out.add(n)
    return out


def graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {m: imports_of(p, modules) - {m} for m, p in modules.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle of module-level imports between distinct modules, as a path, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(edges.get(m, ())):
            # A package's __init__ importing its own submodules is not a cycle of concepts.
            if n.startswith(m + ".") or (m.startswith(n + ".") and n == m.split(".")[0]):
                continue
            if state.get(n) == 1:
                return [*stack[stack.index(n) :], n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(edges):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def test_imports_follow_the_layers() -> None:
    wrong = []
    for module, deps in graph().items():
        top = module.split(".")[0]
        for dep in deps:
            if dep.split(".")[0] not in ALLOWED[top]:
                wrong.append(f"{module} imports {dep}")
    assert wrong == []


def test_no_import_cycles() -> None:
    assert find_cycle(graph()) is None


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}}) == ["a.x", "a.y", "a.z", "a.x"]
    assert find_cycle({"a.x": {"a.y"}, "a.y": set()}) is None
