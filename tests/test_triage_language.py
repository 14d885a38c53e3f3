"""Round seven: the danger signs of DOMAIN.md said in a mother's own words, and the traps.

Each story is a kind of wording (a slip of the thumb, a dialect word, a lay description,
a temperature written as on a cheap phone), not a memorised line.
"""

from __future__ import annotations

import pytest

from flows.triage import classify
from flows.triage.normalize import normalize


def label(text: str) -> str:
    return classify(text).label


# ---------------- a danger word with one slip of the thumb ----------------
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("bayi demem dari semalem", "danger_baby"),  # demam, one vowel wrong
        ("dedek kejng barusan", "danger_baby"),  # kejang, a letter dropped
        ("aku pinsan tadi di kamar mandi", "danger_mother"),  # pingsan
        ("aku menggigel terus abis lahiran", "danger_mother"),  # menggigil
        ("aku pendaharan banyak banget", "danger_mother"),  # pendarahan, letters swapped
    ],
)
def test_a_mother_who_mistypes_the_danger_word_is_still_sent_to_the_facility(
    text: str, want: str
) -> None:
    assert label(text) == want, text


def test_a_slip_that_makes_another_real_word_is_left_alone() -> None:
    # "menggigit" (biting) is one letter from "menggigil"; "kejam" (cruel) from "kejang"
    assert "menggigil" not in normalize("dedek menggigit puting aku")
    assert "kejang" not in normalize("mertua kejam banget sama aku")
    assert "kejang" not in normalize("dedek ngejan pas pup")
    assert not classify("dedek suka menggigit puting pas nyusu, sakit").urgent


# ---------------- Javanese / Sundanese / Palembang words for the signs ----------------
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("bayi emoh nyusu wis sedina", "danger_baby"),  # Javanese refusal
        ("dedek ogah mimik dari pagi", "danger_baby"),
        ("dedek mriyang, umur 3 minggu", "danger_baby"),  # Javanese fever
        ("bayine murus terus", "danger_baby"),  # Javanese diarrhoea
        ("bayi ora nguyuh sedina", "danger_baby"),  # Javanese urine
        ("orok koneng nepi ka dampal suku", "danger_baby"),  # Sundanese yellow to the soles
        ("aku kapaehan tadi isuk", "danger_mother"),  # Sundanese fainted
        ("sirahku ngelu banget lan mripatku burem", "danger_mother"),  # Javanese head, eyes
        ("aku pengin bunuh awak dewek", "danger_mother"),  # Palembang "myself"
        ("aku hayang paeh wae", "danger_mother"),  # Sundanese "want to die"
    ],
)
def test_a_mother_who_writes_in_her_own_language_is_understood(text: str, want: str) -> None:
    r = classify(text)
    assert r.label == want, (text, r)


def test_self_harm_in_dialect_carries_the_self_harm_flag() -> None:
    assert classify("aku pengin bunuh awak dewek").self_harm
    assert classify("aku hayang paeh wae").self_harm


# ---------------- temperatures as they are typed ----------------
@pytest.mark.parametrize(
    "text",
    [
        "dedek 39 drjt",
        "bayiku 39°C dari tadi",
        "suhu dedek 38,5°",
        "baby 101F since this morning",
        "dedek panas 38 koma 5",
    ],
)
def test_a_fever_written_with_degrees_or_fahrenheit_sends_the_baby(text: str) -> None:
    assert label(text) == "danger_baby", text


def test_the_rooms_temperature_is_not_the_babys() -> None:
    assert not classify("suhu kamar 38 derajat panas banget").urgent
    assert not classify("room temp is 38 degrees, should I use the fan?").urgent


# ---------------- lay descriptions of the baby's signs ----------------
@pytest.mark.parametrize(
    "text",
    [
        "si kecil mulutnya cuma mangap ga ada tenaga ngisep",  # weak suck
        "bayi gerak cuma kalau dicolek",  # moves only when stimulated
        "he only moves when touched, otherwise just lies there",
        "mata dedek merah keluar kotoran kuning terus",  # pus in the eyes
        "pup dedek cair terus kayak air",  # diarrhoea that keeps coming
        "pipisnya cuma sekali dari pagi, warnanya kuning pekat",  # one wet nappy today
        "kuning di bayi udah 15 hari belum ilang",  # jaundice past two weeks
        "dedek muntah ijo",  # green vomit
    ],
)
def test_a_mother_who_describes_the_babys_sign_without_the_medical_word_is_sent(
    text: str,
) -> None:
    r = classify(text)
    assert r.label == "danger_baby", (text, r)


def test_a_normal_nappy_count_or_a_yellow_egg_yolk_is_not_a_danger() -> None:
    assert not classify("dedek pipis 8 kali sehari, pupnya kuning").urgent
    assert not classify("dedek umur 20 hari boleh makan kuning telur?").urgent


# ---------------- traps ----------------
def test_a_dream_a_joke_or_a_denied_thought_is_not_a_danger_sign() -> None:
    assert not classify("mimpi dedek kejang, untung cuma mimpi").urgent
    assert not classify("ngakak sampe mau mati liat video dedek").urgent
    assert not classify("aku ga pernah mikir bunuh diri kok, cuma capek").urgent
    assert not classify("I never thought about hurting myself, just tired").urgent


# ---------------- more lay descriptions (mother and baby) ----------------
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("satu kaki aku gede sebelah, merah dan panas", "danger_mother"),  # a clot
        ("dadaku kaya ketiban batu, napas ga bisa dalem", "danger_mother"),  # breathing
        ("dedek demam naik turun 3 hari", "danger_baby"),  # up and down is not going down
        ("ada darah di muntahan dedek", "danger_baby"),
        ("dedek mulutnya cuma nempel ga nyedot", "danger_baby"),  # weak suck
    ],
)
def test_a_sign_told_as_what_she_sees_is_sent_to_the_facility(text: str, want: str) -> None:
    r = classify(text)
    assert r.label == want, (text, r)


def test_searching_for_a_way_or_shaking_the_baby_in_anger_is_urgent() -> None:
    for text in (
        "I've been looking up how many pills it takes",
        "berapa butir obat tidur biar mati",
        "tadi aku goyang2in dedek kenceng banget karena kesel, takut kenapa2",
    ):
        r = classify(text)
        assert r.label == "danger_mother" and r.self_harm, (text, r)
    assert not classify("aku goyang2in dedek pelan biar tidur").urgent
    assert not classify("how many pills of paracetamol is safe while breastfeeding?").urgent


def test_the_fever_going_down_is_still_over() -> None:
    assert not classify("demam dedek sudah turun, sekarang 36,9").urgent


# ---------------- kinds the rules did not understand (seen in grouped-CV misses) ----------
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("adek dak pernah melek dari pagi, dibangunin diem bae", "danger_baby"),
        ("nyusu tadi jam 3 sore, abis itu dia comes right back up, all of it", "danger_baby"),
        ("she can't keep anything down since this morning", "danger_baby"),
        ("there's blood from the cord and it keeps coming", "danger_baby"),
        ("bayi 3 minggu, pup cair 10 times hari ini", "danger_baby"),
        ("kula mboten saged ambegan, dhadha lara", "danger_mother"),  # Javanese krama
        ("aku meteng 8 sasi, wetengku lara banget ora mari", "danger_mother"),
        ("my waters just broke, 35 weeks", "danger_mother"),
    ],
)
def test_a_sign_in_another_register_is_understood(text: str, want: str) -> None:
    r = classify(text)
    assert r.label == want, (text, r)


@pytest.mark.parametrize(
    "text",
    [
        "kadang aku takut khilaf sama anakku kalau dia nangis terus",  # losing control
        "kebayang dedek jatuh dari kasur dan anehnya aku lega",  # harm pictured with relief
        "tiap liat pisau di dapur ada pikiran itu lagi",  # a means and "that thought"
        "pamit ya bun, titip anakku",  # a farewell leaving the child in care
        "kalau aku gak ada, suami bisa nikah lagi sama yang lebih baik",
        "aku udah nulis surat, biar mereka ngerti kenapa aku memilih pergi",
        "I gave away my things, I won't need them",
        "aku capek, pengen ketabrak motor aja biar istirahat",  # the motorbike is the means
        "I started cutting my wrists again",
    ],
)
def test_a_plan_a_farewell_or_a_harm_pictured_with_relief_flags_self_harm(text: str) -> None:
    r = classify(text)
    assert r.label == "danger_mother" and r.self_harm, (text, r)


def test_an_ordinary_goodbye_or_going_to_work_is_not_a_farewell() -> None:
    assert not classify("pamit dulu ya bun, makasih buat semuanya, dedek udah 6 bulan").urgent
    assert not classify("kalau aku pergi kerja, dedek lebih baik sama nenek?").urgent
    assert not classify("hp ku mati, baru bisa bales").urgent
    assert not classify("makasih bun, sore ini aku ke posyandu").urgent
    assert "sakit" not in normalize("jam 4 sore dedek tidur")
    assert "sakit" in normalize("my nipples are sore")


@pytest.mark.parametrize("text", [
    "pagi aja jam 8", "sore aja jam 4", "jam 8 pagi aja", "tiap hari jam 7 malam ya bun",
    "morning at 8 please",
])
def test_a_mother_answering_the_tip_hour_question_is_not_sent_to_the_facility(text: str) -> None:
    r = classify(text)
    assert not r.urgent and r.label == "none", (text, r)


def test_a_time_of_day_does_not_hide_a_danger_sign() -> None:
    assert classify("dedek dr jam 8 pagi blm pipis").urgent
    assert classify("sore aja jam 4 tadi dedek kejang").urgent


@pytest.mark.parametrize("text", [
    "baby was born yesterday", "our baby is born", "I gave birth yesterday",
    "she was born healthy yesterday", "alhamdulillah bayi saya sudah lahir kemarin",
    "dedek udah lahir td pagi", "baby arrived yesterday 3,2 kg",
])
def test_news_of_the_birth_is_neither_a_loss_nor_a_danger(text: str) -> None:
    r = classify(text)
    assert r.label == "none" and not r.urgent, (text, r)


def test_a_birth_told_with_a_danger_or_a_loss_keeps_it() -> None:
    assert classify("my baby was born still yesterday").label == "loss"
    assert classify("pusing muter2 trs jatuh td, abis lahiran seminggu").urgent
    assert classify("Gave birth at home yesterday, placenta came out but I'm still pouring "
                    "blood and feel cold").urgent
