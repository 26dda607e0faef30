// Neo4j Browser: the lineage of a file: the calls that returned it (directly or inside a
// larger value), the calls upstream of them (UPSTREAM: an argument came from that call's
// result), and the argument values each of those calls read.
// Params: $file_path (the file's path, or its end, e.g. 'report.json').
MATCH (f:File)
WHERE f.path = $file_path OR f.path ENDS WITH $file_path
MATCH made = (producer:CallNode)-[:RESULT]->(:Value)-[:SUBVALUE*0..]->(f)
MATCH chain = (producer)-[:UPSTREAM*0..]->(call:CallNode)
OPTIONAL MATCH inputs = (call)-[:ARG]->(:Value)
RETURN made, chain, inputs
