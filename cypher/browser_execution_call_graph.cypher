// Neo4j Browser: one execution's call graph with every call's arguments and results.
// Params: $execution_id (in Browser: `:param execution_id => '<id>'`).
MATCH (e:Execution {id: $execution_id})-[:ROOT_JOB]->(:Job)-[:CALL]->(root:CallNode)
MATCH calls = (root)-[:CHILD*0..]->(call:CallNode)
OPTIONAL MATCH args = (call)-[:ARG]->(:Value)
OPTIONAL MATCH results = (call)-[:RESULT]->(:Value)
RETURN calls, args, results
