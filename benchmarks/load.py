"""Load and soak tests of the web app on this machine (loopback only, bounded, stopping by themselves).

    python -m benchmarks.load load [--clients 50] [--requests 40] [--out docs/benchmarks.md]
    python -m benchmarks.load soak [--minutes 5] [--clients 4] [--out docs/benchmarks.md]

Each run starts `app.py` as its own process on a free 127.0.0.1 port (over POLICY_QA_DATA_DIR, whose index
it reuses), sends POST /api/chat with the dev suite's questions, and stops it. `load`: every client sends
its requests one after another, all clients at once; errors are any answer but 200. `soak`: clients ask
without pause for the given time while the server's resident memory (RSS) is sampled. The server runs
with the rate limit off and one answer slot per client (what a deployment sized for that load would set).
Not part of the pytest run.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO / "evals" / "suites" / "dev.jsonl"
HOST = "127.0.0.1"  # loopback only
MAX_RUN_S = 20 * 60  # no run goes on longer than this, whatever its arguments


def questions() -> list[str]:
    out = []
    for line in SUITE.read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            out.append(case["turns"][-1] if case.get("turns") else case["question"])
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class Server:
    """app.py in its own process on a free loopback port."""

    def __init__(self, clients: int) -> None:
        self.port = _free_port()
        self.url = f"http://{HOST}:{self.port}"
        env = os.environ | {
            "POLICY_QA_HOST": HOST,
            "POLICY_QA_PORT": str(self.port),
            "POLICY_QA_RATE_LIMIT": "off",
            "POLICY_QA_MAX_CONCURRENT": str(clients),
            "POLICY_QA_RELOAD_CHECK_S": "0",
            "OPENAI_API_KEY": "",
            "HF_HUB_OFFLINE": "1",
        }
        self.proc = subprocess.Popen(
            [sys.executable, "app.py"], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def wait_ready(self, timeout_s: float = 600) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"app.py exited with {self.proc.returncode} before it was ready")
            try:
                if httpx.get(self.url + "/api/health", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.5)
        raise SystemExit(f"app.py was not ready after {timeout_s:.0f} s")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


async def _client(
    http: httpx.AsyncClient, qs: list[str], offset: int, count: int | None, until: float, out: list[tuple[int, float]]
) -> None:
    i = 0
    while (count is None or i < count) and time.monotonic() < until:
        q = qs[(offset + i) % len(qs)]
        start = time.perf_counter()
        try:
            r = await http.post("/api/chat", json={"message": q, "history": []})
            status = r.status_code
        except httpx.HTTPError:
            status = -1
        out.append((status, time.perf_counter() - start))
        i += 1


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _run(url: str, clients: int, count: int | None, seconds: float) -> tuple[list[tuple[int, float]], float]:
    qs = questions()
    out: list[tuple[int, float]] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
        start = time.perf_counter()
        until = time.monotonic() + seconds
        await asyncio.gather(*(_client(http, qs, c * 7, count, until, out) for c in range(clients)))
        return out, time.perf_counter() - start


def load(clients: int, requests: int) -> str:
    server = Server(clients)
    try:
        server.wait_ready()
        asyncio.run(_run(server.url, 2, 5, 60))  # warm up
        results, wall = asyncio.run(_run(server.url, clients, requests, MAX_RUN_S))
    finally:
        server.stop()
    ok = [t * 1000 for s, t in results if s == 200]
    errors = len(results) - len(ok)
    by_status: dict[int, int] = {}
    for s, _ in results:
        by_status[s] = by_status.get(s, 0) + 1
    return (
        f"{clients} concurrent clients × {requests} requests = {len(results)} requests to POST /api/chat "
        f"in {wall:.1f} s ({len(results) / wall:.1f} requests/s); errors: {errors} "
        f"(statuses {dict(sorted(by_status.items()))}); latency p50 {statistics.median(ok):.0f} ms, "
        f"p95 {_pct(ok, 95):.0f} ms, max {max(ok):.0f} ms."
    )


def soak(minutes: float, clients: int) -> str:
    server = Server(clients)
    samples: list[tuple[float, float]] = []
    try:
        server.wait_ready()
        asyncio.run(_run(server.url, clients, 20, 120))  # warm up: caches and arenas fill first
        start_rss = server.rss_mb()
        start = time.monotonic()
        results: list[tuple[int, float]] = []

        async def sample() -> None:
            while time.monotonic() - start < minutes * 60:
                samples.append((time.monotonic() - start, server.rss_mb()))
                await asyncio.sleep(10)

        async def both() -> None:
            seconds = min(minutes * 60, MAX_RUN_S)
            got, _ = await asyncio.gather(_run(server.url, clients, None, seconds), sample())
            results.extend(got[0])

        asyncio.run(both())
        end_rss = server.rss_mb()
    finally:
        server.stop()
    ok = sum(1 for s, _ in results if s == 200)
    peak = max(r for _, r in samples) if samples else end_rss
    half = [r for t, r in samples if t >= minutes * 30]
    second_half = f"{max(half) - min(half):.1f} MB" if half else "n/a"
    return (
        f"{minutes:g} minutes, {clients} clients without pause: {len(results)} requests, "
        f"{len(results) - ok} errors. Server RSS after warm-up {start_rss:.1f} MB, at the end {end_rss:.1f} MB "
        f"(growth {end_rss - start_rss:+.1f} MB, {100 * (end_rss - start_rss) / start_rss:+.1f}%), "
        f"peak {peak:.1f} MB; spread over the second half {second_half}; sampled every 10 s."
    )


def _append(out: Path, title: str, text: str) -> None:
    machine = f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores"
    section = f"\n## {title} ({dt.date.today().isoformat()}, {machine})\n\n{text}\n"
    with out.open("a", encoding="utf-8") as f:
        f.write(section)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_load = sub.add_parser("load", help="concurrent clients, a fixed number of requests each")
    p_load.add_argument("--clients", type=int, default=50)
    p_load.add_argument("--requests", type=int, default=40)
    p_soak = sub.add_parser("soak", help="clients without pause for a while; memory sampled")
    p_soak.add_argument("--minutes", type=float, default=5.0)
    p_soak.add_argument("--clients", type=int, default=4)
    for p in (p_load, p_soak):
        p.add_argument("--out", type=Path, help="append the figures to this Markdown file")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 200:
        parser.error("--clients must be 1–200")
    if args.cmd == "load":
        if not 1 <= args.requests <= 1000:
            parser.error("--requests must be 1–1000")
        title, text = "Load: POST /api/chat", load(args.clients, args.requests)
    else:
        if not 0 < args.minutes <= 15:
            parser.error("--minutes must be in (0, 15]")
        title, text = "Soak: memory over time", soak(args.minutes, args.clients)
    print(text)
    if args.out:
        _append(args.out, title, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
