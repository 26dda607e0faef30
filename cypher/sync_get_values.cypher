// Value records (redun serialized format v1) for the given value hashes, with the
// File or Task facts of the same node and the subvalues (SUBVALUE, or PENDING ones),
// in ONE row: `rows`, one flat list per Value found, in the order of $ids:
// [value_hash, type, format, data, subtype, subvalues], where subtype is [path]
// for a File, [name, namespace, source] for a Task, else null. Values may be
// large: the caller bounds how many ids one call gets.
// Params: $ids (unknown ids are skipped).
UNWIND $ids AS id
MATCH (v:Value {value_hash: id})
RETURN collect([v.value_hash, v.type, v.format, v.value,
                CASE WHEN v:File THEN [v.path]
                     WHEN v:Task THEN [v.name, v.namespace, v.source] END,
                [(v)-[:SUBVALUE]->(s:Value) | s.value_hash]
                + [(v)-[:PENDING {type: 'SUBVALUE'}]->(p:Pending) | p.id]]) AS rows
