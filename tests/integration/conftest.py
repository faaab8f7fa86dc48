"""A REAL OpenAI-compatible server on loopback for the integration tests: `transformers serve`
(it ships with transformers) serving the converted embedded model, and a small recording proxy
that can also play a slow server.

The server is started once per run and always stopped (its whole process group, and it dies
with the test process on Linux); a failure to start is a failure with the server's log, never
a skip.
"""

from __future__ import annotations

import ctypes
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from convrec.agent.llm.embedded import embedded_model_dir

START_SECONDS = 180.0  # loading the model takes about 5 s; a busy CI machine, much longer
UPSTREAM_SECONDS = 300.0


@dataclass
class ServedModel:
    """`transformers serve` on 127.0.0.1:`port`; requests name the model by `model`."""

    process: subprocess.Popen
    port: int
    model: str  # the folder path as given to the server (GET /v1/models lists it so)
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def log_text(self) -> str:
        return self.log.read_text("utf-8", errors="replace").replace("\r", "\n")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _dies_with_us() -> Callable[[], None] | None:
    """A preexec_fn that has the server killed when the test process dies, however it dies
    (Linux: PR_SET_PDEATHSIG); looked up here, as the child may only make the call."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    return lambda: prctl(1, int(signal.SIGKILL))


def _stop(process: subprocess.Popen) -> None:
    """Stop the server's process group: SIGTERM, then SIGKILL after 10 s."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/health")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def start_server(folder: Path, log: Path) -> ServedModel:
    """`transformers serve` for `folder` on a free loopback port, once /health answers."""
    command = Path(sys.executable).with_name("transformers")
    if not command.is_file():
        pytest.fail(f"{command} is missing: `transformers serve` ships with transformers; "
                    "reinstall it in this environment (pip install -e '.[dev]')")
    # one torch thread: the test process needs the other core, and two threads fighting for
    # a busy machine's cores generate several times slower than one
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1",
           "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1"}
    for _ in range(3):  # another process may take the free port before the server binds it
        port = _free_port()
        with open(log, "ab") as out:
            process = subprocess.Popen(
                [str(command), "serve", "--host", "127.0.0.1", "--port", str(port),
                 "--device", "cpu", "--log-level", "info", str(folder)],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env,
                start_new_session=True, preexec_fn=_dies_with_us())
        served = ServedModel(process, port, str(folder), log)
        deadline = time.monotonic() + START_SECONDS
        while process.poll() is None and time.monotonic() < deadline:
            if _healthy(port):
                return served
            time.sleep(0.25)
        _stop(process)
        if "address already in use" not in served.log_text():
            break
    tail = "\n".join(served.log_text().splitlines()[-30:])
    how = f"exited with code {process.returncode}" if process.returncode not in (
        None, -signal.SIGTERM, -signal.SIGKILL) else f"did not answer in {START_SECONDS:.0f} s"
    pytest.fail(f"`transformers serve {folder}` {how} (GET http://127.0.0.1:{served.port}"
                f"/health); its log ({log}) ends:\n{tail}")


@pytest.fixture(scope="session")
def served_model(home: Path, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[ServedModel]:
    """The converted embedded model (created as `convrec chat` does on a fresh cache) served
    by `transformers serve` on loopback for the whole run."""
    folder = embedded_model_dir(home)
    served = start_server(folder, tmp_path_factory.mktemp("transformers-serve") / "serve.log")
    try:
        yield served
    finally:
        _stop(served.process)


# --- the proxy ------------------------------------------------------------------------------

@dataclass
class Seen:
    """One request the proxy received (recorded on arrival), and what became of it."""

    method: str
    path: str
    body: dict[str, Any] | None
    status: int | None = None  # the upstream's; None while held, or dropped unanswered


@dataclass
class LoopbackProxy:
    """An HTTP proxy on 127.0.0.1 in front of `upstream` (host, port) that records every
    request; with `delay`, it holds each request that long before forwarding it (a slow
    server). Closing it drops the requests still held, so they never reach the upstream."""

    upstream: tuple[str, int]
    delay: float = 0.0
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._closing = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="loopback-proxy")
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def completions(self, since: int = 0) -> list[Seen]:
        """The chat completion requests seen, from the `since`-th request on."""
        with self._lock:
            return [s for s in self.seen[since:] if s.path.endswith("/chat/completions")]

    def close(self) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LoopbackProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)

    def _forward(self, method: str, path: str, headers: dict[str, str], body: bytes
                 ) -> tuple[int, str, bytes] | None:
        if self.delay and self._closing.wait(self.delay):
            return None
        connection = http.client.HTTPConnection(*self.upstream, timeout=UPSTREAM_SECONDS)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheader("Content-Type", ""), response.read()
        finally:
            connection.close()


def _handler(proxy: LoopbackProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self._relay()

        def do_POST(self) -> None:  # noqa: N802
            self._relay()

        def _relay(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                parsed = json.loads(body) if body else None
            except ValueError:
                parsed = None
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() in ("content-type", "authorization", "accept")}
            seen = Seen(self.command, self.path, parsed)
            proxy._record(seen)
            answer = proxy._forward(self.command, self.path, headers, body)
            if answer is None:
                self.close_connection = True
                return
            status, kind, data = answer
            seen.status = status
            self.send_response(status)
            self.send_header("Content-Type", kind or "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture(scope="session")
def proxy(served_model: ServedModel) -> Iterator[LoopbackProxy]:
    """A recording proxy in front of the served model: what reached the server, and how."""
    with LoopbackProxy(("127.0.0.1", served_model.port)) as recording:
        yield recording


@pytest.fixture
def slow_proxy(served_model: ServedModel) -> Iterator[LoopbackProxy]:
    """A proxy that holds every request 60 s: a server far slower than any backend timeout
    the tests set. Requests still held at the end never reach the real server."""
    with LoopbackProxy(("127.0.0.1", served_model.port), delay=60.0) as slow:
        yield slow
