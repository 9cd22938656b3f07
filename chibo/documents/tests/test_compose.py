"""Composing minutes and resolutions from what a meeting recorded (C7)."""

from datetime import date

import pytest

from chibo.core.errors import ChiboError
from chibo.documents import services
from chibo.documents.models import MeetingDocument, ResolutionClause
from chibo.documents.tests.conftest import APRIL, Held, at, hold, plan
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Meeting
from chibo.organizations import services as org_services

pytestmark = pytest.mark.django_db
MINUTES, RESOLUTION = MeetingDocument.Kind.MINUTES, MeetingDocument.Kind.RESOLUTION


def _compose(held: Held, kind: str = MINUTES, **kwargs: object) -> MeetingDocument:
    return services.document_compose(actor=held.world.anhoa_secretary, meeting=held.meeting, kind=kind, **kwargs)


def test_minutes_of_a_meeting_not_yet_closed_are_refused_and_nothing_is_saved(world):
    planned = plan(world.anhoa, APRIL)
    with pytest.raises(ChiboError, match="chưa bế mạc"):
        services.document_compose(actor=None, meeting=planned, kind=MINUTES)
    opened = meeting_services.meeting_open(
        actor=None,
        meeting=planned,
        chair=world.anhoa_secretary.member,
        recorder=world.member_of_anhoa,
        started_at=at(APRIL, 19),
    )
    with pytest.raises(ChiboError, match="chưa bế mạc"):
        services.document_compose(actor=None, meeting=opened, kind=MINUTES)
    assert not MeetingDocument.objects.exists()


def test_the_minutes_report_the_numbers_each_absentee_with_reason_each_speaker_and_the_vote(held: Held):
    document = _compose(held)
    assert document.status == MeetingDocument.Status.DRAFT
    attendance = document.section("attendance")
    assert (
        "Tổng số đảng viên của chi bộ: 16 đồng chí; trong đó chính thức 15, dự bị 1; được miễn sinh hoạt 1."
        in attendance
    )
    assert "Số đảng viên phải dự họp: 15. Có mặt: 13 đồng chí (86,7%)" in attendance
    assert "vắng: 2 đồng chí, trong đó có lý do 1, không có lý do 1." in attendance
    assert "- Đồng chí Lê Văn Ốm: Đi viện điều trị." in attendance
    assert "- Đồng chí Phạm Thị Vắng." in attendance
    assert "Đến muộn: đồng chí Đỗ Văn Muộn (19:20)." in attendance
    opening = document.section("opening")
    assert "Vào lúc 19 giờ 00 phút, ngày 05 tháng 4 năm 2021, tại Nhà văn hóa khu vực An Hòa" in opening
    assert "Chủ trì: đồng chí Trần Văn Bí Thư." in opening and "Thư ký: đồng chí Nguyễn Thị Thường." in opening
    assert "Cán bộ cấp trên dự sinh hoạt: đồng chí Võ Văn Giám Sát, Đảng ủy viên phường." in opening
    discussion = document.section("discussion")
    assert "Có 3 lượt phát biểu; 2 đồng chí phải dự họp đã phát biểu" in discussion
    assert f"- Đồng chí Đỗ Văn Muộn (tự phê bình): {held.summaries[1]}" in discussion
    assert f"- Đồng chí {held.speakers[0].full_name} (đề xuất, kiến nghị): {held.summaries[2]}" in discussion
    conclusion = document.section("conclusion")
    assert "tán thành 10 (83,3%), không tán thành 1, không biểu quyết 0" in conclusion
    assert "nghị quyết được thông qua" in conclusion
    assert "Cuộc họp kết thúc lúc 21 giờ 05 phút cùng ngày." in document.section("closing")
    assert "1. Khai mạc" in document.section("agenda")


def test_the_header_names_the_bodies_as_they_were_on_the_meeting_day(held: Held):
    w = held.world
    org_services.org_rename(actor=None, org=w.anhoa, name="Chi bộ khu phố An Hòa", effective_on=date(2022, 1, 1))
    org_services.org_rename(actor=None, org=w.ward, name="Đảng bộ phường Long Mỹ Mới", effective_on=date(2022, 1, 1))
    document = _compose(held)
    assert (document.superior_name, document.issuer_name) == ("Đảng bộ phường Bình Thạnh", "Chi bộ khu vực An Hòa")
    assert document.place == "Bình Thạnh"
    assert (document.number_display, document.issued_on) == ("Số 01-BB/CB", APRIL)
    assert document.subtitle == "họp chi bộ tháng 4 năm 2021"


def test_each_cell_numbers_its_minutes_through_the_year(world):
    first = hold(world, date(2021, 1, 5))
    second = hold(world, date(2021, 2, 5))
    next_year = hold(world, date(2022, 1, 5))
    numbers = [
        services.document_compose(actor=None, meeting=m, kind=MINUTES).number_display
        for m in (second, first, next_year)
    ]
    assert numbers == ["Số 01-BB/CB", "Số 02-BB/CB", "Số 01-BB/CB"]


def test_a_meeting_has_one_minutes_and_composing_again_is_refused_unless_rewriting_the_draft(held: Held):
    document = _compose(held)
    with pytest.raises(ChiboError, match="Buổi họp đã có biên bản"):
        _compose(held)
    services.document_update(
        actor=None,
        document=document,
        number=7,
        place="Bình Thạnh",
        issued_on=APRIL,
        subtitle="họp chi bộ tháng 4 năm 2021",
        sections={"closing": "Sửa tay."},
    )
    again = _compose(held, replace=True)
    assert again.pk == document.pk and again.number == 7
    assert again.section("closing").startswith("Cuộc họp kết thúc")
    assert MeetingDocument.objects.filter(meeting=held.meeting).count() == 1


def test_the_resolution_takes_its_clauses_from_the_draft_and_its_grounds_from_the_meeting(held: Held):
    document = _compose(held, RESOLUTION)
    assert document.number_display == "Số 01-NQ/CB"
    assert document.subtitle == "họp chi bộ tháng 4 năm 2021, về kết quả tháng 3 và nhiệm vụ tháng 4 năm 2021"
    assert list(document.clauses.values_list("text", flat=True)) == [
        "Hoàn thành thu đảng phí quý II.",
        "Vận động 100% hộ dân tham gia ngày chủ nhật xanh.",
    ]
    assert "Căn cứ kết quả họp chi bộ ngày 05/04/2021," in document.section("grounds")
    assert "10/12 đảng viên chính thức có mặt tán thành" in document.section("implementation")


def test_a_resolution_without_a_vote_that_passed_is_refused(world):
    meeting = hold(world, date(2021, 3, 5))
    with pytest.raises(ChiboError, match="chưa biểu quyết"):
        services.document_compose(actor=None, meeting=meeting, kind=RESOLUTION)
    assert not MeetingDocument.objects.exists()


def test_a_draft_is_edited_freely_and_the_resolution_clauses_replaced(held: Held):
    document = _compose(held, RESOLUTION)
    services.document_update(
        actor=held.world.anhoa_secretary,
        document=document,
        number=4,
        place="Long Mỹ",
        issued_on=date(2021, 4, 6),
        subtitle="về nhiệm vụ tháng 5 năm 2021",
        sections={"implementation": "Chi ủy triển khai.\r\nĐảng viên thực hiện."},
        clauses=["Thu đảng phí.", "  ", "Vệ sinh môi trường."],
    )
    document.refresh_from_db()
    assert (document.number, document.place, document.issued_on) == (4, "Long Mỹ", date(2021, 4, 6))
    assert document.section("implementation") == "Chi ủy triển khai.\nĐảng viên thực hiện."
    assert list(ResolutionClause.objects.filter(document=document).values_list("position", "text")) == [
        (1, "Thu đảng phí."),
        (2, "Vệ sinh môi trường."),
    ]


def test_a_number_taken_by_another_document_of_the_year_is_refused(world):
    meetings = [hold(world, date(2021, 1, 5)), hold(world, date(2021, 2, 5))]
    first, second = (services.document_compose(actor=None, meeting=m, kind=MINUTES) for m in meetings)
    with pytest.raises(ChiboError, match="Số 01 đã dùng") as refused:
        services.document_update(
            actor=None,
            document=second,
            number=1,
            place=second.place,
            issued_on=second.issued_on,
            subtitle=second.subtitle,
            sections={},
        )
    assert refused.value.field == "number"
    second.refresh_from_db()
    assert (first.number, second.number) == (1, 2)


def test_an_unknown_section_or_a_date_before_the_meeting_is_refused(held: Held):
    document = _compose(held)
    base = {"number": 1, "place": "Bình Thạnh", "subtitle": "x"}
    with pytest.raises(ChiboError, match="Mục không có"):
        services.document_update(actor=None, document=document, issued_on=APRIL, sections={"nope": "x"}, **base)
    with pytest.raises(ChiboError, match="không được trước ngày họp") as refused:
        services.document_update(actor=None, document=document, issued_on=date(2021, 4, 4), sections={}, **base)
    assert refused.value.field == "issued_on"


def test_a_cancelled_meeting_has_no_minutes(world):
    meeting = plan(world.anhoa, APRIL, status=Meeting.Status.CANCELLED)
    with pytest.raises(ChiboError):
        services.document_compose(actor=None, meeting=meeting, kind=MINUTES)


def test_a_cell_moved_by_the_2025_reform_is_dated_at_its_new_ward(world):
    from chibo.organizations.models import AdministrativeUnit, OrgVersion

    ward_level = AdministrativeUnit.Level.WARD
    binh_thanh = AdministrativeUnit.objects.create(code="T-BT", name="Phường Bình Thạnh", level=ward_level)
    long_binh = AdministrativeUnit.objects.create(code="T-LB", name="Phường Long Bình", level=ward_level)
    OrgVersion.objects.filter(org__in=[world.anhoa, world.ward]).update(admin_unit=binh_thanh)
    new_ward = org_services.org_create(
        actor=None,
        kind=world.ward.kind,
        name="Đảng bộ phường Long Bình",
        code="T-LBW",
        parent=world.ward.get_parent(),
        established_on=date(2025, 6, 30),
        admin_unit=long_binh,
    )
    org_services.org_move(actor=None, org=world.anhoa, new_parent=new_ward, effective_on=date(2025, 7, 1))
    world.anhoa.refresh_from_db()
    old = services.document_compose(actor=None, meeting=hold(world, date(2021, 4, 5)), kind=MINUTES)
    new = services.document_compose(actor=None, meeting=hold(world, date(2026, 1, 5)), kind=MINUTES)
    assert (old.place, old.superior_name) == ("Bình Thạnh", "Đảng bộ phường Bình Thạnh")
    assert (new.place, new.superior_name) == ("Long Bình", "Đảng bộ phường Long Bình")
    assert "- Đảng ủy phường Long Bình (để báo cáo)," in new.section("recipients")


def test_the_resolution_names_the_meetings_month_and_last_months_results_come_before_the_clauses(held: Held):
    from chibo.documents import selectors

    document = _compose(held, RESOLUTION)
    assert document.subtitle == "họp chi bộ tháng 4 năm 2021, về kết quả tháng 3 và nhiệm vụ tháng 4 năm 2021"
    rendered = selectors.render(document)
    assert [b.title for b in rendered.before_clauses] == ["KẾT QUẢ THÁNG TRƯỚC"]
    assert rendered.before_clauses[0].lines[0] == "Kỳ họp có 13/15 đảng viên phải dự họp có mặt (86,7%)."
    assert "KẾT QUẢ THÁNG TRƯỚC" not in [b.title for b in rendered.blocks]


def test_a_cell_of_fewer_than_nine_official_members_has_a_secretary_not_a_committee(held: Held):
    from dataclasses import replace

    from chibo.documents.compose import leadership_words, read_record

    document = _compose(held, RESOLUTION)
    # The cell of the example has 15 official members: a committee (chi ủy).
    assert document.section("implementation").startswith("Chi ủy có trách nhiệm triển khai")
    record = read_record(held.meeting)
    assert leadership_words(replace(record, totals=replace(record.totals, official=9))) == "Chi ủy"
    assert leadership_words(replace(record, totals=replace(record.totals, official=8))) == "Bí thư chi bộ"
