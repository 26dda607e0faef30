// admin_count_nodes: how many nodes the database holds, besides graphbackend's SchemaVersion
// (tools use it to refuse to empty a database that holds data).
// Parameters: none. Returns one row: nodes.
MATCH (n)
WHERE NOT n:SchemaVersion
RETURN count(n) AS nodes
