// diff: the jobs of execution B by the call each recorded (in start order), with whether the
// cache served it: only what diff prints (no timestamps to decode).
// Params: $execution_id.
MATCH (j:Job {execution_id: $execution_id})
WHERE j.call_hash IS NOT NULL
WITH j ORDER BY j.start_time, j.id
RETURN j.call_hash AS call_hash, collect([j.id, j.cached, j.status]) AS jobs
