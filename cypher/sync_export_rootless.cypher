// How many Executions have no root job (left out of an export). No params.
MATCH (e:Execution)
WHERE NOT (e)-[:ROOT_JOB]->()
RETURN count(e) AS rootless
