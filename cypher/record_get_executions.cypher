// Execution records (redun serialized format v1) for the given ids.
// Params: $ids. The root job comes from the ROOT_JOB edge, else from a pending
// (not yet imported) ROOT_JOB reference, else from the `job_id` property.
UNWIND $ids AS id
MATCH (e:Execution {id: id})
RETURN e.id AS id, e.args AS args,
       coalesce(head([(e)-[:ROOT_JOB]->(j:Job) | j.id]),
                head([(e)-[p:PENDING {type: 'ROOT_JOB'}]->(x:Pending) | x.id]),
                e.job_id) AS job_id
