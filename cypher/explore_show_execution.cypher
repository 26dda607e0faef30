// One execution: its properties and root job.
// Params: $id (execution id).
MATCH (e:Execution {id: $id})
OPTIONAL MATCH (e)-[:ROOT_JOB]->(root:Job)
OPTIONAL MATCH (tag:Tag)-[:TAGGED]->(e) WHERE coalesce(tag.is_current, true)
RETURN properties(e) AS props, root.id AS root_job_id, root.task_name AS task_name,
       collect(DISTINCT tag {.key, .value}) AS tags
