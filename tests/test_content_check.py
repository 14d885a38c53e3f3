"""`asibot content check` fails on each kind of defect and passes on the real catalogue."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli_content import content
from messages.check import Problem, check_cadence, check_content, run_check
from messages.tips import MESSAGES_DIR, Tip

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


def test_two_4_day_gaps_in_a_row_in_weeks_6_to_26_are_not_twice_a_week(root: Path) -> None:
    # Tips on days 100, 103, 107, 110: moving 103 and 107 to 104 and 108 leaves days
    # 101..107 with one tip, though no gap is longer than 4 days.
    edit(root, INFANT, "  day: 103\n", "  day: 104\n")
    edit(root, INFANT, "  day: 107\n", "  day: 108\n")
    problem = only(check_content(root), "only 1 tip(s) in days 101..107")
    assert "days 43..182 (at least 2 tips in every 7 days)" in problem.message
    assert "infant_d104_no_early_banana" in problem.message
    assert problem.path == INFANT and problem.line > 1
    assert str(problem).startswith(f"{INFANT}:{problem.line}: child days 43..182")


def test_tips_every_4_days_fail_the_twice_a_week_rule() -> None:
    """The old catalogue's rhythm (days 44, 48, .., 180) is 1.75 tips a week: not enough."""
    def at(day: int) -> Tip:
        return Tip(f"t{day}", "child", day, False, 7, "t", "CF", {"id": "x", "en": "x"}, None,
                   INFANT, day)

    days = [*range(0, 8), *range(8, 43, 3), 42, *range(44, 181, 4), *range(183, 731, 7)]
    problems = [p for p in check_cadence([at(d) for d in sorted(set(days))])
                if "days 43..182" in p.message]
    assert problems and "only 1 tip(s) in days 45..51" in problems[0].message
    # twice a week, in any rhythm of 3 and 4 days, passes
    days = [*range(0, 8), *range(8, 43, 3), 42, *range(183, 731, 7)]
    days += [d for start in range(44, 181, 7) for d in (start, start + 3) if d <= 182]
    assert [p for p in check_cadence([at(d) for d in sorted(set(days))])
            if "child" in p.message] == []


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


def test_a_ui_text_over_whatsapps_1600_characters_is_reported(root: Path) -> None:
    append(root, GUIDANCE, '\nguidance.long:\n  id: "' + "a" * 1601 + '"\n  en: "b"\n')
    assert "1601 characters, over the limit of 1600" in only(
        check_content(root), "guidance.long").message


def test_a_ui_text_of_1600_characters_fits(root: Path) -> None:
    append(root, GUIDANCE, '\nguidance.long:\n  id: "' + "a" * 1600 + '"\n  en: "b"\n')
    assert check_content(root) == []


def test_a_ui_text_that_fits_only_until_its_placeholders_are_filled_is_reported(
    root: Path,
) -> None:
    # 1,200 characters and her quoted words (up to 600): too long for one WhatsApp body.
    text = "a" * 1200 + " {message}"
    append(root, "messages/ui/cadre.yaml",
           f'\ncadre.long:\n  id: "{text}"\n  en: "{text}"\n')
    problems = [p for p in run_check(root).problems if "over the limit" in p.message]
    assert len(problems) == 2 and all(
        "cadre.long" in p.message and "1801 characters with its placeholders filled in, "
        "over the limit of 1600" in p.message for p in problems)


def test_a_tip_placeholder_the_code_does_not_supply_is_reported(root: Path) -> None:
    append(root, INFANT, tip(text="Halo {mother}, coba hari ini."))
    problems = check_content(root)
    assert all("{mother}" in p.message for p in problems) and len(problems) == 2  # id and en


def test_a_ui_placeholder_the_code_never_supplies_is_reported_whatever_vars_says(
    root: Path,
) -> None:
    # guidance.question is sent by flows/cases.py guidance() with the puskesmas and
    # emergency values only; declaring {cadre} in vars: does not make the code pass it.
    edit(root, GUIDANCE, "guidance.question:\n  id: >-\n    Terima kasih atas pertanyaannya,",
         "guidance.question:\n  vars: [cadre]\n  id: >-\n    {cadre}: Terima kasih atas "
         "pertanyaannya,")
    edit(root, GUIDANCE, "    Thank you for your question, Bunda.",
         "    {cadre}: Thank you for your question, Bunda.")
    problems = check_content(root)
    assert len(problems) == 2, "\n".join(map(str, problems))
    for problem in problems:
        assert problem.path == GUIDANCE
        assert "ui guidance.question" in problem.message
        assert "placeholder {cadre} is not supplied by the code (flows/cases.py:" in problem.message
        assert problem.message.endswith("passes emergency, puskesmas)"), problem.message


def write_code(tmp_path: Path, source: str) -> Path:
    """A code root with one flow module, to check the YAML against instead of ours."""
    code = tmp_path / "code"
    (code / "flows").mkdir(parents=True)
    (code / "flows" / "extra.py").write_text(source, encoding="utf-8")
    return code


def test_a_call_that_passes_too_few_values_is_reported_at_the_text(
    root: Path, tmp_path: Path
) -> None:
    code = write_code(tmp_path, 'async def ask(ctx):\n    ctx.say("onboarding.confirm_birth", '
                                'date="1 Mei")\n')
    problems = check_content(root, code)
    assert len(problems) == 2, "\n".join(map(str, problems))
    assert all(p.path == "messages/ui/onboarding.yaml" and "placeholder {age} is not supplied"
               in p.message and "flows/extra.py:2 passes date" in p.message for p in problems)


def test_a_key_the_code_uses_that_no_locale_has_is_reported_at_the_call(
    root: Path, tmp_path: Path
) -> None:
    code = write_code(tmp_path, (
        "from messages.texts import text as ui_text\n"
        "\n"
        "def hello(ctx, band):\n"
        '    ctx.say("menu.nowhere", name="x")\n'
        '    return ui_text(f"nothing.{band}.1", "id")\n'
    ))
    problems = check_content(root, code)
    assert [str(p) for p in problems] == [
        "flows/extra.py:4: the code uses ui text 'menu.nowhere', which no locale has "
        "(add it to messages/ui/*.yaml)",
        "flows/extra.py:5: the code uses ui texts 'nothing.*.1', which no locale has "
        "(add it to messages/ui/*.yaml)",
    ]


def test_a_text_the_real_code_uses_and_the_yaml_lost_is_reported(root: Path) -> None:
    edit(root, "messages/ui/onboarding.yaml", "onboarding.confirm_birth:\n",
         "onboarding.renamed:\n")
    problem = only(check_content(root), "'onboarding.confirm_birth'")
    assert problem.path == "flows/onboarding.py" and "no locale has" in problem.message


def test_the_code_reader_follows_names_fstrings_and_dict_splats() -> None:
    from messages.codeuse import text_uses

    uses = text_uses(REAL.parent)
    welcome = [u for u in uses if u.matches("welcome.newborn.2_mother")]
    assert welcome and welcome[0].path == "flows/onboarding.py"
    assert welcome[0].supplied == frozenset({"name", "child", "helper"})
    confirm = [u for u in uses if u.key == "onboarding.confirm_due"]
    assert confirm and confirm[0].supplied == frozenset({"date", "age"})
    note = [u for u in uses if u.key == "cadre.escalated_note"]
    assert note and note[0].supplied == frozenset({"staff"})


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


def test_a_welcome_text_covered_by_an_unknown_tip_is_reported(root: Path) -> None:
    edit(root, "messages/ui/welcome.yaml", "  covered_by: [infant_d044_exclusive]\n",
         "  covered_by: [infant_d044_exclusiv]\n")
    problem = only(check_content(root), "covered_by names 'infant_d044_exclusiv'")
    assert problem.path == "messages/ui/welcome.yaml" and "welcome.infant.3" in problem.message


def test_a_welcome_text_instead_of_an_unknown_text_is_reported(root: Path) -> None:
    edit(root, "messages/ui/welcome.yaml", "  instead: welcome.newborn.2_mother\n",
         "  instead: welcome.newborn.9\n")
    assert only(check_content(root), "instead names 'welcome.newborn.9'")
