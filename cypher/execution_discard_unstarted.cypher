// Remove an Execution that never started (no root job yet), with its tags' links: a run
// whose start failed (its execution tags were refused) leaves no rootless Execution.
// An Execution that has a root job is left as it is.
// Params: $id (execution id).
MATCH (e:Execution {id: $id})
WHERE NOT (e)-[:ROOT_JOB]->()
DETACH DELETE e
