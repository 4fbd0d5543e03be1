"""The app run with fake secrets: nothing it writes — logs, pages, errors, /openapi.json — contains them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.app.conftest import free_port
from tests.fakellm import FakeOpenAI, text_reply

REPO = Path(__file__).resolve().parents[2]
API_KEY = "sk-test-SECRET-4f9a2c7e1b5d"
ADMIN_TOKEN = "adm-SECRET-93b1d0e8aa17"
SECRETS = [API_KEY, ADMIN_TOKEN, API_KEY[-10:], ADMIN_TOKEN[-10:]]
QUESTION = "我们在西城，委托机构做专利导航花了80万，能补多少？"

pytestmark = pytest.mark.slow


def _env(data: Path, port: int, base_url: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    return keep | {
        "OPENAI_API_KEY": API_KEY,
        "OPENAI_BASE_URL": base_url,
        "POLICY_QA_ADMIN_TOKEN": ADMIN_TOKEN,
        "POLICY_QA_DATA_DIR": str(data),
        "POLICY_QA_TODAY": "2026-11-22",
        "POLICY_QA_PORT": str(port),
        "POLICY_QA_MAX_BODY_BYTES": "4096",
        "POLICY_QA_RELOAD_CHECK_S": "0",
        "HF_HUB_OFFLINE": "1",
        "PYTHONUNBUFFERED": "1",
    }


def _collect(base: str) -> list[str]:
    """Every page and answer a visitor or a careless client can get, including the errors."""
    out: list[str] = []
    with httpx.Client(base_url=base, timeout=120) as http:
        for path in ("/", "/widget", "/widget.js", "/static/chat.js", "/openapi.json", "/docs", "/api/health"):
            out.append(http.get(path).text)
        for path in ("/config", "/gradio_api/config", "/gradio_api/info", "/nowhere", "/admin"):
            r = http.get(path)
            out.append(f"{r.status_code} {r.headers} {r.text}")
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Bearer {ADMIN_TOKEN}"}):
            r = http.get("/admin/api/documents", headers=headers)
            out.append(f"{r.status_code} {r.headers} {r.text}")
        r = http.post("/api/chat", json={"message": QUESTION})
        assert r.status_code == 200, r.text
        out.append(r.text)
        for body in (b"{", b'{"message": 5}', b'{"message": "' + b"x" * 5000 + b'"}'):
            r = http.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
            assert r.status_code in (400, 413, 422)
            out.append(f"{r.status_code} {r.headers} {r.text}")
        r = http.post("/admin/api/reindex", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, json={})
        out.append(f"{r.status_code} {r.text}")
    return out


def test_no_secret_in_anything_the_app_writes(settings, assistant, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(settings.embedding_cache_path, data / "embeddings.sqlite")
    port = free_port()
    with FakeOpenAI() as llm:
        llm.enqueue(text_reply("按第五条（二），可获得24万元后补贴 [C1]。该措施目前是征求意见稿。"))
        proc = subprocess.Popen(
            [sys.executable, "app.py"],
            cwd=REPO,
            env=_env(data, port, llm.base_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.5)  # still starting (building its index from the embedding cache)
            assert proc.poll() is None, proc.communicate()[0][-2000:]
            written = _collect(base)
        finally:
            proc.terminate()
            log, _ = proc.communicate(timeout=60)
        assert llm.authorization and llm.authorization[0] == f"Bearer {API_KEY}"  # the key was in use
    written.append(log)
    written.extend(p.read_text(errors="replace") for p in data.rglob("*.log"))
    leaks = [(s, i) for i, text in enumerate(written) for s in SECRETS if s in text]
    assert leaks == []
    assert "政策问答助手" in log  # the log was captured


def test_a_bad_setting_names_the_setting_not_the_secrets(tmp_path):
    env = _env(tmp_path, 99999, "http://127.0.0.1:9/v1")
    done = subprocess.run(
        [sys.executable, "app.py"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 2
    assert "POLICY_QA_PORT must be a TCP port" in done.stderr
    assert [s for s in SECRETS if s in done.stdout + done.stderr] == []


def test_settings_do_not_show_secrets():
    from assistant.settings import Settings

    s = Settings(OPENAI_API_KEY=API_KEY, POLICY_QA_ADMIN_TOKEN=ADMIN_TOKEN)
    for text in (repr(s), str(s), s.model_dump_json()):
        assert [x for x in SECRETS if x in text] == []
