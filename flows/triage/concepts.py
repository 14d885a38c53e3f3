"""Concept-level danger rules: combinations of word classes, not memorised phrases.

Each concept is (a class of words) x (another class) within a short window of the
canonical text (normalize.py), in Indonesian, Palembang, Javanese/Sundanese and English:

  self-harm      a wish / plan / thought / purpose  x  an ending (death, never waking,
                 permanent rest or leaving, disappearing, drowning, jumping, traffic),
                 stockpiled pills, a farewell with exhaustion
  harm to baby   a thought / urge / near-miss  x  a harm verb (drop, throw, smother, shake,
                 hit, hurt, drown, abandon)  x  the baby
  cold baby      body / skin  x  cold words ("adem", "cold to the touch")
  dehydration    fewer wet nappies  x  sleepiness / weak cry / dry mouth / not feeding
  rigors         shaking / teeth chattering  x  blanket / fever / cold
  weakness       cannot walk / stand, must be helped to walk (hers; urgent with fever)
  English        "blood (and mucus) in her poop", "movements have decreased", ...

The cues go through the same scopes as the lexicon rules (negation, resolution,
hypothetical, whose sign it is), so "aku gak pernah kepikiran nyakitin dedek" stays
negated and "kalau bayi badannya dingin gimana?" stays a question.
Kinds: SH (self-harm or harm to baby), B / BS (baby danger), CHILL, MW, MOVE.
"""

from __future__ import annotations

import re

_W = r"(?:[^ ,.?]+ )"


def _g(n: int) -> str:
    return _W + "{0," + str(n) + "}"


def _alt(words: str) -> str:
    return "(?:" + "|".join(sorted(words.split("|"), key=lambda w: -len(w))) + ")"


# gap tokens that are not the baby (so "kepikiran dedek meninggal" is a fear, not a wish)
_GNB = r"(?:(?!bayi |anak |janin )[^ ,.?]+ ){0,3}"

# ---- self-harm ----
WISH = _alt(
    "mau|kepikiran|pikiran|mikir|mikirin|pikir|think|thinking|thought|thoughts|rasanya|"
    "rasonyo|rasane|rencana|plan|planning|niat|wish|biar|supaya|agar|urge|siap|ready|"
    "bayangin|imagine|tempted|tergoda|lebih baik|mending|better|wants|want|wanted|wanna|"
    "gonna|going to"
)
# endings that read as death whatever comes between (a few words, none of them the baby)
ENDING = _alt(
    "mati|tidak bangun lagi|tidak usah bangun|tidak perlu bangun|tidak bangun bangun|"
    "never wake up|never wake|tidak wake up|tidur selamanya|istirahat selamanya|"
    "rest forever|sleep forever|pergi selamanya|hilang selamanya|"
    "tenggelam|tenggelem|tenggelamin diri|nenggelamin diri|drown|drowning|"
    "lompat dari|loncat dari|terjun dari|jump off|jump from|jumping off|"
    "into traffic|in front of a car|in front of a truck|in front of a train|"
    "ketabrak|ditabrak|nabrakin diri|tabrakin diri|rel kereta|"
    "tidak ada di dunia|not be here|not exist|tidak usah ada|it all to end|all be over|"
    "nyusul bapak|nyusul mama|nyusul ibu|nyusul almarhum|nyusul almarhumah|menyusul almarhum|"
    "drive off the road|drive the car off|drive off a bridge|crash the car|nabrakin mobil|"
    "off the road|off a bridge|off the bridge|meninggalkan dunia|ninggalin dunia|"
    "maninggalakan dunia|leave this world|leave the world"
)
# endings that need the wish right before them ("pengen ngilang aja", "mau menghilang")
SOFT_END = _alt("menghilang|ngilang|disappear|vanish")
SELF_END = (
    r"\b"
    + WISH
    + " "
    + _GNB
    + ENDING
    + r"\b|\b"
    + WISH
    + r" (?:aku |to |just |aja |saja ){0,2}"
    + SOFT_END
    + r"\b"
)
# "aku pergi selamanya", "kalau aku tidak ada pun tidak ada yang sadar"
GONE = (
    r"\baku "
    + _g(1)
    + r"(?:pergi|hilang|tidak ada|mati) "
    + _g(1)
    + r"(?:selamanya|for good|forever)\b"
)
NOBODY = (
    r"\btidak ada (?:yang |yg )?(?:bakal |akan |bakalan )?(?:sadar|peduli|nyariin|nyari|"
    r"kehilangan|notice|care|miss)\b"
)
NOBODY_IF = r"\bkalau aku " + _g(2) + r"(?:pergi|hilang|tidak ada|mati|gone)\b"
TIRED_LIFE = (
    r"\b(?:capek|cape|lelah|tired|sick|muak|bosan|bosen|kesel|kesal|jenuh) "
    r"(?:of )?(?:hidup|living|life|idup)\b"
)
PILLS = _alt(
    "obat tidur|pil tidur|sleeping pills|sleeping pill|racun|baygon|obat nyamuk|"
    "pills|pil|obat|tablets|tablet|paracetamol"
)
STOCK = _alt(
    "sebotol|sekaligus|kumpulin|ngumpulin|dikumpulin|stockpile|stockpiling|stockpiled|"
    "hoard|hoarding|stash|stashed|saved up|saving up|sembunyiin|disembunyiin|hidden|hid|"
    "simpen|nyimpen|disimpen|simpan|disimpan|siapin|disiapin|udah siap|sudah siap"
)
PILLS_STOCK = r"\b(?:" + PILLS + " " + _g(4) + STOCK + "|" + STOCK + " " + _g(3) + PILLS + r")\b"
FAREWELL = _alt(
    "pamit|goodbye|good bye|say bye|farewell|selamat tinggal|"
    "maaf selama ini|maaf ya selama ini|surat terakhir|last letter"
)
WEARY = _alt(
    "capek|cape|lelah|tired|tidak kuat|tidak sanggup|done|so done|selamanya|forever|"
    "tidak tahan|give up|nyerah|menyerah"
)

# ---- harm to the baby ----
THOUGHT = _alt(
    "kepikiran|pikiran|mikir|pikir|think|thinking|thought|thoughts|urge|urges|mau|rasanya|"
    "rasane|rasonyo|bayangin|imagine|imagining|tempted|tergoda|takut aku|"
    "scared aku|afraid aku|hampir|almost|nearly|kebayang|kebayang bayang|kepikiran terus|"
    "bisikan|suara|voice|voices|whisper|whispers|whispering|nyuruh|suruh|menyuruh|telling|"
    "tells|told"
)
HARM_VERB = _alt(
    "jatuhin|jatuhkan|ngejatuhin|menjatuhkan|drop|dropping|lempar|ngelempar|melempar|"
    "throw|throwing|banting|ngebanting|membanting|bekap|ngebekap|membekap|smother|"
    "smothering|cekik|nyekik|mencekik|choke|choking|guncang|ngguncang|mengguncang|"
    "goyang goyang|shake|shaking|pukul|mukul|memukul|hit|hitting|nyakitin|menyakiti|"
    "nyakiti|melukai|harm|harming|tenggelamin|ceburin|nyeburin|drown|"
    "drowning|buang|membuang|ngebuang|lepasin|ngelepasin|melepaskan|let go of|get rid of|"
    "singkirin|nyingkirin|menyingkirkan"
)
# accidental near-misses ("hampir jatuhin dedek" from sleepiness) are not a harm thought:
# only violent verbs count after "hampir/almost"
_NEAR = _alt("hampir|almost|nearly")
_SOFT = _alt("jatuhin|jatuhkan|ngejatuhin|menjatuhkan|drop|dropping")
BABY_OBJ = r"(?:(?:the|my|our|si|aja|saja|ini|itu|kecil|aku) ){0,2}(?:bayi|anak|dia|him|her)\b"
HARM_BABY = r"\b" + THOUGHT + " " + _g(3) + HARM_VERB + " " + BABY_OBJ
NEAR_SOFT = r"\b" + _NEAR + " " + _g(3) + _SOFT + r"\b"

# ---- baby: cold body, dehydration ----
COLD_BODY = (
    r"\b(?:badan|kulit|tubuh|body|skin) (?:(?!sudah |mulai |jadi |lebih )[^ ,.?]+ ){0,2}"
    r"(?:dingin|adem|cold|chilly|icy)\b|\b(?:dingin|adem|cold|cool|icy) "
    r"(?:to the touch|when i touch|saat dipegang|pas dipegang|kalau dipegang)\b"
)
FEW_WET = (
    r"\b(?:jarang|sedikit|kurang|fewer|less|berkurang) "
    + _g(2)
    + r"(?:pipis|popok)\b|\b(?:pipis|popok) "
    + _g(4)
    + r"(?:jarang|sedikit|berkurang|kering|sekali|satu kali|1 kali|1x|once|less|fewer|"
    r"dry|kering terus)\b|\b(?:tidak|belum|no) " + _g(1) + r"(?:pipis|popok basah)\b"
)
DRY_SIGNS = _alt(
    "ngantuk|mengantuk|sleepy|drowsy|tidur terus|tidur melulu|lemas|lemah|lesu|nangis lemah|"
    "mulut kering|bibir kering|kering mulut|dry mouth|dry lips|cekung|sunken|tidak mau nyusu|"
    "tidak nyusu|susah dibangunin|susah bangun|hard to wake|tidak ada air mata|no tears"
)

# ---- mother: rigors, cannot walk ----
RIGOR_CORE = (
    r"\b(?:gemeletuk|gemeletukan|bergemeletuk|teeth chattering|teeth are chattering|"
    r"teeth chatter|rigors|rigor|menggigil hebat|menggigil terus|shaking uncontrollably)\b"
)
SHAKE = _alt("gemetar|gemeteran|gemeter|ndredeg|ndredek|shaking|shivering|menggigil")
SHAKE_CTX = _alt(
    "selimut|blanket|blankets|gigi|teeth|demam|meriang|panas|dingin|tidak berhenti|"
    "cant stop|tidak bisa berhenti|jaket|sweater"
)
CANT_WALK = (
    r"\b(?:harus|perlu|mesti|kudu|must be|has to be|had to be) "
    + _g(1)
    + r"(?:dipapah|dipapahin|dibantu jalan|dibantu berdiri|digotong|dituntun|helped)\b"
    r"|\b(?:tidak|barely|hardly) (?:bisa |kuat |sanggup |can )(?:jalan|berdiri|walk|stand)"
    r"(?! jauh)\b|\bneeds? help (?:to )?(?:walk|stand|get up)\b"
)

# ---- English symptom grammar ----
_NOT_DENIED = r"(?!(?:tidak|tak|bukan|no|not|tanpa|without|never) )"
BLOOD_POOP = (
    r"\b(?:darah|berdarah) "
    + _g(4)
    + r"(?:in|di|dalam|on|inside) "
    + _g(2)
    + r"(?:bab|diare)\b|\b(?:bab|diare) "
    # the gaps may not step over a denial: "diare tapi gak ada darah" is not bloody
    + r"(?:" + _NOT_DENIED + r"[^ ,.?]+ ){0,3}"
    + r"(?:with|ada|campur|bercampur|full of) "
    + r"(?:" + _NOT_DENIED + r"[^ ,.?]+ ){0,2}"
    + r"(?:darah|berdarah)\b"
)
MOVE_DOWN = (
    r"\b(?:movements|movement|gerakan|kicks|kicking|tendangan|gerak) "
    + _g(3)
    + r"(?:decreased|reduced|slowed|slowed down|less|fewer|stopped|berkurang|menurun|"
    r"melambat|jarang|hilang|gone quiet|quieter)\b|\b(?:decreased|reduced|fewer|less|"
    r"not as many) (?:fetal |bayi )?(?:movements|movement|kicks|gerakan|tendangan)\b|"
    r"\b(?:not moving|tidak gerak|tidak bergerak) (?:as much|like before|seperti biasa|"
    r"kayak biasa|sebanyak)\b"
)
NOT_FEEDING = r"\b(?:refuses|refusing|refused|refuse) (?:to )?(?:nyusu|the payudara|minum)\b"

# ---- round six ----
# conditional self-harm: "kalau besok aku tidak bangun juga tidak apa", "nek aku mati ..."
COND_END = _alt("mati|meninggal|tidak bangun|tidak bangun lagi|tidak ada|pergi|die|died|dead")
COND_OK = _alt(
    "tidak apa|tidak apa apa|gpp|lebih baik|lebih tenang|lebih bahagia|lega|fine|okay|ok|"
    "better|ikhlas|rela|biarin|biar aja|tidak masalah|tidak papa|tenang|happier"
)
COND_SH = (
    r"\bkalau "
    + _g(3)
    + r"aku "
    + _g(2)
    + COND_END
    + r" "
    + _g(5)
    + COND_OK
    + r"\b|\bkalau aku "
    + _g(1)
    + r"(?:mati|meninggal|tidak ada) (?:wae|ae|aja|saja|just)\b"
)
# relief at the baby being gone: "rasanya lega kalau bayi ini tidak ada"
RELIEF_BABY = (
    r"\b(?:lega|relief|relieved|tenang|better|lebih baik|mending|seneng|senang) "
    + _g(3)
    + r"(?:kalau|if|seandainya) "
    + _g(2)
    + r"(?:bayi|anak|dia) "
    + _g(2)
    + r"(?:tidak ada|mati|hilang|gone|pergi|tidak pernah lahir|dead|disappeared)\b"
)
# the baby named before the harm verb: "kebayang bayiku aku lepasin aja dari gendongan"
HARM_BABY_FIRST = (
    r"\b" + THOUGHT + r" (?:(?:my|the|si|aku) )?(?:bayi|anak) " + _g(3) + HARM_VERB + r"\b"
)
# a bare harm thought while carrying her ("pas gendong dia di tangga kepikiran lepasin aja")
HARM_BARE = r"\b" + THOUGHT + " " + _g(4) + HARM_VERB + r" (?:aja|saja|just|it)\b"
_CARRY = re.compile(
    r"\b(?:gendong|gendongan|ngegendong|menggendong|carry|carrying|holding|tangga|stairs|"
    r"jendela|window|balkon|balcony|jembatan|bridge|sungai|river)\b"
)
# driving off the road / crashing the car on purpose
DRIVE = (
    r"\b" + WISH + " " + _g(2) + r"(?:drive|crash|nabrakin|tabrakin|nyetir|ngebut|setir) "
    + _g(3) + r"(?:off|into|ke jurang|ke sungai|nabrak|jurang|sungai|tembok|wall|tree)\b"
)
# English refusal of the breast / bottle ("won't take the breast at all")
NOT_TAKING = (
    r"\btidak (?:take|takes|taking|want|wants|accept|accepting) (?:the |my |any )?"
    r"(?:payudara|botol|bottle|asi|nyusu|feeds|feed)\b|\btidak (?:feed|feeding|nurse|nursing|"
    r"drink|drinking|eat|eating|nyusu) (?:at semua|anything|apa apa|sama sekali)\b"
)
# pus / discharge from the eyes
EYE_PUS = (
    r"\b(?:discharge|pus|nanah|gunk|goo|crust|crusty|lendir) "
    + _g(4)
    + r"(?:mata|eye|eyes)\b|\b(?:mata|eye|eyes) "
    + _g(6)
    + r"(?:bernanah|nanah|discharge|pus|oozing|keluar nanah)\b|\bbelek(?:an)? "
    + _g(1)
    + r"(?:ijo|hijau|green|kuning|kental|nanah|banyak bgt)\b"
)
# what is the point of living ("ngapain juga aku hidup", "buat apa aku hidup")
POINTLESS = (
    r"\b(?:ngapain|buat apa|untuk apa|apa gunanya|apa guna|what s the point of|whats the point of|"
    r"why am aku still|why do aku keep) (?:juga |lagi |sih )?(?:aku )?(?:masih )?"
    r"(?:hidup|living|alive|here)\b"
)
# soon she will not need anything ("bentar lagi aku udah gak perlu semua ini")
SOON_GONE = (
    r"\b(?:bentar|sebentar|soon) (?:lagi )?(?:aku |you |kalian )?(?:sudah )?"
    r"(?:tidak perlu|tidak butuh|tidak need|tidak ada|pergi|won t need|tidak akan need)\b"
)
# her own fit: stiffening with a blackout ("sempat kaku kaku sendiri dan tidak ingat apa apa")
FIT_BLANK = (
    r"\b(?:kaku|kelojotan|kejang|kejang kejang|seizure|fit) "
    + _g(4)
    + r"(?:tidak ingat|tidak inget|lupa|blank|pingsan|tidak sadar|black out|blacked out)\b"
)
# breast signs in other words ("susuku abang", "area keras merah di atas puting")
BREAST_SIGN = (
    r"\b(?:payudara|area|bagian|patch) "
    + _g(3)
    + r"(?:merah|abang|keras|red|hard|tender|pink|lump|benjolan|bengkak)\b"
)
# foul lochia in clinical English ("lochia offensive")
LOCHIA_FOUL = (
    r"\blochia (?:is )?(?:offensive|smelly|foul|bau)\b|\b(?:offensive|smelly|foul) lochia\b"
)
# a breast sign anywhere in a message about her breast ("pinggir payudara ... kemerahan")
_BREAST_WORD = re.compile(r"\b(?:payudara|lump|benjolan)\b")
_BREAST_RED = re.compile(
    r"\b(?:merah|kemerahan|abang|red|redness|erythema|streaky|streaks|pink)\b"
)
# one breast refused ("yang kanan ditolak"): a preference, a question for the cadre
ONE_SIDE_REFUSE = (
    r"\b(?:kiri|kanan|left|right|sebelah) " + _g(2) + r"(?:ditolak|menolak|nolak|refuses|refused|"
    r"refusing|tidak mau)\b"
)
# heavy bleeding in her own words ("darahnya makin deres", "bleeding heavily"), also after a
# miscarriage (danger_mother wins over loss)
BLEED_HEAVY = (
    r"\b(?:darah|pendarahan|perdarahan|berdarah|bleeding|bleed) "
    + _g(3)
    + r"(?:deres|deras|ngucur|mengucur|ngocor|heavy|heavily|soaking|tidak berhenti|"
    r"tidak mau berhenti|won t stop|banyak bgt|makin banyak|nembus|tembus)\b"
)
# head injury with vomiting / drowsiness (whole message)
_HEAD_HIT = re.compile(
    r"\b(?:jatuh|fel|fell|fall|falls|kebentur|terbentur|kejedot|kejeduk|kepentok|kebanting|"
    r"hit|bumped|bump|benjol)\b"
)
_HEAD = re.compile(
    r"\b(?:kepala|head|kepalanya)\b|\b(?:jatuh|fel|fell|fall|falls|terjatuh) (?:dari|off|from)\b"
)
_HEAD_SIGN = re.compile(
    r"\b(?:muntah|vomit|vomiting|vomited|throwing up|sleepy|ngantuk|mengantuk|drowsy|lemas|"
    r"susah dibangunin|susah bangun|hard to wake|pingsan|tidak sadar|unconscious|kejang|"
    r"lethargic|floppy|limp)\b"
)

RULES: tuple[tuple[str, str], ...] = (
    ("SHS", SELF_END),  # her own ending: not when the sentence is about the baby
    ("SHS", GONE),
    ("SHS", TIRED_LIFE),
    ("SH", HARM_BABY),
    ("BS", COLD_BODY),
    ("MOVE", MOVE_DOWN),
    ("B", BLOOD_POOP),
    ("BS", NOT_FEEDING),
    ("CHILL", RIGOR_CORE),
    ("MW", CANT_WALK),
    ("SHS", COND_SH),
    ("SH", RELIEF_BABY),
    ("SH", HARM_BABY_FIRST),
    ("SH", DRIVE),
    ("BS", NOT_TAKING),
    ("B", EYE_PUS),
    ("MILD", ONE_SIDE_REFUSE),
    ("M", BLEED_HEAVY),
    ("SHS", POINTLESS),
    ("SHS", SOON_GONE),
    ("CONV", FIT_BLANK),
    ("BR", BREAST_SIGN),
    ("LOCH", LOCHIA_FOUL),
)
COMPILED: tuple[tuple[str, re.Pattern[str]], ...] = tuple((k, re.compile(p)) for k, p in RULES)
_NOBODY = re.compile(NOBODY)
_NOBODY_IF = re.compile(NOBODY_IF)
_PILLS_STOCK = re.compile(PILLS_STOCK)
_FAREWELL = re.compile(r"\b" + FAREWELL + r"\b")
_WEARY = re.compile(r"\b" + WEARY + r"\b")
_FEW_WET = re.compile(FEW_WET)
_DRY = re.compile(r"\b" + DRY_SIGNS + r"\b")
_NEAR_SOFT = re.compile(NEAR_SOFT)
_SHAKE = re.compile(r"\b" + SHAKE + r"\b")
_SHAKE_CTX = re.compile(r"\b" + SHAKE_CTX + r"\b")
_QUESTIONISH = re.compile(r"\?|\b(?:boleh|bolehkah|aman|amankah|apakah|can i|is it safe)\b")


def concept_spans(text: str) -> list[tuple[str, int, int]]:
    """(kind, char start, char end) of every concept found in canonical *text*."""
    out: list[tuple[str, int, int]] = []
    for kind, rx in COMPILED:
        for mt in rx.finditer(text):
            if kind == "SH" and rx.pattern == HARM_BABY:
                near = _NEAR_SOFT.search(mt.group(0))
                if near:  # "hampir aku jatuhin dedek" without an urge: an accident
                    continue
            out.append((kind, mt.start(), mt.end()))
    # whole-message combinations, each cue placed on its first part
    for sent in _sentences(text):
        s0, st = sent
        ps = _PILLS_STOCK.search(st)
        if ps and not _QUESTIONISH.search(st):
            out.append(("SH", s0 + ps.start(), s0 + ps.end()))
        sh = _SHAKE.search(st)
        if sh and _SHAKE_CTX.search(st):
            out.append(("CHILL", s0 + sh.start(), s0 + sh.end()))
    nb = _NOBODY.search(text)
    if nb and _NOBODY_IF.search(text):
        out.append(("SH", nb.start(), nb.end()))
    fw = _FAREWELL.search(text)
    if fw and _WEARY.search(text):
        out.append(("SH", fw.start(), fw.end()))
    for sent in _sentences(text):
        s0, st = sent
        hb = re.search(HARM_BARE, st)
        if hb and _CARRY.search(st):
            out.append(("SH", s0 + hb.start(), s0 + hb.end()))
    if _BREAST_WORD.search(text):
        br = _BREAST_RED.search(text)
        if br:
            out.append(("BR", br.start(), br.end()))
    hh = _HEAD_HIT.search(text)
    if hh and _HEAD.search(text) and _HEAD_SIGN.search(text):
        out.append(("B", hh.start(), hh.end()))
    few = _FEW_WET.search(text)
    if few and _DRY.search(text):
        out.append(("B", few.start(), few.end()))
    return out


def _sentences(text: str) -> list[tuple[int, str]]:
    out = []
    start = 0
    for mt in re.finditer(r"[.?]", text):
        out.append((start, text[start : mt.end()]))
        start = mt.end()
    out.append((start, text[start:]))
    return out
