"""The health workers' dashboard: open cases, cadres, and the EBF indicator."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.dashboard.auth import dashboard_secret, read_token
from bot.runtime import Runtime
from db import reports
from db.models import Staff
from messages.texts import text as ui_text

COOKIE = "asibot_dashboard"
TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(["html"]),
)
# a mother still registering when a danger sign opened her case may not have a name yet
TEMPLATES.globals["no_name"] = ui_text("cases.no_name_yet", "id")
LABELS = {
    "danger_baby": "Bahaya bayi", "danger_mother": "Bahaya ibu", "loss": "Duka",
    "mastitis": "Mastitis", "latch_pain": "Puting lecet/pelekatan",
    "engorgement": "Payudara bengkak",
    "low_milk": "ASI sedikit", "mood": "Suasana hati", "question": "Pertanyaan",
    "message": "Pesan untuk kader",
}


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def _health_worker(request: Request) -> Staff | None:
    runtime = _runtime(request)
    staff_id = read_token(dashboard_secret(runtime.settings), request.cookies.get(COOKIE, ""),
                          runtime.clock.now())
    if staff_id is None:
        return None
    async with runtime.sessions() as session:
        staff = await session.get(Staff, staff_id)
    return staff if staff is not None and staff.active and staff.is_health_worker else None


def _render(request: Request, template: str, **values: Any) -> HTMLResponse:
    runtime = _runtime(request)
    zone = ZoneInfo(runtime.settings.timezone)

    def local(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%d %b %H:%M") if moment else "—"

    body = TEMPLATES.get_template(template).render(
        puskesmas=runtime.settings.puskesmas_name, labels=LABELS, local=local, **values)
    return HTMLResponse(body)


async def login(request: Request) -> Response:
    """Exchange a signed link for a session cookie."""
    runtime = _runtime(request)
    token = request.query_params.get("token", "")
    staff_id = read_token(dashboard_secret(runtime.settings), token, runtime.clock.now())
    if staff_id is None:
        return _render(request, "denied.html", reason="link")
    async with runtime.sessions() as session:
        staff = await session.get(Staff, staff_id)
    if staff is None or not staff.active or not staff.is_health_worker:
        return _render(request, "denied.html", reason="role")
    response = RedirectResponse("/dashboard", status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict",
                        secure=runtime.settings.public_base_url.startswith("https://"),
                        max_age=30 * 24 * 3600)
    return response


async def logout(request: Request) -> Response:
    """Forget the session cookie."""
    response = RedirectResponse("/dashboard", status_code=303)
    response.delete_cookie(COOKIE)
    return response


async def home(request: Request) -> Response:
    """Headline counts and the open cases, urgent and overdue first."""
    staff = await _health_worker(request)
    if staff is None:
        return _render(request, "denied.html", reason="login")
    runtime = _runtime(request)
    now = runtime.clock.now()
    async with runtime.sessions() as session:
        counts = await reports.overview(session, now)
        open_cases = await reports.cases(session, now)
    return _render(request, "home.html", staff=staff, counts=counts, cases=open_cases)


async def case_page(request: Request) -> Response:
    """One case with every step on it."""
    staff = await _health_worker(request)
    if staff is None:
        return _render(request, "denied.html", reason="login")
    runtime = _runtime(request)
    async with runtime.sessions() as session:
        detail = await reports.case_detail(session, int(request.path_params["case_id"]),
                                           runtime.clock.now())
    if detail is None:
        return _render(request, "denied.html", reason="missing")
    return _render(request, "case.html", staff=staff, case=detail)


async def cadres_page(request: Request) -> Response:
    """Cadres and health workers: their mothers, open cases, how fast they take them."""
    staff = await _health_worker(request)
    if staff is None:
        return _render(request, "denied.html", reason="login")
    runtime = _runtime(request)
    async with runtime.sessions() as session:
        rows = await reports.cadres(session)
    return _render(request, "cadres.html", staff=staff, cadres=rows)


async def indicator_page(request: Request) -> Response:
    """The exclusive-breastfeeding indicator per posyandu for a month."""
    staff = await _health_worker(request)
    if staff is None:
        return _render(request, "denied.html", reason="login")
    runtime = _runtime(request)
    now = runtime.clock.now().astimezone(ZoneInfo(runtime.settings.timezone))
    month = request.query_params.get("month") or f"{now:%Y-%m}"
    try:
        reports.month_bounds(month)
    except ValueError:
        month = f"{now:%Y-%m}"
    async with runtime.sessions() as session:
        rows = await reports.ebf_indicator(session, month)
    return _render(request, "indicator.html", staff=staff, rows=rows, month=month,
                   bands=[band for band, _, _ in reports.BANDS], small_n=reports.SMALL_N)


routes = [
    Route("/dashboard", home),
    Route("/dashboard/login", login),
    Route("/dashboard/logout", logout, methods=["POST"]),
    Route("/dashboard/cases/{case_id:int}", case_page),
    Route("/dashboard/cadres", cadres_page),
    Route("/dashboard/indicator", indicator_page),
]
