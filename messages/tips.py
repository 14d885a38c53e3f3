"""The tip catalogue: age-timed tips from pregnancy week 20 to the child's day 730.

Tips live in ``messages/tips/*.yaml`` (see the format in ``10_pregnancy.yaml``).
Every tip is anchored either to the due date (pregnancy) or to the birth date
(child); ``Tip.offset_days`` is its distance from that anchor, so the scheduler
needs only ``anchor + offset_days`` to know when a tip is due.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from messages.yamlfile import LineList, LineMap, Problem, YamlFileError, load_yaml

LOCALES = ("id", "en")
# The only values the scheduler supplies to a tip: the mother's name and the
# child's name (or "si kecil" when the child has none yet).
TIP_PLACEHOLDERS = frozenset({"name", "child"})
STAGES = ("pregnancy", "child")
TIP_LIMIT = 1000  # WhatsApp free-form body we allow for a tip; Twilio caps at 1,600
PREGNANCY_WEEKS = (20, 42)
CHILD_DAYS = (0, 730)
DEFAULT_STALE_AFTER_DAYS = 7
MESSAGES_DIR = Path(__file__).resolve().parent  # the installed messages/ directory

# Keys of DOMAIN.md's source list; a tip's `source` cites one or more of them.
SOURCE_KEYS = frozenset(
    {"SEED", "PP33", "UUKIA", "PMK15", "TEN", "WHO-IYCF", "IND", "IMCI-YI", "IMCI-GDS", "PNC"}
    | {"PREG", "ID-BBL", "ID-NIFAS", "ENOUGH", "LATCH", "SPURT", "MOOD", "MAST", "STORE"}
    | {"HONEY", "CF", "ID-MPASI", "HGN", "IMUN", "PLF", "BELIEF", "LOSS", "PLG"}
)
_KEY_RE = re.compile(r"^[a-z0-9_]+$")
_FIELDS = frozenset(
    {"key", "stage", "day", "week", "weekday", "must_deliver", "stale_after_days", "topic"}
    | {"source", "text", "ask"}
)
# What a tip says when the code has no child's name: reads naturally mid-sentence.
_CHILD_DEFAULT = {"id": "si kecil", "en": "your little one"}


class ContentError(Exception):
    """The tip files have problems; ``problems`` lists each one."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Tip:
    """One scheduled tip, due at ``anchor + offset_days`` (anchor: birth or due date)."""

    key: str
    stage: str
    offset_days: int
    must_deliver: bool
    stale_after_days: int
    topic: str
    source: str
    texts: dict[str, str]
    ask: dict[str, Any] | None
    file: str
    line: int

    @property
    def week(self) -> int | None:
        """Gestational week of a pregnancy tip (40 = the due week), else None."""
        return 40 + self.offset_days // 7 if self.stage == "pregnancy" else None

    def render(self, lang: str, **values: str) -> str:
        """The tip's text in ``lang`` with ``{name}``/``{child}`` filled in.

        ``child`` defaults to "si kecil" / "your little one"; a missing ``name``
        is dropped and the spacing tidied, so a tip never shows a raw brace.
        """
        return render_text(self.texts[lang], lang, values)


def render_text(text: str, lang: str, values: dict[str, str]) -> str:
    """Fill tip placeholders into ``text``; see Tip.render."""
    merged = {"child": _CHILD_DEFAULT.get(lang, _CHILD_DEFAULT["en"]), "name": ""}
    merged.update({k: v for k, v in values.items() if v is not None})
    out = text.format_map(merged)
    if not merged["name"]:
        out = re.sub(r" {2,}", " ", out)
        out = re.sub(r" +([,.!?])", r"\1", out)
    return out


def placeholders(text: str) -> tuple[set[str], str | None]:
    """The ``{field}`` names used in a str.format text, and an error if it is malformed."""
    names: set[str] = set()
    try:
        for _literal, field_name, _spec, _conv in string.Formatter().parse(text):
            if field_name is not None:
                names.add(field_name)
    except ValueError as exc:
        return names, f"malformed braces ({exc}); write {{{{ and }}}} for literal braces"
    return names, None


def offset_for_week(week: int, weekday: int = 0) -> int:
    """Days from the due date for a gestational week and weekday (week 40 -> 0)."""
    return week * 7 - 280 + weekday


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _texts(node: Any, where: str, line: int, rel: str, problems: list[Problem]) -> dict[str, str]:
    """Read the per-locale strings of ``node`` (a mapping with id/en), reporting gaps."""
    texts: dict[str, str] = {}
    if not isinstance(node, dict):
        problems.append(Problem(rel, line, f"{where} must be a mapping with {'/'.join(LOCALES)}"))
        return texts
    node_line = node.line if isinstance(node, LineMap) else line
    for lang in LOCALES:
        value = node.get(lang)
        at = node.line_of(lang) if isinstance(node, LineMap) else node_line
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(Problem(rel, at, f"{where}: locale '{lang}' is missing or empty"))
        elif not isinstance(value, str):
            problems.append(Problem(rel, at, f"{where}: locale '{lang}' must be text"))
        else:
            texts[lang] = value.strip()
    return texts


def _parse_ask(entry: LineMap, key: str, rel: str, problems: list[Problem]) -> dict[str, Any]:
    ask = entry["ask"]
    line = entry.line_of("ask")
    texts = _texts(ask, f"tip {key} ask", line, rel, problems)
    result: dict[str, Any] = dict(texts)
    choices = ask.get("choices") if isinstance(ask, dict) else None
    if not isinstance(choices, list) or len(choices) < 2:
        problems.append(Problem(rel, line, f"tip {key} ask needs a list of at least 2 choices"))
        choices = []
    parsed: list[dict[str, str]] = []
    seen: set[str] = set()
    for i, choice in enumerate(choices):
        at = choices.item_lines[i] if isinstance(choices, LineList) else line
        ckey = choice.get("key") if isinstance(choice, dict) else None
        if not isinstance(ckey, str) or not _KEY_RE.match(ckey):
            problems.append(
                Problem(rel, at, f"tip {key} ask choice needs a quoted key of [a-z0-9_]: {ckey!r}")
            )
            continue
        if ckey in seen:
            problems.append(Problem(rel, at, f"tip {key} ask has duplicate choice key '{ckey}'"))
        seen.add(ckey)
        texts = _texts(choice, f"tip {key} choice {ckey}", at, rel, problems)
        parsed.append({"key": ckey, **texts})
    result["choices"] = parsed
    return result


def parse_tip_entry(entry: Any, line: int, rel: str, problems: list[Problem]) -> Tip | None:
    """Validate one YAML entry and build its Tip, appending problems found.

    Returns None when the entry cannot be placed on the calendar (no key, bad
    stage/day/week); text problems are reported but the Tip is still returned so
    coverage is judged on what the editor meant.
    """
    if not isinstance(entry, LineMap):
        problems.append(Problem(rel, line, "each tip must be a mapping (key: ..., stage: ...)"))
        return None
    line = entry.line
    key = entry.get("key")
    if not isinstance(key, str) or not _KEY_RE.match(key):
        problems.append(Problem(rel, line, f"tip key must be [a-z0-9_], got {key!r}"))
        return None

    def report(field: str, message: str) -> None:
        problems.append(Problem(rel, entry.line_of(field), f"tip {key}: {message}"))

    for name in sorted(set(entry) - _FIELDS, key=str):
        report(name, f"unknown field '{name}'")

    stage = entry.get("stage")
    offset: int | None = None
    if stage == "child":
        day: Any = entry.get("day")
        if "week" in entry or "weekday" in entry:
            report("week", "a child tip uses `day`, not `week`")
        lo, hi = CHILD_DAYS
        if not _is_int(day) or not lo <= day <= hi:
            report("day", f"bad day {day!r} (child: {lo}..{hi})")
        else:
            offset = day
    elif stage == "pregnancy":
        week: Any = entry.get("week")
        weekday: Any = entry.get("weekday", 0)
        lo, hi = PREGNANCY_WEEKS
        if "day" in entry:
            report("day", "a pregnancy tip uses `week`, not `day`")
        if not _is_int(week) or not lo <= week <= hi:
            report("week", f"bad week {week!r} ({lo}..{hi})")
        elif not _is_int(weekday) or not 0 <= weekday <= 6:
            report("weekday", f"bad weekday {weekday!r} (0..6)")
        else:
            offset = offset_for_week(week, weekday)
    else:
        report("stage", f"bad stage {stage!r} (pregnancy|child)")

    must = entry.get("must_deliver")
    if not isinstance(must, bool):
        report("must_deliver", "must_deliver must be true or false")
        must = False
    stale = entry.get("stale_after_days", DEFAULT_STALE_AFTER_DAYS)
    if not _is_int(stale) or stale < 0:
        report("stale_after_days", f"bad stale_after_days {stale!r}")
        stale = DEFAULT_STALE_AFTER_DAYS
    topic = entry.get("topic")
    if not isinstance(topic, str) or not _KEY_RE.match(topic):
        report("topic", "topic must be a slug of [a-z0-9_]")
        topic = ""
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        report("source", "source is missing")
        source = ""
    else:
        unknown = [
            part.strip()
            for part in re.split(r"[;,]", source)
            if part.strip() and part.split()[0] not in SOURCE_KEYS
        ]
        if unknown:
            report("source", f"unknown source {unknown} (use DOMAIN.md's source keys)")

    texts = _texts(entry.get("text"), f"tip {key} text", entry.line_of("text"), rel, problems)
    ask = _parse_ask(entry, key, rel, problems) if entry.get("ask") is not None else None
    if offset is None or stage is None:
        return None
    return Tip(
        key=key,
        stage=str(stage),
        offset_days=offset,
        must_deliver=must,
        stale_after_days=stale,
        topic=topic,
        source=source.strip(),
        texts=texts,
        ask=ask,
        file=rel,
        line=line,
    )


def parse_tip_file(path: Path, rel: str) -> tuple[list[Tip], list[Problem]]:
    """Read one tips file; return its tips and the problems found in it alone."""
    problems: list[Problem] = []
    try:
        doc = load_yaml(path)
    except YamlFileError as exc:
        return [], [Problem(rel, exc.line, exc.message)]
    for dup in doc.duplicates:
        problems.append(
            Problem(rel, dup.line, f"duplicate key '{dup.key}' (first at line {dup.first_line})")
        )
    if doc.data is None:
        return [], problems
    if not isinstance(doc.data, LineList):
        return [], [*problems, Problem(rel, 1, "a tips file must be a YAML list of tips")]
    tips = []
    for entry, line in zip(doc.data, doc.data.item_lines, strict=True):
        tip = parse_tip_entry(entry, line, rel, problems)
        if tip is not None:
            tips.append(tip)
    return tips, problems


def cross_check(tips: Iterable[Tip]) -> list[Problem]:
    """Problems between tips: a key used twice, or two tips due on one day."""
    problems: list[Problem] = []
    by_key: dict[str, Tip] = {}
    by_day: dict[tuple[str, int], Tip] = {}
    for tip in tips:
        first = by_key.get(tip.key)
        if first is not None:
            problems.append(
                Problem(
                    tip.file,
                    tip.line,
                    f"duplicate tip key '{tip.key}' (first at {first.file}:{first.line})",
                )
            )
        else:
            by_key[tip.key] = tip
        same = by_day.get((tip.stage, tip.offset_days))
        if same is not None:
            problems.append(
                Problem(
                    tip.file,
                    tip.line,
                    f"two tips on one day: '{tip.key}' and '{same.key}' "
                    f"({describe_offset(tip.stage, tip.offset_days)}; one tip a day)",
                )
            )
        else:
            by_day[(tip.stage, tip.offset_days)] = tip
    return problems


def describe_offset(stage: str, offset: int) -> str:
    """Human wording of a tip's due point, e.g. 'child day 3' or 'pregnancy week 38 +2'."""
    if stage == "pregnancy":
        week, weekday = 40 + offset // 7, offset % 7
        return f"pregnancy week {week}" + (f" +{weekday}" if weekday else "")
    return f"child day {offset}"


def _sort_key(tip: Tip) -> tuple[int, int, str]:
    # Pregnancy before child, so the list reads in the order a mother lives it.
    return (STAGES.index(tip.stage), tip.offset_days, tip.key)


def tip_files(root: Path) -> list[Path]:
    """The tips files under ``root/tips``, in name order."""
    return sorted((root / "tips").glob("*.yaml"))


def read_tips(root: Path) -> tuple[list[Tip], list[Problem]]:
    """All tips under ``root`` (sorted) and every per-file and cross-file problem."""
    tips: list[Tip] = []
    problems: list[Problem] = []
    for path in tip_files(root):
        file_tips, file_problems = parse_tip_file(path, path.relative_to(root.parent).as_posix())
        tips.extend(file_tips)
        problems.extend(file_problems)
    problems.extend(cross_check(tips))
    return sorted(tips, key=_sort_key), problems


def load_tips(root: Path | None = None) -> list[Tip]:
    """Load the tip catalogue, sorted by (stage: pregnancy then child, offset_days).

    ``root`` is the ``messages`` directory (default: this package's). Raises
    ContentError if any tip file is broken, so a bad edit never reaches mothers
    half-loaded; coverage gaps are left to ``asibot content check``.
    """
    tips, problems = read_tips(root or MESSAGES_DIR)
    if problems:
        raise ContentError(problems)
    return tips
