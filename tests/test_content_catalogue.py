"""The tip catalogue and its UI texts, as the scheduler and the flows will use them."""

from __future__ import annotations

import re

import pytest

from messages import texts
from messages.tips import LOCALES, TIP_PLACEHOLDERS, Tip, load_tips, offset_for_week

OUR_FILES = ("10_pregnancy.yaml", "20_newborn_0_7d.yaml", "30_infant_8_182d.yaml")
BANDS = {
    "pregnancy": lambda t: t.stage == "pregnancy",
    "newborn 0-7": lambda t: t.stage == "child" and t.offset_days <= 7,
    "infant 8-182": lambda t: t.stage == "child" and 8 <= t.offset_days <= 182,
    "child 183-730": lambda t: t.stage == "child" and t.offset_days >= 183,
}


@pytest.fixture(scope="module")
def tips() -> list[Tip]:
    return load_tips()


@pytest.fixture(scope="module")
def ours(tips: list[Tip]) -> list[Tip]:
    return [t for t in tips if t.file.endswith(OUR_FILES)]


def by_day(tips: list[Tip], day: int) -> Tip:
    return next(t for t in tips if t.stage == "child" and t.offset_days == day)


def test_pregnancy_offsets_count_from_the_due_date() -> None:
    assert offset_for_week(40) == 0
    assert offset_for_week(42) == 14
    assert offset_for_week(20) == -140
    assert offset_for_week(38, 3) == -11


def test_tips_are_sorted_pregnancy_first_then_by_offset(tips: list[Tip]) -> None:
    order = [(t.stage != "pregnancy", t.offset_days) for t in tips]
    assert order == sorted(order)
    assert tips[0].stage == "pregnancy" and tips[-1].stage == "child"


def test_every_band_is_filled_in_every_locale(tips: list[Tip]) -> None:
    for band, belongs in BANDS.items():
        members = [t for t in tips if belongs(t)]
        assert members, band
        for lang in LOCALES:
            assert all(t.texts.get(lang, "").strip() for t in members), (band, lang)


def test_each_pregnancy_week_from_20_to_42_has_a_tip(tips: list[Tip]) -> None:
    assert {t.week for t in tips if t.stage == "pregnancy"} == set(range(20, 43))


def test_the_first_week_is_one_tip_a_day(tips: list[Tip]) -> None:
    assert sorted(t.offset_days for t in tips if t.stage == "child" and t.offset_days <= 7) == list(
        range(8)
    )


@pytest.mark.parametrize(
    ("day", "topic"),
    [(1, "danger_signs_baby"), (3, "jaundice"), (6, "cord_care"), (17, "mastitis"), (20, "mood")],
)
def test_safety_tips_must_be_delivered_even_late(tips: list[Tip], day: int, topic: str) -> None:
    tip = by_day(tips, day)
    assert tip.topic == topic and tip.must_deliver


def test_every_danger_sign_tip_says_segera_and_at_once(ours: list[Tip]) -> None:
    for tip in ours:
        if tip.topic.startswith("danger_signs"):
            assert "SEGERA" in tip.texts["id"] and "AT ONCE" in tip.texts["en"], tip.key
            assert tip.must_deliver, tip.key


def test_our_tips_carry_one_small_action_and_a_readable_length(ours: list[Tip]) -> None:
    assert len(ours) >= 75
    for tip in ours:
        assert "Coba hari ini:" in tip.texts["id"] and "Try today:" in tip.texts["en"], tip.key
        for lang in LOCALES:
            assert 250 <= len(tip.texts[lang]) <= 700, (tip.key, lang, len(tip.texts[lang]))


def test_no_tip_repeats_another(tips: list[Tip]) -> None:
    for lang in LOCALES:
        seen = [t.texts[lang] for t in tips]
        assert len(seen) == len(set(seen)), lang


# Doses and drugs: never, anywhere in the catalogue.
NO_DRUGS = [r"\d+\s?mg\b", r"\btablet\b", r"antibiotik|antibiotic", r"\bparacetamol\b"]
# Stopping breastfeeding or blame: never as advice in our tips (another file may
# quote what a relative says, which a phrase search cannot tell apart).
FORBIDDEN = [
    r"berhenti menyusui",
    r"hentikan (menyusui|asi)",
    r"stop breastfeeding",
    r"\d+\s?mg\b",
    r"\btablet\b",
    r"antibiotik|antibiotic",
    r"kurang bersyukur",
]


NEGATION = re.compile(r"\b(jangan|tidak|tanpa|bukan|never|don't|do not|not|no need to)\b", re.I)


def test_no_tip_names_a_drug_or_a_dose(tips: list[Tip]) -> None:
    for tip in tips:
        for lang in LOCALES:
            for pattern in NO_DRUGS:
                assert not re.search(pattern, tip.texts[lang], re.I), (tip.key, lang, pattern)


def test_our_tips_never_tell_her_to_stop_breastfeeding(ours: list[Tip]) -> None:
    for tip in ours:
        for lang in LOCALES:
            for pattern in FORBIDDEN:
                for match in re.finditer(pattern, tip.texts[lang], re.I):
                    # "Jangan berhenti menyusui" / "don't stop breastfeeding" is the advice.
                    before = tip.texts[lang][max(0, match.start() - 20) : match.start()]
                    assert NEGATION.search(before), (tip.key, lang, pattern)


def test_render_fills_the_childs_name_and_defaults_to_si_kecil() -> None:
    tip = Tip(
        "k",
        "child",
        0,
        False,
        7,
        "t",
        "CF",
        {"id": "Susui {child}.", "en": "Feed {child}."},
        None,
        "f",
        1,
    )
    assert tip.render("id", child="Aisyah") == "Susui Aisyah."
    assert tip.render("id") == "Susui si kecil."
    assert tip.render("en") == "Feed your little one."
    assert {"name", "child"} == TIP_PLACEHOLDERS


def test_a_missing_mothers_name_leaves_no_gap() -> None:
    tip = Tip(
        "k",
        "child",
        0,
        False,
        7,
        "t",
        "CF",
        {"id": "Halo Bunda {name}, apa kabar?", "en": "Hi Bunda {name}!"},
        None,
        "f",
        1,
    )
    assert tip.render("id") == "Halo Bunda, apa kabar?"
    assert tip.render("en", name="Siti") == "Hi Bunda Siti!"


URGENT = {
    "puskesmas": "Puskesmas Taman Baca",
    "puskesmas_phone": "0711-000000",
    "emergency": "IGD RS terdekat",
}


@pytest.mark.parametrize("lang", LOCALES)
def test_every_welcome_and_guidance_text_renders_through_the_texts_loader(lang: str) -> None:
    values = {"name": "Siti", "child": "si kecil", "cadre": "Bu Sari",
              "helper": texts.text("onboarding.helper_cadre", lang, cadre="Bu Sari"), **URGENT}
    for band in ("pregnant", "newborn", "infant", "child"):
        for n in (1, 2, 3):
            key = f"welcome.{band}.{n}"
            entry = texts.ui_texts()[key]
            assert texts.text(key, lang, **{v: values[v] for v in entry.vars})
    labels = [
        "danger_baby",
        "danger_mother",
        "danger_mother_selfharm",
        "loss",
        "mastitis",
        "latch_pain",
        "engorgement",
        "low_milk",
        "mood",
        "question",
    ]
    for label in labels:
        entry = texts.ui_texts()[f"guidance.{label}"]
        out = texts.text(f"guidance.{label}", lang, **{v: values[v] for v in entry.vars})
        assert 1 <= len(re.findall(r"[.!?](\s|$)", out)) <= 4, (label, out)


def test_urgent_guidance_starts_with_segera_and_self_harm_calls_the_family() -> None:
    assert texts.text("guidance.danger_baby", "id", **URGENT).startswith("SEGERA")
    assert texts.text("guidance.danger_mother", "id", **URGENT).startswith("SEGERA")
    selfharm = texts.text("guidance.danger_mother_selfharm", "id", **URGENT)
    assert "Bunda tidak sendiri; panggil keluarga sekarang." in selfharm
    assert "119" in selfharm


def test_fridge_storage_says_the_same_in_both_languages() -> None:
    """Both texts name the fridge's cold compartment at the back, never 'the bottom shelf'."""
    tips = {t.key: t for t in load_tips()}
    for key in ("infant_d064_store_fridge", "infant_d072_thawing"):
        indonesian, english = tips[key].texts["id"], tips[key].texts["en"]
        assert "bawah" not in indonesian, key
        assert "ruang pendingin kulkas" in indonesian and "cold part of the fridge" in english
    fridge = tips["infant_d064_store_fridge"]
    assert "belakang" in fridge.texts["id"] and "back" in fridge.texts["en"]
