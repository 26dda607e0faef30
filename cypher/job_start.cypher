// Record that a Job started, with its edges:
//   (parent:Job)-[:CHILD]->(job)        when the parent job ($parent_id) is in the graph; the
//                                       `parent_id` property keeps the link for a parent
//                                       recorded later (e.g. imported by sync), which then
//                                       links its waiting children (last clause here too),
//   (:Execution)-[:ROOT_JOB]->(job)     when $parent_id is null (the execution's top-level job),
//   (job)-[:TASK]->(:Task)              when the Task node exists.
// `name` is the task's short name (after the namespace), the caption in Neo4j Browser.
// Idempotent: a second start keeps the first start_time and status.
// Params: $id, $now (DateTime), $task_hash, $task_name, $execution_id, $parent_id (or null).
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
// Its parameters arrive as one map, $p (graphbackend.backend.cypher.bind): Neo4j plans again
// for each size class of a top-level list or string parameter, never for values in a map.
CYPHER replan=skip
MERGE (j:Job {id: $p.id})
SET j.start_time = coalesce(j.start_time, $p.now),
    j.status = coalesce(j.status, 'RUNNING'),
    j.cached = coalesce(j.cached, false),
    j.task_hash = $p.task_hash,
    j.task_name = $p.task_name,
    j.name = last(split($p.task_name, '.')),
    j.execution_id = $p.execution_id,
    j.parent_id = $p.parent_id
FOREACH (_ IN CASE WHEN $p.parent_id IS NULL THEN [1] ELSE [] END |
  MERGE (e:Execution {id: $p.execution_id})
  MERGE (e)-[:ROOT_JOB]->(j))
WITH j
CALL (j) {
  MATCH (p:Job {id: $p.parent_id})
  MERGE (p)-[:CHILD]->(j)
}
CALL (j) {
  MATCH (t:Task {hash: $p.task_hash})
  MERGE (j)-[:TASK]->(t)
}
CALL (j) {
  MATCH (k:Job {parent_id: $p.id})
  MERGE (j)-[:CHILD]->(k)
}
RETURN j.id AS id
