// Which executions, jobs, call nodes, tasks and values have an id starting with $prefix
// (`graphbackend show ID`, `tag add ID`; uses the key constraints' range indexes).
// Tasks are Values too: they come back once, as 'task'.
// Params: $prefix (string), $limit (int).
CALL () {
  MATCH (e:Execution) WHERE e.id STARTS WITH $prefix RETURN 'execution' AS kind, e.id AS id
  UNION
  MATCH (j:Job) WHERE j.id STARTS WITH $prefix RETURN 'job' AS kind, j.id AS id
  UNION
  MATCH (c:CallNode) WHERE c.call_hash STARTS WITH $prefix RETURN 'call' AS kind, c.call_hash AS id
  UNION
  MATCH (v:Value) WHERE v.value_hash STARTS WITH $prefix
  RETURN CASE WHEN v:Task THEN 'task' ELSE 'value' END AS kind, v.value_hash AS id
}
RETURN kind, id
LIMIT $limit
