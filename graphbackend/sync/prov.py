"""W3C PROV exports (PROV-JSON, PROV-N, PROV-O Turtle) through the ``prov`` package.

The mapping (namespace ``gb:`` = ``urn:graphbackend:``):

- an Execution is a ``prov:Activity`` (``gb:execution-<id>``), each Job a
  ``prov:Activity`` (``gb:job-<id>``) started by its parent job (``wasStartedBy``;
  the root job by the execution);
- each Task is a ``prov:Plan`` entity (``gb:task-<hash>``); a job is associated
  with the redun scheduler (a ``prov:SoftwareAgent``) following its task's plan
  (``wasAssociatedWith``);
- each argument or result Value is a ``prov:Entity`` (``gb:value-<hash>``; Files
  with ``gb:path``);
- ``used(job, value)`` for every ARG of the job's call, ``wasGeneratedBy(value,
  job)`` for its RESULT, ``wasInformedBy(job, upstream job)`` and
  ``wasDerivedFrom(result, upstream result)`` for every UPSTREAM edge (the
  upstream call's result flowed into an argument).
"""

from __future__ import annotations

from typing import Any, Dict, Set, Tuple

from .std_scope import Scope

NAMESPACE = ("gb", "urn:graphbackend:")
FORMATS = {"prov-json": "json", "prov-n": "provn", "prov-o": "rdf"}


def _time(value: Any):
    if value is None:
        return None
    return value.to_native() if hasattr(value, "to_native") else value


def build_document(scope: Scope):
    """The ``prov.model.ProvDocument`` of the scope."""
    from prov.model import PROV, ProvDocument

    doc = ProvDocument()
    gb = doc.add_namespace(*NAMESPACE)
    agent = doc.agent(gb["agent-redun-scheduler"], {PROV["type"]: PROV["SoftwareAgent"],
                                                     "gb:name": "redun scheduler with graphbackend"})
    for execution in scope.executions:
        doc.activity(gb[f"execution-{execution['id']}"], _time(execution["start_time"]),
                     _time(execution["updated_time"]), {"gb:args": execution["args"] or "[]"})
    for task_hash, task in scope.tasks.items():
        doc.entity(gb[f"task-{task_hash}"], {PROV["type"]: PROV["Plan"], "gb:fullname": task["fullname"],
                                             "gb:hash": task_hash})
    for value_hash, value in scope.values().items():
        attributes: Dict[Any, Any] = {"gb:hash": value_hash, "gb:type": value["type"] or ""}
        if value.get("path"):
            attributes["gb:path"] = value["path"]
            attributes[PROV["type"]] = gb["File"]
        if value.get("preview"):
            attributes["gb:preview"] = str(value["preview"])
        doc.entity(gb[f"value-{value_hash}"], attributes)

    by_id = {job["id"]: job for job in scope.jobs}
    used: Set[Tuple[str, str]] = set()
    generated: Set[Tuple[str, str]] = set()
    informed: Set[Tuple[str, str]] = set()
    derived: Set[Tuple[str, str]] = set()
    for job in scope.jobs:
        activity = gb[f"job-{job['id']}"]
        doc.activity(activity, _time(job["start_time"]), _time(job["end_time"]),
                     {"gb:task": job["task_name"] or "", "gb:cached": bool(job["cached"]),
                      "gb:status": job["status"] or "", "gb:execution": job["execution_id"]})
        starter = (gb[f"job-{job['parent_id']}"] if job["parent_id"]
                   else gb[f"execution-{job['execution_id']}"])
        doc.wasStartedBy(activity, starter=starter)
        if job["task_hash"] in scope.tasks:
            doc.wasAssociatedWith(activity, agent, gb[f"task-{job['task_hash']}"])
        for arg in job["args"]:
            used.add((job["id"], arg["value_hash"]))
        if job["result"]:
            generated.add((job["result"]["value_hash"], job["id"]))
        for upstream in job["upstream_jobs"]:
            if upstream in by_id:
                informed.add((job["id"], upstream))
                up_result = by_id[upstream]["result"]
                if job["result"] and up_result:
                    derived.add((job["result"]["value_hash"], up_result["value_hash"]))
    for job_id, value_hash in sorted(used):
        doc.used(gb[f"job-{job_id}"], gb[f"value-{value_hash}"])
    for value_hash, job_id in sorted(generated):
        doc.wasGeneratedBy(gb[f"value-{value_hash}"], gb[f"job-{job_id}"])
    for job_id, upstream in sorted(informed):
        doc.wasInformedBy(gb[f"job-{job_id}"], gb[f"job-{upstream}"])
    for value_hash, up_hash in sorted(derived):
        doc.wasDerivedFrom(gb[f"value-{value_hash}"], gb[f"value-{up_hash}"])
    return doc


def relation_counts(scope: Scope) -> Dict[str, int]:
    """The number of each PROV relation the scope's graph records imply (what a test checks)."""
    by_id = {job["id"]: job for job in scope.jobs}
    used = {(job["id"], arg["value_hash"]) for job in scope.jobs for arg in job["args"]}
    generated = {(job["result"]["value_hash"], job["id"]) for job in scope.jobs if job["result"]}
    informed = {(job["id"], up) for job in scope.jobs for up in job["upstream_jobs"] if up in by_id}
    derived = {(job["result"]["value_hash"], by_id[up]["result"]["value_hash"])
               for job in scope.jobs for up in job["upstream_jobs"]
               if up in by_id and job["result"] and by_id[up]["result"]}
    return {"used": len(used), "wasGeneratedBy": len(generated), "wasInformedBy": len(informed),
            "wasDerivedFrom": len(derived), "activities": len(scope.executions) + len(scope.jobs)}


def write(scope: Scope, fmt: str, dest: str) -> Dict[str, int]:
    """Write the scope as ``fmt`` (prov-json, prov-n, prov-o) to ``dest``; returns relation counts."""
    doc = build_document(scope)
    if fmt == "prov-o":
        text = doc.serialize(format="rdf", rdf_format="turtle")
    elif fmt == "prov-n":
        text = doc.get_provn()
    else:
        text = doc.serialize(format="json", indent=2)
    with open(dest, "w", encoding="utf-8") as out:
        out.write(text if isinstance(text, str) else text.decode("utf-8"))
    return relation_counts(scope)
