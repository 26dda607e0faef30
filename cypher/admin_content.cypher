// admin_content: everything the database holds, to tell whether it changed (CI's check that
// `make test` leaves the demo's database alone; small databases only).
// Parameters: none. Returns one row: nodes, a list of [element id, labels, properties];
// relationships, a list of [element id, type, start's element id, end's element id,
// properties]; executions, the Execution ids, sorted.
CALL () {
  MATCH (n)
  RETURN collect([elementId(n), labels(n), properties(n)]) AS nodes
}
CALL () {
  MATCH (a)-[r]->(b)
  RETURN collect([elementId(r), type(r), elementId(a), elementId(b), properties(r)]) AS relationships
}
CALL () {
  MATCH (e:Execution)
  WITH e.id AS id ORDER BY id
  RETURN collect(id) AS executions
}
RETURN nodes, relationships, executions
