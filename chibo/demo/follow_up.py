"""Demo data for C8–C10 (a step of the demo builder, chibo.demo.builder): on the closed meetings of Bình
Thạnh's cells, each resolution gives concrete tasks to members who fit them (chibo.tasks.fitting); the next
meeting reviews them with a realistic mix (most done well and commended, some late, some not done with the
cause, the support and a reminder, carried over); An Hòa's members register this year's commitments to
follow Hồ Chí Minh's example and note progress; a few self-criticisms are recorded and followed up.

Everything goes through the services. It works on whatever closed meetings exist (none: only the
commitments are added) and is reproducible (seeded).

The demo builder calls it as a step, after the meetings' own step:
    from chibo.demo.follow_up import add_follow_up
    STEPS = [..., add_follow_up]
"""

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from chibo.commitments import services as commitment_services
from chibo.commitments.models import Commitment
from chibo.core.dates import today
from chibo.criticism import services as criticism_services
from chibo.criticism.models import CriticismRecord, FollowUp
from chibo.meetings.models import Meeting
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.tasks import fitting, services
from chibo.tasks.models import Task, TaskReview
from chibo.tasks.selectors import held_on, record_locked

if TYPE_CHECKING:
    from chibo.demo.builder import Demo

SEED = 20211203
Out, Ev = TaskReview.Outcome, TaskReview.Evaluation

TASKS = (
    "Vận động hộ dân tham gia bảo hiểm y tế hộ gia đình",
    "Nắm tình hình dân cư, báo cáo người từ tỉnh khác về địa bàn",
    "Hòa giải tranh chấp ranh đất giữa hai hộ ở tổ 3",
    "Hướng dẫn bà con kỹ thuật nuôi cá, trồng lúa vụ hè thu",
    "Soạn thảo báo cáo sơ kết quý, tin học hóa sổ sách chi bộ",
    "Vận động quần chúng đóng góp quỹ khuyến học",
    "Tuyên truyền phòng chống sốt xuất huyết, chăm sóc sức khỏe cộng đồng",
    "Tổ chức văn nghệ mừng Đảng, mừng Xuân; phong trào thanh niên",
    "Kiểm tra, quản lý quỹ vì người nghèo của khu vực",
    "Vận động dân cư giữ gìn vệ sinh môi trường tuyến đường",
)
CAUSES = (
    ("Bận thu hoạch lúa, chưa sắp xếp được thời gian", "Chi ủy phân công đồng chí cùng tổ hỗ trợ"),
    ("Đi làm ăn xa trong tháng", "Tổ trưởng liên lạc, chi ủy nhắc tiến độ hằng tuần"),
    ("Hộ dân chưa đồng thuận, cần thêm thời gian vận động", "Bí thư cùng đi vận động, mời trưởng ấp phối hợp"),
    ("Sức khỏe chưa tốt", "Giảm bớt phần việc, giao thêm một đồng chí cùng làm"),
)
COMMITMENTS = (
    "Gương mẫu giữ gìn vệ sinh, trồng cây xanh trước nhà",
    "Vận động ít nhất 3 hộ tham gia bảo hiểm y tế",
    "Tham gia đầy đủ các buổi sinh hoạt chi bộ, phát biểu ý kiến xây dựng",
    "Giúp đỡ một hộ khó khăn trong khu vực",
    "Học tập, làm theo tấm gương tiết kiệm, chống lãng phí trong gia đình",
    "Tham gia hòa giải mâu thuẫn nhỏ ở tổ dân cư",
    "Đọc và ghi chép một tác phẩm của Bác mỗi quý",
)
SELF_CRITICISMS = (
    ("Vắng sinh hoạt hai tháng không báo trước", "Dự đầy đủ, báo chi ủy khi vắng"),
    ("Chậm đóng đảng phí", "Đóng đảng phí trước ngày họp hằng tháng"),
)


def _closed_meetings(cell: Organization) -> list[Meeting]:
    return list(
        Meeting.objects.filter(org=cell, status=Meeting.Status.CLOSED).order_by("scheduled_date", "scheduled_time")
    )


def _give(rng: random.Random, prev: Meeting, n: int) -> list[Task]:
    """`n` tasks at `prev`, each to the best-fitting member (or two), as the secretary would choose."""
    day = held_on(prev)
    given = []
    for text in rng.sample(TASKS, n):
        fits = fitting.rank_members(org=prev.org, text=text, day=day)
        if not fits:
            break
        people = [fits[0].member] + ([fits[1].member] if len(fits) > 1 and rng.random() < 0.3 else [])
        due = day + timedelta(days=rng.choice((15, 20, 25)))
        given.append(services.task_create(actor=None, meeting=prev, description=text, assignees=people, due_on=due))
    return given


def _report_and_review(rng: random.Random, task: Task, nxt: Meeting) -> None:
    start, review_day = held_on(task.meeting), held_on(nxt)
    for a in task.assignments.select_related("member"):
        roll = rng.random()
        late_day = task.due_on + timedelta(days=rng.randint(2, 6))
        if roll < 0.2:  # not done: cause, support, reminder; carried into the next resolution
            if rng.random() < 0.5:
                services.progress_report(actor=None, assignment=a, status="in_progress", note="Đang thực hiện một phần")
            cause, support = rng.choice(CAUSES)
            services.task_review_record(
                actor=None, meeting=nxt, assignment=a, outcome=rng.choice([Out.UNFINISHED, Out.NOT_DONE]),
                evaluation=Ev.REMINDED, cause=cause, support_measure=support,
                reminder="Hoàn thành trước kỳ sinh hoạt tháng sau",
            )  # fmt: skip
        elif roll < 0.35 and late_day <= min(review_day, today()):  # done, late
            services.progress_report(actor=None, assignment=a, status="done", done_on=late_day, note="Đã hoàn thành")
            services.task_review_record(
                actor=None, meeting=nxt, assignment=a, outcome=Out.DONE_LATE, evaluation=Ev.REMINDED,
                reminder="Chú ý bảo đảm tiến độ", comment="Hoàn thành nhưng chậm so với hạn",
            )  # fmt: skip
        else:  # done on time; most are commended
            done = min(start + timedelta(days=rng.randint(3, 14)), task.due_on, today())
            services.progress_report(actor=None, assignment=a, status="done", done_on=done, note="Đã hoàn thành")
            commended = rng.random() < 0.7
            services.task_review_record(
                actor=None, meeting=nxt, assignment=a, outcome=Out.DONE,
                evaluation=Ev.COMMENDED if commended else Ev.ACCEPTED,
                comment="Hoàn thành tốt, đúng hạn" if commended else "",
            )  # fmt: skip


def _tasks_for_cell(rng: random.Random, cell: Organization) -> None:
    meetings = _closed_meetings(cell)
    for prev, nxt in zip(meetings, meetings[1:], strict=False):
        _give(rng, prev, rng.randint(2, 3))
        if record_locked(nxt):
            continue  # its minutes are signed: the review would be an amendment; leave it unreviewed
        for task in Task.objects.filter(meeting=prev).order_by("pk"):  # carried-over tasks too
            _report_and_review(rng, task, nxt)
    if meetings:  # the latest resolution's tasks are this month's work in progress
        for task in _give(rng, meetings[-1], 2):
            a = task.assignments.first()
            if a is not None and rng.random() < 0.5 and held_on(meetings[-1]) <= today():
                services.progress_report(actor=None, assignment=a, status="in_progress", note="Đã làm được một nửa")


def _self_criticisms(rng: random.Random, cell: Organization) -> None:
    meetings = [m for m in _closed_meetings(cell) if not record_locked(m)]
    members = list(Member.objects.filter(org=cell).current().order_by("name_sort_key")[:2])
    for (content, promise), member, (at, later) in zip(
        SELF_CRITICISMS, members, zip(meetings, meetings[1:], strict=False), strict=False
    ):
        record = criticism_services.criticism_record(
            actor=None, meeting=at, member=member, kind=CriticismRecord.Kind.SELF_CRITICISM,
            content=content, commitment=promise,
        )  # fmt: skip
        progress = rng.choice([FollowUp.Progress.KEPT, FollowUp.Progress.PARTLY])
        criticism_services.follow_up_record(actor=None, record=record, meeting=later, progress=progress)


def _commitments(rng: random.Random, cell: Organization) -> None:
    """This year's commitments of the cell's members (all but a few); progress notes; at the year's end
    (from November) the committee's review of most of them."""
    year = today().year
    members = list(Member.objects.filter(org=cell).current().order_by("name_sort_key"))
    for member in members[:-3] if len(members) > 5 else members:
        if Commitment.objects.filter(member=member, year=year).exists():
            continue
        c = commitment_services.commitment_register(
            actor=None, member=member, year=year, content="\n".join(rng.sample(COMMITMENTS, 3))
        )
        commitment_services.progress_note_add(actor=None, commitment=c, text="Đã thực hiện được một phần")
        if commitment_services.review_is_open(year) and rng.random() < 0.6:
            level = rng.choice(
                [Commitment.Level.EXCELLENT, Commitment.Level.GOOD, Commitment.Level.GOOD, Commitment.Level.FAIR]
            )
            commitment_services.commitment_review(actor=None, commitment=c, level=level, comment="Thực hiện nghiêm túc")


def add_follow_up(demo: "Demo", *, cell_keys: tuple[str, ...] | None = None, seed: int = SEED) -> None:
    """Tasks and reviews on Bình Thạnh's cells' closed meetings; An Hòa's commitments and self-criticisms."""
    from chibo.demo.builder import BINH_THANH_CELLS

    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    keys = cell_keys if cell_keys is not None else tuple(spec.key for spec in BINH_THANH_CELLS)
    for key in keys:
        if key in demo.cells:
            _tasks_for_cell(rng, Organization.objects.get(pk=demo.cells[key].pk))
    if "anhoa" in demo.cells:
        anhoa = Organization.objects.get(pk=demo.cells["anhoa"].pk)
        _self_criticisms(rng, anhoa)
        _commitments(rng, anhoa)
