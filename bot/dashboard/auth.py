"""Signed login links and session cookies for health workers.

A link is `staff_id.expiry.signature` (HMAC-SHA256); the same token becomes an
HttpOnly cookie. Only active midwives and nutritionists may use the dashboard.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from bot.settings import Settings

SECRET_FILE = Path(".asibot-secret")


def dashboard_secret(settings: Settings) -> bytes:
    """DASHBOARD_SECRET, or (for a one-command install) a random one kept beside the database."""
    if settings.dashboard_secret:
        return settings.dashboard_secret.encode()
    if not SECRET_FILE.exists():
        SECRET_FILE.write_text(secrets.token_hex(32))
        os.chmod(SECRET_FILE, 0o600)
    return SECRET_FILE.read_text().strip().encode()


def _sign(secret: bytes, payload: str) -> str:
    return hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()[:40]


def make_token(secret: bytes, staff_id: int, expires: datetime) -> str:
    """A token that proves who this is until `expires`."""
    payload = f"{staff_id}.{int(expires.timestamp())}"
    return f"{payload}.{_sign(secret, payload)}"


def read_token(secret: bytes, token: str, now: datetime) -> int | None:
    """The staff id in a valid, unexpired token; None otherwise."""
    try:
        staff_id, expiry, signature = token.split(".")
        valid = hmac.compare_digest(signature, _sign(secret, f"{staff_id}.{expiry}"))
        if valid and int(expiry) > now.timestamp():
            return int(staff_id)
    except ValueError:
        return None
    return None


def login_link(settings: Settings, staff_id: int, now: datetime, days: int = 30) -> str:
    """The URL a health worker opens to sign in."""
    base = settings.public_base_url or "http://127.0.0.1:8000"
    token = make_token(dashboard_secret(settings), staff_id, now + timedelta(days=days))
    return f"{base}/dashboard/login?token={token}"
