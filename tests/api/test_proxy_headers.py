"""`kringloop serve` trusts no forwarded header unless told to (outside probe, finding 4).

A real server in a subprocess, with a registration limit of 3 per client: 6 requests from 127.0.0.1
with a rotating X-Forwarded-For are one client by default (429 after 3); with `--proxy-headers` the
proxy's forwarded addresses count (every request is a different client).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from _state_env import env_for, private_build

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(env: dict[str, str], *flags: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port), *flags],
                               cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode()[-2000:])
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start")


def _statuses(url: str) -> list[int]:
    body = {"profile": {"name": "Proxytest"}, "groups": ["cop-monitoring"]}
    return [httpx.post(f"{url}/api/v1/registrations", json=body, timeout=30,
                       headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(6)]


@pytest.mark.parametrize(("flags", "limited"), [((), True), (("--proxy-headers",), False)],
                         ids=["default-trusts-no-forwarded-header", "proxy-headers-opt-in"])
def test_forwarded_headers_count_only_when_the_operator_says_so(build_dir: Path, tmp_path: Path,
                                                                 flags: tuple, limited: bool) -> None:
    build = private_build(build_dir, tmp_path / "build")
    env = {**os.environ, **env_for(build, tmp_path / "var"), "KRINGLOOP_EMBEDDING_MODEL": "hashing",
           "KRINGLOOP_RATE_LIMITS": json.dumps({"registrations": [0.001, 3]})}
    process, url = _serve(env, *flags)
    try:
        statuses = _statuses(url)
    finally:
        process.terminate()
        process.wait(20)
    if limited:
        assert statuses[:3] == [201] * 3 and 429 in statuses[3:]
    else:
        assert statuses == [201] * 6


def test_allowed_proxy_addresses_need_proxy_headers() -> None:
    result = subprocess.run([sys.executable, "-m", "api.cli", "serve", "--forwarded-allow-ips", "10.0.0.1"],
                            cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "--proxy-headers" in result.stderr
