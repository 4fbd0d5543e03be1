"""A Chroma server (CHROMA_HOST mode) that goes away: a clear message, then answers again when it is back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.app.conftest import free_port

CHROMA = Path(sys.executable).parent / "chroma"
PATENT = "我们在西城，委托机构做专利导航花了80万，能补多少？"
pytestmark = pytest.mark.slow


class ChromaServer:
    """`chroma run` on a free local port over a folder; stopped and started again on the same port."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = os.environ | {"ANONYMIZED_TELEMETRY": "False"}
        cmd = [str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)]
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "chroma run exited"
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)  # still starting
        pytest.fail("the Chroma server did not start in 120 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)


@pytest.fixture
def chroma(tmp_path) -> Iterator[ChromaServer]:
    if not CHROMA.exists():
        pytest.skip(f"no chroma binary at {CHROMA} (pip install chromadb)")
    server = ChromaServer(tmp_path / "chroma-server")
    server.start()
    yield server
    server.stop()


def test_the_server_going_away_gives_a_clear_message_and_answers_resume(settings, assistant, chroma, tmp_path):
    from app import create_app
    from assistant.service import build_assistant

    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(settings.embedding_cache_path, data / "embeddings.sqlite")
    s = settings.model_copy(
        update={"data_dir": data, "chroma_host": "127.0.0.1", "chroma_port": chroma.port, "reload_check_s": 0.0}
    )
    client = TestClient(create_app(s, build_assistant(s, progress=False)))
    assert client.get("/api/health").json()["index"] == "server"
    assert client.post("/api/chat", json={"message": PATENT}).json()["calculation"]["amount_yuan"] == 240000

    chroma.stop()
    r = client.post("/api/chat", json={"message": PATENT})
    assert r.status_code == 503 and r.headers["Retry-After"] == "30"
    assert r.json() == {
        "detail": "暂时无法回答：检索服务暂时不可用（Chroma 服务器没有响应）。请稍后再试。",
        "error": "unavailable",
        "retry_after": 30,
    }

    chroma.start()
    r = client.post("/api/chat", json={"message": PATENT})
    assert r.status_code == 200 and r.json()["calculation"]["amount_yuan"] == 240000
