// Neo4j Browser: the task-level view of the whole history: which task calls which (CHILD
// between their calls) and which feeds which (a result became an argument, UPSTREAM), with
// how many recorded calls and when last seen. A table: Neo4j Community has no virtual
// relationships without the APOC plugin, and a stored projection would go stale.
MATCH (p:CallNode)-[:CHILD]->(c:CallNode)
RETURN p.task_name AS from_task, 'calls' AS edge, c.task_name AS to_task,
       count(*) AS calls, max(c.timestamp) AS last_seen
UNION ALL
MATCH (c:CallNode)-[:UPSTREAM]->(u:CallNode)
RETURN u.task_name AS from_task, 'feeds' AS edge, c.task_name AS to_task,
       count(*) AS calls, max(c.timestamp) AS last_seen
