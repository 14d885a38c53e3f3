"""`asibot content check` fails on each kind of defect and passes on the real catalogue."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli_content import content
from messages.check import Problem, check_content, run_check
from messages.tips import MESSAGES_DIR

REAL = MESSAGES_DIR
NEWBORN = "messages/tips/20_newborn_0_7d.yaml"
INFANT = "messages/tips/30_infant_8_182d.yaml"
GUIDANCE = "messages/ui/guidance.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A private copy of messages/ (YAML only) to break one thing in."""
    dest = tmp_path / "messages"
    shutil.copytree(REAL, dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dest


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace one exact occurrence of `old` in a copied file."""
    path = root.parent / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def append(root: Path, rel: str, text: str) -> None:
    path = root.parent / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def only(problems: list[Problem], fragment: str) -> Problem:
    """The single problem whose message contains `fragment`, failing with all of them."""
    found = [p for p in problems if fragment in p.message]
    assert len(found) == 1, "\n".join(str(p) for p in problems)
    return found[0]


TIP = """
- key: {key}
  stage: {stage}
  {when}
  must_deliver: false
  topic: test
  source: "CF"
  text:
    id: "{text}"
    en: "{text}"
"""


def tip(
    key: str = "extra_tip",
    stage: str = "child",
    when: str = "day: 181",
    text: str = "Coba hari ini: susui si kecil.",
) -> str:
    return TIP.format(key=key, stage=stage, when=when, text=text)


def test_the_real_catalogue_has_no_problems() -> None:
    assert check_content(REAL) == []


def test_the_untouched_copy_has_no_problems(root: Path) -> None:
    assert check_content(root) == []


def test_a_missing_tip_is_a_cadence_gap_naming_band_and_days(root: Path) -> None:
    # Tips on days 8, 10, 12, 14, 17: moving 14 and 17 to 18 and 19 leaves 13..17 empty.
    edit(root, INFANT, "  day: 14\n", "  day: 18\n")
    edit(root, INFANT, "  day: 17\n", "  day: 19\n")
    problem = only(check_content(root), "days 8..42")
    assert "no tip on day 13..17" in problem.message and "after day 12" in problem.message
    assert problem.path == INFANT


def test_a_missing_newborn_day_is_reported(root: Path) -> None:
    edit(root, NEWBORN, "  day: 4\n", "  day: 9\n")
    problem = only(check_content(root), "newborn days 0..7")
    assert "no tip on day 4" in problem.message


def test_a_missing_pregnancy_week_is_reported(root: Path) -> None:
    edit(root, "messages/tips/10_pregnancy.yaml", "  week: 33\n", "  week: 33\n  weekday: 1\n")
    edit(root, "messages/tips/10_pregnancy.yaml", "  week: 34\n", "  week: 33\n  weekday: 2\n")
    assert "no tip in week 34" in only(check_content(root), "pregnancy weeks").message


def test_a_missing_locale_is_reported_with_its_line(root: Path) -> None:
    edit(
        root,
        GUIDANCE,
        "    Thank you for your question, Bunda.\n",
        "",
    )
    edit(
        root,
        GUIDANCE,
        "guidance.question:\n  id: >-\n    Terima kasih atas pertanyaannya, Bunda.\n  en: >-\n",
        "guidance.question:\n  id: >-\n    Terima kasih atas pertanyaannya, Bunda.\n",
    )
    problem = only(check_content(root), "locale 'en' is missing")
    assert problem.path == GUIDANCE and problem.line > 1


def test_an_empty_tip_text_is_reported(root: Path) -> None:
    append(root, INFANT, tip().replace('    en: "Coba hari ini: susui si kecil."', '    en: ""'))
    assert "extra_tip" in only(check_content(root), "locale 'en' is missing or empty").message


def test_a_duplicate_yaml_key_pyyaml_would_hide_is_reported(root: Path) -> None:
    append(root, GUIDANCE, '\nguidance.mood:\n  id: "Dua"\n  en: "Two"\n')
    problem = only(check_content(root), "duplicate key 'guidance.mood'")
    assert problem.path == GUIDANCE and "first at line" in problem.message


def test_a_duplicate_field_inside_a_tip_is_reported(root: Path) -> None:
    edit(root, NEWBORN, "  day: 3\n", "  day: 3\n  day: 4\n")
    assert only(check_content(root), "duplicate key 'day'").path == NEWBORN


def test_a_tip_key_used_in_two_files_is_reported(root: Path) -> None:
    append(root, INFANT, tip(key="newborn_d03_jaundice"))
    problem = only(check_content(root), "duplicate tip key 'newborn_d03_jaundice'")
    assert problem.path == INFANT and NEWBORN in problem.message


def test_a_ui_key_used_in_two_files_is_reported(root: Path) -> None:
    (root / "ui" / "zz_extra.yaml").write_text('guidance.mood:\n  id: "a"\n  en: "b"\n')
    assert only(check_content(root), "duplicate ui key 'guidance.mood'")


def test_a_tip_over_1000_characters_is_reported(root: Path) -> None:
    append(root, INFANT, tip(text="Bunda " * 170))
    assert "over the limit of 1000" in only(check_content(root), "[id]").message


def test_a_ui_text_over_4096_characters_is_reported(root: Path) -> None:
    append(root, GUIDANCE, '\nguidance.long:\n  id: "' + "a" * 4097 + '"\n  en: "b"\n')
    assert "over the limit of 4096" in only(check_content(root), "guidance.long").message


def test_a_tip_placeholder_the_code_does_not_supply_is_reported(root: Path) -> None:
    append(root, INFANT, tip(text="Halo {mother}, coba hari ini."))
    problems = check_content(root)
    assert all("{mother}" in p.message for p in problems) and len(problems) == 2  # id and en


def test_a_ui_placeholder_not_in_vars_is_reported(root: Path) -> None:
    append(
        root,
        GUIDANCE,
        '\nguidance.extra:\n  vars: [name]\n  id: "Halo {cadre}"\n  en: "Hello {cadre}"\n',
    )
    problems = check_content(root)
    assert len(problems) == 2 and all("{cadre} is not supplied" in p.message for p in problems)


def test_yaml_that_does_not_parse_is_reported_with_its_line(root: Path) -> None:
    lines = len((root.parent / GUIDANCE).read_text().splitlines())
    append(root, GUIDANCE, '\nguidance.broken:\n  id: "a"\n  en: b: c\n')
    problem = only(check_content(root), "YAML does not parse")
    assert problem.path == GUIDANCE and problem.line == lines + 4


@pytest.mark.parametrize(
    ("stage", "when", "fragment"),
    [
        ("baby", "day: 181", "bad stage"),
        ("child", "day: 731", "bad day"),
        ("child", "day: -1", "bad day"),
        ("child", "day: three", "bad day"),
        ("pregnancy", "week: 19", "bad week"),
        ("pregnancy", "week: 43", "bad week"),
        ("pregnancy", "week: 30\n  weekday: 7", "bad weekday"),
    ],
)
def test_a_bad_stage_day_or_week_is_reported(
    root: Path, stage: str, when: str, fragment: str
) -> None:
    append(root, INFANT, tip(stage=stage, when=when))
    assert "extra_tip" in only(check_content(root), fragment).message


def test_two_tips_on_one_day_are_reported(root: Path) -> None:
    append(root, INFANT, tip(when="day: 44"))
    problem = only(check_content(root), "two tips on one day")
    assert "infant_d044_exclusive" in problem.message and "child day 44" in problem.message


def test_an_unknown_source_is_reported(root: Path) -> None:
    append(root, INFANT, tip().replace('source: "CF"', 'source: "Google"'))
    assert only(check_content(root), "unknown source")


def test_a_translation_with_other_numbers_only_warns(root: Path) -> None:
    edit(root, INFANT, "tahan paling lama 4 jam", "tahan paling lama 6 jam")
    report = run_check(root)
    assert report.problems == []
    assert any("numbers differ" in w.message for w in report.warnings)


def test_cli_prints_path_line_message_and_exits_1_on_a_defect(root: Path) -> None:
    append(root, INFANT, tip(when="day: 44"))
    result = CliRunner().invoke(content, ["check", "--root", str(root)])
    assert result.exit_code == 1
    assert f"{INFANT}:" in result.output and ": two tips on one day" in result.output
    assert "content check FAILED" in result.output


def test_cli_prints_one_ok_line_on_the_real_catalogue() -> None:
    result = CliRunner().invoke(content, ["check"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("content ok: ")
    assert ", 0 problems" in result.output
