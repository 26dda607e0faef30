// Value records (redun serialized format v1) for the given value hashes, with the
// File or Task facts of the same node and the subvalues (SUBVALUE, or PENDING ones),
// in ONE row: `rows`, one flat list per Value found, in the order of $ids:
// [value_hash, type, format, data, is_file, path, is_task, name, namespace, source,
// subvalues]. Values may be large: the caller bounds how many ids one call gets.
// Params: $ids (unknown ids are skipped).
UNWIND $ids AS id
MATCH (v:Value {value_hash: id})
RETURN collect([v.value_hash, v.type, v.format, v.value, v:File, v.path,
                v:Task, v.name, v.namespace, v.source,
                [(v)-[:SUBVALUE]->(s:Value) | s.value_hash]
                + [(v)-[:PENDING {type: 'SUBVALUE'}]->(p:Pending) | p.id]]) AS rows
