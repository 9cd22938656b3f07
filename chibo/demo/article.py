"""The meeting the article pictures: Chi bộ khu vực An Hòa, 05/04/2021, recorded in full.

The committee met on 01/04 to prepare it (content, the draft report and resolution, who discusses what);
members and the invited cadre of the town were notified; the draft report went out on 02/04. Two members
were excused (named, with their reasons), one came late, an exempt elder came all the same; the ward's
committee member who follows the cell (canbo.duhop) and a department head of the town attended. Eleven
members spoke, self-criticism and criticism included, the directives of the month were disseminated, the
resolution with tasks for named members was voted unanimously, and the next morning the minutes were
signed by the chair and the recorder and the resolution by the secretary: both are locked.
"""

from datetime import date, datetime, time
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as new_docx

from chibo.demo import content
from chibo.demo.builder import ARTICLE_DAY
from chibo.demo.replay import (
    VN,
    CellRun,
    Ctx,
    GuestVisit,
    Mark,
    Turn,
    open_and_mark,
    prepare,
    proceed,
)
from chibo.meetings import services as meeting_services
from chibo.meetings.models import AgendaItem, Attachment, Attendance, Meeting, SpeakingTurn
from chibo.meetings.selectors import live_totals
from chibo.scheduling import services as scheduling_services
from chibo.tasks import services as task_services

ARTICLE_DECISIONS = (
    "Chi ủy họp chuẩn bị nội dung sinh hoạt tháng 4 năm 2021, thống nhất:\n"
    "1. Kiểm điểm kết quả thực hiện nghị quyết tháng 3: việc phân công đảng viên phụ trách hộ gần nhà, nắm người "
    "từ địa phương khác về và báo Trạm Y tế phường.\n"
    "2. Quán triệt Chỉ thị số 45-CT/TW về lãnh đạo cuộc bầu cử ngày 23/5/2021 và Hướng dẫn số 12-HD/BTCTW về nâng "
    "cao chất lượng sinh hoạt chi bộ.\n"
    "3. Giao đồng chí {deputy} chuẩn bị dự thảo báo cáo và dự thảo nghị quyết, gửi đảng viên trước ngày họp.\n"
    "4. Vấn đề đưa ra thảo luận: phân công đảng viên tuyên truyền bầu cử đến từng hộ; tự phê bình và phê bình "
    "việc thực hiện nhiệm vụ phụ trách hộ; động viên mỗi đảng viên phát biểu ý kiến."
)
ARTICLE_NOTES: dict[str, str] = {
    AgendaItem.Kind.NEWS: "Quán triệt: " + "; ".join(content.DIRECTIVES[(2021, 4)]) + ".",
    AgendaItem.Kind.THINKING: (
        "Đảng viên an tâm, phấn khởi sau Đại hội XIII của Đảng; chấp hành tốt nhiệm vụ phòng, chống dịch."
    ),
    AgendaItem.Kind.REVIEW: (
        "Tháng 3: 100% đảng viên được phân công phụ trách hộ gần nhà; thu đảng phí đạt 100%; kiểm điểm từng "
        "phần việc nghị quyết tháng 3 đã giao."
    ),
    AgendaItem.Kind.HCM_EXAMPLE: (
        "Mỗi đảng viên báo cáo việc làm theo Bác đã đăng ký: cần cù lao động, sống tiết kiệm, giúp hộ khó khăn gần nhà."
    ),
    AgendaItem.Kind.RESIDENTS: "Ý kiến của nhân dân qua các đảng viên phụ trách hộ.",
    AgendaItem.Kind.NEXT_TASKS: (
        "Tuyên truyền bầu cử ngày 23/5/2021; tiếp tục quản lý người từ địa phương khác về; thu đảng phí. "
        "Phân công: đồng chí {a} lập danh sách cử tri; đồng chí {b} vận động đóng góp Quỹ Vì người nghèo; đồng chí "
        "{c} vận động thu gom rác."
    ),
    AgendaItem.Kind.DISCUSSION: "Đảng viên tự phê bình việc thực hiện nhiệm vụ phụ trách hộ; chi bộ góp ý.",
}
ARTICLE_DRAFT = (
    "1. Mỗi đảng viên tiếp tục phụ trách các hộ gần nơi mình sinh sống, theo dõi các trường hợp từ địa phương "
    "khác về và thông báo ngay cho Trạm Y tế phường.\n"
    "2. Tuyên truyền đến 100% hộ dân trong khu vực về cuộc bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các "
    "cấp ngày 23/5/2021.\n"
    "3. Thu đảng phí tháng 4 đạt 100%, nộp về Đảng ủy phường trước ngày 25/04/2021."
)
# The resolution's concrete tasks (given through the tasks app, listed by the resolution after the clauses).
ARTICLE_TASKS = (
    ("Phối hợp Ban điều hành khu vực lập danh sách cử tri khu vực An Hòa", date(2021, 4, 20)),
    ("Vận động các hộ trong khu vực đóng góp Quỹ Vì người nghèo năm 2021", date(2021, 4, 20)),
    ("Phối hợp Chi hội Phụ nữ vận động hộ dân thu gom rác đúng giờ", date(2021, 4, 30)),
)
ARTICLE_REMARK = (
    "Ghi nhận chi ủy chuẩn bị chu đáo, nội dung sinh hoạt thiết thực, nhiều đảng viên phát biểu. Đề nghị chi bộ "
    "tiếp tục quán triệt Chỉ thị số 45-CT/TW, phân công đảng viên tuyên truyền bầu cử đến từng hộ; duy trì việc "
    "mỗi đảng viên phụ trách các hộ gần nhà, nắm chắc người từ địa phương khác về để báo ngành y tế kịp thời; "
    "theo dõi, nhắc nhở đảng viên thực hiện nhiệm vụ chưa hoàn thành."
)
ARTICLE_MINUTES: dict[str, float] = {
    AgendaItem.Kind.OPENING: 10,
    AgendaItem.Kind.NEWS: 18,
    AgendaItem.Kind.THINKING: 5,
    AgendaItem.Kind.REVIEW: 10,
    AgendaItem.Kind.HCM_EXAMPLE: 4,
    AgendaItem.Kind.RESIDENTS: 5,
    AgendaItem.Kind.NEXT_TASKS: 8,
    AgendaItem.Kind.DISCUSSION: 4,
    AgendaItem.Kind.CLOSING: 8,
}
HOSPITAL, FAMILY = "Nằm viện tại Bệnh viện Đa khoa thị xã Long Mỹ", "Bận việc gia đình (đám giỗ), đã xin phép bí thư"


def _draft_report(notes: dict[str, str]) -> SimpleUploadedFile:
    """The draft report the committee sent members before the meeting, as a small Word file."""
    doc = new_docx()
    doc.add_heading("DỰ THẢO BÁO CÁO", level=1)
    doc.add_paragraph("Kết quả thực hiện nhiệm vụ tháng 3 và phương hướng nhiệm vụ tháng 4 năm 2021")
    for line in notes.values():
        doc.add_paragraph(line, style="List Bullet")
    out = BytesIO()
    doc.save(out)
    return SimpleUploadedFile("du-thao-bao-cao-thang-4-2021.docx", out.getvalue())


def hold_article(ctx: Ctx, run: CellRun, meeting: Meeting) -> None:
    """The meeting the article pictures, recorded in full (see the module docstring)."""
    rng = ctx.rng
    officials = [
        m
        for m in sorted(ctx.demo.members[run.key], key=lambda m: m.pk)
        if m.official_on
        and m.official_on < date(2020, 10, 1)
        and m.pk not in run.protected
        and not m.exemptions.exists()
    ]
    # Two members of the same name would read as one in the minutes: the article's speakers have distinct names.
    names = [m.full_name for m in officials]
    plain = [m for m in officials if m not in run.committee and names.count(m.full_name) == 1]
    hospital, family, late, *talkers = rng.sample(plain, 12)
    a, b, c = talkers[:3]
    town_guest = (ctx.demo.gen.person().full_name, "Phó Trưởng Phòng Nội vụ thị xã Long Mỹ")

    notes = {k: v.format(a=a.full_name, b=b.full_name, c=c.full_name) for k, v in ARTICLE_NOTES.items()}
    ctx.clock.at(date(2021, 3, 29), 9, 0)
    scheduling_services.guest_invite(
        actor=run.actor, meeting=meeting, name=town_guest[0], affiliation=town_guest[1], phone=ctx.demo.gen.phone()
    )
    prepare(
        ctx,
        run,
        meeting,
        held_on=date(2021, 4, 1),
        decisions=ARTICLE_DECISIONS.format(deputy=run.deputy.full_name),
        draft=ARTICLE_DRAFT,
        notes=notes,
    )
    ctx.clock.at(date(2021, 4, 2), 8, 10)
    meeting_services.attachment_add(
        actor=run.actor,
        meeting=meeting,
        upload=_draft_report(notes),
        title="Dự thảo báo cáo kết quả tháng 3, phương hướng tháng 4 năm 2021",
        kind=Attachment.Kind.DRAFT_REPORT,
    )

    def marks(rows: list[Attendance]) -> dict[int, Mark]:
        decided = {
            hospital.pk: Mark(Attendance.Status.EXCUSED, HOSPITAL),
            family.pk: Mark(Attendance.Status.EXCUSED, FAMILY),
        }
        decided[late.pk] = Mark(Attendance.Status.LATE, late_minutes=12)
        elder = next((r for r in rows if r.is_exempt and r.member.birth_date.year < 1945), None)
        if elder is not None:
            decided[elder.member_id] = Mark(Attendance.Status.PRESENT)  # exempt for old age, came all the same
        return decided

    start = datetime.combine(ARTICLE_DAY, time(19, 3), tzinfo=VN)
    rows = open_and_mark(ctx, run, meeting, start=start, marks=marks)
    assert live_totals(meeting).attendance_met
    d, e, f, g, h, i = talkers[3:9]
    committee_member = run.committee[2]
    turns = [
        Turn(
            d,
            SpeakingTurn.Kind.OPINION,
            "Đảng viên trong chi bộ an tâm, phấn khởi trước thành công của Đại hội XIII của Đảng; "
            "tin tưởng vào công tác phòng, chống dịch Covid-19 của địa phương.",
            AgendaItem.Kind.THINKING,
            3,
        ),
        Turn(
            e,
            SpeakingTurn.Kind.OPINION,
            "Tháng 3 các đảng viên đã đến đủ các hộ được phân công phụ trách; phát hiện 4 trường hợp "
            "từ Thành phố Hồ Chí Minh và tỉnh Bình Dương về, đã báo Trạm Y tế phường theo dõi đúng quy định.",
            AgendaItem.Kind.REVIEW,
            4,
        ),
        Turn(
            b,
            SpeakingTurn.Kind.EXPLANATION,
            "Giải trình việc báo cáo danh sách hộ phụ trách chậm 2 ngày: do bận thu hoạch lúa Đông "
            "Xuân; đã khắc phục, từ nay báo cáo đúng hạn.",
            AgendaItem.Kind.REVIEW,
            3,
        ),
        Turn(
            f,
            SpeakingTurn.Kind.OPINION,
            "Làm theo Bác: tháng qua đã giới thiệu 1 lao động của hộ khó khăn gần nhà vào làm ở cơ sở "
            "xay xát lúa; tiếp tục giúp hộ này có việc làm ổn định.",
            AgendaItem.Kind.HCM_EXAMPLE,
            3,
        ),
        Turn(
            g,
            SpeakingTurn.Kind.OPINION,
            "Nhân dân đồng tình việc đảng viên đến từng hộ tuyên truyền phòng dịch; vẫn còn hộ chủ quan, "
            "có người thân về mà chưa khai báo y tế.",
            AgendaItem.Kind.RESIDENTS,
            3,
        ),
        Turn(
            h,
            SpeakingTurn.Kind.PROPOSAL,
            "Bà con phản ánh tuyến đường đal dọc kênh Cái Nhúc chưa có đèn; kiến nghị phường lắp đèn "
            "chiếu sáng trước mùa mưa.",
            AgendaItem.Kind.RESIDENTS,
            2,
        ),
        Turn(
            a,
            SpeakingTurn.Kind.OPINION,
            "Thống nhất dự thảo nghị quyết; đề nghị phân công đảng viên tuyên truyền bầu cử ngày "
            "23/5/2021 đến từng hộ, ưu tiên người cao tuổi.",
            AgendaItem.Kind.NEXT_TASKS,
            3,
        ),
        Turn(
            c,
            SpeakingTurn.Kind.PROPOSAL,
            "Đề xuất chi bộ phối hợp Chi hội Phụ nữ vận động hộ dân thu gom rác đúng giờ, giữ vệ sinh tuyến kênh.",
            AgendaItem.Kind.NEXT_TASKS,
            2,
        ),
        Turn(
            late,
            SpeakingTurn.Kind.SELF_CRITICISM,
            "Tự phê bình: đến họp muộn; tháng qua còn 2 hộ được phân công chưa đến thăm. "
            "Hứa khắc phục, hoàn thành trong tháng 4.",
            AgendaItem.Kind.DISCUSSION,
            3,
        ),
        Turn(
            committee_member,
            SpeakingTurn.Kind.CRITICISM,
            f"Phê bình đồng chí {late.full_name} chưa đến đủ các hộ được phân công "
            "và đến họp muộn; đề nghị chi ủy theo dõi, nhắc nhở.",
            AgendaItem.Kind.DISCUSSION,
            3,
        ),
        Turn(
            i,
            SpeakingTurn.Kind.SELF_CRITICISM,
            "Tự phê bình: nộp đảng phí tháng 3 chậm; hứa nộp đúng kỳ sinh hoạt.",
            AgendaItem.Kind.DISCUSSION,
            2,
        ),
    ]
    guests = [
        GuestVisit(ctx.supervisor.first_name, content.SUPERVISOR_ROLE, user=ctx.supervisor, remark=ARTICLE_REMARK),
        GuestVisit(*town_guest),
    ]
    meeting.refresh_from_db()
    meeting = proceed(ctx, run, meeting, guests=guests, turns=turns, vote=(0, 0), item_minutes=ARTICLE_MINUTES)
    run.last_late = [r.member for r in rows if r.member_id == late.pk]
    # The tasks the resolution gives named members, entered by the secretary after the close.
    for member, (text, due) in zip((a, b, c), ARTICLE_TASKS, strict=True):
        ctx.clock.advance(minutes=2)
        task_services.task_create(actor=run.actor, meeting=meeting, description=text, assignees=[member], due_on=due)
