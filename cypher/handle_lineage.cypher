// handle_lineage: the lineage edges leaving the valid handles of one fullname (for rollback).
// Parameters: $fullname
MATCH (parent:Handle {fullname: $fullname})-[:CHILD]->(child:Handle)
WHERE parent.is_valid = true
RETURN parent.hash AS parent, child.hash AS child
