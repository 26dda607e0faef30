// Which executions, jobs, call nodes and values have an id starting with $prefix
// (`graphbackend show ID`; uses the key constraints' range indexes).
// Params: $prefix (string), $limit (int).
CALL () {
  MATCH (e:Execution) WHERE e.id STARTS WITH $prefix RETURN 'execution' AS kind, e.id AS id
  UNION
  MATCH (j:Job) WHERE j.id STARTS WITH $prefix RETURN 'job' AS kind, j.id AS id
  UNION
  MATCH (c:CallNode) WHERE c.call_hash STARTS WITH $prefix RETURN 'call' AS kind, c.call_hash AS id
  UNION
  MATCH (v:Value) WHERE v.value_hash STARTS WITH $prefix RETURN 'value' AS kind, v.value_hash AS id
}
RETURN kind, id
LIMIT $limit
