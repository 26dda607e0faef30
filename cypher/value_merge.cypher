// value_merge: create the Values (with their File or Task facts) that are not stored yet;
// content-addressed on the Value key, never duplicated.
// Parameters: $rows = [{value_hash, props: {type, format, value (bytes; empty when in the value store),
//   in_value_store, size, preview}, path (File path or null),
//   task (null or {name, namespace, fullname, source})}]
// An existing Value keeps its stored bytes (first writer wins; same hash, same content).
// A Task is a Value with the Task label and key hash = value_hash.
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
// Its parameters arrive as one map, $p (graphbackend.backend.cypher.bind): Neo4j plans again
// for each size class of a top-level list or string parameter, never for values in a map.
CYPHER replan=skip
UNWIND $p.rows AS row
MERGE (v:Value {value_hash: row.value_hash})
SET v += CASE WHEN v.value IS NULL THEN row.props ELSE {} END
FOREACH (_ IN CASE WHEN row.path IS NULL THEN [] ELSE [1] END |
  SET v:File, v.path = row.path)
FOREACH (t IN CASE WHEN row.task IS NULL THEN [] ELSE [row.task] END |
  SET v:Task, v.hash = row.value_hash, v.name = t.name, v.namespace = t.namespace,
      v.fullname = t.fullname, v.source = coalesce(t.source, v.source))
