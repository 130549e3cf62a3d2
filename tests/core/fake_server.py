"""A tiny OpenAI-compatible HTTP server on 127.0.0.1 for failure tests: it really answers over HTTP,
but with whatever a test asks for (garbage text, a hang, a 429)."""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _handler(mode: str, seen: list, owned_by: str | None):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def do_GET(self):  # the model list; llama-cpp-python's server says owned_by "me"
            seen.append({"method": "GET", "path": self.path, "headers": dict(self.headers)})
            if owned_by is None or not self.path.endswith("/models"):
                self.send_error(404)
                return
            body = json.dumps({"object": "list", "data": [
                {"id": "fake", "object": "model", "owned_by": owned_by, "permissions": []}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            seen.append({"method": "POST", "path": self.path, "headers": dict(self.headers),
                         "body": self.rfile.read(length).decode()})
            if mode == "hang":
                time.sleep(5)
            if mode == "slow":  # busy for a second, then garbage (for load balancing)
                time.sleep(1)
            if mode == "rate-limit":
                body = json.dumps({"error": {"message": "Rate limit reached", "type": "rate_limit"}}).encode()
                self.send_response(429)
            elif mode == "server-error":
                body = json.dumps({"error": {"message": "Internal server error", "type": "server_error"}}).encode()
                self.send_response(500)
            elif mode == "auth-echo":  # a careless server quoting the credentials it refused
                key = self.headers.get("Authorization", "")
                body = json.dumps({"error": {"message": f"Incorrect API key provided: {key}", "type": "invalid_request_error",
                                             "code": "invalid_api_key"}}).encode()
                self.send_response(401)
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
def fake_openai_server(mode: str, owned_by: str | None = None):
    """Yields (api_base, requests_seen). mode: 'garbage' | 'slow' | 'hang' | 'rate-limit' |
    'server-error' (500) | 'auth-echo' (401 whose message repeats the Authorization header). With `owned_by`,
    GET /v1/models lists one model owned by that name (else 404)."""
    seen: list = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(mode, seen, owned_by))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", seen
    finally:
        server.shutdown()
        server.server_close()
