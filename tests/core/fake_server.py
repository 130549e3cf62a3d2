"""A tiny OpenAI-compatible HTTP server on 127.0.0.1 for failure tests: it really answers over HTTP,
but with whatever a test asks for (garbage text, a hang, a 429)."""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _handler(mode: str, seen: list):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            seen.append({"headers": dict(self.headers), "body": self.rfile.read(length).decode()})
            if mode == "hang":
                time.sleep(5)
            if mode == "rate-limit":
                body = json.dumps({"error": {"message": "Rate limit reached", "type": "rate_limit"}}).encode()
                self.send_response(429)
            else:
                content = "I cannot follow that format, sorry! ### nothing useful here"
                body = json.dumps({
                    "id": "x", "object": "chat.completion", "created": 0, "model": "fake",
                    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }).encode()
                self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except BrokenPipeError:
                pass

    return Handler


@contextmanager
def fake_openai_server(mode: str):
    """Yields (api_base, requests_seen). mode: 'garbage' | 'hang' | 'rate-limit'."""
    seen: list = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(mode, seen))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", seen
    finally:
        server.shutdown()
        server.server_close()
