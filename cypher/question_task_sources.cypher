// The recorded source code of tasks (redun records it in the Task value).
// Params: $task_hashes (list).
UNWIND $task_hashes AS task_hash
MATCH (t:Task {hash: task_hash})
RETURN t.hash AS task_hash, t.fullname AS fullname, t.source AS source
