// impact: the tree. For each call $call_hashes (reached, deeper than 1, with no UPSTREAM edge to
// a call one level up: impact picks those parents from question_impact_reach's 'ups'), the call
// one level up ($depths: call hash -> depth of every reached call) that leads to it, and how,
// looked for in this order (the next kind only when the previous found none): 'consumed its
// result' (it has an UPSTREAM edge to that call), 'called it' (CHILD), 'took its result' (an
// argument is that call's result value, or contains it); among equals the smallest call hash,
// so the tree is the same at every run. One row: a list of [call hash, parent, how].
// Params: $call_hashes (list), $depths (map).
UNWIND $call_hashes AS call_hash
MATCH (x:CallNode {call_hash: call_hash})
WITH x, $depths[call_hash] - 1 AS above
OPTIONAL CALL (x, above) {
  WITH x WHERE above > 0
  MATCH (x)-[:UPSTREAM]->(p:CallNode) WHERE $depths[p.call_hash] = above
  RETURN min(p.call_hash) AS consumed
}
OPTIONAL CALL (x, above, consumed) {
  WITH x WHERE above > 0 AND consumed IS NULL
  MATCH (x)-[:CHILD]->(p:CallNode) WHERE $depths[p.call_hash] = above
  RETURN min(p.call_hash) AS called
}
OPTIONAL CALL (x, above, consumed, called) {
  WITH x WHERE above > 0 AND consumed IS NULL AND called IS NULL
  MATCH (x)-[:ARG]->(:Value)-[:SUBVALUE*0..1]->(:Value)<-[:RESULT]-(p:CallNode)
  WHERE $depths[p.call_hash] = above AND NOT (x)-[:UPSTREAM]->(p) AND NOT (x)-[:CHILD]->(p)
  RETURN min(p.call_hash) AS took
}
RETURN collect([x.call_hash, coalesce(consumed, called, took),
                CASE WHEN consumed IS NOT NULL THEN 'consumed its result'
                     WHEN called IS NOT NULL THEN 'called it'
                     WHEN took IS NOT NULL THEN 'took its result' END]) AS calls
