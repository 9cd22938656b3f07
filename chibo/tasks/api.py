"""Tasks over the API (C17): my tasks, a meeting's tasks (giving one with the fitting suggestions), the
review at the next meeting, progress reports, and a member's record; the same services and scope as the
pages. Outside scope: 404; seen but not one's to act on: 403; refused: 422 {"detail", "field"}."""

from datetime import date, datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from chibo.accounts.http import AuthenticatedHttpRequest
from chibo.accounts.scope import can_see_sensitive, get_member_for_user
from chibo.core.api_tools import ChiboErrorOut, ErrorOut, Pagination
from chibo.core.errors import ChiboError
from chibo.meetings.selectors import get_meeting_for_user
from chibo.members.models import Member
from chibo.tasks import fitting, selectors, services
from chibo.tasks.models import Task, TaskAssignment, TaskReview
from chibo.tasks.record import member_record

router = Router(tags=["Nhiệm vụ"])
record_router = Router(tags=["Nhiệm vụ"])


class ReviewOut(Schema):
    meeting_id: int
    outcome: TaskReview.Outcome
    evaluation: TaskReview.Evaluation
    comment: str
    cause: str
    support_measure: str
    reminder: str
    carried_to_id: int | None
    reviewed_at: datetime


class AssignmentOut(Schema):
    id: int
    task_id: int
    description: str = Field(alias="task.description")
    due_on: date = Field(alias="task.due_on")
    meeting_id: int = Field(alias="task.meeting_id")
    member_id: int
    full_name: str = Field(alias="member.full_name")
    status: TaskAssignment.Status
    done_on: date | None
    last_note: str
    review: ReviewOut | None = None

    @staticmethod
    def resolve_review(obj: TaskAssignment) -> TaskReview | None:
        return getattr(obj, "review", None)


class TaskOut(Schema):
    id: int
    meeting_id: int
    org_id: int
    description: str
    due_on: date
    carried_from_id: int | None
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_assignments(obj: Task) -> list[TaskAssignment]:
        return list(obj.assignments.all())


class TaskIn(Schema):
    description: str = ""
    assignee_ids: list[int] = Field(default_factory=list, description="Đảng viên của chi bộ thực hiện.")
    due_on: date | None = None


class ProgressIn(Schema):
    status: TaskAssignment.Status | None = None
    note: str = ""
    done_on: date | None = None


class ReviewIn(Schema):
    outcome: TaskReview.Outcome | None = None
    evaluation: TaskReview.Evaluation | None = None
    comment: str = ""
    cause: str = ""
    support_measure: str = ""
    reminder: str = ""
    carry_over_due_on: date | None = None
    amendment_reason: str = Field("", description="Bắt buộc khi biên bản buổi họp đã ký và khóa (đính chính).")


class FitOut(Schema):
    member_id: int
    full_name: str
    score: int
    matched: list[str] = Field(description="Từ trong sở trường khớp với nội dung nhiệm vụ.")
    open_tasks: int = Field(description="Số nhiệm vụ đang làm.")


class EventOut(Schema):
    kind: str
    discipline: str = Field("", description="khiển trách / cảnh cáo / cách chức / khai trừ khi kind = discipline")
    decided_on: date
    decision_number: str
    issued_by: str
    ends_on: date | None = None


class YearOut(Schema):
    year: int
    required: int
    present: int
    excused: int
    unexcused: int
    present_rate: float | None
    excused_rate: float | None
    unexcused_rate: float | None
    turns: int
    criticism_turns: int
    self_criticism_turns: int
    tasks: int
    tasks_done: int
    tasks_late: int
    tasks_not_done: int
    tasks_open: int
    commendations: int
    reminders: int
    criticism_records: int | None = Field(None, description="Chỉ chi ủy và cấp trên thấy.")
    criticism_resolved: int | None = None
    follow_ups: int | None = None
    commitment_id: int | None = None
    commitment_status: str | None = None
    commitment_level: str | None = None
    events: list[EventOut] = Field(
        default_factory=list, description="Kỷ luật, đình chỉ, công nhận chính thức, xóa tên."
    )


class RecordOut(Schema):
    member_id: int
    full_name: str
    years: list[YearOut]


def _task(task_id: int) -> Task:
    return Task.objects.prefetch_related("assignments__member", "assignments__review").get(pk=task_id)


@router.get("/mine", response={200: list[AssignmentOut]})
@paginate(Pagination)
def my_tasks(request: AuthenticatedHttpRequest) -> QuerySet[TaskAssignment]:
    """Nhiệm vụ của tôi: việc đang làm trước (hạn gần nhất trước), rồi việc đã kiểm điểm (mới nhất trước)."""
    return selectors.my_tasks(getattr(request.user, "member_id", None))


@router.get("/{task_id}", response={200: TaskOut, 404: ErrorOut})
def task_detail(request: AuthenticatedHttpRequest, task_id: int) -> Task:
    """Một nhiệm vụ với người thực hiện, tiến độ và kết quả kiểm điểm."""
    return _task(selectors.get_task_for_user(request.user, task_id).pk)


@router.post(
    "/{task_id}/assignees/{member_id}/progress",
    response={200: AssignmentOut, 403: ErrorOut, 404: ErrorOut, 422: ChiboErrorOut},
)
def progress_report(
    request: AuthenticatedHttpRequest, task_id: int, member_id: int, payload: ProgressIn
) -> TaskAssignment:
    """Báo cáo tiến độ: đảng viên được giao (hoặc chi ủy ghi thay) trước kỳ họp sau."""
    assignment = selectors.get_assignment_to_report(request.user, task_id, member_id)
    services.progress_report(
        actor=request.user, assignment=assignment, status=payload.status, note=payload.note, done_on=payload.done_on
    )
    return TaskAssignment.objects.select_related("task", "member").get(pk=assignment.pk)


@router.get("/meetings/{meeting_id}", response={200: list[TaskOut], 404: ErrorOut})
@paginate(Pagination)
def meeting_tasks(request: AuthenticatedHttpRequest, meeting_id: int) -> QuerySet[Task]:
    """Các nhiệm vụ nghị quyết của buổi họp giao."""
    return selectors.tasks_of_meeting(get_meeting_for_user(request.user, meeting_id))


@router.post("/meetings/{meeting_id}", response={201: TaskOut, 403: ErrorOut, 404: ErrorOut, 422: ChiboErrorOut})
def task_create(request: AuthenticatedHttpRequest, meeting_id: int, payload: TaskIn) -> Status:
    """Giao một nhiệm vụ cụ thể cho một hoặc nhiều đảng viên của chi bộ, có hạn hoàn thành."""
    meeting = get_meeting_for_user(request.user, meeting_id, action="change")
    members = list(Member.objects.filter(pk__in=payload.assignee_ids))
    if len(members) != len(set(payload.assignee_ids)):
        raise ChiboError("Có đảng viên không tồn tại trong danh sách.", field="assignee_ids")
    task = services.task_create(
        actor=request.user, meeting=meeting, description=payload.description, assignees=members, due_on=payload.due_on
    )
    return Status(201, _task(task.pk))


@router.get("/meetings/{meeting_id}/suggestions", response={200: list[FitOut], 403: ErrorOut, 404: ErrorOut})
def suggestions(request: AuthenticatedHttpRequest, meeting_id: int, description: str = "") -> list[FitOut]:
    """Gợi ý người phù hợp: sở trường khớp với nội dung nhiệm vụ (không phân biệt dấu), rồi ít việc hơn."""
    meeting = get_meeting_for_user(request.user, meeting_id, action="change")
    fits = fitting.rank_members(org=meeting.org, text=description, day=selectors.held_on(meeting))
    return [
        FitOut(
            member_id=f.member.pk,
            full_name=f.member.full_name,
            score=f.score,
            matched=f.matched,
            open_tasks=f.open_tasks,
        )
        for f in fits
    ]


@router.get("/meetings/{meeting_id}/review", response={200: list[AssignmentOut], 403: ErrorOut, 404: ErrorOut})
@paginate(Pagination)
def review_list(request: AuthenticatedHttpRequest, meeting_id: int) -> QuerySet[TaskAssignment]:
    """Kiểm điểm nhiệm vụ tháng trước: nhiệm vụ của nghị quyết kỳ trước và các nhiệm vụ đến hạn chưa kiểm điểm."""
    return selectors.review_list(get_meeting_for_user(request.user, meeting_id, action="change"))


@router.put(
    "/meetings/{meeting_id}/review/{assignment_id}",
    response={200: AssignmentOut, 403: ErrorOut, 404: ErrorOut, 422: ChiboErrorOut},
)
def review_record(
    request: AuthenticatedHttpRequest, meeting_id: int, assignment_id: int, payload: ReviewIn
) -> TaskAssignment:
    """Ghi kết quả kiểm điểm một phần việc: hoàn thành tốt → biểu dương; chưa hoàn thành → nguyên nhân,
    biện pháp giúp đỡ, nhắc nhở, và chuyển tiếp sang nghị quyết kỳ này."""
    meeting = get_meeting_for_user(request.user, meeting_id, action="change")
    assignment = get_object_or_404(TaskAssignment, pk=assignment_id, task__org=meeting.org_id)
    services.task_review_record(actor=request.user, meeting=meeting, assignment=assignment, **payload.model_dump())
    return TaskAssignment.objects.select_related("task", "member", "review").get(pk=assignment.pk)


@record_router.get("/{member_id}/record", response={200: RecordOut, 404: ErrorOut})
def member_record_api(request: AuthenticatedHttpRequest, member_id: int) -> RecordOut:
    """Kết quả rèn luyện theo năm: dự họp (tỷ lệ), phát biểu, nhiệm vụ, biểu dương, nhắc nhở, phê bình
    (chỉ chi ủy và cấp trên), đăng ký làm theo Bác."""
    member = get_member_for_user(request.user, member_id)
    record = member_record(member, sensitive=can_see_sensitive(request.user, member))
    years = []
    for y in record.years:
        fields = {name: getattr(y, name) for name in YearOut.model_fields if hasattr(y, name) and name != "events"}
        fields["events"] = [EventOut.from_orm(e) for e in y.events]
        c = y.commitment
        fields |= {
            "commitment_id": c.pk if c else None,
            "commitment_status": c.status if c else None,
            "commitment_level": (c.level or None) if c else None,
        }
        years.append(YearOut(**fields))
    return RecordOut(member_id=member.pk, full_name=member.full_name, years=years)
