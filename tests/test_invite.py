"""`asibot cadre invite CODE`: a printable PNG with a Telegram and a WhatsApp QR code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import segno
from click.testing import CliRunner
from PIL import Image

from bot.cli import main
from bot.cli_invite import invite_links, invite_page
from bot.settings import load_settings
from db.migrate import upgrade


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    url = f"sqlite+aiosqlite:///{tmp_path}/invite.db"
    upgrade(url)
    for name, value in {"DATABASE_URL": url, "TELEGRAM_BOT_USERNAME": "@sahabat_asi_bot",
                        "TWILIO_WHATSAPP_FROM": "whatsapp:+6281100000000",
                        "PUSKESMAS_NAME": "Puskesmas Taman Baca"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["demo-data"])
    assert result.exit_code == 0, result.output
    return tmp_path


def qr_matches(page: Image.Image, box: tuple[int, int, int, int], url: str) -> bool:
    """Every module of the link's QR code (segno's matrix) is where the page has it."""
    qr = segno.make(url, error="m")
    matrix = [list(row) for row in qr.matrix]
    left, top, right, _ = box
    modules = len(matrix) + 8  # border of 4 each side
    scale = (right - left) / modules
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            x = int(left + (c + 4.5) * scale)
            y = int(top + (r + 4.5) * scale)
            pixel = page.getpixel((x, y))
            assert isinstance(pixel, int)
            if (pixel < 128) != bool(dark):
                return False
    return True


def test_invite_png_has_both_links_as_qr_codes_and_as_text(configured: Path) -> None:
    result = CliRunner().invoke(main, ["cadre", "invite", "mawar1"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["links"] == {
        "telegram": "https://t.me/sahabat_asi_bot?start=MAWAR1",
        "whatsapp": "https://wa.me/6281100000000?text=DAFTAR%20MAWAR1"}
    page = Image.open(configured / "invite-MAWAR1.png")
    assert page.size == (1240, 1754)

    links = invite_links(load_settings(), "MAWAR1")
    rendered, placed = invite_page(links, "Sahabat ASI · Puskesmas Taman Baca",
                                   "Bu Sari · Posyandu Mawar", "MAWAR1")
    assert rendered.tobytes() == page.convert("L").tobytes(), "the cadre's name is on it"
    assert [link.url for link in placed] == list(record["links"].values())
    for link in placed:
        assert qr_matches(rendered, link.box, link.url), link.channel


def test_an_unknown_code_is_refused(configured: Path) -> None:
    result = CliRunner().invoke(main, ["cadre", "invite", "NOPE99"])
    assert result.exit_code != 0 and "NOPE99" in result.output


def test_without_a_bot_or_a_number_there_is_nothing_to_print(
        configured: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "")
    monkeypatch.setenv("TWILIO_WHATSAPP_FROM", "")
    result = CliRunner().invoke(main, ["cadre", "invite", "MAWAR1", "--out", "x.png"])
    assert result.exit_code != 0 and "TELEGRAM_BOT_USERNAME" in result.output
