// export_std_jobs: every job of the executions, with its call's task, arguments, result and
// dataflow, for the standard exports (PROV, RO-Crate).
// Parameters: $execution_ids
// Returns rows: execution_id, id, parent_id, task_hash, task_name, start_time, end_time, cached,
//   status, call_hash, result: {value_hash, type, path, preview} or null,
//   args: [{value_hash, type, path, preview, position, key}],
//   upstream_jobs: [job id] (jobs of the same execution whose call's result flowed into an
//   argument of this one: UPSTREAM edges).
UNWIND $execution_ids AS execution_id
MATCH (j:Job {execution_id: execution_id})
OPTIONAL MATCH (parent:Job)-[:CHILD]->(j)
OPTIONAL MATCH (j)-[:CALL]->(c:CallNode)
OPTIONAL MATCH (c)-[:RESULT]->(r:Value)
RETURN execution_id, j.id AS id, parent.id AS parent_id, j.task_hash AS task_hash,
       j.task_name AS task_name, j.start_time AS start_time, j.end_time AS end_time,
       j.cached AS cached, j.status AS status, c.call_hash AS call_hash,
       CASE WHEN r IS NULL THEN null ELSE
         {value_hash: r.value_hash, type: r.type, path: r.path, preview: r.preview} END AS result,
       COLLECT { MATCH (c)-[a:ARG]->(v:Value)
                 RETURN {value_hash: v.value_hash, type: v.type, path: v.path, preview: v.preview,
                         position: a.position, key: a.key} ORDER BY a.position, a.key } AS args,
       COLLECT { MATCH (c)-[:UPSTREAM]->(u:CallNode)
                 MATCH (uj:Job {call_hash: u.call_hash, execution_id: execution_id})
                 RETURN DISTINCT uj.id } AS upstream_jobs
ORDER BY j.start_time, j.id
