// `graphbackend log --value` / `--file`: values matching redun log's filters. With an
// execution filter only values that are an argument or result of a call a job of such an
// execution recorded, or nested (SUBVALUE) in one, as redun's four joins.
// Params: $exec_ids, $value_types (list), $file_patterns (list of regular expressions, a
//   File's path must match one), $tags, $exec_tags (lists or null).
CALL () {
  MATCH (v:Value) WHERE $exec_ids IS NULL AND $exec_tags IS NULL
  RETURN v
  UNION
  MATCH (j:Job)
  WHERE ($exec_ids IS NOT NULL OR $exec_tags IS NOT NULL)
    AND ($exec_ids IS NULL OR j.execution_id IN $exec_ids)
    AND all(tag IN coalesce($exec_tags, []) WHERE EXISTS {
          MATCH (g:Tag)-[:TAGGED]->(:Execution {id: j.execution_id})
          WHERE coalesce(g.is_current, true) AND g.key = tag.key
            AND (tag.value IS NULL OR g.value = tag.value) })
  MATCH (j)-[:CALL]->(:CallNode)-[:RESULT|ARG]->(:Value)-[:SUBVALUE*0..1]->(v:Value)
  RETURN v
}
WITH v
WHERE ($value_types IS NULL OR v.type IN $value_types)
  AND ($file_patterns IS NULL OR (v:File AND any(p IN $file_patterns WHERE v.path =~ p)))
  AND all(tag IN coalesce($tags, []) WHERE EXISTS {
        MATCH (g:Tag)-[:TAGGED]->(v)
        WHERE coalesce(g.is_current, true) AND g.key = tag.key AND (tag.value IS NULL OR g.value = tag.value) })
CALL (v) {
  OPTIONAL MATCH (g:Tag)-[:TAGGED]->(v) WHERE coalesce(g.is_current, true) AND g.key <> ''
  WITH g ORDER BY g.key, g.value
  RETURN collect(g {.key, .value}) AS tags
}
RETURN 'Value' AS type, v.value_hash AS id, v.type AS value_type, v.preview AS preview,
       v.path AS path, tags
ORDER BY v.path, id
