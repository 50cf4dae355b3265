"""The dashboard's routes: server-rendered pages over ``service.web_views``, each with its JSON
twin at the same path plus ``.json``. Forms post with a CSRF token; the acting user comes
from the signed session cookie and the record's token inside it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from twentyten.service.actors import Actor
from twentyten.service.errors import ServiceError, Unauthorized
from twentyten.web.i18n import pick
from twentyten.web.session import COOKIE, LANG_COOKIE, MAX_AGE, SessionData, csrf_ok, new_session

router = APIRouter(include_in_schema=False)

CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'; form-action 'self'")


# ------------------------------------------------------------------ plumbing
def _state(request: Request):
    return request.app.state


def _session_data(request: Request) -> SessionData | None:
    return _state(request).web_signer.loads(request.cookies.get(COOKIE))


@contextmanager
def _db(request: Request) -> Iterator[Any]:
    with _state(request).sessions() as s:
        yield s


def _actor(request: Request, db) -> Actor | None:
    from twentyten.service.auth import actor_for_token

    sd = _session_data(request)
    if sd is None or not sd.token:
        return None
    try:
        return actor_for_token(db, sd.token)
    except Unauthorized:
        return None


def _lang(request: Request) -> str:
    return pick(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


def _finish(request: Request, resp: Response, sd: SessionData | None = None) -> Response:
    """Security headers, and the session cookie when it is new or changed."""
    current = _session_data(request)
    if sd is None and current is None:
        sd = new_session()
    if sd is not None:
        resp.set_cookie(COOKIE, _state(request).web_signer.dumps(sd), max_age=MAX_AGE, httponly=True,
                        samesite="lax", secure=False, path="/")
    resp.headers["Content-Security-Policy"] = CSP
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "same-origin"
    return resp


def _page(request: Request, template: str, actor: Actor | None, status: int = 200, sd: SessionData | None = None,
          **ctx: Any) -> Response:
    sd_now = sd or _session_data(request) or new_session()
    env = _state(request).web_envs[_lang(request)]
    html = env.get_template(template).render(
        request_path=request.url.path, actor=actor, csrf=sd_now.csrf, **ctx)
    return _finish(request, HTMLResponse(html, status_code=status), sd_now if sd is not None or
                   _session_data(request) is None else None)


def _login_redirect(request: Request) -> Response:
    return _finish(request, RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303))


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _refused(request: Request, actor: Actor | None, e: ServiceError) -> Response:
    return _page(request, "web_error.html", actor, status=e.status, title=e.title, detail=e.detail)


def _json(data: Any, status: int = 200) -> Response:
    return JSONResponse(json.loads(json.dumps(data, default=str)), status_code=status)


def _safe_next(value: str | None) -> str:
    """Only a local path: never an address on another site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/map"


# ------------------------------------------------------------------ sign in and out, language
@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    return _finish(request, RedirectResponse("/map", status_code=303))


@router.get("/login")
def login_page(request: Request, next: str = "/map") -> Response:
    return _page(request, "login.html", None, next=_safe_next(next), error=None)


@router.post("/login")
async def login(request: Request) -> Response:
    from twentyten.service.auth import issue_token

    form = await _form(request)
    sd = _session_data(request)
    if not csrf_ok(sd, form.get("csrf")):
        return _page(request, "login.html", None, status=400, next=_safe_next(form.get("next")),
                     error="csrf")
    with _db(request) as db:
        try:
            token, _ = issue_token(db, form.get("name", ""), form.get("password", ""),
                                   _state(request).settings.token_ttl)
        except Unauthorized:
            return _page(request, "login.html", None, status=401, next=_safe_next(form.get("next")),
                         error="credentials")
    fresh = new_session(token, form.get("name", ""))  # a new CSRF token after signing in
    return _finish(request, RedirectResponse(_safe_next(form.get("next")), status_code=303), fresh)


@router.post("/logout")
async def logout(request: Request) -> Response:
    from twentyten.service.auth import revoke_token

    form = await _form(request)
    sd = _session_data(request)
    if not csrf_ok(sd, form.get("csrf")):
        return _page(request, "web_error.html", None, status=400, title="CSRF", detail="csrf")
    if sd is not None and sd.token:
        with _db(request) as db, suppress(ServiceError):  # already gone: signing out is what was asked
            revoke_token(db, sd.token)
    return _finish(request, RedirectResponse("/login", status_code=303), new_session())


@router.post("/lang")
async def set_language(request: Request) -> Response:
    from twentyten.web.i18n import LANGUAGES

    form = await _form(request)
    if not csrf_ok(_session_data(request), form.get("csrf")):
        return _page(request, "web_error.html", None, status=400, title="CSRF", detail="csrf")
    lang = form.get("lang", "")
    resp = RedirectResponse(_safe_next(form.get("next")), status_code=303)
    if lang in LANGUAGES:
        resp.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="lax", path="/")
    return _finish(request, resp)


def _file_key(path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


# ------------------------------------------------------------------ pages
@router.get("/map")
@router.get("/map.json")
def map_page(request: Request) -> Response:
    from twentyten.service.web_views import map_view

    with _db(request) as db:
        actor = _actor(request, db)
        if actor is None:
            return _login_redirect(request) if not request.url.path.endswith(".json") else _json(
                {"detail": "sign in"}, 401)
        view = map_view(db, actor, _state(request).web_atlas)
    if request.url.path.endswith(".json"):
        return _json(view)
    return _page(request, "map.html", actor, view=view, palette=_state(request).web_palette)


@router.get("/map/shapes.geojson")
def shapes(request: Request) -> Response:
    resp = Response(_state(request).web_shapes, media_type="application/geo+json")
    resp.headers["Cache-Control"] = "private, max-age=3600"
    return resp


@router.get("/county")
def county_pick(request: Request, id: str = "") -> Response:
    return _finish(request, RedirectResponse(f"/county/{quote(id, safe='')}" if id else "/map", status_code=303))


def _county(request: Request, county_id: str, as_json: bool, *, status: int = 200, error: str | None = None) -> Response:
    from twentyten.service.web_views import county_view

    with _db(request) as db:
        actor = _actor(request, db)
        if actor is None:
            return _json({"detail": "sign in"}, 401) if as_json else _login_redirect(request)
        try:
            view = county_view(db, actor, _state(request).web_atlas, county_id, _state(request).web_standards)
        except ServiceError as e:
            return _json({"detail": e.detail}, e.status) if as_json else _refused(request, actor, e)
    if as_json:
        return _json({**view, "explain": _explain(request, county_id)})
    from twentyten.web.charts import report_specs

    # the plan's explanation takes a few tenths of a second: the page asks for it after it has loaded
    has_plan = _file_key(_state(request).web_default_plan / "plan.json") is not None
    return _page(request, "county.html", actor, status=status, view=view, error=error,
                 report_spec=report_specs(view, _lang(request)),
                 explain_src=f"/county/{quote(county_id, safe='')}/explain" if has_plan else None,
                 request_done=request.query_params.get("done") if error is None else None)


def _explain(request: Request, county_id: str) -> dict[str, Any] | None:
    """``plan explain`` for the county on the default plan, kept while the plan file is the same."""
    from twentyten.service.web_views import explain_view

    st = _state(request)
    key = ("explain", _file_key(st.web_default_plan / "plan.json"), county_id)
    return st.web_views.get(key, lambda: explain_view(st.web_plan.result(), county_id))


@router.get("/county/{county_id}/explain")
def county_explain(request: Request, county_id: str) -> Response:
    """The explanation as a fragment of the county page (which fetches it once loaded)."""
    with _db(request) as db:
        actor = _actor(request, db)
    if actor is None:
        return _json({"detail": "sign in"}, 401)
    env = _state(request).web_envs[_lang(request)]
    html = env.get_template("_explain.html").render(explain=_explain(request, county_id))
    return _finish(request, HTMLResponse(html))


@router.get("/county/{county_id}.json")
def county_json(request: Request, county_id: str) -> Response:
    return _county(request, county_id, True)


@router.get("/county/{county_id}")
def county_page(request: Request, county_id: str) -> Response:
    return _county(request, county_id, False)


async def _county_post(request: Request, county_id: str, act) -> Response:
    form = await _form(request)
    if not csrf_ok(_session_data(request), form.get("csrf")):
        return _county(request, county_id, False, status=400, error="csrf")
    with _db(request) as db:
        actor = _actor(request, db)
        if actor is None:
            return _login_redirect(request)
        try:
            done = act(db, actor, form)
        except ServiceError as e:
            db.rollback()
            return _county(request, county_id, False, status=e.status, error=e.detail)
    return _finish(request, RedirectResponse(f"/county/{quote(county_id, safe='')}?done={done}", status_code=303))


def _int(form: dict[str, str], key: str, default: int | None = None) -> int:
    from twentyten.service.errors import Invalid

    raw = form.get(key, "").strip()
    if not raw and default is not None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise Invalid(f"{key}: {raw!r} is not a whole number") from None


def _float(form: dict[str, str], key: str) -> float | None:
    from twentyten.service.errors import Invalid

    raw = form.get(key, "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise Invalid(f"{key}: {raw!r} is not a number") from None


def _in_county(db, actor: Actor, project_id: int, county_id: str):
    from twentyten.service.errors import Invalid
    from twentyten.service.projects import get_project

    p = get_project(db, actor, project_id)
    if p.county_id != county_id:
        raise Invalid(f"project {project_id} is not a project of {county_id}")
    return p


@router.post("/county/{county_id}/milestone")
async def add_milestone(request: Request, county_id: str) -> Response:
    from twentyten.service.projects import EvidenceIn
    from twentyten.service.projects import add_milestone as add

    def act(db, actor: Actor, form: dict[str, str]) -> str:
        p = _in_county(db, actor, _int(form, "project_id"), county_id)
        ev = EvidenceIn(url=form.get("evidence_url", "").strip(), title=form.get("evidence_title", "").strip(),
                        note=form.get("evidence_note", "").strip(), outlet=form.get("evidence_outlet", "").strip(),
                        date=form.get("date", "").strip())
        has = ev.url or ev.note or ev.title
        add(db, actor, p.id, form.get("kind", ""), form.get("date", ""), [ev] if has else [],
            form.get("note", "").strip())
        return "milestone"

    return await _county_post(request, county_id, act)


@router.post("/county/{county_id}/report")
async def submit_report(request: Request, county_id: str) -> Response:
    from twentyten.service.reports import DesignedLines, OutputLine, ReportIn
    from twentyten.service.reports import submit_report as submit

    def act(db, actor: Actor, form: dict[str, str]) -> str:
        p = _in_county(db, actor, _int(form, "project_id"), county_id)
        qty = _float(form, "quantity")
        out = [OutputLine(form.get("line", "").strip(), qty, form.get("unit", "").strip())] if qty is not None else []
        submit(db, actor, p.id, ReportIn(
            month=form.get("month", "").strip(), output=out, product_range=_int(form, "product_range", 0),
            quality_passed=_int(form, "quality_passed", 0), quality_failed=_int(form, "quality_failed", 0),
            opinion_score=_float(form, "opinion_score"), opinion_responses=_int(form, "opinion_responses", 0)),
            DesignedLines(_state(request).web_atlas))
        return "report"

    return await _county_post(request, county_id, act)


@router.post("/county/{county_id}/report/{report_id}/approve")
async def approve(request: Request, county_id: str, report_id: int) -> Response:
    from twentyten.service.reports import approve_report, get_report

    def act(db, actor: Actor, form: dict[str, str]) -> str:
        rep = get_report(db, actor, report_id)
        _in_county(db, actor, rep.project_id, county_id)
        approve_report(db, actor, report_id, version=_int(form, "version"))
        return "approved"

    return await _county_post(request, county_id, act)


@router.get("/progress")
@router.get("/progress.json")
def progress_page(request: Request) -> Response:
    from twentyten.service.web_views import progress_view, record_revision
    from twentyten.web.charts import progress_specs

    plan_json = _state(request).web_default_plan / "plan.json"
    with _db(request) as db:
        actor = _actor(request, db)
        if actor is None:
            return _login_redirect(request) if not request.url.path.endswith(".json") else _json(
                {"detail": "sign in"}, 401)
        view = _state(request).web_views.get(
            ("progress", record_revision(db), actor.role, actor.province_id, actor.county_id, _file_key(plan_json)),
            lambda: progress_view(db, actor, _state(request).web_atlas, plan_json=plan_json))
    if request.url.path.endswith(".json"):
        return _json(view)
    from twentyten.web.charts import drawn_height

    specs = progress_specs(view, _lang(request))
    return _page(request, "progress.html", actor, view=view, specs=specs,
                 heights={k: drawn_height(v) for k, v in specs.items()})


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)  # no icon: a 404 would be a console error on every page


# ------------------------------------------------------------------ plan explorer
def _plans(request: Request) -> list[dict[str, Any]]:
    from twentyten.service.web_views import saved_plans

    st = _state(request)
    return saved_plans(st.web_default_plan, st.web_jobs.plans_dir)


@router.get("/plans")
@router.get("/plans.json")
def plans_page(request: Request, a: str = "", b: str = "", facility: str = "") -> Response:
    return _plans_response(request, a, b, facility)


def _plans_response(request: Request, a: str = "", b: str = "", facility: str = "",
                    error: str | None = None) -> Response:
    from twentyten.service.web_views import plan_compare_view

    as_json = request.url.path.endswith(".json")
    with _db(request) as db:
        actor = _actor(request, db)
    if actor is None:
        return _json({"detail": "sign in"}, 401) if as_json else _login_redirect(request)
    plans = _plans(request)
    compare, status = None, 200
    if a and b:
        try:
            compare = plan_compare_view(plans, a, b, facility or None)
        except ServiceError as e:
            error, status = e.detail, e.status
    jobs = [j.as_dict() for j in _state(request).web_jobs.jobs()]
    view = {"plans": plans, "compare": compare, "jobs": jobs}
    if as_json:
        return _json(view if error is None else {**view, "detail": error}, status)
    from twentyten.domain.facility import FACILITY_TYPES

    return _page(request, "plans.html", actor, status=status, view=view, error=error, a=a, b=b, facility=facility,
                 facilities=FACILITY_TYPES, runs=actor.role == "planner")


@router.get("/plans/jobs.json")
def jobs_json(request: Request) -> Response:
    with _db(request) as db:
        if _actor(request, db) is None:
            return _json({"detail": "sign in"}, 401)
    return _json([j.as_dict() for j in _state(request).web_jobs.jobs()])


@router.post("/plans/run")
async def run_scenario(request: Request) -> Response:
    from twentyten.web.jobs import JobRefused

    form = await _form(request)
    if not csrf_ok(_session_data(request), form.get("csrf")):
        return _plans_response(request, error="csrf")
    with _db(request) as db:
        actor = _actor(request, db)
    if actor is None:
        return _login_redirect(request)
    if actor.role != "planner":
        return _page(request, "web_error.html", actor, status=403, title="Forbidden",
                     detail=f"{actor.name} ({actor.role}) may not run scenarios: needs planner")
    try:
        limit = float(form.get("time_limit", "20") or 20)
        _state(request).web_jobs.start(form.get("name", "").strip(), form.get("scenario", ""), limit)
    except ValueError as e:  # JobRefused, or a time limit that is not a number
        msg = str(e) if isinstance(e, JobRefused) else f"time limit {form.get('time_limit')!r} is not a number"
        resp = _plans_response(request, error=msg)
        resp.status_code = 422
        return resp
    return _finish(request, RedirectResponse("/plans#jobs", status_code=303))


@router.get("/league")
@router.get("/league.json")
def league_page(request: Request, theme: str = "schedule") -> Response:
    from twentyten.service.web_views import league_view

    as_json = request.url.path.endswith(".json")
    with _db(request) as db:
        actor = _actor(request, db)
        if actor is None:
            return _json({"detail": "sign in"}, 401) if as_json else _login_redirect(request)
        try:
            view = league_view(db, actor, _state(request).web_atlas, theme)
        except ServiceError as e:
            return _json({"detail": e.detail}, e.status) if as_json else _refused(request, actor, e)
    if as_json:
        return _json(view)
    return _page(request, "league.html", actor, view=view)


@router.get("/media")
@router.get("/media.json")
def media_page(request: Request, measure: str = "share", by: str = "year") -> Response:
    from twentyten.service.web_views import media_view
    from twentyten.web.charts import media_spec

    as_json = request.url.path.endswith(".json")
    with _db(request) as db:
        actor = _actor(request, db)
    if actor is None:
        return _json({"detail": "sign in"}, 401) if as_json else _login_redirect(request)
    groups = request.query_params.getlist("group") or None
    try:
        view = media_view(_state(request).web_media_db, groups, measure, by)
    except ServiceError as e:
        return _json({"detail": e.detail}, e.status) if as_json else _refused(request, actor, e)
    if as_json:
        return _json(view)
    return _page(request, "media.html", actor, view=view, spec=media_spec(view, _lang(request)))
