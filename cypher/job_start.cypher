// Record that a Job started, with its edges:
//   (parent:Job)-[:CHILD]->(job)        when $parent_id is set (the parent is MERGEd, so a
//                                       parent recorded later fills in the same node),
//   (:Execution)-[:ROOT_JOB]->(job)     when $parent_id is null (the execution's top-level job),
//   (job)-[:TASK]->(:Task)              when the Task node exists.
// Idempotent: a second start keeps the first start_time; a node first created as a parent
// stub gets its start fields here.
// Params: $id, $now (DateTime), $task_hash, $task_name, $execution_id, $parent_id (or null).
MERGE (j:Job {id: $id})
SET j.start_time = coalesce(j.start_time, $now),
    j.status = coalesce(j.status, 'RUNNING'),
    j.cached = coalesce(j.cached, false),
    j.task_hash = $task_hash,
    j.task_name = $task_name,
    j.execution_id = $execution_id
FOREACH (parent_id IN CASE WHEN $parent_id IS NULL THEN [] ELSE [$parent_id] END |
  MERGE (p:Job {id: parent_id})
  MERGE (p)-[:CHILD]->(j))
FOREACH (_ IN CASE WHEN $parent_id IS NULL THEN [1] ELSE [] END |
  MERGE (e:Execution {id: $execution_id})
  MERGE (e)-[:ROOT_JOB]->(j))
WITH j
OPTIONAL MATCH (t:Task {hash: $task_hash})
FOREACH (_ IN CASE WHEN t IS NULL THEN [] ELSE [1] END | MERGE (j)-[:TASK]->(t))
RETURN j.id AS id
