// The task-level view: tasks as nodes, 'calls' (a call of one task made a call of the other,
// CHILD) and 'feeds' (a result of one task became an argument of the other, UPSTREAM) edges,
// counted over recorded CallNodes, with the last time each was seen; over the calls
// $call_hashes (one execution's call tree) or, when $call_hashes is null, the whole history.
// Params: $call_hashes (list or null).
CALL () {
  WITH $call_hashes AS scope WHERE scope IS NOT NULL
  UNWIND scope AS call_hash
  MATCH (p:CallNode {call_hash: call_hash})-[:CHILD]->(c:CallNode)
  WHERE c.call_hash IN scope
  RETURN p.task_name AS source, 'calls' AS kind, c.task_name AS target, c.timestamp AS seen
  UNION ALL
  WITH $call_hashes AS scope WHERE scope IS NULL
  MATCH (p:CallNode)-[:CHILD]->(c:CallNode)
  RETURN p.task_name AS source, 'calls' AS kind, c.task_name AS target, c.timestamp AS seen
  UNION ALL
  WITH $call_hashes AS scope WHERE scope IS NOT NULL
  UNWIND scope AS call_hash
  MATCH (c:CallNode {call_hash: call_hash})-[:UPSTREAM]->(u:CallNode)
  WHERE u.call_hash IN scope
  RETURN u.task_name AS source, 'feeds' AS kind, c.task_name AS target, c.timestamp AS seen
  UNION ALL
  WITH $call_hashes AS scope WHERE scope IS NULL
  MATCH (c:CallNode)-[:UPSTREAM]->(u:CallNode)
  RETURN u.task_name AS source, 'feeds' AS kind, c.task_name AS target, c.timestamp AS seen
}
RETURN source, kind, target, count(*) AS count, max(seen) AS last_seen
ORDER BY kind, source, target
