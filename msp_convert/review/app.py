"""The review app: the JSON API under the review page, the page's HTML routes (``web.py``) and its static files.

Every route names a plan by its id (``store.plan_id``), never by a path; the
guard around the app (``security.Guard``) has settled the Host header and the
token before a route runs. Answers are JSON, except page images (PNG) and
DOCX downloads; an error is JSON with one line free of plan content.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ..mapping.entries import weekly_cost
from ..model import Entry
from ..reader import MAX_PLAN_JSON_BYTES, json_path
from .pages import NoPages, Pages
from .security import Guard
from .store import Conflict, Invalid, NotFound, Store, WriteFailed, etag

# A weekly cost asked for (POST /api/cost): bounded so no question costs much (the model's amounts are read
# by regular expressions; a long run of digits in one text costs time that grows with its square).
COST_BYTES = 64 * 1024  # the request's body
COST_ENTRIES = 50  # entries of one row's resources
COST_TEXT = 1000  # characters of one entry's text
COST_CHARS = 4000  # characters of all the texts and struck fragments
HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Review:
    """What every route may use: ``request.app.state.review``."""

    store: Store
    token: str
    reviewer: str
    pages: Pages


def _review(request: Request) -> Review:
    return request.app.state.review  # type: ignore[no-any-return]


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _plan_route(handler: Callable[[Review, str, Request], Any]) -> Callable[[Request], Awaitable[Response]]:
    """A route about one plan: its id checked (404), the handler run off the event loop, its errors answered."""

    async def endpoint(request: Request) -> Response:
        review = _review(request)
        plan_id = request.path_params["plan_id"]
        try:
            review.store.entry(plan_id)
            result = await run_in_threadpool(handler, review, plan_id, request)
        except NotFound:
            return _error(404, "no plan has this id")
        except FileNotFoundError:
            return _error(404, "the plan's file is gone from the output folder")
        return result if isinstance(result, Response) else JSONResponse(result)

    return endpoint


async def list_plans(request: Request) -> Response:
    return JSONResponse(await run_in_threadpool(_review(request).store.plans))


async def meta(request: Request) -> Response:
    review = _review(request)
    return JSONResponse(await run_in_threadpool(review.store.meta, review.reviewer))


def get_plan(review: Review, plan_id: str, request: Request) -> Response:
    """The plan's JSON as on disk; its ETag, which a PUT may send back as If-Match."""
    data = review.store.plan_bytes(plan_id)
    return Response(data, media_type="application/json", headers={"etag": etag(data)})


async def put_plan(request: Request) -> Response:
    """A whole plan saved: 200 {"review", "changes", "etag"}, 422 {"errors": [{"path", "message"}]}, 409 (If-Match
    given and the plan saved elsewhere since), 413, 500."""
    review = _review(request)
    plan_id = request.path_params["plan_id"]
    if plan_id not in review.store.entries:
        return _error(404, "no plan has this id")
    body = await _body(request, MAX_PLAN_JSON_BYTES + 1)
    if body is None:
        return _error(413, f"a plan's JSON is at most {MAX_PLAN_JSON_BYTES // 2**20} MiB")
    try:
        saved = await run_in_threadpool(review.store.save, plan_id, body, review.reviewer, request.headers.get("if-match"))
    except Invalid as err:
        return JSONResponse({"errors": err.errors}, status_code=422)
    except Conflict:
        return _error(409, "the plan was saved elsewhere (another tab?) since this page read it; reload it and make the changes again")
    except WriteFailed as err:
        return _error(500, err.message)
    return JSONResponse(saved, headers={"etag": saved["etag"]})


async def _body(request: Request, limit: int) -> Optional[bytes]:
    """The request's body, or None past ``limit`` bytes."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class CostQuestion(BaseModel):
    """A provision row's resources (entries as the model has them) and whether its column's amounts are weekly."""

    model_config = ConfigDict(extra="forbid")
    resources: list[Entry] = Field(max_length=COST_ENTRIES)
    weekly: bool = False


async def cost(request: Request) -> Response:
    """The weekly cost of a provision row as the reader counts it (``mapping.entries.weekly_cost``):
    200 {"weekly_cost_gbp": pounds or null}, 422 {"errors": [{"path", "message"}]}, 413."""
    body = await _body(request, COST_BYTES)
    if body is None:
        return _error(413, f"a weekly cost is asked for with at most {COST_BYTES // 1024} KiB")
    try:
        question = CostQuestion.model_validate_json(body)
    except ValidationError as err:
        problems = err.errors(include_input=False, include_url=False, include_context=False)
        errors = [{"path": json_path(e["loc"]) if e["loc"] else "(the whole request)", "message": e["msg"]} for e in problems]
        return JSONResponse({"errors": errors}, status_code=422)
    too_long = _too_long(question.resources)
    if too_long:
        return JSONResponse({"errors": [too_long]}, status_code=422)
    amount = await run_in_threadpool(weekly_cost, question.resources, question.weekly)
    return JSONResponse({"weekly_cost_gbp": amount})


def _too_long(resources: list[Entry]) -> Optional[dict[str, str]]:
    """The first entry past the bounds of a weekly cost's question, as a problem at its path; else None."""
    total = 0
    for i, entry in enumerate(resources):
        if len(entry.text) > COST_TEXT:
            return {"path": f"resources[{i}].text", "message": f"at most {COST_TEXT} characters for a weekly cost"}
        total += len(entry.text) + sum(len(f) for f in entry.struck)
        if total > COST_CHARS:
            return {"path": f"resources[{i}]", "message": f"at most {COST_CHARS} characters in all for a weekly cost"}
    return None


def approve(review: Review, plan_id: str, request: Request) -> Response:
    try:
        return JSONResponse(review.store.approve(plan_id, review.reviewer))
    except WriteFailed as err:
        return _error(500, err.message)


def pages(review: Review, plan_id: str, request: Request) -> Any:
    try:
        sizes = review.pages.sizes(review.store.entry(plan_id).original)
    except NoPages as err:
        return {"count": 0, "pages": [], "problem": err.message}
    listed = [{"number": n, "width": round(w, 2), "height": round(h, 2)} for n, (w, h) in enumerate(sizes, 1)]
    return {"count": len(listed), "pages": listed}


def page_png(review: Review, plan_id: str, request: Request) -> Response:
    try:
        data = review.pages.png(review.store.entry(plan_id).original, request.path_params["number"])
    except NoPages as err:
        return _error(404, err.message)
    except IndexError:
        return _error(404, "the original has no such page")
    return Response(data, media_type="image/png")


def origins(review: Review, plan_id: str, request: Request) -> Any:
    return review.store.origins(plan_id)


def check(review: Review, plan_id: str, request: Request) -> Any:
    """``ehc.check``'s findings on the plan as saved (its default rules: 2 reviews, 38 weeks, 6000 pounds)."""
    from ..ehc.check import check_plan

    return check_plan(review.store.plan(plan_id)).to_dict()


def docx(review: Review, plan_id: str, request: Request) -> Response:
    """The plan as Word: ``mode=new`` (the next plan; the default) or ``as-is``, as ``convert --to docx --mode``."""
    from ..writers.docx import write_docx

    mode = request.query_params.get("mode", "new")
    if mode not in ("new", "as-is"):
        return _error(400, "mode is new or as-is")
    data = write_docx(review.store.plan(plan_id), mode=mode)  # type: ignore[arg-type]
    name = Path(review.store.entry(plan_id).rel).stem + ("-new-plan" if mode == "new" else "-as-is") + ".docx"
    disposition = f"attachment; filename=\"plan.docx\"; filename*=UTF-8''{quote(name, safe='')}"
    return Response(data, media_type=DOCX, headers={"content-disposition": disposition})


async def no_icon(request: Request) -> Response:
    return Response(status_code=204)  # the browser asks for one; the page has none


API: list[BaseRoute] = [
    Route("/favicon.ico", no_icon, methods=["GET"]),
    Route("/api/plans", list_plans, methods=["GET"]),
    Route("/api/meta", meta, methods=["GET"]),
    Route("/api/cost", cost, methods=["POST"]),
    Route("/api/plans/{plan_id}", _plan_route(get_plan), methods=["GET"]),
    Route("/api/plans/{plan_id}", put_plan, methods=["PUT"]),
    Route("/api/plans/{plan_id}/approve", _plan_route(approve), methods=["POST"]),
    Route("/api/plans/{plan_id}/pages", _plan_route(pages), methods=["GET"]),
    Route("/api/plans/{plan_id}/pages/{number:int}.png", _plan_route(page_png), methods=["GET"]),
    Route("/api/plans/{plan_id}/origins", _plan_route(origins), methods=["GET"]),
    Route("/api/plans/{plan_id}/check", _plan_route(check), methods=["GET"]),
    Route("/api/plans/{plan_id}/docx", _plan_route(docx), methods=["GET"]),
]


def web_routes() -> list[BaseRoute]:
    """The HTML pages (``web.py``) and ``/static``."""
    from . import web

    return [*web.routes(TEMPLATES), Mount("/static", StaticFiles(directory=STATIC), name="static")]


def make_app(store: Store, token: str, port: int, reviewer: str, hosts: Optional[list[str]] = None) -> Guard:
    """The whole app, behind its guard; ``hosts``: the Host headers allowed (default 127.0.0.1:PORT and localhost:PORT)."""
    app = Starlette(routes=[*API, *web_routes()])
    app.state.review = Review(store, token, reviewer, Pages(store.state))
    return Guard(app, token, port, hosts)
