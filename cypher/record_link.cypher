// Link imported records: one edge per row from the node with element id $row.src
// to the record with key $row.dst and label $row.label (Execution, Job, CallNode,
// Value or Tag), of relationship type $row.type with properties $row.props.
// Edges are identified by (type, $row.ident): 'arg' edges by props.arg_hash,
// 'order' edges by props.call_order, 'none' edges by their endpoints.
// When the target record is not in the graph yet, the reference is kept as a
// (src)-[:PENDING {type, label, ...props}]->(:Pending {id: dst}) edge, which
// record_pending_take turns into the real edge when the target is imported.
// Params: $rows [{src, type, label, dst, ident, props}].
UNWIND $rows AS row
MATCH (s) WHERE elementId(s) = row.src
OPTIONAL MATCH (x:Execution {id: row.dst}) WHERE row.label = 'Execution'
OPTIONAL MATCH (j:Job {id: row.dst}) WHERE row.label = 'Job'
OPTIONAL MATCH (c:CallNode {call_hash: row.dst}) WHERE row.label = 'CallNode'
OPTIONAL MATCH (v:Value {value_hash: row.dst}) WHERE row.label = 'Value'
OPTIONAL MATCH (t:Tag {tag_hash: row.dst}) WHERE row.label = 'Tag'
WITH s, row, coalesce(x, j, c, v, t) AS d
FOREACH (_ IN CASE WHEN d IS NOT NULL AND row.ident = 'none' THEN [1] ELSE [] END |
  MERGE (s)-[:$(row.type)]->(d))
FOREACH (_ IN CASE WHEN d IS NOT NULL AND row.ident = 'arg' THEN [1] ELSE [] END |
  MERGE (s)-[r:$(row.type) {arg_hash: row.props.arg_hash}]->(d) SET r += row.props)
FOREACH (_ IN CASE WHEN d IS NOT NULL AND row.ident = 'order' THEN [1] ELSE [] END |
  MERGE (s)-[r:$(row.type) {call_order: row.props.call_order}]->(d) SET r += row.props)
FOREACH (_ IN CASE WHEN d IS NULL THEN [1] ELSE [] END |
  MERGE (p:Pending {id: row.dst})
  MERGE (s)-[r:PENDING {type: row.type, ref: row.ref}]->(p)
  SET r += row.props, r.label = row.label, r.ident = row.ident)
RETURN count(*) AS linked
