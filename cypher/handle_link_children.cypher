// handle_link_children: handle lineage, (parent)-[:CHILD]->(child), once per pair.
// Parameters: $edges = [{parent: handle hash, child: handle hash}]
UNWIND $edges AS edge
MATCH (parent:Handle {hash: edge.parent})
MATCH (child:Handle {hash: edge.child})
MERGE (parent)-[:CHILD]->(child)
