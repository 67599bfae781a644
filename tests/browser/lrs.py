"""A real Learning Record Store for the xAPI tests: Ralph (PyPI ralph-malph, its filesystem
backend) on 127.0.0.1, started from its own data folder, and a loopback stub that plays the rest
of a cmi5 LMS: the fetch URL (the session's auth token), LMS.LaunchData (Ralph has no State API)
and the package's files, forwarding /xapi/statements to Ralph."""

from __future__ import annotations

import base64
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from .support import LOCAL_HOST

USER, PASSWORD = "course", "secret"
XAPI_HEADERS = {"X-Experience-API-Version": "1.0.3"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCAL_HOST, 0))
        return sock.getsockname()[1]


class Ralph:
    """Ralph's LRS server in a subprocess, with one user (basic auth, all scopes)."""

    def __init__(self, folder: Path) -> None:
        import bcrypt

        self.folder = folder
        (folder / "fs").mkdir(parents=True)
        hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
        user = {"username": USER, "hash": hashed, "scopes": ["all"], "agent": {"mbox": "mailto:lrs@example.org"}}
        (folder / "auth.json").write_text(json.dumps([user]), encoding="utf-8")
        self.port = free_port()
        self.url = f"http://{LOCAL_HOST}:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Ralph:
        env = {
            **os.environ,
            "RALPH_APP_DIR": str(self.folder / "app"),
            "RALPH_AUTH_FILE": str(self.folder / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder / "fs"),
        }
        command = [sys.executable, str(Path(__file__).with_name("ralph_server.py")), LOCAL_HOST, str(self.port)]
        log = open(self.folder / "ralph.log", "wb")  # noqa: SIM115 - the server writes to it while it runs
        self.process = subprocess.Popen(command, cwd=self.folder, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # wait for the server to answer, not a fixed time
            if self.process.poll() is not None:
                raise RuntimeError("Ralph stopped:\n" + (self.folder / "ralph.log").read_text(errors="replace"))
            try:
                requests.get(f"{self.url}/__heartbeat__", timeout=1)
                return self
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("Ralph did not start within 60 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def statements(self, registration: str) -> list[dict[str, Any]]:
        """Every statement of a registration, oldest first (by the time the learner acted)."""
        response = requests.get(
            f"{self.url}/xAPI/statements",
            params={"registration": registration, "limit": 500},
            auth=(USER, PASSWORD),
            headers=XAPI_HEADERS,
            timeout=10,
        )
        response.raise_for_status()
        return sorted(response.json()["statements"], key=lambda s: s["timestamp"])


class _StubHandler(http.server.SimpleHTTPRequestHandler):
    server: CmiStub

    def __init__(self, request, client_address, server) -> None:  # noqa: ANN001
        super().__init__(request, client_address, server, directory=str(server.root))

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def _json(self, status: int, data: Any) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        path = urlsplit(self.path)
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}
        headers.update(XAPI_HEADERS)
        response = requests.request(
            self.command,
            f"{self.server.ralph.url}/xAPI/statements",
            params=parse_qs(path.query),
            data=body,
            headers=headers,
            timeout=10,
        )
        self.server.posted.append((self.command, response.status_code))
        self.send_response(response.status_code)
        self.send_header("Content-Type", response.headers.get("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(response.content)))
        self.end_headers()
        self.wfile.write(response.content)

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        path = urlsplit(self.path).path
        if path == "/fetch":
            token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            self._json(200, {"auth-token": token})
        elif path.rstrip("/") == "/xapi/statements":
            self._forward()
        else:
            self._json(404, {"error": "not here"})

    def do_PUT(self) -> None:  # noqa: N802
        if urlsplit(self.path).path.rstrip("/") == "/xapi/statements":
            self._forward()
        else:
            self._json(404, {"error": "not here"})

    def do_GET(self) -> None:  # noqa: N802
        path = urlsplit(self.path)
        query = parse_qs(path.query)
        if path.path == "/xapi/activities/state" and query.get("stateId") == ["LMS.LaunchData"]:
            self._json(200, self.server.launch_data)
        elif path.path == "/xapi/agents/profile" and query.get("profileId") == ["cmi5LearnerPreferences"]:
            self._json(200, {"languagePreference": "en-US", "audioPreference": "on"})
        elif path.path.startswith("/xapi/statements"):
            self._forward()
        elif path.path.startswith("/xapi/"):
            self._json(404, {"error": "no such document"})
        else:
            super().do_GET()


class CmiStub(http.server.ThreadingHTTPServer):
    """The loopback stand-in for a cmi5 LMS, serving ``root`` (the unzipped package)."""

    daemon_threads = True

    def __init__(self, root: Path, ralph: Ralph) -> None:
        self.root = root
        self.ralph = ralph
        self.launch_data: dict[str, Any] = {}
        self.posted: list[tuple[str, int]] = []
        super().__init__((LOCAL_HOST, 0), _StubHandler)
        self.url = f"http://{LOCAL_HOST}:{self.server_port}"
        self._thread = threading.Thread(target=self.serve_forever, name="cmi5-stub", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
