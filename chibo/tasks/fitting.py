"""Fitting tasks to people (C9): rank the cell's members for a task by how well their recorded strengths
(sở trường) match the task's words, then by their current load; say why. The secretary decides.

Matching ignores diacritics where the text has none (people type on phones without them): "van dong"
finds "vận động"; where both sides have them they must agree, so "văn" (văn bản) does not match "vận"
(vận động). Stop words are dropped on the accented word first, so "các" (a stop word) never removes "cá"
(fish) from "nuôi cá". Vietnamese words are mostly two syllables ("vận động", "quần chúng"), so adjacent
syllables are matched as pairs too, and a matched pair adds to the score of its two syllables.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from chibo.core.vietnamese import unaccent
from chibo.members.models import Member
from chibo.members.selectors import vietnamese_order
from chibo.organizations.models import Organization
from chibo.tasks.selectors import exempt_now, open_assignments

# Function words: they say nothing about who fits. Kept with diacritics; see `_keep`.
STOP_WORDS = frozenset(
    """
    và với của các những cho trong là có được để một mỗi người việc tại trên theo về đến từ này đó khi thì mà
    như cũng đã sẽ đang hay hoặc nên rằng vào ra lên xuống bị do bởi nhất rất lại còn nữa tháng năm ngày tới
    sau trước giao làm cùng ở hết nhiều ít không chưa phải cần đi vẫn nhau đây kia ấy nào gì
    """.split()
)
# Words of two syllables that every task and strength of a cell shares; dropped as a whole, because each
# syllable alone may mean something ("đồng" in "cộng đồng", "chí" in "ý chí").
STOP_PHRASES = frozenset(
    ("đồng chí", "chi bộ", "đảng viên", "thực hiện", "tham gia", "công tác", "nhiệm vụ", "phụ trách")
)
# Stop words as typed without diacritics: only the forms that are nearly always a function word, because
# the plain form of many stop words is also a content word's ("de": để / đê, "tai": tại / tài, "can":
# cần / cán, "trong": trong / trồng, "day": đây / dạy).
_PLAIN_STOP_WORDS = frozenset(
    """
    va voi cua cac nhung duoc mot viec tren theo nay nhu cung hoac rang vao boi nhat rat nua het nhieu khong nhau
    kia nao
    """.split()
)
_PLAIN_STOP_PHRASES = frozenset(unaccent(p) for p in STOP_PHRASES)
_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE_BREAK = re.compile(r"[,.;:!?()\[\]\n/\-–—]+")

PAIR_WEIGHT = 2
WORD_WEIGHT = 1


def _is_plain(text: str) -> bool:
    return text == unaccent(text)


def _stopped(text: str, accented: frozenset[str], plain: frozenset[str]) -> bool:
    # A word typed without any diacritics may be a stop word's plain form ("cac"); one typed with them is
    # compared as written ("cá" is not "các").
    return text in accented or (_is_plain(text) and text in plain)


def _runs(text: str) -> list[list[str]]:
    """Runs of meaningful words, lowercased: a run ends at punctuation, a stop word or a stop phrase."""
    runs: list[list[str]] = []
    for phrase in _PHRASE_BREAK.split(unicodedata.normalize("NFC", text.lower())):
        words = _WORD.findall(phrase)
        run: list[str] = []
        i = 0
        while i < len(words):
            pair = " ".join(words[i : i + 2])
            if i + 1 < len(words) and _stopped(pair, STOP_PHRASES, _PLAIN_STOP_PHRASES):
                skip = 2
            elif words[i].isdigit() or _stopped(words[i], STOP_WORDS, _PLAIN_STOP_WORDS):
                skip = 1
            else:
                run.append(words[i])
                i += 1
                continue
            if run:
                runs.append(run)
            run, i = [], i + skip
        if run:
            runs.append(run)
    return runs


@dataclass(frozen=True)
class Terms:
    """A text's words and adjacent pairs of words, each by its unaccented key with the forms written."""

    words: dict[str, set[str]] = field(default_factory=dict)
    pairs: dict[str, set[str]] = field(default_factory=dict)
    runs: list[list[str]] = field(default_factory=list)


def terms(text: str) -> Terms:
    words: dict[str, set[str]] = {}
    pairs: dict[str, set[str]] = {}
    runs = _runs(text)
    for run in runs:
        for w in run:
            words.setdefault(unaccent(w), set()).add(w)
        for a, b in zip(run, run[1:], strict=False):
            pairs.setdefault(unaccent(f"{a} {b}"), set()).add(f"{a} {b}")
    return Terms(words=words, pairs=pairs, runs=runs)


def _same(a: set[str], b: set[str]) -> bool:
    """Written alike, or one of them written without diacritics (then only the letters count): "văn" and
    "vận" differ, "van" matches both."""
    return bool(a & b) or any(_is_plain(x) for x in a | b)


@dataclass(frozen=True)
class Fit:
    member: Member
    score: int
    matched: list[str]  # as the member's strengths write them: runs of matched words, then single words
    open_tasks: int


def match(task: Terms, strengths: Terms) -> tuple[int, list[str]]:
    pairs = {k for k, forms in task.pairs.items() if k in strengths.pairs and _same(forms, strengths.pairs[k])}
    words = {k for k, forms in task.words.items() if k in strengths.words and _same(forms, strengths.words[k])}
    shown: list[str] = []
    covered: set[str] = set()
    for run in strengths.runs:  # the longest stretches of the strengths' own words that matched pair by pair
        chain = [run[0]]
        for a, b in zip(run, run[1:], strict=False):
            if unaccent(f"{a} {b}") in pairs:
                chain.append(b)
                continue
            if len(chain) > 1:
                shown.append(" ".join(chain))
                covered |= {unaccent(w) for w in chain}
            chain = [b]
        if len(chain) > 1:
            shown.append(" ".join(chain))
            covered |= {unaccent(w) for w in chain}
    for run in strengths.runs:
        for w in run:
            key = unaccent(w)
            if key in words and key not in covered:
                shown.append(w)
                covered.add(key)
    return PAIR_WEIGHT * len(pairs) + WORD_WEIGHT * len(words), shown


def rank_members(*, org: Organization, text: str, day: date) -> list[Fit]:
    """Every member on the cell's roll and not exempt on `day`, best fit first: the higher match score,
    then the fewer open tasks, then the name. One query, whatever the size of the cell."""
    members = (
        Member.objects.filter(org=org)
        .current()
        .annotate(is_exempt=exempt_now(day))
        .filter(is_exempt=False)
        .annotate(open_tasks=Count("task_assignments", filter=open_assignments("task_assignments__")))
        .order_by(*vietnamese_order())
    )
    wanted = terms(text)
    fits = []
    for member in members:
        score, shown = match(wanted, terms(member.strengths)) if member.strengths else (0, [])
        fits.append(Fit(member=member, score=score, matched=shown, open_tasks=member.open_tasks))  # type: ignore[attr-defined]
    # Python's sort is stable: members with the same score and load stay in name order.
    fits.sort(key=lambda f: (-f.score, f.open_tasks))
    return fits
