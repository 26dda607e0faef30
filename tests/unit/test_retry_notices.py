"""The driver's retry notices go to graphbackend's debug log, not the user's terminal."""

from __future__ import annotations

import logging

import graphbackend.backend.graph  # noqa: F401  (installs the filter)


def test_retry_warnings_become_graphbackend_debug_messages(caplog):
    caplog.set_level(logging.DEBUG)
    driver_log = logging.getLogger("neo4j.session")
    driver_log.warning("Transaction failed and will be retried in %ss (%s)", 1.2, "DeadlockDetected")
    driver_log.warning("something else went wrong")
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in warnings] == ["something else went wrong"]
    debug = [r for r in caplog.records if r.name == "graphbackend" and r.levelno == logging.DEBUG]
    assert len(debug) == 1 and "will be retried in 1.2s (DeadlockDetected)" in debug[0].getMessage()
