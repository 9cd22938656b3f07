"""Fitting tasks to people (C9): rank the cell's members for a task by how well their recorded strengths
(sở trường) match the task's words, then by their current load; say why. The secretary decides.

Matching ignores diacritics (people type on phones without them) but stop words are dropped on the
accented word first, so "các" (a stop word) never removes "cá" (fish) from "nuôi cá". Vietnamese words are
mostly two syllables ("vận động", "quần chúng"), so adjacent syllables are matched as pairs as well, and a
pair counts more than a single syllable.
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

# Function words and the words every task and strength share (đảng viên, nhiệm vụ, tháng…): they say
# nothing about who fits. Kept with diacritics; see `_keep`.
STOP_WORDS = frozenset(
    """
    và với của các những cho trong là có được để một mỗi người việc thực hiện tại trên theo về đến từ này đó
    khi thì mà như cũng đã sẽ đang hay hoặc nên rằng vào ra lên xuống bị do bởi nhất rất lại còn nữa tháng năm
    ngày tới sau trước đồng chí chi bộ đảng viên phụ trách tham gia công tác nhiệm vụ giao làm cùng các
    ở hết nhiều ít không chưa phải cần đi vẫn nhau đây kia ấy nào gì
    """.split()
)
# The same words as typed without diacritics, for text that has none at all.
_PLAIN_STOP_WORDS = frozenset(unaccent(w) for w in STOP_WORDS)
_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE_BREAK = re.compile(r"[,.;:!?()\[\]\n/\-–—]+")

PAIR_WEIGHT = 2
WORD_WEIGHT = 1


def _keep(word: str) -> bool:
    if word in STOP_WORDS or word.isdigit() or len(word) < 2:
        return False
    # A word typed without any diacritics may be a stop word's plain form ("cac"); one typed with them
    # was already checked above ("cá" is not "các").
    return not (word == unaccent(word) and word in _PLAIN_STOP_WORDS)


@dataclass(frozen=True)
class Terms:
    """The keys of a text (unaccented), and how each was written (for showing why)."""

    words: dict[str, str] = field(default_factory=dict)
    pairs: dict[str, str] = field(default_factory=dict)


def terms(text: str) -> Terms:
    """Syllables and adjacent pairs of syllables within a phrase, stop words dropped (a pair never spans
    a stop word or a comma)."""
    words: dict[str, str] = {}
    pairs: dict[str, str] = {}
    for phrase in _PHRASE_BREAK.split(unicodedata.normalize("NFC", text.lower())):
        run: list[str] = []
        for word in [*_WORD.findall(phrase), ""]:
            if word and _keep(word):
                run.append(word)
                words.setdefault(unaccent(word), word)
                continue
            for a, b in zip(run, run[1:], strict=False):
                pairs.setdefault(f"{unaccent(a)} {unaccent(b)}", f"{a} {b}")
            run = []
    return Terms(words=words, pairs=pairs)


@dataclass(frozen=True)
class Fit:
    member: Member
    score: int
    matched: list[str]  # as the member's strengths write them: pairs first, then single words
    open_tasks: int


def match(task: Terms, strengths: Terms) -> tuple[int, list[str]]:
    pairs = [k for k in task.pairs if k in strengths.pairs]
    in_pairs = {w for k in pairs for w in k.split()}
    words = [k for k in task.words if k in strengths.words and k not in in_pairs]
    shown = [strengths.pairs[k] for k in pairs] + [strengths.words[k] for k in words]
    return PAIR_WEIGHT * len(pairs) + WORD_WEIGHT * (len(pairs) * 2 + len(words)), shown


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
