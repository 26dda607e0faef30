// value_link_subvalues: link each value to the values nested inside it (e.g. the Files in a list).
// Parameters: $edges = [{parent: value_hash, child: value_hash}]
UNWIND $edges AS edge
MATCH (parent:Value {value_hash: edge.parent})
MATCH (child:Value {value_hash: edge.child})
MERGE (parent)-[:SUBVALUE]->(child)
