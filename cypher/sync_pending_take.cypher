// Take the pending references to records just imported: return each PENDING
// edge pointing at one of $ids (as a sync_link row) and delete it, with its
// Pending node. Params: $ids (keys of the records just written).
UNWIND $ids AS id
MATCH (p:Pending {id: id})
MATCH (s)-[r:PENDING]->(p)
WITH p, s, r, {src: elementId(s), type: r.type, label: r.label, dst: p.id, ident: r.ident, ref: r.ref,
               props: properties(r)} AS row
DELETE r
WITH p, collect(row) AS rows
DETACH DELETE p
WITH rows
UNWIND rows AS row
RETURN row
