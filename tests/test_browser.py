"""A mother registers on the /simulator page in a real browser (Debian's chromium)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.serving import free_port, serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> object:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    workdir = tmp_path_factory.mktemp("browser")
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/asibot.db",
           "PUSKESMAS_NAME": "Puskesmas Taman Baca", "SCHEDULER_ENABLED": "false",
           "SIMULATOR_ENABLED": "true"}  # set explicitly: PUBLIC_BASE_URL turns it off
    asibot = [sys.executable, "-m", "bot"]
    for step in (["db", "upgrade"], ["demo-data"]):
        subprocess.run([*asibot, *step], env={**os.environ, **env}, cwd=workdir, check=True,
                       capture_output=True)
    port = free_port()
    env["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{port}"
    with serving([*asibot, "serve", "--port", str(port)], env, workdir, port) as base:
        yield base, env, workdir


def test_a_mother_registers_on_the_simulator_page_and_her_cadre_sees_it(server: Any) -> None:
    from playwright.sync_api import expect, sync_playwright

    server, _, _ = server
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(f"{server}/simulator")
        mother_log = page.locator("#mother-log")

        def say(text: str, expect_text: str) -> None:
            page.fill("#mother-text", text)
            page.press("#mother-text", "Enter")
            expect(mother_log).to_contain_text(expect_text, timeout=10_000)

        say("DAFTAR MAWAR1", "Apakah Bunda setuju?")
        page.locator("#mother-log button", has_text="Ya, setuju").last.click()
        expect(mother_log).to_contain_text("Siapa nama Bunda?", timeout=10_000)
        say("siti", "Salam kenal, Bunda Siti")
        say("udh lahir", "Kapan si kecil lahir?")
        say("3 minggu yg lalu", "Betul?")
        say("1", "Jam berapa")
        say("pagi aja", "Ringkasnya")
        say("1", "Tersimpan")
        expect(page.locator("#cadre-log")).to_contain_text("Bunda Siti", timeout=10_000)
        page.screenshot(path=str(ARTIFACTS / "simulator-registration.png"), full_page=True)
        browser.close()
    assert (ARTIFACTS / "simulator-registration.png").stat().st_size > 10_000


def test_the_midwife_signs_in_and_sees_an_open_case_on_the_dashboard(server: Any) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, env, workdir = server
    link = subprocess.run([sys.executable, "-m", "bot", "dashboard", "link", "--code", "BIDAN1"],
                          env={**os.environ, **env}, cwd=workdir, check=True,
                          capture_output=True, text=True).stdout.strip()
    assert link.startswith(base + "/dashboard/login?token=")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        page.goto(f"{base}/simulator")
        page.fill("#mother-address", "sim:ibu-dasbor")
        for text in ("DAFTAR MAWAR1", "1", "Wulan", "2", "kemarin", "1", "8", "1",
                     "puting sy lecet bgt"):
            page.fill("#mother-text", text)
            page.press("#mother-text", "Enter")
            page.wait_for_timeout(150)
        expect(page.locator("#mother-log")).to_contain_text("Lecet", timeout=10_000)
        page.goto(link)
        expect(page.locator("#cases")).to_contain_text("Wulan", timeout=10_000)
        expect(page.locator("#cases")).to_contain_text("Puting lecet")
        page.screenshot(path=str(ARTIFACTS / "dashboard-cases.png"), full_page=True)
        page.click("text=ASI eksklusif")
        expect(page.locator("h1")).to_contain_text("ASI eksklusif")
        browser.close()
