// Link imported records: one edge per row from the node with element id $row.src
// to the record with key $row.dst and label $row.label (Execution, Job, CallNode,
// Value or Tag), of relationship type $row.type with properties $row.props.
// Edges are identified by (type, $row.ident): 'arg' edges by props.arg_hash,
// 'order' edges by props.call_order, 'none' edges by their endpoints.
// When the target record is not in the graph yet, the reference is kept as a
// (src)-[:PENDING {type, label, ...props}]->(:Pending {id: dst}) edge, which
// sync_pending_take turns into the real edge when the target is imported.
// Params: $rows [{src, type, label, dst, ident, props}].
UNWIND $rows AS row
MATCH (s) WHERE elementId(s) = row.src
CALL (row) {
  MATCH (d:Value {value_hash: row.dst}) WHERE row.label = 'Value' RETURN d
  UNION
  MATCH (d:CallNode {call_hash: row.dst}) WHERE row.label = 'CallNode' RETURN d
  UNION
  MATCH (d:Job {id: row.dst}) WHERE row.label = 'Job' RETURN d
  UNION
  MATCH (d:Execution {id: row.dst}) WHERE row.label = 'Execution' RETURN d
  UNION
  MATCH (d:Tag {tag_hash: row.dst}) WHERE row.label = 'Tag' RETURN d
  UNION
  WITH row WHERE NOT EXISTS { MATCH (:Value {value_hash: row.dst}) } AND NOT EXISTS { MATCH (:CallNode {call_hash: row.dst}) }
    AND NOT EXISTS { MATCH (:Job {id: row.dst}) } AND NOT EXISTS { MATCH (:Execution {id: row.dst}) }
    AND NOT EXISTS { MATCH (:Tag {tag_hash: row.dst}) }
  MERGE (d:Pending {id: row.dst})
  RETURN d
}
CALL (s, d, row) {
  WITH * WHERE NOT d:Pending AND row.type = 'TASK'
  MERGE (s)-[:TASK]->(d)
  RETURN 1 AS done
  UNION ALL
  WITH * WHERE NOT d:Pending AND row.type = 'RESULT'
  MERGE (s)-[:RESULT]->(d)
  RETURN 1 AS done
  UNION ALL
  WITH * WHERE NOT d:Pending AND row.type = 'SUBVALUE'
  MERGE (s)-[:SUBVALUE]->(d)
  RETURN 1 AS done
  UNION ALL
  WITH * WHERE NOT d:Pending AND row.type = 'CALL'
  MERGE (s)-[:CALL]->(d)
  RETURN 1 AS done
  UNION ALL
  WITH * WHERE NOT d:Pending AND row.type = 'ROOT_JOB'
  MERGE (s)-[:ROOT_JOB]->(d)
  RETURN 1 AS done
  UNION ALL
  WITH * WHERE NOT d:Pending AND row.type = 'TAGGED'
  MERGE (s)-[:TAGGED]->(d)
  RETURN 1 AS done
  UNION ALL
  WITH * WHERE NOT d:Pending AND row.type = 'SUPERSEDES'
  MERGE (s)-[:SUPERSEDES]->(d)
  RETURN 1 AS done
  UNION ALL
  WITH * WHERE NOT d:Pending AND row.type = 'ARG'
  MERGE (s)-[r:ARG {arg_hash: row.props.arg_hash}]->(d)
  SET r += row.props
  RETURN 1 AS done
  UNION ALL
  WITH * WHERE NOT d:Pending AND row.type = 'UPSTREAM'
  MERGE (s)-[r:UPSTREAM {arg_hash: row.props.arg_hash}]->(d)
  RETURN 1 AS done
  UNION ALL
  WITH * WHERE NOT d:Pending AND row.type = 'CHILD'
  MERGE (s)-[r:CHILD {call_order: row.props.call_order}]->(d)
  RETURN 1 AS done
  UNION ALL
  WITH * WHERE d:Pending
  MERGE (s)-[r:PENDING {type: row.type, ref: row.ref}]->(d)
  SET r += row.props, r.label = row.label, r.ident = row.ident
  RETURN 1 AS done
}
RETURN count(*) AS linked
