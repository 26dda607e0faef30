// CallNode records (redun serialized format v1) for the given call hashes:
// arguments (ARG), their upstream calls (UPSTREAM, by arg_hash) and child calls
// (CHILD, by call_order), including references to records not imported yet (PENDING).
// Params: $ids.
UNWIND $ids AS id
MATCH (c:CallNode {call_hash: id})
RETURN c.call_hash AS call_hash, c.task_name AS task_name, c.task_hash AS task_hash,
       c.args_hash AS args_hash, c.value_hash AS value_hash, c.timestamp AS timestamp,
       [(c)-[a:ARG]->(v:Value) | {arg_hash: a.arg_hash, position: a.position, key: a.key, value_hash: v.value_hash}]
       + [(c)-[a:PENDING {type: 'ARG'}]->(p:Pending) | {arg_hash: a.arg_hash, position: a.position, key: a.key, value_hash: p.id}] AS args,
       [(c)-[u:UPSTREAM]->(x:CallNode) | [u.arg_hash, x.call_hash]]
       + [(c)-[u:PENDING {type: 'UPSTREAM'}]->(p:Pending) | [u.arg_hash, p.id]] AS upstream,
       [(c)-[e:CHILD]->(x:CallNode) | [e.call_order, x.call_hash]]
       + [(c)-[e:PENDING {type: 'CHILD'}]->(p:Pending) | [e.call_order, p.id]] AS children
