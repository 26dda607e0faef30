// history_invalidate_closure: every CallNode that derives from the targets, at any depth,
// across executions, and the Evaluations (evaluation cache entries) of the same task and args.
// Parameters: $kind ('execution'|'call'|'value'|'file'|'task'), $keys: [key]
// Seeds: a value's or file's consumers (an ARG edge to it, or to a value holding it as a
// SUBVALUE); a task's calls; an execution's calls (its jobs' CALL edges); the calls themselves.
// Closure: (d)-[:UPSTREAM]->(c) (d used c's result) and (p)-[:CHILD]->(c) (p made the call,
// so p's cached result would skip recomputing c), repeatedly.
// Returns rows: call_hash, task_name, task_hash, args_hash, invalidated (already marked),
// evaluations: [eval_hash] of Evaluations of the call's task and args.
CALL () {
  UNWIND $keys AS key
  MATCH (v:Value {value_hash: key}) WHERE $kind IN ['value', 'file']
  CALL (v) {
    MATCH (c:CallNode)-[:ARG]->(v) RETURN c
    UNION
    MATCH (c:CallNode)-[:ARG]->(:Value)-[:SUBVALUE]->(v) RETURN c
  }
  RETURN c
  UNION
  UNWIND $keys AS key
  MATCH (c:CallNode {task_hash: key}) WHERE $kind = 'task'
  RETURN c
  UNION
  UNWIND $keys AS key
  MATCH (c:CallNode {call_hash: key}) WHERE $kind = 'call'
  RETURN c
  UNION
  UNWIND $keys AS key
  MATCH (j:Job {execution_id: key})-[:CALL]->(c:CallNode) WHERE $kind = 'execution'
  RETURN c
}
WITH DISTINCT c
MATCH (c)<-[:UPSTREAM|CHILD*0..]-(d:CallNode)
WITH DISTINCT d
OPTIONAL MATCH (e:Evaluation {task_hash: d.task_hash, args_hash: d.args_hash})
RETURN d.call_hash AS call_hash, d.task_name AS task_name, d.task_hash AS task_hash,
       d.args_hash AS args_hash, d:Invalidated AS invalidated,
       collect(e.eval_hash) AS evaluations
ORDER BY task_name, call_hash
