"""The simulator's edge: ids chosen by the client are its own, and a public server does not
offer the simulator unless told to."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bot.app import create_app
from bot.settings import load_settings


async def test_a_stranger_reusing_an_id_learns_nothing(phone: Any, demo: Any) -> None:
    siti = phone("sim:siti")
    first = await siti.send("DAFTAR MAWAR1", msg_id="msg-1")
    assert first and "Bu Sari" in first[0]["text"]
    again = await siti.send("DAFTAR MAWAR1", msg_id="msg-1")
    assert [r["id"] for r in again] == [r["id"] for r in first], "her own retry is deduplicated"
    stranger = phone("sim:stranger")
    replies = await stranger.send("halo", msg_id="msg-1")
    assert replies, "the stranger's message is a message of her own"
    assert all(r["to"] == "sim:stranger" for r in stranger.replies)
    assert not {r["id"] for r in stranger.replies} & {r["id"] for r in first}
    assert not any("Bu Sari" in r["text"] for r in stranger.replies)


async def test_an_overlong_id_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/simulator/messages",
                                 json={"from": "sim:x", "text": "halo", "id": "x" * 61})
    assert response.status_code == 400


@pytest.mark.parametrize(("env", "expected"), [
    ({}, True),
    ({"PUBLIC_BASE_URL": "https://asibot.example.org"}, False),
    ({"PUBLIC_BASE_URL": "https://asibot.example.org", "SIMULATOR_ENABLED": "true"}, True),
    ({"SIMULATOR_ENABLED": "false"}, False),
])
def test_the_simulator_is_off_by_default_on_a_public_server(
        monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: bool) -> None:
    for name in ("PUBLIC_BASE_URL", "SIMULATOR_ENABLED"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings(_env_file=None)
    assert settings.simulator_enabled is expected
    paths = {getattr(route, "path", "") for route in create_app(settings).routes}
    assert ("/simulator/messages" in paths) is expected
