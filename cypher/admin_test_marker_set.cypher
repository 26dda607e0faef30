// admin_test_marker_set: mark this database as graphbackend's test database (idempotent).
// Written by the pytest plugin on a database from NEO4J_URI it found empty, so a later
// test run may use (and empty) it again, even after an interrupted run left data in it.
// Parameters: none. A schema command: it runs alone in its transaction.
CREATE INDEX graphbackend_test_marker IF NOT EXISTS
FOR (m:GraphbackendTestMarker) ON (m.created)
