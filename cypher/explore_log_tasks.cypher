// `graphbackend log --task`: tasks matching redun log's filters. With an execution filter
// only tasks that a job of such an execution ran, as redun's join through Job.
// Params: $exec_ids, $task_names (list of {namespace, name}), $task_hashes, $tags,
//   $exec_tags (lists or null).
MATCH (t:Task)
WHERE ($task_hashes IS NULL OR t.hash IN $task_hashes)
  AND ($task_names IS NULL OR any(n IN $task_names WHERE
         t.name = n.name AND (n.namespace IS NULL OR t.namespace = n.namespace)))
  AND (($exec_ids IS NULL AND $exec_tags IS NULL) OR EXISTS {
         MATCH (j:Job {task_hash: t.hash})
         WHERE ($exec_ids IS NULL OR j.execution_id IN $exec_ids)
           AND all(tag IN coalesce($exec_tags, []) WHERE EXISTS {
                 MATCH (g:Tag)-[:TAGGED]->(:Execution {id: j.execution_id})
                 WHERE coalesce(g.is_current, true) AND g.key = tag.key
                   AND (tag.value IS NULL OR g.value = tag.value) }) })
  AND all(tag IN coalesce($tags, []) WHERE EXISTS {
        MATCH (g:Tag)-[:TAGGED]->(t)
        WHERE coalesce(g.is_current, true) AND g.key = tag.key AND (tag.value IS NULL OR g.value = tag.value) })
CALL (t) {
  OPTIONAL MATCH (g:Tag)-[:TAGGED]->(t) WHERE coalesce(g.is_current, true) AND g.key <> ''
  WITH g ORDER BY g.key, g.value
  RETURN collect(g {.key, .value}) AS tags
}
RETURN 'Task' AS type, t.hash AS id, t.fullname AS task_name, tags
ORDER BY task_name, id
