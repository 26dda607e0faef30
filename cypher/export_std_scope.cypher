// export_std_scope: the executions a standard export (PROV, RO-Crate) covers.
// Parameters: $execution_prefixes: [id prefix] (or []), $tags: [{key, value}] (value: canonical
//   JSON text, or null for any value), $file_paths: [path] (executions whose jobs produced a File
//   at one of these paths: the file's lineage).
// Returns rows: id, start_time, updated_time, args, matched_by.
CALL () {
  UNWIND $execution_prefixes AS prefix
  MATCH (e:Execution) WHERE e.id STARTS WITH prefix
  RETURN e, 'execution ' + prefix AS matched_by
  UNION
  UNWIND $tags AS tag
  MATCH (t:Tag {key: tag.key})-[:TAGGED]->(e:Execution)
  WHERE t.is_current AND (tag.value IS NULL OR t.value = tag.value)
  RETURN e, 'tag ' + tag.key AS matched_by
  UNION
  UNWIND $file_paths AS path
  MATCH (f:File {path: path})<-[:RESULT|SUBVALUE*1..2]-(:CallNode)<-[:CALL]-(j:Job)
  MATCH (e:Execution {id: j.execution_id})
  RETURN e, 'file ' + path AS matched_by
}
RETURN DISTINCT e.id AS id, e.start_time AS start_time, e.updated_time AS updated_time,
       e.args AS args, matched_by
ORDER BY start_time
