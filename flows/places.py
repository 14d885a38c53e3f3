"""Where a mother goes and whom she calls, in her language, from the deployment's settings.

The one place that turns PUSKESMAS_NAME/PHONE and EMERGENCY_NAME/PHONE into words: a
number is shown only when it is known, the emergency department's default name comes
from messages/ in each language, and 119 (the national emergency line) is always there
for the texts to name.
"""

from __future__ import annotations

from flows.types import FlowConfig
from messages.texts import text as ui_text

NATIONAL_LINE = "119"
# the settings' default EMERGENCY_NAME: not a name, so each language says it its own way
DEFAULT_EMERGENCY_NAMES = ("", "IGD RS terdekat")


def _with_phone(place: str, phone: str, lang: str) -> str:
    return ui_text("places.with_phone", lang, place=place, phone=phone) if phone else place


def puskesmas(config: FlowConfig, lang: str) -> str:
    """`Puskesmas Taman Baca (0711-123456)`, or just its name when no number is set."""
    return _with_phone(config.puskesmas_name, config.puskesmas_phone.strip(), lang)


def emergency(config: FlowConfig, lang: str) -> str:
    """`IGD RS terdekat (0711-5555)` / `the nearest hospital emergency department`."""
    name = config.emergency_name.strip()
    if name in DEFAULT_EMERGENCY_NAMES:
        name = ui_text("places.emergency_default", lang)
    phone = config.emergency_phone.strip()
    return _with_phone(name, "" if phone == NATIONAL_LINE else phone, lang)


def call_phone(config: FlowConfig, lang: str) -> str:
    """The number to call for help: the puskesmas's, else the national emergency line."""
    return config.puskesmas_phone.strip() or ui_text("places.national_line", lang)
