"""Connection errors against the real server: wrong password, closed port, bad URI."""

import socket

import pytest
from executions import start_execution

from graphbackend import Neo4jAuthError, Neo4jBackend, Neo4jUnavailableError
from graphbackend.settings import ConnectionSettings, redact_uri

SECRET = "s3cret-Pa55word-never-shown"


def _closed_port() -> int:
    """A loopback port nothing listens on (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_wrong_password_is_auth_error(neo4j_server):
    backend = Neo4jBackend(uri=neo4j_server.uri, user=neo4j_server.user, password=SECRET,
                           database=neo4j_server.database)
    with pytest.raises(Neo4jAuthError) as info:
        backend.load()
    message = str(info.value)
    assert neo4j_server.uri in message
    assert repr(neo4j_server.user) in message
    assert SECRET not in message
    assert SECRET not in repr(info.value)
    backend.close()


def test_unreachable_server_names_uri_not_password():
    uri = f"bolt://127.0.0.1:{_closed_port()}"
    backend = Neo4jBackend(uri=uri, password=SECRET, environ={})
    with pytest.raises(Neo4jUnavailableError) as info:
        backend.load()
    message = str(info.value)
    assert uri in message
    assert "cannot reach" in message
    assert SECRET not in message
    # The driver's error is not chained in (it could carry connection details).
    assert info.value.__cause__ is None


def test_unreachable_server_on_first_query_too():
    """Not only load(): any first use of the graph gives the same clear error."""
    uri = f"neo4j://127.0.0.1:{_closed_port()}"
    backend = Neo4jBackend(uri=uri, password=SECRET, environ={})
    with pytest.raises(Neo4jUnavailableError, match="cannot reach"):
        backend.get_job("no-such-job")


# (Not "bolt://": the driver reads it as localhost:7687, where a real server may listen.)
@pytest.mark.parametrize("uri", ["neo4j+x://localhost", "http//missing-colon", "bolt://:no-port"])
def test_invalid_uri_is_clear(uri):
    backend = Neo4jBackend(uri=uri, password=SECRET, environ={})
    with pytest.raises(Neo4jUnavailableError) as info:
        backend.load()
    assert SECRET not in str(info.value)
    assert "Neo4j" in str(info.value)


def test_credentials_in_uri_are_redacted():
    uri = f"bolt://neo4j:{SECRET}@127.0.0.1:{_closed_port()}"
    backend = Neo4jBackend(uri=uri, password="x", environ={})
    with pytest.raises(Neo4jUnavailableError) as info:
        backend.load()
    assert SECRET not in str(info.value)
    assert redact_uri(uri) == uri.replace(f"neo4j:{SECRET}@", "")


def test_missing_database_is_clear(neo4j_server):
    backend = Neo4jBackend(uri=neo4j_server.uri, user=neo4j_server.user,
                           password=neo4j_server.password, database="nosuchdb")
    with pytest.raises(Neo4jUnavailableError, match="no database 'nosuchdb'"):
        backend.load()


def test_settings_precedence_and_time_limits():
    env = {
        "NEO4J_URI": "bolt://env:1",
        "NEO4J_USERNAME": "envuser",
        "NEO4J_PASSWORD": SECRET,
        "NEO4J_CONNECTION_TIMEOUT": "3",
    }
    config = {"neo4j_uri": "bolt://config:2", "neo4j_max_retry_time": "7"}
    settings = ConnectionSettings.resolve(config=config, environ=env)
    assert settings.uri == "bolt://config:2"
    assert settings.user == "envuser"
    assert settings.password == SECRET
    assert settings.connection_timeout == 3.0
    assert settings.max_retry_time == 7.0
    assert SECRET not in repr(settings)
    assert ConnectionSettings.resolve(uri="bolt://arg:3", config=config, environ=env).uri == (
        "bolt://arg:3"
    )
    driver_config = settings.driver_config()
    assert driver_config["connection_timeout"] == 3.0
    assert driver_config["max_transaction_retry_time"] == 7.0
    with pytest.raises(ValueError, match="neo4j_connection_timeout"):
        ConnectionSettings.resolve(connection_timeout=-1, environ={})


def test_right_credentials_connect(backend):
    assert backend.get_job("no-such-job") is None
    start_execution(backend, "exec-conn", ["x"])
    assert backend.graph.read_tx(
        lambda tx: tx.run_text("MATCH (e:Execution) RETURN count(e) AS n")
    )[0]["n"] == 1


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "https://example.org", "127.0.0.1:7687"])
def test_a_non_bolt_uri_names_the_schemes_to_use(uri):
    """An http:// URI (Browser's address) used to end in the driver's raw ClientError "Not Found"."""
    backend = Neo4jBackend(uri=uri, password=SECRET, environ={})
    with pytest.raises(Neo4jUnavailableError, match=r"over Bolt; use one of bolt://.*neo4j\+ssc://"):
        backend.load()
