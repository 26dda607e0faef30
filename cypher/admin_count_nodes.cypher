// admin_count_nodes: how many nodes the database holds, besides graphbackend's SchemaVersion,
// and how many relationships (tools use it to refuse to empty or fill a database that holds
// data). Both come from Neo4j's count store.
// Parameters: none. Returns one row: nodes, relationships.
CALL () {
  MATCH (n)
  WHERE NOT n:SchemaVersion
  RETURN count(n) AS nodes
}
CALL () {
  MATCH ()-[r]->()
  RETURN count(r) AS relationships
}
RETURN nodes, relationships
