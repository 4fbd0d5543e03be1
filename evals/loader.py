"""Read suites: JSONL (one case per line) or YAML (a list of cases)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from pydantic import ValidationError

from evals.models import Case


class SuiteError(ValueError):
    """A suite file cannot be read; the message names the file and line."""


def load_suite(path: Path) -> list[Case]:
    if not path.exists():
        raise SuiteError(f"{path}: no such suite file")
    text = path.read_text(encoding="utf-8")
    raw: list[object]
    if path.suffix in (".yaml", ".yml"):
        loaded = yaml.safe_load(text) or []
        if not isinstance(loaded, list):
            raise SuiteError(f"{path}: a YAML suite is a list of cases")
        raw = loaded
    else:
        raw = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                raw.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise SuiteError(f"{path}:{n}: not valid JSON: {e}") from e
    cases: list[Case] = []
    for n, item in enumerate(raw, 1):
        try:
            cases.append(Case.model_validate(item))
        except ValidationError as e:
            raise SuiteError(f"{path}: case {n}: {e}") from e
    ids = [c.id for c in cases]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SuiteError(f"{path}: duplicate case ids {dupes}")
    return cases
