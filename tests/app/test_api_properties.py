"""POST /api/chat with random JSON bodies: an answer or a 4xx saying what to send, never a 5xx."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
TURN = st.fixed_dictionaries(
    {"role": st.sampled_from(["user", "assistant", "system", "tool", ""]), "content": st.text(max_size=60) | JSON}
)
BODY = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {"message": st.text(max_size=200)},
        optional={"history": st.lists(TURN, max_size=6) | JSON, "region": st.text(max_size=20) | JSON},
    ),
    st.dictionaries(st.sampled_from(["message", "history", "region", "x"]), JSON, max_size=4),
)


@pytest.fixture(scope="module")
def client(app):
    return TestClient(app, raise_server_exceptions=False)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(BODY)
def test_random_bodies_get_an_answer_or_a_4xx(client, body):
    r = client.post("/api/chat", content=json.dumps(body), headers={"Content-Type": "application/json"})
    assert r.status_code in (200, 400, 422), (r.status_code, r.text[:300])
    payload = r.json()
    if r.status_code == 200:
        assert payload["text"]
    else:
        assert payload["error"] == "invalid_request" and payload["detail"].startswith("请求格式不对")
