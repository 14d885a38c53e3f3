"""Rule/lexicon triage of one message.

Pipeline: normalise -> match lexicon rules -> drop cues that are negated,
resolved ("udah sembuh") or hypothetical ("kalau bayi kejang harus gimana?")
-> decide whose sign it is (baby, mother, another adult, a breast, the weather)
-> pick the most serious label.

Severity order (most serious first); ties inside a tier are broken in this order:
  danger_mother with self-harm thoughts  (needs its own first response)
  danger_baby                            (a baby's sign wins over the mother's
  danger_mother                           other sign: the baby cannot ask for help)
  loss
  mastitis
  engorgement   (can turn into mastitis within hours: most time-sensitive)
  latch_pain    (the commonest root cause of both pain and low supply)
  low_milk
  mood          (every non-urgent response already includes a cadre contact)
  question      (including questions about a danger sign that is not happening)
  none
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from . import concepts as _concepts
from . import lexicon as L
from . import model as _model
from . import urgent_model as _net
from .normalize import normalize

LABELS: tuple[str, ...] = (
    "danger_baby",
    "danger_mother",
    "loss",
    "mastitis",
    "latch_pain",
    "engorgement",
    "low_milk",
    "mood",
    "question",
    "none",
)
URGENT_LABELS: frozenset[str] = frozenset({"danger_baby", "danger_mother"})
# a breastfeeding problem (or her mood) named in her words: heard even while a question is open
PROBLEM_LABELS: frozenset[str] = frozenset(
    {"mastitis", "latch_pain", "engorgement", "low_milk", "mood"})
# thresholds chosen by leave-one-voice-out grouped CV (bench/make_triage_corpus.py --grouped-cv;
# a test checks)
RAISE_AT = 0.8  # model probability of "urgent" needed to raise a non-urgent rule result
NAME_AT = 0.8  # model probability needed to name a problem the rules did not see
SELF_HARM_FROM_MOOD_AT = 2.0  # i.e. never: CV found the self-harm rules suffice for "mood"
# urgent-vs-not net (urgent_model.py): probability needed to raise a non-urgent rule result;
# chosen by grouped cross-validation (bench/make_triage_corpus.py --grouped-cv; a test checks)
NET_AT = 0.75
# fewer words than this and the learned parts stay silent (the rules still decide)
MIN_WORDS_TO_LEARN = 3
# "pagi aja jam 8" answers the tip-hour question: a message of nothing but these words
# and numbers names a time, and the learned parts must not read a danger into it
_TIME_WORDS = frozenset({
    "pagi", "siang", "petang", "sore", "malam", "subuh", "jam", "pukul", "aja", "saja", "ya",
    "bun", "bunda", "bu", "kak", "besok", "nanti", "terserah", "deh", "dong", "sih", "tiap",
    "setiap", "hari", "morning", "afternoon", "evening", "night", "at", "please", "tolong",
    "oclock", "wib", "wita", "wit",
})
# labels the net may raise: where no specific breastfeeding problem was recognised (a named
# problem keeps its own rules for when it turns urgent, e.g. mastitis with fever + weakness)
NET_RAISES = frozenset({"none", "question", "mood"})
_NAMEABLE = PROBLEM_LABELS | {"loss"}
# the most serious label found wins (the model's classes are in that order)
_ORDER = tuple(c for c in _model.CLASSES if c not in ("self_harm", "none"))


@dataclass(frozen=True)
class TriageResult:
    label: str
    urgent: bool
    reasons: tuple[str, ...] = ()
    self_harm: bool = False


@dataclass
class _Cue:
    kind: str
    start: int  # token index
    end: int  # token index, exclusive
    text: str


_BOUND = frozenset({",", ".", "?"})
_SENT = frozenset({".", "?"})
_STEP_BAD = frozenset(
    [
        "by",
        "next",
        "the",
        "first",
        "one",
        "this",
        "that",
        "each",
        "every",
        "a",
        "to",
        "class",
        "langkah",
        "step",
        "your",
        "my",
        "kedua",
        "pertama",
        "selanjutnya",
        "berikutnya",
    ]
)
_POSS_SKIP = frozenset(
    ["ipar", "kiri", "kanan", "sebelah", "kecil", "pertama", "kedua", "kami", "kita", "si"]
)
_OBJECTS = frozenset(
    ["hp", "baterai", "batre", "lampu", "listrik", "ikan", "tanaman", "motor", "mobil"]
)
_JAUNDICE_TIME = re.compile(
    r"\b(?:baru lahir|belum (?:1|satu|se) ?hari|hari pertama|first day|24 jam|tambah kuning|"
    r"makin kuning|semakin kuning|sudah (?:2|3|4|dua|tiga) minggu|(?:2|3|dua|tiga) minggu lebih|"
    r"lebih dari (?:2 minggu|14 hari)|14 hari|dari lahir|makin pekat|tambah pekat|"
    r"(?:umur|usia|baru|only|lahir) (?:[1-9]|1\d|2[0-3]) jam|(?:[1-9]|1\d|2[0-3]) jam old|"
    # round five: born yesterday and already yellow, palms/soles, whites of the eyes, weeks
    r"lahirnya kemarin|lahir kemarin|born kemarin|belum ada sehari|telapak|soles|palms|"
    r"whites of|makin parah|tambah parah|(?:[2-9]|dua|tiga) minggu old)\b"
)
_PREG_CTX = frozenset({"hamil", "kandungan", "janin"})
_PREG_EXTRA = frozenset({"ketuban", "trimester", "hpl", "usg"})
_PREG_WEEKS = re.compile(r"\b(?:[2-3]\d|4[0-2]) minggu\b")
_BABY_AGE = re.compile(r"\b(?:bayi|anak|umur|usia) (?:umur |usia )?\d+ minggu\b")
_POSTPARTUM = frozenset({"nifas", "lahiran", "sc", "caesar", "sesar", "jahitan", "pembalut"})
_CONV_WORDS = re.compile(r"\b(?:kejang|step|sawan|mendelik|kelojotan|kelonjotan|fit)\b")
_MINIMISERS = frozenset({"cuma", "hanya", "just", "only", "cuman", "sekedar"})
_NO_BLEED_CTX = frozenset({"bab", "diare", "pusar", "puting", "mata", "hidung", "gusi"})
_HIGH = frozenset({"tinggi", "high", "hebat", "bgt"})
# sign words a negator can cancel from inside a cue ("puting tidak sakit", "pd tidak merah")
_SIGN_HEADS = frozenset(
    [
        "bengkak",
        "merah",
        "panas",
        "anget",
        "sakit",
        "keras",
        "penuh",
        "benjolan",
        "lecet",
        "luka",
        "perih",
        "kuning",
        "nanah",
        "bau",
        "berdarah",
        "kencang",
        "gumpalan",
        "lemas",
        "tegang",
        "begah",
        "demam",
        "sesak",
        "biru",
    ]
)
_CAUSE = frozenset(
    ["karena", "gara", "abis", "habis", "pas", "setelah", "after", "skipping", "skipped", "jam"]
)
_BODY = frozenset({"badan", "tubuh", "body"})
# round six: a child who has since grown up ("dulu ... sekarang sudah SMA"): earlier signs are past
_GROWN = re.compile(
    r"\b(?:sekarang|now) (?:sudah |dia |anak |bayi |is |in |at |already ){0,2}(?:sd|smp|sma|smk|"
    r"kuliah|tk|paud|sekolah|school|college|besar|gede|dewasa|kerja|menikah|nikah|grown|"
    r"\d+ (?:tahun|taun|thn|th|years?))\b"
)
# one breast refused: a preference, not "not feeding"
_ONE_SIDE = re.compile(r"\b(?:kiri|kanan|left|right|sebelah|satu sisi|one side|one payudara)\b")
# fever after a vaccine in a baby of two months or more: a question for the cadre
_VACCINE = re.compile(
    r"\b(?:imunisasi|vaksin|vaksinasi|vaccine|vaccination|shot|shots|jab|suntik|"
    r"disuntik|habis suntik|dpt|pentabio|campak|mr)\b"
)
_AGE_OLDER = re.compile(
    r"\b(?:(?:[2-9]|1\d|2[0-4]) (?:bulan|bln|months?|mo)|\d+ (?:tahun|taun|thn|th|years?))\b"
)
_AGE_YOUNG = re.compile(r"\b(?:\d+ (?:hari|minggu|days?|weeks?)|[01] (?:bulan|bln|months?))\b")
# the "if" question is about now ("soalnya sekarang lagi begitu", "ini barusan aku ukur")
_NOW_MSG = re.compile(
    r"\b(?:sekarang (?:lagi|juga|pun) (?:begitu|gitu|begini|gini)|lagi (?:begitu|gitu|begini|gini)"
    r"|barusan aku ukur|baru aku ukur|barusan (?:di)?ukur|ini barusan|tadi aku ukur|"
    r"tadi (?:di)?ukur|ini tadi aku|that s what s happening now|"
    r"it s happening now)\b"
)
# a story of her own birth ("ibuku dulu pas ngelahirin aku pendarahan hebat"): long past
_OWN_BIRTH = re.compile(
    r"\b(?:lahirin|ngelahirin|melahirkan|ngelairke|nglairke|lahiran|had|gave birth to) aku\b"
)
# a normal temperature now ("skrg 36,7", "sudah 36,7"): the earlier fever is over
_NORMAL_NOW = re.compile(
    r"\b(?:sekarang|sudah|now|tinggal) (?:sudah |suhu |is |jadi )?"
    r"(3[56](?:\.\d)?|37(?:\.[0-4])?)\b"
)
# checking the baby's breathing over and over: her worry, not his breathing
_CHECK_BREATH = re.compile(
    r"\b(?:cek|check|checking|ngecek|ngecekin|mengecek|checks) (?:if )?"
    r"(?:bayi |her |his )?(?:is )?(?:napas|breathing)"
)
_ASK_BEFORE = frozenset({"boleh", "bisa", "aman", "apa", "perlu", "harus", "bener", "benar"})
# worry / fear alone is mood: the net does not turn it into a danger
_ANXIOUS = frozenset(
    {
        "khawatir",
        "cemas",
        "takut",
        "scared",
        "panik",
        "worried",
        "worry",
        "worrying",
        "anxious",
        "anxiety",
        "deg",
        "was",
        "overthinking",
        "gelisah",
        "afraid",
        "nervous",
        "parno",
    }
)
# the air's temperature, not the body's ("suhu kamar 38 derajat", "room temp 38")
_ROOM = frozenset({"kamar", "ruangan", "room", "cuaca", "udara", "luar", "outside", "ac"})
# "ketabrak mobil": the car is how she would end, not a car that "mati" (broke down)
_HIT_BY = frozenset({"ketabrak", "ditabrak", "nabrakin", "tabrakin", "kelindas", "dilindas"})
_DREAM = frozenset({"mimpi", "bermimpi", "ngimpi", "dreamt", "dreamed", "dream", "nightmare"})
# laughing "to death" ("ngakak sampe mau mati") is a joke, not a wish to die
_LAUGH = frozenset({"ngakak", "ketawa", "tertawa", "lucu", "gemes", "gemas", "wkwk", "wkwkwk"})
_PLACE = frozenset({"rumah", "rmh", "tempat", "house", "kamar"})
_SEVERE_WEAK = ("bangun", "papah", "jalan", "berdiri", "walk", "stand", "gotong", "tuntun")
_THERMO = frozenset(
    {"termometer", "thermometer", "suhu", "diukur", "ukur", "temp", "says", "reads"}
)
_BABY_KINDS = frozenset({"B", "BS", "S", "STEP", "FEV", "HOT", "LETH", "CONV"})


def _rule_keys(pattern: str) -> frozenset[str] | None:
    """Index keys of a rule: the first <= 4 letters of each literal word in its pattern.

    A match always contains a token that starts with one of its literal words, so a rule
    need only run when one of the message's token prefixes is a key.  None: always run.
    """
    bare = re.sub(r"[a-z]\?", "", pattern)  # optional letters
    bare = re.sub(r"\\[a-zA-Z]|\[[^\]]*\]|\{[^}]*\}|\(\?[:=!<]*", " ", bare)
    words = re.findall(r"[a-z]+", bare)
    if not words:
        return None
    return frozenset(w[:4] for w in words)


def _build_index() -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    by_key: dict[str, list[int]] = {}
    always: list[int] = []
    for i, (_k, rx) in enumerate(L.COMPILED):
        keys = _rule_keys(rx.pattern)
        if keys is None:
            always.append(i)
            continue
        for k in keys:
            by_key.setdefault(k, []).append(i)
    return {k: tuple(v) for k, v in by_key.items()}, tuple(always)


_INDEX, _ALWAYS = _build_index()


def _candidate_rules(m: _Msg) -> list[int]:
    cand = set(_ALWAYS)
    get = _INDEX.get
    for t in m.tokset:
        for n in (2, 3, 4):
            if len(t) >= n:
                hit = get(t[:n])
                if hit:
                    cand.update(hit)
    return sorted(cand)


def _num(tok: str) -> float | None:
    try:
        return float(tok)
    except ValueError:
        return None


class _Msg:
    """Tokens of one message plus the structural look-ups the scopes need."""

    def __init__(self, toks: list[str]) -> None:
        self.toks = toks
        self.n = len(toks)
        self.text = " ".join(toks)
        self.starts: list[int] = []
        pos = 0
        for t in toks:
            self.starts.append(pos)
            pos += len(t) + 1
        self.sent: list[int] = []
        self.clause: list[int] = []
        s = c = 0
        for t in toks:
            self.sent.append(s)
            self.clause.append(c)
            if t in _SENT:
                s += 1
                c += 1
            elif t == ",":
                c += 1
        self.tokset = frozenset(toks)
        # a baby named as an object or by birth date is not whose sign it is
        self.obj: frozenset[int] = frozenset(
            i
            for i, t in enumerate(toks)
            if t in L.BABY
            and (
                (i > 0 and toks[i - 1] in L.OBJECT_VERBS)
                or (i + 1 < len(toks) and toks[i + 1] in ("lahir", "born"))
            )
        )
        self.obj = self.obj | frozenset(
            i
            for i, t in enumerate(toks)
            if (t in L.ADULT or t in L.MOTHER)
            and (
                (i > 0 and toks[i - 1] in _PLACE)
                or (i > 1 and toks[i - 2] in _PLACE and toks[i - 1] in L.ADULT)
            )
        )
        self.has_baby = any(t in L.BABY and i not in self.obj for i, t in enumerate(toks))
        self.mother_ctx = bool(self.tokset & L.MOTHER_CONTEXT)
        self.sent_text: dict[int, str] = {}
        for i, t in enumerate(toks):
            self.sent_text.setdefault(self.sent[i], "")
            self.sent_text[self.sent[i]] += t + " "
        self.interrogative_sent: dict[int, bool] = {}
        for sid, st in self.sent_text.items():
            words = st.split()
            self.interrogative_sent[sid] = "?" in words or any(w in L.QUESTION_WORDS for w in words)

    def tok_index(self, char_pos: int) -> int:
        return bisect_right(self.starts, char_pos) - 1

    # ---------------- scopes ----------------
    def negated(self, cue: _Cue) -> bool:
        toks = self.toks
        j = cue.start - 1
        steps = 0
        while j >= 0 and steps < 4:
            t = toks[j]
            if t in L.NEGATORS:
                return True
            if t in _BOUND or t not in L.NEG_FILLERS:
                break
            j -= 1
            steps += 1
        # a negator inside the cue right before its sign word: "pd udah gak bengkak lagi"
        last = toks[cue.end - 1]
        if last in _SIGN_HEADS and cue.end - cue.start >= 2:
            j = cue.end - 2
            while j > cue.start and toks[j] in L.NEG_FILLERS:
                j -= 1
            if toks[j] in L.NEGATORS:
                return True
        k = cue.end
        if k < self.n and toks[k] in L.NEGATORS:
            nxt = toks[k + 1] if k + 1 < self.n else "."
            if nxt in _BOUND or nxt in L.POST_NEG_OK:
                return True
        return False

    def _marker_ok(self, i: int) -> bool:
        toks = self.toks
        t = toks[i]
        if i > 0 and toks[i - 1] in L.NEGATORS:
            return False
        if t == "normal":
            before = toks[max(0, i - 2) : i]
            return "sudah" in before or "sekarang" in before
        if t == "turun":
            if i > 0 and toks[i - 1] == "naik":
                return False  # "demam naik turun": up and down, not going down
            before = toks[max(0, i - 3) : i]
            return (
                any(b in ("demam", "panas", "suhu", "sudah") for b in before)
                and "asi" not in before
            )
        if t == "better":
            nxt = toks[i + 1] if i + 1 < self.n else ""
            return nxt == "sekarang" or (
                i > 0 and toks[i - 1] in ("sudah", "getting", "is", "feels")
            )
        if t in ("berhenti", "hilang", "ilang", "copot"):
            before = toks[max(0, i - 3) : i]
            return "sudah" in before and not any(b in L.NEGATORS for b in before)
        if t == "sehat":
            before = toks[max(0, i - 2) : i]
            return not any(b in ("tidak", "kurang", "asi") for b in before)
        return True

    def resolved(self, cue: _Cue) -> bool:
        toks = self.toks
        cl = self.clause[cue.start]
        markers = [
            i
            for i, t in enumerate(toks)
            if t in L.RESOLVED and not cue.start <= i < cue.end and self._marker_ok(i)
        ]
        soft = [
            i
            for i in range(1, self.n)
            if toks[i] == "tidak"
            and toks[i - 1] == "sudah"
            and (i + 1 == self.n or toks[i + 1] in _BOUND or toks[i + 1] in L.POST_NEG_OK)
        ]
        if not markers and not soft:
            return False
        if any(self.clause[i] == cl for i in markers + soft):
            return True
        ctoks = [toks[i] for i in range(self.n) if self.clause[i] == cl]
        ctext = " ".join(ctoks)
        past = L.PAST_PHRASE.search(ctext) is not None
        if not past:
            for i in range(self.n):
                if (
                    self.clause[i] == cl
                    and toks[i] in L.PAST
                    and not (i > 0 and toks[i - 1] == "dari")
                ):
                    past = True
                    break
        if past:
            return True
        for i in markers:  # "..., sekarang sudah sembuh" resolves what came before
            if self.clause[i] > cl:
                ci = self.clause[i]
                ctoks2 = {toks[k] for k in range(self.n) if self.clause[k] == ci}
                if "sekarang" in ctoks2 or "sudah" in ctoks2:
                    return True
        return False

    def hypothetical(self, cue: _Cue) -> bool:
        if any(t in _DREAM for t in self.toks[max(0, cue.start - 4) : cue.start]):
            return True  # "mimpi dedek kejang": a dream, not a fit
        if _NOW_MSG.search(self.text):
            return False  # "kalau bayi 37,9 ... ? soalnya sekarang lagi begitu": it is happening
        sid = self.sent[cue.start]
        st = self.sent_text[sid]
        toks = self.toks
        if self.interrogative_sent[sid]:
            j = cue.start - 1
            while j >= 0 and self.sent[j] == sid:
                if toks[j] == "kalau":
                    return True
                j -= 1
        if L.PRESENT.search(st):
            return False
        if L.STRONG_GENERIC.search(st):
            return True
        st = L.NOT_DEICTIC.sub(" ", st)
        return bool(L.WEAK_GENERIC.search(st) and L.GENERIC_DEICTIC.search(st))

    # ---------------- subject ----------------
    def cls_at(self, i: int) -> str | None:
        if i in self.obj:
            return None
        return self._cls(self.toks[i])

    def other_child(self, cue: _Cue) -> bool:
        """A relative's or neighbour's child ("ponakanku", "anak tetangga"), not hers."""
        sid = self.sent[cue.start]
        for j in range(cue.start - 1, -1, -1):
            if self.sent[j] != sid and j < cue.start - 12:
                break
            t = self.toks[j]
            if t in L.BABY and j not in self.obj:
                nxt = self.toks[j + 1] if j + 1 < self.n else ""
                return t in L.OTHER_CHILD or nxt in L.ADULT
        return False

    @staticmethod
    def _cls(t: str) -> str | None:
        if t in L.BABY:
            return "baby"
        if t in L.MOTHER:
            return "mother"
        if t in L.ADULT:
            return "adult"
        if t in L.BREAST:
            return "breast"
        return None

    def _cluster_head(self, j: int, lo: int) -> str | None:
        toks = self.toks
        head = self._cls(toks[j])
        m = j - 1
        gaps = 0
        while m >= lo:
            c = self._cls(toks[m])
            if c is not None:
                head = c
                gaps = 0
            elif gaps < 1 and toks[m] in _POSS_SKIP:
                gaps += 1
            else:
                break
            m -= 1
        return head

    def subject(self, cue: _Cue) -> str | None:
        toks = self.toks
        sid = self.sent[cue.start]
        lo = cue.start
        while lo > 0 and self.sent[lo - 1] == sid:
            lo -= 1
        # inside the cue itself ("bayi sudah tidak ada", "demam aku")
        for j in range(cue.start, cue.end):
            if self.cls_at(j) is not None and toks[j] not in L.BREAST:
                return self.cls_at(j)
        for j in range(cue.start - 1, lo - 1, -1):
            if self.cls_at(j) is not None:
                return self._cluster_head(j, lo)
        cl = self.clause[cue.start]
        for j in range(cue.end, self.n):
            if self.clause[j] != cl:
                break
            c = self.cls_at(j)
            if c is not None:
                return c
        for j in range(lo - 1, -1, -1):
            if self.cls_at(j) is not None:
                return self._cluster_head(j, 0)
        return None


def _valid_step(m: _Msg, cue: _Cue) -> bool:
    toks = m.toks
    prev = toks[cue.start - 1] if cue.start > 0 else ""
    nxt = toks[cue.end] if cue.end < m.n else ""
    return not (prev in _STEP_BAD or nxt in _STEP_BAD or nxt[:1].isdigit() or nxt == "by")


def _pregnant(m: _Msg) -> bool:
    if m.tokset & (_PREG_CTX | _PREG_EXTRA):
        return True
    return bool(_PREG_WEEKS.search(m.text)) and not _BABY_AGE.search(m.text)


def _temp_kind(m: _Msg, cue: _Cue) -> str | None:
    """'fever' / 'cold' for a number that reads as a body temperature ('room': the air's)."""
    i = cue.start
    v = _num(m.toks[i])
    if v is None:
        return None
    prev = m.toks[i - 1] if i > 0 else ""
    nxt = m.toks[i + 1] if i + 1 < m.n else ""
    if nxt in (
        "kg",
        "ml",
        "minggu",
        "bulan",
        "hari",
        "jam",
        "menit",
        "cm",
        "gram",
        "gr",
        "x",
        "kali",
        "tahun",
        "thn",
        "th",
        "oz",
    ):
        return None
    ctx = prev in ("suhu", "demam", "panas", "diukur", "ukur", "anget", "of", "temp") or nxt in (
        "derajat",
        "c",
        "celcius",
        "celsius",
        "koma",
        "lebih",
    )
    kind = _body_temp(m, i, v, prev, nxt, ctx)
    if kind and _ROOM & set(m.toks[max(0, i - 3) : i]):
        return "room"  # "suhu kamar 38 derajat": the room, not the baby
    return kind


def _body_temp(m: _Msg, i: int, v: float, prev: str, nxt: str, ctx: bool) -> str | None:
    if nxt in ("f", "fahrenheit") and 99.5 <= v <= 108:
        return "fever"  # "baby 101F"
    is_decimal = "." in m.toks[i]
    if 37.5 <= v <= 42.5 and (is_decimal or ctx):
        return "fever"
    if 30 <= v <= 35.5 and (is_decimal or ctx) and prev in ("suhu", "diukur", "temp", "ukur"):
        return "cold"
    if 30 <= v <= 35.5 and is_decimal and _THERMO & set(m.toks[max(0, i - 3) : i]):
        return "cold"  # "termometer cuma 35,1"
    if 37.5 <= v <= 42.5 and _THERMO & set(m.toks[max(0, i - 3) : i]):
        return "fever"
    return None


# "dedek udah lahir kemarin", "baby was born yesterday": news of the birth and nothing
# else.  The learned parts read birth words as loss or danger (most messages with them in
# the training data are), so a message made only of these words is left to the rules.
_BIRTH_NEWS = re.compile(r"\b(?:born|birth|lahir|lahiran|melahirkan|brojol|arrived)\b")
_BIRTH_NEWS_WORDS = _TIME_WORDS | frozenset({
    "alhamdulillah", "puji", "tuhan", "syukur", "i", "we", "finally", "my", "our", "the",
    "a", "baby", "bayi", "bayiku",
    "dedek", "adek", "anak", "anakku", "saya", "aku", "sy", "aq", "kami", "istri", "wife", "son",
    "daughter", "girl", "boy", "laki", "perempuan", "cewek", "cowok", "sehat", "healthy",
    "normal", "sesar", "caesar", "kemarin", "kemaren", "kmrn", "yesterday", "today", "tadi",
    "td", "ini", "this", "last", "and", "dan", "with", "di", "bidan", "puskesmas", "klinik",
    "hospital", "home", "kg", "gram", "berat", "weight", "kak", "makasih", "terima", "kasih",
    "thanks", "nya", "dengan", "lancar", "selamat", "well", "fine", "is", "was", "has", "been",
    "just", "already", "sudah", "udah", "udh", "baru", "telah", "lahir", "lahiran",
    "melahirkan", "brojol", "born", "birth", "gave", "arrived", "she", "he", "jam", "pukul",
})


def _classify(text: str) -> TriageResult:
    toks = normalize(text)
    if not toks:
        return TriageResult("none", False)
    res, denied = _rules(toks)
    lowered = text.lower()
    said = set(re.findall(r"[a-z]+", lowered))
    if (len([t for t in toks if t.isalpha()]) < MIN_WORDS_TO_LEARN or said <= _TIME_WORDS
            or (said <= _BIRTH_NEWS_WORDS and _BIRTH_NEWS.search(lowered))):
        # a reply like "mau tanya", "SELESAI 1", "pagi aja jam 8" or "dedek udah lahir td
        # pagi" is too short or too plain for the learned parts to read a danger or a loss
        # into: only the rules decide
        return res
    if _net_may_raise(res, denied):
        raised = raise_with_net(res, denied, _net.predict(text, toks), NET_AT, text, toks)
        if raised.urgent:
            return raised
    return combine(res, denied, lambda: _model.predict(text, toks))


_HYPO_REASON = ("hypothetical question",)


def _net_may_raise(res: TriageResult, denied: bool) -> bool:
    if res.urgent or denied or res.reasons == _HYPO_REASON or res.label not in NET_RAISES:
        return False
    if res.label == "mood" and res.reasons and all(set(r.split()) & _ANXIOUS for r in res.reasons):
        return False  # worry or fear alone: mood, whatever the net says
    # the rules saw the symptom and judged it mild ("bayi saya muntah")
    return not (res.reasons and res.reasons[0].startswith("mild symptom: "))


def raise_with_net(
    res: TriageResult,
    denied: bool,
    p_urgent: float,
    threshold: float,
    text: str = "",
    toks: list[str] | None = None,
) -> TriageResult:
    """Raise a non-urgent rule result to urgent when the net is confident enough.

    Never lowers, never touches a sign she denied or resolved, nor a hypothetical
    question, nor a named breastfeeding problem (NET_RAISES), nor a symptom the rules
    judged mild.  Which urgent label: the naive-Bayes back-up's best urgent class (without
    *text*, e.g. in the grouped CV, only urgency is decided: danger_mother stands in).
    """
    if p_urgent < threshold or not _net_may_raise(res, denied):
        return res
    why = res.reasons + (f"net: urgent {p_urgent:.2f}",)
    if not text:
        return TriageResult("danger_mother", True, why, False)
    p = _model.predict(text, toks)
    best = max(("self_harm", "danger_baby", "danger_mother"), key=lambda c: p[c])
    if best == "self_harm":
        return TriageResult("danger_mother", True, why, True)
    return TriageResult(best, True, why, False)


@dataclass(frozen=True)
class Combination:
    """How the learned model may change a rule result (thresholds chosen by CV)."""

    raise_at: float = RAISE_AT
    name_at: float = NAME_AT
    self_harm_from_mood_at: float = SELF_HARM_FROM_MOOD_AT


DEFAULT_COMBINATION = Combination()


def rule_result(text: str) -> tuple[TriageResult, bool]:
    """The rules alone: (result, whether she denied or resolved a sign)."""
    toks = normalize(text)
    if not toks:
        return TriageResult("none", False), False
    return _rules(toks)


def combine(
    res: TriageResult,
    denied: bool,
    prob: Callable[[], dict[str, float]],
    how: Combination = DEFAULT_COMBINATION,
) -> TriageResult:
    """Let the learned model raise what the rules did not recognise, never lower it.

    Rules decide whenever they fire on a problem.  The model may (1) raise "none" to urgent
    when it is confident the message is a danger sign, or "mood" when it is very confident
    of self-harm, and (2) name the problem when the rules found none at all.  It never
    touches questions (hypothetical, mild symptom or plain) or signs she said were absent.
    """
    if res.urgent or denied:
        return res
    if res.label not in ("none", "mood"):
        return res
    p = prob()
    urgent_p = p["self_harm"] + p["danger_baby"] + p["danger_mother"]
    if res.label == "mood":
        if p["self_harm"] >= how.self_harm_from_mood_at:
            return TriageResult("danger_mother", True, res.reasons + ("model: self-harm",), True)
        return res
    if urgent_p >= how.raise_at:
        best = max(("self_harm", "danger_baby", "danger_mother"), key=lambda c: p[c])
        why = res.reasons + (f"model: {best} {urgent_p:.2f}",)
        if best == "self_harm":
            return TriageResult("danger_mother", True, why, True)
        return TriageResult(best, True, why, False)
    if res.label == "none":
        best = max(p, key=lambda c: p[c])
        if best in _NAMEABLE and p[best] >= how.name_at:
            return TriageResult(best, False, (f"model: {best} {p[best]:.2f}",), False)
    return res


def _rules(toks: list[str]) -> tuple[TriageResult, bool]:
    m = _Msg(toks)
    cues: list[_Cue] = []
    for ri in _candidate_rules(m):
        kind, rx = L.COMPILED[ri]
        for mt in rx.finditer(m.text):
            s = m.tok_index(mt.start())
            e = m.tok_index(mt.end() - 1) + 1
            cues.append(_Cue(kind, s, e, mt.group(0)))
    # concept-level rules (concepts.py): word classes in combination
    for kind, cs, ce in _concepts.concept_spans(m.text):
        s = m.tok_index(cs)
        e = m.tok_index(ce - 1) + 1
        cues.append(_Cue(kind, s, e, m.text[cs:ce]))
    # jaundice needs the whole message for its timing
    if "kuning" in m.tokset and _JAUNDICE_TIME.search(m.text):
        i = toks.index("kuning")
        cues.append(_Cue("B", i, i + 1, "kuning " + _JAUNDICE_TIME.search(m.text).group(0)))  # type: ignore[union-attr]

    hits: dict[str, list[str]] = {}
    hypo_danger = False
    self_harm: list[str] = []
    mother_fever: list[str] = []
    mother_fever_high = False
    mother_weak: list[str] = []
    lochia = False
    breast: list[str] = []
    suppressed_question = False
    mild: list[str] = []
    denied: list[str] = []  # signs she said are absent or over: the model may not re-raise them
    leth_open: list[str] = []  # weakness with nobody named: hers if her own signs are present
    chill_sents = {m.sent[c.start] for c in cues if c.kind == "CHILL" or c.kind == "MW"}
    feeding_cause = any(c.kind in ("ENG", "BR", "MAST") for c in cues)

    def add(label: str, why: str) -> None:
        hits.setdefault(label, []).append(why)

    moves: list[str] = []
    own_birth = bool(_OWN_BIRTH.search(m.text)) and bool(m.tokset & L.PAST)
    normal_now = bool(_NORMAL_NOW.search(m.text))
    check_breath = bool(_CHECK_BREATH.search(m.text))
    grown = _GROWN.search(m.text)
    grown_at = m.tok_index(grown.start()) if grown else -1
    vaccine_fever = bool(
        _VACCINE.search(m.text) and _AGE_OLDER.search(m.text) and not _AGE_YOUNG.search(m.text)
    )

    for cue in cues:
        k = cue.kind
        if k == "SHS":  # her own ending ("mau tidur selamanya"): not when it is the baby's
            if m.subject(cue) == "baby":
                continue
            k = "SH"
        if (
            k == "SH"
            and "mati" in cue.text.split()
            and _LAUGH & set(m.toks[max(0, cue.start - 5) : cue.end + 3])
        ):
            denied.append(cue.text)  # a joke: the learned parts may not re-raise it
            continue
        if k == "STEP" and not _valid_step(m, cue):
            denied.append(cue.text)  # "step by step": the word in another sense, not a fit
            continue
        if k == "FEV" and _num(m.toks[cue.end - 1]) is not None:
            v = _num(m.toks[cue.end - 1])
            if v is not None and 30 <= v < 37.5:  # "diukur 36,8": a normal temperature
                if v <= 35.5 and m.toks[cue.start] in ("suhu", "diukur", "ukur"):
                    k = "BS"
                else:
                    denied.append(cue.text)
                    continue
        if k == "TEMP":
            tk = _temp_kind(m, cue)
            if tk == "room":
                denied.append(cue.text)  # the learned parts may not read a fever into it
                continue
            if tk is None:
                continue
            k = "FEV" if tk == "fever" else "BS"
        # a convulsion or a self-harm thought is never cancelled by "sudah sembuh" / "kemarin":
        # a fit that is over still needs a same-day check
        sticky = (
            k in ("SH", "CONV") or (k in ("S", "STEP") and _CONV_WORDS.search(cue.text))
        ) and not (k != "SH" and m.other_child(cue))
        if m.negated(cue) or (not sticky and m.resolved(cue)):
            if k not in ("MOOD", "MOODS", "CRY", "CRYM", "LOW", "LATCH"):
                denied.append(cue.text)
            continue
        if k == "MILD" and any(
            m.toks[i] in _MINIMISERS for i in range(max(0, cue.start - 2), cue.start)
        ):
            continue
        if k != "SH" and m.hypothetical(cue):
            if k in (
                "B",
                "BS",
                "S",
                "STEP",
                "FEV",
                "HOT",
                "M",
                "LOCH",
                "LETH",
                "PREG_B",
                "LOSS",
                "CONV",
                "MOVE",
                "PREG_M",
            ):
                hypo_danger = True
            suppressed_question = True
            continue
        subj = m.subject(cue)
        why = cue.text
        if own_birth and k in ("M", "PREG_B", "LOCH", "S", "CONV"):
            continue  # her mother's story of giving birth to her, long ago
        if normal_now and k in ("FEV", "HOT", "TEMP"):
            denied.append(why)  # "kemaren sempet panas 38 ... skrg 36,7": over
            continue
        if check_breath and k == "S" and any(w in why for w in ("napas", "breathing")):
            add("mood", why)  # "aku cek napasnya tiap 5 menit": her worry
            denied.append(why)  # not his breathing: the models may not raise it either
            continue
        if k in _BABY_KINDS and cue.end <= grown_at and subj != "mother":
            continue  # "dulu waktu bayi dia sempat kejang, sekarang sudah SMA"
        if k in ("FEV", "HOT") and vaccine_fever and subj != "mother":
            nxt = m.toks[cue.end] if cue.end < m.n else ""
            v = _num(m.toks[cue.end - 1])
            if nxt not in _HIGH and (v is None or v < 39):
                mild.append(why)  # "anakku 10 bulan demam habis imunisasi": cadre, not ER
                continue
        if k in _BABY_KINDS and subj == "baby" and m.other_child(cue):
            cl = m.clause[cue.start]
            ctoks = [m.toks[i] for i in range(m.n) if m.clause[i] == cl]
            past = any(
                t in L.PAST or t == "pernah"
                for i, t in enumerate(ctoks)
                if not (i > 0 and ctoks[i - 1] in ("lahir", "lahiran"))
            )
            if past and not L.PRESENT.search(" ".join(ctoks)):
                continue  # "dulu ponakanku pernah kejang": someone else's child, long ago
        if k == "SH":
            cl = m.clause[cue.start]
            if subj == "adult" and not any(m.cls_at(i) == "adult" for i in range(cue.start)):
                subj = None  # "pengen nyusul almarhumah ibu": the adult is who she would join
            if subj == "adult" or any(
                m.toks[i] in _OBJECTS and not (i > 0 and m.toks[i - 1] in _HIT_BY)
                for i in range(m.n)
                if m.clause[i] == cl
            ):
                continue
            self_harm.append(why)
        elif k == "B":
            if subj != "adult":
                add("danger_baby", why)
        elif k == "BS":
            if why.startswith("tidak ") and cue.start > 0 and m.toks[cue.start - 1] in _ASK_BEFORE:
                continue  # "boleh tidak minum kopi?": "or not", a question
            if any(w in why for w in ("nyusu", "payudara", "tolak", "minum")):
                cl = m.clause[cue.start]
                if _ONE_SIDE.search(" ".join(m.toks[i] for i in range(m.n) if m.clause[i] == cl)):
                    mild.append(why)  # "yang kanan ditolak": one side refused
                    continue
            if feeding_cause and "nyusu" in why:
                cl = m.clause[cue.start]
                ctx = {m.toks[i] for i in range(m.n) if m.clause[i] == cl}
                if ctx & _CAUSE or "tidur" in ctx or subj == "mother":
                    continue  # "pd bengkak krn semalem dedek tidur gak nyusu": the cause
            if subj in (None, "baby"):
                add("danger_baby", why)
        elif k == "LETH":
            if subj == "baby" or (subj is None and m.has_baby):
                add("danger_baby", why)
            elif subj == "mother" and any(w in why for w in ("sadar", "respon")):
                add("danger_mother", why)
            elif subj == "mother" or (subj is None and m.mother_ctx):
                mother_weak.append(why)
            elif subj is None:
                leth_open.append(why)
        elif k in ("S", "STEP"):
            if subj == "adult":
                continue
            if subj == "baby":
                add("danger_baby", why)
            elif subj == "mother":
                add("danger_mother", why)
            elif k == "STEP":
                add("danger_baby", why)
            elif "pingsan" in why or "dada" in why:
                add("danger_baby" if m.has_baby else "danger_mother", why)
            elif m.mother_ctx and not m.has_baby:
                add("danger_mother", why)
            else:
                add("danger_baby", why)
        elif k in ("FEV", "HOT", "CHILL"):
            if k == "HOT":
                cl = m.clause[cue.start]
                if any(m.toks[i] in L.WEATHER for i in range(m.n) if m.clause[i] == cl):
                    continue
                if subj is None and m.tokset & L.WEATHER and not m.has_baby:
                    continue  # "panas nian hari ni, kipas angin rusak"
                if cue.start > 0 and m.toks[cue.start - 1] in L.NOT_FEVER_BEFORE:
                    continue
            if subj == "adult":
                continue
            if subj == "breast":
                if k == "HOT":
                    breast.append(why)
                    continue
                who = "mother"
            elif subj is None:
                body = cue.start > 0 and m.toks[cue.start - 1] in _BODY
                if (
                    k == "CHILL"
                    or (m.mother_ctx and not m.has_baby)
                    or m.sent[cue.start] in chill_sents
                ):
                    who = "mother"
                elif k == "HOT" and m.tokset & {"payudara", "susu"} and not m.has_baby:
                    if not body:
                        breast.append(why)
                        continue
                    who = "mother"  # "badan panas, susu kanan merah": her fever
                else:
                    who = "baby"
            elif k == "CHILL" and subj != "baby":
                who = "mother"
            else:
                who = subj
            if who == "baby":
                add("danger_baby", why)
            else:
                mother_fever.append(why)
                nxt = m.toks[cue.end] if cue.end < m.n else ""
                v = _num(m.toks[cue.end - 1])
                if nxt in _HIGH or (v is not None and v >= 39) or k == "CHILL":
                    mother_fever_high = True
        elif k == "M":
            if subj == "adult":
                continue
            if why == "hipertensi" and cue.start > 0 and m.toks[cue.start - 1] == "obat":
                denied.append(why)  # "minum obat darah tinggi, aman buat menyusui?": her
                continue  # medicine, a treated condition: neither rules nor models raise it
            if subj == "baby" and (
                any(w in why for w in ("kepala", "pusing", "muka", "wajah"))
                or ("perut" in why and "sakit" in why)
            ):
                continue
            if any(w in why for w in ("darah", "pembalut", "gumpal")):
                sid = m.sent[cue.start]
                near = {
                    m.toks[i]
                    for i in range(max(0, cue.start - 4), min(m.n, cue.end + 3))
                    if m.sent[i] == sid
                }
                if near & _NO_BLEED_CTX:
                    continue
                if "darah" not in why and near & {"payudara", "susu", "asi", "puting"}:
                    continue  # "susu kanan ado gumpalan keras": a lump, not a clot
            add("danger_mother", why)
        elif k == "PREG_B":
            if (m.tokset & _PREG_CTX or "jalan lahir" in m.text) and not m.tokset & _NO_BLEED_CTX:
                add("danger_mother", why)
        elif k == "LOCH":
            lochia = True
            add("danger_mother", why)
        elif k == "MW":
            if subj != "baby":
                mother_weak.append(why)
        elif k == "LOSS":
            if subj != "adult" or m.tokset & {"janin", "kandungan"}:
                add("loss", why)  # "janin ..., kata dokter sudah meninggal": reported, hers
        elif k == "ACHE":
            if subj in (None, "mother", "breast") and not (subj is None and m.has_baby):
                mother_fever.append(why)
        elif k == "MAST":
            add("mastitis", why)
        elif k == "BR":
            breast.append(why)
        elif k == "ENG":
            add("engorgement", why)
        elif k == "LATCH":
            add("latch_pain", why)
        elif k == "LOW":
            if any(w in why for w in ("cukup", "enough", "tidak kenyang")) and not (
                m.tokset & {"asi", "susu", "nyusu", "kenyang", "sufor"}
            ):
                continue
            add("low_milk", why)
        elif k in ("MOOD", "MOODS"):
            if subj in ("baby", "adult") and k == "MOODS":
                continue
            add("mood", why)
        elif k == "CRY":
            if subj == "mother":
                add("mood", why)
        elif k == "CRYM":
            if subj == "mother" or (subj is None and not m.has_baby):
                add("mood", why)
        elif k == "CONV":
            if subj == "adult":
                continue
            if subj == "mother" or (subj is None and m.mother_ctx and not m.has_baby):
                add("danger_mother", why)
            else:
                add("danger_baby", why)
        elif k == "MOVE":
            if subj == "adult":
                continue
            if _pregnant(m) or "perut" in m.tokset:
                moves.append(why)
                add("danger_mother", why)
            elif subj == "baby":
                add("danger_baby", why)
        elif k == "PREG_M":
            if subj in ("adult", "baby"):
                continue
            bleed = any(w in why for w in ("darah", "bleeding", "spotting", "keputihan"))
            if _pregnant(m) or (not bleed and m.tokset & _POSTPARTUM):
                add("danger_mother", why)
        elif k == "MILD":
            if subj in ("baby", None) and not (subj is None and m.mother_ctx and not m.has_baby):
                mild.append(why)

    # weakness with nobody named is hers when her own danger signs or fever are there
    for w in leth_open:
        if "danger_mother" in hits or mother_fever:
            mother_weak.append(w)
        else:
            add("danger_baby", w)

    # maternal fever: mastitis with a breast sign, urgent with weakness/lochia/pregnancy
    if mother_fever:
        if breast or "engorgement" in hits or "mastitis" in hits:
            severe_weak = any(w in x for x in mother_weak for w in _SEVERE_WEAK)
            if lochia or severe_weak:
                add("danger_mother", mother_fever[0])
                for w in mother_weak:
                    add("danger_mother", w)
            else:
                for w in breast + hits.get("engorgement", []) + mother_fever:
                    add("mastitis", w)
        elif mother_weak or lochia or mother_fever_high or m.tokset & _PREG_CTX:
            for w in mother_fever + mother_weak:
                add("danger_mother", w)
    elif breast:
        for w in breast:
            add("engorgement", w)

    if self_harm:
        reasons = self_harm + hits.get("danger_mother", []) + hits.get("danger_baby", [])
        return _r(denied, "danger_mother", True, _dedupe(reasons), True)
    # a baby who has died: the baby's signs belong to the loss ("lahir sudah tidak napas"),
    # her own danger signs still win
    if "loss" in hits and "danger_baby" in hits and "danger_mother" not in hits:
        del hits["danger_baby"]
    # a baby who has died in the womb: "tidak gerak" is part of the loss, not her danger sign
    if (
        "loss" in hits
        and "danger_mother" in hits
        and all(r in moves or "gerak" in r for r in hits["danger_mother"])
    ):
        del hits["danger_mother"]
    for label in _ORDER:
        if label in hits:
            reasons = hits[label]
            if label == "danger_baby":
                reasons = reasons + hits.get("danger_mother", [])
            return _r(denied, label, label in URGENT_LABELS, _dedupe(reasons), False)
    if suppressed_question or hypo_danger:
        return _r(denied, "question", False, ("hypothetical question",))
    if mild:  # a symptom of her baby that is not a danger sign: her cadre should see it
        return _r(denied, "question", False, _dedupe(["mild symptom: " + w for w in mild]))
    qwords = [t for t in toks if t in L.QUESTION_WORDS]
    if "aman tidak" in m.text:
        qwords.append("aman tidak")
    words = [t for t in toks if t not in _BOUND]
    if qwords and len(words) >= 2:
        return _r(denied, "question", False, tuple(dict.fromkeys(qwords)))
    if "?" in m.tokset and len(words) >= 2:
        return _r(denied, "question", False, ("?",))
    return _r(denied, "none", False)


def _r(
    denied: list[str],
    label: str,
    urgent: bool,
    reasons: tuple[str, ...] = (),
    self_harm: bool = False,
) -> tuple[TriageResult, bool]:
    return TriageResult(label, urgent, reasons, self_harm), bool(denied)


def _dedupe(xs: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(xs))


def classify(text: str) -> TriageResult:
    """Triage one message.  Pure, fast, never raises for a ``str``."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if len(text) > 20000:
        text = text[:20000]
    try:
        return _classify(text)
    except Exception:  # pragma: no cover - defensive: the engine must never crash
        return TriageResult("none", False, ("triage error",))
