"""Test-wide guards: no network except loopback, user data in a temporary directory."""

from __future__ import annotations

import socket

import pytest

_LOOPBACK = ("127.", "localhost", "::1", "0.0.0.0")
_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address, *args, **kwargs):  # type: ignore[no-untyped-def]
    host = address[0] if isinstance(address, tuple) else str(address)
    if self.family == socket.AF_UNIX or str(host).startswith(_LOOPBACK):
        return _real_connect(self, address, *args, **kwargs)
    raise RuntimeError(f"tests must not reach the network (tried {host})")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


REPO = __import__("pathlib").Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def settings():
    """Settings for tests: an index under data/test (reused between runs), a fixed today, no LLM."""
    from assistant.settings import Settings

    return Settings(
        POLICY_QA_DATA_DIR=REPO / "data" / "test",
        POLICY_QA_TODAY="2026-11-22",
        OPENAI_API_KEY="",
        OPENAI_BASE_URL="",
        CHROMA_HOST="",
        POLICY_QA_RATE_LIMIT="off",  # the limits have their own tests (tests/app/test_limits.py)
    )


@pytest.fixture(scope="session")
def assistant(settings):
    """The real assistant over the real corpus (the index is built on first use: slow once)."""
    from assistant.service import build_assistant

    return build_assistant(settings, progress=False)
