// Where a cached call came from: the first job that ran it (not from the cache) and its
// execution, and how many jobs reused it.
// Params: $call_hash.
MATCH (c:CallNode {call_hash: $call_hash})
OPTIONAL MATCH (j:Job {call_hash: $call_hash})
WITH c, j ORDER BY j.start_time
WITH c, collect(j) AS jobs
WITH c, [j IN jobs WHERE NOT j.cached] AS ran, [j IN jobs WHERE j.cached] AS reused
RETURN c.timestamp AS timestamp, ran[0].id AS job_id, ran[0].execution_id AS execution_id,
       ran[0].start_time AS start_time, size(reused) AS reused
