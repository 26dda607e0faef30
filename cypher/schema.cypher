// graphbackend schema, version 5. Every statement is idempotent (IF NOT EXISTS, IF EXISTS).
// Run by graphbackend.backend.schema.migrate(); one statement per `;`-terminated block.
// Every key that a query MERGEs on has a uniqueness constraint here.
CREATE CONSTRAINT execution_id IF NOT EXISTS FOR (n:Execution) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT job_id IF NOT EXISTS FOR (n:Job) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT call_node_hash IF NOT EXISTS FOR (n:CallNode) REQUIRE n.call_hash IS UNIQUE;
CREATE CONSTRAINT value_hash IF NOT EXISTS FOR (n:Value) REQUIRE n.value_hash IS UNIQUE;
CREATE CONSTRAINT task_hash IF NOT EXISTS FOR (n:Task) REQUIRE n.hash IS UNIQUE;
CREATE CONSTRAINT file_hash IF NOT EXISTS FOR (n:File) REQUIRE n.value_hash IS UNIQUE;
CREATE CONSTRAINT evaluation_hash IF NOT EXISTS FOR (n:Evaluation) REQUIRE n.eval_hash IS UNIQUE;
CREATE CONSTRAINT tag_hash IF NOT EXISTS FOR (n:Tag) REQUIRE n.tag_hash IS UNIQUE;
CREATE CONSTRAINT handle_hash IF NOT EXISTS FOR (n:Handle) REQUIRE n.hash IS UNIQUE;
CREATE CONSTRAINT schema_version_name IF NOT EXISTS FOR (n:SchemaVersion) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT arg_hash IF NOT EXISTS FOR ()-[r:ARG]-() REQUIRE r.arg_hash IS UNIQUE;
CREATE INDEX call_node_task_args IF NOT EXISTS FOR (n:CallNode) ON (n.task_hash, n.args_hash);
CREATE INDEX call_node_args IF NOT EXISTS FOR (n:CallNode) ON (n.args_hash);
CREATE INDEX call_node_task_name IF NOT EXISTS FOR (n:CallNode) ON (n.task_name);
CREATE INDEX job_execution IF NOT EXISTS FOR (n:Job) ON (n.execution_id);
CREATE INDEX job_task_execution IF NOT EXISTS FOR (n:Job) ON (n.task_hash, n.execution_id);
CREATE INDEX job_start_time IF NOT EXISTS FOR (n:Job) ON (n.start_time);
CREATE INDEX execution_updated_time IF NOT EXISTS FOR (n:Execution) ON (n.updated_time);
CREATE INDEX task_name IF NOT EXISTS FOR (n:Task) ON (n.namespace, n.name);
CREATE INDEX value_type IF NOT EXISTS FOR (n:Value) ON (n.type);
CREATE INDEX file_path IF NOT EXISTS FOR (n:File) ON (n.path);
CREATE INDEX tag_entity IF NOT EXISTS FOR (n:Tag) ON (n.entity_id);
// Tag keys and values may be megabytes (redun accepts them); a RANGE index entry must stay
// under ~8 KB, so tags are indexed by a bounded prefix of the key (version 4; the old
// (key, value) index refused tags over ~8 KB).
DROP INDEX tag_key_value IF EXISTS;
CREATE INDEX tag_key_prefix IF NOT EXISTS FOR (n:Tag) ON (n.key_prefix);
CREATE INDEX handle_fullname IF NOT EXISTS FOR (n:Handle) ON (n.fullname);
CREATE INDEX call_node_task IF NOT EXISTS FOR (n:CallNode) ON (n.task_hash);
CREATE CONSTRAINT pending_id IF NOT EXISTS FOR (n:Pending) REQUIRE n.id IS UNIQUE;
CREATE INDEX job_parent_id IF NOT EXISTS FOR (n:Job) ON (n.parent_id);
CREATE INDEX job_call_hash IF NOT EXISTS FOR (n:Job) ON (n.call_hash);
CREATE CONSTRAINT invalidation_id IF NOT EXISTS FOR (n:Invalidation) REQUIRE n.id IS UNIQUE;
CREATE INDEX evaluation_task_args IF NOT EXISTS FOR (n:Evaluation) ON (n.task_hash, n.args_hash);
CREATE CONSTRAINT gc_run_id IF NOT EXISTS FOR (n:GcRun) REQUIRE n.id IS UNIQUE;
CREATE INDEX execution_start_time IF NOT EXISTS FOR (n:Execution) ON (n.start_time);
// The newest call of a task name or of a task hash (impact's cache entries, why's previous
// calls): the last entry of these indexes instead of a sort of every call (version 5).
CREATE INDEX call_node_task_name_time IF NOT EXISTS FOR (n:CallNode) ON (n.task_name, n.timestamp);
CREATE INDEX call_node_task_time IF NOT EXISTS FOR (n:CallNode) ON (n.task_hash, n.timestamp);
