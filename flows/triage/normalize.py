"""Normaliser: turn a mother's WhatsApp line into canonical tokens.

Informal Indonesian, Palembang Malay and English are mapped onto one small
canonical (Indonesian) vocabulary, so that one pattern covers "gak mau nenen",
"dak galak nyusu" and "won't feed".  Pure stdlib, no I/O.

Output: a list of tokens.  Punctuation becomes boundary tokens: "," ends a
clause, "." ends a sentence and "?" ends a question sentence.
"""

from __future__ import annotations

import re
import unicodedata

# --- multi-word phrases, replaced on the lowercased text before tokenising ----------------
_PHRASES: tuple[tuple[str, str], ...] = (
    ("passed away", "meninggal"),
    ("pass away", "meninggal"),
    ("passed out", "pingsan"),
    ("water broke", "ketuban pecah"),
    ("waters broke", "ketuban pecah"),
    ("my water has broken", "ketuban pecah"),
    ("belly button", "pusar"),
    ("tali pusat", "pusar"),
    ("tali pusar", "pusar"),
    ("tali puser", "pusar"),
    ("susu formula", "sufor"),
    ("formula milk", "sufor"),
    ("cak mano", "gimana"),
    ("mak mano", "gimana"),
    ("caro mano", "gimana"),
    ("dak katek", "tidak ada"),
    ("idak katek", "tidak ada"),
    ("spit up", "gumoh"),
    ("spits up", "gumoh"),
    ("spitting up", "gumoh"),
    ("throwing up", "muntah"),
    ("throws up", "muntah"),
    ("threw up", "muntah"),
    ("gave birth", "lahiran"),
    ("had baby", "lahiran"),
    ("had my baby", "lahiran"),
    ("c section", "sc"),
    ("c-section", "sc"),
    ("si kecil", "bayi"),
    ("baby blues", "babyblues"),
    ("wet diaper", "pipis"),
    ("wet diapers", "pipis"),
    ("wet nappy", "pipis"),
    ("wet nappies", "pipis"),
    ("burning up", "demam"),
    ("running a fever", "demam"),
    ("right now", "sekarang"),
    ("went away", "sembuh"),
    ("dipanggil allah", "meninggal"),
    ("lahir mati", "stillborn"),
    ("panas dingin", "menggigil"),
    ("apa kabar", "halo"),
    # round two: danger signs in everyday words
    ("hurt myself", "nyakitin diri"),
    ("hurting myself", "nyakitin diri"),
    ("harm myself", "nyakitin diri"),
    ("harming myself", "nyakitin diri"),
    ("kill myself", "bunuh diri"),
    ("cut myself", "nyakitin diri"),
    ("cutting myself", "nyakitin diri"),
    ("killing myself", "bunuh diri"),
    ("end my life", "bunuh diri"),
    ("take my own life", "bunuh diri"),
    ("hurt my baby", "nyakitin bayi"),
    ("hurt him", "nyakitin bayi"),
    ("hurt her", "nyakitin bayi"),
    ("harm him", "nyakitin bayi"),
    ("harm her", "nyakitin bayi"),
    ("refuses to feed", "tidak mau nyusu"),
    ("refusing to feed", "tidak mau nyusu"),
    ("refused to feed", "tidak mau nyusu"),
    ("refuses the breast", "tidak mau nyusu"),
    ("refusing the breast", "tidak mau nyusu"),
    ("refuses to nurse", "tidak mau nyusu"),
    ("refusing to nurse", "tidak mau nyusu"),
    ("cold to the touch", "badan dingin"),
    ("hurt the baby", "nyakitin bayi"),
    ("harm my baby", "nyakitin bayi"),
    ("harm the baby", "nyakitin bayi"),
    ("shortness of breath", "sesak napas"),
    ("short of breath", "sesak napas"),
    ("out of breath", "sesak napas"),
    ("hard to breathe", "susah napas"),
    ("trouble breathing", "susah napas"),
    ("stopped breathing", "henti napas"),
    ("stops breathing", "henti napas"),
    ("berhenti napas", "henti napas"),
    ("berhenti nafas", "henti napas"),
    ("blacked out", "pingsan"),
    ("lost consciousness", "pingsan"),
    ("rolled back", "ke atas"),
    ("rolling back", "ke atas"),
    ("rolled up", "ke atas"),
    ("rolling up", "ke atas"),
    ("flu like", "meriang"),
    ("flu-like", "meriang"),
    ("like the flu", "meriang"),
    ("like i have the flu", "meriang"),
    ("like i had the flu", "meriang"),
    ("body aches", "meriang"),
    ("air mata", "airmata"),
    ("no tears", "tanpa airmata"),
    ("jalan lahir", "jalanlahir"),
    ("ubun ubun", "ubun"),
    ("tidur selamanya", "tidurselamanya"),
    ("sleep forever", "tidurselamanya"),
    ("never wake up", "tidurselamanya"),
    ("tidak bangun lagi", "tidurselamanya"),
    ("gak bangun lagi", "tidurselamanya"),
    ("ga bangun lagi", "tidurselamanya"),
    ("nggak bangun lagi", "tidurselamanya"),
    ("dak bangun lagi", "tidurselamanya"),
    ("lahir meninggal", "stillborn"),
    ("meninggal dalam kandungan", "stillborn"),
    ("tekanan darah", "tensi"),
    ("blood pressure", "tensi"),
    ("darah tinggi", "hipertensi"),
    ("high bp", "hipertensi"),
    ("passed on", "meninggal"),
    ("not responding", "tidak respon"),
    ("no response", "tidak respon"),
    ("doesnt respond", "tidak respon"),
    ("won't respond", "tidak respon"),
    ("wont respond", "tidak respon"),
    ("runny nose", "pilek"),
    ("stuffy nose", "pilek"),
    ("hidung mampet", "pilek"),
    ("hidung meler", "pilek"),
    ("ingus", "pilek"),
    ("detak jantung", "detakjantung"),
    # round three: everyday wording seen in the first two blind sets
    ("catch my breath", "napas"),
    ("catch her breath", "napas"),
    ("catch his breath", "napas"),
    ("come in", "keluar"),
    ("came in", "keluar"),
    ("coming in", "keluar"),
    ("apa apa", "apapun"),
    ("apo apo", "apapun"),
    ("cleared up", "sembuh"),
    ("clear up", "sembuh"),
    ("gone now", "sembuh"),
    ("kipas angin", "kipas"),
    ("my wife", "istri"),
    ("tilar donya", "meninggal"),
    ("darah tinggi", "hipertensi"),
    ("cuaco", "cuaca"),
    ("maisap", "isap"),
    ("awakku", "badan aku"),
    ("mau bengi", "semalam"),
    ("aek mato", "airmata"),
    ("denyut jantung", "detakjantung"),
    ("heartbeat", "detakjantung"),
    ("heart beat", "detakjantung"),
    # round seven: "myself" in Palembang / Javanese, soles and palms in Sundanese / Javanese
    ("awak dewek", "diri sendiri"),
    ("awakku dewek", "diri sendiri"),
    ("awak dewe", "diri sendiri"),
    ("awakku dewe", "diri sendiri"),
    ("dampal suku", "telapak kaki"),
    ("dampal leungeun", "telapak tangan"),
    ("epek epek", "telapak tangan"),
    # vomiting everything told as the feed coming back; waters; cutting an arm
    ("comes right back out", "muntah"),
    ("comes right back up", "muntah"),
    ("comes back out", "muntah"),
    ("comes back up", "muntah"),
    ("came back up", "muntah"),
    ("came right back up", "muntah"),
    ("water just broke", "ketuban pecah"),
    ("waters just broke", "ketuban pecah"),
    ("running down my leg", "ketuban rembes"),
    ("cutting my arm", "nyakitin diri"),
    ("cutting my arms", "nyakitin diri"),
    ("cutting my wrist", "nyakitin diri"),
    ("cutting my wrists", "nyakitin diri"),
    ("cut my arm", "nyakitin diri"),
    ("cut my wrist", "nyakitin diri"),
    ("cut my wrists", "nyakitin diri"),
    ("labiah baiak", "lebih baik"),
    ("cant keep anything down", "muntah semua"),
    ("can not keep anything down", "muntah semua"),
    ("cannot keep anything down", "muntah semua"),
    ("wont keep anything down", "muntah semua"),
    ("doesnt keep anything down", "muntah semua"),
    ("projectile vomiting", "muntah menyembur"),
)
_PHRASE_RE = re.compile(
    r"\b(?:"
    + "|".join(re.escape(p) for p, _ in sorted(_PHRASES, key=lambda x: -len(x[0])))
    + r")\b"
)
_PHRASE_MAP = dict(_PHRASES)

# --- single-token canonical map ----------------------------------------------------------
_GROUPS: dict[str, str] = {
    # negation
    "tidak": "gk ga gak gag nggak ngga nggk enggak engga ngak nda ndak tdk tak dak idak kagak kada "
    "kaga kgk "
    "gx g tida no not dont doesnt didnt isnt wasnt arent never nor wont cant cannot couldnt "
    "aint hasnt havent nope ndk gk",
    "bukan": "bkn bukan",
    "belum": "blm blom belom blum",
    "tanpa": "tanpa without",
    # intensity
    "bgt": "bgt bngt banget bgd bgtt nian very really so sangat too extremely amat",
    # pronouns / people
    "aku": "sy saya aq ak gw gue gua aku i me myself ane sya im ive ulun",
    "suhu": "suhu temp temperature suhunya",
    "dada": "dada chest",
    "semua": "semua everything all",
    "kaku": "kaku stiff",
    "tanda": "tanda tando sign signs",
    "gejala": "gejala symptom symptoms",
    "istri": "istri wife istriku bini bojoku",
    "keponakan": "keponakan ponakan ponakanku keponakanku nephew niece",
    "bayi": "dedek dede dek adek adik debay bayi baby bby babies newborn infant bayinya ading "
    "he she him bb",
    "anak": "anak anakku budak kid child son daughter cucu bocah putuku",
    "suami": "suami husband hubby paksu",
    "bapak": "bapak ayah papa papah bapaknya father dad",
    "mertua": "mertua nenek kakek nenekku grandma",
    # time / aspect
    "sudah": "udah udh sudah sdh dah uda udahh sudh already la",
    "sekarang": "sekarang skrg skr skrng skarang skrang kini now currently",
    "kemarin": "kemaren kemarin kmrn kmaren kmrin yesterday",
    "semalam": "semalem semalam semaleman smlm malem",
    "tadi": "td tadi tdi barusan",
    "terus": "trs terus trus teros terus2 trs2 always constantly bae",
    "dari": "dr dari dri since",
    "lagi": "lg lagi lagii",
    "sempat": "sempet sempat",
    "juga": "jg juga jugak pulo pula",
    "yang": "yg yang yng",
    "tapi": "tp tpi tapi but namun",
    "kalau": "kalo klo kl kalau kalu jika bila apabila if seandainya andai misal misalnya nek yen",
    "gimana": "gmn gimana gmna gmana gimn bagaimana bgmn gimane how",
    "sama": "samo sama sm ama",
    "mau": "mau mo pengen pgn pingin pengin ingin pngn kepengen want wanna galak nak",
    "bisa": "bs bisa biso bsa kawa",
    "karena": "krn karna karena soalnya coz because",
    # body / baby danger vocabulary
    "demam": "demam dmm deman fever feverish febrile",
    "panas": "panas panes hot",
    "anget": "anget hangat angat warm",
    "dingin": "dingin cold",
    "menggigil": "menggigil mengigil ngigil chills chill shivering",
    "kejang": "kejang kejeng kjang seizure seizures seizing convulsing convulsion convulsions "
    "convulse fitting kejangnya",
    "sesak": "sesak sesek ngap sesaknya engap",
    "napas": "napas nafas nfs bernapas bernafas breathing breathe breath napasnya nafasnya nafs",
    "cepat": "cepat cepet fast rapid",
    "lemas": "lemes lemas lemess lethargic floppy limp unresponsive letoy lunglai lesu",
    "lemah": "lemah weak lemahh lamah",
    "muntah": "muntah vomit vomits vomiting vomited puke muntahin muntahan mutah",
    "gumoh": "gumoh",
    "diare": "mencret diare diarrhea diarrhoea menceret cirit ciritan mencirit",
    "bab": "pup pupnya poop poo bab beol eek tinja feses stool stools berak poopy pooped",
    "pipis": "pipis kencing pee wee urine bak pipisnya peed peeing ngompol",
    "darah": "darah blood",
    "berdarah": "berdarah bedarah bloody bleeding berdarahh",
    "pendarahan": "pendarahan perdarahan hemorrhage haemorrhage",
    "nanah": "nanah bernanah pus bernanahh",
    "bau": "bau bauk smell smells smelly stinky stinks busuk foul",
    "mata": "mata eyes eye mato",
    "bibir": "bibir lips lip",
    "biru": "biru kebiruan membiru blue bluish kebiru",
    "kuning": "kuning yellow jaundice jaundiced kekuningan menguning yellowish",
    "pucat": "pucat pucet pale",
    "pusar": "pusar puser pusat udel umbilical stump cord",
    "merah": "merah kemerahan memerah red reddish",
    "kepala": "kepala kepalo head",
    "kabur": "kabur buram burem blurry blurred blur",
    "pingsan": "pingsan fainted faint fainting semaput collapsed ambruk",
    "hamil": "hamil pregnant mengandung bumil kehamilan pregnancy",
    "janin": "janin fetus",
    "lahiran": "lahiran melahirkan postpartum persalinan partus",
    "minggu": "minggu mgg mg week weeks wk",
    "bulan": "bulan bln month months",
    "hari": "hari hr day days ari",
    "jam": "jam hours hour hrs",
    # breast / feeding vocabulary
    "payudara": "payudara pd payudaro tetek tete toket breast breasts boob boobs susuku "
    "tetekku susune",
    "puting": "puting putting pentil nipple nipples putingnya",
    "asi": "asi asinya milk asip supply",
    "nyusu": "nyusu nenen mimik netek nete menyusu nyusunya feed feeding feeds nurse nursing "
    "breastfeed breastfeeding nyusui nyusuin menyusui nenenin menyusukan nyusuinnya mik "
    "nyusuin",
    "lecet": "lecet lecett",
    "luka": "luka luko wound",
    "perih": "perih pedih",
    "sakit": "sakit skt nyeri hurt hurts hurting painful pain sore ache aches achy sakitnya nyut",
    "bengkak": "bengkak membengkak swollen swelling swell bengkaknya",
    "engorged": "engorged engorgement",
    "keras": "keras kenceng kencang hard firm tight",
    "penuh": "penuh full",
    "benjolan": "benjolan benjol bejolan lump lumps ngeganjel ngeganjal mengganjal ganjel",
    "sedikit": "dikit sedikit sikit little seuprit secuil setetes few",
    "kurang": "kurang less insufficient",
    "sufor": "sufor formula",
    # mood
    "sedih": "sedih sad",
    "stres": "stres stress stressed strees stresss",
    "cemas": "cemas anxious anxiety",
    "khawatir": "khawatir kuatir worried worry worrying worries",
    "depresi": "depresi depressed depression",
    "nangis": "nangis menangis cry crying cries manangis",
    "meninggal": "meninggal wafat died dead",
    "mati": "mati die dying",
    "keguguran": "keguguran miscarriage miscarried",
    "tolong": "tolong tlg help plis pls please",
    # round two
    "pusing": "pusing puyeng pening dizzy keleyengan kliyengan kleyengan pusingnya",
    "sembab": "sembab puffy",
    "ungu": "ungu keunguan purple",
    "ketuban": "ketuban waters amniotic",
    "jahitan": "jahitan jaitan jahitannya jaitannya stitches stitch",
    "batuk": "batuk cough coughing coughs",
    "ruam": "ruam rash rashes biang biduran",
    "sembelit": "sembelit konstipasi constipated constipation",
    "cegukan": "cegukan hiccups hiccup",
    "apa": "apa apaan what apo",
    "berapa": "brp berapa",
    "kali": "kali times",
    # round three
    "minum": "minum drink drinks drinking",
    "popok": "popok diaper diapers nappy nappies pampers",
    "kering": "kering dry",
    "setiap": "setiap tiap every each",
    "ada": "ada ado",
    "dua": "dua duo two",
    "kolostrum": "kolostrum colostrum",
    "produksi": "produksi output",
    "ngelupas": "ngelupas mengelupas ngelupas2 peeling peel",
}
# round four: Javanese / Sundanese / Palembang negation and verbs, so that "ora gelem
# nyusu", "mboten purun nyusu" and "teu daek nyusu" read as "tidak mau nyusu"
_DIALECT: dict[str, str] = {
    "tidak": "ora mboten boten teu henteu hente indak",
    "mau": "gelem purun daek hoyong arep handak hayang",
    "sudah": "wis uwis wes sampun",
    "belum": "durung dereng acan",
    "sakit": "lara gering",
    "muntah": "utah mutahke muntahke",
    "darah": "getih",
    "bab": "ngising",
    "pusing": "mumet ngelu lieur",
    "kepala": "sirah",
    "napas": "ambegan",
    "menggigil": "ndredeg ndredek",
    "lemah": "lirih",
    "tidur": "tidur turu tiduk sare bobo bobok",
    "hidup": "hidup idup urip",
    "bangun": "bangun tangi",
    "bayi": "bayine dedeke adeke orok",
    "anak": "anake",
    "minum": "ngombe",
    # round seven: everyday words for the danger signs in Javanese / Sundanese / Palembang
    "meriang": "mriyang meriyang nggreges muriang",
    "diare": "murus",
    "pipis": "nguyuh uyuh kiih bakamiah kamiah",
    "kuning": "koneng",
    "pingsan": "kapaehan klenger kelenger",
    "mata": "mripat mripate panon",
    "mati": "paeh maot modar",
    "dingin": "tiis adhem",
    "hijau": "hijau ijo ijau hejo",
    "derajat": "derajat drjt drajat derajad derjat",
    "pendarahan": "pendaharan perdaharan",
    "payudara": "pinarep",  # Sundanese
    "merah": "beureum",  # Sundanese
    # Javanese krama, Minang
    "aku": "kula ambo",
    "bisa": "saged iso",
    "dada": "dhadha",
    "hamil": "meteng",
    "bulan": "sasi",
    "perut": "weteng",
    "kering": "kariang",
    "capek": "panek",
    "rasa": "raso",
    "nikah": "rabi",
}
_MAP: dict[str, str] = {}
for _cword, _words in _GROUPS.items():
    for _w in _words.split():
        _MAP[_w] = _cword
for _cword, _words in _DIALECT.items():
    for _w in _words.split():
        _MAP.setdefault(_w, _cword)

# compound slang that expands to several tokens
_EXPAND: dict[str, str] = {
    "gamau": "tidak mau",
    "gakmau": "tidak mau",
    "gmau": "tidak mau",
    "gamao": "tidak mau",
    "ndakmau": "tidak mau",
    "gabisa": "tidak bisa",
    "gbs": "tidak bisa",
    "gaada": "tidak ada",
    "gada": "tidak ada",
    "katek": "tidak ada",
    "gapapa": "tidak apa",
    "gpp": "tidak apa",
    "headache": "sakit kepala",
    "sunken": "cekung",
    "babys": "bayi",
    "dadonyo": "dada",
    "budaknyo": "anak",
    "sembuhnya": "sembuh",
    # round seven: Javanese / colloquial refusal ("emoh nyusu", "ogah mimik")
    "emoh": "tidak mau",
    "ogah": "tidak mau",
}

# words whose doubled final letter is genuine (English mostly)
_KEEP_DOUBLE = frozenset(
    [
        "full",
        "all",
        "still",
        "will",
        "well",
        "smell",
        "kill",
        "ill",
        "off",
        "too",
        "see",
        "free",
        "pee",
        "wee",
        "loss",
        "less",
        "class",
        "pass",
        "miss",
        "fall",
        "call",
        "tell",
        "small",
        "fill",
        "spill",
        "chill",
        "swell",
        "stuff",
        "staff",
        "egg",
        "add",
        "odd",
        "inn",
        "allah",
        "assalamualaikum",
        "cc",
        "ss",
        "tt",
        "kk",
        "mm",
        "dd",
        "ll",
    ]
)

# suffixes: -ku marks the mother as possessor ("demamku" = my fever)
_SUFFIXES = ("nyo", "nya", "ku", "mu")

_RE_REDUP = re.compile(r"\b([a-z]{2,})2([a-z]*)\b")
_RE_HYPHEN_REDUP = re.compile(r"\b([a-z]{2,})-([a-z]{2,})\b")
_RE_RUN3 = re.compile(r"([a-z])\1{2,}")
_RE_DECIMAL = re.compile(r"(\d+)[.,](\d+)")
_RE_SORE = re.compile(
    r"\b(jam \d+|tadi|dari|sampai|sampe|sejak|kemarin|kemaren|kmrn|pagi|siang|hari|nanti|ntar|"
    r"menjelang|td) sore\b"
)
_RE_SORE2 = re.compile(r"\bsore (ini|tadi|hari|nanti|kemarin)\b")
_RE_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+|[?]|[.!;\n]|[,:]")
_BASE_KNOWN = frozenset(_MAP) | frozenset(_MAP.values())


# --- round seven: a danger word typed with one slip of the thumb ------------------------
# "demem", "kejng", "pinsan", "menggigel", "pendarahn": one letter dropped, doubled or swapped
# with its neighbour (and, in words of seven letters or more, one letter wrong; "demam" may
# have any vowel wrong).  A slip that makes another real word is left alone ("kejam",
# "kejar", "mencet", "kening", "mintah", "menggigit", "tersengat").  Only words the
# canonical map does not know.
_FUZZY_TARGETS = [
    "kejang",
    "pingsan",
    "menggigil",
    "demam",
    "pendarahan",
    "perdarahan",
    "bernanah",
    "kelojotan",
    "mendelik",
    "merintih",
    "tersengal",
    "kebiruan",
    "membiru",
    "lunglai",
    "mencret",
    "menceret",
    "muntah",
    "ketuban",
    "gumpalan",
    "pembalut",
    "keguguran",
    "meninggal",
    "berdarah",
    "kuning",
    "pucat",
    "sesak",
    "lemas",
]
_FUZZY_VOWEL_OK = frozenset({"demam"})
_FUZZY_REAL = frozenset(
    [
        "kejam",
        "kejar",
        "kejan",
        "kajang",
        "mencet",
        "kening",
        "mintah",
        "sesok",
        "sasak",
        "lemak",
        "lema",
        "sesa",
        "naps",
        "pucuk",
        "kunig",
        "menceret",
        "mencret",
        "muntah",
        "bengkok",
        "pembalut",
        "pembalud",
        "meninggi",
        "ketubuh",
        "pinggan",
        "menggigit",
        "pendaratan",
        "merintis",
        "tersengat",
        "membisu",
        "kejut",
    ]
)
_VOWELS = "aeiou"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _slips(t: str) -> set[str]:
    out: set[str] = set()
    n = len(t)
    for i in range(1, n):  # the first letter is kept
        out.add(t[:i] + t[i + 1 :])  # dropped
        out.add(t[:i] + t[i] + t[i:])  # doubled
        if i + 1 < n:
            out.add(t[:i] + t[i + 1] + t[i] + t[i + 2 :])  # swapped with its neighbour
        if n >= 7:
            out.update(t[:i] + c + t[i + 1 :] for c in _LETTERS)
        elif t in _FUZZY_VOWEL_OK and t[i] in _VOWELS:
            out.update(t[:i] + c + t[i + 1 :] for c in _VOWELS)
    out.discard(t)
    return {w for w in out if len(w) >= 4}


_FUZZY: dict[str, str] = {}
for _t in _FUZZY_TARGETS:
    for _v in _slips(_t):
        if _v in _MAP or _v in _EXPAND or _v in _FUZZY_REAL or _v in _FUZZY_TARGETS:
            continue
        _FUZZY.setdefault(_v, _t)


def _canon(word: str) -> list[str]:
    if word in _EXPAND:
        return _EXPAND[word].split()
    if word in _MAP:
        return [_MAP[word]]
    # doubled final letter ("lemess", "panass")
    if len(word) > 3 and word[-1] == word[-2] and word not in _KEEP_DOUBLE:
        w2 = word[:-1]
        if w2 in _MAP or w2 in _EXPAND:
            return _canon(w2)
        word = w2
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 2:
            stem = word[: -len(suf)]
            if stem in _BASE_KNOWN or stem in _EXPAND or stem in _EXTRA_STEMS:
                out = _canon(stem)
                if suf == "ku" and out and out[0] not in ("aku",):
                    return out + ["aku"]
                return out
    if word in _FUZZY:
        return _canon(_FUZZY[word])
    return [word]


# stems that are not in the canonical map but take suffixes ("badannya", "matanya")
_EXTRA_STEMS = frozenset(
    [
        "badan",
        "tubuh",
        "tangan",
        "kaki",
        "kulit",
        "perut",
        "dada",
        "suhu",
        "isapan",
        "hisapan",
        "isepan",
        "jahitan",
        "luka",
        "keputihan",
        "kandungan",
        "gerakan",
        "produksi",
        "berat",
        "pelekatan",
        "cekung",
        "mulut",
        "muka",
        "wajah",
        "betis",
        "leher",
        "pembalut",
        "ketuban",
        "pentil",
        "napas",
        "nafas",
        "cara",
        "popok",
        "dahi",
        "isap",
        "hisap",
        "ngenyot",
        "ngisep",
        "isep",
        "ngempeng",
        "kepikiran",
        "pikiran",
        "gerak",
        # round two
        "nifas",
        "pandangan",
        "penglihatan",
        "jantung",
        "detak",
        "ubun",
        "tensi",
        "tendangan",
        "pipi",
        "hidung",
        "jari",
        "kuku",
        "kemaluan",
        "lendir",
        "cairan",
        "tangis",
        "tangisan",
        "hidup",
        "diri",
        "perasaan",
        "hati",
        "operasi",
        "sesar",
        "ketiak",
        "kelamin",
        "badan",
        "bokong",
        "pantat",
        "kepalo",
        "dado",
        "bibir",
        "areola",
        "celana",
        "kuning",
    ]
)


def normalize(text: str) -> list[str]:
    """Return canonical tokens for *text* (never raises for a str)."""
    if not text:
        return []
    t = unicodedata.normalize("NFKC", text).lower()
    t = t.replace("\u2019", "'").replace("`", "'")
    t = t.replace("'s ", " ").replace("'", "")
    t = t.replace("\u00b0", " derajat ")  # "39°C", "38,5°"
    t = _RE_DECIMAL.sub(r"\1.\2", t)
    t = _RE_RUN3.sub(r"\1", t)
    t = _RE_REDUP.sub(r"\1 \1\2", t)
    t = _RE_HYPHEN_REDUP.sub(r"\1 \2", t)
    t = _RE_SORE.sub(r"\1 petang", t)  # "jam 4 sore" is the afternoon, not "sore" (sakit)
    t = _RE_SORE2.sub(r"petang \1", t)
    t = _PHRASE_RE.sub(lambda m: _PHRASE_MAP[m.group(0)], t)
    out: list[str] = []
    for tok in _RE_TOKEN.findall(t):
        if tok in ".!;\n":
            if out and out[-1] not in (".", "?"):
                out.append(".")
            continue
        if tok in ",:":
            if out and out[-1] not in (",", ".", "?"):
                out.append(",")
            continue
        if tok == "?":
            if out and out[-1] in (",", "."):
                out[-1] = "?"
            elif out and out[-1] != "?":
                out.append("?")
            continue
        if tok[0].isdigit():
            out.append(tok)
            continue
        out.extend(_canon(tok))
    return out
