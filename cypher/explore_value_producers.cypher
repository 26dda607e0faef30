// The calls that produced each value: calls whose result is the value or contains it
// (SUBVALUE), keeping the innermost ones (not a call whose child call returned it too).
// Params: $value_hashes (list).
UNWIND $value_hashes AS value_hash
MATCH (v:Value {value_hash: value_hash})
MATCH (c:CallNode)-[:RESULT]->(:Value)-[:SUBVALUE*0..]->(v)
WHERE NOT EXISTS {
  MATCH (c)-[:CHILD]->(k:CallNode)-[:RESULT]->(:Value)-[:SUBVALUE*0..]->(v)
}
RETURN DISTINCT value_hash, c.call_hash AS call_hash, c.task_name AS task_name,
       c.value_hash AS result_hash
ORDER BY value_hash, task_name, call_hash
