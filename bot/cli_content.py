"""``asibot content``: check the catalogue and print a mother's tip timeline."""

from __future__ import annotations

import json
from datetime import date
from functools import partial
from pathlib import Path

import click

from bot.settings import SettingsError, load_settings
from messages.check import run_check
from messages.timeline import DEFAULT_TZ, format_line, journey
from messages.tips import LOCALES, MESSAGES_DIR, ContentError, load_tips
from scheduler.planner import effective_hour

_root_option = click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=MESSAGES_DIR,
    show_default="the installed messages package",
    help="The messages directory to read.",
)


@click.group(name="content")
def content() -> None:
    """Tips and texts: validate them, and see a mother's journey through them."""


@content.command("check")
@_root_option
def check(root: Path) -> None:
    """Validate every tip and UI text; exit 1 and list each problem as path:line: message."""
    report = run_check(root)
    for problem in [*report.warnings, *report.problems]:
        click.echo(str(problem))
    click.echo(report.summary())
    if report.problems:
        raise SystemExit(1)


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"use YYYY-MM-DD, got {value!r}") from None


@content.command("timeline")
@click.option("--born", callback=_parse_date, help="Birth date, YYYY-MM-DD (tips from day 0).")
@click.option("--due", callback=_parse_date, help="Due date, YYYY-MM-DD (from pregnancy week 20).")
@click.option("--lang", type=click.Choice(LOCALES), default="id", show_default=True)
@click.option(
    "--hour",
    type=click.IntRange(0, 23),
    default=8,
    show_default=True,
    help="The mother's preferred hour for tips.",
)
@click.option("--tz", default=DEFAULT_TZ, show_default=True, help="The mother's time zone.")
@click.option("--quiet-start", type=click.IntRange(0, 23), default=None,
              help="Start of the quiet hours [default: QUIET_HOURS_START, 21].")
@click.option("--quiet-end", type=click.IntRange(0, 23), default=None,
              help="End of the quiet hours [default: QUIET_HOURS_END, 6].")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of lines.")
@_root_option
def timeline(
    born: date | None,
    due: date | None,
    lang: str,
    hour: int,
    tz: str,
    quiet_start: int | None,
    quiet_end: int | None,
    as_json: bool,
    root: Path,
) -> None:
    """Print, day by day, every tip a mother would get until her child is 24 months old.

    Times are when she would really get each tip: an hour inside the quiet hours is
    moved the way the scheduler moves it (scheduler.planner.effective_hour).
    """
    if born is None and due is None:
        raise click.UsageError("give --born YYYY-MM-DD or --due YYYY-MM-DD")
    if quiet_start is None or quiet_end is None:
        try:
            settings = load_settings()
        except SettingsError as exc:
            raise click.ClickException(str(exc)) from None
        quiet_start = settings.quiet_hours_start if quiet_start is None else quiet_start
        quiet_end = settings.quiet_hours_end if quiet_end is None else quiet_end
    send_hour = partial(effective_hour, quiet_start=quiet_start, quiet_end=quiet_end)
    try:
        tips = load_tips(root)
    except ContentError as exc:
        raise click.ClickException(
            f"the catalogue is broken; run `asibot content check`\n{exc}"
        ) from None
    entries = journey(tips, born=born, due=due, lang=lang, hour=hour, tz=tz, send_hour=send_hour)
    if as_json:
        click.echo(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=1))
        return
    for entry in entries:
        click.echo(format_line(entry))
