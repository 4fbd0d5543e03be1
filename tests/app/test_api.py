"""The HTTP API, headers and widget assets, through FastAPI's test client."""

import pytest
from fastapi.testclient import TestClient

PATENT = "我们在西城，委托机构做专利导航花了80万，能补多少？"


@pytest.fixture(scope="module")
def client(app):
    return TestClient(app)


def test_health(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["documents"] == 30 and body["rules"] >= 150
    assert body["index"] == "embedded" and body["llm"] is False


def test_chat_returns_the_answer_contract(client):
    r = client.post("/api/chat", json={"message": PATENT, "history": []})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {
        "text",
        "lead",
        "details",
        "warnings",
        "citations",
        "calculation",
        "refused",
        "follow_up",
        "mode",
    }
    assert body["lead"].startswith("按《") and "**依据条款**" not in body["lead"]
    assert any("征求意见稿" in w for w in body["warnings"])
    assert body["calculation"]["amount_yuan"] == 240000
    assert body["citations"][0]["locator"] == "第五条（二）"


def test_chat_is_stateless_history_comes_from_the_client(client):
    history = [{"role": "user", "content": "西城专利导航有补贴吗？"}, {"role": "assistant", "content": "有。"}]
    body = client.post("/api/chat", json={"message": "合同八十万能补多少", "history": history}).json()
    assert body["calculation"]["amount_yuan"] == 240000


def test_chat_validates_input(client):
    assert client.post("/api/chat", json={}).status_code == 422
    assert client.post("/api/chat", json={"message": 5}).status_code == 422
    assert client.post("/api/chat", json={"message": ""}).json()["follow_up"] == "请问您想了解哪项政策或补贴？"
    assert client.post("/api/chat", json={"message": "x" * 2001}).status_code == 200  # trimmed, not refused


def test_region_hint_from_the_widget(client):
    body = client.post("/api/chat", json={"message": "专利导航花了80万能补多少", "region": "西城区"}).json()
    assert body["calculation"]["amount_yuan"] == 240000


def test_feedback_is_stored(client, app):
    answer = client.post("/api/chat", json={"message": PATENT}).json()
    r = client.post("/api/feedback", json={"question": PATENT, "answer": answer, "rating": "up", "comment": "准确"})
    assert r.status_code == 200 and r.json()["id"] >= 1


def test_widget_assets_and_frame_policy(client):
    js = client.get("/widget.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    page = client.get("/widget?title=政策助手&region=西城区")
    assert "frame-ancestors 'self' http://127.0.0.1:* http://localhost:*" in page.headers["content-security-policy"]
    assert client.get("/").headers["content-security-policy"] == "frame-ancestors 'self'"


def test_cors_allows_configured_origins_only(client):
    ok = client.options(
        "/api/chat",
        headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST"},
    )
    assert ok.headers.get("access-control-allow-origin") == "http://localhost:5173"
    bad = client.options(
        "/api/chat",
        headers={"Origin": "https://evil.example.com", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in bad.headers


def test_pages_load_nothing_from_outside(client):
    for path in ("/", "/widget", "/widget.js", "/static/chat.js", "/static/chat.css"):
        text = client.get(path).text
        for host in ("fonts.googleapis", "fonts.gstatic", "cdn.", "unpkg", "jsdelivr", "googletagmanager"):
            assert host not in text, (path, host)


def test_openapi_documents_the_api(client):
    spec = client.get("/openapi.json").json()
    assert "/api/chat" in spec["paths"] and "/api/health" in spec["paths"]


def test_feedback_export_as_eval_suite(client, app, tmp_path, monkeypatch, settings):
    from assistant.feedback import FeedbackStore, to_eval_case

    store = FeedbackStore(tmp_path / "f.sqlite")
    from assistant.feedback import Feedback
    from assistant.models import Answer

    answer = Answer.model_validate(client.post("/api/chat", json={"message": PATENT}).json())
    store.add(Feedback(question=PATENT, answer=answer, rating="up"))
    [case] = [to_eval_case(f) for f in store.all()]
    assert case["expected"]["amount_yuan"] == 240000
    assert case["expected"]["citations"][0]["article"] == "第五条（二）"


def test_gradio_client_calls_the_ask_endpoint(live_server, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from gradio_client import Client

    answer = Client(live_server + "/", verbose=False).predict(PATENT, [], "", api_name="/ask")
    assert answer["calculation"]["amount_yuan"] == 240000
    assert answer["citations"][0]["locator"] == "第五条（二）"
