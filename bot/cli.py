"""The `asibot` command: serve, database, operators, simulator chat, content and triage tools."""

from __future__ import annotations

import asyncio
import json
import re
import sys
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from bot.cli_content import content
from bot.cli_invite import invite
from bot.cli_triage import triage
from bot.cli_worker import simulate, worker
from bot.logging import setup_logging
from bot.operators import ChannelAddress, OperatorError, add_staff, load_demo_data
from bot.runtime import Runtime, build_runtime
from bot.settings import E164, Settings, SettingsError, load_settings

T = TypeVar("T")


def settings_or_exit() -> Settings:
    """Settings, or one clear line naming the bad one and exit status 2."""
    try:
        return load_settings()
    except SettingsError as exc:
        click.echo(f"asibot: {exc}", err=True)
        sys.exit(2)


def with_runtime(work: Callable[[Runtime], Awaitable[T]]) -> T:
    """Run `work` against the configured database, closing it afterwards."""

    async def run() -> T:
        runtime = build_runtime(settings_or_exit())
        try:
            return await work(runtime)
        finally:
            await runtime.close()

    return asyncio.run(run())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """asibot: the KP-ASI breastfeeding support bot of a puskesmas."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
def serve(host: str, port: int) -> None:
    """Start the web app, the scheduler and, when configured, Telegram."""
    import uvicorn  # noqa: PLC0415

    from bot.app import create_app  # noqa: PLC0415

    settings = settings_or_exit()
    setup_logging(settings.log_level)
    # uvicorn's errors go through our handler (tracebacks without exception texts); no
    # access lines: a path and query may carry a sign-in token
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning",
                log_config=None, access_log=False, proxy_headers=True)


@main.group()
def db() -> None:
    """Database migrations."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def db_upgrade(revision: str) -> None:
    """Create or migrate the database to the newest schema."""
    from db.migrate import upgrade  # noqa: PLC0415

    settings = settings_or_exit()
    upgrade(settings.database_url, revision)
    click.echo(f"database at {revision}")


def channel_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The three ways to reach a staff member: --whatsapp, --telegram, --simulator."""
    for flag, help_text in (("--simulator", "Simulator address, e.g. sim:kader-sari."),
                            ("--telegram", "Telegram chat id."),
                            ("--whatsapp", "WhatsApp number in E.164, e.g. +62812...")):
        func = click.option(flag, flag.lstrip("-"), help=help_text)(func)
    return func


def pick_address(
    whatsapp: str | None, telegram: str | None, simulator: str | None
) -> ChannelAddress:
    """Exactly one channel address, validated."""
    given = [(c, a) for c, a in (("whatsapp", whatsapp), ("telegram", telegram),
                                 ("simulator", simulator)) if a]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --whatsapp, --telegram, --simulator")
    channel, address = given[0]
    if channel == "whatsapp" and not E164.match(address):
        raise click.BadParameter("must be E.164, like +6281234567890", param_hint="--whatsapp")
    if channel == "telegram" and not re.fullmatch(r"-?\d{1,20}", address):
        raise click.BadParameter("must be a numeric chat id", param_hint="--telegram")
    return ChannelAddress(channel, address)


def _add(**kwargs: Any) -> None:
    async def work(runtime: Runtime) -> dict[str, Any]:
        async with runtime.sessions() as session, session.begin():
            return await add_staff(session, now=runtime.clock.now(),
                                   puskesmas=runtime.settings.puskesmas_name, **kwargs)

    try:
        record = with_runtime(work)
    except OperatorError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(record, ensure_ascii=False))


@main.group()
def cadre() -> None:
    """Cadres (kader posyandu)."""


@cadre.command("add")
@click.option("--name", required=True, help="The cadre's name, as mothers know her.")
@click.option("--posyandu", required=True, help="Her posyandu (created if new).")
@click.option("--code", help="Invite code (default: made up from the posyandu's name).")
@click.option("--backup", is_flag=True, help="She is the posyandu's backup cadre.")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@channel_options
def cadre_add(name: str, posyandu: str, code: str | None, backup: bool, lang: str,
              whatsapp: str | None, telegram: str | None, simulator: str | None) -> None:
    """Add a cadre; prints her record and invite code as JSON."""
    _add(name=name, role="cadre", posyandu=posyandu, code=code, backup=backup, lang=lang,
         address=pick_address(whatsapp, telegram, simulator))


@main.group()
def staff() -> None:
    """Health workers (midwives, nutritionists)."""


@staff.command("add")
@click.option("--name", required=True, help="Name, as mothers and cadres know her.")
@click.option("--role", required=True, type=click.Choice(["nutritionist", "midwife"]))
@click.option("--code", help="Invite code (default: made up).")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@channel_options
def staff_add(name: str, role: str, code: str | None, lang: str,
              whatsapp: str | None, telegram: str | None, simulator: str | None) -> None:
    """Add a health worker; prints the record and invite code as JSON."""
    _add(name=name, role=role, code=code, lang=lang,
         address=pick_address(whatsapp, telegram, simulator))


@main.command("demo-data")
def demo_data() -> None:
    """Load a small puskesmas: two posyandu, three cadres, a midwife, a nutritionist."""

    async def work(runtime: Runtime) -> list[dict[str, Any]]:
        async with runtime.sessions() as session, session.begin():
            return await load_demo_data(session, runtime.clock.now(),
                                        runtime.settings.puskesmas_name)

    added = with_runtime(work)
    click.echo(json.dumps({"added": added}, ensure_ascii=False))


@main.command()
@click.option("--as", "address", required=True, help="Simulator address, e.g. sim:ibu-1.")
def chat(address: str) -> None:
    """Chat with the bot in this terminal, through the simulator channel."""
    from flows.types import Inbound  # noqa: PLC0415

    async def work(runtime: Runtime) -> None:
        from sqlalchemy import select  # noqa: PLC0415

        from db.models import Outbox  # noqa: PLC0415

        await runtime.sync_catalogue()
        click.echo("Type a message (Ctrl-D to end).")
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                return
            result = await runtime.handle(Inbound("simulator", address, line.rstrip("\n"),
                                                  str(uuid.uuid4()), runtime.clock.now()))
            async with runtime.sessions() as session:
                rows = (await session.scalars(select(Outbox).where(
                    Outbox.id.in_(result.outbox_ids)).order_by(Outbox.id))).all()
            for row in rows:
                prefix = "" if row.address == address else f"[to {row.address}] "
                click.echo(f"{prefix}{row.text}")
                for choice in row.choices or []:
                    click.echo(f"  {choice['key']}. {choice['label']}")

    with_runtime(work)


@main.group()
def dashboard() -> None:
    """The health workers' web dashboard."""


@dashboard.command("link")
@click.option("--code", required=True, help="The health worker's invite code.")
@click.option("--days", default=30, show_default=True, help="How long the link works.")
def dashboard_link(code: str, days: int) -> None:
    """Print a sign-in link for a midwife or nutritionist."""
    from sqlalchemy import func, select  # noqa: PLC0415

    from bot.dashboard.auth import login_link  # noqa: PLC0415
    from db.models import Staff  # noqa: PLC0415

    async def work(runtime: Runtime) -> str:
        async with runtime.sessions() as session:
            staff = (await session.scalars(
                select(Staff).where(func.upper(Staff.invite_code) == code.upper()))).first()
        if staff is None or not staff.is_health_worker:
            raise click.ClickException("no midwife or nutritionist has that code")
        return login_link(runtime.settings, staff.id, runtime.clock.now(), days)

    click.echo(with_runtime(work))


cadre.add_command(invite)
main.add_command(content)
main.add_command(triage)
main.add_command(worker)
main.add_command(simulate)
