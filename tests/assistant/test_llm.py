"""The LLM mode against a local fake OpenAI-compatible server: real openai client, real tool calls."""

from decimal import Decimal

import pytest

from assistant.llm import LLMAnswerer, chat_model
from tests.fakellm import FakeOpenAI, text_reply, tool_call_reply

QUESTION = "我们在西城，委托机构做专利导航花了80万，能补多少？"


@pytest.fixture
def fake():
    with FakeOpenAI() as server:
        yield server


def answerer(assistant, settings, fake):
    s = settings.model_copy(update={"openai_api_key": "test-key", "openai_base_url": fake.base_url})
    return LLMAnswerer(assistant, chat_model(s))


def test_tool_call_round_trip_and_grounded_reply(assistant, settings, fake):
    fake.enqueue(
        tool_call_reply("compute_amount", {"question": QUESTION}),
        text_reply("按第五条（二），可获得24万元后补贴 [C1]。该措施目前是征求意见稿。"),
    )
    answer = answerer(assistant, settings, fake).answer(QUESTION)
    assert answer.mode == "llm"
    assert answer.calculation is not None and answer.calculation.amount_yuan == Decimal(240000)
    assert [c.locator for c in answer.citations] == ["第五条（二）"]
    assert "24万元" in answer.text and "[C1]" not in answer.text
    roles = [m["role"] for m in fake.requests[-1]["messages"]]
    assert "tool" in roles
    assert fake.requests[0]["tools"][0]["function"]["name"] in {"search_clauses", "compute_amount"}


def test_altered_number_falls_back_to_the_extractive_answer(assistant, settings, fake):
    fake.enqueue(text_reply("可获得25万元 [C1]。"))
    answer = answerer(assistant, settings, fake).answer(QUESTION)
    assert answer.mode == "extractive"
    assert "25万" not in answer.text
    assert answer.calculation.amount_yuan == Decimal(240000)


def test_draft_warning_is_added_when_the_model_omits_it(assistant, settings, fake):
    fake.enqueue(text_reply("可获得24万元 [C1]。"))
    answer = answerer(assistant, settings, fake).answer(QUESTION)
    assert answer.mode == "llm"
    assert "征求意见稿" in answer.text


def test_out_of_scope_never_reaches_the_model(assistant, settings, fake):
    answer = answerer(assistant, settings, fake).answer("上海浦东的算力补贴怎么申请？")
    assert answer.refused and fake.requests == []


def test_unreachable_endpoint_gives_the_extractive_answer(assistant, settings):
    s = settings.model_copy(update={"openai_api_key": "k", "openai_base_url": "http://127.0.0.1:9/v1"})
    answer = LLMAnswerer(assistant, chat_model(s)).answer(QUESTION)
    assert answer.mode == "extractive" and answer.calculation.amount_yuan == Decimal(240000)
