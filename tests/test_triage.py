"""Triage stories a health worker recognises, plus the held-out goals (computed)."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from pathlib import Path

import pytest

from flows.triage import LABELS, URGENT_LABELS, TriageResult, classify

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "triage"


def _load(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def label(text: str) -> str:
    return classify(text).label


# ---------------- the contract ----------------
def test_contract_example() -> None:
    r = classify("dedek kejang")
    assert r == TriageResult(label="danger_baby", urgent=True, reasons=("kejang",), self_harm=False)
    assert dataclasses.is_dataclass(r)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.label = "none"  # type: ignore[misc]
    assert set(URGENT_LABELS) == {"danger_baby", "danger_mother"}
    assert len(LABELS) == 10


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "😊😊😊",
        "1",
        "ya",
        "12/03/2026",
        "hamil 7 bulan",
        "0",
        "?",
        "...",
        "x" * 10_000,
        "kejang " * 2000,
        "\x00\n\t",
        "🙏",
        "38.5",
        "999999999999999999999.5",
    ],
)
def test_never_raises_and_onboarding_answers_are_none(text: str) -> None:
    r = classify(text)
    assert r.label in LABELS
    if text.strip() in ("1", "ya", "12/03/2026", "hamil 7 bulan", "0", "", "😊😊😊", "🙏"):
        assert r.label == "none"


def test_dev_sample_labels() -> None:
    rows = _load("train.jsonl")
    dev = [r for r in rows if r["id"].startswith("d")]
    assert len(dev) == 44
    wrong = [(r["id"], r["text"], label(r["text"])) for r in dev if label(r["text"]) != r["label"]]
    assert wrong == []


# ---------------- stories ----------------
def test_a_mother_who_writes_gak_demam_kok_is_not_an_emergency() -> None:
    assert label("gak demam kok") == "none"
    assert label("dedek gak demam kok, cuma pilek") == "none"
    assert label("bukan panas, cuma kegerahan") == "none"
    assert label("suhu aman") == "none"
    assert label("tidak ada demam") == "none"
    assert label("no fever, feeding well") == "none"


def test_her_own_words_reach_the_right_label() -> None:
    assert label("puting sy lecet bgt") == "latch_pain"
    assert label("asi ku dikit") == "low_milk"
    assert label("dedek kejang") == "danger_baby"
    assert label("dedek kaku2 matanya ke atas") == "danger_baby"
    assert label("adek muntah2 terus semua keluar") == "danger_baby"
    assert label("sakiiit bgt putingku") == "latch_pain"


def test_problems_that_are_over_are_not_emergencies() -> None:
    assert label("kemarin demam, sekarang sudah sehat") == "none"
    assert label("udah sembuh diarenya") == "none"
    assert label("sempet panas tp skrg udah turun") == "none"


def test_a_question_about_a_sign_is_a_question_but_a_reported_sign_is_danger() -> None:
    assert label("kalau bayi kuning itu bahaya gak?") == "question"
    assert label("tanda2 sesak napas gimana?") == "question"
    assert label("what are the signs of a seizure in a baby?") == "question"
    assert label("kalo dedek demam boleh tetep nyusu?") == "question"
    assert label("anakku kejang, gimana ini?") == "danger_baby"
    assert label("dedek demam 38,5 harus gimana?") == "danger_baby"


def test_relatives_and_other_senses() -> None:
    assert label("keponakanku lagi step skrg, tolong") == "danger_baby"
    assert label("suamiku demam") == "none"
    assert label("cuaca panas bgt hari ini") == "none"
    assert label("leher aku kaku salah bantal") == "none"
    assert label("step by step aja bun") == "none"
    assert label("dedek gumoh dikit abis nyusu") == "none"


def test_mastitis_fever_stays_mastitis_but_fever_with_weakness_after_birth_is_urgent() -> None:
    assert label("pd kanan merah panas, aku menggigil") == "mastitis"
    assert label("breast is red and sore and i have a fever") == "mastitis"
    assert label("ada benjolan di pd, gak demam") == "engorgement"
    assert label("aku demam tinggi, lemes gak bisa bangun, baru lahiran") == "danger_mother"
    assert label("demam dan darah nifas bau") == "danger_mother"


def test_several_problems_the_most_serious_wins() -> None:
    assert label("puting lecet, tp dedek panas dr tadi") == "danger_baby"
    assert label("aku keguguran, pd bengkak") == "loss"
    assert label("pd merah panas demam, puting jg lecet") == "mastitis"
    assert label("puting lecet dan asi dikit") == "latch_pain"  # tie order: latch > low milk
    assert label("pd bengkak keras dan puting lecet") == "engorgement"  # engorgement > latch
    assert label("sedih terus, asi makin dikit") == "low_milk"  # low milk > mood


def test_self_harm_is_danger_mother_with_flag() -> None:
    for text in (
        "kadang aku mikir mending aku gak ada aja",
        "pengen bunuh diri",
        "i want to die",
        "kepikiran nyakitin dedek",
    ):
        r = classify(text)
        assert (r.label, r.urgent, r.self_harm) == ("danger_mother", True, True), text
    assert classify("darah nifas banyak bgt").self_harm is False


def test_palembang_and_english() -> None:
    assert label("budak aku idak galak nyusu, lemes nian") == "danger_baby"
    assert label("asi aku sikit nian") == "low_milk"
    assert label("mak mano nyimpen asi perah?") == "question"
    assert label("my baby won't feed and feels hot") == "danger_baby"
    assert label("my nipples are cracked") == "latch_pain"
    assert label("we lost our baby") == "loss"


def test_reasons_explain_the_decision() -> None:
    r = classify("bayiku napasnya cepet bgt")
    assert r.urgent and r.reasons and any("napas" in x for x in r.reasons)


# ---------------- data and goals ----------------
def test_datasets_are_well_formed_and_disjoint() -> None:
    train, held = _load("train.jsonl"), _load("heldout.jsonl")
    assert len(train) + len(held) >= 600 and len(held) >= 200
    for r in train + held:
        assert set(r) >= {"id", "text", "lang", "label", "urgent", "note"}
        assert r["label"] in LABELS and r["urgent"] == (r["label"] in URGENT_LABELS)
    assert len({r["id"] for r in train + held}) == len(train) + len(held)
    # only one-word onboarding replies ("ya", a date) may appear in both files
    shared = {r["text"].lower() for r in train} & {r["text"].lower() for r in held}
    assert all(len(t.split()) == 1 for t in shared), shared


def test_heldout_meets_goals() -> None:
    spec = importlib.util.spec_from_file_location("bench_triage", ROOT / "bench" / "triage.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    res = bench.evaluate(_load("heldout.jsonl"))
    assert res["urgent_recall"] >= 0.98, res["urgent_recall"]
    assert res["urgent_precision"] >= 0.85, res["urgent_precision"]
    assert res["macro_f1"] >= 0.85, res["macro_f1"]


# ---------------- round two: broader wording, learned back-up ----------------
def test_the_leads_probes() -> None:
    assert label("baby is not breathing well") == "danger_baby"
    # a symptom of her baby that is not (yet) a danger sign: a question, so her cadre sees it
    for text in ("bayi saya muntah", "bayi saya mencret", "bayiku kuning"):
        assert label(text) == "question", text
    assert label("bayiku udah gak kuning lagi") == "none"
    assert label("dedek gak demam kok, cuma pilek") == "none"


def test_a_convulsion_that_is_over_still_needs_a_check() -> None:
    assert label("kemarin dedek sempat kejang, sekarang udah gak") == "danger_baby"
    assert label("baby had a seizure yesterday, seems fine now") == "danger_baby"
    assert label("kemarin demam, sekarang sudah sehat") == "none"


def test_danger_signs_without_the_textbook_word() -> None:
    for text, want in (
        ("tadi dedek matanya naik ke atas trus badannya kelonjotan", "danger_baby"),
        ("ubun2 dedek cekung, nangis gak keluar air mata", "danger_baby"),
        ("bibir dedek kebiruan", "danger_baby"),
        ("pembalut baru sejam udah penuh, darahnya ngucur", "danger_mother"),
        ("hamil 32 minggu perut kenceng2 terus sakit bgt", "danger_mother"),
        ("dedek di perut dari kemarin gak nendang", "danger_mother"),
        ("pandanganku buram, lagi hamil 9 bulan", "danger_mother"),
        ("my calf is swollen and painful on one side", "danger_mother"),
    ):
        assert label(text) == want, text


def test_self_harm_in_many_phrasings_is_never_resolved() -> None:
    for text in (
        "aku pengen ngilang aja dari dunia ini",
        "capek hidup bun",
        "kepikiran buang bayi ini",
        "kepikiran minum obat banyak2 biar tidur selamanya",
        "i can't go on like this anymore",
        "i keep thinking of ending it",
        "sometimes I want to hurt myself",
        "dulu sempet kepikiran mati, sekarang udah mendingan",
    ):
        r = classify(text)
        assert (r.label, r.self_harm) == ("danger_mother", True), text


def test_model_file_is_what_the_script_builds() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_corpus", ROOT / "bench" / "make_triage_corpus.py"
    )
    assert spec and spec.loader
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    rows = mk.build_corpus()
    same_corpus = mk.dump_corpus(rows) == (DATA / "synthetic.jsonl").read_text(encoding="utf-8")
    assert same_corpus, "stale corpus: run bench/make_triage_corpus.py"
    same_model = mk.dump_model(mk.train(mk.training_rows())) == mk.MODEL.read_text(encoding="utf-8")
    assert same_model, "stale model: run bench/make_triage_corpus.py"
    assert mk.MODEL.stat().st_size < 1_000_000


def test_dev2_is_well_formed_and_meets_goals() -> None:
    dev2 = _load("dev2.jsonl")
    assert len(dev2) >= 200
    for r in dev2:
        assert r["label"] in LABELS and r["urgent"] == (r["label"] in URGENT_LABELS)
    spec = importlib.util.spec_from_file_location("bench_triage2", ROOT / "bench" / "triage.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    res = bench.evaluate(dev2)
    assert res["urgent_recall"] >= 0.98 and res["urgent_precision"] >= 0.85


# ---------------- round three: blind sets became development data ----------------
def _mk():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "make_corpus3", ROOT / "bench" / "make_triage_corpus.py"
    )
    assert spec and spec.loader
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    return mk


def test_thresholds_are_the_grouped_cv_choice_and_cv_keeps_precision() -> None:
    """Every threshold (naive Bayes and urgent net) is the leave-one-voice-out CV choice;
    the pooled out-of-fold estimate keeps the precision and macro-F1 goals (recall is the
    honest open gap, see bench/triage.py)."""
    from flows.triage import classifier as C

    cv = _mk().grouped_cv()
    assert cv["chosen"] == {
        "raise_at": C.RAISE_AT,
        "name_at": C.NAME_AT,
        "self_harm_from_mood_at": C.SELF_HARM_FROM_MOOD_AT,
        "net_at": C.NET_AT,
    }
    est = cv["pooled_combined"]
    assert est["urgent_precision"] >= 0.85 and est["macro_f1"] >= 0.85
    assert est["urgent_recall"] >= 0.9
    assert all(v["at_chosen"]["urgent_precision"] >= 0.85 for v in cv["groups"].values())


def test_the_final_blind_set_is_never_read_by_the_build_or_by_default() -> None:
    src = (ROOT / "bench" / "make_triage_corpus.py").read_text(encoding="utf-8")
    assert "blind7" not in src
    bench = (ROOT / "bench" / "triage.py").read_text(encoding="utf-8")
    assert bench.count('"blind7.jsonl"') == 1 and "if args.final:" in bench
    assert "blind7" not in repr(_mk().REAL_SETS) + repr(_mk().CV_GROUPS)


def test_signs_said_in_other_words() -> None:
    for text, want in (
        ("she's 4 months, vomited every feed today and hasn't peed since morning", "danger_baby"),
        ("diapernya dry dari jam 6 pagi", "danger_baby"),
        ("baby kuningnya makin pekat sampe perut dan kaki", "danger_baby"),
        ("the whites of her eyes are yellow and she's only 18 hours old", "danger_baby"),
        ("apa aja yg dia minum keluar lagi, muntahnya nyembur", "danger_baby"),
        ("I can't catch my breath even lying down, 2 weeks after my c-section", "danger_mother"),
        ("istri saya barusan tiba2 ambruk pas gendong bayi", "danger_mother"),
        ("the blood after birth has a horrible smell and my belly hurts", "danger_mother"),
        ("anak saya sudah dipanggil Yang Maha Kuasa", "loss"),
        ("my breasts feel like rocks since the milk came in", "engorgement"),
        ("payudara begah, berat, penuh bgt", "engorgement"),
        ("how can I increase my supply?", "low_milk"),
        ("ASI kanan lancar, kiri kering gak keluar apa2", "low_milk"),
        ("kok aku gak ngerasa sayang sama bayiku ya", "mood"),
    ):
        assert label(text) == want, text


def test_absent_or_finished_signs_and_other_peoples_children() -> None:
    for text, want in (
        ("pd aku udh gak bengkak lagi", "none"),
        ("gak demam kok bun, td diukur 36,8", "none"),
        ("muntahnya udah berhenti dr semalem", "none"),
        ("dulu ponakanku pernah kejang pas demam, itu bisa nurun ke anakku gak?", "question"),
        ("panas nian hari ni, kipas angin rusak pulo", "none"),
        ("puting aku luka tp gak demam kok, payudara jg gak merah", "latch_pain"),
    ):
        assert label(text) == want, text
    # a relative's newborn breathing fast now is still urgent
    assert classify("keponakan saya yg baru lahir kemarin napasnya cepat sekali").urgent


def test_boundaries_between_problems() -> None:
    assert label("pd kencang dan sakit krn semalem dedek tidur pules gak nyusu") == "engorgement"
    assert label("susu kanan ado gumpalan keras sebesar kelereng, dak panas badan") == (
        "engorgement"
    )
    assert label("kepalo pening, badan panas, susu kanan merah bengkak") == "mastitis"
    assert label("got a hard red wedge on my left breast and I'm shivering") == "mastitis"
    assert label("puting lecet sih, tp darahku keluar banyak bgt sampe netes") == "danger_mother"
    assert label("keluar gumpalan darah segede telur dr td, lemes") == "danger_mother"
    assert label("pd kanan kerasnya gak ilang2, badan sih fit") == "engorgement"


def test_harm_needs_an_urge_or_a_plan() -> None:
    for text in (
        "tadi aku hampir ngelempar bayiku krn marah",
        "kepikiran nutup mukanya pake bantal biar diem",
        "udah nyimpen obat banyak di lemari, buat jaga2",
        "sering kebayang ngelukain diri sendiri pake silet",
        "pengen nyusul almarhumah ibu aja rasanya",
    ):
        r = classify(text)
        assert (r.label, r.self_harm) == ("danger_mother", True), text
    assert not classify("aku takut balik kerja ninggalin dedek").urgent
    assert not classify("supply aku drop bgt since dedek sakit").urgent
    assert label("he won't wake up for feeds, i have to shake him, 2 weeks old") == "danger_baby"
    assert not classify("bukan mau bunuh diri ya bun, cuma capek").urgent
