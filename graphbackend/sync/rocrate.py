"""Workflow Run RO-Crate export (Process Run and Workflow Run Crate profiles, 0.5) via ``rocrate``.

One crate holds the selected executions:

- the workflow (``mainEntity``): ``workflow/<root task>.py``, the root task's
  recorded source, typed ``File``/``SoftwareSourceCode``/``ComputationalWorkflow``
  in the redun language (``ComputerLanguage`` ``redun``);
- one ``CreateAction`` per execution (Workflow Run Crate): ``instrument`` the
  workflow, ``object`` the root job's argument Files, ``result`` its result
  Files, start and end times;
- one ``CreateAction`` per job that ran (Process Run Crate), ``instrument`` a
  ``SoftwareApplication`` for its task, ``object``/``result`` its Files;
- Files are referenced by their absolute ``file://`` URL, or, with
  ``include_data``, copied into ``data/<hash>-<name>`` inside the crate.

Values that are not Files are described as ``PropertyValue`` entities in
``object``/``result``.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional

from .std_scope import Scope

PROCESS_RUN = "https://w3id.org/ro/wfrun/process/0.5"
WORKFLOW_RUN = "https://w3id.org/ro/wfrun/workflow/0.5"
WORKFLOW_RO_CRATE = "https://w3id.org/workflowhub/workflow-ro-crate/1.0"


def _iso(value: Any) -> Optional[str]:
    if value is None:
        return None
    return value.iso_format() if hasattr(value, "iso_format") else value.isoformat()


def write(scope: Scope, dest: str, include_data: bool = False) -> Dict[str, int]:
    """Write the crate into the directory ``dest``; returns counts (actions, files, values)."""
    import tempfile

    from rocrate.model.computerlanguage import ComputerLanguage
    from rocrate.model.contextentity import ContextEntity
    from rocrate.model.softwareapplication import SoftwareApplication
    from rocrate.rocrate import ROCrate

    # RO-Crate 1.1: the version the Workflow Run Crate 0.5 profiles are written against.
    crate = ROCrate(version="1.1")
    crate.name = "redun executions recorded by graphbackend"
    crate.description = f"{len(scope.executions)} redun execution(s) exported from Neo4j by graphbackend"
    crate.license = "https://spdx.org/licenses/CC-BY-4.0"
    crate.root_dataset["conformsTo"] = [
        {"@id": PROCESS_RUN}, {"@id": WORKFLOW_RUN}, {"@id": WORKFLOW_RO_CRATE}]
    for profile, name in ((PROCESS_RUN, "Process Run Crate"), (WORKFLOW_RUN, "Workflow Run Crate"),
                          (WORKFLOW_RO_CRATE, "Workflow RO-Crate")):
        crate.add(ContextEntity(crate, profile, properties={
            "@type": "CreativeWork", "name": name, "version": profile.rsplit("/", 1)[-1]}))
    language = crate.add(ComputerLanguage(crate, "https://github.com/insitro/redun", properties={
        "name": "redun", "url": "https://github.com/insitro/redun"}))
    sources = tempfile.mkdtemp(prefix="graphbackend-crate-")

    jobs_by_execution: Dict[str, List[Dict[str, Any]]] = {}
    for job in scope.jobs:
        jobs_by_execution.setdefault(job["execution_id"], []).append(job)

    files: Dict[str, Any] = {}
    counts = {"executions": 0, "jobs": 0, "files": 0, "values": 0}

    def entity(value: Dict[str, Any]):
        key = value["value_hash"]
        if key in files:
            return files[key]
        if value.get("path"):
            path = value["path"]
            name = os.path.basename(path)
            if include_data and os.path.isfile(path):
                found = crate.add_file(path, dest_path=f"data/{key[:8]}-{name}",
                                       properties={"name": name, "alternateName": path})
            else:
                found = crate.add_file(f"file://{os.path.abspath(path)}", fetch_remote=False,
                                       properties={"name": name})
            counts["files"] += 1
        else:
            found = crate.add(ContextEntity(crate, f"#value-{key}", properties={
                "@type": "PropertyValue", "name": value.get("type") or "value",
                "value": str(value.get("preview") or key)}))
            counts["values"] += 1
        files[key] = found
        return found

    workflows: Dict[str, Any] = {}
    applications: Dict[str, Any] = {}
    main_set = False
    for execution in scope.executions:
        jobs = jobs_by_execution.get(execution["id"], [])
        root = next((job for job in jobs if job["parent_id"] is None), None)
        if root is None:
            continue
        task = scope.tasks.get(root["task_hash"], {})
        if root["task_hash"] not in workflows:
            name = (task.get("fullname") or root["task_name"] or "workflow")
            source = task.get("source") or f"# the source of {name} was not recorded\n"
            path = os.path.join(sources, f"{name}.py")
            with open(path, "w", encoding="utf-8") as out:
                out.write(source)
            workflow = crate.add_workflow(path, dest_path=f"workflow/{name}.py", main=not main_set,
                                          lang=language, properties={"name": name})
            main_set = True
            workflows[root["task_hash"]] = workflow
        workflow = workflows[root["task_hash"]]
        crate.add_action(workflow, identifier=f"#execution-{execution['id']}", properties={
            "name": f"redun execution {execution['id']}",
            "startTime": _iso(root["start_time"] or execution["start_time"]),
            "endTime": _iso(root["end_time"] or execution["updated_time"]),
            "object": [{"@id": entity(arg).id} for arg in root["args"]],
            "result": [{"@id": entity(root["result"]).id}] if root["result"] else [],
        })
        counts["executions"] += 1
        for job in jobs:
            if job["cached"] or job is root:
                continue
            if job["task_hash"] not in applications:
                job_task = scope.tasks.get(job["task_hash"], {})
                applications[job["task_hash"]] = crate.add(SoftwareApplication(
                    crate, f"#task-{job['task_hash']}", properties={
                        "name": job_task.get("fullname") or job["task_name"]}))
            crate.add_action(applications[job["task_hash"]], identifier=f"#job-{job['id']}", properties={
                "name": f"redun job {job['task_name']} {job['id']}",
                "startTime": _iso(job["start_time"]),
                "endTime": _iso(job["end_time"]),
                "object": [{"@id": entity(arg).id} for arg in job["args"]],
                "result": [{"@id": entity(job["result"]).id}] if job["result"] else [],
            })
            counts["jobs"] += 1
    crate.write(dest)
    import shutil

    shutil.rmtree(sources, ignore_errors=True)
    return counts


def _bundled_context_responses():
    """A patch for roc-validator's HTTP requester: the RO-Crate JSON-LD context comes from the
    copy bundled with the ``rocrate`` package (1.3; for 1.1 the same with 1.1's Bioschemas type
    IRIs), so no network is needed; other URLs as usual."""
    import contextlib
    import json as _json
    from importlib import resources

    import requests
    from rocrate_validator.utils.http import HttpRequester

    context = resources.files("rocrate").joinpath("data/ro-crate.jsonld").read_text(encoding="utf-8")
    # The 1.1 context: the 1.3 terms, with the Bioschemas types under https://bioschemas.org/
    # as RO-Crate 1.1 maps them (1.3 moved them to https://bioschemas.org/terms/).
    document = _json.loads(context)
    old_terms = {term: iri.replace("https://bioschemas.org/terms/", "https://bioschemas.org/")
                 for term, iri in document["@context"].items()
                 if isinstance(iri, str) and iri.startswith("https://bioschemas.org/terms/") and term[:1].isupper()}
    context_11 = _json.dumps({**document, "@context": {**document["@context"], **old_terms}})
    contexts = {"https://w3id.org/ro/crate/1.3/context": context,
                "https://w3id.org/ro/crate/1.1/context": context_11}

    def get(self, url, **kwargs):
        text = contexts.get(url.rstrip("/").split("?")[0])
        if text is not None:
            response = requests.Response()
            response.status_code = 200
            response.url = url
            response._content = text.encode("utf-8")
            response.headers["Content-Type"] = "application/ld+json"
            return response
        return self.__getattr__("get")(url, **kwargs)

    @contextlib.contextmanager
    def patched():
        had = "get" in HttpRequester.__dict__
        old = HttpRequester.__dict__.get("get")
        HttpRequester.get = get
        try:
            yield
        finally:
            if had:
                HttpRequester.get = old
            else:
                del HttpRequester.get

    return patched()


def validate(dest: str, profile: str = "workflow-run-crate-0.5") -> List[str]:
    """The REQUIRED-level issues ``roc-validator`` finds in the crate at ``dest`` (empty: valid).

    Runs offline: the RO-Crate context is the ``rocrate`` package's bundled copy.
    """
    from rocrate_validator import services
    from rocrate_validator.models import Severity

    settings = services.ValidationSettings(
        rocrate_uri=os.path.abspath(dest), profile_identifier=profile,
        requirement_severity=Severity.REQUIRED)
    with _bundled_context_responses():
        result = services.validate(settings)
    return [f"{issue.check.identifier}: {issue.message}" for issue in result.get_issues()]
