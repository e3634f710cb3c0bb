"""Issue 7, item 2: kill a generation run mid-batch, rerun, and lose nothing.

A child process generates plans and dialogues against the local stub server and is killed (SIGKILL, no
chance to clean up) once part of its responses are cached. A rerun on the same cache asks the server only
for what is missing and produces exactly the output of an uninterrupted run with the same seed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from llm_fixtures import make_samples, make_tools
from openai_stub_server import Faults, StubServer

from toolflow_assets.generation.backend import make_generator

HERE = Path(__file__).resolve().parent
N_SAMPLES, SEED = 6, 3
OPTIONS = dict(timeout_seconds=10.0, max_retries=2, concurrency=2)

CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, {here!r})
    from llm_fixtures import make_samples, make_tools
    from toolflow_assets.generation.backend import make_generator
    tools = make_tools()
    gen = make_generator("openai", model="stub-model", base_url={url!r}, cache_dir={cache!r}, **{options!r})
    plans = gen.plan_many(make_samples(tools, {n}), tools, {seed})
    gen.generate_many([p.plan for p in plans if p.plan], tools, {seed})
    print("finished", flush=True)
""")


def _run(url: str, cache: Path):
    tools = make_tools()
    gen = make_generator("openai", model="stub-model", base_url=url, cache_dir=str(cache), **OPTIONS)
    plans = gen.plan_many(make_samples(tools, N_SAMPLES), tools, SEED)
    dialogues = gen.generate_many([p.plan for p in plans if p.plan], tools, SEED)
    return json.dumps([p.model_dump() for p in plans] + [d.model_dump() for d in dialogues], sort_keys=True)


def test_a_killed_run_resumes_from_its_cache_and_matches_an_uninterrupted_run(tmp_path):
    with StubServer(Faults(latency=0.02)) as server:
        reference = _run(server.base_url, tmp_path / "reference")
        full_cost = server.request_count

    # The crashed run talks to a slower server, so a busy machine still gets to kill it mid-batch.
    with StubServer(Faults(latency=0.1)) as server:
        cache = tmp_path / "crashed"
        code = CHILD.format(here=str(HERE), url=server.base_url, cache=str(cache), options=OPTIONS, n=N_SAMPLES,
                            seed=SEED)
        child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                                 env={**os.environ, "PYTHONPATH": str(HERE.parents[1])})
        try:
            deadline = time.monotonic() + 600
            while len(list(cache.rglob("*.json"))) < full_cost // 3:
                assert child.poll() is None, "the child finished before it could be killed"
                assert time.monotonic() < deadline, "the child made no progress"
                time.sleep(0.01)
            os.kill(child.pid, signal.SIGKILL)
        finally:
            if child.poll() is None:
                os.kill(child.pid, signal.SIGKILL)  # also when an assertion above failed
            child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL
        kept = list(cache.rglob("*.json"))
        assert 0 < len(kept) < full_cost
        for path in kept:
            json.loads(path.read_text())  # every committed response is whole

        # Count answered requests only: the killed child's in-flight requests are logged by the server
        # as "abandoned" whenever it notices, which may be during the rerun.
        before = server.success_counts()
        resumed = _run(server.base_url, cache)
        resume_cost = sum((server.success_counts() - before).values())

    assert resumed == reference
    assert resume_cost <= full_cost - len(kept)  # nothing already paid for is asked again
