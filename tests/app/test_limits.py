"""Limits from settings: body size (413), message and history budgets, rate (429), time (504), concurrency (503)."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

from assistant.models import Answer, Message

PATENT = "我们在西城，委托机构做专利导航花了80万，能补多少？"


class Recorder:
    """An answer function that records what it was given and can be held until released."""

    def __init__(self, hold: bool = False) -> None:
        self.calls: list[tuple[str, list[Message], str | None]] = []
        self.entered = threading.Event()
        self.release = threading.Event()
        if not hold:
            self.release.set()

    def __call__(self, message: str, history: list[Message], region: str | None) -> Answer:
        self.calls.append((message, history, region))
        self.entered.set()
        self.release.wait(30)
        return Answer(text=f"答：{message[:10]}", lead=f"答：{message[:10]}")


def make_client(assistant, settings, tmp_path, answer_fn=None, client=("198.51.100.7", 50000), **limits) -> TestClient:
    from app import create_app

    s = settings.model_copy(update={"data_dir": tmp_path, **limits})
    return TestClient(create_app(s, assistant, answer_fn=answer_fn), client=client)


def test_a_body_over_the_limit_is_413_with_what_to_do(assistant, settings, tmp_path):
    rec = Recorder()
    client = make_client(assistant, settings, tmp_path, rec, max_body_bytes=2048)
    r = client.post("/api/chat", json={"message": "专" * 1000})  # 3,000 bytes of UTF-8
    assert r.status_code == 413
    assert r.json() == {
        "detail": "请求内容过大（上限 2 KB）：请缩短问题或减少附带的对话记录后再试。",
        "error": "too_large",
        "retry_after": None,
    }
    # Sent in chunks without a Content-Length, the body is counted as it arrives.
    chunks = iter([b'{"message": "', "专".encode() * 1000, b'"}'])
    r = client.post("/api/chat", content=chunks, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"] == "too_large"
    assert rec.calls == []
    assert client.post("/api/chat", json={"message": "专利导航"}).status_code == 200


def test_a_long_paste_is_trimmed_to_the_budget_and_the_answer_says_so(app):
    client = TestClient(app)
    message = PATENT + "（以下为合同全文）" + "甲方乙方约定事项。" * 2200
    r = client.post("/api/chat", json={"message": message})
    assert r.status_code == 200
    body = r.json()
    assert body["calculation"]["amount_yuan"] == 240000
    notice = (
        f"您的问题有 {len(message)} 个字，超过了 2000 字的上限，只读取了前 2000 个字。"
        "请把企业情况和要问的事写在前面，或分几次提问。"
    )
    assert body["warnings"][-1] == notice
    assert body["text"].endswith("⚠️ " + notice)


def test_the_message_budget_is_a_setting(assistant, settings, tmp_path):
    rec = Recorder()
    client = make_client(assistant, settings, tmp_path, rec, max_message_chars=100)
    body = client.post("/api/chat", json={"message": "问" * 150}).json()
    assert rec.calls[0][0] == "问" * 100
    assert body["warnings"] == [
        "您的问题有 150 个字，超过了 100 字的上限，只读取了前 100 个字。请把企业情况和要问的事写在前面，或分几次提问。"
    ]


def test_the_oldest_turns_are_dropped_past_the_history_budget(assistant, settings, tmp_path):
    rec = Recorder()
    client = make_client(assistant, settings, tmp_path, rec, max_history_turns=4)
    history = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"第{i}轮"} for i in range(60)]
    assert client.post("/api/chat", json={"message": "那呢？", "history": history}).status_code == 200
    assert [m.content for m in rec.calls[0][1]] == ["第56轮", "第57轮", "第58轮", "第59轮"]

    rec = Recorder()
    client = make_client(assistant, settings, tmp_path, rec, max_history_tokens=30)
    long_turns = [
        {"role": "user", "content": "西城专利导航补贴" * 10},
        {"role": "assistant", "content": "按条款" * 10},
        {"role": "user", "content": "合同80万"},
        {"role": "assistant", "content": "24万元"},
    ]
    client.post("/api/chat", json={"message": "那朝阳呢？", "history": long_turns})
    assert [m.content for m in rec.calls[0][1]] == ["合同80万", "24万元"]


def test_questions_over_the_rate_limit_get_429_with_retry_after(assistant, settings, tmp_path):
    rec = Recorder()
    client = make_client(assistant, settings, tmp_path, rec, rate_limit="3/minute")
    assert [client.post("/api/chat", json={"message": "专利导航"}).status_code for _ in range(3)] == [200] * 3
    r = client.post("/api/chat", json={"message": "专利导航"})
    assert r.status_code == 429
    wait = int(r.headers["Retry-After"])
    assert 1 <= wait <= 60
    assert r.json() == {"detail": f"提问太频繁了：请 {wait} 秒后再试。", "error": "rate_limited", "retry_after": wait}
    assert len(rec.calls) == 3
    # Another client is counted on its own.
    other = TestClient(client.app, client=("198.51.100.8", 50000))
    assert other.post("/api/chat", json={"message": "专利导航"}).status_code == 200


def test_an_answer_over_the_time_limit_is_504(assistant, settings, tmp_path):
    rec = Recorder(hold=True)
    client = make_client(assistant, settings, tmp_path, rec, request_timeout_s=0.5)
    r = client.post("/api/chat", json={"message": "专利导航"})
    rec.release.set()
    assert r.status_code == 504
    assert r.json() == {
        "detail": "这个问题 0.5 秒内没有算完，已停止等待：请把问题问得更具体些（写明地区和政策），或稍后再试。",
        "error": "timeout",
        "retry_after": None,
    }


def test_answers_past_the_concurrency_limit_get_503_with_retry_after(assistant, settings, tmp_path):
    rec = Recorder(hold=True)
    client = make_client(assistant, settings, tmp_path, rec, max_concurrent=1)
    first: list[int] = []
    worker = threading.Thread(target=lambda: first.append(client.post("/api/chat", json={"message": "一"}).status_code))
    worker.start()
    assert rec.entered.wait(30)
    r = client.post("/api/chat", json={"message": "二"})
    assert r.status_code == 503 and r.headers["Retry-After"] == "5"
    assert r.json() == {"detail": "同时提问的人较多，服务正忙：请 5 秒后再试。", "error": "busy", "retry_after": 5}
    rec.release.set()
    worker.join(30)
    assert first == [200]
    assert client.post("/api/chat", json={"message": "三"}).status_code == 200  # the slot was given back


def test_a_slot_is_held_until_a_timed_out_answer_really_ends():
    from protect import Refused, Runner

    runner = Runner(slots=1, timeout_s=0.2)
    release = threading.Event()
    with pytest.raises(Refused) as timed_out:
        runner.run_sync(lambda: release.wait(30))
    assert timed_out.value.status == 504
    with pytest.raises(Refused) as busy:
        runner.run_sync(lambda: True)
    assert busy.value.status == 503
    release.set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            assert runner.run_sync(lambda: "ok") == "ok"
            break
        except Refused:
            time.sleep(0.01)  # the first answer is ending: its slot comes back when its thread returns
    else:
        pytest.fail("the slot was never given back")


def test_a_wrong_request_is_json_saying_what_to_send(assistant, settings, tmp_path):
    client = make_client(assistant, settings, tmp_path, Recorder())
    r = client.post("/api/chat", json={"history": "none"})
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "invalid_request" and body["retry_after"] is None
    assert body["detail"].startswith("请求格式不对（message：Field required；history：Input should be a valid list）")
    assert body["detail"].endswith('请发送 JSON：{"message": "您的问题", "history": [], "region": null}。')


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("POLICY_QA_RATE_LIMIT", "lots", "POLICY_QA_RATE_LIMIT must look like 30/minute"),
        ("POLICY_QA_MAX_CONCURRENT", "0", "greater than or equal to 1"),
        ("POLICY_QA_REQUEST_TIMEOUT_S", "0", "greater than 0"),
    ],
)
def test_a_bad_limit_setting_fails_at_start_saying_which(monkeypatch, name, value, message):
    from pydantic import ValidationError

    from assistant.settings import Settings

    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as e:
        Settings()
    assert name in str(e.value) and message in str(e.value)


def test_limit_settings_defaults(monkeypatch):
    from assistant.settings import Settings

    for name in ("POLICY_QA_RATE_LIMIT", "POLICY_QA_MAX_MESSAGE_CHARS", "POLICY_QA_MAX_CONCURRENT"):
        monkeypatch.delenv(name, raising=False)
    s = Settings()
    budget = (s.max_body_bytes, s.max_message_chars, s.max_history_turns, s.max_history_tokens)
    assert budget == (262144, 2000, 20, 6000)
    assert (s.rate_limit, s.request_timeout_s, s.max_concurrent) == ("30/minute", 90.0, 4)
    monkeypatch.setenv("POLICY_QA_RATE_LIMIT", "off")
    assert Settings().rate_limit == "off"
