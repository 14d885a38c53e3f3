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


G1, G2, G3, G4, G6 = _g(1), _g(2), _g(3), _g(4), _g(6)


def _g_not_denied(n: int) -> str:
    """Up to n words, none a denial: a gap must not step over "tidak ada"."""
    return r"(?:(?!(?:tidak|tak|bukan|no|not|tanpa|without|never) )[^ ,.?]+ ){0," + str(n) + "}"


_G6_NOT_DENIED = _g_not_denied(6)

_BREAST = r"(?:payudara|susu)"
_NUM = r"\d+(?:\.\d+)?"

RULES: tuple[tuple[str, str], ...] = (
    # ---------------- baby: not feeding / weak suck ----------------
    (
        "BS",
        r"\btidak (?:mau |bisa |kuat |sanggup |pernah )?(?:lagi )?(?:nyusu|minum asi|ngisep|isep|"
        r"hisap|ngenyot|minum|menyusu|nyedot|menyedot)\b",
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
    ("B", r"\b(?:diare|bab) " + _g_not_denied(3) + r"(?:darah|berdarah)\b"),
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
    ("LOSS", r"\bborn (?:still|sleeping|dead|asleep|without a heartbeat)\b"),
    ("LOSS", r"\bdetak jantung " + G2 + r"tidak ada\b"),
    ("LOSS", r"\btidak ada detak jantung\b"),
    ("LOSS", r"\bjanin " + G2 + r"tidak berkembang\b"),
    (
        "LOSS",
        r"\b(?:bayi|anak) "
        + G1
        + r"sudah tidak ada(?= [,.?]| bun\b| kak\b| tadi\b| semalam\b| dari\b| sejak\b|"
        r" di dalam\b|$)",
    ),
    # ---------------- mastitis / breast ----------------
    ("MAST", r"\b(?:mastitis|radang payudara|abses)\b"),
    ("MAST", r"\bpayudara " + G2 + r"(?:meradang|radang|infeksi)\b"),
    ("BR", r"\b" + _BREAST + r" " + G4 + r"(?:merah|panas|anget|sakit|benjolan|memar|wedge)\b"),
    ("BR", r"\b(?:merah|benjolan|sakit) " + G3 + r"(?:di )?" + _BREAST + r"\b"),
    ("BR", r"\b(?:panas merah|merah panas|merah wedge|panas wedge|wedge)\b"),
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
        r"\b(?:asi|susu|kolostrum) " + G3 + r"(?:sedikit|kurang|seret|tidak keluar|belum keluar|"
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
        r"tertekan|lonely|alone|sendirian|kesepian|overthinking|empty|hopeless|putus asa|"
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
) + (
    # ======== round two: the many ways mothers describe the same signs ========
    # ---- convulsions (kind CONV: like S, but "sudah sembuh" never cancels it) ----
    (
        "CONV",
        r"\b(?:kelonjotan|klojotan|kelojotan|kejer2an|menghentak|hentak|hentak2|tersentak|"
        r"jerking|jerks|twitching|twitches|convulsing|shaking uncontrollably|"
        r"(?:having|had|has|a) fits?)\b",
    ),
    ("CONV", r"\bmata " + G3 + r"(?:putih|terbalik|juling|ke atas|rolled|rolling|naik)\b"),
    ("CONV", r"\b(?:tangan|kaki|badan) " + G3 + r"(?:gerak sendiri|gemetar|kelonjotan|hentak)\b"),
    ("CONV", r"\b(?:step|kejang|sawan)\b(?= " + G3 + r"(?:kemarin|tadi|semalam|sempat))"),
    ("BS", r"\bbadan " + G2 + r"kaku\b"),
    # ---- breathing ----
    ("S", r"\b(?:henti napas|apnea|apnoe)\b"),
    ("S", r"\btidak " + G1 + r"napas\b(?! " + G1 + r"(?:lega|lancar))"),
    (
        "S",
        r"\bnapas " + G3 + r"(?:tidak (?:normal|teratur|lancar|bagus|well|benar)|aneh|weird|"
        r"funny|strange|noisy|bunyi|ngik|mengi|berbunyi|susah|sulit|berat|cepat|pendek|"
        r"tersendat|putus|megap|ngap|tarik)\b",
    ),
    ("S", r"\b(?:megap|mengap|tersengal|sengal|ngap ngapan|ngik ngik|mengi|wheeze|wheezes)\b"),
    ("S", r"\b(?:not|tidak) breathing\b"),
    (
        "B",
        r"\b(?:dada|iga|rusuk|ribs|chest) " + G3 + r"(?:cekung|tertarik|ketarik|narik|kempot|"
        r"masuk ke dalam|sucking in|sinks|caving|pulling in)\b",
    ),
    ("B", r"\b(?:retraksi|tarikan dinding dada)\b"),
    (
        "B",
        r"\b(?:bibir|muka|wajah|kulit|kuku|ujung jari|lidah|badan|mulut|lips|face|skin) "
        + G3
        + r"(?:biru|ungu)\b",
    ),
    ("B", r"\b(?:biru|ungu) " + G2 + r"(?:bibir|muka|wajah|kulit|kuku|lips|face)\b"),
    (
        "BS",
        r"\b(?:kulit|badan|muka|wajah|bibir|skin|face|looks|kelihatan|keliatan) " + G2 + r"pucat\b",
    ),
    ("BS", r"\bpucat " + G2 + r"(?:dingin|lemas|lemah|sleepy|ngantuk)\b"),
    ("BS", r"\b(?:kulit|skin|tubuh|body|tangan kaki) " + G2 + r"dingin\b"),
    ("BS", r"\b(?:hipotermia|hypothermia)\b"),
    # ---- lethargy / not waking / not feeding ----
    (
        "LETH",
        r"\b(?:tidak|susah|sulit|hard to) (?:mau |bisa )?(?:bangun|melek|buka mata|wake|"
        r"dibangunin|dibangunkan)\b",
    ),
    (
        "LETH",
        r"\btidur terus " + G3 + r"(?:tidak|susah|sulit|belum) " + G1 + r"(?:bangun|nyusu|melek)\b",
    ),
    ("LETH", r"\b(?:tidak respon|tidak merespon|tidak bereaksi|unresponsive|lunglai|terkulai)\b"),
    ("LETH", r"\b(?:won t|tidak) wake\b"),
    (
        "BS",
        r"\b(?:tidak|belum) (?:mau )?(?:nyusu|minum) " + G2 + r"(?:dari|sejak|seharian|"
        r"sama sekali|\d+ jam)\b",
    ),
    (
        "BS",
        r"\b(?:tidak|belum) "
        + G1
        + r"(?:kuat|bisa|mau) "
        + G1
        + r"(?:isap|hisap|ngisap|ngenyot|nyedot|sedot)\b",
    ),
    ("BS", r"\b(?:isapan|hisapan|sedotan) " + G2 + r"(?:lemah|pelan|tidak kuat)\b"),
    # ---- fever in words ----
    ("FEV", r"\b(?:demam tinggi|panas tinggi|high fever|step panas)\b"),
    # ---- dehydration ----
    (
        "B",
        r"\b(?:ubun|fontanelle|fontanel|soft spot) "
        + G3
        + r"(?:cekung|masuk|kempot|sunken|cowong)\b",
    ),
    ("B", r"\bnangis " + G3 + r"(?:tidak|tanpa) " + G1 + r"airmata\b"),
    ("B", r"\b(?:tanpa|tidak ada|tidak keluar) airmata\b"),
    (
        "B",
        r"\b(?:tidak|belum) "
        + G2
        + r"pipis "
        + G3
        + r"(?:\d+|enam|delapan|sepuluh|seharian|dari pagi|"
        r"dari semalam|sejak)\b",
    ),
    ("B", r"\b(?:tidak|belum|no) (?:ada )?pipis " + G2 + r"(?:in|dalam|for) " + G1 + r"\d+\b"),
    ("B", r"\bpopok " + G3 + r"(?:kering|tidak basah|dry)\b"),
    (
        "B",
        r"\b(?:bibir|mulut|lidah) "
        + G2
        + r"(?:kering|pecah)\b(?= "
        + G4
        + r"(?:diare|muntah|lemas|airmata|pipis))",
    ),
    # ---- vomiting / stool ----
    (
        "B",
        r"\bmuntah "
        + G3
        + r"(?:hijau|green|darah|kuning kehijauan|tiap|setiap|everything|semua)\b",
    ),
    ("B", r"\b(?:green|hijau) " + G1 + r"muntah\b"),
    ("B", r"\bmuntah " + G1 + r"(?:\d+|sepuluh|berkali) ?(?:x|kali)\b"),
    ("B", r"\b(?:darah|berdarah|lendir darah) " + G3 + r"(?:diare|bab|popok|diaper|nappy)\b"),
    ("B", r"\b(?:diare|bab) " + G3 + r"(?:lendir darah|berlendir darah|merah darah)\b"),
    # blood in the stool told at length ("mencretnya ada lendir sama merah2 darah")
    ("B", r"\b(?:diare|bab|pup|poop|stool) " + _G6_NOT_DENIED + r"(?:darah|berdarah|blood)\b"),
    ("B", r"\bdiare " + G2 + r"(?:\d+|sepuluh|berkali) ?(?:x|kali)\b"),
    ("B", r"\bdiare " + G2 + r"(?:lemas|cekung|tidak pipis)\b"),
    # ---- cord / skin / eyes ----
    ("B", r"\bpusar " + G4 + r"(?:merah|bau|nanah|bengkak|berdarah|basah|lengket|keluar cairan)\b"),
    (
        "B",
        r"\b(?:bisul|bintil|bintik|bruntusan|pustules|jerawat|bentol|lenting) "
        + G3
        + r"(?:nanah|banyak)\b",
    ),
    ("B", r"\bmata " + G4 + r"(?:nanah|belek kuning|belekan banyak)\b"),
    ("B", r"\b(?:belek|belekan) " + G2 + r"(?:nanah|banyak bgt|kuning kental)\b"),
    # ---- mild baby symptoms (kind MILD: becomes "question" so a cadre sees it) ----
    (
        "MILD",
        r"\b(?:muntah|diare|kuning|batuk|pilek|ruam|sembelit|cegukan|bersin|flu|ingusan|"
        r"bintik|bintik merah|alergi|gatal|kembung|kolik|colic|rewel|sariawan|keputihan bayi|"
        r"demam ringan|belek|belekan)\b",
    ),
    ("MILD", r"\bbab " + G2 + r"(?:hijau|ijo|keras|cair|berbusa|busa|lendir)\b"),
    ("MILD", r"\b(?:tidak|belum) bab\b"),
    # ---- mother: bleeding ----
    (
        "M",
        r"\b(?:darah|nifas|bleeding|berdarah) "
        + G3
        + r"(?:ngucur|mengucur|ngocor|kucur|ngalir|mengalir|deras|gumpal|gumpalan|"
        r"nembus|tembus|banjir|segede|sebesar|heavy|heavily|a lot|lots)\b",
    ),
    ("M", r"\b(?:gumpal|gumpalan) " + G3 + r"(?:darah|gede|besar|segede|sebesar|telur|kepalan)\b"),
    ("M", r"\bpembalut " + G4 + r"(?:penuh|basah|tembus|nembus|ganti|sejam|jam)\b"),
    ("M", r"\b(?:pad|pads) " + G3 + r"(?:every|tiap|setiap|soaked|full|penuh|jam)\b"),
    ("M", r"\b(?:soaking|soak|soaked|soaks|filling) " + G3 + r"pads?\b"),
    ("M", r"\bbanyak (?:bgt |sekali )?(?:darah|berdarah)\b"),
    # ---- pregnancy: waters, contractions, movements, bleeding ----
    (
        "M",
        r"\b(?:keluar|rembes|ngucur|merembes|bocor|netes) (?:air|cairan) "
        + G4
        + r"(?:jalanlahir|kemaluan|vagina|bening)\b",
    ),
    ("M", r"\b(?:air|cairan) " + G3 + r"(?:jalanlahir|kemaluan|vagina)\b"),
    ("M", r"\b(?:leaking|leak|gush|gushing) " + G2 + r"(?:fluid|water|waters|ketuban)\b"),
    (
        "PREG_M",
        r"\bperut "
        + G3
        + r"(?:sakit|keras|mules|mulas|kram|melilit) "
        + G3
        + r"(?:bgt|hebat|parah|sekali|terus|tidak hilang|tidak ilang|luar biasa)\b",
    ),
    (
        "PREG_M",
        r"\b(?:kontraksi|contractions|mules|mulas) "
        + G2
        + r"(?:terus|sering|kuat|hebat|bgt|tiap|setiap)\b",
    ),
    (
        "PREG_M",
        r"\b(?:kaki|tangan|legs|feet|hands|ankles|seluruh badan|badan) "
        + G3
        + r"(?:bengkak|sembab)\b",
    ),
    ("PREG_M", r"\b(?:bengkak|sembab) " + G2 + r"(?:kaki|tangan|legs|feet|hands)\b"),
    ("PREG_M", r"\bkeputihan " + G3 + r"(?:darah|coklat|merah)\b"),
    ("PREG_M", r"\b(?:darah|bleeding|spotting) " + G3 + r"(?:seger|segar|merah|terang)\b"),
    ("PREG_M", r"\b(?:bleeding|spotting)\b"),
    (
        "MOVE",
        r"\b(?:tidak|jarang|kurang|berkurang|tidak ada|hasnt|not|stopped|belum) "
        + G2
        + r"(?:nendang|menendang|tendang|tendangan|gerak|bergerak|gerakan|moved|moving|"
        r"kicking|kicked|kick|movements|movement)\b",
    ),
    (
        "MOVE",
        r"\b(?:nendang|tendangan|gerakan|gerak|movements|kicks) "
        + G2
        + r"(?:berkurang|jarang|tidak ada|"
        r"lemah|melemah|sedikit|stopped|less)\b",
    ),
    # ---- mother: head, vision, swelling, pressure, fits, breathing, chest, calf ----
    (
        "M",
        r"\bsakit kepala "
        + G2
        + r"(?:mau pecah|pecah|berat|nyut nyutan|ga ilang|tidak ilang|tidak hilang)\b",
    ),
    ("M", r"\bkepala " + G3 + r"(?:mau pecah|kayak dipukul|berat bgt|pecah)\b"),
    (
        "M",
        r"\b(?:sakit kepala|kepala sakit|pusing) "
        + G3
        + r"(?:kabur|berkunang|bengkak|sembab|tensi|hipertensi)\b",
    ),
    (
        "M",
        r"\b(?:pandangan|penglihatan|mata|vision) "
        + G3
        + r"(?:kabur|berkunang|gelap|kunang|silau|double|berbayang|spots|flashing)\b",
    ),
    ("M", r"\b(?:kunang|kunang kunang|seeing spots|flashing lights|flashes)\b"),
    ("M", r"\b(?:muka|wajah|face|kelopak mata|eyelids) " + G4 + r"(?:bengkak|sembab)\b"),
    ("M", r"\b(?:sembab|bengkak) " + G2 + r"(?:muka|wajah|face)\b"),
    ("M", r"\b(?:tensi|hipertensi) " + G3 + r"(?:tinggi|naik|high|1[4-9]\d|2\d\d)\b"),
    ("M", r"\bhipertensi\b"),
    (
        "M",
        r"\b(?:preeklampsia|preeklamsia|eklampsia|eklamsia|pre eclampsia|preeclampsia|eclampsia)\b",
    ),
    ("M", r"\b(?:betis|calf|paha|leg) " + G4 + r"(?:bengkak|sakit|merah|panas|keras|swollen)\b"),
    ("M", r"\b(?:bengkak|sakit) " + G3 + r"(?:betis|calf)\b"),
    ("M", r"\bkaki " + G2 + r"sebelah " + G2 + r"(?:bengkak|sakit|merah)\b"),
    ("M", r"\bkaki " + G3 + r"(?:bengkak|sakit|merah) sebelah\b"),
    ("M", r"\b(?:one|satu) (?:side|leg|kaki)\b(?= " + G4 + r"(?:bengkak|sakit|merah|swollen))"),
    ("S", r"\b(?:sesak|susah napas|napas) " + G3 + r"(?:dada|chest)\b"),
    ("S", r"\b(?:nyeri|sakit) dada\b"),
    # palpitations alone ("jantung deg degan tiap bayi nangis") are anxiety, not a danger sign
    ("S", r"\b(?:jantung|dada) " + G2 + r"(?:berat|ditindih|ketindihan)\b"),
    # ---- mother: infection ----
    (
        "LOCH",
        r"\b(?:nifas|keputihan|lochia|cairan|discharge|darah|lendir) " + G4 + r"(?:bau|amis bgt)\b",
    ),
    ("LOCH", r"\bbau " + G2 + r"(?:nifas|keputihan|discharge)\b"),
    (
        "M",
        r"\b(?:jahitan|operasi|sc|caesar|sesar|stitches|wound|incision|perineum|luka) "
        + G6
        + r"(?:nanah|bau|keluar cairan|merah bengkak|bengkak merah|terbuka|kebuka|lepas|pus|"
        r"oozing)\b",
    ),
    ("CHILL", r"\b(?:demam menggigil|shivering|rigors|ngilu semua)\b"),
    (
        "MW",
        r"\b(?:lemas|lemah) "
        + G2
        + r"(?:tidak bisa|tidak kuat|tidak sanggup) "
        + G1
        + r"(?:bangun|berdiri|jalan)\b",
    ),
    (
        "MW",
        r"\b(?:tidak bisa|tidak kuat) (?:bangun|berdiri) " + G2 + r"(?:kasur|tempat tidur|bed)\b",
    ),
    # ---- self-harm, many phrasings (kind SH) ----
    (
        "SH",
        r"\b(?:mau|ingin) "
        + G2
        + r"(?:ngilang|menghilang|hilang|lenyap|disappear|pergi selamanya|pergi jauh selamanya)\b",
    ),
    (
        "SH",
        r"\b(?:capek|cape|lelah|tired|bosan|bosen|sick) (?:of )?(?:hidup|living|life|to live)\b",
    ),
    ("SH", r"\bmau " + G2 + r"udahan (?:aja|saja|semua|semuanya|hidup)\b"),
    ("SH", r"\bmau " + G2 + r"udahan\b(?= ?(?:[,.?]|$))"),
    (
        "SH",
        r"\b(?:buang|membuang) " + G1 + r"(?:bayi|anak)\b(?! " + G2 + r"(?:sebentar|di rumah|ke))",
    ),
    # hurting the baby: the act must come with an urge, a thought or a near-miss
    # ("hampir ngelempar bayiku"); "harus goyang/shake biar bangun" is not a harm thought
    (
        "SH",
        r"\b(?:mau|hampir|nyaris|kepikiran|pikiran|mikir|terpikir|kebayang|rasanya|almost|urge|"
        r"tergoda|feel like|felt like|takut aku) "
        + G3
        + r"(?:nge|me|n|ny)?(?:bekap|bekep|cekik|yekik|banting|pukul|mukul|guncang|tampar|ampar|"
        r"lempar|buang|jatuhin|jatuhkan|shake|shaking|smother|smothering|suffocate|throw|"
        r"throwing|drop|dropping|hit|hitting|slap|slapping|tutup|tutupin|nutup|nutupin)"
        r"(?:in|kan)? " + G3 + r"(?:bayi|anak|dia|muka|mukanya|wajah|mulut|hidung)\b",
    ),
    (
        "SH",
        r"\b(?:tutup|nutup|nutupin|tutupin|bekap|bekep) "
        + G3
        + r"(?:muka|wajah|mulut|hidung) "
        + G3
        + r"bantal\b",
    ),
    (
        "SH",
        r"\b(?:nyiapin|siapin|nyiapkan|menyiapkan|nyimpen|nyimpan|simpan|ngumpulin|kumpulin|"
        r"stok|nimbun|stockpiling|saving|hoarding) "
        + G2
        + r"(?:obat|pil|pills|tablets|racun|baygon)\b",
    ),
    ("SH", r"\b(?:obat|pil|pills|tablets) " + G4 + r"(?:diminum sekaligus|sekaligus)\b"),
    (
        "SH",
        r"\b(?:ngelukain|lukain|ngelukai|melukai|nyayat|nyilet|menyayat) "
        + G1
        + r"(?:diri|aku|tangan|nadi)\b",
    ),
    ("SH", r"\bmau " + G4 + r"tidak (?:usah |perlu )?bangun (?:lagi|selamanya)\b"),
    (
        "SH",
        r"\b(?:mau|ingin) "
        + G2
        + r"(?:nyusul|menyusul) "
        + G2
        + r"(?:almarhum|almarhumah|alm|mendiang|ke surga|ke alam sana)\b",
    ),
    ("SH", r"\b(?:kubekap|kubekep|kucekik|kubanting|kupukul|kuguncang)\b"),
    (
        "SH",
        r"\b(?:smother|smothering|suffocate|suffocating) " + G2 + r"(?:bayi|anak)\b",
    ),
    (
        "SH",
        r"\b(?:minum|nelen|telan|menelan|take|taking) "
        + G1
        + r"(?:obat|pil|pills|tablets|racun|baygon|obat nyamuk|bleach|pembersih lantai) "
        + G3
        + r"(?:banyak|semua|sekaligus|biar|supaya|all)\b",
    ),
    (
        "SH",
        r"\b(?:(?:pegang|megang|genggam|holding) " + G1 + r"(?:silet|cutter|razor)|"
        r"(?:luwih|lebih) (?:becik|apik|baik) " + G2 + r"(?:tidak|ora) (?:ono|ada)|"
        r"overdose|over dose|tidurselamanya|potong nadi|sayat|silet tangan|"
        r"gantung|jump off|terjun|loncat dari|lompat " + G2 + r"dari)\b",
    ),
    (
        "SH",
        r"\b(?:tidak|no) (?:point|reason|alasan|gunanya) "
        + G2
        + r"(?:hidup|living|to live|go on)\b",
    ),
    ("SH", r"\btidak (?:bisa )?go on\b"),
    ("SH", r"\b(?:end|ending|ended) (?:it|things|everything|semua)\b"),
    ("SH", r"\b(?:better|lebih baik|mending|better off) " + G3 + r"tanpa aku\b"),
    ("SH", r"\b(?:dont|tidak) (?:want|mau) to (?:live|be here|be alive|exist|wake up)\b"),
    (
        "SH",
        r"\b(?:wish|want|mau|ingin|pengen) "
        + G2
        + r"(?:dead|mati|meninggal|tidak ada|tidak pernah lahir|tidak usah hidup)\b",
    ),
    (
        "SH",
        r"\b(?:kepikiran|pikiran|mikir|terpikir|kebayang|bayangin|membayangkan|thinking|"
        r"thoughts?|thought) "
        + G3
        + r"(?:mati|bunuh|ngakhirin|mengakhiri|akhiri|ending|suicide|dying|die|celakain|"
        r"mencelakai|celaka)\b",
    ),
    ("SH", r"\b(?:celakain|mencelakai|nyelakain) " + G1 + r"(?:bayi|anak|diri|aku)\b"),
    ("SH", r"\b(?:harm|harming|kill) " + G1 + r"(?:bayi|anak)\b"),
    ("SH", r"\b(?:ngakhirin|mengakhiri|akhiri) hidup\b"),
    ("SH", r"\bmati (?:aja|saja|bae)\b"),
    # ---- loss ----
    (
        "LOSS",
        r"\b(?:detak jantung|detakjantung) " + G3 + r"(?:tidak ada|berhenti|hilang|none|stopped)\b",
    ),
    ("LOSS", r"\b(?:tidak ada|no) (?:detak jantung|detakjantung)\b"),
    (
        "LOSS",
        r"\b(?:bayi|anak|janin) " + G2 + r"(?:sudah )?(?:pergi duluan|pergi selamanya|berpulang|"
        r"tidak tertolong|tidak selamat|tidak bernyawa|tidak bisa diselamatkan)\b",
    ),
    ("LOSS", r"\b(?:pergi duluan|tidak tertolong|didn t make it|didnt make it|tidak make it)\b"),
    ("LOSS", r"\b(?:died|passed|gone|lost) " + G2 + r"(?:bayi|anak|janin)\b"),
    ("LOSS", r"\b(?:makam|pemakaman|dikubur|dimakamkan|funeral|burial|almarhum|almarhumah|alm)\b"),
    # ---- breast ----
    ("ENG", r"\b(?:lumpy|lumpiness|ngeganjel|ngeganjal|kencang bgt|batu)\b(?= " + G4 + r"|$)"),
    ("ENG", r"\b(?:saluran|duct|ducts) " + G2 + r"(?:tersumbat|mampet|buntu|blocked|clogged)\b"),
    ("BR", r"\b(?:garis merah|red streak|red streaks|red patch|merah kayak memar)\b"),
    # ---- mood ----
    (
        "MOOD",
        r"\b(?:tidak berguna|tidak berharga|useless|worthless|numb|mati rasa|tidak ada perasaan|"
        r"tidak bonding|tidak feel " + G1 + r"(?:bonded|connected|anything|love|apa apa)|"
        r"tidak (?:sayang|cinta|connected)|tidak sayang|tidak enjoy|enjoy nothing|tidak menikmati|"
        r"pikiran " + G1 + r"(?:kemana|kacau|ruwet|negatif|kosong)|mau teriak|pengen teriak|teriak|"
        r"bentak|membentak|ngamuk|gampang marah|irritable|berantakan|capek mental|lelah mental|"
        r"burnout|burn out|tidak semangat|tidak bahagia|unhappy|miserable|worried|panik|panic|"
        r"scared|ketakutan|gelisah|resah|insomnia|menyesal|nyesel|regret|tidak sanggup|"
        r"tidak kuat lagi|hopeless|bersalah|guilty|struggling|berat bgt rasanya)\b",
    ),
    ("CRYM", r"\bnangis " + G2 + r"(?:sendiri|tiap|setiap|terus|diam diam|all|sejak)\b"),
    ("CRYM", r"\bmau " + G1 + r"nangis\b"),
)

# ======== round three: wording from the first two blind sets, by kind ========
ROUND3: tuple[tuple[str, str], ...] = (
    # ---- baby: vomits everything, poor feeding, no urine, spreading jaundice ----
    ("B", r"\bmuntah " + G3 + r"(?:nyembur|menyembur|projectile|muncrat)\b"),
    ("B", r"\b(?:nyembur|menyembur|projectile) " + G1 + r"muntah\b"),
    (
        "B",
        r"\b(?:semua|apapun|apa aja|apa saja|whatever|anything) "
        + G4
        + r"(?:keluar lagi|dimuntahin|dimuntahkan|muntah)\b",
    ),
    (
        "B",
        r"\bkuning "
        + G4
        + r"(?:sampai|sampe|to|until|ke|down to) "
        + G2
        + r"(?:perut|kaki|paha|telapak|legs|belly|tangan|lutut)\b",
    ),
    ("BS", r"\b(?:males|malas|payah|lazy) " + G1 + r"(?:nyusu|minum)\b"),
    ("BS", r"\bnyusu " + G2 + r"(?:payah|males|malas)\b"),
    ("BS", r"\b(?:can|bisa) barely (?:nyusu|minum|suck)\b"),
    # ---- mother: waters, weakness, collapse ----
    ("PREG_M", r"\b(?:celana|rok|kasur|sprei|seprai|paha) " + G3 + r"basah\b"),
    ("S", r"\bnapas " + G2 + r"(?:berhenti|stop|stopped)\b"),
    ("MW", r"\b(?:barely|hardly|tidak bisa|tidak kuat) (?:stand|berdiri|walk|get up)\b"),
    # ---- self-harm: euphemisms, plans ----
    # (see RULES: intent + act, stockpiled pills, "nyusul almarhumah")
    # ---- loss: euphemisms ----
    (
        "LOSS",
        r"\bdipanggil (?:yang maha kuasa|yang kuasa|tuhan|allah|sang pencipta|sang khalik)\b",
    ),
    ("LOSS", r"\bsudah tidak ada (?:di dalam|dalam kandungan|di perut|di rahim)\b"),
    ("LOSS", r"\b(?:sudah di surga|jadi malaikat|kembali ke pangkuan)\b"),
    # ---- breast: fullness words, areola, red skin round the nipple ----
    (
        "ENG",
        r"\b(?:payudara|susu|areola) "
        + G4
        + r"(?:tegang|begah|huge|shiny|mengkilap|rocks|rock|batu|mau pecah|meledak)\b",
    ),
    ("ENG", r"\b(?:penuh|keras|bengkak|kencang) " + G3 + r"(?:mau pecah|meledak|kayak batu)\b"),
    ("ENG", r"\b(?:skip|skipping|skipped|kelewat|bolos|telat) " + G2 + r"(?:pump|mompa|perah)\b"),
    ("BR", r"\bputing " + G4 + r"(?:sekitar|area|around) " + G2 + r"(?:merah|bengkak|panas)\b"),
    # ---- latch: a compressed nipple after a feed ----
    ("LATCH", r"\bputing " + G4 + r"(?:squashed|gepeng|penyet|pipih|creased|flattened)\b"),
    ("LATCH", r"\b(?:clamps|clamping|chomps|chomping|chews|chewing|digigit|gigit)\b"),
    # ---- low milk ----
    (
        "LOW",
        r"\b(?:kiri|kanan|sebelah) (?:yang )?(?:kering|tidak keluar|"
        r"sedikit(?= bgt| sekali| aja| saja| [,.?]|$))",
    ),
    ("LOW", r"\b(?:kolostrum) " + G3 + r"(?:belum keluar|tidak keluar|sedikit|tidak ada)\b"),
    ("LOW", r"\b(?:asi|susu) " + G3 + r"(?:abis|habis)\b"),
    (
        "LOW",
        r"\b(?:increase|nambah|nambahin|menambah|naikin|menaikkan|meningkatkan|boost|"
        r"perbanyak|memperbanyak|banyakin) " + G2 + r"(?:asi|supply|produksi)\b",
    ),
    ("LOW", r"\b(?:laper|lapar|hungry) (?:terus|mulu|melulu|all the time)\b"),
    ("LOW", r"\bpayudara " + G2 + r"kempes\b"),
    # ---- mood: bonding, guilt, self-esteem, no help ----
    (
        "MOOD",
        r"\btidak (?:ngerasa|merasa|ada rasa|feel) "
        + G1
        + r"(?:sayang|deket|dekat|bonding|cinta|connected|terikat|bonded)\b",
    ),
    (
        "MOOD",
        r"\b(?:ibu (?:yang )?(?:jahat|buruk|gagal|tidak becus)|bad (?:mom|mother)|"
        r"terrible (?:mom|mother)|aku jahat|minder|insecure|benci (?:diri|badan)|"
        r"(?:feel|feeling|feels|merasa|ngerasa|bgt|jadi|jd|makin|lagi) down|down bgt)\b",
    ),
    ("MOOD", r"\b(?:pikiran " + G2 + r"kacau|kacau " + G2 + r"pikiran)\b"),
    (
        "MOOD",
        r"\btidak ada (?:yang )?(?:nolong|nolongin|menolong|bantu|bantuin|peduli|ngerti|"
        r"ngertiin)\b",
    ),
    ("MOODS", r"\bmalu\b"),
    # ---- her flu-like aches: a fever sign that turns a red breast into mastitis ----
    (
        "ACHE",
        r"\b(?:(?:badan|body) "
        + G2
        + r"(?:pegel|pegal|ngilu|remuk|linu)|(?:kayak|seperti|kyk|mau) "
        r"(?:mau )?flu)\b",
    ),
    # ---- mild baby symptoms ----
    ("MILD", r"\b(?:ngelupas|kulit " + G1 + r"kering)\b"),
    # ---- cord bleeding, a large clot, no movement (Palembang), harm feared ----
    ("B", r"\b(?:darah|berdarah) " + G3 + r"(?:dari|di) pusar\b"),
    (
        "M",
        r"\b(?:clot|gumpalan) "
        + G4
        + r"(?:size|sebesar|segede) "
        + G2
        + r"(?:fist|kepalan|telur)\b",
    ),
    ("MOVE", r"\btidak (?:begerak|bergerak|gerak)\b"),
    ("SH", r"\btakut " + G2 + r"(?:nyakitin|menyakiti|nyakiti|melukai) dia\b"),
    # ---- foul lochia said in a longer sentence; a baby who cannot suck ----
    (
        "LOCH",
        r"\b(?:nifas|lochia|berdarah|darah) "
        + G6
        + r"(?:bau|greenish|hijau|kehijauan)\b(?! "
        + G1
        + r"(?:pusar|bab|popok))",
    ),
    (
        "BS",
        r"\btidak (?:bisa |mau )?(?:suck|sucking|isap|hisap)\b(?! " + G1 + r"(?:puting|payudara))",
    ),
)

# ======== round five: kinds of misses in four voices (slang, rural, English, fragments) ====
ROUND5: tuple[tuple[str, str], ...] = (
    # ---- a breast sign named by its side or in a dialect ("dado kiri", "nenen kanan",
    # "payudara kiwa atos"), a clogged duct turning red, a red patch/lump on the breast:
    # with chills this is mastitis, not a maternal danger sign ----
    (
        "BR",
        r"\b(?:payudara|susu|dado|nyusu) (?:aku |saya )?(?:kiri|kanan|kiwa|tengen|sebelah)\b "
        + G3
        + r"(?:bengkak|merah|keras|atos|panas|sakit|benjolan)\b",
    ),
    ("BR", r"\b(?:mampet|tersumbat|clogged|blocked) " + G6 + r"merah\b"),
    ("BR", r"\b(?:pink|merah|red) (?:patch|area|spot) " + G4 + r"payudara\b"),
    ("BR", r"\bbenjolan " + G3 + r"merah\b"),
    # ---- self-harm: farewell letters, "cannot keep going", "no use in my living" ----
    (
        "SH",
        r"\b(?:wrote|write|writing|nulis|tulis|menulis) (?:letters?|surat)\b "
        + G6
        + r"(?:just in case|berhenti|pamit|goodbye|terakhir|selamanya)\b",
    ),
    ("SH", r"\btidak (?:think |rasa )?(?:aku )?(?:can|bisa) (?:keep going|go on|bertahan lagi)\b"),
    ("SH", r"\btidak (?:ana|ada) (?:gunane|gunanya) aku (?:urip|hidup)\b"),
)

# ======== round seven: danger signs in lay words, worked through sign by sign =========
ROUND7: tuple[tuple[str, str], ...] = (
    # ---- one leg bigger than the other (a clot): "satu kaki aku gede sebelah, merah" ----
    ("M", r"\b(?:kaki|betis|paha|calf|leg) " + G4 + r"(?:gede|besar|bengkak|bigger) sebelah\b"),
    (
        "M",
        r"\b(?:satu|sebelah|one) (?:kaki|betis|calf|leg)\b "
        + G4
        + r"(?:bengkak|gede|besar|bigger|merah|keras)\b",
    ),
    # ---- cannot breathe in deeply ("napas ga bisa dalem", "can't take a deep breath") ----
    ("S", r"\bnapas " + G1 + r"tidak (?:bisa |bisa napas )?(?:dalam|dalem|panjang|lega|lancar)\b"),
    ("S", r"\btidak (?:bisa )?(?:tarik )?napas (?:dalam|dalem|panjang|lega|lancar)\b"),
    # ---- eyes not opened all day ("ga pernah melek dari pagi") ----
    (
        "LETH",
        r"\btidak (?:pernah )?(?:melek|buka mata|membuka mata|bangun) "
        + G1
        + r"(?:dari pagi|dari semalam|seharian|dari tadi|sejak|all day)\b",
    ),
    # ---- the cord bleeding, told the other way round ("bleeding from the cord") ----
    ("B", r"\b(?:berdarah|darah|pendarahan) (?:dari |from |di )?(?:the |tali )?pusar\b"),
    # ---- harm to the baby: losing control with the child, a harm pictured with relief ----
    (
        "SH",
        r"\b(?:khilaf|kalap|gelap mata|lepas kendali|hilang kendali|lose control|snap) "
        + G1
        + r"(?:ke |sama |pada |on |with )?(?:bayi|anak)\b",
    ),
    (
        "SH",
        r"\b(?:kebayang|terbayang|ngebayangin|bayangin|membayangkan|imagine|picture) "
        + G1
        + r"bayi "
        + G3
        + r"(?:jatuh|mati|meninggal|hilang|tenggelam)\b(?= "
        + G6
        + r"(?:lega|relief|relieved|seneng|senang))",
    ),
    # ---- a means and "that thought" ("tiap liat tali jemuran ada pikiran itu terus") ----
    (
        "SH",
        r"\b(?:tali|pisau|silet|racun|jembatan|rel|rope|knife|razor) "
        + G6
        + r"(?:pikiran itu|kepikiran itu|pikiran aneh|pikiran buruk|pikiran jelek|that thought)\b",
    ),
    # ---- farewells: leaving the child in someone's care, "ready" after saying goodbye ----
    ("SH", r"\b(?:pamit|pamitan|goodbye)\b.*\btitip (?:anak|bayi|anak anak)\b"),
    ("SH", r"\b(?:pamit|pamitan)\b.*\b(?:buat semua|for everything)\b.*\bsudah siap\b"),
    # ---- every feed coming back, all of it ----
    ("B", r"\bmuntah\b[^.?]*\b(?:semua of it|keluar semua|semua keluar)\b"),
    # ---- if she were gone, her husband could marry someone better ----
    (
        "SH",
        r"\bkalau aku (?:mati|tidak ada)\b[^.?]*\b(?:nikah lagi|nikah meneh|menikah lagi|"
        r"cari istri|lebih bahagia|better off|happier)\b",
    ),
    # ---- a letter explaining why she chose to stop; giving her things away ----
    (
        "SH",
        r"\bsurat\b.*\b(?:milih|memilih|pilih|chose) (?:untuk |to )?(?:berhenti|pergi|mati|stop)\b",
    ),
    (
        "SH",
        r"\b(?:kasih|kasihin|bagi|bagiin|ngasih|gave away|give away|giving away) "
        + G3
        + r"(?:barang|barang barang|baju|possessions|things|stuff)\b"
        r".*\btidak (?:need|perlu|butuh)\b",
    ),
    # ---- a plan without the day ("I already know how I would do it") ----
    (
        "SH",
        r"\b(?:know|tahu|tau) gimana aku (?:would|will|akan|mau) do it\b.*\b(?:day|hari|tanggal)\b",
    ),
    # ---- self-harm: searching how many pills it takes ----
    (
        "SH",
        r"\b(?:gimana many|berapa) (?:banyak )?(?:pills|tablets|obat|butir|pil) "
        + G3
        + r"(?:it takes|take to|to mati|to end|buat mati|biar mati|sampai mati|overdosis|"
        r"overdose|tidak wake|biar tidak bangun)\b",
    ),
    (
        "SH",
        r"\b(?:looking up|looked up|googling|googled|searching|searched|nyari|cari|browsing) "
        + G2
        + r"(?:gimana many pills|gimana to mati|cara mati|cara bunuh diri|cara mengakhiri)\b",
    ),
    # ---- the baby shaken hard in anger ("goyang2in dedek kenceng banget karena kesel") ----
    (
        "SH",
        r"\b(?:goyang|goyangin|guncang|guncangin|ngeguncang|shook|shake|shaking) "
        + G1
        + r"bayi "
        + G2
        + r"(?:kenceng|keras|kuat|hard|kesel|marah|angry|emosi)\b",
    ),
    # ---- a weak suck told as no strength ("gak ada tenaga buat ngisep") ----
    (
        "BS",
        r"\btidak (?:ada |punya )?(?:tenaga|kekuatan|power|strength) "
        + G2
        + r"(?:nyusu|ngisep|isep|isap|hisap|nyedot|sedot|ngenyot|minum|suck)\b",
    ),
    # ---- moves only when stimulated ("gerak cuma kalau dicolek", "only moves when touched")
    (
        "LETH",
        r"\b(?:gerak|bergerak|nangis|bangun|respon|melek|moves|reacts) (?:cuma|hanya|baru|only) "
        + G1
        + r"(?:dicolek|disentuh|dirangsang|dicubit|digoyang|digoyangin|ditepuk|dikelitik|"
        r"disentil|dipegang|diguncang|touched|poked|shaken|pinched)\b",
    ),
    (
        "LETH",
        r"\bonly (?:moves|reacts|responds|wakes|cries) when "
        + G1
        + r"(?:touched|poked|shaken|pinched|stimulated|tickled)\b",
    ),
    # ---- blood in what she brings up ("ada darah di muntahan dedek") ----
    ("B", r"\b(?:darah|berdarah) " + G2 + r"muntah\b"),
    # ---- pus in the eyes told as a yellow/green discharge ("mata merah keluar kotoran kuning")
    (
        "B",
        r"\bmata "
        + G4
        + r"(?:kotoran|cairan|belek|belekan|lendir|discharge) (?:kuning|hijau|kental|yellow)\b",
    ),
    # ---- watery stool that keeps coming ("pup cair terus kayak air") ----
    ("B", r"\bbab " + G2 + r"(?:cair|encer) " + G1 + r"(?:terus|seperti air|kayak air|kaya air)\b"),
    ("B", r"\bbab " + G2 + r"(?:cair|encer) " + G1 + r"(?:[89]|1\d) ?(?:x|kali)\b"),
    ("B", r"\bbab " + G1 + r"(?:seperti|kayak|kaya) air " + G1 + r"(?:terus|\d+ ?(?:x|kali))\b"),
    # ---- one wet nappy in a day ("pipisnya cuma sekali dari pagi") ----
    (
        "BS",
        r"\bpipis (?:cuma|hanya|baru) (?:sekali|1 ?x|1 kali|satu kali) "
        + G2
        + r"(?:dari pagi|seharian|sehari|hari ini|dari semalam|24 jam|dari kemarin|today)\b",
    ),
    # ---- jaundice past two weeks counted in days ("kuning udah 15 hari belum ilang") ----
    ("B", r"\bkuning " + G3 + r"(?:1[5-9]|[2-9]\d) hari\b"),
    ("B", r"\b(?:1[5-9]|[2-9]\d) hari " + G3 + r"kuning\b(?! telur)"),
)
RULES = RULES + ROUND3 + ROUND5 + ROUND7

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
        "mau",
        # round four: "gak pernah kepikiran nyakitin dedek" is a denied thought
        "kepikiran",
        "terpikir",
        "berpikir",
        # round seven: "ga pernah mikir bunuh diri", "I never thought about hurting myself"
        "mikir",
        "mikirin",
        "pikir",
        "pikiran",
        "think",
        "thought",
        "about",
    ]
)
POST_NEG_OK = frozenset(["kok", "sih", "ya", "kak", "bun", "kan", "tidak", "lah", "dong"])

BABY = frozenset({"bayi", "anak", "janin", "keponakan"})
OTHER_CHILD = frozenset({"keponakan"})  # a relative's child: her own baby is not meant
MOTHER = frozenset({"aku", "istri"})  # "istri saya" is written by her husband about her
# a baby after these is an object ("gak kuat bangun ngurus bayi"), not whose sign it is
OBJECT_VERBS = frozenset(
    [
        "ngurus",
        "ngurusin",
        "urus",
        "mengurus",
        "gendong",
        "gendongin",
        "menggendong",
        "jagain",
        "mandiin",
        "mandiin",
        "nyusuin",
        "born",
        "lahir",
        "care",
    ]
)
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
BREAST = frozenset({"payudara", "susu", "puting", "areola"})
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
        # round seven: warm from the sun ("anget dikit abis dijemur")
        "dijemur",
        "berjemur",
        "jemur",
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
    r"\b(?:tanda|ciri|gejala|apa itu|itu apa|bedanya|beda antara|apa are|apa is|apa does|jaga jaga|"
    r"waspada|in case|cara (?:tau|tahu|mengetahui)|gimana (?:do aku |to )?(?:know|tell|tau|tahu)|"
    r"ngapain kalau|harus gimana kalau|what to do|for later|buat nanti)\b"
)
WEAK_GENERIC = re.compile(r"\b(?:bahaya|bahayakah|berbahaya|normal|normalkah|wajar|wajarkah)\b")
GENERIC_DEICTIC = re.compile(r"\b(?:itu|tuh|tu)\b")
NOT_DEICTIC = re.compile(
    r"\b(?:(?:abis|habis|setelah|sesudah|karena|gara gara|terus) itu|suhu normal)\b"
)
PRESENT = re.compile(
    r"\b(?:sekarang|sedang|tadi|semalam|barusan|sejak|dari (?:tadi|pagi|semalam|kemarin|\d+)|"
    r"sudah \d+ (?:hari|jam|minggu))\b"
)

RESOLVED = frozenset(
    [
        "berhenti",
        "hilang",
        "ilang",
        "copot",
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
        "gone",
        "lewat",
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
