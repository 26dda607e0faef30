"""Neo4j Browser out of the box: the style, the guide, the settings, and a real Browser session.

The last test starts the local server (``graphbackend.server.local.LocalServer``, as
``graphbackend server start`` does) in a temporary home, records the demo
workflow into it, and drives its Neo4j Browser in headless Chromium (Debian's
``chromium``, via Playwright): connect, check the style was applied on connect,
open the guide with ``:play graphbackend.html``, run its ``:param`` and
call-graph query, and check the drawn nodes carry the style's colours and
captions. The screenshot goes to the test's tmp dir (and to
``GRAPHBACKEND_SCREENSHOT_DIR`` when set). Without Chromium or Playwright it fails
(``chromium`` fixture in conftest.py).
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import pytest
from redun import Scheduler

from graphbackend import Neo4jBackend
from graphbackend.backend.cypher import query, query_names
from graphbackend.demo import workflow as demo
from graphbackend.explore import browser as _browser
from graphbackend.explore import viz as _viz

LABELS = ["Execution", "Job", "CallNode", "Value", "Task", "File", "Handle", "Evaluation", "Tag"]



# The assets and settings -------------------------------------------------------------


def test_guide_file_is_generated_from_the_queries():
    assert _browser.guide_path().read_text(encoding="utf-8") == _browser.render_guide(), (
        "the guide is stale: run `python -m graphbackend.explore.browser`"
    )
    guide = _browser.guide_path().read_text(encoding="utf-8")
    assert guide.count("<slide") == len(_browser.GUIDE_SLIDES)
    browser_queries = [name for name in query_names() if name.startswith("browser_")]
    used = {name for _, _, blocks in _browser.GUIDE_SLIDES for name in blocks}
    assert set(browser_queries) <= used, "every browser_* query appears in the guide"


def test_style_gives_every_label_a_colour_and_caption():
    rules = _viz.style_rules()
    captions = {
        "Execution": "{start_time}", "Job": "{name}", "CallNode": "{name}",
        "Value": "{type} {value_hash}", "File": "{path}", "Tag": "{key}={value}", "Task": "{name}",
    }
    for label in LABELS:
        rule = rules[f"node.{label}"]
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", rule["color"]), label
        assert rule["caption"], label
    for label, caption in captions.items():
        assert rules[f"node.{label}"]["caption"] == caption
    colours = [rules[f"node.{label}"]["color"] for label in ("Execution", "Job", "CallNode", "Value", "File", "Tag")]
    assert len(set(colours)) == len(colours)
    # A File (also a Value) takes the File rule: it comes after the Value rule.
    assert _viz.node_colours(["Value", "File"])["background"] == rules["node.File"]["color"]


def test_browser_config_applies_the_style_and_allows_loopback():
    config = _browser.browser_config(7999)
    assert set(config) == {"browser.post_connect_cmd", "browser.remote_content_hostname_whitelist"}
    assert config["browser.post_connect_cmd"] == (
        "style http://127.0.0.1:7999/browser/graphbackend/style.grass")
    allowed = config["browser.remote_content_hostname_whitelist"].split(",")
    assert "127.0.0.1" in allowed and "http://127.0.0.1:7999/browser/graphbackend" in allowed
    assert not any("neo4j.com" in host for host in allowed)  # nothing leaves the machine
    assert _browser.style_path().exists() and _browser.guide_path().exists()
    assert _browser.classpath_root() / "browser" / "graphbackend" == _browser.asset_dir()


def test_browser_queries_return_the_recorded_workflow(backend, tmp_path):
    scheduler = Scheduler(backend=backend)
    scheduler.load()
    ids = [str(uuid.uuid4()), str(uuid.uuid4())]
    for execution_id in ids:
        report = scheduler.run(demo.main(str(tmp_path)), execution_id=execution_id)
    graph = backend.graph

    def run(name, **params):
        return graph.read_tx(lambda tx: tx.run_text(query(name), **params))

    picked = run_text_param(graph, _browser.PICK_EXECUTION)
    assert picked == ids[1]
    assert run_text_param(graph, _browser.PICK_FILE) == report.path

    latest = run("browser_latest_executions")
    assert [record["e"]["id"] for record in latest] == [ids[1], ids[0]]
    table = run("browser_execution_table")
    assert [(r["jobs"], r["cached"]) for r in table] == [(9, 9), (9, 0)]
    tree = run("browser_execution_job_tree", execution_id=ids[0])
    assert {node["id"] for r in tree for node in r["tree"].nodes if "Job" in node.labels} and len(tree) == 9
    calls = run("browser_execution_call_graph", execution_id=ids[0])
    call_nodes = {n["call_hash"] for r in calls for n in r["calls"].nodes}
    assert len(call_nodes) == 9
    # The caption of Jobs and CallNodes: the task's short name, without the namespace.
    named = graph.read_tx(lambda tx: tx.run_text(
        "MATCH (n) WHERE n:Job OR n:CallNode RETURN DISTINCT n.task_name AS full, n.name AS name"))
    assert {(r["full"], r["name"]) for r in named} == {
        (f"graphbackend_demo.{task}", task)
        for task in ("main", "write_text", "count_words", "merge_counts", "write_report")
    }
    lineage = run("browser_file_lineage", file_path="report.json")
    tasks = {n["task_name"] for r in lineage for n in r["chain"].nodes}
    assert tasks == {"graphbackend_demo.main", "graphbackend_demo.write_report", "graphbackend_demo.merge_counts",
                     "graphbackend_demo.count_words", "graphbackend_demo.write_text"}
    cached = run("browser_execution_cached", execution_id=ids[1])
    assert len(cached) == 9 and {r["outcome"] for r in cached} == {"cached"}
    ran = run("browser_execution_cached", execution_id=ids[0])
    assert {r["outcome"] for r in ran} == {"ran"}
    assert run("browser_tags") == [] and run("browser_tag_history") == []


def run_text_param(graph, expression):
    """Evaluate a guide ``:param`` expression the way Neo4j Browser does (``RETURN expr``)."""
    records = graph.read_tx(lambda tx: tx.run_text(f"RETURN {expression} AS value"))
    return records[0]["value"]


# A real Browser session on the local server -----------------------------------------------


@pytest.fixture(scope="module")
def local_server(tmp_path_factory):
    """The local launcher's server (with Browser assets and settings), recording the demo."""
    from graphbackend.server.local import LocalServer, free_port

    password = "graphbackend-ui"
    server = LocalServer(
        home=tmp_path_factory.mktemp("browser-ui-home"), bolt_port=free_port(),
        http_port=free_port(), password=password, heap="512m", page_cache="64m",
    )
    server.start()
    try:
        backend = Neo4jBackend(uri=server.bolt_uri, password=password)
        backend.load(migrate=True)
        scheduler = Scheduler(backend=backend)
        scheduler.load()
        work_dir = tmp_path_factory.mktemp("browser-ui-demo")
        scheduler.run(demo.main(str(work_dir)), execution_id=str(uuid.uuid4()))
        backend.close()
        yield server, password
    finally:
        server.stop()



def test_neo4j_browser_shows_the_styled_call_graph(chromium, local_server, tmp_path):
    server, password = local_server
    page = chromium.new_page()
    page.goto(server.browser_url)
    page.locator('[data-testid="bolt-scheme-select"]').select_option("bolt://")
    page.locator('[data-testid="boltaddress"]').fill(f"127.0.0.1:{server.bolt_port}")
    page.locator('[data-testid="username"]').fill("neo4j")
    page.locator('[data-testid="password"]').fill(password)
    page.locator('[data-testid="connect"]').click()
    page.get_by_text("You are connected as user").wait_for(timeout=60000)

    # browser.post_connect_cmd loaded the style from the server itself.
    style_command = f":style {_browser.style_url(server.http_port)}"
    page.get_by_text(style_command).first.wait_for(timeout=30000)
    page.get_by_text("node.CallNode").first.wait_for(timeout=30000)

    # The guide is one command away; its first slide picks the latest execution.
    page.locator('[data-testid="activeEditor"]').click()
    page.keyboard.type(":play graphbackend.html")
    page.keyboard.press("Enter")
    page.locator("pre.runnable", has_text=":param execution_id").click()
    page.keyboard.press("Control+Enter")
    page.get_by_text("Successfully set your parameters").first.wait_for(timeout=30000)
    for _ in range(3):  # to the "call graph" slide
        page.locator("button.next-slide").first.click()
    call_graph = page.locator("pre.runnable", has_text="RETURN calls, args, results")
    call_graph.click()
    page.keyboard.press("Control+Enter")
    page.locator("svg g.node").first.wait_for(timeout=60000)
    page.wait_for_timeout(2000)  # let the force layout settle for the screenshot

    rules = _viz.style_rules()
    fills = page.eval_on_selector_all("svg g.node circle.b-outline", "els => els.map(e => e.getAttribute('fill'))")
    fills = [fill.upper() for fill in fills]
    assert fills.count(rules["node.CallNode"]["color"].upper()) == 9
    assert fills.count(rules["node.File"]["color"].upper()) == 4
    assert rules["node.Value"]["color"].upper() in fills
    captions = " ".join(page.eval_on_selector_all("svg g.node text", "els => els.map(e => e.textContent)"))
    assert "builtins." in captions and "count_words" in captions and "write_report" in captions

    frame = page.locator("article").filter(has=page.locator("svg g.node")).first
    shot = tmp_path / "browser-call-graph.png"
    frame.screenshot(path=str(shot))
    assert shot.stat().st_size > 10000
    target = os.environ.get("GRAPHBACKEND_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(target) / shot.name)
