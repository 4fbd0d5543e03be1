"""A real server for the web tests: the app on one port, a third-party host page on another."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import uvicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def app(assistant, settings, tmp_path_factory):
    from app import create_app

    data = tmp_path_factory.mktemp("appdata")
    s = settings.model_copy(update={"data_dir": data})
    return create_app(s, assistant)


@contextmanager
def serve(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app on a free local port, in a thread, for as long as the block runs."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    with serve(app) as url:
        yield url


@pytest.fixture(scope="session")
def host_page(live_server) -> Iterator[str]:
    """Another origin's page that embeds the widget with one <script> line."""
    html = (
        "<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>园区服务台</title></head>"
        "<body><h1>某园区企业服务台</h1><p>欢迎咨询。</p>"
        f'<script src="{live_server}/widget.js" data-title="政策助手" data-region="西城区" async></script>'
        "</body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{port}/"
    server.shutdown()
