// Create the nodes of Value records (with their File or Task facts) that import_has found
// missing; edges are linked afterwards by import_link_*.
// Params: $rows [{value_hash, type, format, value (bytes), in_value_store, size,
//   preview, path (File or null), task (null or {name, namespace, fullname, source})}].
// Returns the element id of each node, for import_link_*.
UNWIND $rows AS row
CREATE (v:Value {value_hash: row.value_hash})
SET v.type = row.type, v.format = row.format, v.value = row.value,
    v.in_value_store = row.in_value_store, v.size = row.size, v.preview = row.preview
FOREACH (_ IN CASE WHEN row.path IS NULL THEN [] ELSE [1] END |
  SET v:File, v.path = row.path)
FOREACH (t IN CASE WHEN row.task IS NULL THEN [] ELSE [row.task] END |
  SET v:Task, v.hash = row.value_hash, v.name = t.name, v.namespace = t.namespace,
      v.fullname = t.fullname, v.source = t.source)
RETURN elementId(v) AS eid
