// Mark the RUNNING jobs of stale executions ABORTED (the same selection as
// execution_stale.cypher, checked again here so a run that came back to life since the dry
// run is left alone). Sets `aborted_time` on each job and its Execution; end_time stays unset.
// Params: $before (DateTime, UTC), $now (DateTime, UTC), $ids (execution ids to abort: only
//         those listed by the dry run).
MATCH (e:Execution)
WHERE e.id IN $ids AND coalesce(e.updated_time, e.start_time) < $before
MATCH (j:Job {execution_id: e.id})
WITH e, collect(j) AS jobs
WITH e, [j IN jobs WHERE j.status = 'RUNNING'] AS running,
     reduce(t = coalesce(e.updated_time, e.start_time), j IN jobs |
       CASE WHEN coalesce(j.end_time, j.start_time) > t THEN coalesce(j.end_time, j.start_time) ELSE t END
     ) AS last_seen
WHERE size(running) > 0 AND last_seen < $before
SET e.aborted_time = $now
FOREACH (j IN running | SET j.status = 'ABORTED', j.aborted_time = $now)
RETURN e.id AS execution_id, size(running) AS aborted_jobs
