"""assistant/intake.py: what is removed, normalized and trimmed; properties over arbitrary text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import intake
from assistant.models import Answer, Message


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  西城  专利  ", "西城 专利"),
        ("西\u200b城\u200d\ufeff", "西城"),
        ("\u202e80万\u202c", "80万"),
        ("a\x00b\x07c\x1bd", "abcd"),
        ("一\r\n二\r三\u2028四", "一\n二\n三\n四"),
        ("一\n\n\n\n二", "一\n\n二"),
        ("\t一\u3000二\u00a0三 ", "一 二 三"),
        ("\ud800西城", "西城"),
        ("\ufdd0\uffff西城", "西城"),
    ],
)
def test_clean(raw, clean):
    assert intake.clean(raw).text == clean


def test_trim_flags_and_counts():
    got = intake.clean("问" * 2500, 2000)
    assert (len(got.text), got.chars, got.trimmed) == (2000, 2500, True)
    assert intake.clean("问" * 2000, 2000).trimmed is False


@pytest.mark.parametrize(
    ("text", "readable"), [("😀", False), ("？！", False), ("", False), ("8", True), ("西", True), ("a", True)]
)
def test_readable(text, readable):
    assert intake.readable(text) is readable


def test_oldest_turns_go_first_and_history_starts_with_a_question():
    history = [Message(role="user" if i % 2 == 0 else "assistant", content=str(i)) for i in range(7)]
    got = intake.take("问", history, None, intake.Budget(history_turns=3))
    assert [m.content for m in got.history] == ["4", "5", "6"]
    got = intake.take("问", history, None, intake.Budget(history_turns=4))
    assert [m.content for m in got.history] == ["4", "5", "6"]  # "3" was an answer without its question
    assert got.dropped_turns == 4


def test_answer_adds_the_notice_only_when_trimmed():
    seen: list[str] = []

    def fn(m: str, h: list[Message], r: str | None) -> Answer:
        seen.append(m)
        return Answer(text="答", lead="答")

    budget = intake.Budget(message_chars=10)
    assert intake.answer(fn, "问" * 5, [], None, budget).warnings == []
    trimmed = intake.answer(fn, "问" * 12, [], None, budget)
    assert trimmed.warnings == [intake.trimmed_notice(12, 10)]
    assert trimmed.text == "答\n\n⚠️ " + intake.trimmed_notice(12, 10)
    assert intake.answer(fn, "\u200b😀", [], None, budget).text == intake.NO_QUESTION
    assert seen == ["问" * 5, "问" * 10]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=50))
def test_clean_never_keeps_invisible_characters_and_respects_the_budget(text, limit):
    got = intake.clean(text, limit)
    assert len(got.text) <= limit
    assert got.trimmed is (got.chars > limit)
    assert all(ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs") for ch in got.text)
    assert got.text == got.text.strip()
    assert intake.clean(got.text).text == got.text  # cleaning twice changes nothing
    got.text.encode("utf-8")  # always encodable (no lone surrogates)
