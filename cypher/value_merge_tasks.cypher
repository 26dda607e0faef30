// value_merge_tasks: create the Task values that are not stored yet (a Task node is also a Value).
// Parameters: $rows = [{value_hash, props: {type, format, value, in_value_store, size, preview},
//   task: {name, namespace, fullname, source}}]
// Merged on the Task key (hash = value_hash), so a Task node made earlier by other code is completed.
UNWIND $rows AS row
MERGE (t:Task {hash: row.value_hash})
SET t:Value, t.value_hash = row.value_hash
SET t += CASE WHEN t.value IS NULL THEN row.props ELSE {} END
SET t.name = row.task.name, t.namespace = row.task.namespace,
    t.fullname = row.task.fullname, t.source = coalesce(row.task.source, t.source)
