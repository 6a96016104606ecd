"""The review page's HTML routes (msp_convert/review/web.py) through Starlette's test client:
the queue and plan pages as the server draws them (a plan's text escaped, warnings linked to
their fields, the queue's order and neighbours), every asset served by the app itself, no
address of another host and no inline script anywhere, the model's shape the form is built
from, and the form's weekly cost asked of the server as a row is edited (run by Node)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator

import pytest

from msp_convert.model import Plan
from msp_convert.review import web
from msp_convert.review.app import make_app
from msp_convert.review.store import open_store, plan_id

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from starlette.testclient import TestClient

REPO = Path(__file__).resolve().parents[1]
REVIEW = REPO / "msp_convert" / "review"
EXAMPLE = REPO.parent / "shared" / "spec" / "example" / "example-plan.json"
PORT = 8124
TOKEN = "web-test-token"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
HOSTILE = "<script>alert('x')</script>"


def example() -> dict[str, Any]:
    path = EXAMPLE if EXAMPLE.exists() else REPO / "fixtures" / "plans" / "01-eyfs-speech-language.expected.json"
    return Plan.model_validate_json(path.read_bytes()).model_dump(mode="json")


def hostile_plan() -> dict[str, Any]:
    """A plan whose text is markup: a child's name, a warning, an unmapped text and an entry."""
    plan = example()
    plan["child"]["name"] = HOSTILE
    plan["source"]["filename"] = "<b>bold</b>.docx"
    plan["unmapped"] = [{"where": "section <i>6</i>", "text": "<img src=x onerror=alert(1)>"}]
    plan["profile"]["communication"] = [{"text": HOSTILE, "withdrawn": False, "struck": [], "review": None, "review_date": None}]
    plan["warnings"] = [
        {"code": "ocr-low-confidence", "message": "read <b>unsurely</b>", "where": "profile.communication[0]; page 2 [48.7 278.0 102.5 287.2]"},
        {"code": "unmapped-text", "message": "kept in unmapped", "where": "section 6 review"},
        {"code": "handwriting", "message": "handwriting here", "where": "page 7 [404.2 241.7 456.5 262.3]"},
        {"code": "tick-box-unknown", "message": "a box", "where": "outcomes[99].supported_by; page 1"},
    ]
    return plan


def client_for(store: Any) -> TestClient:
    return TestClient(make_app(store, TOKEN, PORT, "Web Tester"), base_url=f"http://127.0.0.1:{PORT}")


@pytest.fixture
def one(tmp_path: Path) -> Iterator[tuple[TestClient, str]]:
    """One hostile plan's own .json under review."""
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(hostile_plan()), encoding="utf-8")
    with client_for(open_store(path)) as client:
        yield client, plan_id("plan.json")


@pytest.fixture
def batch(tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    """A batch's output of three plans: b.json with most warnings, then c.json, then a.json (none)."""
    counts = {"a.json": 0, "b.json": 3, "c.json": 1}
    rows = []
    for name, count in counts.items():
        plan = example()
        plan["warnings"] = [{"code": f"code-{i % 2}", "message": "m", "where": None} for i in range(count)]
        (tmp_path / name).write_text(json.dumps(plan), encoding="utf-8")
        rows.append({"path": name.replace(".json", ".docx"), "output": name, "status": "converted"})
    (tmp_path / "report.json").write_text(json.dumps({"files": rows}), encoding="utf-8")
    with client_for(open_store(tmp_path)) as client:
        yield client, tmp_path


class Tags(HTMLParser):
    """Every start tag's name and attributes, and the text of each script element."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Any]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def parsed(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def by_id(tags: Tags, ident: str) -> dict[str, str]:
    return next(attrs for _, attrs in tags.tags if attrs.get("id") == ident)


# --- the pages as served -------------------------------------------------------------------


def test_plan_page_shows_plan_text_as_text(one: tuple[TestClient, str]) -> None:
    client, pid = one
    answer = client.get(f"/plans/{pid}", headers=BEARER)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    html = answer.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html  # the child's name, escaped
    assert "&lt;b&gt;bold&lt;/b&gt;.docx" in html and "read &lt;b&gt;unsurely&lt;/b&gt;" in html
    assert "<script>alert" not in html and "<b>" not in html
    tags = parsed(html)
    scripts = [attrs for tag, attrs in tags.tags if tag == "script"]
    assert scripts == [{"type": "module", "src": "/static/plan.js"}] and tags.scripts == [""]
    assert by_id(tags, "plan")["data-plan-id"] == pid
    token = next(attrs["content"] for tag, attrs in tags.tags if tag == "meta" and attrs.get("name") == "review-token")
    assert token == TOKEN


def test_queue_shows_plan_text_as_text(one: tuple[TestClient, str]) -> None:
    client, pid = one
    html = client.get("/", headers=BEARER).text
    assert "&lt;b&gt;bold&lt;/b&gt;.docx" in html and "<b>" not in html
    row = by_id(parsed(html), f"row-{pid}")
    assert row["data-codes"].split() == ["ocr-low-confidence", "unmapped-text", "handwriting", "tick-box-unknown"]


def test_warnings_link_to_their_fields_and_places(one: tuple[TestClient, str]) -> None:
    client, pid = one
    tags = parsed(client.get(f"/plans/{pid}", headers=BEARER).text)
    links = [attrs for tag, attrs in tags.tags if tag == "a" and "goto" in attrs.get("class", "")]
    assert links == [
        {"href": "#", "class": "goto", "data-goto": "profile.communication[0]", "data-page": "2", "data-box": "48.7 278.0 102.5 287.2"},
        {"href": "#", "class": "goto", "data-goto": "reviews", "data-page": "", "data-box": ""},  # the form's part
        {"href": "#", "class": "goto", "data-goto": "", "data-page": "7", "data-box": "404.2 241.7 456.5 262.3"},
        {"href": "#", "class": "goto", "data-goto": "", "data-page": "1", "data-box": ""},  # outcomes[99]: no such field
    ]
    codes = [attrs["data-code"] for tag, attrs in tags.tags if tag == "li" and attrs.get("class") == "warning"]
    assert codes == ["ocr-low-confidence", "unmapped-text", "handwriting", "tick-box-unknown"]


def test_queue_in_priority_order_with_filters_and_count(batch: tuple[TestClient, Path]) -> None:
    client, out = batch
    html = client.get("/", headers=BEARER).text
    tags = parsed(html)
    order = [attrs["data-id"] for tag, attrs in tags.tags if tag == "tr" and attrs.get("class") == "plan-row"]
    assert order == [plan_id("b.json"), plan_id("c.json"), plan_id("a.json")]
    warning_filter = [attrs["value"] for tag, attrs in tags.tags if tag == "option"][2:5]  # after the verdicts' all, complete
    assert warning_filter == ["", "code-0", "code-1"]
    assert re.search(r'<span id="approved-count">0</span> of <span id="total-count">3</span> approved', html)
    assert client.post(f"/api/plans/{plan_id('c.json')}/approve", headers=BEARER).status_code == 200
    html = client.get("/", headers=BEARER).text
    assert '<span id="approved-count">1</span>' in html
    assert by_id(parsed(html), f"row-{plan_id('c.json')}")["data-review"] == "approved"


def test_plan_page_links_its_neighbours_in_the_queue(batch: tuple[TestClient, Path]) -> None:
    client, _ = batch
    first, middle, last = plan_id("b.json"), plan_id("c.json"), plan_id("a.json")
    tags = parsed(client.get(f"/plans/{middle}", headers=BEARER).text)
    assert by_id(tags, "prev")["href"] == f"/plans/{first}" and by_id(tags, "next")["href"] == f"/plans/{last}"
    tags = parsed(client.get(f"/plans/{first}", headers=BEARER).text)
    assert "href" not in by_id(tags, "prev") and by_id(tags, "prev")["aria-disabled"] == "true"
    assert by_id(tags, "download-new")["href"] == f"/api/plans/{first}/docx?mode=new"
    assert by_id(tags, "download-as-is")["href"] == f"/api/plans/{first}/docx?mode=as-is"


def test_a_plan_broken_on_disk_is_listed_and_says_so(batch: tuple[TestClient, Path]) -> None:
    client, out = batch
    (out / "c.json").write_text("{not json", encoding="utf-8")
    html = client.get("/", headers=BEARER).text
    assert "the plan&#39;s file cannot be read as JSON" in html
    answer = client.get(f"/plans/{plan_id('c.json')}", headers=BEARER)
    assert answer.status_code == 200 and 'id="problem"' in answer.text and "cannot be read as JSON" in answer.text
    assert client.get(f"/plans/{plan_id('c.json')}/shape.json", headers=BEARER).json()["weekly"] is False
    assert 'id="problem"' not in client.get(f"/plans/{plan_id('a.json')}", headers=BEARER).text


def test_unknown_plan_is_a_404_page(one: tuple[TestClient, str]) -> None:
    client, _ = one
    answer = client.get("/plans/000000000000", headers=BEARER)
    assert answer.status_code == 404 and "No such plan" in answer.text
    assert client.get("/plans/000000000000/shape.json", headers=BEARER).status_code == 404


def test_pages_need_the_token(one: tuple[TestClient, str]) -> None:
    client, pid = one
    for path in ("/", f"/plans/{pid}", f"/plans/{pid}/shape.json", "/static/plan.js"):
        assert client.get(path).status_code == 403


# --- assets: all served by the app, none from elsewhere, no inline script ---------------------


def assets_of(html: str) -> set[str]:
    tags = parsed(html)
    found = {attrs["src"] for tag, attrs in tags.tags if tag == "script"}
    return found | {attrs["href"] for tag, attrs in tags.tags if tag == "link" and attrs.get("rel") == "stylesheet"}


def test_every_asset_is_served_by_the_app(one: tuple[TestClient, str]) -> None:
    client, pid = one
    wanted = assets_of(client.get("/", headers=BEARER).text) | assets_of(client.get(f"/plans/{pid}", headers=BEARER).text)
    assert wanted == {"/static/review.css", "/static/queue.js", "/static/plan.js"}
    seen: set[str] = set()
    while wanted - seen:
        path = sorted(wanted - seen)[0]
        seen.add(path)
        answer = client.get(path, headers=BEARER)
        assert answer.status_code == 200, path
        kind = "text/css" if path.endswith(".css") else "text/javascript"
        assert answer.headers["content-type"].startswith(kind), path
        wanted |= {"/static/" + name for name in re.findall(r'from "\./([\w.-]+\.js)"', answer.text)}
    assert seen == {f"/static/{p.name}" for p in (REVIEW / "static").iterdir()}  # every file is used


def shipped() -> list[Path]:
    return sorted([*(REVIEW / "templates").iterdir(), *(REVIEW / "static").iterdir(), REVIEW / "web.py"])


def test_no_address_of_another_host_anywhere() -> None:
    for path in shipped():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?:|//[\w.-]+\.[a-z]{2,}|\bwss?:", text, re.IGNORECASE), path.name
        assert not re.search(r"@import|url\(", text), path.name


def test_no_inline_script_or_style_in_templates() -> None:
    for path in (REVIEW / "templates").iterdir():
        text = path.read_text(encoding="utf-8")
        for tag, attrs in parsed(text).tags:
            assert "style" not in attrs and not any(name.startswith("on") for name in attrs), (path.name, tag)
            assert tag != "style", path.name
            assert tag != "script" or attrs.get("src", "").startswith("/static/"), path.name
        assert "|safe" not in text.replace(" ", "") and "autoescape false" not in text, path.name


def test_scripts_build_the_page_from_text_only() -> None:
    """No HTML is ever parsed from a string: plan data reaches the page as textContent or value."""
    banned = r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\(\s*[\"'](?:on|style|href|src)"
    for path in (REVIEW / "static").glob("*.js"):
        assert not re.search(banned, path.read_text(encoding="utf-8")), path.name


# --- the model's shape ------------------------------------------------------------------------


def paths_of(value: Any, shape: dict[str, Any], path: str = "") -> Iterator[tuple[str, str]]:
    """(model path, kind) for every value the shape describes."""
    yield path, shape["kind"]
    if shape["kind"] in ("object", "entry") and value is not None:
        for field in shape["fields"]:
            yield from paths_of(value[field["name"]], field["shape"], f"{path}.{field['name']}".lstrip("."))
    elif shape["kind"] == "list":
        for i, item in enumerate(value):
            yield from paths_of(item, shape["item"], f"{path}[{i}]")


def test_shape_names_every_field_in_the_models_order(one: tuple[TestClient, str]) -> None:
    client, pid = one
    answer = client.get(f"/plans/{pid}/shape.json", headers=BEARER).json()
    shape = answer["shape"]
    assert [f["name"] for f in shape["fields"]] == list(Plan.model_fields)
    kinds = dict(paths_of(example(), shape))
    assert kinds["other_plans.child_in_need"] == "tick" and kinds["profile.written_by.helper"] == "text"
    assert kinds["outcomes[0].statement"] == "entry" and kinds["outcomes[0].areas_of_need"] == "choices"
    assert kinds["outcomes[0].statement.struck"] == "texts" and kinds["outcomes[0].statement.review_date"] == "date"
    assert kinds["provision[0].weekly_cost_gbp"] == "number" and kinds["reviews[0].label"] == "choice"
    assert kinds["reviews[0].progress[0].rating"] == "choice" and kinds["plan_number"] == "int"
    # every value of the plan's JSON is described (the walk above reaches each leaf)
    leaves = set(leaf_paths(example()))
    assert leaves - set(kinds) == set()
    assert answer["labels"]["provision[].resources"] == "Resources required (including weekly costs)"
    assert answer["weekly"] is False


def leaf_paths(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaf_paths(item, f"{path}.{key}".lstrip("."))
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        for i, item in enumerate(value):
            yield from leaf_paths(item, f"{path}[{i}]")
    else:
        yield path


def test_new_items_are_valid_model_items() -> None:
    """What "Add ..." puts in a list validates as that list's item."""
    models = {"Outcome", "Provision", "Review", "Progress", "DocRef", "Section", "Unmapped", "Entry"}
    found = {}

    def walk(shape: dict[str, Any]) -> None:
        if shape["kind"] == "list":
            found[shape["item"]["name"]] = shape["new"]
            walk(shape["item"])
        for field in shape.get("fields", []):
            walk(field["shape"])

    walk(web.model_shape(Plan))
    assert set(found) == models | {"PlanWarning"}
    from msp_convert import model

    for name, new in found.items():
        assert getattr(model, name).model_validate(new).model_dump(mode="json") == new
    assert found["Entry"] == {"text": "", "withdrawn": False, "struck": [], "review": None, "review_date": None}
    assert found["Review"]["label"] == "R1" and found["Outcome"]["number"] == 1


def test_labels_and_weekly_columns_come_from_the_plans_form() -> None:
    kirklees, york = web.labels("kirklees-v2f"), web.labels("york-2014")
    assert kirklees["other_plans.child_in_need"] == "Child in Need Plan"
    assert kirklees["profile.written_by.me_with_help"] == "Me with help from"
    assert kirklees["profile"] == "Section 1: About me: a) my profile"
    assert kirklees["reviews[].date"] == "Date of review"
    assert york["provision[].resources"] == "Weekly cost" and york["child.known_as"] == "I like to be known as"
    assert (web.weekly_costs("kirklees-v2f"), web.weekly_costs("york-2014"), web.weekly_costs("unknown")) == (False, True, False)


@pytest.mark.parametrize(
    "where, field, page, box",
    [
        ("outcomes[0].statement; page 3 [72.0 410.5 300.2 428.0]", "outcomes[0].statement", "3", "72.0 410.5 300.2 428.0"),
        ("child.name; page 1", "child.name", "1", ""),
        ("page 4", "", "4", ""),
        ("section 5 outcomes", "", "", ""),
        ("outcomes[7].statement", "", "", ""),  # no eighth outcome
        ("outcomes[0].nothing", "", "", ""),
        ("constructor", "", "", ""),
        ("", "", "", ""),
    ],
)
def test_warning_view(where: str, field: str, page: str, box: str) -> None:
    view = web.warning_view({"code": "c", "message": "m", "where": where}, example())
    assert (view["field"], view["page"], view["box"]) == (field, page, box)


def test_warnings_naming_a_part_of_the_form_link_to_it() -> None:
    plan = example()
    plan["unmapped"] = [{"where": "section 2", "text": "a"}, {"where": "section 6 review", "text": "b"}]
    places = web.section_places("kirklees-v2f", plan)
    assert places["section 1a"] == "profile" and places["introduction"] == "other_plans" and places["cover"] == "child"

    def field(code: str, where: str) -> str:
        return str(web.warning_view({"code": code, "message": "m", "where": where}, plan, places)["field"])

    assert field("unmapped-text", "section 6 review") == "unmapped[1]"  # the text it kept
    assert field("tick-box-unknown", "section 6 review; page 2 [1.0 2.0 3.0 4.0]") == "reviews"
    assert field("unmapped-text", "section 5 provision") == "provision"  # none kept there: the part
    assert field("ocr-confidence", "after section 7") == ""
    york = {**example(), "sections": [{"key": "york-2014/2.4", "heading": "2.4", "entries": [], "rows": []}]}
    places = web.section_places("york-2014", york)
    assert places["part 2.4"] == "sections[0]" and places["part 2.1"] == "parent_views" and "part 1.1" not in places


def run_node(tmp_path: Path, script: str) -> Any:
    """The script's JSON output, run by Node beside the page's scripts (as ES modules)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is not installed: run install.sh (it installs Debian's nodejs)")
    for path in (REVIEW / "static").glob("*.js"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    (tmp_path / "run.mjs").write_text(script, encoding="utf-8")
    done = subprocess.run([node, str(tmp_path / "run.mjs")], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_form_paths_and_unmapped_text_moved_to_a_field(tmp_path: Path) -> None:
    """The form's own logic, without a page: model paths, where text may go, and moving it there."""
    plan = example()
    plan["unmapped"] = [{"where": "w", "text": "one"}, {"where": "w", "text": "two"}, {"where": "w", "text": "three"}]
    plan["outcomes"][0]["statement"] = None
    plan["child"]["upn"] = None
    script = (
        'import { PlanForm, keysOf, resolve, pattern } from "./form.js";\n'
        'import { parentPath } from "./pages.js";\n'
        f"const shape = {json.dumps(web.model_shape(Plan))};\n"
        f"const plan = {json.dumps(plan)};\n"
        "const form = new PlanForm({ addEventListener() {} }, { shape, labels: {}, weekly: false }, { onChange() {} });\n"
        "form.plan = plan; form.weekly = new WeakMap(); form.render = () => {};\n"
        "const targets = form.targets();\n"
        'const paths = [keysOf("outcomes[2].statement.struck[0]"), pattern("reviews[1].progress[0].text"),'
        ' parentPath("outcomes[2].statement.text"), parentPath("outcomes[2]"), parentPath("outcomes"),'
        ' resolve(plan, "child.name")[1], resolve(plan, "outcomes[99].statement")];\n'
        'form.move(0, "profile.communication"); form.move(0, "outcomes[0].statement"); form.move(0, "child.upn");\n'
        "console.log(JSON.stringify({ targets, paths, plan }));\n"
    )
    out = run_node(tmp_path, script)
    assert out["paths"] == [["outcomes", 2, "statement", "struck", 0], "reviews[].progress[].text",
                            "outcomes[2].statement", "outcomes", "", "name", None]
    targets = out["targets"]
    assert {"profile.communication", "health_needs", "outcomes[0].statement", "child.upn", "provision[0].resources"} <= set(targets)
    assert "outcomes[1].statement" not in targets and "child.name" not in targets  # not empty: nothing is overwritten
    assert not any(t.startswith(("unmapped", "warnings", "source", "coverage", "template")) for t in targets)
    moved = out["plan"]
    assert moved["unmapped"] == []
    assert moved["profile"]["communication"][-1] == {"text": "one", "withdrawn": False, "struck": [], "review": None, "review_date": None}
    assert moved["outcomes"][0]["statement"]["text"] == "two" and moved["child"]["upn"] == "three"
    assert Plan.model_validate(moved)


# --- the form's weekly cost: asked of the server (POST /api/cost), never counted in the page ---------

COST_SCRIPT = """
import { PlanForm } from "./form.js";
const status = { textContent: "", dataset: {} };
globalThis.document = { querySelector: () => ({ content: "T0K" }), getElementById: () => status };
const asked = [];
globalThis.fetch = (path, init) => new Promise((resolve) => asked.push({ path, init, resolve }));
const answer = (i, code, body) => asked[i].resolve(new Response(JSON.stringify(body), { status: code, headers: { "content-type": "application/json" } }));
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const outputs = {};
const root = { addEventListener() {}, querySelector: (sel) => (outputs[sel] ??= { textContent: "" }) };
const OUT = 'output[data-path="provision[0].weekly_cost_gbp"]';
const log = [];
const seen = (what, form) => log.push([what, outputs[OUT]?.textContent ?? null, form.plan.provision[0].weekly_cost_gbp,
  asked.length, status.textContent.includes("not recomputed")]);
const sent = (i) => [asked[i].path, asked[i].init.method, asked[i].init.headers.Authorization, JSON.parse(asked[i].init.body)];

function formFor(plan, weekly) {
  const form = new PlanForm(root, { shape: { fields: [] }, labels: {}, weekly },
    { onChange() { status.textContent = "Unsaved changes."; } }); // as the plan page says
  form.render = () => {};
  form.show(plan);
  return form;
}
const plan = PLAN;
const form = formFor(plan, false);
const entry = plan.provision[0].resources[0];
const type = (text) => form.set(entry, "text", text, "provision[0].resources[0].text");
type("£10 per week"); type("£12 per week"); seen("typed", form);
await sleep(250); seen("paused", form);
type("£15 per week"); await sleep(250); seen("typed again", form);
answer(1, 200, { weekly_cost_gbp: 15 }); await sleep(10); answer(0, 200, { weekly_cost_gbp: 12 }); await sleep(10);
seen("answered, the older last", form);
type("£16 per week"); await sleep(250);
answer(2, 422, { errors: [{ path: "resources[0].text", message: "at most 1000 characters" }] }); await sleep(10);
seen("refused", form);
type("£20 per week"); const settling = form.settled(); await sleep(10); seen("saving", form);
answer(3, 200, { weekly_cost_gbp: 20 }); const problem = await settling; seen("settled", form);
const first = [sent(0), sent(1), sent(3)];

// A form with both kinds of column: the row's own reading found from the cost it held as read.
const mixed = structuredClone(PLAN);
mixed.provision[0].weekly_cost_gbp = 25.5;
const read = structuredClone(mixed.provision[0].resources);
const other = formFor(mixed, null);
const start = asked.length;
other.set(mixed.provision[0].resources[0], "withdrawn", true, "provision[0].resources[0].withdrawn");
await sleep(250);
const column = asked.slice(start).map((a) => JSON.parse(a.init.body));
answer(start, 200, { weekly_cost_gbp: null }); answer(start + 1, 200, { weekly_cost_gbp: 25.5 }); await sleep(10);
const then = JSON.parse(asked[start + 2].init.body);
console.log(JSON.stringify({ log, first, problem, column, read, then, mixed: mixed.provision[0].resources }));
"""


def test_the_weekly_cost_is_asked_of_the_server_the_latest_answer_shown(tmp_path: Path) -> None:
    """The form counts no cost itself: a row's edits pause, its resources go to POST /api/cost with the token;
    "..." while waiting; the latest edit's answer wins; a refusal keeps the last cost and says so; a save waits."""
    plan = example()
    out = run_node(tmp_path, COST_SCRIPT.replace("PLAN", json.dumps(plan)))
    # [what, shown, the row's weekly_cost_gbp, requests so far, the status says not recomputed]
    held = plan["provision"][0]["weekly_cost_gbp"]
    assert out["log"] == [
        ["typed", "...", held, 0, False],  # nothing asked while typing
        ["paused", "...", held, 1, False],  # one question for both edits
        ["typed again", "...", held, 2, False],
        ["answered, the older last", "£15.00", 15, 2, False],  # the answer to the latest edit stays
        ["refused", "£15.00", 15, 3, True],
        ["saving", "...", 15, 4, False],  # asked at once, not after the pause
        ["settled", "£20.00", 20, 4, False],
    ]
    first, *rest = plan["provision"][0]["resources"]

    def asked(text: str) -> list[Any]:
        return ["/api/cost", "POST", "Bearer T0K", {"resources": [{**first, "text": text}, *rest], "weekly": False}]

    assert out["first"] == [asked("£12 per week"), asked("£15 per week"), asked("£20 per week")] and out["problem"] is None
    # both kinds of column: the row read as weekly because only that reading gave the cost it held
    assert out["column"] == [{"resources": out["read"], "weekly": False}, {"resources": out["read"], "weekly": True}]
    assert out["then"] == {"resources": out["mixed"], "weekly": True} and out["mixed"][0]["withdrawn"] is True
