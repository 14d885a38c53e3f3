"""`asibot worker` (heartbeat and delivery in a process of its own) and `asibot simulate`."""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
from pathlib import Path

import click


@click.command()
@click.option("--no-plan", is_flag=True, help="Only deliver the outbox; leave planning to others.")
@click.option("--no-deliver", is_flag=True, help="Only run the heartbeat jobs.")
@click.option("--id", "worker_id", default=None, help="This worker's name in leases and logs.")
def worker(no_plan: bool, no_deliver: bool, worker_id: str | None) -> None:
    """Run the scheduler's heartbeat and the senders until stopped (SIGTERM or Ctrl-C).

    Any number of workers may share one PostgreSQL: work is claimed through the
    database and each channel's provider cap is kept by one elected sender.
    """
    from bot.cli import settings_or_exit  # noqa: PLC0415
    from bot.logging import setup_logging  # noqa: PLC0415
    from bot.runtime import build_runtime  # noqa: PLC0415
    from bot.transports import build_transports  # noqa: PLC0415
    from scheduler import jobs  # noqa: PLC0415

    settings = settings_or_exit()
    setup_logging(settings.log_level)

    async def run() -> None:
        runtime = build_runtime(settings.model_copy(update={"scheduler_enabled": True}))
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        try:
            try:
                await runtime.sync_catalogue()
            except Exception:  # noqa: BLE001  (another process synced it at the same moment)
                click.echo("asibot worker: tip catalogue not synced (another process is)", err=True)
            async with jobs.running(runtime, plan=not no_plan, deliver=not no_deliver,
                                    transports=build_transports(runtime.settings),
                                    worker=worker_id):
                click.echo("asibot worker: running", err=True)
                await stop.wait()
        finally:
            await runtime.close()

    asyncio.run(run())


@click.command()
@click.option("--mothers", default=1000, show_default=True, help="How many mothers.")
@click.option("--days", default=730, show_default=True, help="Days of virtual time.")
@click.option("--seed", default=1, show_default=True, help="Random seed.")
@click.option("--database-url", default=None,
              help="Database to run in (default: a throwaway SQLite file).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def simulate(mothers: int, days: int, seed: int, database_url: str | None, as_json: bool) -> None:
    """Run the whole system in virtual time against the simulator channel; print what arrived."""
    from bot.runtime import flow_config  # noqa: PLC0415
    from bot.settings import load_settings  # noqa: PLC0415
    from db.migrate import upgrade  # noqa: PLC0415
    from db.session import make_engine, make_sessionmaker  # noqa: PLC0415
    from flows.catalogue import sync_tips  # noqa: PLC0415
    from scheduler.simulate import scratch_database  # noqa: PLC0415
    from scheduler.simulate import simulate as run_simulation  # noqa: PLC0415

    url = database_url or scratch_database()
    upgrade(url)
    settings = load_settings(database_url=url)

    async def run() -> dict[str, object]:
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        try:
            async with sessions() as session, session.begin():
                await sync_tips(session)
            result = await run_simulation(sessions, mothers=mothers, days=days, seed=seed,
                                          config=flow_config(settings))
        finally:
            await engine.dispose()
        if not as_json:
            for line in result.lines():
                click.echo(line)
        return result.as_dict()

    try:
        figures = asyncio.run(run())
    finally:
        if database_url is None:  # the throwaway database goes with the run
            shutil.rmtree(Path(url.split("///", 1)[1]).parent, ignore_errors=True)
    if as_json:
        click.echo(json.dumps(figures))
