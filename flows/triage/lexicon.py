"""Lexicon: patterns over *canonical* tokens (see normalize.py).

Each rule is (kind, regex).  The regex runs on the canonical tokens joined by
single spaces; "," "." "?" are tokens too, so ``_G`` gaps never cross a clause.

Kinds (how classifier.py uses them):
  B      danger sign that is the baby's (cord, jaundice, stool, ...)
  BS     baby sign that needs a subject (not feeding, kaku, cold); ignored for adults
  LETH   lethargy: baby -> danger_baby; mother -> weakness (counts with fever)
  S      shared sign (convulsion, breathing, fainting, chest): baby or mother by subject
  FEV    fever word ("demam", a temperature) -- whose fever is decided by subject
  HOT    "panas"/"anget": fever of the baby/mother, heat of a breast, or weather
  CHILL  chills ("menggigil", "meriang", "panas dingin"): fever, mother by default
  M      mother's danger sign (bleeding, headache, vision, calf, wound, ...)
  LOCH   foul lochia / discharge (danger_mother; makes a maternal fever urgent)
  MW     mother's weakness ("gak kuat bangun")
  PREG_B bleeding that is urgent in pregnancy / after birth
  SH     thoughts of harming self or baby
  LOSS   miscarriage, stillbirth, death of a child
  MAST   mastitis named
  BR     breast sign (red, hot, painful, lump): engorgement, or mastitis with fever
  ENG    engorgement / blocked duct
  LATCH  nipple pain / painful latch
  LOW    low milk supply / formula thoughts
  MOOD   low mood, anxiety, stress
  CRY    crying (mood only if it is the mother)
"""

from __future__ import annotations

import re

_W = r"(?:[^ ,.?]+ )"


def _g(n: int) -> str:
    return _W + "{0," + str(n) + "}"


G1, G2, G3, G4 = _g(1), _g(2), _g(3), _g(4)

_BREAST = r"(?:payudara|susu)"
_NUM = r"\d+(?:\.\d+)?"

RULES: tuple[tuple[str, str], ...] = (
    # ---------------- baby: not feeding / weak suck ----------------
    (
        "BS",
        r"\btidak (?:mau |bisa |kuat |sanggup |pernah )?(?:lagi )?(?:nyusu|minum asi|ngisep|isep|"
        r"hisap|ngenyot|minum|menyusu)\b",
    ),
    (
        "BS",
        r"\b(?:menolak|nolak|refusing|refuses|refused|refuse) " + G2 + r"(?:nyusu|payudara|asi|"
        r"minum|puting)\b",
    ),
    (
        "BS",
        r"\b(?:isapan|hisapan|isepan|isap|hisap|ngisep|isep|nyusu|suck|sucking) " + G2 + r"lemah\b",
    ),
    ("BS", r"\blemah " + G1 + r"(?:ngisep|isep|nyusu|suck|sucking|isapan|hisapan)\b"),
    ("BS", r"\b(?:isapan|hisapan|isepan) " + G1 + r"tidak ada tenaga\b"),
    # ---------------- convulsions ----------------
    ("S", r"\bkejang\b"),
    ("S", r"\b(?:sawan|kelojotan|mendelik|kedutan|kejut|eyes rolling)\b"),
    ("S", r"\bhaving a fit\b"),
    ("S", r"\bmata " + G2 + r"(?:ke atas|melotot|naik|mendelik|rolling)\b"),
    ("STEP", r"\bstep\b"),
    ("BS", r"\bkaku\b"),
    # ---------------- breathing ----------------
    ("S", r"\bsesak\b"),
    (
        "S",
        r"\b(?:susah|sulit|sukar|tidak bisa|struggling to|trouble|difficulty) " + G1 + r"napas\b",
    ),
    ("S", r"\bnapas " + G3 + r"(?:cepat|ngos|tersengal|grok|ngorok|berat|bunyi|sengal)\b"),
    ("S", r"\b(?:ngos|tersengal|merintih|grunting|grunts|wheezing)\b"),
    ("B", r"\bdada " + G2 + r"(?:tertarik|cekung|narik|masuk|sucks|pulls|caves|indrawing)\b"),
    ("B", r"\bbibir " + G3 + r"biru\b"),
    ("B", r"\bbiru bibir\b"),
    ("B", r"\b(?:hidung|idung|cuping) " + G2 + r"kembang kempis\b"),
    ("S", r"\bdada " + G2 + r"(?:sakit|sesak|ditekan|berat)\b"),
    # ---------------- fever / cold ----------------
    ("FEV", r"\bdemam\b"),
    ("FEV", r"\b(?:suhu|diukur|ukur|demam|of) (?:" + _NUM + r")\b"),
    ("TEMP", r"\b" + _NUM + r"\b"),
    ("HOT", r"\b(?:panas|anget)\b"),
    ("CHILL", r"\b(?:menggigil|meriang|body sakit)\b"),
    ("BS", r"\bbadan " + G2 + r"dingin\b"),
    ("BS", r"\b(?:feels|terasa|kerasa) " + G1 + r"dingin\b"),
    ("BS", r"\bdingin " + G1 + r"(?:tangan|kaki|badan|and lemas)\b"),
    # ---------------- lethargy / consciousness ----------------
    ("LETH", r"\b(?:lemas|lemah)\b"),
    (
        "LETH",
        r"\b(?:tidak|susah|sulit|keras to|sulit to|hard to) " + G1 + r"(?:bangun|wake|dibangunin|"
        r"dibangunkan|dibangunke|dibangunin)\b",
    ),
    ("LETH", r"\btidak (?:sadar|sadarkan|respon|merespon|nyaut|nyahut|responsive)\b"),
    ("LETH", r"\bdiam? aja tidak nangis\b"),
    ("S", r"\bpingsan\b"),
    # ---------------- baby-only signs ----------------
    ("B", r"\bpusar " + G3 + r"(?:merah|bau|nanah|bengkak|berdarah|oozing)\b"),
    ("B", r"\b(?:nanah|bau|merah) " + G2 + r"pusar\b"),
    ("B", r"\bkuning " + G4 + r"(?:telapak|palm|palms|sole|soles|feet)\b"),
    ("B", r"\b(?:telapak|palm|palms|sole|soles|feet) " + G3 + r"kuning\b"),
    ("B", r"\bbab " + G3 + r"(?:pucat|putih|dempul|kapur|white)\b"),
    ("B", r"\b(?:diare|bab) " + G3 + r"(?:darah|berdarah)\b"),
    ("B", r"\b(?:darah|berdarah) " + G2 + r"(?:diare|bab)\b"),
    ("B", r"\bdiare (?:terus|\d+ ?x|\d+ kali|sangat)\b"),
    ("B", r"\b(?:mata " + G2 + r"cekung|cekung|cowong|dehidrasi|dehydrated|dehydration)\b"),
    ("BS", r"\b(?:tidak|belum) " + G1 + r"(?:pipis)\b"),
    ("B", r"\bpopok " + G1 + r"kering\b"),
    ("B", r"\bmuntah (?:terus|semua|muntah)\b"),
    ("B", r"\bmuntah " + G3 + r"(?:semua|tidak berhenti|tidak berenti)\b"),
    ("B", r"\b(?:semua|apapun) " + G3 + r"(?:keluar lagi|dimuntahin)\b"),
    ("B", r"\bmata " + G3 + r"nanah\b"),
    ("B", r"\bnanah " + G2 + r"mata\b"),
    ("B", r"\b(?:bisul|bintil|bruntusan|pustules) " + G3 + r"(?:banyak|nanah)\b"),
    ("B", r"\bbanyak (?:bisul|bintil)\b"),
    # jaundice with timing is handled in classifier.py (needs the whole message)
    # ---------------- mother ----------------
    ("PREG_B", r"\b(?:keluar darah|berdarah|pendarahan|flek|darah keluar)\b"),
    ("M", r"\bpendarahan\b"),
    ("M", r"\b(?:darah|nifas) " + G3 + r"(?:banyak|deras|terus|tidak berhenti|gumpal)\b"),
    ("M", r"\b(?:banyak|deras) " + G1 + r"darah\b"),
    ("M", r"\bgumpalan " + G1 + r"darah\b"),
    ("M", r"\bdarah " + G2 + r"gumpalan\b"),
    ("M", r"\bpembalut " + G3 + r"(?:penuh|tiap|setiap|basah)\b"),
    ("M", r"\b(?:ganti|tiap|setiap) " + G1 + r"pembalut\b"),
    ("M", r"\b(?:soaking|soak|soaked) " + G2 + r"pads?\b"),
    ("M", r"\b(?:heavy|heavily) " + G1 + r"(?:berdarah|darah)\b"),
    ("M", r"\b(?:clots|gumpalan gede|big clots)\b"),
    ("M", r"\bsakit kepala " + G2 + r"(?:hebat|parah|bgt|luar biasa|sekali|terus|tidak hilang)\b"),
    ("M", r"\b(?:severe|terrible|bad|worst) sakit kepala\b"),
    (
        "M",
        r"\bkepala " + G2 + r"(?:sakit|pusing) " + G2 + r"(?:hebat|parah|bgt|luar biasa|sekali)\b",
    ),
    ("M", r"\bkepala " + G1 + r"sakit nyutan " + G1 + r"(?:parah|bgt|hebat)\b"),
    ("M", r"\bpusing (?:hebat|parah|berat|bgt)\b"),
    ("M", r"\b(?:pandangan|penglihatan|mata|vision) " + G2 + r"(?:kabur|berkunang|gelap)\b"),
    ("M", r"\b(?:kabur|berkunang) " + G1 + r"(?:vision|penglihatan|pandangan)\b"),
    ("M", r"\bberkunang\b"),
    ("M", r"\b(?:muka|wajah|face) " + G4 + r"bengkak\b"),
    ("M", r"\bbengkak " + G1 + r"(?:muka|wajah|face)\b"),
    ("M", r"\b(?:betis|calf) " + G3 + r"(?:bengkak|sakit|merah)\b"),
    ("M", r"\bperut " + G2 + r"sakit " + G2 + r"(?:hebat|parah|luar biasa|sekali|bgt)\b"),
    ("M", r"\bsakit perut " + G1 + r"(?:hebat|parah|luar biasa)\b"),
    ("M", r"\b(?:severe|terrible) (?:belly|abdominal|stomach|perut) sakit\b"),
    ("LOCH", r"\b(?:nifas|keputihan|lochia|cairan|discharge) " + G4 + r"bau\b"),
    ("LOCH", r"\bdarah " + G2 + r"bau\b"),
    (
        "M",
        r"\b(?:jahitan|operasi|sc|caesar|sesar|stitches|wound|incision|perineum) "
        + G4
        + r"(?:nanah|bau)\b",
    ),
    ("M", r"\bnanah " + G2 + r"(?:jahitan|operasi|sc|caesar|stitches|wound)\b"),
    ("M", r"\bketuban " + G2 + r"(?:pecah|rembes|merembes|keluar|bocor)\b"),
    ("M", r"\b(?:air ketuban|rembes|merembes)\b"),
    ("M", r"\bgerakan " + G3 + r"(?:berkurang|kurang|jarang|tidak terasa|sedikit)\b"),
    (
        "M",
        r"\b(?:janin|kandungan|perut) "
        + G3
        + r"(?:tidak|jarang|kurang) "
        + G1
        + r"(?:gerak|bergerak|moving)\b",
    ),
    ("M", r"\b(?:tidak moving|moving less|less movement|reduced movement|not moving as much)\b"),
    ("MW", r"\btidak (?:kuat|bisa) " + G1 + r"bangun\b"),
    ("MW", r"\btoo lemah\b"),
    # ---------------- self-harm ----------------
    ("SH", r"\b(?:bunuh diri|suicide|suicidal|self harm|gantung diri|minum racun)\b"),
    ("SH", r"\bmau " + G1 + r"(?:to )?mati\b"),
    (
        "SH",
        r"\b(?:mending|lebih baik|better) " + G2 + r"(?:mati|tidak ada|tidak usah hidup|hilang)\b",
    ),
    (
        "SH",
        r"\b(?:mengakhiri|akhiri|end|ending) " + G1 + r"(?:hidup|it all|it semua|my life|semua)\b",
    ),
    ("SH", r"\btidak (?:usah|mau|pengen) hidup\b"),
    ("SH", r"\b(?:hilang|ilang) " + G2 + r"dari dunia\b"),
    ("SH", r"\blompat dari\b"),
    ("SH", r"\b(?:kill|hurt|harm) aku\b"),
    ("SH", r"\b(?:better off|lebih baik|lebih bahagia|lebih enak) " + G1 + r"tanpa aku\b"),
    (
        "SH",
        r"\b(?:nyakitin|menyakiti|nyakiti|melukai|sakitin|nyiksa) "
        + G1
        + r"(?:bayi|anak|diri|aku)\b",
    ),
    (
        "SH",
        r"\b(?:think|thinking|thought|thoughts|kepikiran|pikiran|mikir) "
        + G2
        + r"(?:sakit|hurting|harming|melukai|nyakitin|bunuh) "
        + G1
        + r"(?:bayi|anak|aku|diri)\b",
    ),
    # ---------------- loss ----------------
    (
        "LOSS",
        r"\b(?:meninggal|keguguran|gugur|stillborn|stillbirth|iufd|dikuret|kuret|tiada|"
        r"berpulang)\b",
    ),
    ("LOSS", r"\b(?:lost|losing|kehilangan) " + G2 + r"(?:bayi|anak|janin|pregnancy)\b"),
    ("LOSS", r"\bdetak jantung " + G2 + r"tidak ada\b"),
    ("LOSS", r"\btidak ada detak jantung\b"),
    ("LOSS", r"\bjanin " + G2 + r"tidak berkembang\b"),
    (
        "LOSS",
        r"\b(?:bayi|anak) " + G1 + r"sudah tidak ada(?= [,.?]| bun\b| kak\b| tadi\b| semalam\b|$)",
    ),
    # ---------------- mastitis / breast ----------------
    ("MAST", r"\b(?:mastitis|radang payudara|abses)\b"),
    ("MAST", r"\bpayudara " + G2 + r"(?:meradang|radang|infeksi)\b"),
    ("BR", r"\b" + _BREAST + r" " + G4 + r"(?:merah|panas|anget|sakit|benjolan|memar|wedge)\b"),
    ("BR", r"\b(?:merah|benjolan|sakit) " + G3 + r"(?:di )?" + _BREAST + r"\b"),
    ("BR", r"\b(?:hot red|red hot|red wedge|hot wedge)\b"),
    # ---------------- engorgement ----------------
    (
        "ENG",
        r"\b" + _BREAST + r" " + G4 + r"(?:bengkak|keras|penuh|berat|benjolan|gumpalan|kencang)\b",
    ),
    ("ENG", r"\b(?:bengkak|keras|penuh|benjolan|gumpalan) " + G3 + r"(?:di )?" + _BREAST + r"\b"),
    (
        "ENG",
        r"\b(?:benjolan|engorged|bendungan|sumbat|tersumbat|sumbatan|clogged|blocked|plugged)\b",
    ),
    ("ENG", r"\b(?:penuh " + G2 + r"keras|keras " + G2 + r"penuh)\b"),
    ("ENG", r"\basi " + G2 + r"(?:numpuk|ngumpul|menumpuk|penuh)\b"),
    # ---------------- latch / nipple pain ----------------
    (
        "LATCH",
        r"\bputing " + G4 + r"(?:lecet|luka|perih|sakit|berdarah|pecah|retak|cracked|"
        r"flat|lipstick)\b",
    ),
    ("LATCH", r"\b(?:lecet|luka|perih|berdarah|pecah|retak|cracked|sakit) " + G3 + r"puting\b"),
    ("LATCH", r"\b(?:lecet|disilet|lipstick)\b"),
    (
        "LATCH",
        r"\b(?:nyusu|isep|ngisep|hisap|ngenyot|nempel|latch|latches|latching) "
        + G4
        + r"(?:sakit|perih|lecet|disilet|luka)\b",
    ),
    (
        "LATCH",
        r"\b(?:sakit|perih) " + G4 + r"(?:nyusu|isep|ngisep|nempel|latch|latches|latching|"
        r"feed)\b",
    ),
    ("LATCH", r"\bgigit " + G2 + r"puting\b"),
    ("LATCH", r"\b(?:ngisep|ngenyot|isep|hisap|nyusu) " + G2 + r"ujung\b"),
    ("LATCH", r"\bpelekatan " + G3 + r"(?:salah|tidak bener|tidak benar|sakit)\b"),
    ("LATCH", r"\b(?:shallow latch|toes curling|bad latch)\b"),
    # ---------------- low milk ----------------
    (
        "LOW",
        r"\b(?:asi|susu) " + G3 + r"(?:sedikit|kurang|seret|tidak keluar|belum keluar|"
        r"tidak banyak|tidak cukup|berkurang|menurun|turun|kering|encer|low|drop|dropped|"
        r"tidak ada)\b",
    ),
    ("LOW", r"\b(?:sedikit|kurang|low) asi\b"),
    ("LOW", r"\b(?:mompa|pump|pumping|perah|merah) " + G3 + r"sedikit\b"),
    ("LOW", r"\b(?:produksi|supply) " + G2 + r"(?:turun|menurun|berkurang|drop|dropped|low)\b"),
    ("LOW", r"\b(?:tidak|belum) " + G2 + r"(?:cukup|enough|kenyang)\b"),
    ("LOW", r"\b(?:make|making|produce|producing|getting) enough\b"),
    ("LOW", r"\b(?:sufor|supplement|topping up|top up)\b"),
    ("LOW", r"\b(?:pump|mompa|perah|dapat|dapet) " + G3 + r"\d+ ?ml\b"),
    ("LOW", r"\bberat " + G2 + r"tidak naik\b"),
    ("LOW", r"\b(?:booster|memperbanyak asi|biar asi banyak|pd kempes|payudara kempes)\b"),
    ("LOW", r"\b(?:karena|cuma|hanya|only) sedikit\b"),
    # ---------------- mood ----------------
    (
        "MOOD",
        r"\b(?:sedih|stres|cemas|khawatir|depresi|babyblues|kewalahan|overwhelmed|hampa|"
        r"tertekan|lonely|alone|sendirian|kesepian|overthinking|down|empty|hopeless|putus asa|"
        r"exhausted|mental|mood|galau)\b",
    ),
    ("MOOD", r"\bgagal " + G2 + r"ibu\b"),
    (
        "MOOD",
        r"\b(?:pikiran kacau|tidak ada semangat|tidak semangat|feel nothing|mau kabur|"
        r"tidak ada "
        + G1
        + r"(?:bantu|ngertiin|peduli)|tidak bantu|tidak ngertiin|marah|kesel|emosi)\b",
    ),
    ("MOODS", r"\b(?:tidak bisa tidur|capek|cape|lelah|tired|takut|anxious)\b"),
    ("CRY", r"\bnangis\b"),
)

COMPILED: tuple[tuple[str, re.Pattern[str]], ...] = tuple((k, re.compile(p)) for k, p in RULES)

# ---------------- word classes used for scopes and subjects ----------------
NEGATORS = frozenset({"tidak", "bukan", "belum", "tanpa"})
NEG_FILLERS = frozenset(
    [
        "ada",
        "yang",
        "pernah",
        "lagi",
        "terlalu",
        "begitu",
        "sih",
        "kok",
        "juga",
        "kan",
        "ya",
        "the",
        "a",
        "any",
        "have",
        "has",
        "had",
        "is",
        "was",
        "tanda",
        "of",
        "sama",
        "sekali",
        "ngerasa",
        "merasa",
        "terasa",
        "kelihatan",
        "keliatan",
        "seperti",
        "kayak",
        "sampai",
        "sampe",
        "ada2",
        "signs",
        "feel",
        "feels",
    ]
)
POST_NEG_OK = frozenset(["kok", "sih", "ya", "kak", "bun", "kan", "tidak", "lah", "dong"])

BABY = frozenset({"bayi", "anak", "janin"})
MOTHER = frozenset({"aku"})
ADULT = frozenset(
    [
        "suami",
        "bapak",
        "mertua",
        "kakak",
        "tetangga",
        "ipar",
        "teman",
        "temen",
        "ibu",
        "mama",
        "mamah",
        "abang",
        "om",
        "tante",
        "husband",
        "sister",
        "brother",
        "friend",
        "mother",
    ]
)
BREAST = frozenset({"payudara", "susu", "puting"})
WEATHER = frozenset(
    [
        "cuaca",
        "udara",
        "siang",
        "matahari",
        "rumah",
        "kamar",
        "ruangan",
        "palembang",
        "weather",
        "gerah",
        "kegerahan",
        "kepanasan",
        "ac",
        "kipas",
        "luar",
        "outside",
        "cuacanya",
    ]
)
NOT_FEVER_BEFORE = frozenset(
    ["air", "kompres", "mandi", "minum", "water", "compress", "makanan", "nasi"]
)

MOTHER_CONTEXT = frozenset(
    [
        "payudara",
        "puting",
        "nifas",
        "lahiran",
        "hamil",
        "jahitan",
        "keputihan",
        "pembalut",
        "sc",
        "caesar",
        "sesar",
        "menggigil",
        "meriang",
        "kandungan",
        "mastitis",
    ]
)

HYP_OPEN = frozenset({"kalau", "in case", "seandainya"})
STRONG_GENERIC = re.compile(
    r"\b(?:tanda|ciri|gejala|apa itu|itu apa|bedanya|beda|apa are|apa is|apa does|jaga jaga|"
    r"waspada|in case|cara (?:tau|tahu|mengetahui)|gimana (?:do aku |to )?(?:know|tell|tau|tahu)|"
    r"ngapain kalau|harus gimana kalau|what to do)\b"
)
WEAK_GENERIC = re.compile(r"\b(?:bahaya|bahayakah|berbahaya|normal|normalkah|wajar|wajarkah)\b")
GENERIC_DEICTIC = re.compile(r"\b(?:itu|tuh|tu)\b")
PRESENT = re.compile(
    r"\b(?:sekarang|sedang|tadi|semalam|barusan|sejak|dari (?:tadi|pagi|semalam|kemarin|\d+)|"
    r"sudah \d+ (?:hari|jam|minggu))\b"
)

RESOLVED = frozenset(
    [
        "sembuh",
        "sehat",
        "membaik",
        "mendingan",
        "reda",
        "turun",
        "lega",
        "normal",
        "better",
        "recovered",
        "baikan",
    ]
)
PAST = frozenset(["kemarin", "sempat", "dulu"])
PAST_PHRASE = re.compile(r"\b(?:minggu lalu|bulan lalu|hari lalu|last week|waktu itu)\b")

QUESTION_WORDS = frozenset(
    [
        "apa",
        "apakah",
        "gimana",
        "kapan",
        "berapa",
        "kenapa",
        "knp",
        "mengapa",
        "boleh",
        "bolehkah",
        "bisakah",
        "bahaya",
        "cara",
        "caranya",
        "tanda",
        "ciri",
        "gejala",
        "when",
        "why",
        "can",
        "should",
        "does",
        "do",
        "which",
        "where",
        "mana",
        "dimana",
        "gmna",
        "normalkah",
        "perlu",
        "harus",
        "brapa",
    ]
)
