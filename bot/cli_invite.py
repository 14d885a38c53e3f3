"""`asibot cadre invite CODE`: a PNG a cadre prints at the posyandu.

Two QR codes, one opening Telegram on `t.me/<bot>?start=CODE` (the bot reads it as
`/start CODE`), one opening WhatsApp on `wa.me/<number>?text=DAFTAR%20CODE`, each with
its link written under it for phones that cannot scan.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import click
import segno
from PIL import Image, ImageDraw, ImageFont

from bot.settings import Settings

WIDTH, HEIGHT = 1240, 1754  # A5 at 150 dpi, portrait
QR_SIZE = 560
MARGIN = 70


@dataclass(frozen=True)
class InviteLink:
    """One way in: its channel, the link, and where its QR code sits on the page."""

    channel: str
    url: str
    box: tuple[int, int, int, int] = (0, 0, 0, 0)


def invite_links(settings: Settings, code: str) -> list[InviteLink]:
    """The Telegram and WhatsApp links for a code (each only when its channel is set up)."""
    links = []
    username = settings.telegram_bot_username.strip().lstrip("@")
    if username:
        links.append(InviteLink("Telegram", f"https://t.me/{username}?start={code}"))
    number = re.sub(r"\D", "", settings.twilio_whatsapp_from.removeprefix("whatsapp:"))
    if number:
        links.append(InviteLink("WhatsApp",
                                f"https://wa.me/{number}?text={quote(f'DAFTAR {code}')}"))
    return links


def qr_image(url: str, size: int) -> Image.Image:
    """The link's QR code as a black-on-white square of about `size` pixels."""
    qr = segno.make(url, error="m")
    scale = max(1, size // (qr.symbol_size(border=4)[0]))
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=scale, border=4)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def _centered(draw: ImageDraw.ImageDraw, y: int, text: str, size: int) -> int:
    font = ImageFont.load_default(size=size)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text(((WIDTH - (right - left)) // 2, y), text, fill=0, font=font)
    return int(y + (bottom - top) + size // 2)


def invite_page(links: list[InviteLink], title: str, subtitle: str,
                code: str) -> tuple[Image.Image, list[InviteLink]]:
    """The printable page, and the links with where each QR code was placed."""
    page = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(page)
    y = _centered(draw, MARGIN, title, 48)
    y = _centered(draw, y, subtitle, 34)
    y = _centered(draw, y, f"Kode / code: {code}", 40) + 10
    placed = []
    block = (HEIGHT - y - MARGIN) // max(len(links), 1)
    size = min(QR_SIZE, block - 130)
    for link in links:
        y = _centered(draw, y, f"Daftar lewat {link.channel}", 36)
        qr = qr_image(link.url, size)
        left = (WIDTH - qr.width) // 2
        page.paste(qr, (left, y))
        placed.append(InviteLink(link.channel, link.url, (left, y, left + qr.width,
                                                          y + qr.height)))
        y = _centered(draw, y + qr.height + 6, link.url, 26) + 20
    return page, placed


async def _staff_line(settings: Settings, code: str) -> str | None:
    from sqlalchemy import func, select  # noqa: PLC0415

    from bot.runtime import build_runtime  # noqa: PLC0415
    from db.models import Staff  # noqa: PLC0415

    runtime = build_runtime(settings)
    try:
        async with runtime.sessions() as session:
            staff = (await session.scalars(select(Staff).where(
                func.upper(Staff.invite_code) == code, Staff.active.is_(True)))).first()
            if staff is None:
                return None
            place = staff.posyandu.name if staff.posyandu else settings.puskesmas_name
            return f"{staff.name} · {place}"
    finally:
        await runtime.close()


@click.command("invite")
@click.argument("code")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="PNG file to write (default: invite-CODE.png).")
def invite(code: str, out: Path | None) -> None:
    """Write a printable PNG with Telegram and WhatsApp QR codes for a cadre's invite CODE."""
    import asyncio  # noqa: PLC0415

    from bot.cli import settings_or_exit  # noqa: PLC0415  (bot.cli registers this command)

    settings = settings_or_exit()
    code = code.strip().upper()
    if not re.fullmatch(r"[A-Z0-9_-]{2,40}", code):
        raise click.BadParameter("letters, digits, - and _ only", param_hint="CODE")
    links = invite_links(settings, code)
    if not links:
        raise click.ClickException(
            "set TELEGRAM_BOT_USERNAME or TWILIO_WHATSAPP_FROM first: there is no link to print")
    who = asyncio.run(_staff_line(settings, code))
    if who is None:
        raise click.ClickException(f"no active cadre or health worker has the code {code}")
    page, placed = invite_page(links, f"Sahabat ASI · {settings.puskesmas_name}", who, code)
    target = out or Path(f"invite-{code}.png")
    page.save(target, format="PNG", optimize=True)
    click.echo(json.dumps({"file": str(target), "code": code,
                           "links": {link.channel.lower(): link.url for link in placed}},
                          ensure_ascii=False))
