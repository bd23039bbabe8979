"""The real local server (`uvicorn handler.local:app`) in a subprocess, on a free loopback port.

Used by the page tests (`tests/web/harness.py`) and by `make load` (`bench/load.py`). The
server's output goes to a log file, so a server that exits, never gets ready, or dies under
load can say why (`log_tail`).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
APP = "handler.local:app"
START_TIMEOUT_S = 90.0
"""Longest wait for the server to answer; its first import of FastAPI and the engine takes seconds."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def local_server(
    app: str = APP,
    env: Mapping[str, str] | None = None,
    log_path: Path | None = None,
    ready_path: str = "/health",
    uvicorn_args: Sequence[str] = (),
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run `uvicorn <app>`; yield (base URL, process) once `ready_path` answers 200; always stop it.

    Output goes to `log_path` (kept), else to a temporary file (removed afterwards).
    """
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *uvicorn_args,
    ]
    with contextlib.ExitStack() as stack:
        if log_path is None:
            log_path = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "server.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = stack.enter_context(log_path.open("wb"))
        process = subprocess.Popen(
            command, cwd=REPO, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_ready(f"{base_url}{ready_path}", process, log_path)
            yield base_url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def log_tail(log_path: Path, chars: int = 4000) -> str:
    return log_path.read_text(encoding="utf-8", errors="replace")[-chars:]


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the local server exited with {process.returncode}:\n{log_tail(log_path)}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise TimeoutError(
        f"the local server did not answer {url} within {START_TIMEOUT_S} s:\n{log_tail(log_path)}"
    )
