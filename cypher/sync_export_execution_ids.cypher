// Every Execution's id for export, except those without a root job: a run that never
// started (a graph written before runs started atomically, or a client killed between
// recording the execution and its first job). redun's database requires an execution's
// job; sync_export_rootless counts the ones left out. No params.
MATCH (e:Execution)
WHERE (e)-[:ROOT_JOB]->()
RETURN e.id AS id
ORDER BY id
