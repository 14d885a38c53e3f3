"""The ASGI app: health, the simulator, the channel webhooks; background work in the lifespan."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.dashboard import routes as dashboard_routes
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings, get_settings
from bot.simulator import routes as simulator_routes
from bot.telegram.polling import running as telegram_running
from bot.telegram.routes import routes as telegram_routes
from bot.transports import build_transports
from bot.whatsapp.routes import routes as whatsapp_routes
from scheduler import jobs

log = logging.getLogger(__name__)


async def healthz(request: Request) -> Response:
    """Up, and the database answers."""
    runtime: Runtime = request.app.state.runtime
    from sqlalchemy import text  # noqa: PLC0415

    async with runtime.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok"})


async def home(request: Request) -> Response:
    """The front door leads to the simulator on a fresh install."""
    return RedirectResponse("/simulator" if request.app.state.runtime.settings.simulator_enabled
                            else "/healthz")


def create_app(
    settings: Settings | None = None,
    runtime: Runtime | None = None,
    *,
    background: bool = True,
) -> Starlette:
    """Build the app; `background=False` leaves the scheduler and Telegram polling off (tests)."""
    settings = settings or (runtime.settings if runtime else get_settings())
    routes: list[BaseRoute] = [Route("/healthz", healthz), Route("/", home)]
    routes += dashboard_routes.routes
    if settings.simulator_enabled:
        routes += simulator_routes.routes
    routes += telegram_routes(settings) + whatsapp_routes(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        own = runtime or build_runtime(settings)
        app.state.runtime = own
        await own.sync_catalogue()
        async with contextlib.AsyncExitStack() as stack:
            if background and settings.scheduler_enabled:
                await stack.enter_async_context(background_work(own))
            # the webhook's PTB Application (always, in webhook mode: it serves requests);
            # with background work, polling or registering our webhook too
            app.state.telegram = await stack.enter_async_context(
                telegram_running(own, background=background))
            try:
                yield
            finally:
                app.state.telegram = None
        if runtime is None:
            await own.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.telegram = None
    if runtime is not None:
        app.state.runtime = runtime
    return app


@contextlib.asynccontextmanager
async def background_work(runtime: Runtime) -> AsyncIterator[None]:
    """The scheduler's heartbeat jobs and the channels' senders, for as long as the app runs."""
    async with jobs.running(runtime, transports=build_transports(runtime.settings)):
        yield
