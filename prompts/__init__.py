"""Prompt templates are files in this folder, rendered with strict variables."""

from __future__ import annotations

import string
from functools import lru_cache
from importlib import resources


class PromptError(KeyError):
    """A template is missing or a variable was not given."""


@lru_cache(maxsize=16)
def load(name: str) -> string.Template:
    try:
        text = (resources.files(__package__) / f"{name}.md").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(f"no prompt named {name!r} in prompts/") from None
    return string.Template(text)


def render(name: str, **variables: str) -> str:
    """Render prompts/<name>.md; every $variable must be given (a missing one is an error)."""
    template = load(name)
    try:
        return template.substitute(variables)
    except KeyError as e:
        raise PromptError(f"prompt {name!r} needs variable {e.args[0]!r}") from None
