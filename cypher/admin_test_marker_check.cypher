// admin_test_marker_check: does this database carry the test marker of graphbackend's
// pytest plugin? The marker is an index named graphbackend_test_marker (schema, not data:
// emptying the database between tests keeps it, and node counts do not see it).
// Parameters: none. Returns one row: marked (true or false).
SHOW INDEXES YIELD name
WHERE name = 'graphbackend_test_marker'
RETURN count(*) > 0 AS marked
