// The arguments of each call, with the upstream calls each argument came from.
// Params: $call_hashes (list).
UNWIND $call_hashes AS call_hash
MATCH (c:CallNode {call_hash: call_hash})-[a:ARG]->(v:Value)
OPTIONAL MATCH (c)-[:UPSTREAM {arg_hash: a.arg_hash}]->(up:CallNode)
WITH call_hash, a, v, collect(up.call_hash) AS upstream
RETURN call_hash, a.arg_hash AS arg_hash, a.position AS position, a.key AS key,
       v.value_hash AS value_hash, v.type AS type, v.path AS path, v.preview AS preview,
       upstream
ORDER BY call_hash, position, key
