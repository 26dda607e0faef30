// Record the schema version; never lowers a newer version written by another process.
MERGE (s:SchemaVersion {name: 'graphbackend'})
ON CREATE SET s.version = $version, s.created = datetime()
ON MATCH SET s.version = CASE WHEN s.version < $version THEN $version ELSE s.version END
SET s.updated = datetime()
RETURN s.version AS version
