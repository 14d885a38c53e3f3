"""Round four: concept-level danger rules and the recall-oriented urgent net."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from flows.triage import classifier as C
from flows.triage import classify

ROOT = Path(__file__).resolve().parents[1]


def _mk():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "make_corpus4", ROOT / "bench" / "make_triage_corpus.py"
    )
    assert spec and spec.loader
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    return mk


def _sh(text: str) -> bool:
    r = classify(text)
    return r.label == "danger_mother" and r.self_harm


def test_self_harm_as_a_wish_for_an_ending() -> None:
    for text in (
        "rasanya pengen tidur aja dan gak usah bangun lagi",
        "kadang kepikiran nabrakin diri ke truk biar selesai",
        "aku pengen loncat dari jembatan",
        "i keep thinking about stepping into traffic",
        "mau istirahat selamanya aja rasanya",
        "udah capek hidup, pamitan dulu ya bu",
        "aku udah kumpulin obat tidur sebotol",
        "kalau aku hilang selamanya juga gak ada yang peduli",
        "I wish I could just disappear",
    ):
        assert _sh(text), text


def test_harm_to_the_baby_as_a_thought_or_urge() -> None:
    for text in (
        "kepikiran jatuhin dedek dari tangga, aku takut sama diriku sendiri",
        "I get the urge to shake him when he won't stop crying",
        "tadi hampir aku banting dedek karena nangis terus",
        "sometimes I think about smothering her with a pillow",
    ):
        assert _sh(text), text


def test_negated_or_accidental_is_not_self_harm() -> None:
    assert not _sh("aku gak pernah kepikiran nyakitin dedek kok, cuma capek")
    assert not _sh("dedek hampir jatuh dari kasur tadi, untung aku tangkap")
    assert not _sh("pengen benjolannya ilang, dipijat boleh?")
    assert classify("dedek tidur terus, susah dibangunin, gak mau bangun").label == "danger_baby"


def test_baby_temperature_and_cold_body() -> None:
    assert classify("dedek 1 minggu, termometer nunjukin 35,2").label == "danger_baby"
    assert classify("my 2 week old feels cold to the touch even under a blanket").label == (
        "danger_baby"
    )
    assert classify("kulit dedek adem terus padahal udah dibedong").label == "danger_baby"
    assert classify("suhu dedek 36,8, aman kan?").label != "danger_baby"


def test_dehydration_fewer_wet_nappies_with_sleepiness() -> None:
    assert classify("popok dedek kering dari pagi, dia ngantuk terus").label == "danger_baby"
    assert classify("dedek jarang pipis hari ini, bibirnya kering").label == "danger_baby"


def test_rigors_and_cannot_walk_after_birth() -> None:
    assert classify("badan aku gemeteran gigi gemeletuk, abis lahiran 5 hari").label == (
        "danger_mother"
    )
    assert classify("nifas hari 6, demam, jalan ke kamar mandi harus dipapah").label == (
        "danger_mother"
    )


def test_english_symptom_grammar_and_javanese() -> None:
    assert classify("there is blood in his poop today").label == "danger_baby"
    assert classify("32 weeks pregnant and the kicks have slowed down").label == "danger_mother"
    assert classify("my 10 day old refuses to feed and is very sleepy").label == "danger_baby"
    assert classify("bayiku mboten purun nyusu wis sedino, lemes").label == "danger_baby"
    assert classify("anakku teu daek nyusu ti isuk, lemah pisan").label == "danger_baby"


def test_the_net_only_raises_and_never_touches_denied_or_hypothetical() -> None:
    res = C.TriageResult("question", False, ("hypothetical question",))
    assert C.raise_with_net(res, False, 0.999, 0.5) is res
    res = C.TriageResult("none", False)
    assert C.raise_with_net(res, True, 0.999, 0.5) is res
    res = C.TriageResult("mastitis", False, ("x",))
    assert C.raise_with_net(res, False, 0.999, 0.5) is res
    up = C.raise_with_net(C.TriageResult("none", False), False, 0.9, 0.5)
    assert up.urgent


def test_urgent_net_is_what_the_script_builds_and_small() -> None:
    mk = _mk()
    built = mk.dump_urgent(mk.train_urgent(mk.lr_rows()))
    assert built == mk.URGENT_MODEL.read_text(encoding="utf-8"), "stale: rebuild the net"
    assert mk.URGENT_MODEL.stat().st_size < 1_000_000
    assert "blind7" not in repr(mk.LR_SETS) + repr(mk.CV_GROUPS)


def test_never_raises_on_odd_input() -> None:
    texts = [
        "dedek kejang",
        "asi aku sedikit, gimana ya bun biar banyak?",
        "puting lecet bgt pas nyusuin",
        "I had a thought of dropping the baby",
        "",
        "??? ...",
        "a" * 30000,
        "🙏" * 50,
        "38,5 38.5 35,1 0 -1 99999999999999999999",
    ]
    for t in texts:
        classify(t)
    classify(None)  # type: ignore[arg-type]


def test_round_five_kinds() -> None:
    """Kinds of mistakes seen in the four round-five voices (not their lines)."""
    for text, want in (
        # a breast sign named by its side / in dialect, with chills: mastitis
        ("payudara kanan aku bengkak merah, badan menggigil", "mastitis"),
        ("susu kiri keras dan merah, aku meriang dari tadi", "mastitis"),
        ("saluran asi mampet dari kemarin, sekarang jadi merah, aku menggigil", "mastitis"),
        # palpitations from worry are mood, not a danger sign
        ("jantung aku berdebar terus tiap malam, takut salah ngurus bayi", "mood"),
        # a baby who died: the loss, not the baby's signs
        ("bayi kami meninggal kemarin, waktu lahir sudah tidak bernapas", "loss"),
        # jaundice on day one, on palms/soles
        ("bayi lahir kemarin malam, pagi ini mukanya sudah kuning", "danger_baby"),
        ("my 4 day old is yellow on his palms too", "danger_baby"),
    ):
        assert classify(text).label == want, (text, classify(text))
    for text in (
        "sudah kutulis surat buat anak-anak, surat terakhir",
        "I don't think I can keep going anymore",
    ):
        r = classify(text)
        assert r.urgent and r.self_harm, (text, r)


# ---------------- round six: concepts from the known gaps ----------------
def test_round_six_danger_concepts() -> None:
    from flows.triage import classify

    for text, want in (
        ("kalo besok aku gk bangun jg gpp", "danger_mother"),
        ("nek aku mati wae piye yo, sopo sing arep sedih", "danger_mother"),
        ("ada bisikan nyuruh aku buang bayi", "danger_mother"),
        ("rasanya lega kalau bayi ini nggak ada", "danger_mother"),
        ("pas gendong dia di tangga aku mikir gimana kalau aku jatuhin aja", "danger_mother"),
        ("ngapain juga aku hidup, jadi ibu aja gagal", "danger_mother"),
        ("my baby has yellow discharge from his eyes", "danger_baby"),
        ("my baby fell off the bed, vomited twice and now he's very sleepy", "danger_baby"),
        ("after my miscarriage I'm bleeding heavily", "danger_mother"),
        ("abis keguguran kmrn darahnya deres bgt", "danger_mother"),
        ("he won't take the breast at all and feels hot, he's 3 weeks", "danger_baby"),
    ):
        assert classify(text).label == want, text


def test_round_six_false_alarm_concepts() -> None:
    from flows.triage import URGENT_LABELS, classify

    for text in (
        "nek bayi panas kudu piye?",
        "dulu waktu bayi dia sempat kejang, sekarang udah SMA",
        "bayiku cuma mau nyusu di payudara kiri, yang kanan ditolak",
        "anakku 10 bulan demam habis imunisasi kemarin, normal kan?",
        "it's 35 degrees in our house, should I give the baby water?",
        "boleh gak minum kopi pas lagi menyusui?",
        "saya minum obat darah tinggi, aman tidak buat menyusui?",
        "janin di perut udah gak gerak, kata dokter udah meninggal di dalam, besok diinduksi",
    ):
        assert classify(text).label not in URGENT_LABELS, text


def test_blood_in_a_babys_stool_told_at_length_is_urgent_but_a_denied_one_is_not() -> None:
    assert classify("mencretnya ada lendir sama merah2 darah, udah 5x hari ini").urgent
    assert classify("my 8 month old has had diarrhea all day and now there is blood in it").urgent
    assert not classify("bab nya normal ga ada darah").urgent


def test_holding_a_razor_or_wishing_not_to_exist_in_javanese_is_self_harm() -> None:
    razor = classify("bun tolong aku lagi di kamar mandi pegang silet, gak tau mau ngapain")
    assert razor.label == "danger_mother" and razor.self_harm
    assert classify("wis kesel aku, rasane luwih becik aku ora ono neng dunyo iki").self_harm
    assert not classify("lagi pegang pisau masak sayur").urgent
