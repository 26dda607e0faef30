// How many jobs an execution has, and how many of them were served from the cache.
// Params: $execution_id.
MATCH (j:Job {execution_id: $execution_id})
RETURN count(j) AS jobs,
       count(CASE WHEN j.cached THEN 1 END) AS cached,
       collect(CASE WHEN NOT coalesce(j.cached, false) THEN j.task_name END) AS ran
