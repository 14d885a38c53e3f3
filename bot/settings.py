"""Settings, read once from the environment and `.env` (pydantic-settings).

A bad value stops start-up with one line naming the setting: see `load_settings`.
"""

from __future__ import annotations

import logging
import re
import zoneinfo
from functools import lru_cache
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from pydantic_settings import SettingsError as SourceError

E164 = re.compile(r"^\+[1-9]\d{7,14}$")


class SettingsError(Exception):
    """A setting has a value we cannot use; the message names it."""


class Settings(BaseSettings):
    """Everything a deployment configures. Names match the environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    database_url: str = "sqlite+aiosqlite:///./asibot.db"
    timezone: str = "Asia/Jakarta"
    public_base_url: str = ""
    log_level: str = "INFO"

    telegram_bot_token: str = ""
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_secret: str = ""
    telegram_bot_username: str = ""

    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_whatsapp_from: str = ""
    twilio_api_base_url: str = "https://api.twilio.com"
    # message kind -> approved Content template: "HX.." (its one variable is the text) or
    # {"sid": "HX..", "variables": ["name", "text"]} (what fills {{1}}, {{2}}, in order)
    twilio_templates: dict[str, str | dict[str, Any]] = Field(default_factory=dict)

    quiet_hours_start: int = Field(21, ge=0, le=23)
    quiet_hours_end: int = Field(6, ge=0, le=23)
    default_tip_hour: int = Field(8, ge=0, le=23)
    # planning: mother ids per transaction (bounds each statement's rows and the server's
    # memory), and how many transactions at once (0: 2 on PostgreSQL, 1 on SQLite)
    plan_chunk_mothers: int = Field(50_000, ge=1)
    plan_connections: int = Field(0, ge=0)

    sla_urgent_minutes: int = Field(15, ge=1)
    sla_normal_minutes: int = Field(120, ge=1)

    puskesmas_name: str = "Puskesmas"
    puskesmas_phone: str = ""
    emergency_name: str = "IGD RS terdekat"
    emergency_phone: str = "119"

    telegram_rate_per_second: float = Field(30.0, gt=0)
    telegram_rate_per_chat_seconds: float = Field(1.0, ge=0)
    whatsapp_rate_per_second: float = Field(80.0, gt=0)
    delivery_lease_seconds: float = Field(20.0, gt=0)
    delivery_send_timeout_seconds: float = Field(8.0, gt=0)
    delivery_leader_ttl_seconds: float = Field(10.0, gt=0)
    delivery_backoff_base_seconds: float = Field(2.0, gt=0)
    delivery_backoff_max_seconds: float = Field(600.0, gt=0)
    delivery_give_up_hours: float = Field(48.0, gt=0)

    dashboard_secret: str = ""

    scheduler_enabled: bool = True
    # on by default for a local install; off by default once PUBLIC_BASE_URL makes the server
    # public (anyone could chat as anyone); SIMULATOR_ENABLED set explicitly always wins
    simulator_enabled: bool = True
    max_body_bytes: int = Field(64 * 1024, ge=1024)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("public_base_url", "telegram_api_base_url", "twilio_api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("public_base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("twilio_whatsapp_from")
    @classmethod
    def _e164_sender(cls, value: str) -> str:
        number = value.removeprefix("whatsapp:")
        if value and not E164.match(number):
            raise ValueError("must be the sender's number in E.164, like +6281234567890")
        return value

    @field_validator("twilio_templates")
    @classmethod
    def _templates(cls, value: dict[str, Any]) -> dict[str, Any]:
        allowed = ("name", "text")
        for kind, template in value.items():
            sid = template if isinstance(template, str) else template.get("sid")
            if not isinstance(sid, str) or not sid.startswith("HX"):
                raise ValueError(f"{kind}: needs a Content SID starting with HX")
            if isinstance(template, dict):
                variables = template.get("variables", ["text"])
                if not isinstance(variables, list) or \
                        not all(v in allowed for v in variables):
                    raise ValueError(f"{kind}: variables must be a list of "
                                     + " and ".join(repr(a) for a in allowed))
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in logging.getLevelNamesMapping():
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value.upper()

    @model_validator(mode="after")
    def _simulator_off_when_public(self) -> Settings:
        if "simulator_enabled" not in self.model_fields_set and self.public_base_url:
            self.simulator_enabled = False
        return self

    @property
    def is_sqlite(self) -> bool:
        """True when the embedded SQLite database is used."""
        return self.database_url.startswith("sqlite")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The deployment's default time zone."""
        return zoneinfo.ZoneInfo(self.timezone)


def load_settings(**overrides: object) -> Settings:
    """Read settings; on a bad value raise SettingsError naming the variable, in one line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except SourceError as exc:  # a value that does not even parse, e.g. TWILIO_TEMPLATES
        field = re.search(r'field "(\w+)"', str(exc))
        label = field.group(1).upper() if field else "settings"
        raise SettingsError(f"bad setting {label}: not valid JSON") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"bad setting {name}: {message}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
