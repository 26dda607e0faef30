"""Connection settings and the shared command-line options (``graphbackend.settings``), without a server."""

import argparse

import pytest

from graphbackend.settings import (
    DEFAULT_DATABASE,
    DEFAULT_PASSWORD,
    DEFAULT_URI,
    DEFAULT_USER,
    ConnectionSettings,
    add_connection_options,
    connection_from_args,
    redact_uri,
    redun_backend_config,
)


def test_defaults_are_the_local_server(tmp_path):
    # A server home without a generated password file (the real default home may have one).
    settings = ConnectionSettings.resolve(environ={"GRAPHBACKEND_SERVER_HOME": str(tmp_path)})
    assert (settings.uri, settings.user, settings.password, settings.database) == (
        DEFAULT_URI, DEFAULT_USER, DEFAULT_PASSWORD, DEFAULT_DATABASE,
    )


def test_precedence_arguments_config_environment():
    env = {"NEO4J_URI": "bolt://env:1", "NEO4J_USERNAME": "envuser", "NEO4J_PASSWORD": "envpw",
           "NEO4J_DATABASE": "envdb"}
    config = {"neo4j_uri": "bolt://config:2", "neo4j_user": "configuser", "neo4j_password": "never-read"}
    settings = ConnectionSettings.resolve(config=config, environ=env)
    assert settings.uri == "bolt://config:2" and settings.user == "configuser"
    assert settings.database == "envdb"
    assert settings.password == "envpw"  # the password comes from the environment only
    explicit = ConnectionSettings.resolve(uri="bolt://arg:3", config=config, environ=env)
    assert explicit.uri == "bolt://arg:3"


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_bad_time_limits_are_clear_errors(value):
    with pytest.raises(ValueError, match="neo4j_connection_timeout must be a"):
        ConnectionSettings.resolve(config={"neo4j_connection_timeout": value}, environ={})


def test_redact_uri():
    assert redact_uri("bolt://user:secret@host:7687") == "bolt://host:7687"
    assert redact_uri("bolt://host:7687") == "bolt://host:7687"
    assert "secret" not in ConnectionSettings(uri="neo4j://u:secret@h").safe_uri


def test_password_is_never_printed():
    assert "graphbackend" not in repr(ConnectionSettings())


def _parse(argv):
    parser = argparse.ArgumentParser()
    add_connection_options(parser)
    return parser.parse_args(argv)


def test_connection_options_are_shared_and_have_no_password():
    args = _parse(["--uri", "bolt://x:1", "--user", "u", "--database", "d"])
    assert (args.uri, args.user, args.database) == ("bolt://x:1", "u", "d")
    with pytest.raises(SystemExit):
        _parse(["--password", "p"])


def test_connection_from_args_reads_the_redun_config(tmp_path, monkeypatch):
    config_dir = tmp_path / ".redun"
    config_dir.mkdir()
    (config_dir / "redun.ini").write_text(
        "[backend]\nneo4j_uri = bolt://from-config:7001\nneo4j_database = configdb\nvalue_store_path = values\n"
    )
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    monkeypatch.delenv("REDUN_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path / ".redun")  # found upwards from the working directory, as redun does
    settings = connection_from_args(_parse([]))
    assert (settings.uri, settings.database) == ("bolt://from-config:7001", "configdb")
    # Options win over the config; --redun-config names another folder.
    assert connection_from_args(_parse(["--uri", "bolt://opt:1"])).uri == "bolt://opt:1"
    other = tmp_path / "other"
    other.mkdir()
    (other / "redun.ini").write_text("[backend]\nneo4j_uri = bolt://other:7002\n")
    assert connection_from_args(_parse(["--redun-config", str(other)])).uri == "bolt://other:7002"
    config = redun_backend_config(str(config_dir))
    assert config is not None and config["config_dir"] == str(config_dir)


def test_no_redun_config_means_environment_and_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REDUN_CONFIG", raising=False)
    monkeypatch.setenv("NEO4J_URI", "bolt://env:9")
    assert redun_backend_config(str(tmp_path / "missing")) is None
    assert connection_from_args(_parse(["--redun-config", str(tmp_path / "missing")])).uri == "bolt://env:9"
