// Neo4j Browser: everything downstream of the file $file_path (a full path or its end), across
// executions: the calls that took it as an argument (or inside a larger value), then every
// call that consumed their results (UPSTREAM) or called them (CHILD), up to 20 levels.
// (`graphbackend impact` also follows results reused as arguments by value, and counts.)
// Params: $file_path.
MATCH (f:File)
WHERE f.path = $file_path OR f.path ENDS WITH $file_path
MATCH took = (c:CallNode)-[:ARG]->(:Value)-[:SUBVALUE*0..1]->(f)
MATCH downstream = (c)<-[:UPSTREAM|CHILD*0..20]-(:CallNode)
RETURN took, downstream
LIMIT 300
