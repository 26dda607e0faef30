"""The local Neo4j launcher (``graphbackend server``), against real server processes."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request

import neo4j
import pytest

from graphbackend.server.local import LocalServer, ServerError, free_port, port_is_open

PASSWORD = "server-test-pw"


def _cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "graphbackend.cli", *args],
        capture_output=True, text=True, env=env, timeout=300,
    )


@pytest.fixture(scope="module")
def server_home(tmp_path_factory):
    return tmp_path_factory.mktemp("server-home")


@pytest.fixture(scope="module")
def ports():
    return free_port(), free_port()


@pytest.fixture(scope="module")
def running(server_home, ports):
    """A server started through the CLI, as a user would."""
    env = dict(os.environ, NEO4J_PASSWORD=PASSWORD)
    result = _cli("server", "start", "--home", str(server_home),
                  "--bolt-port", str(ports[0]), "--http-port", str(ports[1]), env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert f"bolt://127.0.0.1:{ports[0]}" in result.stdout
    assert f"http://127.0.0.1:{ports[1]}/browser/" in result.stdout
    yield LocalServer.at(server_home)
    _cli("server", "stop", "--home", str(server_home))


def test_status_reports_running(running, server_home):
    result = _cli("server", "status", "--home", str(server_home))
    assert result.returncode == 0
    assert result.stdout.startswith("running")
    assert running.bolt_uri in result.stdout


def test_bolt_query_and_browser(running):
    with neo4j.GraphDatabase.driver(running.bolt_uri, auth=("neo4j", PASSWORD)) as driver:
        records, _, _ = driver.execute_query("RETURN 40 + 2 AS answer")
        assert records[0]["answer"] == 42
    with urllib.request.urlopen(running.browser_url, timeout=30) as response:
        assert response.status == 200
        assert "<title>Neo4j Browser</title>" in response.read().decode()


def test_listens_on_loopback_only(running):
    with neo4j.GraphDatabase.driver(running.bolt_uri, auth=("neo4j", PASSWORD)) as driver:
        records, _, _ = driver.execute_query(
            "SHOW SETTINGS YIELD name, value WHERE name IN "
            "['server.bolt.listen_address', 'server.http.listen_address', 'dbms.usage_report.enabled'] "
            "RETURN name, value", database_="system")
    settings = {record["name"]: record["value"] for record in records}
    assert settings["server.bolt.listen_address"].startswith("127.0.0.1:")
    assert settings["server.http.listen_address"].startswith("127.0.0.1:")
    assert settings["dbms.usage_report.enabled"] == "false"


def test_wrong_password_is_rejected(running):
    with neo4j.GraphDatabase.driver(running.bolt_uri, auth=("neo4j", "not-the-password")) as driver:
        with pytest.raises(neo4j.exceptions.AuthError):
            driver.verify_connectivity()


def test_port_in_use_is_a_clear_error(running, tmp_path):
    other = LocalServer(home=tmp_path / "other", bolt_port=running.bolt_port, http_port=free_port(),
                        password=PASSWORD)
    with pytest.raises(ServerError, match=rf"Bolt port 127.0.0.1:{running.bolt_port} is already in use"):
        other.start()


def test_second_start_of_the_same_home_is_refused(running):
    with pytest.raises(ServerError, match="already runs"):
        LocalServer(home=running.home, bolt_port=free_port(), http_port=free_port()).start()


def test_data_survives_a_restart(running, server_home, ports):
    with neo4j.GraphDatabase.driver(running.bolt_uri, auth=("neo4j", PASSWORD)) as driver:
        driver.execute_query("CREATE (:RestartProbe {n: 7})")
    stopped = _cli("server", "stop", "--home", str(server_home))
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    assert not port_is_open(ports[0])
    status = _cli("server", "status", "--home", str(server_home))
    assert status.returncode == 3 and status.stdout.startswith("not running")

    # The password was set on the first start only: the next start keeps it.
    again = _cli("server", "start", "--home", str(server_home), "--bolt-port", str(ports[0]),
                 "--http-port", str(ports[1]), env=dict(os.environ, NEO4J_PASSWORD="ignored-now"))
    assert again.returncode == 0, again.stderr
    with neo4j.GraphDatabase.driver(running.bolt_uri, auth=("neo4j", PASSWORD)) as driver:
        records, _, _ = driver.execute_query("MATCH (p:RestartProbe) RETURN p.n AS n")
        assert [record["n"] for record in records] == [7]


def test_missing_java_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(ServerError, match="java is not installed"):
        LocalServer(home=tmp_path / "home", bolt_port=free_port(), http_port=free_port()).start()


def test_unusable_data_directory_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(ServerError, match="is not usable"):
        LocalServer(home=blocker / "home", bolt_port=free_port(), http_port=free_port()).start()


def test_stop_and_status_when_not_running(tmp_path):
    result = _cli("server", "status", "--home", str(tmp_path))
    assert result.returncode == 3 and "not running" in result.stdout
    result = _cli("server", "stop", "--home", str(tmp_path))
    assert result.returncode == 0 and "no Neo4j server is running" in result.stdout
