"""Meetings held through chibo.meetings.services, for the documents to be composed from.

`held` is the April 2021 meeting of Chi bộ An Hòa in the article's spirit: 16 members on the roll (13
official and 1 probationary required to attend, 1 exempt, plus the secretary's own committee), two absent
(one with a reason, one without), one late, a supervisor from the ward, three speaking turns by two
members, and a resolution voted 10 for, 1 against.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from docx import Document

from chibo.meetings import services as meeting_services
from chibo.meetings.models import Attendance, Meeting, SpeakingTurn
from chibo.members import services as member_services
from chibo.members.models import Exemption, Member, Position
from chibo.organizations.models import Organization
from chibo.rules.selectors import ruleset_for
from chibo.testing.factories import MemberFactory, World

VN = ZoneInfo("Asia/Ho_Chi_Minh")
APRIL = date(2021, 4, 5)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN)


def plan(org: Organization, day: date, **fields: object) -> Meeting:
    """A regular meeting planned for `day` (the scheduling app's own service is not needed for this)."""
    return Meeting.objects.create(
        org=org,
        kind=Meeting.Kind.REGULAR,
        period=day.replace(day=1),
        scheduled_date=day,
        scheduled_time=time(19, 0),
        ruleset=ruleset_for(org, day),
        **fields,
    )


def hold(world: World, day: date, *, absent: dict[Member, str] | None = None) -> Meeting:
    """Open, mark everyone present (but `absent`: member → reason, "" for no reason), close."""
    meeting = plan(world.anhoa, day, place="Nhà văn hóa khu vực An Hòa")
    actor = world.anhoa_secretary
    meeting = meeting_services.meeting_open(
        actor=actor,
        meeting=meeting,
        chair=world.anhoa_secretary.member,
        recorder=world.member_of_anhoa,
        started_at=at(day, 19),
    )
    absent = absent or {}
    for row in Attendance.objects.filter(meeting=meeting, is_exempt=False).select_related("member"):
        reason = absent.get(row.member)
        if reason is None:
            status = Attendance.Status.PRESENT
        else:
            status = Attendance.Status.EXCUSED if reason else Attendance.Status.UNEXCUSED
        meeting_services.attendance_record(
            actor=actor, meeting=meeting, member=row.member, status=status, reason=reason or ""
        )
    return meeting_services.meeting_close(actor=actor, meeting=meeting, ended_at=at(day, 21, 5))


@dataclass
class Held:
    world: World
    meeting: Meeting
    excused: Member
    unexcused: Member
    late: Member
    speakers: list[Member]
    summaries: list[str] = field(default_factory=list)


@pytest.fixture
def held(world: World) -> Held:
    w = world
    actor = w.anhoa_secretary
    secretary = w.anhoa_secretary.member
    assert secretary is not None
    member_services.position_assign(
        actor=None, member=secretary, title=Position.Title.SECRETARY, started_on=date(2020, 10, 1)
    )
    others = [MemberFactory(org=w.anhoa) for _ in range(9)]
    excused = MemberFactory(org=w.anhoa, full_name="Lê Văn Ốm")
    unexcused = MemberFactory(org=w.anhoa, full_name="Phạm Thị Vắng")
    late = MemberFactory(org=w.anhoa, full_name="Đỗ Văn Muộn")
    MemberFactory(org=w.anhoa, full_name="Huỳnh Thị Dự Bị", official_on=None)
    exempt = MemberFactory(org=w.anhoa, full_name="Cao Văn Lão")
    member_services.member_exempt(
        actor=None, member=exempt, reason=Exemption.Reason.OLD_AGE, started_on=date(2020, 1, 1)
    )

    meeting = plan(w.anhoa, APRIL, place="Nhà văn hóa khu vực An Hòa")
    meeting_services.agenda_from_template(actor=actor, meeting=meeting)
    meeting_services.draft_resolution_save(
        actor=actor,
        meeting=meeting,
        text="1. Hoàn thành thu đảng phí quý II.\n2) Vận động 100% hộ dân tham gia ngày chủ nhật xanh.",
    )
    meeting = meeting_services.meeting_open(
        actor=actor, meeting=meeting, chair=secretary, recorder=w.member_of_anhoa, started_at=at(APRIL, 19)
    )
    for row in Attendance.objects.filter(meeting=meeting, is_exempt=False).select_related("member"):
        if row.member == excused:
            status, reason, arrived = Attendance.Status.EXCUSED, "Đi viện điều trị", None
        elif row.member == unexcused:
            status, reason, arrived = Attendance.Status.UNEXCUSED, "", None
        elif row.member == late:
            status, reason, arrived = Attendance.Status.LATE, "", time(19, 20)
        else:
            status, reason, arrived = Attendance.Status.PRESENT, "", None
        meeting_services.attendance_record(
            actor=actor, meeting=meeting, member=row.member, status=status, reason=reason, arrived_at=arrived
        )
    meeting_services.guest_add(
        actor=actor, meeting=meeting, name="Võ Văn Giám Sát", role="Đảng ủy viên phường", is_supervisor=True
    )
    speakers = [others[0], late, others[0]]
    kinds = [SpeakingTurn.Kind.OPINION, SpeakingTurn.Kind.SELF_CRITICISM, SpeakingTurn.Kind.PROPOSAL]
    summaries = [
        "Đề nghị chi bộ quan tâm vệ sinh đường xóm.",
        "Nhận khuyết điểm đến họp muộn, hứa khắc phục.",
        "Kiến nghị lắp thêm đèn đường khu vực 3.",
    ]
    for member, kind, summary in zip(speakers, kinds, summaries, strict=True):
        turn = meeting_services.speaker_add(actor=actor, meeting=meeting, member=member)
        meeting_services.turn_start(actor=actor, turn=turn)
        meeting_services.turn_finish(actor=actor, turn=turn, kind=kind, summary=summary)
    meeting_services.vote_record(actor=actor, meeting=meeting, votes_for=10, votes_against=1, votes_abstain=0)
    meeting = meeting_services.meeting_close(actor=actor, meeting=meeting, ended_at=at(APRIL, 21, 5))
    return Held(w, meeting, excused, unexcused, late, [others[0], late], summaries)


def docx_text(content: bytes) -> str:
    """Every paragraph of a Word file, table cells and the page header included, one a line."""
    doc = Document(BytesIO(content))
    lines = [p.text for p in doc.paragraphs]

    def cells(tables):  # type: ignore[no-untyped-def]
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    yield from (p.text for p in cell.paragraphs)
                    yield from cells(cell.tables)

    lines += list(cells(doc.tables))
    return "\n".join(lines)
