"""Neo4j Browser set-up for the local server: static assets and browser.* settings.

Neo4j's Browser module serves the first ``browser/`` folder on the server's
classpath. The local launcher lays out Neo4j Browser's files together with
ours (``explore/browser_root/browser/graphbackend/``, copied at every start) in one
folder that comes first on the classpath, so a file
``explore/browser_root/browser/graphbackend/NAME`` is served at
``http://127.0.0.1:<http port>/browser/graphbackend/NAME``. Two assets live there:

- ``style.grass``: the GraSS style (a colour and a caption per label).
- ``graphbackend.html``: the Browser guide, generated from the ``browser_*``
  Cypher queries by :func:`render_guide` (``python -m graphbackend.explore.browser``
  rewrites it; a test checks it is up to date).

:func:`browser_config` returns the ``browser.*`` settings that make the local
server apply the style on connect and let ``:play graphbackend.html`` (or
``:guide <url>``) load the guide from loopback.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path
from typing import Dict, List, Tuple

from ..backend.cypher import query

#: Where the assets are served, relative to the server's HTTP root.
ASSET_PATH = "browser/graphbackend"
STYLE_FILE = "style.grass"
GUIDE_FILE = "graphbackend.html"

#: Browser ``:param`` expressions choosing the latest execution and the newest file.
PICK_EXECUTION = (
    "COLLECT { MATCH (e:Execution) RETURN e.id ORDER BY e.start_time DESC LIMIT 1 }[0]"
)
PICK_PREVIOUS_EXECUTION = (
    "COLLECT { MATCH (e:Execution) RETURN e.id ORDER BY e.start_time DESC SKIP 1 LIMIT 1 }[0]"
)
PICK_FILE = (
    "COLLECT { MATCH (c:CallNode)-[:RESULT]->(:Value)-[:SUBVALUE*0..]->(f:File) "
    "RETURN f.path ORDER BY c.timestamp DESC LIMIT 1 }[0]"
)

#: Guide slides: (title, explanation, [runnable commands or query names]).
#: A name without a leading ``:`` is a ``cypher/<name>.cypher`` query.
GUIDE_SLIDES: List[Tuple[str, str, List[str]]] = [
    (
        "redun provenance in Neo4j",
        "graphbackend records every redun run as a graph: an <b>Execution</b> starts a tree "
        "of <b>Jobs</b>; each finished Job points to its <b>CallNode</b> (a task on some "
        "arguments), whose <b>ARG</b> and <b>RESULT</b> edges lead to <b>Values</b> "
        "(<b>Files</b> are Values too) and whose <b>UPSTREAM</b> edges say which earlier "
        "call produced an argument. First pick what to look at: the latest execution and "
        "the most recently produced file (edit the commands to choose others).",
        [":param execution_id => " + PICK_EXECUTION, ":param file_path => " + PICK_FILE],
    ),
    (
        "The latest executions",
        "The ten most recent executions with their top-level job, and a table of their "
        "job counts.",
        ["browser_latest_executions", "browser_execution_table"],
    ),
    (
        "One execution's job tree",
        "Every job of the execution <code>$execution_id</code>, from the root job down "
        "(<b>CHILD</b> edges), with the task each job ran.",
        ["browser_execution_job_tree"],
    ),
    (
        "The call graph",
        "The execution's calls (<b>CallNode</b>s linked by <b>CHILD</b>), each with its "
        "arguments (<b>ARG</b>) and result (<b>RESULT</b>) values.",
        ["browser_execution_call_graph"],
    ),
    (
        "Lineage of a file",
        "Which calls produced the file <code>$file_path</code> (a full path, or its end), "
        "and from which inputs: the producing call, then its <b>UPSTREAM</b> calls "
        "recursively, with the argument values they read.",
        ["browser_file_lineage"],
    ),
    (
        "Cached or executed",
        "Which steps of the execution were served from the cache and which ran.",
        ["browser_execution_cached"],
    ),
    (
        "Impact: what derives from a file",
        "Everything downstream of <code>$file_path</code>, across executions: the calls that "
        "read it, then the calls that consumed their results (<b>UPSTREAM</b>) or called them "
        "(<b>CHILD</b>). <code>graphbackend impact PATH</code> also counts the executions and "
        "the cache entries that derive from it.",
        ["browser_impact_file"],
    ),
    (
        "Diff: two executions call by call",
        "Pick two executions (the latest and the one before, by default), then see every call "
        "of the later one against the earlier one. <code>graphbackend diff A B</code> adds the "
        "source diff of changed tasks and which argument changed.",
        [":param execution_a => " + PICK_PREVIOUS_EXECUTION, ":param execution_b => " + PICK_EXECUTION,
         "browser_diff_executions"],
    ),
    (
        "Why did these jobs run?",
        "For every job of <code>$execution_id</code> that ran (was not served from the cache): the "
        "newest earlier call of the same task and what differs. <code>graphbackend why JOB</code> "
        "says which argument and shows the code diff.",
        ["browser_why_ran"],
    ),
    (
        "The task-level view",
        "Tasks instead of calls: which task calls which and which feeds which (a result became an "
        "argument), counted over the whole history. A table, because Neo4j Community has no virtual "
        "relationships without the APOC plugin and a stored projection would go stale; "
        "<code>graphbackend viz --tasks</code> draws it.",
        ["browser_task_graph"],
    ),
    (
        "Tags and their history",
        "Current tags with what they tag, then every tag with the older tags it "
        "replaced (<b>SUPERSEDES</b>).",
        ["browser_tags", "browser_tag_history"],
    ),
]


def classpath_root() -> Path:
    """The folder whose ``browser/graphbackend/`` files the local server serves."""
    return Path(str(resources.files("graphbackend.explore").joinpath("browser_root")))


def asset_dir() -> Path:
    """The folder holding the style and the guide (inside :func:`classpath_root`)."""
    return classpath_root() / ASSET_PATH


def style_path() -> Path:
    """The GraSS style file shipped with the package."""
    return asset_dir() / STYLE_FILE


def guide_path() -> Path:
    """The Browser guide shipped with the package."""
    return asset_dir() / GUIDE_FILE


def asset_url(http_port: int, name: str, host: str = "127.0.0.1") -> str:
    """The URL at which the local server serves asset ``name``."""
    return f"http://{host}:{http_port}/{ASSET_PATH}/{name}"


def style_url(http_port: int) -> str:
    """Where the local server serves the style."""
    return asset_url(http_port, STYLE_FILE)


def browser_config(http_port: int) -> Dict[str, str]:
    """``browser.*`` settings written into the local server's ``neo4j.conf``.

    - ``browser.remote_content_hostname_whitelist`` (the Neo4j 5.26 name; Browser
      5 calls it the allowlist): loopback, plus the asset folder's URL, so that
      ``:style <url>`` and ``:play graphbackend.html`` may fetch from this server.
      Browser tries every allowlist entry as a base URL for ``:play NAME``, so
      only loopback entries are listed (nothing reaches the network).
    - ``browser.post_connect_cmd``: apply the style on every connect.
    """
    base = f"http://127.0.0.1:{http_port}/{ASSET_PATH}"
    return {
        "browser.remote_content_hostname_whitelist": f"127.0.0.1,localhost,{base}",
        "browser.post_connect_cmd": f"style {style_url(http_port)}",
    }


def browser_commands(execution_id: str) -> str:
    """What to paste into Neo4j Browser to see an execution's call graph."""
    return f":param execution_id => {json.dumps(execution_id)}\n\n{query('browser_execution_call_graph')}"


def _query_block(name: str) -> str:
    if name.startswith(":"):
        text = name
    else:  # the slide explains the query: drop its comment header
        lines = query(name).splitlines()
        while lines and lines[0].startswith("//"):
            lines.pop(0)
        text = "\n".join(lines)
    return f'<pre class="code runnable">{html.escape(text)}</pre>'


def render_guide() -> str:
    """The guide's HTML (slides of ``<slide>`` elements with runnable queries).

    Works with ``:play`` (a carousel in the stream) and ``:guide`` (the sidebar).
    """
    slides = []
    for title, text, blocks in GUIDE_SLIDES:
        body = "\n".join(_query_block(name) for name in blocks)
        slides.append(
            '<slide class="row-fluid">\n<div class="col-sm-12">\n'
            f"<h3>{title}</h3>\n<p>{text}</p>\n{body}\n"
            "<p><small>Click a query to put it in the editor, then run it.</small></p>\n"
            "</div>\n</slide>"
        )
    return (
        "<!-- Generated by `python -m graphbackend.explore.browser` from the cypher/browser_*.cypher "
        "queries; do not edit. -->\n"
        "<title>graphbackend: redun provenance</title>\n"
        '<article class="guide">\n<carousel class="deck container-fluid">\n'
        + "\n".join(slides)
        + "\n</carousel>\n</article>\n"
    )


def write_guide() -> Path:
    """Regenerate the shipped guide file from the queries; return its path."""
    path = guide_path()
    path.write_text(render_guide(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_guide())
