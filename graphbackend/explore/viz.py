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


#: Above this many nodes, ``viz`` leaves the values out and draws the calls only (with a note).
DEFAULT_MAX_NODES = 1500
LAYOUTS = ("layered", "force")


def _call_depths(records: List[Dict[str, Any]]) -> Dict[str, int]:
    """Depth of each call in the CHILD tree (the root call 0), and calls in call order (DFS)."""
    children = {record["call_hash"]: sorted((c for c in record["children"] if c),
                                            key=lambda c: c.get("call_order") or 0)
                for record in records}
    is_child = {child["call_hash"] for kids in children.values() for child in kids}
    depths: Dict[str, int] = {}
    stack = [(record["call_hash"], 0) for record in records if record["call_hash"] not in is_child][::-1]
    while stack:
        call_hash, depth = stack.pop()
        if call_hash in depths:
            continue
        depths[call_hash] = depth
        stack.extend((child["call_hash"], depth + 1) for child in reversed(children.get(call_hash, []))
                     if child["call_hash"] in children)
    for record in records:
        depths.setdefault(record["call_hash"], 0)
    return depths


def call_graph(graph: Graph, execution_id: str, max_nodes: int = DEFAULT_MAX_NODES) -> Dict[str, Any]:
    """The execution's call graph as vis-network ``nodes`` and ``edges`` lists.

    Every node has a ``level`` for the layered layout: a call sits one level below its
    parent call (two rows apart), a value one row below the deepest call that returned it
    (else below the call that took it). When calls and values together exceed
    ``max_nodes``, the values are left out (``collapsed_values`` says how many) and only
    the calls with their CHILD and UPSTREAM edges are drawn. Calls come in call order.
    """
    records = [_explore.plain(record.data()) for record in graph.read("explore_execution_call_graph", execution_id=execution_id)]
    depths = _call_depths(records)
    order = {call_hash: index for index, call_hash in enumerate(depths)}
    records.sort(key=lambda record: order.get(record["call_hash"], 0))
    value_hashes = {value["value_hash"] for record in records
                    for value in [*(arg for arg in record["args"] if arg), record.get("result")] if value}
    collapse = len(records) + len(value_hashes) > max_nodes
    nodes: Dict[str, Dict[str, Any]] = {}
    edges: List[Dict[str, Any]] = []

    def add_value(value: Dict[str, Any], level: int) -> str:
        node_id = "v:" + value["value_hash"]
        if node_id in nodes:
            nodes[node_id]["level"] = max(nodes[node_id]["level"], level)
        else:
            labels = value.get("labels") or ["Value"]
            colours = node_colours(labels)
            nodes[node_id] = {
                "id": node_id, "label": _value_label(value), "title": _value_title(value),
                "group": "File" if "File" in labels else "Value",
                "shape": "box" if "File" in labels else "dot", "size": 12,
                "color": {"background": colours["background"], "border": colours["border"]},
                "font": {"color": "#2A2C34", "size": 12}, "level": level,
            }
        return node_id

    call_colours = node_colours(["CallNode"])
    for record in records:
        level = 2 * depths.get(record["call_hash"], 0)
        nodes["c:" + record["call_hash"]] = {
            "level": level,
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
        level = nodes[source]["level"]
        for arg in ([] if collapse else record["args"]):
            if not arg:
                continue
            name = arg["key"] if arg.get("key") is not None else str(arg.get("position"))
            edges.append({"from": source, "to": add_value(arg, level + 1), "label": name,
                          "color": edge_colour("ARG"), "dashes": False})
        if record.get("result") and not collapse:
            edges.append({"from": source, "to": add_value(record["result"], level + 1), "label": "RESULT",
                          "color": edge_colour("RESULT"), "width": 2})
        for up in record["upstream"]:
            if up and "c:" + up["call_hash"] in nodes:
                edges.append({"from": source, "to": "c:" + up["call_hash"], "label": "UPSTREAM",
                              "color": edge_colour("UPSTREAM"), "width": 3, "dashes": True})
    return {"nodes": list(nodes.values()), "edges": edges,
            "collapsed_values": len(value_hashes) if collapse else 0}


def groups() -> Dict[str, Dict[str, Any]]:
    """vis-network ``groups`` with the style's colours, set explicitly so that vis-network's
    default group palette never replaces them (it did above ~150 nodes)."""
    result = {}
    for group, labels, shape in (("CallNode", ["CallNode"], "ellipse"), ("Value", ["Value"], "dot"),
                                 ("File", ["Value", "File"], "box")):
        colours = node_colours(labels)
        colour = {"background": colours["background"], "border": colours["border"]}
        result[group] = {"shape": shape, "color": {**colour, "highlight": colour, "hover": colour}}
    return result


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
  var layered = {layered};
  var container = document.getElementById("graph");
  var options = {{
    groups: {groups},
    edges: {{ arrows: "to", font: {{ size: 9, align: "middle" }},
              smooth: layered ? false : {{ type: "dynamic" }} }},
    nodes: {{ borderWidth: 2 }},
    interaction: {{ hover: true, tooltipDelay: 100, hideEdgesOnDrag: data.nodes.length > 300 }}
  }};
  if (layered) {{
    /* Parent call above its child calls, values below the call that made them; calls of a
       level left to right in call order (the dataflow's order). */
    options.layout = {{ improvedLayout: false, hierarchical: {{ enabled: true, direction: "UD",
      sortMethod: "directed", levelSeparation: 110, nodeSpacing: 90, treeSpacing: 120,
      blockShifting: true, edgeMinimization: data.nodes.length <= 300, parentCentralization: true }} }};
    options.physics = false;
  }} else {{
    options.layout = {{ improvedLayout: false }};
    options.physics = {{ solver: "forceAtlas2Based", stabilization: {{ iterations: 300 }} }};
  }}
  var network = new vis.Network(container, {{
    nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)
  }}, options);
  window.graphbackendNetwork = network;
  if (layered) {{
    network.fit();
  }} else {{
    network.once("stabilizationIterationsDone", function () {{
      network.setOptions({{ physics: false }});
      network.fit();
    }});
  }}
  network.on("afterDrawing", function () {{ document.body.dataset.rendered = "true"; }});
}})();
</script>
</body>
</html>
"""


def render_html(data: Dict[str, Any], heading: str, subheading: str = "", layout: str = "layered") -> str:
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
        layered="true" if layout == "layered" else "false", groups=json.dumps(groups(), sort_keys=True),
    )


def write_execution_html(graph: Graph, execution_id: Optional[str], output, layout: str = "layered",
                         max_nodes: int = DEFAULT_MAX_NODES) -> Tuple[Path, Dict[str, Any]]:
    """Write the call graph page of an execution (id, unique prefix, or None for the latest).

    ``layout``: ``layered`` (default: parent call above child, values below their call) or
    ``force``. Above ``max_nodes`` nodes the values are left out (see :func:`call_graph`).
    Returns the path written and a summary ``{"execution_id", "calls", "values",
    "collapsed_values"}``.
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
    if layout not in LAYOUTS:
        raise _explore.ExploreError(f"unknown layout {layout!r} (use {' or '.join(LAYOUTS)})")
    data = call_graph(graph, full_id, max_nodes=max_nodes)
    calls = sum(1 for node in data["nodes"] if node["group"] == "CallNode")
    if not calls:
        raise _explore.ExploreError(
            f"execution {full_id} has no recorded call graph (its root job has no call node yet)"
        )
    subheading = (
        f"execution {full_id} started {(info.get('start_time') or '')[:19].replace('T', ' ')} UTC; "
        f"{info.get('status')}; jobs: {info.get('jobs', 0)} (DONE: {info.get('done', 0)}, "
        f"CACHED: {info.get('cached', 0)}, FAILED: {info.get('failed', 0)})"
    )
    if data["collapsed_values"]:
        subheading += (f"; {data['collapsed_values']} values not drawn (over {max_nodes} nodes: "
                       f"calls only; --max-nodes draws more)")
    page = render_html(data, f"{info.get('task_name') or 'redun'}: call graph", subheading, layout=layout)
    path = Path(output)
    path.write_text(page, encoding="utf-8")
    return path, {"execution_id": full_id, "calls": calls, "values": len(data["nodes"]) - calls,
                  "collapsed_values": data["collapsed_values"]}
