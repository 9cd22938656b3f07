"""The demo's supervision and directives (C11, C12): who of the Bình Thạnh ward committee, and which two town
department leaders, followed each of its 11 cells in 2021; what they said at the meetings they attended and
how the cells answered; the directives of 2020–2021 the ward had every cell disseminate.

The article: "Đảng ủy phường phân công các đồng chí trong Ban Thường vụ, Đảng ủy viên trực tiếp tham gia sinh
hoạt định kỳ ở từng chi bộ". Two steps: the assignments before the year's meetings are replayed (the
cadre who comes to a cell is then the one assigned to it: chibo.demo.meetings asks `visiting_cadre`), and
after the tasks, before the minutes are written and signed, the remarks' answers and the disseminations
(a signed record takes neither). No random draw here: the demo's other numbers stay what they were.
"""

from datetime import date

from chibo.accounts.models import User
from chibo.demo.builder import PASSWORD, REFORM_DAY, SUPERVISION_FROM, Demo
from chibo.directives import services as directive_services
from chibo.directives.models import Directive
from chibo.meetings.models import Attendance, Meeting, SupervisorRemark
from chibo.members.models import Member
from chibo.supervision import services
from chibo.supervision.models import Assignment
from chibo.supervision.selectors import followers_on

# (username, name, title, kind, cells). The standing committee's members are on the roll of the ward's
# party-agency cell; the town's leaders are named by the ward (no roll in it).
C, L = Assignment.Kind.COMMITTEE, Assignment.Kind.LEADER
CADRES = (
    ("canbo.duhop", "", "Đảng ủy viên, Chủ tịch Ủy ban MTTQ Việt Nam phường", C, ("anhoa", "bt_an")),
    ("thuongvu.bithu", "", "Bí thư Đảng ủy phường", C, ("bt_ubnd", "bt_ca")),
    ("thuongvu.phobithu", "", "Phó Bí thư Thường trực Đảng ủy phường", C, ("bt_a", "bt_b")),
    ("thuongvu.chutich", "", "Ủy viên Ban Thường vụ, Chủ tịch Ủy ban nhân dân phường", C, ("bt_c", "bt_qs")),
    ("lanhdao.noivu", "Trần Thanh Tâm", "Trưởng Phòng Nội vụ thị xã Long Mỹ", L, ("bt_dang", "bt_th")),
    ("lanhdao.tuyengiao", "Lê Thị Hồng Nhung", "Phó Trưởng Ban Tuyên giáo Thị ủy Long Mỹ", L, ("bt_yt",)),
)
UNTIL = REFORM_DAY  # the ward committee ended with the 2025 reform

REMARKS = (
    "Chi bộ chuẩn bị nội dung chu đáo. Đề nghị phân công cụ thể đảng viên phụ trách hộ, báo cáo kết quả ở kỳ sau.",
    "Tỷ lệ đảng viên phát biểu còn thấp; chi ủy cần gợi mở để nhiều đồng chí tham gia ý kiến.",
    "Đề nghị chi bộ rà soát, báo cáo danh sách hộ khó khăn cần hỗ trợ trước ngày 15 tháng sau.",
    "Nghị quyết cần nêu rõ người thực hiện và thời hạn của từng nhiệm vụ.",
)
ASKS_ACTION = {0, 2}  # the remarks above that ask the cell to act and answer
REPLY = "Chi bộ đã phân công và báo cáo kết quả tại kỳ sinh hoạt tháng sau."

# DOMAIN.md: the directives a Mekong Delta ward's cells disseminated in 2021.
DIRECTIVES = (
    (
        Directive.Kind.DIRECTIVE,
        "45-CT/TW",
        date(2020, 6, 20),
        "Bộ Chính trị",
        "Lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XV và bầu cử đại biểu Hội đồng nhân dân các cấp nhiệm kỳ "
        "2021 - 2026 (ngày bầu cử 23/5/2021)",
        date(2020, 10, 31),
    ),
    (
        Directive.Kind.DIRECTIVE,
        "01-CT/TW",
        date(2021, 3, 9),
        "Bộ Chính trị",
        "Tổ chức nghiên cứu, học tập, quán triệt, tuyên truyền và triển khai thực hiện Nghị quyết Đại hội đại "
        "biểu toàn quốc lần thứ XIII của Đảng",
        date(2021, 4, 30),
    ),
    (
        Directive.Kind.CONCLUSION,
        "01-KL/TW",
        date(2021, 5, 18),
        "Bộ Chính trị",
        "Tiếp tục thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị khóa XII về đẩy mạnh học tập và làm theo tư "
        "tưởng, đạo đức, phong cách Hồ Chí Minh",
        date(2021, 6, 30),
    ),
)
LATE = ("01-KL/TW", "bt_yt")  # the health station's cell, busy with the pandemic, disseminates it in July


def _agency_members(demo: Demo) -> list[Member]:
    """Plain members of the ward's party-agency cell (official before the assignments, no position, no
    account), in name order."""
    taken = {u.member_id for u in User.objects.filter(member__isnull=False)}
    return [
        m
        for m in sorted(demo.members["bt_dang"], key=lambda m: m.name_sort_key)
        if m.official_on and m.official_on < SUPERVISION_FROM and not m.positions.exists() and m.pk not in taken
    ]


def add_assignments(demo: Demo) -> None:
    """The ward assigns its standing committee members and two town leaders to its 11 cells (after the 2020
    congress, until the ward ended in 2025)."""
    ward = demo.org("binh_thanh")
    agency = iter(_agency_members(demo))
    officer = demo.users["danguy.binhthanh"]
    for username, name, title, kind, cells in CADRES:
        user = demo.users.get(username)
        if kind == C:
            member = next(agency)
            if user is None:
                user = User.objects.create_user(
                    username=username, password=PASSWORD, first_name=member.full_name, member=member
                )
            else:  # canbo.duhop, created with the other personas: a member of the agency cell
                user.member, user.first_name = member, member.full_name
                user.save(update_fields=["member", "first_name"])
        elif user is None:
            user = User.objects.create_user(username=username, password=PASSWORD, first_name=name)
        demo.users[username] = user
        for key in cells:
            services.assignment_create(
                actor=officer,
                committee=ward,
                cadre=user,
                cell=demo.cells[key],
                kind=kind,
                title=title,
                valid_from=SUPERVISION_FROM,
                valid_to=UNTIL,
            )


def visiting_cadre(meeting: Meeting) -> tuple[User, str, str] | None:
    """The cadre assigned to the meeting's cell on its day, their title, and what they say (chibo.demo.meetings)."""
    assignment = followers_on(meeting.org, meeting.scheduled_date).first()
    if assignment is None:
        return None
    remark = REMARKS[(meeting.scheduled_date.month + meeting.org_id) % len(REMARKS)]
    return assignment.cadre, assignment.title, remark


def add_answers_and_disseminations(demo: Demo) -> None:
    """The cells answer the remarks that asked them to act (all but the last one), and record where they
    disseminated each directive: the first meeting held after it was issued, one cell late."""
    officer = demo.users["danguy.binhthanh"]
    cells = {c.pk: key for key, c in demo.cells.items()}
    remarks = list(
        SupervisorRemark.objects.filter(meeting__org_id__in=cells, meeting__status=Meeting.Status.CLOSED)
        .select_related("meeting", "author")
        .order_by("meeting__scheduled_date", "id")
    )
    wanted = {REMARKS[i] for i in ASKS_ACTION}
    asking = [r for r in remarks if r.text in wanted]
    for i, remark in enumerate(asking):
        services.remark_record(actor=remark.author, meeting=remark.meeting, text=remark.text, asks_action=True)
        if i < len(asking) - 1:
            services.remark_reply(actor=officer, remark=remark, reply=REPLY)
    ward = demo.org("binh_thanh")
    held = list(
        Meeting.objects.filter(org_id__in=cells, status=Meeting.Status.CLOSED, documents__isnull=True)
        .select_related("org", "chair")
        .order_by("scheduled_date", "scheduled_time")
    )
    for kind, number, issued_on, issuer, summary, deadline in DIRECTIVES:
        directive = directive_services.directive_register(
            actor=officer,
            target=ward,
            kind=kind,
            number=number,
            issued_on=issued_on,
            issuer=issuer,
            summary=summary,
            deadline=deadline,
        )
        for target in directive.targets.select_related("cell"):
            key = cells.get(target.cell_id)
            late = (number, key) == LATE
            after = deadline if late else issued_on
            meeting = next(
                (m for m in held if m.org_id == target.cell_id and m.scheduled_date > after and m.kind == "regular"),
                None,
            )
            if meeting is None:
                continue
            chair_present = meeting.chair_id is not None and (
                meeting.attendances.filter(member_id=meeting.chair_id, status__in=Attendance.PRESENT_STATUSES).exists()
            )
            directive_services.dissemination_record(
                actor=officer, directive=directive, meeting=meeting, presenter=meeting.chair if chair_present else None
            )
