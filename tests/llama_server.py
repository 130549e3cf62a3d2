"""The project's own `python -m llama_cpp.server` with the bundled model, on 127.0.0.1 and a free
port, for end-to-end tests and benchmarks. Always stopped on exit."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MODEL_ALIAS = "smollm2"


@dataclass
class LlamaServer:
    base: str  # the OpenAI-compatible api base, http://127.0.0.1:PORT/v1
    startup_s: float
    log: Path

    def chat_requests(self) -> int:
        """Chat completions answered so far (from the server's access log)."""
        return len(re.findall(r'"POST /v1/chat/completions HTTP/1\.1" 200', self.log.read_text(errors="replace")))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def llama_server(threads: int | None = None, timeout: float = 120.0) -> Iterator[LlamaServer]:
    """Start the server (n_ctx 8192, `threads` llama.cpp threads, default the embedded LM's) and
    wait until it lists its model."""
    from hyperalign.core.embedded import embedded_threads, model_path

    port = free_port()
    threads = threads or embedded_threads()
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model_path()), "--model_alias", MODEL_ALIAS,
           "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "8192", "--n_threads", str(threads),
           "--n_threads_batch", str(threads)]
    with tempfile.TemporaryDirectory(prefix="llama-server-") as tmp:
        log_path = Path(tmp) / "server.log"
        # The log goes to a file: an unread pipe fills up and blocks the server.
        with open(log_path, "w") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True)
        start = time.perf_counter()
        base = f"http://127.0.0.1:{port}/v1"
        try:
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"llama_cpp.server exited with {proc.returncode}: {log_path.read_text()[-500:]}")
                try:
                    with urllib.request.urlopen(base + "/models", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.perf_counter() - start > timeout:
                    raise TimeoutError(f"llama_cpp.server not ready after {timeout} s")
                time.sleep(0.2)
            yield LlamaServer(base, round(time.perf_counter() - start, 2), log_path)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
