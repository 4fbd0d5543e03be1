""" "Today" is the date of each request (or POLICY_QA_TODAY): a document's validity changes at its expiry
without a restart."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

QUESTION = "北京市加快合成生物制造产业创新发展若干措施现在还有效吗？"  # 执行至2026年12月31日


class Clock:
    """Stands in for datetime.date in the assistant: `today()` is whatever the test sets."""

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def today(self) -> dt.date:
        return self.day


@pytest.fixture
def clock(monkeypatch) -> Clock:
    import assistant.chat

    c = Clock(dt.date(2026, 12, 31))
    monkeypatch.setattr(assistant.chat, "dt", SimpleNamespace(date=c))
    return c


def _client(assistant, settings, tmp_path, today: dt.date | None) -> TestClient:
    from app import create_app
    from assistant.chat import Assistant

    running = Assistant(assistant.searcher, today=today, top_k=assistant.top_k, rulebook=assistant.rulebook)
    s = settings.model_copy(update={"today": today, "data_dir": tmp_path})
    return TestClient(create_app(s, running))


def _standing(client: TestClient) -> tuple[str, str]:
    body = client.post("/api/chat", json={"message": QUESTION}).json()
    [cite] = [c for c in body["citations"] if c["doc_id"] == "synbio-manufacturing-2024"][:1]
    return cite["status_label"], body["lead"]


def test_validity_changes_at_expiry_without_a_restart(assistant, settings, tmp_path, clock):
    client = _client(assistant, settings, tmp_path, today=None)
    label, lead = _standing(client)
    assert label == "现行有效"  # on its last day
    clock.day = dt.date(2027, 1, 1)  # the next request is judged on the new day
    label_after, lead_after = _standing(client)
    assert label_after == "已过有效期"
    title = "关于《北京市加快合成生物制造产业创新发展若干措施》的效力："
    assert lead == title + "该文件为现行有效文件。有效期至2026年12月31日，目前仍在有效期内。"
    assert lead_after == title + "该文件已过有效期。有效期至2026年12月31日，已过有效期。"


def test_a_fixed_today_is_not_moved_by_the_clock(assistant, settings, tmp_path, clock):
    client = _client(assistant, settings, tmp_path, today=dt.date(2026, 6, 1))
    clock.day = dt.date(2027, 1, 1)
    assert _standing(client)[0] == "现行有效"


def test_today_setting(monkeypatch):
    from assistant.settings import Settings

    monkeypatch.delenv("POLICY_QA_TODAY", raising=False)
    assert Settings().today is None
    monkeypatch.setenv("POLICY_QA_TODAY", "2027-01-01")
    assert Settings().today == dt.date(2027, 1, 1)
