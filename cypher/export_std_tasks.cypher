// export_std_tasks: the Tasks (plans) of the given hashes. Parameters: $task_hashes
UNWIND $task_hashes AS task_hash
MATCH (t:Task {hash: task_hash})
RETURN t.hash AS hash, t.fullname AS fullname, t.name AS name, t.namespace AS namespace,
       t.source AS source
