"""The web layer's limits: request body size, questions per client, time per answer, answers at once.

Every refusal is JSON ``{"detail": <what to do, in Chinese>, "error": <code>, "retry_after": <s>|null}``
with the HTTP status (413, 429, 503, 504) and, where waiting helps, a ``Retry-After`` header. The chat
page shows the same sentences in the conversation.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from fastapi.responses import JSONResponse
from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from pydantic import BaseModel, Field

from assistant.settings import Settings

T = TypeVar("T")
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ErrorBody(BaseModel):
    """What every refused request gets back."""

    detail: str = Field(description="what happened and what to do, for the person asking")
    error: str = Field(description="a stable code: too_large, rate_limited, busy, timeout, invalid_request, …")
    retry_after: int | None = Field(default=None, description="seconds to wait before asking again")


class Refused(Exception):
    """A request turned away; the message is shown to the user as it is."""

    def __init__(self, status: int, error: str, detail: str, retry_after: int | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.error = error
        self.detail = detail
        self.retry_after = retry_after

    def response(self) -> JSONResponse:
        body = ErrorBody(detail=self.detail, error=self.error, retry_after=self.retry_after)
        headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else None
        return JSONResponse(body.model_dump(), status_code=self.status, headers=headers)


def too_large(limit: int) -> Refused:
    return Refused(413, "too_large", f"请求内容过大（上限 {limit // 1024} KB）：请缩短问题或减少附带的对话记录后再试。")


def rate_limited(wait: int) -> Refused:
    return Refused(429, "rate_limited", f"提问太频繁了：请 {wait} 秒后再试。", retry_after=wait)


def busy(wait: int = 5) -> Refused:
    return Refused(503, "busy", f"同时提问的人较多，服务正忙：请 {wait} 秒后再试。", retry_after=wait)


def timed_out(seconds: float) -> Refused:
    return Refused(
        504,
        "timeout",
        f"这个问题 {seconds:g} 秒内没有算完，已停止等待：请把问题问得更具体些（写明地区和政策），或稍后再试。",
    )


class BodyLimit:
    """ASGI middleware: a request body over `max_bytes` is answered 413 before the app reads it."""

    def __init__(self, app: ASGIApp, max_bytes: int, exempt: tuple[str, ...] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        if any(scope["path"].startswith(p) for p in self.exempt):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _send(too_large(self.max_bytes).response(), scope, receive, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                await _send(too_large(self.max_bytes).response(), scope, receive, send)
                return
            more = bool(message.get("more_body"))
        replayed = False

        async def replay() -> MutableMapping[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _send(response: JSONResponse, scope: Scope, receive: Receive, send: Send) -> None:
    await response(scope, receive, send)


class RateLimit:
    """Questions per client address in a moving window (the `limits` library, in memory, per worker)."""

    def __init__(self, spec: str) -> None:
        self.items = [] if spec == "off" else parse_many(spec)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def check(self, client: str) -> None:
        """Count one question of `client`; raise `Refused` (429) when over the limit."""
        for item in self.items:
            if not self._limiter.hit(item, client):
                reset, _ = self._limiter.get_window_stats(item, client)
                raise rate_limited(max(1, math.ceil(reset - time.time())))


class Runner:
    """Answers computed in worker threads: at most `slots` at once (503 beyond), each waited for `timeout_s` (504).

    A slot is given back when its thread finishes, not when the wait gives up, so answers that outlast
    their timeout still count against the limit.
    """

    def __init__(self, slots: int, timeout_s: float) -> None:
        if slots < 1 or timeout_s <= 0:
            raise ValueError("Runner needs at least one slot and a positive timeout")
        self.timeout_s = timeout_s
        self._slots = threading.BoundedSemaphore(slots)
        self._pool = ThreadPoolExecutor(max_workers=slots, thread_name_prefix="answer")

    def _submit(self, fn: Callable[[], T]) -> Future[T]:
        if not self._slots.acquire(blocking=False):
            raise busy()
        try:
            future = self._pool.submit(fn)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        return future

    async def run(self, fn: Callable[[], T]) -> T:
        future = self._submit(fn)
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), self.timeout_s)
        except TimeoutError as e:
            raise timed_out(self.timeout_s) from e

    def run_sync(self, fn: Callable[[], T]) -> T:
        future = self._submit(fn)
        try:
            return future.result(timeout=self.timeout_s)
        except FutureTimeout as e:
            raise timed_out(self.timeout_s) from e


class Protection:
    """The limits of one worker, from settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.rate = RateLimit(settings.rate_limit)
        self.runner = Runner(settings.max_concurrent, settings.request_timeout_s)
