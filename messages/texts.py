"""Every user-facing sentence, by key and locale, read from messages/ui/*.yaml.

Code refers to texts by key only; the words belong to health workers.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LOCALES = ("id", "en")
DEFAULT_LOCALE = "id"
UI_DIR = Path(__file__).parent / "ui"


class MissingVariable(KeyError):
    """The code did not supply a placeholder the text declares."""


@dataclass(frozen=True)
class UIText:
    """One text in every locale, with the placeholders the code supplies for it.

    A welcome text may name the tips that tell her the same (``covered_by``) and a
    shorter text to send instead while one of them is still coming (``instead``).
    """

    key: str
    texts: dict[str, str]
    vars: frozenset[str]
    covered_by: tuple[str, ...] = ()
    instead: str | None = None


def _load(ui_dir: Path) -> dict[str, UIText]:
    found: dict[str, UIText] = {}
    for path in sorted(ui_dir.glob("*.yaml")):
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, entry in data.items():
            texts = {loc: str(entry[loc]).strip() for loc in LOCALES if loc in entry}
            instead = entry.get("instead")
            found[key] = UIText(key, texts, frozenset(entry.get("vars") or ()),
                                tuple(entry.get("covered_by") or ()),
                                str(instead) if instead else None)
    return found


@lru_cache(maxsize=1)
def ui_texts() -> dict[str, UIText]:
    """All UI texts, loaded once."""
    return _load(UI_DIR)


def has(key: str) -> bool:
    """True when a text with this key exists."""
    return key in ui_texts()


def placeholders(template: str) -> set[str]:
    """The `{names}` a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def text(key: str, lang: str, **values: object) -> str:
    """The text for `key` in `lang` (falling back to Indonesian), with values filled in."""
    entry = ui_texts()[key]
    template = entry.texts.get(lang) or entry.texts[DEFAULT_LOCALE]
    missing = placeholders(template) - values.keys()
    if missing:
        raise MissingVariable(f"{key}: no value for {sorted(missing)}")
    return template.format(**values) if values or "{" in template else template


def variants(key: str) -> list[str]:
    """The text of `key` in every locale (to recognise a reply in either language)."""
    return list(ui_texts()[key].texts.values())
