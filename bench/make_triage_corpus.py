"""Build the synthetic triage corpus and the small naive-Bayes model that backs up the rules.

    .venv/bin/python bench/make_triage_corpus.py            # writes both files below
    .venv/bin/python bench/make_triage_corpus.py --check    # exit 1 if a rebuild would differ

Outputs (deterministic: fixed seed, sorted keys, rounded weights):
  data/triage/synthetic.jsonl   generated messages (templates x phrasings x transforms)
  flows/triage/model.json       multinomial naive Bayes over canonical-token features

The corpus is subjects x symptom phrasings x frames (plain, time, intensity, greeting,
plea, negation, resolution, hypothetical) x slang/abbreviation/typo transforms x
two-problem combinations, plus the hand-written lines of data/triage/train.jsonl.
The models also learn from every hand-written set except the final blind set, which is
never read here.
Internal class "self_harm" is danger_mother with the self-harm flag.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from flows.triage.model import CLASSES, features  # noqa: E402

if TYPE_CHECKING:
    from flows.triage.classifier import TriageResult

DATA = ROOT / "data" / "triage"
CORPUS = DATA / "synthetic.jsonl"
MODEL = ROOT / "flows" / "triage" / "model.json"
SEED = 20260328
PER_PHRASE = 6  # renderings of each phrasing

BABY = [
    "dedek",
    "dede",
    "adek",
    "bayiku",
    "bayi saya",
    "bayi aku",
    "anak saya",
    "anakku",
    "si kecil",
    "debay",
    "baby",
    "my baby",
    "my newborn",
    "budak aku",
    "anak aku",
    "bayi sy",
    "dd",
    "si adek",
    "my son",
    "my daughter",
    "bayi 2 minggu aku",
    "anakku yg 1 bulan",
    "the baby",
]
MOTHER = ["aku", "saya", "sy", "aq", "gue", "i", "ak", "aku bun", "saya bu"]
GREET = [
    "",
    "",
    "",
    "bun ",
    "kak ",
    "bu bidan ",
    "assalamualaikum, ",
    "permisi bun, ",
    "maaf ganggu, ",
    "hi, ",
    "bu, ",
    "tolong bun ",
    "kader, ",
]
TIME_ID = [
    "",
    "",
    "dari tadi",
    "sejak semalam",
    "dari pagi",
    "udah 2 hari",
    "td malem",
    "skrg",
    "dr kemarin",
    "barusan",
    "sejak subuh",
    "sejak lahiran",
]
TIME_EN = ["", "", "since this morning", "since last night", "for 2 days", "right now", "today"]
PLEA = [
    "",
    "",
    "",
    " gimana ini?",
    " tolong",
    " harus gimana bun?",
    " aku takut",
    " panik bgt",
    " what should i do?",
    " please help",
    " bahaya gak?",
    " 😭",
    "!!",
    " bun...",
]

# ---- phrasings: "{b}" baby subject, "{m}" mother subject; many avoid the textbook word ----
P: dict[str, list[str]] = {
    "danger_baby": [
        "{b} kejang",
        "{b} step",
        "{b} sawan",
        "{b} kaku matanya mendelik",
        "matanya {b} naik ke atas trus tangannya menghentak2",
        "{b} badannya kelonjotan",
        "{b} mata putih semua badan gemetar",
        "{b} tangan kakinya gerak sendiri gak berhenti",
        "{b} had a seizure",
        "{b} eyes rolled back and jerking",
        "{b} is twitching and stiff",
        "{b} napasnya cepet bgt",
        "{b} napasnya grok grok",
        "{b} sesak napas",
        "{b} napasnya ngos ngosan",
        "{b} napas tersengal",
        "dada {b} cekung pas napas",
        "{b} dadanya ketarik tiap napas",
        "{b} merintih tiap napas",
        "{b} bibirnya biru",
        "bibir {b} kebiruan",
        "{b} mukanya membiru",
        "{b} is not breathing well",
        "{b} breathing is weird and noisy",
        "{b} lips look blue",
        "{b} is grunting",
        "{b} chest sucks in when breathing",
        "{b} struggling to breathe",
        "cuping hidung {b} kembang kempis",
        "{b} badannya panas 38,5",
        "{b} demam",
        "{b} panas tinggi",
        "{b} anget bgt",
        "{b} demam 39",
        "{b} has a fever",
        "{b} feels hot, temp 38.4",
        "{b} badannya dingin",
        "{b} dingin dan pucat",
        "{b} kulitnya pucat",
        "{b} is cold and pale",
        "{b} gak mau nyusu",
        "{b} gamau nenen sama sekali",
        "{b} nolak nyusu",
        "{b} isepannya lemah",
        "{b} gak kuat ngisep",
        "{b} dak galak nyusu",
        "{b} won't feed",
        "{b} refuses to feed",
        "{b} sucking is weak",
        "{b} lemes bgt",
        "{b} lemas gak nangis",
        "{b} tidur terus susah dibangunin",
        "{b} gak bangun2 buat nyusu",
        "{b} gak mau melek",
        "{b} is floppy",
        "{b} won't wake up",
        "{b} is very sleepy and hard to wake",
        "{b} gak respon dipanggil",
        "{b} gak sadar",
        "pusar {b} merah dan bau",
        "tali pusat {b} bernanah",
        "pusarnya {b} merah sampai perut",
        "{b} cord smells and oozes",
        "{b} kuning sampai telapak kaki",
        "{b} kuning padahal baru lahir",
        "{b} udah 3 minggu masih kuning",
        "{b} kuning dan pupnya pucat",
        "{b} yellow palms and soles",
        "{b} bab pucat kayak dempul",
        "{b} mencret terus",
        "{b} diare berdarah",
        "{b} bab ada darahnya",
        "{b} pup berlendir darah",
        "ada darah di popok {b}",
        "{b} blood in stool",
        "{b} muntah terus semua keluar",
        "{b} muntah hijau",
        "{b} muntah tiap nyusu semua keluar",
        "{b} vomits everything",
        "{b} green vomit",
        "{b} gak pipis dari pagi",
        "popok {b} kering 8 jam",
        "{b} no wet nappy for 10 hours",
        "ubun2 {b} cekung",
        "mata {b} cekung bibirnya kering",
        "{b} nangis gak keluar air mata",
        "mata {b} bernanah",
        "mata {b} keluar nanah kuning",
        "{b} eyes full of pus",
        "{b} bisul banyak bernanah",
        "{b} banyak bintil bernanah",
        "{b} pustules all over",
        "{b} mencret 10x matanya cowong",
        "{b} napas berhenti sebentar",
        "{b} kaku kaku",
        "{b} kejer2an terus lemes",
    ],
    "danger_mother": [
        "{m} pendarahan",
        "darah nifas {m} banyak bgt",
        "{m} ganti pembalut tiap jam",
        "pembalut {m} penuh dalam sejam",
        "darah {m} ngucur terus",
        "keluar gumpalan darah gede",
        "darahnya gumpal2 segede telur",
        "{m} soaking a pad every hour",
        "heavy bleeding with clots",
        "{m} bleeding a lot after birth",
        "{m} kejang",
        "{m} sesak napas",
        "dada {m} nyeri",
        "{m} susah napas",
        "{m} chest pain and can't breathe",
        "{m} napasnya ngos2an",
        "{m} demam tinggi menggigil",
        "{m} demam lemes gak bisa bangun",
        "{m} panas dingin lemas bgt",
        "{m} fever and too weak to get up",
        "kepala {m} sakit bgt kayak mau pecah",
        "{m} sakit kepala hebat",
        "{m} pusing berat pandangan kabur",
        "pandangan {m} buram",
        "mata {m} berkunang kunang",
        "{m} severe headache and blurry vision",
        "muka {m} bengkak",
        "wajah {m} sembab",
        "{m} face is swollen",
        "tensi {m} 160",
        "betis {m} bengkak sebelah",
        "betis {m} sakit merah",
        "{m} calf is swollen and painful",
        "perut {m} sakit hebat",
        "{m} pingsan",
        "{m} passed out",
        "{m} fainted in the bathroom",
        "darah nifas {m} bau",
        "keputihan {m} bau busuk",
        "jahitan {m} bernanah",
        "jahitan sesar {m} bau dan keluar cairan",
        "{m} wound is leaking pus",
        "{m} stitches smell bad",
        "{m} hamil 8 bulan keluar darah",
        "{m} hamil keluar air dari jalan lahir",
        "ketuban {m} pecah",
        "ketuban {m} rembes",
        "{m} water broke at 34 weeks",
        "{m} hamil 7 bulan perut kenceng2 sakit bgt",
        "janin {m} gak gerak dari kemarin",
        "dedek di perut gak nendang",
        "gerakan janin berkurang",
        "{m} 36 weeks and baby not moving",
        "{m} hamil kaki dan muka bengkak kepala pusing",
        "{m} pregnant and bleeding",
        "{m} hamil 30 minggu flek banyak",
    ],
    "self_harm": [
        "{m} pengen mati aja",
        "{m} mau bunuh diri",
        "mending {m} gak ada",
        "{m} capek hidup",
        "{m} pengen ngilang aja",
        "{m} gak kuat lagi pengen udahan",
        "{m} kepikiran nyakitin bayi",
        "{m} kepikiran buang bayi",
        "{m} pengen tidur selamanya",
        "{m} mau minum obat banyak2",
        "{m} kepikiran ngakhirin hidup",
        "{m} dak kuat nian pengen mati bae",
        "{m} want to die",
        "{m} want to disappear",
        "{m} can't go on",
        "{m} keep thinking of ending it",
        "{m} want to hurt myself",
        "{m} thought about hurting my baby",
        "{m} wish i was dead",
        "everyone would be better off without me",
        "{m} pengen lompat dari jembatan",
        "{m} gak pengen hidup lagi",
        "{m} hampir bekap bayi",
        "{m} takut nyakitin anak sendiri",
        "{m} don't want to wake up",
        "{m} feel like shaking my baby",
    ],
    "loss": [
        "bayi {m} meninggal",
        "{m} keguguran",
        "{b} udah gak ada",
        "{b} dipanggil Allah",
        "janin {m} gak berkembang",
        "{m} habis dikuret",
        "detak jantung janin udah gak ada",
        "{b} lahir meninggal",
        "{m} kehilangan bayi",
        "{b} passed away",
        "we lost our baby",
        "{m} had a miscarriage",
        "{b} was stillborn",
        "{b} died in hospital",
        "{b} udah pergi duluan",
        "budak aku lah meninggal",
        "{b} gak tertolong",
    ],
    "mastitis": [
        "payudara {m} merah panas dan {m} demam",
        "pd {m} merah sakit badan meriang",
        "ada benjolan merah di pd {m} menggigil",
        "{m} kena mastitis",
        "payudara {m} radang",
        "pd kanan merah kayak memar panas dingin",
        "{m} breast is red and hot with fever",
        "red painful lump in breast and chills",
        "{m} breast hurts and i feel like i have the flu",
        "payudaro {m} merah nian demam",
        "tetek {m} merah bengkak meriang",
        "abses di payudara",
    ],
    "engorgement": [
        "pd {m} bengkak keras",
        "payudara {m} penuh kenceng",
        "pd keras kayak batu",
        "ada benjolan di pd gak demam",
        "saluran asi tersumbat",
        "asi numpuk pd keras",
        "{m} breasts are engorged",
        "{m} breasts are rock hard and full",
        "blocked duct",
        "ada gumpalan di pd sakit ditekan",
        "pd sakit bengkak belum dikosongkan",
        "payudara nyeri penuh",
        "pd bengkak sampai ketiak",
        "there is a lump in my breast, no fever",
        "susu {m} penuh nian keras",
        "pd ngeganjel",
    ],
    "latch_pain": [
        "puting {m} lecet",
        "puting {m} luka berdarah",
        "nyusu sakit kayak disilet",
        "puting perih tiap nyusuin",
        "puting pecah2",
        "{b} cuma ngisep ujung puting",
        "{m} nipples are cracked",
        "it hurts when {b} latches",
        "sore nipples",
        "pentil {m} sakit nian",
        "puting {m} lecet kanan kiri",
        "{b} gigit puting",
    ],
    "low_milk": [
        "asi {m} sedikit",
        "asi {m} dikit bgt",
        "asi gak keluar",
        "asi seret",
        "asi {m} berkurang",
        "pompa cuma dapet 30 ml",
        "boleh kasih sufor? asi kurang",
        "{m} not making enough milk",
        "{m} supply dropped",
        "should i give formula",
        "asi {m} sikit nian",
        "{b} gak kenyang asi kurang",
        "berat {b} gak naik",
        "pd kempes asi dikit",
    ],
    "mood": [
        "{m} sedih terus",
        "{m} stres bgt",
        "{m} cemas terus",
        "{m} nangis tiap malam",
        "{m} ngerasa gagal jadi ibu",
        "{m} capek bgt gak ada yg bantu",
        "{m} gak bisa tidur pikiran kacau",
        "{m} ngerasa hampa",
        "{m} gak berguna",
        "{m} gampang marah",
        "{m} babyblues",
        "{m} feel overwhelmed",
        "{m} feel so alone",
        "{m} cry all the time",
        "{m} feel numb",
        "{m} anxious all the time",
        "{m} galau nian",
        "{m} depresi",
        "{m} ngerasa sendirian",
        "{m} gak semangat",
        "{m} don't feel bonded with {b}",
        "rasanya hampa gak ada perasaan",
        "kepala penuh mau teriak",
        "hidup {m} berantakan",
        "{m} exhausted and empty",
        "{m} overthinking terus",
        "{m} takut gak bisa jadi ibu baik",
        "{m} kesel sama suami gak bantu",
        "{m} tertekan tinggal sama mertua",
        "{m} nangis sendiri tiap malam",
        "{m} ngerasa bersalah terus",
        "{m} gak kuat ngurus sendirian",
        "{m} lelah bgt pengen istirahat",
        "{m} kesepian",
        "{m} feel like a bad mother",
    ],
    "question": [
        "kapan mulai mpasi?",
        "berapa lama asi perah tahan di kulkas?",
        "boleh minum kopi pas menyusui?",
        "gimana cara nyimpen asip?",
        "imunisasi bcg kapan?",
        "how do i store breast milk?",
        "how often should {b} feed?",
        "boleh kasih air putih ke {b}?",
        "mak mano caro nyusui?",
        "{b} muntah",
        "{b} mencret",
        "{b} kuning",
        "{b} batuk",
        "{b} pilek",
        "{b} ada ruam",
        "{b} cegukan",
        "{b} sembelit",
        "{b} bab ijo",
        "{b} has a rash",
        "{b} has a runny nose",
        "{b} muntah sekali",
        "kalau {b} kejang harus gimana?",
        "tanda bayi dehidrasi apa aja?",
        "what are the signs of jaundice?",
        "kalau demam boleh nyusu?",
        "apa itu mastitis?",
    ],
    "none": [
        "makasih bun",
        "ok",
        "iya",
        "siap",
        "halo",
        "selamat pagi",
        "thanks",
        "good morning",
        "{b} sehat",
        "{b} nyusu kuat",
        "alhamdulillah lancar",
        "{m} udah lahiran",
        "oke bun",
        "terima kasih kader",
        "besok ke posyandu",
        "{b} lagi tidur",
        "iyo makasih nian",
        "ya",
        "1",
        "2",
        "anak saya 2 bulan",
        "namaku rina",
        "{b} gumoh dikit",
        "cuaca panas bgt",
        "suami lagi demam",
        "my husband has the flu",
        "wkwk",
        "assalamualaikum",
        "{b} umur 2 bulan",
        "{b} lahir 3,2 kg",
        "{b} tidur nyenyak",
        "{b} nyusu tiap 2 jam",
        "{m} hamil 7 bulan",
        "{b} is doing great",
        "{m} baru lahiran kemarin, semua sehat",
        "{b} udah bisa tengkurap",
        "{b} berat naik 800 gram",
        "{b} pipis 8 kali sehari",
        "{b} lahir normal di puskesmas",
        "{m} mau daftar",
        "{b} umur 10 hari",
        "{m} kerja lagi bulan depan",
        "hpl {m} bulan depan",
        "{b} sudah imunisasi",
        "{m} sudah pulang dari rs",
        "oke nanti saya coba",
        "{b} lagi main sama ayahnya",
        "{b} lucu bgt",
        "{m} 36 weeks pregnant, all fine",
        "{b} is 3 weeks old",
        "{b} feeding well and gaining weight",
        "{b} ketawa terus",
        "{m} sehat, {b} juga",
        "{b} bab kuning lancar",
        "{m} lagi di rumah mertua",
    ],
}
# what a negated / resolved frame turns a danger phrasing into
NEG_FRAMES = [
    "alhamdulillah {b} gak {x} kok",
    "{b} udah gak {x} lagi",
    "{b} sudah tidak {x}",
    "no {x}, all good",
    "{b} tidak {x}, sehat",
]
NEG_WORDS = ["demam", "panas", "sesak", "kuning", "mencret", "muntah", "lemes", "kejang"]
RESOLVED = [
    "kemarin {b} sempat {x}, sekarang udah sembuh",
    "{b} udah sembuh dari {x}",
    "{x} nya udah reda, sekarang sehat",
]
RES_WORDS = ["demam", "panas", "mencret", "pilek", "batuk", "diare"]
HYPO = [
    "kalau {b} {x} harus gimana?",
    "tanda {x} pada bayi apa aja?",
    "apakah {x} itu bahaya?",
    "what should i do if {b} has {x}?",
    "kalo {x} boleh tetep nyusu?",
]
HYPO_WORDS = ["kejang", "demam", "sesak", "kuning", "muntah", "diare", "pendarahan", "mastitis"]

# neutral status lines (onboarding answers, updates): subjects x predicates -> none
NEUTRAL_SUBJ = ["{b}", "{m}", "", "anak pertama {m}", "kandungan {m}", "istri saya"]
NEUTRAL_PRED = [
    "hamil {n} bulan",
    "usia kandungan {n} minggu",
    "hamil {n} minggu",
    "{n} weeks pregnant",
    "umur {n} hari",
    "umur {n} minggu",
    "umur {n} bulan",
    "lahir {n} kg",
    "berat {n} kg",
    "nyusu tiap {n} jam",
    "feeding every {n} hours",
    "tidur {n} jam",
    "sleeping well",
    "pipis {n} kali",
    "bab {n} kali sehari",
    "lahiran tanggal {n}",
    "hpl tanggal {n}",
    "sudah {n} bulan asi eksklusif",
    "is {n} months old",
    "was born {n} days ago",
    "gaining weight well",
    "sehat alhamdulillah",
    "kontrol ke bidan tanggal {n}",
]
ORDER = CLASSES  # most serious first: two problems in one message are labelled by the first
ABBREV = {
    "yang": "yg",
    "banget": "bgt",
    "bgt": "bngt",
    "sudah": "udah",
    "udah": "udh",
    "tidak": "gak",
    "gak": "ga",
    "sama": "sm",
    "saya": "sy",
    "sekarang": "skrg",
    "terus": "trs",
    "dari": "dr",
    "kemarin": "kmrn",
    "tadi": "td",
    "nyusu": "nenen",
    "nenen": "mimik",
    "aku": "aq",
    "lemes": "lemess",
    "bayi": "baby",
    "kejang": "kejang2",
    "panas": "panaass",
}


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(3)
    if op == 0:
        return word[:i] + word[i + 1 :]  # drop a letter
    if op == 1:
        return word[:i] + word[i] + word[i:]  # double a letter
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swap


def _transform(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    out = []
    for w in words:
        r = rng.random()
        if w in ABBREV and r < 0.4:
            w = ABBREV[w]
        elif r < 0.06:
            w = _typo(rng, w)
        out.append(w)
    t = " ".join(out)
    r = rng.random()
    if r < 0.1:
        t = t.upper()
    elif r < 0.3:
        t = t.capitalize()
    return t


def _fill(rng: random.Random, phr: str) -> str:
    return phr.replace("{b}", rng.choice(BABY)).replace("{m}", rng.choice(MOTHER))


def _render(rng: random.Random, phr: str, label: str) -> str:
    body = _fill(rng, phr)
    if label not in ("none", "question") and rng.random() < 0.5:
        en = any(c in body for c in ("my ", "i ", "the ")) or body.startswith(("i ", "baby"))
        tm = rng.choice(TIME_EN if en else TIME_ID)
        body = f"{body} {tm}".strip()
    if label not in ("none",) and rng.random() < 0.4:
        body = rng.choice(GREET) + body
    if label not in ("none", "question") and rng.random() < 0.3:
        body += rng.choice(PLEA)
    return _transform(rng, body)


def build_corpus() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    rows: list[dict[str, str]] = []
    for label in ORDER:
        for phr in P[label]:
            for _ in range(PER_PHRASE):
                rows.append({"text": _render(rng, phr, label), "label": label})
    for _ in range(400):  # negated / resolved danger: none
        fr = rng.choice(NEG_FRAMES)
        x = rng.choice(NEG_WORDS)
        rows.append({"text": _transform(rng, _fill(rng, fr.replace("{x}", x))), "label": "none"})
    for _ in range(250):
        fr = rng.choice(RESOLVED)
        x = rng.choice(RES_WORDS)
        rows.append({"text": _transform(rng, _fill(rng, fr.replace("{x}", x))), "label": "none"})
    for _ in range(300):  # hypothetical: question
        fr = rng.choice(HYPO)
        x = rng.choice(HYPO_WORDS)
        rows.append(
            {"text": _transform(rng, _fill(rng, fr.replace("{x}", x))), "label": "question"}
        )
    for _ in range(500):
        subj = rng.choice(NEUTRAL_SUBJ)
        pred = rng.choice(NEUTRAL_PRED).replace("{n}", str(rng.randint(1, 40)))
        text = _fill(rng, f"{subj} {pred}".strip())
        rows.append({"text": _transform(rng, text), "label": "none"})
    labels = [lab for lab in ORDER if lab not in ("none", "question")]
    for _ in range(1500):  # two problems: the most serious wins
        a, b = rng.sample(labels, 2)
        ta = _fill(rng, rng.choice(P[a]))
        tb = _fill(rng, rng.choice(P[b]))
        sep = rng.choice([", ", " dan ", ". ", " trus ", " and ", ", juga ", " tapi "])
        win = a if ORDER.index(a) < ORDER.index(b) else b
        rows.append({"text": _transform(rng, ta + sep + tb), "label": win})
    with (DATA / "train.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                lab = r["label"]
                if lab == "danger_mother" and _is_sh_note(r.get("note", "")):
                    lab = "self_harm"
                for _ in range(3):  # hand-written lines weigh more
                    rows.append({"text": r["text"], "label": lab})
    return rows


def _is_sh_note(note: str) -> bool:
    n = note.lower()
    return any(
        w in n
        for w in (
            "self-harm",
            "self harm",
            "suicid",
            "harm",
            "harming",
            "death wish",
            "wish to die",
            "smother",
            "pills",
            "kill",
        )
    )


# hand-written sets the models learn from besides the corpus: every hand-written set
# except the final blind set (train.jsonl is already in the corpus).  Files whose name
# starts with the final set's name are never read here.
REAL_SETS = (
    "heldout.jsonl",
    "dev2.jsonl",
    "blind.jsonl",
    "blind2.jsonl",
    "blind3.jsonl",
    "blind4.jsonl",
    "train_voice_a.jsonl",
    "train_voice_b.jsonl",
    "train_voice_c.jsonl",
    "train_voice_d.jsonl",
    "blind5.jsonl",
    "train_voice_e.jsonl",
    "train_voice_f.jsonl",
)
# grouped CV: one whole set held out at a time.  The voice files were written by people who
# never saw the classifier; blind4 and blind5 were the blind sets of rounds four and five.
# Voice e/f were measured before anything was fitted to them (see the round-six commit); the
# rule fixes of rounds five and six were written after reading errors on these sets, so only
# the learned parts are out of sample in this CV (see grouped_cv).
CV_GROUPS = (
    "train_voice_a.jsonl",
    "train_voice_b.jsonl",
    "train_voice_c.jsonl",
    "train_voice_d.jsonl",
    "blind4.jsonl",
    "blind5.jsonl",
    "train_voice_e.jsonl",
    "train_voice_f.jsonl",
)
REAL_WEIGHT = 3  # a real mother's line weighs like three generated ones
MIN_DF = 9  # features seen in fewer messages are dropped (keeps model.json < 1 MB; was 6)


def load_real(name: str) -> list[dict[str, str]]:
    """Rows of one hand-written set, danger_mother with a self-harm note as "self_harm"."""
    out = []
    with (DATA / name).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                lab = r["label"]
                if lab == "danger_mother" and _is_sh_note(r.get("note", "")):
                    lab = "self_harm"
                out.append({"id": r["id"], "text": r["text"], "label": lab, "gold": r["label"]})
    return out


def training_rows(exclude: str | None = None) -> list[dict[str, str]]:
    """Corpus (incl. train.jsonl) plus the real sets except *exclude*, weighted."""
    rows = build_corpus()
    for name in REAL_SETS:
        if name == exclude:
            continue
        for r in load_real(name):
            rows += [{"text": r["text"], "label": r["label"]}] * REAL_WEIGHT
    return rows


_FEATS: dict[str, frozenset[str]] = {}


def _feats(text: str) -> frozenset[str]:
    f = _FEATS.get(text)
    if f is None:
        f = _FEATS[text] = frozenset(features(text))
    return f


def train(rows: list[dict[str, str]]) -> dict[str, object]:
    counts: dict[str, Counter[str]] = {c: Counter() for c in CLASSES}
    docs: Counter[str] = Counter()
    df: Counter[str] = Counter()
    for r in rows:
        feats = _feats(r["text"])
        counts[r["label"]].update(feats)
        docs[r["label"]] += 1
        df.update(feats)
    vocab = sorted(f for f, n in df.items() if n >= MIN_DF)
    alpha = 0.5
    totals = {c: sum(counts[c][f] for f in vocab) + alpha * len(vocab) for c in CLASSES}
    weights: dict[str, list[float]] = {}
    for f in vocab:
        ws = [math.log((counts[c][f] + alpha) / totals[c]) for c in CLASSES]
        mean = sum(ws) / len(ws)
        ws = [w - mean for w in ws]  # only differences between classes matter
        if max(ws) - min(ws) < 0.7:
            continue  # uninformative
        weights[f] = [round(w, 2) for w in ws]
    n = sum(docs.values())
    prior = [round(math.log((docs[c] + 1) / (n + len(CLASSES))), 3) for c in CLASSES]
    return {"classes": list(CLASSES), "prior": prior, "weights": weights, "seed": SEED}


def metrics(gold: list[str], pred: list[str]) -> dict[str, float]:
    from flows.triage import LABELS, URGENT_LABELS

    pairs = Counter(zip(gold, pred, strict=True))
    g_n: Counter[str] = Counter()
    p_n: Counter[str] = Counter()
    for (g, p), n in pairs.items():
        g_n[g] += n
        p_n[p] += n
    f1s = []
    for lab in LABELS:
        tp = pairs.get((lab, lab), 0)
        if g_n[lab]:
            pr = tp / p_n[lab] if p_n[lab] else 0.0
            rc = tp / g_n[lab]
            f1s.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
    u_tp = sum(n for (g, p), n in pairs.items() if g in URGENT_LABELS and p in URGENT_LABELS)
    u_g = sum(g_n[lab] for lab in URGENT_LABELS)
    u_p = sum(p_n[lab] for lab in URGENT_LABELS)
    return {
        "n": len(gold),
        "accuracy": sum(pairs.get((lab, lab), 0) for lab in LABELS) / max(1, len(gold)),
        "macro_f1": sum(f1s) / max(1, len(f1s)),
        "urgent_recall": u_tp / u_g if u_g else 1.0,
        "urgent_precision": u_tp / u_p if u_p else 1.0,
    }


# ---------------- the recall-oriented "urgent vs not" logistic regression ----------------
URGENT_MODEL = ROOT / "flows" / "triage" / "urgent_model.json"
LR_SETS = REAL_SETS
LR_EPOCHS = 12
LR_RATE = 0.5
LR_L2 = 1e-6
LR_POS_WEIGHT = 3.0  # an urgent line weighs three times a non-urgent one: recall first
LR_REAL_WEIGHT = 3.0  # a real mother's line weighs like three generated ones
LR_MIN_DF = 2
LR_KEEP = 0.02  # smaller weights are dropped (keeps urgent_model.json well under 1 MB)


def _lr_feats(text: str) -> tuple[str, ...]:
    from flows.triage.urgent_model import features as ufeatures

    return tuple(sorted(ufeatures(text)))


def lr_rows(exclude: str | None = None) -> list[tuple[str, int, float]]:
    """(text, urgent?, weight): synthetic corpus + hand-written sets, without group *exclude*."""
    from flows.triage import URGENT_LABELS

    urgent = set(URGENT_LABELS) | {"self_harm"}
    train_texts = set()
    if exclude == "train.jsonl":
        train_texts = {r["text"] for r in load_real("train.jsonl")}
    agg: dict[tuple[str, int], float] = {}
    for r in build_corpus():
        if r["text"] in train_texts:
            continue
        key = (r["text"], int(r["label"] in urgent))
        agg[key] = agg.get(key, 0.0) + 1.0
    for name in LR_SETS:
        if name == exclude:
            continue
        for r in load_real(name):
            key = (r["text"], int(r["label"] in urgent))
            agg[key] = agg.get(key, 0.0) + LR_REAL_WEIGHT
    return [(t, y, w * (LR_POS_WEIGHT if y else 1.0)) for (t, y), w in sorted(agg.items())]


def train_urgent(rows: list[tuple[str, int, float]]) -> dict[str, object]:
    """Plain SGD on the weighted log-loss; deterministic (seeded order, sorted features)."""
    data = [(_lr_feats(t), y, w) for t, y, w in rows]
    df: Counter[str] = Counter()
    for f, _y, _w in data:
        df.update(f)
    data = [(tuple(x for x in f if df[x] >= LR_MIN_DF), y, w) for f, y, w in data]
    wts: dict[str, float] = {}
    bias = 0.0
    order = list(range(len(data)))
    rng = random.Random(SEED)
    mean_w = sum(w for _f, _y, w in data) / max(1, len(data))
    for ep in range(LR_EPOCHS):
        rng.shuffle(order)
        rate = LR_RATE / (1.0 + ep)
        for i in order:
            f, y, w = data[i]
            if not f:
                continue
            v = 1.0 / math.sqrt(len(f))
            z = bias + v * sum(wts.get(x, 0.0) for x in f)
            p = 1.0 / (1.0 + math.exp(-z)) if z > -35 else 0.0
            g = (p - y) * w / mean_w
            step = rate * g * v
            for x in f:
                old = wts.get(x, 0.0)
                wts[x] = old - step - rate * LR_L2 * old
            bias -= rate * g * 0.1
    kept = {x: round(v, 3) for x, v in sorted(wts.items()) if abs(v) >= LR_KEEP}
    return {"bias": round(bias, 4), "weights": kept, "seed": SEED}


def _lr_tuple(m: dict[str, object]) -> tuple[float, dict[str, float]]:
    return float(m["bias"]), dict(m["weights"])  # type: ignore[arg-type,call-overload]


# ---------------- grouped cross-validation: picks every threshold ----------------
GRID_NET = tuple(round(0.30 + 0.05 * i, 2) for i in range(14)) + (0.97, 0.99, 2.0)  # 2.0: never
GRID_RAISE = (0.8, 0.9, 0.95, 0.98, 0.99, 0.999, 2.0)
GRID_NAME = (0.8, 0.9, 0.95, 0.99, 2.0)
GRID_SH = (0.95, 0.99, 0.999, 2.0)
# pooled out-of-fold urgent precision the choice must keep, and every held-out set's
CV_MIN_PRECISION = 0.87
CV_MIN_GROUP_PRECISION = 0.85

_Row = tuple[str, "TriageResult", bool, float, dict[str, float]]
_OOF: dict[str, list[_Row]] = {}


def _const(p: dict[str, float]) -> Callable[[], dict[str, float]]:
    return lambda: p


def oof_predictions() -> dict[str, list[_Row]]:
    """For each group of CV_GROUPS: train both learned parts (naive Bayes and the urgent
    net) on the corpus + every other hand-written set, and keep, for each line of the held-out
    group, (gold, rule result, denied?, net probability, naive-Bayes probabilities)."""
    if _OOF:
        return _OOF
    from flows.triage.classifier import rule_result
    from flows.triage.model import predict_with
    from flows.triage.urgent_model import features as ufeatures
    from flows.triage.urgent_model import score_with

    for g in CV_GROUPS:
        nb = train(training_rows(exclude=g))
        nbt = (list(nb["prior"]), dict(nb["weights"]))  # type: ignore[call-overload]
        net = _lr_tuple(train_urgent(lr_rows(exclude=g)))
        _OOF[g] = [
            (
                r["gold"],
                *rule_result(r["text"]),
                score_with(net, ufeatures(r["text"])),
                predict_with(nbt, r["text"]),
            )
            for r in load_real(g)
        ]
    return _OOF


def _label_table(rows: list[_Row]) -> tuple[list[str], dict[Any, list[str]], list[str | None]]:
    """Rules-alone labels; labels for every naive-Bayes combination; the label each line
    gets if the net raises it (None: the net may not raise it)."""
    from flows.triage.classifier import Combination, _net_may_raise, combine

    rules = [c[1].label for c in rows]
    by_how: dict[Any, list[str]] = {}
    for ra in GRID_RAISE:
        for na in GRID_NAME:
            for sa in GRID_SH:
                how = Combination(ra, na, sa)
                by_how[how] = [
                    combine(res, den, _const(p), how).label for _g, res, den, _pn, p in rows
                ]
    raised: list[str | None] = []
    for _g, res, den, _pn, p in rows:
        if not _net_may_raise(res, den):
            raised.append(None)
        else:
            best = max(("self_harm", "danger_baby", "danger_mother"), key=lambda c: p[c])
            raised.append("danger_mother" if best == "self_harm" else best)
    return rules, by_how, raised


def _preds(rows: list[_Row], table: Any, how: Any, t: float) -> list[str]:
    _rules, by_how, raised = table
    return [
        r if (r is not None and c[3] >= t) else b
        for c, r, b in zip(rows, raised, by_how[how], strict=True)
    ]


def _choose(groups: dict[str, list[_Row]]) -> tuple[Any, float, dict[str, float]]:
    """Best (naive-Bayes combination, net threshold) on the pooled rows of *groups*:
    pooled urgent precision >= CV_MIN_PRECISION and every group's >= CV_MIN_GROUP_PRECISION;
    then the highest urgent recall, then macro-F1, then the highest thresholds (the learned
    parts act least)."""
    tables = {g: _label_table(rows) for g, rows in groups.items()}
    gold = [c[0] for rows in groups.values() for c in rows]
    best: tuple[Any, ...] | None = None
    for how in tables[next(iter(tables))][1]:
        for t in GRID_NET:
            per = {g: _preds(rows, tables[g], how, t) for g, rows in groups.items()}
            s = metrics(gold, [x for g in groups for x in per[g]])
            ok = s["urgent_precision"] >= CV_MIN_PRECISION and all(
                metrics([c[0] for c in groups[g]], per[g])["urgent_precision"]
                >= CV_MIN_GROUP_PRECISION
                for g in groups
            )
            key = (
                ok,
                round(s["urgent_recall"], 4),
                round(s["macro_f1"], 4),
                t,
                how.raise_at,
                how.name_at,
                how.self_harm_from_mood_at,
            )
            if best is None or key > best[0]:
                best = (key, how, t, s)
    assert best is not None
    return best[1], best[2], best[3]


def grouped_cv() -> dict[str, Any]:
    """Leave one whole set of CV_GROUPS out; both learned parts are trained without it.

    Per held-out set: the rules alone; rules + both learned parts at the thresholds chosen on
    the OTHER held-out sets (nested); and the shipped thresholds, chosen on all five pooled.
    The learned parts are measured out of sample.  The rules: none of these five sets had
    been seen by the rules before round five, but the round-five rule fixes were written
    after reading the errors on them, so the rule part of figures computed after those fixes
    is optimistic (figures computed before them, reported in the commit, are honest).
    """
    from flows.triage.classifier import Combination

    oof = oof_predictions()
    out: dict[str, Any] = {"groups": {}}
    for g in CV_GROUPS:
        rows = oof[g]
        gold = [c[0] for c in rows]
        how, t, _s = _choose({h: oof[h] for h in CV_GROUPS if h != g})
        table = _label_table(rows)
        out["groups"][g] = {
            "n": len(rows),
            "rules_only": metrics(gold, table[0]),
            "thresholds": {**how.__dict__, "net_at": t},
            "combined": metrics(gold, _preds(rows, table, how, t)),
        }
    how, t, s = _choose(oof)
    pooled = [c for g in CV_GROUPS for c in oof[g]]
    out["n"] = len(pooled)
    out["pooled_rules_only"] = metrics([c[0] for c in pooled], _label_table(pooled)[0])
    out["pooled_combined"] = s
    out["chosen"] = {**how.__dict__, "net_at": t}
    for g in CV_GROUPS:
        table = _label_table(oof[g])
        out["groups"][g]["at_chosen"] = metrics(
            [c[0] for c in oof[g]], _preds(oof[g], table, Combination(**how.__dict__), t)
        )
    return out


def dump_urgent(model: dict[str, object]) -> str:
    return json.dumps(model, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def dump_model(model: dict[str, object]) -> str:
    return json.dumps(model, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def dump_corpus(rows: list[dict[str, str]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="exit 1 if a rebuild would differ")
    ap.add_argument(
        "--grouped-cv", action="store_true", help="leave-one-set-out CV; picks the thresholds"
    )
    args = ap.parse_args(argv)
    if args.grouped_cv:
        print(json.dumps(grouped_cv(), indent=1))
        return 0
    rows = build_corpus()
    corpus = dump_corpus(rows)
    model = dump_model(train(training_rows()))
    net = dump_urgent(train_urgent(lr_rows()))
    if args.check:
        same = (
            CORPUS.read_text(encoding="utf-8") == corpus
            and MODEL.read_text(encoding="utf-8") == model
            and URGENT_MODEL.exists()
            and URGENT_MODEL.read_text(encoding="utf-8") == net
        )
        print("up to date" if same else "stale: rebuild with bench/make_triage_corpus.py")
        return 0 if same else 1
    CORPUS.write_text(corpus, encoding="utf-8")
    MODEL.write_text(model, encoding="utf-8")
    URGENT_MODEL.write_text(net, encoding="utf-8")
    by: dict[str, int] = defaultdict(int)
    for r in rows:
        by[r["label"]] += 1
    print(
        f"{len(rows)} messages {dict(by)}; model {len(model) // 1024} KiB; "
        f"urgent net {len(net) // 1024} KiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
