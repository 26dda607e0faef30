// Record whole Jobs that were served from the cache (start and end at once), a batch of them:
// what job_start then job_end record for each, in one statement for many jobs.
// Params: $jobs: [{id, start, end (integer microseconds since the epoch, UTC: packed far
//                  faster than datetimes), task_hash, task_name, execution_id,
//                  parent_id (or null), call_hash (or null), status}] (cached is true for all).
// Idempotent: a job already recorded keeps its first start_time.
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
// Its parameters arrive as one map, $p (graphbackend.backend.cypher.bind): Neo4j plans again
// for each size class of a top-level list or string parameter, never for values in a map.
CYPHER replan=skip
UNWIND $p.jobs AS row
MERGE (j:Job {id: row.id})
SET j.start_time = coalesce(j.start_time,
                            datetime({epochSeconds: row.start / 1000000, nanosecond: row.start % 1000000 * 1000})),
    j.end_time = datetime({epochSeconds: row.end / 1000000, nanosecond: row.end % 1000000 * 1000}),
    j.status = row.status,
    j.cached = true,
    j.call_hash = row.call_hash,
    j.task_hash = row.task_hash,
    j.task_name = row.task_name,
    j.name = last(split(row.task_name, '.')),
    j.execution_id = row.execution_id,
    j.parent_id = row.parent_id
WITH j, row
CALL (j, row) {
  WITH j, row WHERE row.parent_id IS NULL
  MERGE (e:Execution {id: row.execution_id})
  MERGE (e)-[:ROOT_JOB]->(j)
}
CALL (j, row) {
  MATCH (parent:Job {id: row.parent_id})
  MERGE (parent)-[:CHILD]->(j)
}
CALL (j, row) {
  MATCH (k:Job {parent_id: row.id})
  MERGE (j)-[:CHILD]->(k)
}
CALL (j, row) {
  MATCH (t:Task {hash: row.task_hash})
  MERGE (j)-[:TASK]->(t)
}
CALL (j, row) {
  MATCH (c:CallNode {call_hash: row.call_hash})
  MERGE (j)-[:CALL]->(c)
}
RETURN count(*) AS jobs
