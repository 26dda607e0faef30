"""A realistic redun history of a chosen size, reproducible from a seed.

``generate_history(target, jobs=100_000, seed=0)`` writes the same history into
any backend that has redun's ``put_records`` (``Neo4jBackend``,
``RedunBackendDb`` on SQLite or PostgreSQL), or into a database named by a URI
(``sqlite:///path.db``, ``postgresql://...``, ``bolt://...``/``neo4j://...``).
The history is made as redun's serialized records (version 1, the format of
``redun push``/``pull``/``export``), so every backend stores exactly the same
facts through its own record path, and the generator never needs a scheduler.

    python -m benchmarks.history --jobs 100k --seed 0 sqlite:////tmp/h100k.db
    python -m benchmarks.history --jobs 10k bolt://127.0.0.1:17687

The shapes of real workflows (weights are the share of executions):

- ``fanout`` (45%): ``pipeline.main(samples)`` maps ``pipeline.process`` over
  5-60 input Files (each call: a File argument, a File result), then
  ``pipeline.summarize(outputs)`` on the list of output Files (its argument's
  upstream is every ``process`` call), returning a report File. Jobs: k + 2.
- ``chain`` (25%): ``pipeline.step(depth)`` calls ``step(depth - 1)`` down to 0
  (depth 5-30), each step returning its child's result (nested CallNodes, one
  CHILD edge each). Jobs: depth + 1.
- ``rerun`` (30%): a repeat of an earlier fan-out with 0-30% of its inputs
  changed: the unchanged ``process`` jobs are cache hits (``cached=True``,
  reusing the earlier CallNode and its result), the changed ones are new
  calls, ``summarize`` and ``main`` are new calls. Jobs: k + 2.

Every execution has tags (``user``, ``project``, ``git_commit`` on the
Execution); 10% of executions later get a ``status`` tag edited twice (tags
superseding tags), and 5% of report Files a ``release`` tag. Tasks change
their source now and then, so each task has a few versions (Task Values).

The mix per job at 100k jobs (``python -m benchmarks.history --jobs 100k --mix``):
1 Job, 0.76 CallNode, 1.35 Values (1.14 of them Files), 0.11 Tags, 0.03
Executions, 3.25 records in all, 24% of jobs cached; references 1.59 SUBVALUE,
0.97 call CHILD, 0.97 job CHILD, 0.76 ARG, 0.80 UPSTREAM, 1.52 TASK/RESULT of
calls, 2 TASK/CALL of jobs, 0.11 TAGGED, 0.01 SUPERSEDES.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import pickle
import random
import sys
import time
import uuid
from base64 import b64encode
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

#: redun pickles values with protocol 3.
PICKLE_PROTOCOL = 3
#: Share of executions of each shape.
SHAPES = (("fanout", 0.45), ("chain", 0.25), ("rerun", 0.30))
#: Records per put_records call (whole executions are never split).
DEFAULT_BATCH = 10_000

NAMESPACE = "pipeline"
TASK_NAMES = ("main", "process", "summarize", "step")
USERS = ("alice", "bob", "carol", "dave", "erin")
PROJECTS = ("rnaseq", "variants", "imaging", "qc")


def parse_size(text: str) -> int:
    """``10k``, ``1M``, ``250000`` -> int."""
    text = text.strip().lower().replace("_", "")
    factor = 1
    if text.endswith("k"):
        factor, text = 1_000, text[:-1]
    elif text.endswith("m"):
        factor, text = 1_000_000, text[:-1]
    return int(float(text) * factor)


def size_label(n: int) -> str:
    """10000 -> ``10k``."""
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


@dataclass
class HistorySummary:
    """What a generated history holds."""

    jobs: int = 0
    executions: List[str] = field(default_factory=list)
    records: Counter = field(default_factory=Counter)
    shapes: Counter = field(default_factory=Counter)
    cached_jobs: int = 0
    #: Values that are Files (counted among the Value records too).
    files: int = 0
    edges: Counter = field(default_factory=Counter)
    #: A few ids for queries against the history (lineage, show, check_cache).
    sample_file_paths: List[str] = field(default_factory=list)
    sample_call_hashes: List[str] = field(default_factory=list)
    seconds: float = 0.0
    new: int = 0

    @property
    def total_records(self) -> int:
        """Records in all."""
        return sum(self.records.values())

    def mix(self) -> str:
        """The node and edge mix per job, as text."""
        jobs = max(self.jobs, 1)
        nodes = ", ".join(f"{kind} {count / jobs:.2f}" for kind, count in sorted(self.records.items()))
        edges = ", ".join(f"{kind} {count / jobs:.2f}" for kind, count in sorted(self.edges.items()))
        shapes = ", ".join(f"{kind} {count}" for kind, count in sorted(self.shapes.items()))
        return (f"{self.jobs} jobs in {len(self.executions)} executions ({shapes}); "
                f"{self.total_records} records, {self.total_records / jobs:.2f} per job; "
                f"cached jobs {self.cached_jobs / jobs:.0%}, Files {self.files / jobs:.2f} per job\n"
                f"  records per job: {nodes}\n  references per job: {edges}")


class _Gen:
    """The generator's state: a seeded RNG, a clock, the tasks, earlier fan-outs."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.seed = seed
        self.clock = dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc)
        self.summary = HistorySummary()
        self.tasks: Dict[str, Tuple[str, dict]] = {}  # name -> (task hash, Value record)
        self.task_versions: Counter = Counter()
        self.fanouts: List[dict] = []  # earlier fan-outs, for reruns
        self.counter = 0

    # ids --------------------------------------------------------------------

    def hash(self, *parts: Any) -> str:
        self.counter += 1
        return hashlib.sha1(f"{self.seed}/{self.counter}/{parts}".encode()).hexdigest()

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def tick(self, seconds: float) -> str:
        self.clock += dt.timedelta(seconds=seconds)
        return str(self.clock)

    # records ------------------------------------------------------------------

    def task(self, name: str, out: List[dict]) -> Tuple[str, str]:
        """The current hash of task ``name`` (a new version now and then)."""
        if name not in self.tasks or self.rng.random() < 0.002:
            self.task_versions[name] += 1
            version = self.task_versions[name]
            source = f"@task()\ndef {name}(x):\n    # version {version}\n    return x\n"
            task_hash = self.hash("task", name, version)
            record = {
                "_version": 1, "_type": "Value", "value_hash": task_hash, "type": "redun.Task",
                "format": "application/python-pickle",
                "data": b64encode(pickle.dumps(f"{NAMESPACE}.{name}", PICKLE_PROTOCOL)).decode(),
                "subvalues": [], "subtype": {"_type": "Task", "name": name, "namespace": NAMESPACE,
                                             "source": source},
            }
            self.tasks[name] = (task_hash, record)
            out.append(record)
        return self.tasks[name][0]

    def value(self, obj: Any, out: List[dict], type_name: Optional[str] = None,
              subvalues: Iterable[str] = (), file_path: Optional[str] = None) -> str:
        value_hash = self.hash("value", repr(obj)[:40])
        out.append({
            "_version": 1, "_type": "Value", "value_hash": value_hash,
            "type": type_name or f"builtins.{type(obj).__name__}",
            "format": "application/python-pickle",
            "data": b64encode(pickle.dumps(obj, PICKLE_PROTOCOL)).decode(),
            "subvalues": sorted(subvalues),
            "subtype": {"_type": "File", "path": file_path} if file_path else None,
        })
        self.summary.edges["SUBVALUE"] += len(out[-1]["subvalues"])
        return value_hash

    def file(self, path: str, out: List[dict]) -> str:
        from redun.file import File

        file = File.__new__(File)
        file.path = path
        file._hash = self.hash("file-content", path)
        self.summary.files += 1
        return self.value(file, out, type_name="redun.File", file_path=path)

    def call_node(self, task_name: str, task_hash: str, args: List[Tuple[str, List[str]]],
                  result: str, children: List[str], out: List[dict]) -> str:
        """A CallNode; ``args``: (value hash, upstream call hashes) by position."""
        call_hash = self.hash("call", task_name)
        rec_args = {}
        for position, (value_hash, upstream) in enumerate(args):
            rec_args[str(position)] = {"arg_hash": self.hash("arg", position), "value_hash": value_hash,
                                       "upstream": sorted(upstream)}
            self.summary.edges["ARG"] += 1
            self.summary.edges["UPSTREAM"] += len(upstream)
        self.summary.edges["CHILD(call)"] += len(children)
        self.summary.edges["TASK+RESULT"] += 2
        out.append({
            "_version": 1, "_type": "CallNode", "call_hash": call_hash, "task_name": f"{NAMESPACE}.{task_name}",
            "task_hash": task_hash, "args_hash": self.hash("args"), "value_hash": result,
            "timestamp": str(self.clock), "args": rec_args, "children": children,
        })
        return call_hash

    def job(self, job_id: str, task_hash: str, call_hash: str, parent: Optional[str], children: List[str],
            execution_id: str, start: str, cached: bool, out: List[dict]) -> dict:
        record = {
            "_version": 1, "_type": "Job", "id": job_id, "start_time": start, "end_time": str(self.clock),
            "task_hash": task_hash, "cached": cached, "status": "CACHED" if cached else "DONE",
            "call_hash": call_hash, "parent_id": parent, "children": children, "execution_id": execution_id,
        }
        out.append(record)
        self.summary.jobs += 1
        self.summary.cached_jobs += cached
        self.summary.edges["CHILD(job)"] += len(children)
        self.summary.edges["TASK+CALL(job)"] += 2
        return record

    def tag(self, entity_type: str, entity_id: str, key: str, value: Any, out: List[dict],
            parents: Iterable[str] = ()) -> str:
        tag_hash = self.hash("tag", key)
        out.append({"_version": 1, "_type": "Tag", "tag_hash": tag_hash, "entity_type": entity_type,
                    "entity_id": entity_id, "key": key, "value": value, "parents": sorted(parents)})
        self.summary.edges["TAGGED"] += 1
        self.summary.edges["SUPERSEDES"] += len(out[-1]["parents"])
        return tag_hash

    # shapes -------------------------------------------------------------------

    def execution(self) -> List[dict]:
        """The records of one execution (dependencies first), chosen by shape."""
        roll = self.rng.random()
        shape = "fanout"
        acc = 0.0
        for name, weight in SHAPES:
            acc += weight
            if roll < acc:
                shape = name
                break
        if shape == "rerun" and not self.fanouts:
            shape = "fanout"
        self.summary.shapes[shape] += 1
        execution_id = self.uuid()
        self.tick(self.rng.uniform(60, 3600))
        if shape == "chain":
            values, calls, jobs = self._chain(execution_id)
        else:
            values, calls, jobs = self._fanout(execution_id, rerun=shape == "rerun")
        out = values + calls + jobs
        out.append({"_version": 1, "_type": "Execution", "id": execution_id,
                    "args": f'["redun", "run", "workflow.py", "{shape}"]', "job_id": jobs[0]["id"]})
        self.summary.edges["ROOT_JOB"] += 1
        tags: List[dict] = []
        self.tag("Execution", execution_id, "user", self.rng.choice(USERS), tags)
        self.tag("Execution", execution_id, "project", self.rng.choice(PROJECTS), tags)
        self.tag("Execution", execution_id, "git_commit", self.hash("commit")[:12], tags)
        if self.rng.random() < 0.10:
            first = self.tag("Execution", execution_id, "status", "running", tags)
            second = self.tag("Execution", execution_id, "status", "ok", tags, parents=[first])
            self.tag("Execution", execution_id, "status", "archived", tags, parents=[second])
        out += tags
        self.summary.executions.append(execution_id)
        for record in out:
            self.summary.records[record["_type"]] += 1
        return out

    def _chain(self, execution_id: str):
        depth = self.rng.randint(5, 30)
        values: List[dict] = []
        calls: List[dict] = []
        task_hash = self.task("step", values)
        result = self.value(0, values)
        # Innermost first: each call's children are the call below it.
        call_hashes: List[str] = []
        child: List[str] = []
        for d in range(depth + 1):
            arg = self.value(d, values)
            call = self.call_node("step", task_hash, [(arg, [])], result, child, calls)
            call_hashes.append(call)
            child = [call]
        # Jobs, root first (outermost call).
        jobs: List[dict] = []
        ids = [self.uuid() for _ in range(depth + 1)]
        start = self.tick(0.01)
        for index in range(depth + 1):
            call = call_hashes[depth - index]
            parent = ids[index - 1] if index else None
            children = [ids[index + 1]] if index < depth else []
            self.tick(self.rng.uniform(0.01, 0.5))
            self.job(ids[index], task_hash, call, parent, children, execution_id, start, False, jobs)
        if len(self.summary.sample_call_hashes) < 20:
            self.summary.sample_call_hashes.append(call_hashes[-1])
        return values, calls, jobs

    def _fanout(self, execution_id: str, rerun: bool):
        values: List[dict] = []
        calls: List[dict] = []
        jobs: List[dict] = []
        main_hash = self.task("main", values)
        process_hash = self.task("process", values)
        summarize_hash = self.task("summarize", values)
        earlier = self.rng.choice(self.fanouts) if rerun else None
        if earlier is not None:
            k = len(earlier["items"])
            changed = set(self.rng.sample(range(k), int(k * self.rng.uniform(0.0, 0.3))))
        else:
            k = self.rng.randint(5, 60)
            changed = set(range(k))
        run = self.hash("run")[:8]
        project = self.rng.choice(PROJECTS)
        items = []  # (input file hash, process call hash, output file hash, cached)
        for i in range(k):
            if earlier is not None and i not in changed and earlier["items"][i][3] == process_hash:
                in_hash, call, out_hash, _ = earlier["items"][i]
                items.append((in_hash, call, out_hash, process_hash, True))
                continue
            in_path = f"s3://lab/{project}/raw/{run}/sample_{i:03d}.fastq"
            out_path = f"s3://lab/{project}/processed/{run}/sample_{i:03d}.bam"
            in_hash = self.file(in_path, values)
            out_hash = self.file(out_path, values)
            call = self.call_node("process", process_hash, [(in_hash, [])], out_hash, [], calls)
            items.append((in_hash, call, out_hash, process_hash, False))
            if len(self.summary.sample_file_paths) < 20 and self.rng.random() < 0.05:
                self.summary.sample_file_paths.append(out_path)
        outputs = [item[2] for item in items]
        process_calls = [item[1] for item in items]
        out_list = self.value([f"file-{h[:8]}" for h in outputs], values, type_name="builtins.list",
                              subvalues=outputs)
        report_path = f"s3://lab/{project}/reports/{run}/summary.html"
        report = self.file(report_path, values)
        summarize_call = self.call_node("summarize", summarize_hash, [(out_list, process_calls)], report, [],
                                        calls)
        inputs = [item[0] for item in items]
        in_list = self.value([f"in-{h[:8]}" for h in inputs], values, type_name="builtins.list",
                             subvalues=inputs)
        main_call = self.call_node("main", main_hash, [(in_list, [])], report,
                                   process_calls + [summarize_call], calls)
        root_id = self.uuid()
        child_ids = [self.uuid() for _ in range(k + 1)]
        start = self.tick(0.01)
        root = self.job(root_id, main_hash, main_call, None, child_ids, execution_id, start, False, jobs)
        for i, (_in_hash, call, _out_hash, task_hash, cached) in enumerate(items):
            job_start = self.tick(0.001 if cached else self.rng.uniform(0.05, 2.0))
            self.job(child_ids[i], task_hash, call, root_id, [], execution_id, job_start, cached, jobs)
        self.tick(self.rng.uniform(0.1, 1.0))
        self.job(child_ids[k], summarize_hash, summarize_call, root_id, [], execution_id, str(self.clock),
                 False, jobs)
        root["end_time"] = str(self.clock)
        if self.rng.random() < 0.05:
            self.tag("Value", report, "release", f"v{len(self.fanouts)}", values)
        self.fanouts.append({"items": [(a, b, c, d) for a, b, c, d, _ in items]})
        if len(self.fanouts) > 200:
            self.fanouts.pop(0)
        return values, calls, jobs


def iter_history(jobs: int, seed: int = 0, summary: Optional[HistorySummary] = None) -> Iterator[List[dict]]:
    """Yield the history's records, one execution (a list of records,
    dependencies first) at a time, until ``jobs`` jobs have been made."""
    gen = _Gen(seed)
    if summary is not None:
        gen.summary = summary
    while gen.summary.jobs < jobs:
        yield gen.execution()


def history_records(jobs: int, seed: int = 0) -> List[dict]:
    """The whole history as one list of records (small sizes)."""
    return [record for unit in iter_history(jobs, seed) for record in unit]


def _open_target(target: Any) -> Tuple[Callable[[List[dict]], int], Callable[[], None], str]:
    """(put_records, close, description) of a backend or URI."""
    if not isinstance(target, str):
        return _put_function(target), lambda: None, type(target).__name__
    if target.startswith(("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")):
        from graphbackend import Neo4jBackend

        backend = Neo4jBackend(uri=target)
        backend.load()
        return backend.put_records, backend.close, f"Neo4j at {target}"
    from graphbackend.sync.transfer import open_redun_db

    db = open_redun_db(target, create=True)
    if target.startswith("sqlite:///"):
        _fast_sqlite_writes(db.backend)
    return _put_function(db.backend), db.close, target


def _fast_sqlite_writes(backend: Any) -> None:
    """The generator's SQLite files are throwaway: no fsync per commit
    (``synchronous=OFF``), the rollback journal in memory and a 256 MiB page cache
    (SQLite's default is 2 MiB: the random-hash indexes of a 1M-job history outgrow
    it and every insert seeks), on this backend's connections only (the SQLite
    being benchmarked keeps redun's settings). A crash leaves a broken file, which
    ``cached_sqlite_history`` never keeps (it writes to ``.partial`` first)."""
    from sqlalchemy import event

    def pragmas(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA journal_mode = MEMORY")
        cursor.execute("PRAGMA cache_size = -262144")
        cursor.close()

    event.listen(backend.engine, "connect", pragmas)
    # Connections opened before (schema creation) are dropped: the next ones get the pragmas.
    backend.session.close()
    backend.engine.dispose()


def _put_function(backend: Any) -> Callable[[List[dict]], int]:
    from redun.backends.db import RedunBackendDb, Value

    if isinstance(backend, RedunBackendDb):
        # Into an empty database every generated record is new (ids are unique
        # hashes, reused records are only referenced): no existence check per batch.
        assert backend.session is not None
        fresh = backend.session.query(Value.value_hash).first() is None
        return lambda records: put_redun_rows(backend, records, check=not fresh)
    return backend.put_records


#: redun's tables in an order that satisfies their foreign keys.
_TABLE_ORDER = ("Value", "File", "Task", "Subvalue", "CallNode", "CallEdge", "Argument",
                "ArgumentResult", "Job", "Execution", "Tag", "TagEdit")


def _time(text: Optional[str]) -> Optional[dt.datetime]:
    """redun's ``deserialize_timestamp`` for ``str(datetime)`` text, without dateutil."""
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        from dateutil.parser import parse

        return parse(text)


def record_rows(record: dict, rows: Dict[str, List[dict]]) -> None:
    """Add the table rows of one record to ``rows`` (table class name -> rows):
    the rows redun's ``RecordSerializer.deserialize`` makes, as plain dicts."""
    from redun.backends.base import TagEntity

    kind = record["_type"]
    if kind == "Value":
        value_hash = record["value_hash"]
        from base64 import b64decode

        rows["Value"].append({"value_hash": value_hash, "type": record["type"], "format": record["format"],
                              "value": b64decode(record["data"])})
        rows["Subvalue"].extend({"parent_value_hash": value_hash, "value_hash": child}
                                for child in record["subvalues"])
        subtype = record.get("subtype")
        if subtype and subtype["_type"] == "File":
            rows["File"].append({"value_hash": value_hash, "path": subtype["path"]})
        elif subtype and subtype["_type"] == "Task":
            rows["Task"].append({"hash": value_hash, "name": subtype["name"],
                                 "namespace": subtype["namespace"], "source": subtype["source"]})
    elif kind == "CallNode":
        call_hash = record["call_hash"]
        rows["CallNode"].append({"call_hash": call_hash, "task_name": record["task_name"],
                                 "task_hash": record["task_hash"], "args_hash": record["args_hash"],
                                 "value_hash": record["value_hash"], "timestamp": _time(record["timestamp"])})
        rows["CallEdge"].extend({"parent_id": call_hash, "child_id": child, "call_order": order}
                                for order, child in enumerate(record["children"]))
        for key, arg in record["args"].items():
            digit = key.isdigit()
            rows["Argument"].append({"arg_hash": arg["arg_hash"], "call_hash": call_hash,
                                     "value_hash": arg["value_hash"],
                                     "arg_position": int(key) if digit else None,
                                     "arg_key": None if digit else key})
            rows["ArgumentResult"].extend({"arg_hash": arg["arg_hash"], "result_call_hash": upstream}
                                          for upstream in arg["upstream"])
    elif kind == "Job":
        rows["Job"].append({"id": record["id"], "start_time": _time(record["start_time"]),
                            "end_time": _time(record["end_time"]), "task_hash": record["task_hash"],
                            "cached": record["cached"], "call_hash": record["call_hash"],
                            "parent_id": record["parent_id"], "execution_id": record["execution_id"]})
    elif kind == "Execution":
        rows["Execution"].append({"id": record["id"], "args": record["args"], "job_id": record["job_id"]})
    else:
        rows["Tag"].append({"tag_hash": record["tag_hash"], "entity_type": TagEntity(record["entity_type"]),
                            "entity_id": record["entity_id"], "key": record["key"], "value": record["value"]})
        rows["TagEdit"].extend({"parent_id": parent, "child_id": record["tag_hash"]}
                               for parent in record["parents"])


def put_redun_rows(backend: Any, records: List[dict], check: bool = True) -> int:
    """``RedunBackendDb.put_records``, writing the same rows by bulk ``INSERT``s,
    table by table in foreign-key order, with the same post-processing (tag
    currency), in one transaction. redun's version builds ORM objects one by
    one (about 600 records/s on this machine), too slow for a 1M-job history.
    ``check=False`` skips the query for records already there (the caller
    knows they are all new).
    """
    import redun.backends.db as rdb
    import sqlalchemy as sa
    from redun.backends.db import with_defer_constraints

    serializer = backend._record_serializer
    ids = [serializer.get_pk(record) for record in records]
    existing = set(backend.has_records(ids)) if check else set()
    rows: Dict[str, List[dict]] = {name: [] for name in _TABLE_ORDER}
    new = 0
    for id, record in zip(ids, records):
        if id in existing:
            continue
        existing.add(id)
        new += 1
        record_rows(record, rows)
    with backend.with_session() as session:
        with with_defer_constraints(session):
            for name in _TABLE_ORDER:
                if rows[name]:
                    session.execute(sa.insert(getattr(rdb, name).__table__), rows[name])
            if check:
                backend._postprocess_new_records()
            else:
                # redun's tag currency update scans every tag at each batch; a tag
                # stops being current when a TagEdit names it as parent, and every
                # TagEdit of this database came through here: update just those.
                parents = list({row["parent_id"] for row in rows["TagEdit"]})
                for chunk in (parents[i:i + 500] for i in range(0, len(parents), 500)):
                    session.execute(sa.update(rdb.Tag.__table__).where(rdb.Tag.tag_hash.in_(chunk))
                                    .values(is_current=False))
            session.commit()
    return new


def generate_history(target: Any, jobs: int = 100_000, seed: int = 0, batch_size: int = DEFAULT_BATCH,
                     progress: bool = True) -> HistorySummary:
    """Write a reproducible redun history of about ``jobs`` jobs into ``target``.

    ``target``: a backend with redun's ``put_records`` (``Neo4jBackend``,
    ``RedunBackendDb``) or a URI (``sqlite:///file.db``, ``postgresql://...``,
    ``bolt://host:port``). The same ``jobs`` and ``seed`` give the same
    records on every backend. Writing is idempotent (records already there are
    skipped), so an interrupted run can be run again. Returns what was written.
    """
    put, close, description = _open_target(target)
    summary = HistorySummary()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=jobs, unit="job", unit_scale=True, desc=f"history {size_label(jobs)}",
                   file=sys.stderr, smoothing=0.1)
    start = time.monotonic()
    try:
        batch: List[dict] = []
        done_jobs = 0
        for unit in iter_history(jobs, seed, summary):
            batch += unit
            if len(batch) >= batch_size:
                summary.new += put(batch)
                batch = []
                if bar is not None:
                    bar.update(summary.jobs - done_jobs)
                    bar.set_postfix(records=summary.total_records)
                    done_jobs = summary.jobs
        if batch:
            summary.new += put(batch)
        if bar is not None:
            bar.update(summary.jobs - done_jobs)
    finally:
        if bar is not None:
            bar.close()
        close()
    summary.seconds = time.monotonic() - start
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.history", description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", help="sqlite:///file.db, postgresql://..., bolt://host:port")
    parser.add_argument("--jobs", default="10k", help="history size in jobs: 10k, 100k, 1M (default 10k)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
    parser.add_argument("--mix", action="store_true", help="only print the node and edge mix (writes nothing)")
    args = parser.parse_args(argv)
    jobs = parse_size(args.jobs)
    if args.mix or not args.target:
        summary = HistorySummary()
        for _ in iter_history(jobs, args.seed, summary):
            pass
        print(summary.mix())
        return 0
    summary = generate_history(args.target, jobs=jobs, seed=args.seed, batch_size=args.batch_size)
    print(summary.mix())
    print(f"wrote {summary.new} new records in {summary.seconds:.1f} s "
          f"({summary.total_records / max(summary.seconds, 1e-9):,.0f} records/s) to {args.target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


class ThrowawayNeo4j:
    """A Neo4j server for a benchmark: ``NEO4J_URI`` when set, else a new local
    server (graphbackend's launcher) on free ports in a temporary folder,
    deleted by ``stop()``. ``pid`` and ``home`` are known for a local server
    (for its RSS and store size), also for ``NEO4J_URI`` with
    ``GRAPHBACKEND_SERVER_HOME`` naming that server's folder."""

    def __init__(self, heap: str = "1g", page_cache: str = "512m", echo=None):
        import os
        import tempfile

        self.server = None
        self.pid: Optional[int] = None
        self.home: Optional[str] = None
        self._tmp = None
        self._password_before: Optional[str] = None
        if os.environ.get("NEO4J_URI"):
            self.uri = os.environ["NEO4J_URI"]
            home = os.environ.get("GRAPHBACKEND_SERVER_HOME")
            if home:  # a local server of one's own: its RSS and store size can be measured
                from graphbackend.server.local import LocalServer

                self.pid = LocalServer.at(home).pid()
                self.home = home if self.pid else None
            return
        from graphbackend.server.local import LocalServer, free_port

        self._tmp = tempfile.TemporaryDirectory(prefix="graphbackend-bench-neo4j-")
        self.server = LocalServer(home=self._tmp.name, bolt_port=free_port(), http_port=free_port(),
                                  heap=heap, page_cache=page_cache)
        if echo:
            echo(f"starting a throwaway Neo4j ({heap} heap, {page_cache} page cache) in {self._tmp.name} ...")
        self.server.start(timeout=600)
        self.uri = self.server.bolt_uri
        self.pid = self.server.pid()
        self.home = self._tmp.name
        os.environ["NEO4J_URI"] = self.uri
        # Its generated password (clients find a local server's password only in the
        # default server's home).
        self._password_before = os.environ.get("NEO4J_PASSWORD")
        os.environ["NEO4J_PASSWORD"] = self.server.stored_password() or ""

    def backend(self):
        """A loaded Neo4jBackend on this server."""
        from graphbackend import Neo4jBackend

        backend = Neo4jBackend(uri=self.uri)
        backend.load()
        return backend

    def stop(self) -> None:
        import os

        if self.server is not None:
            self.server.stop()
            if os.environ.get("NEO4J_URI") == self.uri:
                del os.environ["NEO4J_URI"]
                if self._password_before is None:
                    os.environ.pop("NEO4J_PASSWORD", None)
                else:
                    os.environ["NEO4J_PASSWORD"] = self._password_before
            self.server = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def cached_sqlite_history(jobs: int, seed: int = 0, work_dir: str = "/tmp/graphbackend-bench") -> str:
    """The path of a SQLite redun database holding the history (made once per size and seed)."""
    import os

    os.makedirs(work_dir, exist_ok=True)
    path = os.path.join(work_dir, f"history-{size_label(jobs)}-seed{seed}.db")
    if not os.path.exists(path):
        partial = path + ".partial"
        if os.path.exists(partial):
            os.remove(partial)
        generate_history(f"sqlite:///{partial}", jobs=jobs, seed=seed)
        os.replace(partial, path)
    return path
