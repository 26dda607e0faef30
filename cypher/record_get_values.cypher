// Value records (redun serialized format v1) for the given value hashes, with the
// File or Task facts of the same node and the subvalues (SUBVALUE, or PENDING ones).
// Params: $ids.
UNWIND $ids AS id
MATCH (v:Value {value_hash: id})
RETURN v.value_hash AS value_hash, v.type AS type, v.format AS format, v.value AS data,
       v:File AS is_file, v.path AS path,
       v:Task AS is_task, v.name AS name, v.namespace AS namespace, v.source AS source,
       [(v)-[:SUBVALUE]->(s:Value) | s.value_hash]
       + [(v)-[:PENDING {type: 'SUBVALUE'}]->(p:Pending) | p.id] AS subvalues
