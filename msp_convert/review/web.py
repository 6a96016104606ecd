"""The review page's HTML: the queue (GET /), one plan (GET /plans/{id}), and the model's shape
the plan's form is built from (GET /plans/{id}/shape.json).

The app (``app.py``) mounts ``routes()`` and ``/static``; its guard has settled the Host
header and the token before a route here runs. The pages are drawn by Jinja2 with
autoescape on: plan text is always escaped. The scripts under ``static/`` build the form
with textContent and value only, and talk to the JSON API with the page's token (its
``<meta name="review-token">``) as ``Authorization: Bearer``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import typing
from pathlib import Path
from typing import Any, Optional

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ..model import Entry, Plan
from ..template import Profile, profile_named

HERE = Path(__file__).parent
STATES = {"": "to review", "corrected": "corrected", "approved": "approved"}
# A warning's where: "outcomes[2].statement; page 3 [72.0 410.5 300.2 428.0]" (results.field_place).
_PAGE = re.compile(r"^page (?P<page>\d+)(?: \[(?P<box>[-\d. ]+)\])?$")
_PATH_KEYS = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def routes(templates_dir: Path = HERE / "templates") -> list[BaseRoute]:
    """The HTML routes, drawn from the templates in ``templates_dir``."""
    env = Environment(loader=FileSystemLoader(str(templates_dir)), autoescape=select_autoescape(default=True, default_for_string=True))
    env.globals["states"] = STATES

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**context), status_code=status)

    async def queue(request: Request) -> Response:
        review = request.app.state.review
        rows, meta = await run_in_threadpool(_queue_rows, review)
        codes = sorted({code for row in rows for code in row["warnings"]})
        verdicts = sorted({row["verdict"] for row in rows if row["verdict"]})
        return page("queue.html", rows=rows, meta=meta, codes=codes, verdicts=verdicts, token=review.token)

    async def plan_page(request: Request) -> Response:
        review = request.app.state.review
        found = await run_in_threadpool(_plan_view, review, request.path_params["plan_id"])
        if found is None:
            return page("missing.html", status=404, token=review.token)
        return page("plan.html", token=review.token, **found)

    async def shape(request: Request) -> Response:
        review = request.app.state.review
        template_id = await run_in_threadpool(_template_of, review, request.path_params["plan_id"])
        if template_id is None:
            return JSONResponse({"error": "no plan has this id"}, status_code=404)
        return JSONResponse({"shape": model_shape(Plan), "labels": labels(template_id), "weekly": weekly_costs(template_id)})

    return [
        Route("/", queue, methods=["GET"]),
        Route("/plans/{plan_id}", plan_page, methods=["GET"]),
        Route("/plans/{plan_id}/shape.json", shape, methods=["GET"]),
    ]


# --- the pages' data ---------------------------------------------------------------------------


def _queue_rows(review: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rows = sorted(review.store.plans(), key=lambda r: (r["priority"], r["file"]))
    return rows, review.store.meta(review.reviewer)


def _plan_view(review: Any, plan_id: str) -> Optional[dict[str, Any]]:
    """What plan.html shows before its script runs: the plan's line in the queue, its
    neighbours in the queue's order, and its warnings, each with the field it names."""
    rows, meta = _queue_rows(review)
    at = next((i for i, row in enumerate(rows) if row["id"] == plan_id), None)
    if at is None:
        return None
    data = _plan_json(review, plan_id)
    places = section_places(_template_id(data), data)
    warnings = [warning_view(w, data, places) for w in data.get("warnings") or [] if isinstance(w, dict)]
    return {
        "row": rows[at], "meta": meta, "child": child.get("name") if isinstance(child := data.get("child"), dict) else None,
        "prev": rows[at - 1]["id"] if at > 0 else None, "next": rows[at + 1]["id"] if at + 1 < len(rows) else None,
        "position": at + 1, "count": len(rows), "warnings": warnings, "problem": rows[at].get("problem") or "",
    }


def _plan_json(review: Any, plan_id: str) -> dict[str, Any]:
    """The plan's JSON as on disk; {} when it cannot be read (the queue's row says why)."""
    try:
        data = json.loads(review.store.plan_bytes(plan_id))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _template_of(review: Any, plan_id: str) -> Optional[str]:
    if plan_id not in review.store.entries:
        return None
    return _template_id(_plan_json(review, plan_id))


def _template_id(data: dict[str, Any]) -> str:
    return str((data.get("template") or {}).get("id") or "unknown")


def warning_view(warning: dict[str, Any], plan: dict[str, Any], places: Optional[dict[str, str]] = None) -> dict[str, Any]:
    """A warning as the page lists it: ``field`` the model path its where names (when the plan
    has it), ``page`` and ``box`` its place on the original (when given).

    A where that names a part of the form ("section 5 provision") links to that part
    (``places``); an unmapped-text warning to the unmapped text found there."""
    where = str(warning.get("where") or "")
    field, _, place = where.partition("; ")
    if _PAGE.match(field):
        field, place = "", field
    at = _PAGE.match(place)
    code = str(warning.get("code") or "")
    return {
        "code": code, "message": str(warning.get("message") or ""), "where": where,
        "field": _field_of(field, code, plan, places or {}),
        "page": at.group("page") if at else "", "box": (at.group("box") or "") if at else "",
    }


def _field_of(named: str, code: str, plan: dict[str, Any], places: dict[str, str]) -> str:
    if not named:
        return ""
    if has_path(plan, named):
        return named
    if code == "unmapped-text":
        kept = [i for i, item in enumerate(plan.get("unmapped") or []) if isinstance(item, dict) and item.get("where") == named]
        if kept:
            return f"unmapped[{kept[0]}]"
    return places.get(named, "")


def section_places(template_id: str, plan: dict[str, Any]) -> dict[str, str]:
    """How warnings name the parts of the plan's form ("section 1a", "part 2.4") -> the model
    path that holds each: its field, or its item in ``sections`` for a part the model has no field for."""
    profile = profile_named(template_id)
    kept = {item.get("key"): i for i, item in enumerate(plan.get("sections") or []) if isinstance(item, dict)}
    found = {"cover": "child"}
    for section in profile.sections:
        key = section.model_key if section.model_key in Plan.model_fields else section.ticks_field
        if section.kept and f"{profile.name}/{section.key}" in kept:
            found[section.where] = f"sections[{kept[f'{profile.name}/{section.key}']}]"
        elif not section.kept and key in Plan.model_fields:
            found[section.where] = str(key)
    return found


def has_path(data: Any, path: str) -> bool:
    """Does the plan's JSON hold this model path ("outcomes[2].statement")?"""
    if not path or _PATH_KEYS.sub("", path).strip(".") != "":
        return False
    for name, index in _PATH_KEYS.findall(path):
        if index:
            if not isinstance(data, list) or int(index) >= len(data):
                return False
            data = data[int(index)]
        elif isinstance(data, dict) and name in data:
            data = data[name]
        else:
            return False
    return True


# --- the model's shape, for the form ----------------------------------------------------------

_SCALARS = {bool: "bool", str: "text", int: "int", float: "number", dt.date: "date"}


def model_shape(model: type[BaseModel]) -> dict[str, Any]:
    """Every field of the model, in order, with its kind: what the form draws for it."""
    fields = [{"name": name, "shape": shape_of(info.annotation)} for name, info in model.model_fields.items()]
    return {"kind": "entry" if model is Entry else "object", "name": model.__name__, "fields": fields}


def shape_of(annotation: Any) -> dict[str, Any]:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Union and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        shape = shape_of(inner)
        return {**shape, "kind": "tick" if shape["kind"] == "bool" else shape["kind"], "nullable": True}
    if origin is typing.Literal:
        return {"kind": "choice", "options": list(args), "nullable": False}
    if origin is list:
        return _list_shape(args[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {**model_shape(annotation), "nullable": False}
    return {"kind": _SCALARS[annotation], "nullable": False}


def _list_shape(item: Any) -> dict[str, Any]:
    if typing.get_origin(item) is typing.Literal:
        return {"kind": "choices", "options": list(typing.get_args(item))}
    if item is str:
        return {"kind": "texts"}
    if typing.get_origin(item) is list:
        return {"kind": "rows"}
    return {"kind": "list", "item": shape_of(item), "new": new_item(item)}


def new_item(model: type[BaseModel]) -> dict[str, Any]:
    """A new list item's JSON: the model's defaults, a required field its simplest valid value."""
    required = {name: _simplest(info.annotation) for name, info in model.model_fields.items() if info.is_required()}
    return model.model_validate(required).model_dump(mode="json")


def _simplest(annotation: Any) -> Any:
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)[0]
    return {int: 1, str: ""}[annotation]


# --- labels: the form's own wording --------------------------------------------------------------


def labels(template_id: str) -> dict[str, str]:
    """Model path pattern ("provision[].resources") -> the wording the plan's form prints for it."""
    profile = profile_named(template_id)
    found: dict[str, str] = {}
    for section in profile.sections:
        if not section.kept:
            found.update(_section_labels(profile, section))
    found.update(_table_labels(profile))
    found.update({label.to: label.wording for label in profile.cover if label.to.startswith(("child.", "plan_dates."))})
    return found


def weekly_costs(template_id: str) -> Optional[bool]:
    """Are the amounts in a provision row's resources weekly by their column (``Column.weekly``)?
    True or False when every resources column of the plan's form says the same, else None."""
    kinds = {c.weekly for c in profile_named(template_id).provision_columns if c.field == "resources"}
    return kinds.pop() if len(kinds) == 1 else (False if not kinds else None)


def _section_labels(profile: Profile, section: Any) -> dict[str, str]:
    key = section.model_key
    base = f"{key}[]" if key in ("outcomes", "provision", "reviews") else key
    top = key in Plan.model_fields
    found: dict[str, str] = {}
    if top:
        heading = section.headings[0]
        group = profile.group_headings[0] if profile.group_headings and re.match(r"^[a-z]\)", heading) else ""
        found[key] = f"{group}: {heading}" if group else heading
    for prompt in section.prompts:
        if prompt.field:
            name = "written_by.helper" if prompt.kind == "helper" else prompt.field
            found[f"{base}.{name}" if top else prompt.field] = prompt.wording
    ticks = section.ticks_field
    for tick in section.ticks:
        found[f"{key}.{ticks}.{tick.key}" if ticks == "written_by" else f"{ticks}.{tick.key}"] = tick.label
    return found


def _table_labels(profile: Profile) -> dict[str, str]:
    found = {f"provision[].{c.field}": c.wording for c in profile.provision_columns}
    found.update({f"outcomes[].supported_by.{c.field}": c.wording for c in profile.supported_by})
    found.update({f"reviews[].progress[].{c.field}": c.wording for c in profile.review_progress_columns})
    if profile.areas_prompt is not None:
        found["outcomes[].areas_of_need"] = profile.areas_prompt.wording
    if profile.review_date_prompt:
        found["reviews[].date"] = profile.review_date_prompt
    return found
