"""A user's message, cleaned before anything reads it: the one way in for the API, the chat page and the CLI.

Control, zero-width and bidi characters are removed (they hide text and break matching), whitespace is
normalized, and a message over the budget is trimmed to it — with a flag, so the answer can say so.
Earlier turns are cleaned the same way; turns a client calls ``system`` are dropped (a client cannot set
the assistant's instructions), and the oldest turns go first when the history is over its length or
token budget. A message with nothing to read (empty, only emoji or punctuation) gets an answer asking
for a question, without searching.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field

from assistant.models import Answer, Message

AnswerFn = Callable[[str, list[Message], str | None], Answer]

# Removed: controls (but line breaks and tabs), format characters (zero-width, bidi marks and
# embeddings, soft hyphen, BOM), lone surrogates (from JSON "\ud800": unencodable), noncharacters.
_REMOVED_CATEGORIES = {"Cc", "Cf", "Cs"}
_KEPT_CONTROLS = {"\n", "\t"}
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n", "\x0b": "\n", "\x0c": "\n"}
_LINE_BREAK_RE = re.compile("|".join(re.escape(k) for k in _LINE_BREAKS))
_SPACES_RE = re.compile(r"[^\S\n]+")  # any whitespace but a line break: tabs, NBSP, U+3000 …
_BLANK_LINES_RE = re.compile(r"\n{3,}")
REGION_CHARS = 40

NO_QUESTION = (
    "没有读到问题：请用文字写下您想了解的政策或补贴，最好说明企业所在的区和情况，"
    "例如“我们在西城，委托机构做专利导航花了80万，能补多少？”"
)


class Budget(BaseModel):
    """How much of a conversation is read (from the settings POLICY_QA_MAX_MESSAGE_CHARS, …_HISTORY_…)."""

    model_config = ConfigDict(frozen=True)

    message_chars: int = Field(default=2000, ge=1)
    history_turns: int = Field(default=20, ge=0)
    history_tokens: int = Field(default=6000, ge=0)


class Cleaned(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    chars: int = Field(description="characters after cleaning, before trimming")
    trimmed: bool = False


class Intake(BaseModel):
    """What the assistant reads of one request."""

    model_config = ConfigDict(frozen=True)

    message: str
    history: list[Message]
    region: str | None
    readable: bool = Field(description="the message has a letter or a digit to read")
    chars: int = Field(description="the message's length after cleaning, before trimming")
    trimmed: bool
    dropped_turns: int = Field(description="earlier messages not read (system turns, over the budget)")


def clean(text: str, limit: int | None = None) -> Cleaned:
    """The text without invisible characters, with normalized whitespace, trimmed to `limit` characters."""
    text = _LINE_BREAK_RE.sub(lambda m: _LINE_BREAKS[m.group(0)], text)
    text = "".join(
        ch
        for ch in text
        if ch in _KEPT_CONTROLS or (unicodedata.category(ch) not in _REMOVED_CATEGORIES and not _noncharacter(ch))
    )
    lines = [_SPACES_RE.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip()
    chars = len(text)
    if limit is not None and chars > limit:
        return Cleaned(text=text[:limit].rstrip(), chars=chars, trimmed=True)
    return Cleaned(text=text, chars=chars)


def readable(text: str) -> bool:
    """Whether the text has something to read: a letter (汉字 included) or a digit."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def take(message: str, history: list[Message], region: str | None, budget: Budget) -> Intake:
    """The cleaned request: message trimmed to the budget, history cut from the oldest end."""
    from retrieval.tokens import count_tokens

    cleaned = clean(message, budget.message_chars)
    kept: list[Message] = []
    for m in history:
        if m.role == "system":
            continue
        content = clean(m.content, budget.message_chars).text
        if content:
            kept.append(Message(role=m.role, content=content))
    kept = kept[len(kept) - budget.history_turns :] if budget.history_turns else []
    tokens = [count_tokens(m.content) for m in kept]
    while kept and sum(tokens) > budget.history_tokens:
        kept.pop(0)
        tokens.pop(0)
    while kept and kept[0].role != "user":  # a conversation read from its oldest question on
        kept.pop(0)
    place = clean(region or "", REGION_CHARS).text or None
    return Intake(
        message=cleaned.text,
        history=kept,
        region=place,
        readable=readable(cleaned.text),
        chars=cleaned.chars,
        trimmed=cleaned.trimmed,
        dropped_turns=len(history) - len(kept),
    )


def trimmed_notice(chars: int, limit: int) -> str:
    return (
        f"您的问题有 {chars} 个字，超过了 {limit} 字的上限，只读取了前 {limit} 个字。"
        "请把企业情况和要问的事写在前面，或分几次提问。"
    )


def no_question() -> Answer:
    return Answer(text=NO_QUESTION, lead=NO_QUESTION, follow_up="请问您想了解哪项政策或补贴？")


def answer(answer_fn: AnswerFn, message: str, history: list[Message], region: str | None, budget: Budget) -> Answer:
    """Clean the request, answer what is left, and say in the answer when the message was trimmed."""
    got = take(message, history, region, budget)
    if not got.readable:
        return no_question()
    result = answer_fn(got.message, got.history, got.region)
    if not got.trimmed:
        return result
    notice = trimmed_notice(got.chars, budget.message_chars)
    return result.model_copy(update={"text": f"{result.text}\n\n⚠️ {notice}", "warnings": [*result.warnings, notice]})


def _noncharacter(ch: str) -> bool:
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE
