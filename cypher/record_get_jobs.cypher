// Job records (redun serialized format v1) for the given ids, with what redun
// derives: the result type of the job's call (for the status), the parent job
// and the child jobs (ordered in Python by start_time, as redun does).
// Params: $ids.
UNWIND $ids AS id
MATCH (j:Job {id: id})
OPTIONAL MATCH (c:CallNode {call_hash: j.call_hash})
OPTIONAL MATCH (v:Value {value_hash: c.value_hash})
RETURN j.id AS id, j.start_time AS start_time, j.end_time AS end_time,
       j.task_hash AS task_hash, j.cached AS cached, j.call_hash AS call_hash,
       j.execution_id AS execution_id, v.type AS result_type,
       coalesce(head([(p:Job)-[:CHILD]->(j) | p.id]), j.parent_id) AS parent_id,
       [(j)-[:CHILD]->(k:Job) | [k.start_time, k.id]] AS children
