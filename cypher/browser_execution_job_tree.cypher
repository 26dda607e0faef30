// Neo4j Browser: one execution's job tree, from its root job down the CHILD edges.
// Params: $execution_id (in Browser: `:param execution_id => '<id>'`).
MATCH (e:Execution {id: $execution_id})-[:ROOT_JOB]->(root:Job)
MATCH tree = (e)-[:ROOT_JOB]->(root)-[:CHILD*0..]->(:Job)
RETURN tree
