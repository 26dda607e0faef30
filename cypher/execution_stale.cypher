// Stale executions: runs that stopped without ending. An Execution is stale when some of its
// Jobs are still RUNNING and nothing has shown it alive since $before: neither its heartbeat
// (`updated_time`, which redun's scheduler sets when idle for job_status_interval) nor any of
// its jobs' start or end. Their RUNNING jobs are shown as STALE by `graphbackend abort-stale`.
// Params: $before (DateTime, UTC).
MATCH (e:Execution)
WHERE coalesce(e.updated_time, e.start_time) < $before
MATCH (j:Job {execution_id: e.id})
WITH e, collect(j) AS jobs
WITH e, [j IN jobs WHERE j.status = 'RUNNING'] AS running,
     reduce(t = coalesce(e.updated_time, e.start_time), j IN jobs |
       CASE WHEN coalesce(j.end_time, j.start_time) > t THEN coalesce(j.end_time, j.start_time) ELSE t END
     ) AS last_seen
WHERE size(running) > 0 AND last_seen < $before
RETURN e.id AS execution_id, e.start_time AS start_time, last_seen,
       size(running) AS running_jobs, [j IN running | j.task_name][..5] AS tasks
ORDER BY last_seen
