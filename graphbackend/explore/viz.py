"""``graphbackend viz``: a self-contained HTML picture of an execution's call graph.

The page inlines the vis-network library (vendored in ``explore/viz_assets`` with its
licences) and the graph data, so it opens offline from a file. Nodes are the
execution's CallNodes and their argument and result Values; edges are CHILD
(call tree), ARG, RESULT and UPSTREAM (dataflow). Colours come from the Neo4j
Browser style (``style.grass``), so both pictures read the same way.

When drawn, the page sets ``document.body.dataset.rendered = "true"`` and
exposes the network as ``window.graphbackendNetwork`` (used by the tests).
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from ..backend.graph import Graph
from . import queries as _explore
from .browser import style_path

VIS_NETWORK_VERSION = "10.1.5"

#: Colours used when the style has no rule for a label.
_FALLBACK = {"color": "#A5ABB6", "border-color": "#9AA1AC", "text-color-internal": "#FFFFFF"}


def vis_network_js() -> str:
    """The vendored vis-network standalone build."""
    return resources.files("graphbackend.explore").joinpath("viz_assets").joinpath("vis-network.min.js").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def style_rules() -> Dict[str, Dict[str, str]]:
    """The GraSS rules as ``{"node.CallNode": {"color": ...}, "relationship.ARG": {...}}``."""
    text = style_path().read_text(encoding="utf-8")
    rules: Dict[str, Dict[str, str]] = {}
    # A rule is "selector {" ... "}" on its own line; captions contain braces too.
    for selector, body in re.findall(r"^([\w.]+)\s*\{(.*?)^\}", text, flags=re.S | re.M):
        props = {}
        for line in body.splitlines():
            line = line.strip().rstrip(";")
            if ":" in line:
                key, value = line.split(":", 1)
                props[key.strip()] = value.strip().strip('"')
        rules[selector] = props
    return rules


def node_colours(labels: List[str]) -> Dict[str, str]:
    """Background, border and font colour of a node with these labels (later rules win)."""
    rules = style_rules()
    props = dict(_FALLBACK)
    props.update(rules.get("node", {}))
    for selector, rule in rules.items():  # file order, like Neo4j Browser
        if selector.startswith("node.") and selector[5:] in labels:
            props.update(rule)
    return {"background": props["color"], "border": props["border-color"], "font": props["text-color-internal"]}


def edge_colour(rel_type: str) -> str:
    """An edge colour from the style."""
    rules = style_rules()
    return rules.get(f"relationship.{rel_type}", rules.get("relationship", {})).get("color", "#A5ABB6")


def _short_task(name: Optional[str]) -> str:
    return (name or "?").rsplit(".", 1)[-1]


def _value_label(value: Dict[str, Any]) -> str:
    if value.get("path"):
        return value["path"].rstrip("/").rsplit("/", 1)[-1]
    type_name = (value.get("type") or "value").rsplit(".", 1)[-1]
    return f"{type_name} {value['value_hash'][:6]}"


def _value_title(value: Dict[str, Any]) -> str:
    parts = [value.get("type") or "value", value["value_hash"]]
    if value.get("path"):
        parts.append(value["path"])
    elif value.get("preview"):
        parts.append(value["preview"])
    return "\n".join(parts)


def call_graph(graph: Graph, execution_id: str) -> Dict[str, Any]:
    """The execution's call graph as vis-network ``nodes`` and ``edges`` lists."""
    records = [_explore.plain(record.data()) for record in graph.read("explore_execution_call_graph", execution_id=execution_id)]
    nodes: Dict[str, Dict[str, Any]] = {}
    edges: List[Dict[str, Any]] = []

    def add_value(value: Dict[str, Any]) -> str:
        node_id = "v:" + value["value_hash"]
        if node_id not in nodes:
            labels = value.get("labels") or ["Value"]
            colours = node_colours(labels)
            nodes[node_id] = {
                "id": node_id, "label": _value_label(value), "title": _value_title(value),
                "group": "File" if "File" in labels else "Value",
                "shape": "box" if "File" in labels else "dot", "size": 12,
                "color": {"background": colours["background"], "border": colours["border"]},
                "font": {"color": "#2A2C34", "size": 12},
            }
        return node_id

    call_colours = node_colours(["CallNode"])
    for record in records:
        nodes["c:" + record["call_hash"]] = {
            "id": "c:" + record["call_hash"], "label": _short_task(record["task_name"]),
            "title": f"{record['task_name']}\ncall {record['call_hash']}",
            "group": "CallNode", "shape": "ellipse",
            "color": {"background": call_colours["background"], "border": call_colours["border"]},
            "font": {"color": call_colours["font"], "size": 14},
        }
    for record in records:
        source = "c:" + record["call_hash"]
        for child in sorted((c for c in record["children"] if c), key=lambda c: c.get("call_order") or 0):
            if "c:" + child["call_hash"] in nodes:
                edges.append({"from": source, "to": "c:" + child["call_hash"], "label": "CHILD",
                              "color": edge_colour("CHILD"), "width": 2})
        for arg in record["args"]:
            if not arg:
                continue
            name = arg["key"] if arg.get("key") is not None else str(arg.get("position"))
            edges.append({"from": source, "to": add_value(arg), "label": name,
                          "color": edge_colour("ARG"), "dashes": False})
        if record.get("result"):
            edges.append({"from": source, "to": add_value(record["result"]), "label": "RESULT",
                          "color": edge_colour("RESULT"), "width": 2})
        for up in record["upstream"]:
            if up and "c:" + up["call_hash"] in nodes:
                edges.append({"from": source, "to": "c:" + up["call_hash"], "label": "UPSTREAM",
                              "color": edge_colour("UPSTREAM"), "width": 3, "dashes": True})
    return {"nodes": list(nodes.values()), "edges": edges}


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
  html, body {{ margin: 0; height: 100%; font-family: Helvetica, Arial, sans-serif; }}
  header {{ padding: 8px 14px; background: #30333a; color: #fff; font-size: 14px; }}
  header small {{ color: #c8c8c8; }}
  #legend span {{ display: inline-block; margin-right: 12px; }}
  #legend i {{ display: inline-block; width: 11px; height: 11px; border-radius: 6px; margin-right: 4px; vertical-align: -1px; }}
  #graph {{ position: absolute; top: 58px; bottom: 0; left: 0; right: 0; }}
</style>
</head>
<body>
<header>
  <div><b>{heading}</b> <small>{subheading}</small></div>
  <div id="legend">{legend}</div>
</header>
<div id="graph"></div>
<script>
/* vis-network {vis_version}, https://github.com/visjs/vis-network, (c) Almende B.V. and visjs
   contributors; dual licensed Apache-2.0 OR MIT. */
{vis_js}
</script>
<script>
(function () {{
  var data = {data};
  var container = document.getElementById("graph");
  var network = new vis.Network(container, {{
    nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)
  }}, {{
    edges: {{ arrows: "to", font: {{ size: 9, align: "middle" }}, smooth: {{ type: "dynamic" }} }},
    nodes: {{ borderWidth: 2 }},
    physics: {{ solver: "forceAtlas2Based", stabilization: {{ iterations: 300 }} }},
    interaction: {{ hover: true, tooltipDelay: 100 }}
  }});
  window.graphbackendNetwork = network;
  network.once("stabilizationIterationsDone", function () {{
    network.setOptions({{ physics: false }});
    network.fit();
  }});
  network.on("afterDrawing", function () {{ document.body.dataset.rendered = "true"; }});
}})();
</script>
</body>
</html>
"""


def render_html(data: Dict[str, Any], heading: str, subheading: str = "") -> str:
    """The self-contained page for vis-network ``data`` (``nodes``/``edges``)."""
    legend = "".join(
        f'<span><i style="background:{node_colours(labels)["background"]}"></i>{name}</span>'
        for name, labels in (("call", ["CallNode"]), ("value", ["Value"]), ("file", ["Value", "File"]))
    ) + "".join(
        f'<span><i style="background:{edge_colour(rel)}; border-radius:0; height:3px"></i>{rel}</span>'
        for rel in ("CHILD", "ARG", "RESULT", "UPSTREAM")
    )
    payload = json.dumps(data, sort_keys=True).replace("</", "<\\/")
    return _PAGE.format(
        title=html.escape(heading), heading=html.escape(heading), subheading=html.escape(subheading),
        legend=legend, vis_version=VIS_NETWORK_VERSION, vis_js=vis_network_js(), data=payload,
    )


def write_execution_html(graph: Graph, execution_id: Optional[str], output) -> Tuple[Path, Dict[str, Any]]:
    """Write the call graph page of an execution (id, unique prefix, or None for the latest).

    Returns the path written and a summary ``{"execution_id", "calls", "values"}``.
    Raises ExploreError when the execution is unknown or has no recorded calls.
    """
    if execution_id:
        full_id = _explore.resolve_id(graph, execution_id, kinds=("execution",))["id"]
    else:
        latest = _explore.latest_execution_id(graph)
        if latest is None:
            raise _explore.ExploreError("no executions recorded yet: nothing to draw")
        full_id = latest
    info = _explore.execution(graph, full_id, with_jobs=True)
    data = call_graph(graph, full_id)
    calls = sum(1 for node in data["nodes"] if node["group"] == "CallNode")
    if not calls:
        raise _explore.ExploreError(
            f"execution {full_id} has no recorded call graph (its root job has no call node yet)"
        )
    subheading = (
        f"execution {full_id} started {(info.get('start_time') or '')[:19].replace('T', ' ')} UTC; "
        f"{info.get('jobs', 0)} jobs, {info.get('cached', 0)} cached"
    )
    page = render_html(data, f"{info.get('task_name') or 'redun'}: call graph", subheading)
    path = Path(output)
    path.write_text(page, encoding="utf-8")
    return path, {"execution_id": full_id, "calls": calls, "values": len(data["nodes"]) - calls}
