"""``graphbackend viz``: the self-contained call-graph page, opened in a real headless Chromium.

Chromium is Debian's ``chromium`` package (``/usr/bin/chromium``, or
``GRAPHBACKEND_CHROMIUM``), driven by Playwright; no test downloads a browser.
Without Chromium or Playwright the browser test fails (``chromium`` fixture in
conftest.py).
"""

from __future__ import annotations

import re
import uuid

import pytest
from redun import Scheduler, task

from graphbackend.cli import main as cli_main
from graphbackend.demo import workflow as demo
from graphbackend.explore import viz as _viz

redun_namespace = "graphbackend_tests.viz"


@task()
def square(i: int) -> int:
    return i * i


@task()
def add_up(values: list) -> int:
    return sum(values)


@task()
def many(n: int) -> int:
    return add_up([square(i) for i in range(n)])


@pytest.fixture
def recorded_demo(backend, neo4j_server, tmp_path, monkeypatch):
    """The demo workflow recorded once; the CLI pointed at the test server."""
    for name, value in (
        ("NEO4J_URI", neo4j_server.uri), ("NEO4J_USERNAME", neo4j_server.user),
        ("NEO4J_PASSWORD", neo4j_server.password or ""), ("NEO4J_DATABASE", neo4j_server.database),
    ):
        monkeypatch.setenv(name, value)
    scheduler = Scheduler(backend=backend)
    scheduler.load()
    execution_id = str(uuid.uuid4())
    scheduler.run(demo.main(str(tmp_path / "demo")), execution_id=execution_id)
    return execution_id


def test_viz_writes_a_self_contained_page(recorded_demo, tmp_path, capsys):
    output = tmp_path / "run.html"
    assert cli_main(["viz", recorded_demo[:8], "-o", str(output)]) == 0
    assert f"execution {recorded_demo[:8]}, 9 calls" in capsys.readouterr().out
    page = output.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", page) and "<link" not in page  # nothing to fetch
    assert f"vis-network {_viz.VIS_NETWORK_VERSION}" in page
    assert _viz.node_colours(["CallNode"])["background"] in page  # the Browser style's colours


def test_viz_unknown_execution_fails(recorded_demo, tmp_path, capsys):
    assert cli_main(["viz", "no-such-execution", "-o", str(tmp_path / "x.html")]) == 1
    assert "no execution has an id starting with 'no-such-execution'" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_viz_page_renders_nodes_in_chromium_offline(recorded_demo, tmp_path, chromium):
    output = tmp_path / "run.html"
    assert cli_main(["viz", recorded_demo, "-o", str(output)]) == 0

    page = chromium.new_page()
    outside = []

    def only_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_files)
    page.goto(output.as_uri())
    page.wait_for_function("document.body.dataset.rendered === 'true'", timeout=60000)
    counts = page.evaluate(
        "() => { const n = window.graphbackendNetwork.body.data.nodes.get();"
        " return {nodes: n.length, calls: n.filter(x => x.group === 'CallNode').length,"
        " files: n.filter(x => x.group === 'File').length,"
        " drawn: window.graphbackendNetwork.body.nodeIndices.length}; }"
    )
    assert counts["calls"] == 9 and counts["files"] == 4 and counts["drawn"] == counts["nodes"] > 9
    page.evaluate("window.graphbackendNetwork.fit()")
    page.wait_for_timeout(300)
    # The canvas really shows call nodes: count pixels of the CallNode colour.
    colour = _viz.node_colours(["CallNode"])["background"].lstrip("#")
    rgb = [int(colour[i:i + 2], 16) for i in (0, 2, 4)]
    painted = page.evaluate(
        """([r, g, b]) => {
            const canvas = document.querySelector('#graph canvas');
            const ctx = canvas.getContext('2d');
            const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
            let count = 0;
            for (let i = 0; i < data.length; i += 4) {
                if (Math.abs(data[i] - r) < 6 && Math.abs(data[i + 1] - g) < 6 && Math.abs(data[i + 2] - b) < 6) count++;
            }
            return count;
        }""",
        rgb,
    )
    assert painted > 500, f"only {painted} pixels of the CallNode colour were drawn"
    page.screenshot(path=str(tmp_path / "viz.png"))
    assert outside == []


@pytest.fixture
def recorded_large(backend, neo4j_server, monkeypatch):
    """An execution of 152 calls whose call graph has 400+ nodes."""
    for name, value in (
        ("NEO4J_URI", neo4j_server.uri), ("NEO4J_USERNAME", neo4j_server.user),
        ("NEO4J_PASSWORD", neo4j_server.password or ""), ("NEO4J_DATABASE", neo4j_server.database),
    ):
        monkeypatch.setenv(name, value)
    scheduler = Scheduler(backend=backend)
    scheduler.load()
    execution_id = str(uuid.uuid4())
    scheduler.run(many(150), execution_id=execution_id)
    return execution_id


def _rgb(colour):
    colour = colour.lstrip("#")
    return [int(colour[i:i + 2], 16) for i in (0, 2, 4)]


def test_viz_colours_and_layers_are_right_on_a_400_node_graph(recorded_large, tmp_path, chromium, capsys):
    output = tmp_path / "large.html"
    assert cli_main(["viz", recorded_large, "-o", str(output)]) == 0
    assert "152 calls" in capsys.readouterr().out
    page = chromium.new_page()
    page.goto(output.as_uri())
    page.wait_for_function("document.body.dataset.rendered === 'true'", timeout=120000)
    nodes = page.evaluate(
        """() => { const net = window.graphbackendNetwork; const pos = net.getPositions();
            return Object.values(net.body.nodes).filter(n => !n.isCluster && n.options.group).map(n => ({
              id: n.id, group: n.options.group, background: n.options.color.background,
              border: n.options.color.border, y: pos[n.id] ? pos[n.id].y : null})); }"""
    )
    assert len(nodes) >= 400
    expected = {group: _viz.node_colours(labels)["background"].lower()
                for group, labels in (("CallNode", ["CallNode"]), ("Value", ["Value"]), ("File", ["Value", "File"]))}
    wrong = [(node["id"], node["group"], node["background"]) for node in nodes
             if node["background"].lower() != expected[node["group"]]]
    assert wrong == [], f"{len(wrong)} of {len(nodes)} nodes drawn in other colours, e.g. {wrong[:3]}"
    # Layered: every child call is drawn below its parent call.
    y = {node["id"]: node["y"] for node in nodes}
    edges = page.evaluate("() => window.graphbackendNetwork.body.data.edges.get()"
                          ".filter(e => e.label === 'CHILD').map(e => [e.from, e.to])")
    assert len(edges) == 151
    assert all(y[parent] < y[child] for parent, child in edges)
    # The canvas shows both colours (pixels counted around a square call and its values,
    # drawn at full size; the whole graph fitted into the window would be a few pixels a node).
    square_call = next(node["id"] for node in nodes if node["group"] == "CallNode"
                       and node["y"] == sorted({n["y"] for n in nodes if n["group"] == "CallNode"})[1])
    page.evaluate("(id) => window.graphbackendNetwork.focus(id, {scale: 1.0, offset: {x: 0, y: -150}})", square_call)
    page.wait_for_timeout(300)
    painted = page.evaluate(
        """(colours) => {
            const canvas = document.querySelector('#graph canvas');
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            return colours.map(([r, g, b]) => { let count = 0;
              for (let i = 0; i < data.length; i += 4)
                if (Math.abs(data[i] - r) < 6 && Math.abs(data[i + 1] - g) < 6 && Math.abs(data[i + 2] - b) < 6) count++;
              return count; });
        }""",
        [_rgb(expected["CallNode"]), _rgb(expected["Value"])],
    )
    assert painted[0] > 200 and painted[1] > 200, painted


def test_viz_very_large_graphs_draw_the_calls_only_with_a_note(recorded_large, tmp_path, capsys):
    output = tmp_path / "calls.html"
    assert cli_main(["viz", recorded_large, "-o", str(output), "--max-nodes", "300"]) == 0
    out = capsys.readouterr().out
    assert "152 calls, 0 values" in out and "values not drawn: over --max-nodes 300" in out
    page = output.read_text(encoding="utf-8")
    assert "values not drawn (over 300 nodes: calls only; --max-nodes draws more)" in page
