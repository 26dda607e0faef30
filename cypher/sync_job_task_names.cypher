// Fill in Job.task_name (and `name`, the short task name) for jobs whose Task was imported after them.
// Params: $ids (hashes of Tasks just imported).
UNWIND $ids AS id
MATCH (t:Task {hash: id})<-[:TASK]-(j:Job)
WHERE j.task_name IS NULL
SET j.task_name = t.fullname, j.name = t.name
RETURN count(j) AS updated
