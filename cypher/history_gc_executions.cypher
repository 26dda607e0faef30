// history_gc_executions: every Execution with what gc's selection needs.
// Returns rows: id, start_time, updated_time, task_name (the root job's task),
//   tags: [{key, value}] the execution's current tags (value: canonical JSON text).
MATCH (e:Execution)
OPTIONAL MATCH (e)-[:ROOT_JOB]->(j:Job)
RETURN e.id AS id, e.start_time AS start_time, e.updated_time AS updated_time,
       j.task_name AS task_name,
       COLLECT { MATCH (t:Tag {entity_id: e.id}) WHERE t.is_current
                 RETURN {key: t.key, value: t.value} } AS tags
ORDER BY e.start_time
