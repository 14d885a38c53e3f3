"""The content validator behind ``asibot content check``.

It reads every YAML file under ``messages/`` and reports each defect as a
Problem (``path:line: message``) so that a health worker editing a tip can fix
it without reading code: YAML that does not parse, duplicate keys (also those
PyYAML would silently overwrite), a locale missing, a text over its channel's
limit, a placeholder the code does not supply, a bad stage/day/week, two tips on
one day, and a gap in the tip cadence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from messages.codeuse import TextUse, text_uses
from messages.tips import (
    LOCALES,
    MESSAGES_DIR,
    PREGNANCY_WEEKS,
    TIP_LIMIT,
    TIP_PLACEHOLDERS,
    Tip,
    placeholders,
    read_tips,
)
from messages.yamlfile import LineMap, Problem, YamlFileError, load_yaml

__all__ = [
    "CADENCE",
    "PLACEHOLDER_ROOM",
    "UI_LIMIT",
    "Band",
    "Problem",
    "Report",
    "check_content",
    "number_warnings",
    "run_check",
]

# Every UI text can reach a WhatsApp phone (mothers and staff alike), so all are held
# to WhatsApp's limit through Twilio (1,600 characters a body; Telegram allows 4,096).
UI_LIMIT = 1600
# A text's length is judged as it will be sent: each placeholder counts as the room its
# value may take (her quoted words in an alert: flows.cases.MAX_QUOTE), others as a name.
PLACEHOLDER_ROOM = 30
PLACEHOLDER_ROOMS = {"message": 600}
_VAR_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Band:
    """A stretch of the child's life and how often tips must come in it.

    Either a longest gap between tips (``max_gap``), or a least number of tips in
    every ``window`` consecutive days inside the band (``per_window``): "twice a
    week" is two tips in every 7-day stretch, which a gap alone cannot say (tips
    every 4 days leave stretches of 7 days with one tip).
    """

    name: str
    first: int
    last: int
    max_gap: int = 0  # 1 = a tip every day; 0 = no gap rule
    window: int = 0
    per_window: int = 0


# The cadence of the issue and DOMAIN.md (a): weekly in pregnancy weeks 20..42 (checked
# apart), daily on days 0..7, at least every 3 days to day 42, twice a week in weeks
# 6..26 (days 43..182), weekly in months 6..24. A gap is measured from the last tip at
# or before a band's first day, so a band that starts late is caught.
CADENCE = (
    Band("newborn days 0..7 (daily)", 0, 7, max_gap=1),
    Band("days 8..42 (gap at most 3)", 8, 42, max_gap=3),
    Band("days 43..182 (at least 2 tips in every 7 days)", 43, 182, window=7, per_window=2),
    Band("days 183..730 (gap at most 7)", 183, 730, max_gap=7),
)


@dataclass
class Report:
    """What the checker found: the problems and the counts for the summary line."""

    problems: list[Problem]
    tips: int
    tips_per_locale: dict[str, int]
    ui_texts: int
    # Worth a human look but not proof of a defect (e.g. "2 tahun" / "second
    # birthday"): printed, never fails the check.
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the console, e.g. 'content ok: 160 tips (id 160, en 160), ...'."""
        per = ", ".join(f"{lang} {self.tips_per_locale.get(lang, 0)}" for lang in LOCALES)
        head = "content ok" if not self.problems else "content check FAILED"
        warned = f", {len(self.warnings)} warnings" if self.warnings else ""
        return (
            f"{head}: {self.tips} tips ({per}), {self.ui_texts} ui texts, "
            f"{len(self.problems)} problems{warned}"
        )


def _check_text(
    text: str, where: str, rel: str, line: int, limit: int, allowed: frozenset[str] | set[str]
) -> list[Problem]:
    problems = []
    names, error = placeholders(text)
    length = sent_length(text, names)
    if length > limit:
        filled = " with its placeholders filled in" if length != len(text) else ""
        problems.append(
            Problem(rel, line, f"{where}: {length} characters{filled}, over the limit of {limit}")
        )
    if error:
        problems.append(Problem(rel, line, f"{where}: {error}"))
    for name in sorted(names - set(allowed)):
        supplied = ", ".join(sorted(allowed)) or "none"
        problems.append(
            Problem(
                rel,
                line,
                f"{where}: placeholder {{{name}}} is not supplied "
                f"by the code (allowed: {supplied})",
            )
        )
    return problems


def sent_length(text: str, names: set[str]) -> int:
    """The length of ``text`` once sent: each placeholder as the room its value may take."""
    room = sum(PLACEHOLDER_ROOMS.get(name, PLACEHOLDER_ROOM) - len(name) - 2 for name in names)
    return len(text) + max(room, 0)


def _check_locales_agree(texts: dict[str, str], where: str, rel: str, line: int) -> list[Problem]:
    """Each translation must use the same placeholders as the Indonesian text."""
    problems: list[Problem] = []
    base_lang = LOCALES[0]
    if base_lang not in texts:
        return problems
    base_vars = placeholders(texts[base_lang])[0]
    for lang in LOCALES[1:]:
        if lang in texts and placeholders(texts[lang])[0] != base_vars:
            other = sorted(placeholders(texts[lang])[0])
            problems.append(
                Problem(
                    rel,
                    line,
                    f"{where}: placeholders differ between {base_lang} "
                    f"{sorted(base_vars)} and {lang} {other}",
                )
            )
    return problems


def number_warnings(texts: dict[str, str], where: str, rel: str, line: int) -> list[Problem]:
    """Warn when a translation carries other numbers than the Indonesian text.

    A storage time or an age that differs between languages would be a health
    error, but "2 tahun" / "second birthday" is fine, so this only warns.
    """
    base_lang = LOCALES[0]
    if base_lang not in texts:
        return []

    def numbers(text: str) -> list[str]:
        return sorted(set(_NUMBER_RE.findall(text.replace(",", "."))))

    base = numbers(texts[base_lang])
    return [
        Problem(
            rel,
            line,
            f"warning: {where}: numbers differ between {base_lang} {base} "
            f"and {lang} {numbers(texts[lang])}; check the translation says the same",
        )
        for lang in LOCALES[1:]
        if lang in texts and numbers(texts[lang]) != base
    ]


def _check_tip_texts(tip: Tip) -> list[Problem]:
    problems = []
    where = f"tip {tip.key}"
    for lang, text in tip.texts.items():
        problems += _check_text(
            text, f"{where} [{lang}]", tip.file, tip.line, TIP_LIMIT, TIP_PLACEHOLDERS
        )
    problems += _check_locales_agree(tip.texts, where, tip.file, tip.line)
    if tip.ask:
        for lang in LOCALES:
            if lang in tip.ask:
                problems += _check_text(
                    tip.ask[lang],
                    f"{where} ask [{lang}]",
                    tip.file,
                    tip.line,
                    TIP_LIMIT,
                    TIP_PLACEHOLDERS,
                )
    return problems


def _missing_ranges(days: list[int]) -> str:
    """'13, 14' or '13..20' for a run of missing days."""
    if len(days) <= 3:
        return ", ".join(str(d) for d in days)
    return f"{days[0]}..{days[-1]}"


def check_cadence(tips: list[Tip]) -> list[Problem]:
    """Coverage: every pregnancy week 20..42, and the child-age bands in CADENCE.

    A band with ``max_gap`` N is covered when every run of N days inside it
    holds a tip, i.e. consecutive tip days (counting the last tip before the
    band, and the day after its end) are at most N apart.
    """
    problems: list[Problem] = []
    preg = [t for t in tips if t.stage == "pregnancy"]
    child = sorted({t.offset_days for t in tips if t.stage == "child"})
    preg_file = preg[0].file if preg else "messages/tips"
    child_tips = sorted((t for t in tips if t.stage == "child"), key=lambda t: t.offset_days)

    weeks = {t.week for t in preg}
    lo, hi = PREGNANCY_WEEKS
    missing_weeks = [w for w in range(lo, hi + 1) if w not in weeks]
    if missing_weeks:
        problems.append(
            Problem(
                preg_file,
                1,
                f"pregnancy weeks {lo}..{hi} (one tip a week): "
                f"no tip in week {_missing_ranges(missing_weeks)}",
            )
        )

    for band in CADENCE:
        if band.window:
            problems += _check_window(band, child, child_tips)
        if band.max_gap:
            problems += _check_gaps(band, child, child_tips)
    return problems


def _anchor(child_tips: list[Tip], day: int) -> tuple[str, int]:
    """Where to point an editor for a hole ending at ``day``: the next tip, or the last one."""
    anchor = next((t for t in child_tips if t.offset_days >= day), None) or (
        child_tips[-1] if child_tips else None
    )
    return (anchor.file, anchor.line) if anchor else ("messages/tips", 1)


def _check_window(band: Band, child: list[int], child_tips: list[Tip]) -> list[Problem]:
    """Every ``band.window`` consecutive days inside the band hold ``band.per_window`` tips.

    A run of short windows is one problem, naming the first short stretch, the tips in
    it, and how far the run goes.
    """
    problems: list[Problem] = []
    days = set(child)
    short: list[int] = []  # first days of the windows with too few tips
    for start in range(band.first, band.last - band.window + 2):
        if sum(1 for d in range(start, start + band.window) if d in days) < band.per_window:
            short.append(start)
    runs: list[list[int]] = []
    for start in short:
        if runs and start == runs[-1][-1] + 1:
            runs[-1].append(start)
        else:
            runs.append([start])
    for run in runs:
        first, end = run[0], run[0] + band.window - 1
        inside = [t for t in child_tips if first <= t.offset_days <= end]
        held = ", ".join(f"day {t.offset_days} {t.key}" for t in inside) or "none"
        more = (
            f"; short stretches go on to day {run[-1] + band.window - 1}" if len(run) > 1 else ""
        )
        path, line = _anchor(child_tips, end + 1)
        problems.append(
            Problem(
                path,
                line,
                f"child {band.name}: only {len(inside)} tip(s) in days {first}..{end} "
                f"({held}){more}",
            )
        )
    return problems


def _check_gaps(band: Band, child: list[int], child_tips: list[Tip]) -> list[Problem]:
    """Consecutive tip days in the band are at most ``band.max_gap`` apart, to its last day."""
    problems: list[Problem] = []
    before = [d for d in child if d <= band.first]
    inside = [d for d in child if band.first < d <= band.last]
    points = ([before[-1]] if before else [band.first - 1]) + inside
    if points[-1] < band.last:
        points.append(band.last + 1)  # the band must be covered to its last day
    for prev, nxt in zip(points, points[1:], strict=False):
        if nxt - prev <= band.max_gap:
            continue
        gap_days = [d for d in range(prev + 1, nxt) if band.first <= d <= band.last]
        # Point at the tip just after the gap, or the band's last tip.
        path, line = _anchor(child_tips, nxt)
        problems.append(
            Problem(
                path,
                line,
                f"child {band.name}: no tip on day "
                f"{_missing_ranges(gap_days)} (gap of {nxt - prev} days after "
                f"{'day ' + str(prev) if prev in child else 'the band start'})",
            )
        )
    return problems


@dataclass(frozen=True)
class _Links:
    """A UI text's references to other content: tips that cover it, a text instead."""

    rel: str
    line: int
    key: str
    covered_by: Any
    instead: Any


def _check_links(links: list[_Links], tip_keys: set[str], ui_keys: set[str]) -> list[Problem]:
    """``covered_by`` names catalogue tips and ``instead`` names a UI text."""
    problems = []
    for link in links:
        covered = link.covered_by if link.covered_by is not None else []
        if not isinstance(covered, list) or not all(isinstance(k, str) for k in covered):
            problems.append(Problem(link.rel, link.line,
                                    f"ui {link.key}: covered_by must be a list of tip keys"))
            covered = []
        for tip_key in covered:
            if tip_key not in tip_keys:
                problems.append(Problem(link.rel, link.line,
                                        f"ui {link.key}: covered_by names '{tip_key}', "
                                        "which is not a tip in the catalogue"))
        if link.instead is not None and (
            not isinstance(link.instead, str) or link.instead not in ui_keys
        ):
            problems.append(Problem(link.rel, link.line,
                                    f"ui {link.key}: instead names '{link.instead}', "
                                    "which is not a ui text"))
    return problems


def _check_supplied(
    key: str, lang: str, text: str, rel: str, line: int, uses: list[TextUse],
    warnings: list[Problem],
) -> list[Problem]:
    """Each placeholder of a UI text is passed by every call in the code that sends it.

    The calls are read from the source (messages.codeuse), not from the entry's own
    ``vars:``; a call whose values cannot be read (a ``**`` of unknown keys) is not
    held against the text. A text with placeholders that no readable call sends is
    a warning: the checker cannot tell, a person should look.
    """
    names, _error = placeholders(text)
    if not names:
        return []
    sites = [u for u in uses if u.matches(key)]
    known = [u for u in sites if u.supplied is not None]
    if not sites:
        warnings.append(Problem(rel, line, f"warning: ui {key} [{lang}]: no call the checker "
                                f"can read sends this text, so its placeholders "
                                f"{sorted(names)} are unchecked"))
        return []
    problems = []
    for name in sorted(names):
        short = [u for u in known if name not in (u.supplied or ())]
        if not short:
            continue
        calls = list(dict.fromkeys(  # one call may be reached by several keys' paths
            f"{u.path}:{u.line} passes {', '.join(sorted(u.supplied or ())) or 'nothing'}"
            for u in short))
        where = ", ".join(calls[:3]) + (f" (and {len(calls) - 3} more)" if len(calls) > 3 else "")
        problems.append(Problem(rel, line, f"ui {key} [{lang}]: placeholder {{{name}}} is not "
                                f"supplied by the code ({where})"))
    return problems


def _check_code_keys(uses: list[TextUse], ui_keys: set[str]) -> list[Problem]:
    """A text the code asks for exists in the UI files (its locales are checked there)."""
    problems = []
    for use in uses:
        if not any(use.matches(key) for key in ui_keys):
            what = f"ui text '{use.key}'" if not use.pattern else f"ui texts '{use.shown}'"
            problems.append(Problem(use.path, use.line, f"the code uses {what}, which no "
                                    "locale has (add it to messages/ui/*.yaml)"))
    return problems


def _check_ui_file(
    path: Path, rel: str, seen: dict[str, str], warnings: list[Problem],
    links: list[_Links] | None = None, uses: list[TextUse] | None = None,
) -> tuple[list[Problem], int]:
    problems: list[Problem] = []
    try:
        doc = load_yaml(path)
    except YamlFileError as exc:
        return [Problem(rel, exc.line, exc.message)], 0
    for dup in doc.duplicates:
        problems.append(
            Problem(rel, dup.line, f"duplicate key '{dup.key}' (first at line {dup.first_line})")
        )
    data = doc.data
    if data is None:
        return problems, 0
    if not isinstance(data, LineMap):
        return [*problems, Problem(rel, 1, "a ui file must map text keys to entries")], 0
    count = 0
    for key, entry in data.items():
        line = data.line_of(key)
        if not isinstance(key, str) or not key.strip():
            problems.append(Problem(rel, line, f"ui key must be text, got {key!r}"))
            continue
        if key in seen:
            problems.append(Problem(rel, line, f"duplicate ui key '{key}' (also in {seen[key]})"))
        else:
            seen[key] = rel
        if not isinstance(entry, dict):
            problems.append(Problem(rel, line, f"ui {key}: needs {'/'.join(LOCALES)} texts"))
            continue
        if links is not None and ("covered_by" in entry or "instead" in entry):
            links.append(_Links(rel, line, key, entry.get("covered_by"), entry.get("instead")))
        _declared, var_problems = _ui_vars(entry, key, rel, line)  # documentation only
        problems += var_problems
        texts: dict[str, str] = {}
        for lang in LOCALES:
            value = entry.get(lang)
            at = entry.line_of(lang) if isinstance(entry, LineMap) else line
            if not isinstance(value, str) or not value.strip():
                problems.append(Problem(rel, at, f"ui {key}: locale '{lang}' is missing or empty"))
                continue
            texts[lang] = value
            # placeholders are judged against the code, not the entry's `vars:`
            names = placeholders(value)[0]
            problems += _check_text(value, f"ui {key} [{lang}]", rel, at, UI_LIMIT, names)
            if uses is not None:
                problems += _check_supplied(key, lang, value, rel, at, uses, warnings)
        problems += _check_locales_agree(texts, f"ui {key}", rel, line)
        warnings.extend(number_warnings(texts, f"ui {key}", rel, line))
        count += 1
    return problems, count


def _ui_vars(entry: Any, key: str, rel: str, line: int) -> tuple[set[str], list[Problem]]:
    raw = entry.get("vars", [])
    if raw is None:
        raw = []
    if not isinstance(raw, list) or not all(isinstance(v, str) and _VAR_RE.match(v) for v in raw):
        return set(), [Problem(rel, line, f"ui {key}: vars must be a list of names, got {raw!r}")]
    return set(raw), []


def _check_other_yaml(path: Path, rel: str) -> list[Problem]:
    """Any other YAML under messages/ must at least parse and have unique keys."""
    try:
        doc = load_yaml(path)
    except YamlFileError as exc:
        return [Problem(rel, exc.line, exc.message)]
    return [
        Problem(rel, d.line, f"duplicate key '{d.key}' (first at line {d.first_line})")
        for d in doc.duplicates
    ]


def run_check(root: Path, code_root: Path | None = None) -> Report:
    """Check every YAML file under ``root`` (a ``messages`` directory) and count texts."""
    tips, problems = read_tips(root)
    # The code that sends the texts: the packages installed beside this one, unless given.
    uses = text_uses(code_root or MESSAGES_DIR.parent)
    warnings: list[Problem] = []
    for tip in tips:
        problems += _check_tip_texts(tip)
        warnings += number_warnings(tip.texts, f"tip {tip.key}", tip.file, tip.line)
    problems += check_cadence(tips)

    seen: dict[str, str] = {}
    links: list[_Links] = []
    ui_count = 0
    for path in sorted((root / "ui").glob("*.yaml")):
        rel = path.relative_to(root.parent).as_posix()
        found, count = _check_ui_file(path, rel, seen, warnings, links, uses)
        problems += found
        ui_count += count
    problems += _check_links(links, {t.key for t in tips}, set(seen))
    problems += _check_code_keys(uses, set(seen))

    known = {*(root / "tips").glob("*.yaml"), *(root / "ui").glob("*.yaml")}
    for path in sorted([*root.rglob("*.yaml"), *root.rglob("*.yml")]):
        if path not in known:
            problems += _check_other_yaml(path, path.relative_to(root.parent).as_posix())

    per_locale = {lang: sum(1 for t in tips if t.texts.get(lang)) for lang in LOCALES}
    return Report(sorted(set(problems)), len(tips), per_locale, ui_count, sorted(warnings))


def check_content(root: Path, code_root: Path | None = None) -> list[Problem]:
    """Every problem in the content under ``root``; an empty list means it is fit to ship."""
    return run_check(root, code_root).problems
