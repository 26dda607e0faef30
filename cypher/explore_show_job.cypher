// One job: its properties, execution, parent and child jobs, and its call node.
// Params: $id (job id).
MATCH (j:Job {id: $id})
OPTIONAL MATCH (parent:Job)-[:CHILD]->(j)
OPTIONAL MATCH (j)-[:CALL]->(call:CallNode)
OPTIONAL MATCH (j)-[:CHILD]->(child:Job)
OPTIONAL MATCH (tag:Tag)-[:TAGGED]->(j) WHERE coalesce(tag.is_current, true)
RETURN properties(j) AS props, parent.id AS parent_id, call.call_hash AS call_hash,
       collect(DISTINCT child {.id, .task_name, .status, .cached}) AS children,
       collect(DISTINCT tag {.key, .value}) AS tags
