// Keep references to records not in the graph yet (rows sync_link_* returned) as
// (src)-[:PENDING {type, label, ident, ref, ...props}]->(:Pending {id: dst}), which
// sync_pending_take turns back into link rows when the target is imported.
// Params: $rows [{src, type, label, dst, ident, ref, props}].
UNWIND $rows AS row
MATCH (s) WHERE elementId(s) = row.src
MERGE (p:Pending {id: row.dst})
MERGE (s)-[r:PENDING {type: row.type, ref: row.ref}]->(p)
SET r += row.props, r.label = row.label, r.ident = row.ident
RETURN count(*) AS pending
