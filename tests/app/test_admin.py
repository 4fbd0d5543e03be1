"""The admin page: off without a token; upload → preview (nothing written) → publish → the app answers from it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from retrieval.corpus import DEFAULT_CORPUS_DIR

FIXTURES = Path(__file__).resolve().parents[1] / "retrieval" / "fixtures"
TOKEN = "test-admin-token-1234"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_admin_is_off_without_a_token(app):
    client = TestClient(app)
    assert client.get("/admin").status_code == 404
    assert client.post("/admin/api/preview", headers=AUTH).status_code == 404
    assert client.get("/admin/api/documents", headers=AUTH).status_code == 404
    assert client.post("/admin/api/reindex", headers=AUTH, json={}).status_code == 404
    assert client.get("/admin/api/feedback", headers=AUTH).status_code == 404


def build_admin_app(settings, root: Path):  # type: ignore[no-untyped-def]
    """An app over a copy of the corpus, with a token; its index reuses the test index's embedding cache."""
    from app import create_app
    from assistant.service import build_assistant

    corpus_dir = root / "corpus"
    shutil.copytree(DEFAULT_CORPUS_DIR, corpus_dir)
    data = root / "data"
    data.mkdir()
    shutil.copyfile(settings.embedding_cache_path, data / "embeddings.sqlite")
    s = settings.model_copy(
        update={"corpus_dir": corpus_dir, "data_dir": data, "admin_token": SecretStr(TOKEN), "reload_check_s": 0.0}
    )
    return s, create_app(s, build_assistant(s, progress=False))


@pytest.fixture(scope="module")
def admin_env(settings, assistant, tmp_path_factory):
    s, app = build_admin_app(settings, tmp_path_factory.mktemp("admin"))
    return s, TestClient(app)


def test_the_token_is_required(admin_env):
    _, client = admin_env
    assert client.get("/admin").status_code == 200
    assert client.get("/admin/api/documents").status_code == 401
    assert client.get("/admin/api/documents", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert len(client.get("/admin/api/documents", headers=AUTH).json()) == 30


def upload(client: TestClient, name: str, **fields: str):  # type: ignore[no-untyped-def]
    with (FIXTURES / name).open("rb") as f:
        return client.post("/admin/api/preview", headers=AUTH, files={"file": (name, f)}, data=fields)


def test_upload_preview_publish_and_the_app_answers_from_it(admin_env):
    s, client = admin_env
    manifest = (s.corpus_dir / "manifest.yaml").read_bytes()
    r = upload(client, "notice_page.html", doc_id="test-rent-2025")
    assert r.status_code == 200
    p = r.json()
    assert (p["action"], p["doc_id"], p["title"]) == ("add", "test-rent-2025", "北京市测试区科技企业房租补贴办法")
    assert [c["locator"] for c in p["clauses"]] == ["印发通知", "第一条", "第二条", "第三条", "第四条"]
    assert "doc_number: 京测科发〔2025〕12号" in p["entry"] and p["review"] == [] and p["noop"] is None
    assert (s.corpus_dir / "manifest.yaml").read_bytes() == manifest  # a preview writes nothing

    before = client.get("/api/health").json()
    r = client.post("/admin/api/publish", headers=AUTH, json={"upload_id": p["upload_id"]})
    assert r.status_code == 200, r.text
    published = r.json()
    assert published["doc_id"] == "test-rent-2025" and published["documents"] == 31
    assert published["index"] == "5 added, 0 updated, 0 deleted, 657 unchanged"
    health = client.get("/api/health").json()
    assert health["documents"] == 31 and health["corpus_version"] != before["corpus_version"]

    answer = client.post("/api/chat", json={"message": "测试区科技企业房租补贴办法规定的房租补贴标准是什么？"}).json()
    assert answer["citations"][0]["doc_id"] == "test-rent-2025"
    assert answer["citations"][0]["locator"] == "第二条"
    assert any("金额规则尚未经人工审核" in w for w in answer["warnings"])

    again = upload(client, "notice_page.html").json()
    assert again["noop"] == "this file is already in the corpus as test-rent-2025"

    r = client.post("/admin/api/retire", headers=AUTH, json={"doc_id": "test-rent-2025", "status": "repealed"})
    assert r.status_code == 200
    answer = client.post("/api/chat", json={"message": "测试区科技企业房租补贴办法规定的房租补贴标准是什么？"}).json()
    assert answer["citations"][0]["status_label"] == "已废止"


def test_uploads_are_checked(admin_env):
    _, client = admin_env
    r = client.post("/admin/api/preview", headers=AUTH, files={"file": ("a.exe", b"MZ")})
    assert r.status_code == 415 and "不支持的文件格式.exe" in r.json()["detail"]
    r = upload(client, "notice_page.html", issued="2025-13-01")
    assert r.status_code == 422 and "填写的内容有误" in r.json()["detail"]
    r = upload(client, "structured_policy.md", region="火星区")
    assert r.status_code == 422 and "unknown place" in r.json()["detail"]
    r = client.post("/admin/api/publish", headers=AUTH, json={"upload_id": "0" * 32})
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("post", "/admin/api/reindex", {}), ("get", "/admin/api/feedback", None), ("get", "/admin/api/documents", None)],
)
@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", TOKEN + "x", "Bearer "])
def test_admin_actions_need_the_bearer_token(admin_env, method, path, body, header):
    _, client = admin_env
    headers = {"Authorization": header} if header is not None else {}
    r = client.request(method, path, headers=headers, json=body)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert r.json() == {"detail": "需要管理令牌（Authorization: Bearer …）"}


def test_reindex_brings_the_index_to_the_corpus_and_rebuilds_it(admin_env):
    _, client = admin_env
    r = client.post("/admin/api/reindex", headers=AUTH, json={})
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["index"].startswith("0 added, 0 updated, 0 deleted, ")
    total = int(done["index"].rsplit(", ", 1)[1].removesuffix(" unchanged"))
    r = client.post("/admin/api/reindex", headers=AUTH, json={"rebuild": True})
    assert r.json()["index"] == f"{total} added, 0 updated, 0 deleted, 0 unchanged"
    answer = client.post("/api/chat", json={"message": "我们在西城，委托机构做专利导航花了80万，能补多少？"}).json()
    assert answer["calculation"]["amount_yuan"] == 240000 and answer["citations"][0]["locator"] == "第五条（二）"


def test_feedback_export(admin_env):
    _, client = admin_env
    question = "我们在西城，委托机构做专利导航花了80万，能补多少？"
    answer = client.post("/api/chat", json={"message": question}).json()
    client.post("/api/feedback", json={"question": question, "answer": answer, "rating": "up", "comment": "准确"})
    raw = client.get("/admin/api/feedback", headers=AUTH).json()
    assert [(f["question"], f["rating"], f["comment"]) for f in raw][-1] == (question, "up", "准确")
    cases = client.get("/admin/api/feedback?as=eval", headers=AUTH).json()
    assert cases[-1]["question"] == question and cases[-1]["expected"]["amount_yuan"] == 240000
    assert client.get("/admin/api/feedback?as=csv", headers=AUTH).status_code == 422
