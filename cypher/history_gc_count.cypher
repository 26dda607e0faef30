// history_gc_count: what a gc run deletes, per kind, and the bytes it frees.
// Parameters: $doomed_label ('GcCandidate': candidates not kept, before arming; 'Collecting': armed)
// Returns one row: executions, jobs, call_nodes, values, files, tasks, evaluations, tags,
//   value_bytes (serialized bytes of the Values), value_store_bytes (of those in the value store),
//   value_store_blobs.
CALL () {
  MATCH (n:GcCandidate) WHERE $doomed_label = 'GcCandidate' AND NOT n:GcKeep RETURN n
  UNION
  MATCH (n:Collecting) WHERE $doomed_label = 'Collecting' RETURN n
}
WITH n, n:Value AND coalesce(n.in_value_store, false) AS stored
RETURN count(n:Execution OR null) AS executions,
       count(n:Job OR null) AS jobs,
       count(n:CallNode OR null) AS call_nodes,
       count(n:Value OR null) AS values,
       count(n:File OR null) AS files,
       count(n:Task OR null) AS tasks,
       count(n:Evaluation OR null) AS evaluations,
       sum(COUNT { (t:Tag)-[:TAGGED]->(n) }) AS tags,
       sum(CASE WHEN n:Value THEN coalesce(n.size, 0) ELSE 0 END) AS value_bytes,
       sum(CASE WHEN stored THEN coalesce(n.size, 0) ELSE 0 END) AS value_store_bytes,
       count(stored OR null) AS value_store_blobs
