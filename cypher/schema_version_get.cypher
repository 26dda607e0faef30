// The schema version recorded in the graph (no row when the graph is new).
MATCH (s:SchemaVersion {name: 'graphbackend'})
RETURN s.version AS version
