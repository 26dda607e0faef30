// One job: its properties, redun's status (FAILED when its result is a redun.ErrorValue,
// RUNNING before it ends, CACHED when served from the cache, else DONE), execution,
// parent and child jobs (with their statuses), its call node and result, and its task's
// source (what `redun log JOB` prints).
// Params: $id (job id).
MATCH (j:Job {id: $id})
OPTIONAL MATCH (parent:Job)-[:CHILD]->(j)
OPTIONAL MATCH (call:CallNode {call_hash: j.call_hash})
OPTIONAL MATCH (call)-[:RESULT]->(r:Value)
OPTIONAL MATCH (t:Task {hash: j.task_hash})
CALL (j) {
  OPTIONAL MATCH (j)-[:CHILD]->(child:Job)
  OPTIONAL MATCH (:CallNode {call_hash: child.call_hash})-[:RESULT]->(cr:Value)
  WITH child, cr ORDER BY child.start_time, child.id
  RETURN collect(CASE WHEN child IS NULL THEN null ELSE child {.id, .task_name, .cached,
    status: CASE WHEN cr.type = 'redun.ErrorValue' THEN 'FAILED'
                 WHEN child.status = 'ABORTED' THEN 'ABORTED'
                 WHEN child.end_time IS NULL THEN 'RUNNING'
                 WHEN child.cached THEN 'CACHED' ELSE 'DONE' END} END) AS children
}
CALL (j) {
  OPTIONAL MATCH (tag:Tag)-[:TAGGED]->(j) WHERE coalesce(tag.is_current, true)
  RETURN collect(DISTINCT tag {.key, .value}) AS tags
}
RETURN properties(j) AS props, parent.id AS parent_id, call.call_hash AS call_hash,
       CASE WHEN r.type = 'redun.ErrorValue' THEN 'FAILED'
            WHEN j.status = 'ABORTED' THEN 'ABORTED'
            WHEN j.end_time IS NULL THEN 'RUNNING'
            WHEN j.cached THEN 'CACHED' ELSE 'DONE' END AS status,
       r {.value_hash, .type, .preview, .path} AS result,
       t {.hash, .fullname, .source} AS task,
       children, tags
