"""The service's side of the PDFium worker (`pdf_worker`): start it, talk to it within time limits,
restart it when it dies.

Why a process: PDFium allocates whatever a PDF asks for, and a 2 MB file can ask for gigabytes;
only a process of its own can have its memory capped (RLIMIT_AS) and be stopped mid-call. Why one
kept process: starting Python with pypdfium2 costs tens of milliseconds, paid on the first PDF
only; one that dies (a limit hit) is started again on the next PDF. Requests take turns under
one lock: PDFium is not thread-safe, and the worker holds one document at a time.

The worker is started with `subprocess` (fork and exec at once): forking a process that already
runs ONNX Runtime threads, without exec, is unsafe, and multiprocessing's queues and locks need
/dev/shm, which AWS Lambda does not have. Plain pipes carry the requests and the pixels.

Nothing from the worker is trusted: a PDF that took over PDFium may make it say anything, so no
pickle crosses the pipe, and sizes are checked against what was asked before a byte is stored.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import importlib.util
import os
import select
import signal
import subprocess  # nosec B404 - starts our own worker script (no shell, no outside input in its command)
import sys
import threading
import time
from pathlib import Path
from typing import Any, NoReturn

from ocr_core.errors import InvalidImageError, PdfResourceLimitError
from ocr_core.input import pdf_worker
from ocr_core.input.pdf_worker import HEADER, MAX_JSON_BYTES, OUT_OF_MEMORY_EXIT

STARTUP_SECONDS = 30.0
"""Longest a worker may take to start (a cold Lambda reads Python and PDFium from a slow disk)."""
IDLE_RSS_BYTES = 256 * 1024 * 1024
"""A worker this large after closing its document is restarted (caches or the allocator kept it)."""
PIPE_BYTES = 1 << 20
"""Pipe buffer asked for (Linux's default 64 KB makes an 11 MB page take ~180 system calls)."""
WORKER_ENVIRONMENT = ("PATH", "LD_LIBRARY_PATH", "LANG", "LC_ALL", "TZ")
"""All the worker inherits: what starts Python, never the credentials of a Lambda's environment."""
MEMORY_SIGNALS = frozenset({signal.SIGABRT, signal.SIGTRAP, signal.SIGILL, signal.SIGKILL})
"""How a worker dies when an allocation fails: PDFium aborts or traps; the kernel's OOM killer kills."""


class _WorkerGone(Exception):
    """The worker's pipe closed: it died (a limit, a crash) or was stopped."""


class _Timeout(Exception):
    """An answer did not come within the time limit."""


class PdfWorker:
    """The process-wide PDFium worker; `call` and friends must run under `lock`."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._memory = 0
        self._seconds = 0.0
        self._deadline = 0.0
        self.pages_rendered = 0
        """Pages whose pixels this process has read (from every worker it started): for logs and tests."""
        atexit.register(self.stop)

    def start(self, memory_bytes: int, seconds: float) -> None:
        """Be ready for a conversation with these limits: a worker with another memory cap is
        replaced, and one that does not answer a ping (killed from outside) is started again."""
        self._seconds = seconds
        if self._process is not None and self._memory == memory_bytes and self._alive():
            return
        self.stop()
        command = [sys.executable, "-I", pdf_worker.__file__, str(memory_bytes), *_pdfium_paths()]
        self._process = subprocess.Popen(  # nosec B603 - our own script, no shell
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
            close_fds=True,
            env={name: os.environ[name] for name in WORKER_ENVIRONMENT if name in os.environ},
        )
        self._memory = memory_bytes
        for pipe in (self._process.stdin, self._process.stdout):
            assert pipe is not None  # nosec B101 - both were asked for above
            # The system's cap on pipe sizes may be lower: the default size works, only slower.
            with contextlib.suppress(OSError):
                fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        os.set_blocking(self._fd("in"), False)
        ready, _ = self._receive(time.monotonic() + STARTUP_SECONDS, "start")
        if not ready.get("ready"):
            self.stop()
            raise RuntimeError("the PDF worker did not start")

    def _alive(self) -> bool:
        deadline = time.monotonic() + self._seconds
        try:
            self._send(pdf_worker.encode({"op": "ping"}), deadline)
            answer, length = self._receive_raw(deadline)
        except (_WorkerGone, _Timeout, ValueError):
            return False
        return answer.get("pong") is True and length == 0

    @property
    def pid(self) -> int | None:
        """The running worker's process id (None before the first PDF, or after it was stopped)."""
        return None if self._process is None else self._process.pid

    def forget(self) -> None:
        """In a forked child: the worker and its pipes belong to the parent; start afresh."""
        self.lock = threading.Lock()
        self._process = None

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()  # the worker exits at end of input
        try:
            process.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def call(self, request: dict[str, Any], payload: bytes = b"") -> tuple[dict[str, Any], int]:
        """Send one request and wait for its (first) answer; see `send` and `receive`."""
        self.send(request, payload)
        return self.receive(request.get("op", "?"))

    def send(self, request: dict[str, Any], payload: bytes = b"") -> None:
        deadline = time.monotonic() + self._seconds
        try:
            self._send(pdf_worker.encode(request, len(payload)), deadline)
            self._send(payload, deadline)
        except _Timeout:
            self._timed_out()
        except _WorkerGone:
            self._failed(request.get("op", "?"))

    def receive(self, op: str) -> tuple[dict[str, Any], int]:
        """The next answer, within the time limit from now, and the length of the payload that
        follows it (`read_payload` reads a page's)."""
        self._deadline = time.monotonic() + self._seconds
        return self._receive(self._deadline, op)

    def read_payload(self, *views: memoryview) -> None:
        """Read the payload of the last answer into `views`, in order (their sizes add up to its length)."""
        try:
            for view in views:
                self._read_into(view, self._deadline)
        except _Timeout:
            self._timed_out()
        except _WorkerGone:
            self._failed("render")
        self.pages_rendered += 1

    def protocol_error(self) -> InvalidImageError:
        """The worker broke the protocol (only a PDF that took over PDFium could make it): stop it."""
        self.kill()
        return InvalidImageError("the PDF renderer gave an unexpected answer for this PDF")

    def kill(self) -> None:
        if self._process is not None:
            self._process.kill()
        self.stop()

    def _fd(self, which: str) -> int:
        process = self._process
        pipe = None if process is None else (process.stdin if which == "in" else process.stdout)
        if pipe is None:
            raise _WorkerGone
        return pipe.fileno()

    def _receive_raw(self, deadline: float) -> tuple[dict[str, Any], int]:
        header = bytearray(HEADER.size)
        self._read_into(memoryview(header), deadline)
        json_length, payload_length = HEADER.unpack(header)
        if json_length > MAX_JSON_BYTES:
            raise ValueError("an answer longer than any the worker sends")
        text = bytearray(json_length)
        self._read_into(memoryview(text), deadline)
        return pdf_worker.decode_json(bytes(text)), payload_length

    def _receive(self, deadline: float, op: str) -> tuple[dict[str, Any], int]:
        try:
            return self._receive_raw(deadline)
        except _Timeout:
            self._timed_out()
        except _WorkerGone:
            self._failed(op)
        except ValueError as error:  # too long, not JSON, or not an object
            raise self.protocol_error() from error

    def _read_into(self, view: memoryview, deadline: float) -> None:
        got = 0
        while got < len(view):
            fd = self._fd("out")
            _wait(fd, select.POLLIN, deadline)
            count = os.readv(fd, [view[got:]])
            if count == 0:
                raise _WorkerGone
            got += count

    def _send(self, data: bytes, deadline: float) -> None:
        view = memoryview(data)
        while view:
            fd = self._fd("in")
            try:
                _wait(fd, select.POLLOUT, deadline)
                view = view[os.write(fd, view) :]
            except BlockingIOError:
                continue
            except BrokenPipeError:
                raise _WorkerGone from None

    def _timed_out(self) -> NoReturn:
        self.kill()
        raise PdfResourceLimitError(
            f"the PDF needs more than {self._seconds:g} s for one step of rendering (a page, a font or "
            "an image too complex to draw); it was stopped"
        )

    def _failed(self, op: str) -> NoReturn:
        """The worker died during `op`: say why, from how it ended."""
        process = self._process
        returncode = None
        if process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                returncode = process.wait(timeout=5.0)
        self.kill()
        if returncode == OUT_OF_MEMORY_EXIT or (returncode is not None and -returncode in MEMORY_SIGNALS):
            raise PdfResourceLimitError(
                f"the PDF needs more than {self._memory // (1024 * 1024)} MB of memory to render (a "
                "content stream, image, font or object that inflates far beyond its size)"
            )
        if returncode is not None and returncode < 0:
            raise InvalidImageError("the PDF is damaged in a way that stops the PDF renderer")
        raise RuntimeError(f"the PDF worker ended during {op!r} with status {returncode}")

    def idle(self, answer: dict[str, Any]) -> None:
        """After a conversation: restart a worker that kept a large share of what it borrowed."""
        rss_kb = answer.get("rss_kb")
        if not isinstance(rss_kb, int) or rss_kb * 1024 > IDLE_RSS_BYTES:
            self.stop()


def _wait(fd: int, event: int, deadline: float) -> None:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _Timeout
    poller = select.poll()
    poller.register(fd, event)
    if not poller.poll(remaining * 1000):
        raise _Timeout


def _pdfium_paths() -> list[str]:
    """Where pypdfium2 (and its raw bindings) are installed: the worker runs isolated (-I), without
    the parent's PYTHONPATH, and a Lambda package keeps its libraries outside site-packages."""
    paths: list[str] = []
    for name in ("pypdfium2", "pypdfium2_raw"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            folder = str(Path(spec.origin).parent.parent)
            if folder not in paths:
                paths.append(folder)
    return paths


WORKER = PdfWorker()
"""The one worker of this process."""
os.register_at_fork(after_in_child=WORKER.forget)
