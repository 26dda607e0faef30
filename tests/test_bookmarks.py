"""Causal chaining: every session of a Graph shares one bookmark manager, so a read
starts after this process's own writes (on a cluster, a follower waits for them).
The local test server is single-instance: what is checked here is that the
bookmarks chain, not a follower's wait."""

from __future__ import annotations


def test_bookmarks_chain_from_a_write_to_the_next_read(backend, monkeypatch):
    graph = backend.graph
    driver = graph.driver
    real_session = driver.session
    sessions = []

    def spy(**config):
        session = real_session(**config)
        sessions.append((config, session))
        return session

    monkeypatch.setattr(driver, "session", spy)
    graph.write_tx(lambda tx: tx.run_text("CREATE (:BookmarkProbe)"))
    (write_config, write_session), = sessions
    manager = write_config.get("bookmark_manager")
    assert manager is graph.bookmark_manager
    written = set(write_session.last_bookmarks().raw_values)
    assert written and written <= set(manager.get_bookmarks())

    count = graph.read_tx(lambda tx: tx.run_text("MATCH (p:BookmarkProbe) RETURN count(p) AS n"))[0]["n"]
    assert count == 1
    read_config, read_session = sessions[1]
    assert read_config.get("bookmark_manager") is manager  # the read started after `written`
    # and the read's own bookmark follows on: the manager holds the newest one
    assert set(read_session.last_bookmarks().raw_values) <= set(manager.get_bookmarks())
