// Delete up to $limit nodes (with their relationships); returns how many.
// Used by tests and admin tools to empty the database while keeping the schema
// (constraints, indexes and the SchemaVersion node).
MATCH (n)
WHERE NOT n:SchemaVersion
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
