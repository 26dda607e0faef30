"""The local server's safe defaults (issue 14, item 6), against real server processes.

- a home's first start without ``NEO4J_PASSWORD`` generates a random password, kept
  in ``<home>/password`` (0600) and read by graphbackend's clients; the old published
  default no longer works;
- the home and everything Neo4j writes in it are private to their owner;
- Bolt's WebSocket accepts any ``Origin`` (Neo4j 5.26 has no setting to refuse one):
  the password is what stops a web page, which these tests check over a raw WebSocket;
- ``--tls``: Bolt over TLS only, a self-signed certificate, ``bolt+ssc://`` clients.
"""

from __future__ import annotations

import base64
import os
import socket
import ssl
import stat
import struct
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import neo4j
import pytest

from graphbackend import Neo4jBackend
from graphbackend.server.local import LocalServer, free_port, make_private
from graphbackend.settings import DEFAULT_PASSWORD, ConnectionSettings, local_server_password

FOREIGN_ORIGIN = "http://attacker.example"


def _cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "graphbackend.cli", *args],
        capture_output=True, text=True, env=env, timeout=400,
    )


def _env_without_password(**extra):
    env = {key: value for key, value in os.environ.items() if key not in ("NEO4J_PASSWORD", "NEO4J_URI")}
    env.update(extra)
    return env


def _private(path: Path) -> bool:
    return path.lstat().st_mode & 0o077 == 0


def _wait_unlocked():
    # Neo4j locks the user for 5 s (dbms.security.auth_lock_time) after 3 failed logins
    # (dbms.security.auth_max_failed_attempts); tests that fail a login wait it out.
    time.sleep(5.5)


# Bolt over a raw WebSocket, as a web page in a local browser would speak it --------------


def _ws_frame(payload: bytes) -> bytes:
    mask = os.urandom(4)
    size = len(payload)
    head = bytes([0x82]) + (bytes([0x80 | size]) if size < 126 else bytes([0x80 | 126]) + struct.pack(">H", size))
    return head + mask + bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))


def _exact(sock, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise EOFError("connection closed")
        data += chunk
    return data


def _ws_read(sock) -> bytes:
    _, second = _exact(sock, 2)
    size = second & 0x7F
    if size == 126:
        size = struct.unpack(">H", _exact(sock, 2))[0]
    elif size == 127:
        size = struct.unpack(">Q", _exact(sock, 8))[0]
    return _exact(sock, size)


def _packstream_string(text: str) -> bytes:
    data = text.encode()
    assert len(data) < 256
    return (bytes([0x80 | len(data)]) if len(data) < 16 else bytes([0xD0, len(data)])) + data


def websocket_bolt_login(port: int, origin: str, password: str, use_tls: bool = False):
    """Upgrade to a WebSocket with ``origin``, speak Bolt 4.4 and log in as neo4j.

    Returns (the HTTP status line of the upgrade, the Bolt reply: "SUCCESS" or the
    failure's code).
    """
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    if use_tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        sock = context.wrap_socket(sock)
    with sock:
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall((
            f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n"
        ).encode())
        response = b""
        while b"\r\n\r\n" not in response:
            try:
                chunk = sock.recv(4096)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                break
            response += chunk
        status_line = response.split(b"\r\n", 1)[0].decode()
        if " 101 " not in status_line:
            return status_line, None
        sock.sendall(_ws_frame(b"\x60\x60\xb0\x17" + struct.pack(">I", 0x0404) + b"\x00" * 12))
        assert _ws_read(sock) == struct.pack(">I", 0x0404)
        fields = {"user_agent": "web-page/1", "scheme": "basic", "principal": "neo4j", "credentials": password}
        hello = bytes([0xB1, 0x01, 0xA0 | len(fields)]) + b"".join(
            _packstream_string(k) + _packstream_string(v) for k, v in fields.items())
        sock.sendall(_ws_frame(struct.pack(">H", len(hello)) + hello + b"\x00\x00"))
        reply = _ws_read(sock)
        signature = reply[3]
        if signature == 0x70:
            return status_line, "SUCCESS"
        assert signature == 0x7F, reply
        code_at = reply.index(b"Neo.")
        return status_line, reply[code_at:].split(b"\x87", 1)[0].decode("ascii", "replace")


# A server whose home was first started without NEO4J_PASSWORD -----------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    home = tmp_path_factory.mktemp("safety") / "home"
    bolt, http = free_port(), free_port()
    result = _cli("server", "start", "--home", str(home), "--bolt-port", str(bolt), "--http-port", str(http),
                  "--heap", "512m", "--page-cache", "64m", env=_env_without_password())
    assert result.returncode == 0, result.stderr + result.stdout
    server = LocalServer.at(home)
    try:
        yield server, result.stdout
    finally:
        _cli("server", "stop", "--home", str(home))


def test_first_start_generates_a_private_password(generated):
    server, output = generated
    password = server.stored_password()
    assert password and len(password) >= 24 and password != DEFAULT_PASSWORD
    assert stat.S_IMODE(server.password_file.stat().st_mode) == 0o600
    # start says where the password is, never the password itself
    assert str(server.password_file) in output
    assert password not in output
    printed = _cli("server", "password", "--home", str(server.home), env=_env_without_password())
    assert printed.returncode == 0 and printed.stdout.strip() == password


def test_clients_read_the_generated_password(generated):
    server, _ = generated
    environ = {"GRAPHBACKEND_SERVER_HOME": str(server.home)}
    settings = ConnectionSettings.resolve(uri=server.bolt_uri, environ=environ)
    assert settings.password == server.stored_password()
    backend = Neo4jBackend(uri=server.bolt_uri, environ=environ)
    try:
        backend.load(migrate=True)
    finally:
        backend.close()
    # and the command line, with nothing but the home in the environment
    result = _cli("log", "--uri", server.bolt_uri, env=_env_without_password(GRAPHBACKEND_SERVER_HOME=str(server.home)))
    assert result.returncode == 0, result.stderr


def test_published_default_password_no_longer_works(generated):
    server, _ = generated
    with neo4j.GraphDatabase.driver(server.bolt_uri, auth=("neo4j", DEFAULT_PASSWORD)) as driver:
        with pytest.raises(neo4j.exceptions.AuthError):
            driver.verify_connectivity()
    _wait_unlocked()


def test_home_data_and_logs_are_private(generated):
    server, _ = generated
    assert stat.S_IMODE(server.home.stat().st_mode) == 0o700
    for part in ("data", "data/databases/system", "data/databases/neo4j", "data/transactions/neo4j", "logs"):
        assert (server.home / part).is_dir(), part
    exposed = [str(path) for path in [server.home, *server.home.rglob("*")] if not _private(path)]
    assert exposed == []


def test_web_page_origin_is_not_refused_but_needs_the_password(generated):
    """Neo4j 5.26 accepts a Bolt WebSocket from any Origin: only the password stops a page."""
    server, _ = generated
    status, reply = websocket_bolt_login(server.bolt_port, FOREIGN_ORIGIN, DEFAULT_PASSWORD)
    assert " 101 " in status  # no Origin check in Neo4j: the upgrade succeeds
    assert reply == "Neo.ClientError.Security.Unauthorized"
    _wait_unlocked()
    # with the password a page could act as its user: that is why the password is random and private
    status, reply = websocket_bolt_login(server.bolt_port, FOREIGN_ORIGIN, server.stored_password())
    assert reply == "SUCCESS"


def test_browser_port_sends_its_own_origin_in_cors(generated):
    server, _ = generated
    request = urllib.request.Request(server.browser_url, headers={"Origin": FOREIGN_ORIGIN})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Access-Control-Allow-Origin"] == f"http://127.0.0.1:{server.http_port}"


# Without a server ---------------------------------------------------------------------------


def test_password_resolution_order(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    environ = {"GRAPHBACKEND_SERVER_HOME": str(home)}
    local = "bolt://127.0.0.1:7999"
    # a home first started before passwords were generated: the old default still applies
    assert ConnectionSettings.resolve(uri=local, environ=environ).password == DEFAULT_PASSWORD
    (home / "password").write_text("generated-secret-123\n")
    assert ConnectionSettings.resolve(uri=local, environ=environ).password == "generated-secret-123"
    assert ConnectionSettings.resolve(uri="bolt+ssc://localhost:7999", environ=environ).password == "generated-secret-123"
    # NEO4J_PASSWORD (even empty: no auth) and arguments win; other hosts never get the file
    assert ConnectionSettings.resolve(uri=local, environ={**environ, "NEO4J_PASSWORD": "mine"}).password == "mine"
    assert ConnectionSettings.resolve(uri=local, environ={**environ, "NEO4J_PASSWORD": ""}).password == ""
    assert ConnectionSettings.resolve(uri=local, password="arg", environ=environ).password == "arg"
    assert local_server_password("bolt://db.example.org:7687", environ) == DEFAULT_PASSWORD


def test_default_home_matches_between_server_and_clients(tmp_path, monkeypatch):
    from graphbackend.server.local import default_home

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("GRAPHBACKEND_SERVER_HOME", raising=False)
    default_home().mkdir(parents=True)
    (default_home() / "password").write_text("found-it-1234\n")
    assert local_server_password("bolt://127.0.0.1:7687", dict(os.environ)) == "found-it-1234"


def test_make_private_tightens_an_old_home(tmp_path):
    home = tmp_path / "old"
    (home / "data" / "databases").mkdir(parents=True)
    store = home / "data" / "databases" / "neostore"
    store.write_text("x")
    os.chmod(home, 0o755)
    os.chmod(home / "data", 0o755)
    os.chmod(store, 0o644)
    make_private(home)
    assert [p for p in [home, *home.rglob("*")] if not _private(p)] == []
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


def test_password_command_without_a_started_home(tmp_path):
    result = _cli("server", "password", "--home", str(tmp_path / "never"), env=_env_without_password())
    assert result.returncode == 1
    assert "has not been started yet" in result.stderr and "Traceback" not in result.stderr


# --tls ------------------------------------------------------------------------------------


TLS_PASSWORD = "tls-test-password"


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("tls") / "home"
    bolt, http = free_port(), free_port()
    env = dict(_env_without_password(), NEO4J_PASSWORD=TLS_PASSWORD)
    result = _cli("server", "start", "--tls", "--home", str(home), "--bolt-port", str(bolt),
                  "--http-port", str(http), "--heap", "512m", "--page-cache", "64m", env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert f"bolt+ssc://127.0.0.1:{bolt}" in result.stdout
    assert f"https://127.0.0.1:{http}/browser/" in result.stdout
    server = LocalServer.at(home)
    try:
        yield server
    finally:
        _cli("server", "stop", "--home", str(home))


def test_tls_clients_connect_with_bolt_ssc(tls_server):
    assert tls_server.bolt_uri.startswith("bolt+ssc://")
    backend = Neo4jBackend(uri=tls_server.bolt_uri, password=TLS_PASSWORD, environ={})
    try:
        backend.load(migrate=True)
    finally:
        backend.close()
    with neo4j.GraphDatabase.driver(tls_server.bolt_uri, auth=("neo4j", TLS_PASSWORD)) as driver:
        records, _, _ = driver.execute_query(
            "SHOW SETTINGS YIELD name, value WHERE name = 'server.bolt.tls_level' RETURN value", database_="system")
        assert records[0]["value"] == "REQUIRED"
    key = tls_server.home / "certificates" / "bolt" / "private.key"
    assert key.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    certificate = ssl.get_server_certificate(("127.0.0.1", tls_server.bolt_port))
    assert certificate.strip() == tls_server.certificate_file.read_text().strip()


def test_tls_refuses_plain_bolt(tls_server):
    plain = f"bolt://127.0.0.1:{tls_server.bolt_port}"
    with neo4j.GraphDatabase.driver(plain, auth=("neo4j", TLS_PASSWORD), connection_timeout=10,
                                    max_transaction_retry_time=1) as driver:
        with pytest.raises(neo4j.exceptions.ServiceUnavailable):
            driver.verify_connectivity()
    # a plain WebSocket (Browser's ws://) is refused too; wss:// works
    origin = f"https://127.0.0.1:{tls_server.http_port}"
    status, reply = websocket_bolt_login(tls_server.bolt_port, origin, TLS_PASSWORD)
    assert reply is None and " 101 " not in status
    status, reply = websocket_bolt_login(tls_server.bolt_port, origin, TLS_PASSWORD, use_tls=True)
    assert reply == "SUCCESS"


def test_tls_port_answers_an_https_get_so_browsers_can_accept_the_certificate(tls_server):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(f"https://127.0.0.1:{tls_server.bolt_port}/", context=context, timeout=30) as response:
        assert response.status == 200  # an empty page: enough for a browser to show the certificate


def test_neo4j_browser_connects_over_tls(tls_server, tmp_path):
    """Neo4j Browser, served over HTTPS, logs in over bolt+s:// (wss) once the certificate is accepted."""
    chromium = os.environ.get("GRAPHBACKEND_CHROMIUM", "/usr/bin/chromium")
    if os.environ.get("GRAPHBACKEND_SKIP_BROWSER_TESTS") == "1":
        pytest.skip("GRAPHBACKEND_SKIP_BROWSER_TESTS=1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # ignore_https_errors stands for the user accepting the self-signed certificate once
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=chromium, headless=True, ignore_https_errors=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        try:
            page = context.new_page()
            assert tls_server.browser_url.startswith("https://")
            page.goto(tls_server.browser_url)
            page.locator('[data-testid="bolt-scheme-select"]').select_option("bolt+s://")
            page.locator('[data-testid="boltaddress"]').fill(f"127.0.0.1:{tls_server.bolt_port}")
            page.locator('[data-testid="username"]').fill("neo4j")
            page.locator('[data-testid="password"]').fill(TLS_PASSWORD)
            page.locator('[data-testid="connect"]').click()
            page.get_by_text("You are connected as user").wait_for(timeout=90000)
            # the style came over HTTPS from the server itself (browser.post_connect_cmd)
            page.get_by_text("node.CallNode").first.wait_for(timeout=60000)
        finally:
            context.close()
