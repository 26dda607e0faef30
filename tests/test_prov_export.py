"""Standard exports: W3C PROV (JSON, PROV-N, PROV-O) and Workflow Run RO-Crate.

The demo workflow (Files, nested calls, dataflow) is recorded by a real redun
Scheduler; the CLI exports it; the PROV documents are read back with ``prov``
(PROV-JSON, PROV-O) and their relation counts compared with counts taken from
the graph by independent Cypher; the RO-Crate passes ``roc-validator`` on the
Process Run and Workflow Run Crate profiles.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter

import pytest
from redun import Scheduler
from redun.backends.base import TagEntity

from graphbackend.cli import main as cli_main
from graphbackend.demo import workflow as demo
from graphbackend.sync import rocrate as rocrate_export

GRAPH_COUNTS = """
MATCH (j:Job) WHERE j.execution_id IN $ids
CALL (j) {
  OPTIONAL MATCH (j)-[:CALL]->(:CallNode)-[:ARG]->(v:Value)
  RETURN collect(DISTINCT v.value_hash) AS args
}
CALL (j) {
  OPTIONAL MATCH (j)-[:CALL]->(:CallNode)-[:RESULT]->(r:Value)
  RETURN collect(DISTINCT r.value_hash) AS results
}
CALL (j) {
  OPTIONAL MATCH (j)-[:CALL]->(:CallNode)-[:UPSTREAM]->(u:CallNode)
  OPTIONAL MATCH (uj:Job {call_hash: u.call_hash, execution_id: j.execution_id})
  OPTIONAL MATCH (j)-[:CALL]->(:CallNode)-[:RESULT]->(r:Value)
  OPTIONAL MATCH (uj)-[:CALL]->(:CallNode)-[:RESULT]->(ur:Value)
  RETURN collect(DISTINCT uj.id) AS informants,
         collect(DISTINCT CASE WHEN r IS NOT NULL AND ur IS NOT NULL THEN [r.value_hash, ur.value_hash] END) AS derived
}
WITH collect({job: j.id, args: args, results: results, informants: informants, derived: derived}) AS rows
RETURN reduce(n = 0, row IN rows | n + size(row.args)) AS used,
       reduce(n = 0, row IN rows | n + size(row.results)) AS generated,
       reduce(n = 0, row IN rows | n + size(row.informants)) AS informed,
       size(rows) AS jobs,
       reduce(d = [], row IN rows | d + row.derived) AS derived
"""


@pytest.fixture
def recorded(backend, neo4j_server, tmp_path, monkeypatch):
    for name, value in (("NEO4J_URI", neo4j_server.uri), ("NEO4J_USERNAME", neo4j_server.user),
                        ("NEO4J_PASSWORD", neo4j_server.password or ""),
                        ("NEO4J_DATABASE", neo4j_server.database)):
        monkeypatch.setenv(name, value)
    scheduler = Scheduler(backend=backend)
    scheduler.load()
    ids = [str(uuid.uuid4()), str(uuid.uuid4())]
    for execution_id in ids:
        scheduler.run(demo.main(str(tmp_path / "demo")), execution_id=execution_id)
    backend.record_tags(TagEntity.Execution, ids[0], [("release", "v1")])
    return {"ids": ids, "report": str(tmp_path / "demo" / "report.json")}


def graph_counts(backend, ids):
    row = backend.graph.read_tx(lambda tx: tx.run_text(GRAPH_COUNTS, ids=ids))[0]
    return {"used": row["used"], "wasGeneratedBy": row["generated"], "wasInformedBy": row["informed"],
            "wasDerivedFrom": len({tuple(pair) for pair in row["derived"]}),
            "activities": row["jobs"] + len(ids)}


PROV_TYPES = {"used": "ProvUsage", "wasGeneratedBy": "ProvGeneration",
              "wasInformedBy": "ProvCommunication", "wasDerivedFrom": "ProvDerivation"}


def prov_counts(document):
    kinds = Counter(type(record).__name__ for record in document.get_records())
    counts = {relation: kinds[name] for relation, name in PROV_TYPES.items()}
    counts["activities"] = kinds["ProvActivity"]
    return counts


@pytest.mark.parametrize("selection", ["execution", "tag", "lineage"])
def test_prov_json_and_prov_o_read_back_with_the_graphs_relation_counts(
        backend, recorded, tmp_path, capsys, selection):
    from prov.model import ProvDocument

    ids = recorded["ids"]
    select = {"execution": ["--execution", ids[1][:8]], "tag": ["--tag", "release=v1"],
              "lineage": ["--lineage", recorded["report"]]}[selection]
    expected_ids = {"execution": [ids[1]], "tag": [ids[0]], "lineage": ids}[selection]
    expected = graph_counts(backend, expected_ids)
    assert expected["used"] > 5 and expected["wasInformedBy"] > 0 and expected["wasDerivedFrom"] > 0

    dest = tmp_path / "run.json"
    assert cli_main(["export", "--format", "prov-json", str(dest), *select]) == 0
    document = ProvDocument.deserialize(source=str(dest), format="json")
    assert prov_counts(document) == expected
    files = [r for r in document.get_records() if type(r).__name__ == "ProvEntity"
             and any(str(k) == "gb:path" for k, _ in r.attributes)]
    assert files, "the Files are entities with their path"

    dest_o = tmp_path / "run.ttl"
    assert cli_main(["export", "--format", "prov-o", str(dest_o), *select]) == 0
    document_o = ProvDocument.deserialize(source=str(dest_o), format="rdf", rdf_format="turtle")
    assert prov_counts(document_o) == expected

    dest_n = tmp_path / "run.provn"
    assert cli_main(["export", "--format", "prov-n", str(dest_n), *select]) == 0
    text = dest_n.read_text()
    assert text.startswith("document") and text.count("\n  used(") == expected["used"]
    assert text.count("\n  wasGeneratedBy(") == expected["wasGeneratedBy"]
    capsys.readouterr()


def test_ro_crate_passes_the_workflow_run_and_process_run_profiles(backend, recorded, tmp_path, capsys):
    dest = tmp_path / "crate"
    assert cli_main(["export", "--format", "ro-crate", str(dest), "--execution", recorded["ids"][0],
                     "--include-data"]) == 0
    metadata = json.loads((dest / "ro-crate-metadata.json").read_text())
    graph = {entity["@id"]: entity for entity in metadata["@graph"]}
    actions = [e for e in graph.values() if e.get("@type") == "CreateAction"]
    # One action for the execution, one per job that ran (the first run ran every job).
    jobs = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (j:Job {execution_id: $id}) RETURN count(j) AS n", id=recorded["ids"][0]))[0]["n"]
    assert len(actions) == jobs
    included = [i for i in graph if i.startswith("data/") and i.endswith("report.json")]
    assert included and (dest / included[0]).is_file()
    for profile in ("process-run-crate-0.5", "workflow-run-crate-0.5"):
        assert rocrate_export.validate(str(dest), profile) == []
    capsys.readouterr()


@pytest.mark.parametrize("argv, message", [
    (["export", "--format", "prov-json", "OUT", "--execution", "zzzz-none"], "matches no execution"),
    (["export", "--format", "prov-json", "OUT", "--tag", "release=v9"], "matches no execution"),
])
def test_bad_selection_is_one_line_and_writes_nothing(backend, recorded, tmp_path, capsys, argv, message):
    argv = [str(tmp_path / "out.json") if a == "OUT" else a for a in argv]
    assert cli_main(argv) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and message in captured.err
    assert not os.path.exists(tmp_path / "out.json")
