// impact: one level downstream of the calls $call_hashes, at any distance in the history:
// - 'consumed its result': a call one of whose arguments came from the call (UPSTREAM);
// - 'called it': the parent call, whose result may be built from the child's;
// - 'took its result': a call (of any execution) whose argument is the call's result value,
//   or a value containing it, without an UPSTREAM edge (e.g. an output reused as an input).
// One row per target (the first source and way found), so a call reached from many sources
// (a parent of many children) crosses the wire once.
// Params: $call_hashes (list).
UNWIND $call_hashes AS call_hash
MATCH (c:CallNode {call_hash: call_hash})
CALL (c) {
  MATCH (x:CallNode)-[:UPSTREAM]->(c)
  RETURN DISTINCT x.call_hash AS target, 'consumed its result' AS how
  UNION
  MATCH (x:CallNode)-[:CHILD]->(c)
  RETURN x.call_hash AS target, 'called it' AS how
  UNION
  MATCH (c)-[:RESULT]->(r:Value)
  MATCH (x:CallNode)-[:ARG]->(:Value)-[:SUBVALUE*0..1]->(r)
  WHERE NOT (x)-[:UPSTREAM]->(c) AND NOT (x)-[:CHILD]->(c)
  RETURN DISTINCT x.call_hash AS target, 'took its result' AS how
}
WITH target, collect({source: call_hash, how: how})[0] AS first
RETURN first.source AS source, target, first.how AS how
