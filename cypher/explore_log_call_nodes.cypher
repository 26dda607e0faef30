// `graphbackend log --call-node`: call nodes matching redun log's filters. With an
// execution filter ($exec_ids or $exec_tags) only call nodes that a job of such an
// execution recorded, as redun's join through Job.
// Params: $exec_ids, $tags, $exec_tags (lists or null).
MATCH (c:CallNode)
WHERE (($exec_ids IS NULL AND $exec_tags IS NULL) OR EXISTS {
         MATCH (j:Job)-[:CALL]->(c)
         WHERE ($exec_ids IS NULL OR j.execution_id IN $exec_ids)
           AND all(tag IN coalesce($exec_tags, []) WHERE EXISTS {
                 MATCH (g:Tag)-[:TAGGED]->(:Execution {id: j.execution_id})
                 WHERE coalesce(g.is_current, true) AND g.key = tag.key
                   AND (tag.value IS NULL OR g.value = tag.value) }) })
  AND all(tag IN coalesce($tags, []) WHERE EXISTS {
        MATCH (g:Tag)-[:TAGGED]->(c)
        WHERE coalesce(g.is_current, true) AND g.key = tag.key AND (tag.value IS NULL OR g.value = tag.value) })
CALL (c) {
  OPTIONAL MATCH (g:Tag)-[:TAGGED]->(c) WHERE coalesce(g.is_current, true) AND g.key <> ''
  WITH g ORDER BY g.key, g.value
  RETURN collect(g {.key, .value}) AS tags
}
RETURN 'CallNode' AS type, c.call_hash AS id, c.task_name AS task_name, tags
ORDER BY c.timestamp DESC, id
