"""Throughput of the project's LLM client against a bare httpx + asyncio client (issue 7, item 3).

Starts a local OpenAI-compatible server (a separate process, asyncio, HTTP/1.1 keep-alive) that answers
every `POST /v1/chat/completions` after a fixed latency, then sends the same batch of distinct requests
through (a) the project's `LLMClient` (openai package, retries, rate limiter, disk cache writing every
response) and (b) a bare `httpx.AsyncClient`, at each concurrency, and prints requests per second.
With a fixed latency L and concurrency C the ceiling is C / L requests per second.

    python benchmarks/llm_throughput.py                      # 200 ms, concurrency 8 32 128
    python benchmarks/llm_throughput.py --latency 0.2 --concurrency 8 32 128 --requests-per-slot 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# --------------------------------------------------------------------------------------------- server

_COMPLETION = {
    "id": "chatcmpl-bench", "object": "chat.completion", "created": 0, "model": "bench",
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}],
    "usage": {"prompt_tokens": 12, "completion_tokens": 1, "total_tokens": 13},
}


async def _serve_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, latency: float) -> None:
    body = json.dumps(_COMPLETION).encode()
    head = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + str(len(body)).encode() + b"\r\n\r\n")
    try:
        while True:
            header = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in header.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await reader.readexactly(length)
            await asyncio.sleep(latency)
            writer.write(head + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _serve(latency: float) -> None:
    server = await asyncio.start_server(lambda r, w: _serve_connection(r, w, latency), "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


def start_server(latency: float) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, __file__, "--serve", "--latency", str(latency)],
                               stdout=subprocess.PIPE, text=True)
    port = int(process.stdout.readline())
    return process, f"http://127.0.0.1:{port}/v1"


# -------------------------------------------------------------------------------------------- clients


def _payload(index: int) -> dict:
    return {"messages": [{"role": "system", "content": "You are terse."},
                         {"role": "user", "content": f"Request number {index}: say ok."}]}


def run_bare(base_url: str, concurrency: int, n: int) -> tuple[float, float]:
    import httpx

    async def main() -> tuple[float, float]:
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
            slots = asyncio.Semaphore(concurrency)

            async def one(index: int) -> None:
                async with slots:
                    response = await client.post("/chat/completions", json={"model": "bench", **_payload(index)},
                                                 headers={"Authorization": "Bearer sk-no-key"})
                    response.raise_for_status()
                    response.json()

            await asyncio.gather(*(one(i) for i in range(concurrency)))  # warm the connections
            started, cpu = time.perf_counter(), time.process_time()
            await asyncio.gather(*(one(i) for i in range(n)))
            return n / (time.perf_counter() - started), (time.process_time() - cpu) / n * 1000

    return asyncio.run(main())


def run_project(base_url: str, concurrency: int, n: int, cache_dir: str) -> tuple[float, float]:
    from toolflow_assets.llm.client import LLMClient, LLMSettings

    client = LLMClient(LLMSettings(model="bench", base_url=base_url, concurrency=concurrency,
                                   timeout_seconds=30, cache_dir=cache_dir))
    result: dict[str, float] = {}

    async def main() -> None:
        # Warm the connections with requests outside the timed batch (distinct, so not cached).
        await asyncio.gather(*(client.chat(_payload(-1 - i)) for i in range(concurrency)))
        started, cpu = time.perf_counter(), time.process_time()
        answers = await asyncio.gather(*(client.chat(_payload(i)) for i in range(n)))
        result["rate"] = n / (time.perf_counter() - started)
        result["cpu_ms"] = (time.process_time() - cpu) / n * 1000
        assert all(a.content == "ok" and not a.cached for a in answers)

    client.run(main)
    return result["rate"], result["cpu_ms"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=0.2, help="server latency in seconds (default 0.2)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32, 128])
    parser.add_argument("--requests-per-slot", type=int, default=5,
                        help="requests per concurrency slot in each timed batch (default 5: 40, 160, 640)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.latency))
        return

    # Import the project client once, before timing (the openai package is slow to import).
    from toolflow_assets.llm.client import LLMClient  # noqa: F401

    process, base_url = start_server(args.latency)
    rows = []
    try:
        for concurrency in args.concurrency:
            n = concurrency * args.requests_per_slot
            with tempfile.TemporaryDirectory() as cache_dir:
                project = run_project(base_url, concurrency, n, cache_dir)
            bare = run_bare(base_url, concurrency, n)
            rows.append((concurrency, n, concurrency / args.latency, bare, project))
    finally:
        process.terminate()
        process.wait(timeout=10)

    print(f"\nLLM client throughput, server latency {args.latency * 1000:.0f} ms "
          f"({os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
    print(f"{'concurrency':>11} {'requests':>8} {'ceiling/s':>10} {'bare httpx/s':>13} {'project/s':>10} "
          f"{'project/bare':>13} {'bare CPU ms/req':>16} {'project CPU ms/req':>19}")
    for concurrency, n, ceiling, (bare, bare_cpu), (project, project_cpu) in rows:
        print(f"{concurrency:>11} {n:>8} {ceiling:>10.0f} {bare:>13.1f} {project:>10.1f} {project / bare:>12.0%} "
              f"{bare_cpu:>16.2f} {project_cpu:>19.2f}")


if __name__ == "__main__":
    main()
