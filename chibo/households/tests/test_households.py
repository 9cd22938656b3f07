"""Households (C13): the import and its refusals, the plan against its optimum, hand adjustments with history,
the liaison log and who may write it, the health station's export, reminders, the agenda's residents' point."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from chibo.accounts.scope import households_visible_to, liaison_events_visible_to
from chibo.audit.models import AccessLog
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.households import excel, selectors, services
from chibo.households.models import Assignment, AssignmentPlan, Household, LiaisonEvent
from chibo.members.services import member_exempt, member_set_home
from chibo.testing.factories import MemberFactory

pytestmark = pytest.mark.django_db

CENTRE = (Decimal("9.680000"), Decimal("105.570000"))
HEADERS = ["Chủ hộ", "Số nhà, đường", "Khu vực, ấp", "Phường, xã", "Số nhân khẩu", "Vĩ độ", "Kinh độ"]


def xlsx(rows: list[list[Any]], headers: list[str] = HEADERS) -> BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    return out


@pytest.fixture
def area(world):  # type: ignore[no-untyped-def]
    return services.area_set(
        actor=None,
        cell=world.anhoa,
        ward="Phường Bình Thạnh",
        hamlets=["An Hòa", "Bình An"],
        centre_lat=CENTRE[0],
        centre_lon=CENTRE[1],
        radius_m=2000,
    )


def add(world, head: str, hamlet: str = "An Hòa", lat: str | None = None, lon: str | None = None) -> Household:  # type: ignore[no-untyped-def]
    return services.household_create(
        actor=None,
        cell=world.anhoa,
        head_name=head,
        hamlet=hamlet,
        lat=Decimal(lat) if lat else None,
        lon=Decimal(lon) if lon else None,
    )


# --- Import --------------------------------------------------------------------------------------------


def test_a_clean_workbook_imports_every_household(world, area):  # type: ignore[no-untyped-def]
    data = xlsx(
        [
            ["Nguyễn Văn Một", "12 đường Lê Lợi", "An Hòa", "Phường Bình Thạnh", 4, 9.6801, 105.5702],
            ["Trần Thị Hai", "", "khu vuc binh an", "", 2, None, None],
        ]
    )
    report = excel.import_households(actor=world.admin, cell=world.anhoa, area=area, source=data, dry_run=False)
    assert report.ok and report.imported == 2
    second = Household.objects.get(head_name="Trần Thị Hai")
    assert (second.hamlet, second.ward, second.people) == ("Bình An", "Phường Bình Thạnh", 2)


def test_a_dry_run_checks_but_saves_nothing(world, area):  # type: ignore[no-untyped-def]
    data = xlsx([["Nguyễn Văn Một", "", "An Hòa", "", 4, None, None]])
    report = excel.import_households(actor=world.admin, cell=world.anhoa, area=area, source=data, dry_run=True)
    assert report.ok and report.valid == 1 and report.imported == 0
    assert not Household.objects.exists()


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_saved(world, area):  # type: ignore[no-untyped-def]
    add(world, "Võ Văn Đã Có")
    data = xlsx(
        [
            ["Nguyễn Văn Tốt", "", "An Hòa", "", 3, None, None],  # row 2: fine on its own
            ["Lê Văn Lạ", "", "Ấp Không Có", "", 3, None, None],  # row 3: unknown hamlet
            ["Phạm Văn Sai", "", "An Hòa", "", 3, 123.4, 105.57],  # row 4: impossible latitude
            ["Nguyễn Văn Tốt", "", "An Hòa", "", 3, None, None],  # row 5: same as row 2
            ["Võ Văn Đã Có", "", "An Hòa", "", 3, None, None],  # row 6: already in the list
            ["Đỗ Thị Xa", "", "An Hòa", "Phường Trà Lồng", 3, None, None],  # row 7: another ward
            ["Hồ Văn Xa", "", "An Hòa", "", 3, 9.75, 105.57],  # row 8: 7.8 km from the centre
            ["Mai Thị Chữ", "", "An Hòa", "", "ba", None, None],  # row 9: people not a number
        ]
    )
    report = excel.import_households(actor=world.admin, cell=world.anhoa, area=area, source=data, dry_run=False)
    found = {(e["row"], e["column"], e["letter"]): e["message"] for e in report.errors}
    assert set(found) == {
        (3, "Khu vực, ấp", "C"),
        (4, "Vĩ độ", "F"),
        (5, "Chủ hộ", "A"),
        (6, "Chủ hộ", "A"),
        (7, "Phường, xã", "D"),
        (8, "Vĩ độ", "F"),
        (9, "Số nhân khẩu", "E"),
    }
    assert "không thuộc địa bàn" in found[(3, "Khu vực, ấp", "C")]
    assert "dòng 2" in found[(5, "Chủ hộ", "A")]
    assert "ngoài địa bàn" in found[(7, "Phường, xã", "D")]
    assert "7.8 km" in found[(8, "Vĩ độ", "F")]
    assert report.imported == 0
    assert list(Household.objects.values_list("head_name", flat=True)) == ["Võ Văn Đã Có"]


def test_the_export_reads_back_and_is_logged(world, area):  # type: ignore[no-untyped-def]
    add(world, "Nguyễn Văn Một", lat="9.680100", lon="105.570200")
    add(world, "=HYPERLINK Trần Hai", hamlet="Bình An")
    from django.test import Client

    client = Client()
    client.force_login(world.anhoa_secretary)
    response = client.get(f"/households/export/?org={world.anhoa.pk}")
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows())
    assert [c.value for c in rows[0][:3]] == ["Chủ hộ", "Số nhà, đường", "Khu vực, ấp"]
    heads = sorted((r[0] for r in rows[1:]), key=lambda c: c.value)
    assert heads[1].value == "Nguyễn Văn Một"
    # Written as text with Excel's quote prefix: a spreadsheet shows it, never runs it.
    assert heads[0].value.startswith("=") and heads[0].data_type == "s" and heads[0].quotePrefix
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (log.user, log.org, log.row_count) == (world.anhoa_secretary, world.anhoa, 2)


# --- Planning --------------------------------------------------------------------------------------------


def members_at_home(world, *homes: tuple[str, str, str], birth: date = date(1970, 1, 1)):  # type: ignore[no-untyped-def]
    made = []
    for i, (hamlet, lat, lon) in enumerate(homes):
        m = MemberFactory(full_name=f"Đảng Viên Số {chr(65 + i)}", org=world.anhoa, birth_date=birth)
        made.append(member_set_home(actor=None, member=m, hamlet=hamlet, lat=Decimal(lat), lon=Decimal(lon)))
    return made


def test_the_plan_gives_each_household_its_nearest_member_within_the_bounds(world, area):  # type: ignore[no-untyped-def]
    world.member_of_anhoa.left_on = None
    # Two members 600 m apart on a line; four households near the first, two near the second.
    west, east = members_at_home(world, ("An Hòa", "9.680000", "105.570000"), ("An Hòa", "9.680000", "105.575500"))
    for i in range(4):
        add(world, f"Hộ Tây Số {chr(65 + i)}", lat="9.680000", lon=f"105.5700{i}0")
    for i in range(2):
        add(world, f"Hộ Đông Số {chr(65 + i)}", lat="9.680000", lon=f"105.5755{i}0")
    # The world's two An Hòa members have no home: exempt them, they are left out by the rule set.
    for member in (world.member_of_anhoa, world.anhoa_secretary.member):
        member_exempt(actor=None, member=member, reason="old_age", started_on=date(2020, 1, 1))
    plan = services.plan_propose(actor=None, cell=world.anhoa, min_load=3, max_load=3)
    pairs = {Household.objects.get(pk=h).head_name: m for h, m in plan.pairs}
    assert sum(1 for m in pairs.values() if m == west.pk) == 3
    assert sum(1 for m in pairs.values() if m == east.pk) == 3
    assert all(pairs[f"Hộ Đông Số {c}"] == east.pk for c in "AB")
    # One western household must walk east: the proposal is the optimum under these bounds.
    assert plan.proved and plan.distance_m == plan.optimum_m
    assert plan.members == 2 and plan.by_address == 0


def test_old_members_take_a_lighter_load_and_bounds_that_cannot_hold_say_which_to_relax(world, area):  # type: ignore[no-untyped-def]
    for member in (world.member_of_anhoa, world.anhoa_secretary.member):
        member_exempt(actor=None, member=member, reason="ill_health", started_on=date(2020, 1, 1))
    young, old = members_at_home(world, ("An Hòa", "9.680000", "105.570000"), ("An Hòa", "9.680000", "105.571000"))
    old.birth_date = date(1940, 1, 1)  # over 75: half the upper bound by the default rule set
    old.save(update_fields=["birth_date"])
    for i in range(10):
        add(world, f"Hộ Số {chr(65 + i)}", lat="9.680000", lon=f"105.5710{i}0")
    plan = services.plan_propose(actor=None, cell=world.anhoa, min_load=0, max_load=8)
    assert plan.loads == {str(young.pk): [0, 8], str(old.pk): [0, 4]}
    loads = {m: sum(1 for _h, x in plan.pairs if x == m) for m in (young.pk, old.pk)}
    assert loads == {young.pk: 6, old.pk: 4}  # the old member lives nearer: gets their full (lighter) share
    with pytest.raises(ChiboError) as too_low:
        services.plan_propose(actor=None, cell=world.anhoa, min_load=0, max_load=5)
    assert too_low.value.field == "max_load" and "ít nhất 7 hộ" in too_low.value.message
    with pytest.raises(ChiboError) as too_high:
        services.plan_propose(actor=None, cell=world.anhoa, min_load=11, max_load=12)
    assert too_high.value.field == "min_load"
    assert AssignmentPlan.objects.count() == 1


def test_without_coordinates_the_plan_goes_by_hamlet_and_says_so(world, area):  # type: ignore[no-untyped-def]
    for member in (world.member_of_anhoa, world.anhoa_secretary.member):
        member_exempt(actor=None, member=member, reason="old_age", started_on=date(2020, 1, 1))
    a, b = (MemberFactory(full_name=n, org=world.anhoa) for n in ("Lý Văn An", "Tạ Thị Bình"))
    member_set_home(actor=None, member=a, hamlet="An Hòa")
    member_set_home(actor=None, member=b, hamlet="Bình An")
    h1, h2 = add(world, "Hộ Ở An Hòa"), add(world, "Hộ Ở Bình An", hamlet="Bình An")
    plan = services.plan_propose(actor=None, cell=world.anhoa, min_load=0, max_load=2)
    assert dict(map(tuple, plan.pairs)) == {h1.pk: a.pk, h2.pk: b.pk}
    assert plan.by_address == 2


def test_applying_a_plan_dates_the_assignments_and_hand_changes_keep_the_history(world, area):  # type: ignore[no-untyped-def]
    h = add(world, "Hộ Một Mình")
    plan = services.plan_propose(actor=None, cell=world.anhoa, min_load=0, max_load=1)
    assert services.plan_apply(actor=world.anhoa_secretary, plan=plan, day=date(2025, 1, 1)) == 1
    first = Assignment.objects.get(household=h)
    other = next(m for m in (world.member_of_anhoa, world.anhoa_secretary.member) if m.pk != first.member_id)
    services.assignment_set(actor=world.anhoa_secretary, household=h, member=other, day=date(2025, 3, 1))
    history = list(
        Assignment.objects.filter(household=h)
        .order_by("valid_from")
        .values_list("member_id", "valid_from", "valid_to", "by_hand")
    )
    assert history == [
        (first.member_id, date(2025, 1, 1), date(2025, 3, 1), False),
        (other.pk, date(2025, 3, 1), None, True),
    ]
    with pytest.raises(ChiboError):
        services.plan_apply(actor=world.anhoa_secretary, plan=plan)


def test_the_cells_resolution_records_the_plan(world, area):  # type: ignore[no-untyped-def]
    from chibo.scheduling.services import meeting_plan

    add(world, "Hộ Một Mình")
    meeting = meeting_plan(
        actor=None, org=world.anhoa, kind="regular", scheduled_date=today() + timedelta(days=10), notify=False
    )
    plan = services.plan_propose(actor=None, cell=world.anhoa, min_load=0, max_load=1)
    services.plan_apply(actor=None, plan=plan, meeting=meeting)
    meeting.refresh_from_db()
    assert "Phân công 2 đảng viên phụ trách 1 hộ dân" in meeting.draft_resolution
    plan.refresh_from_db()
    assert plan.meeting == meeting


# --- Liaison log ---------------------------------------------------------------------------------------------


@pytest.fixture
def assigned(world, area):  # type: ignore[no-untyped-def]
    h = add(world, "Lê Văn Chủ Hộ")
    services.assignment_set(actor=None, household=h, member=world.member_of_anhoa, day=date(2021, 1, 1))
    return h


def test_the_member_in_charge_logs_an_arrival_and_the_notice_to_the_health_station(world, assigned):  # type: ignore[no-untyped-def]
    at = datetime(2021, 4, 2, 8, 30, tzinfo=timezone.get_current_timezone())
    event = services.event_record(
        actor=world.anhoa_member,
        household=assigned,
        kind="arrival",
        occurred_on=date(2021, 4, 2),
        person_name="Lê Văn Con",
        arrived_from="Bình Dương",
        arrived_on=date(2021, 4, 1),
        notified="health_station",
        notified_contact="Y sĩ Trạm Y tế",
        notified_at=at,
    )
    assert (event.member, event.created_by) == (world.member_of_anhoa, world.anhoa_member)
    rows = list(selectors.health_events(world.anhoa, date(2021, 4, 1)))
    assert rows == [event]
    out = BytesIO()
    excel.write_health(rows, out, title="t")
    sheet = load_workbook(BytesIO(out.getvalue())).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Bình Dương" in values and "Lê Văn Con" in values and "Trạm y tế phường" in values
    # Health fields only: no member, no party word in the file.
    assert world.member_of_anhoa.full_name not in values
    assert not any("đảng" in str(v).lower() for v in values)


def test_a_member_not_in_charge_is_refused_and_nothing_is_saved(world, assigned):  # type: ignore[no-untyped-def]
    other = add(world, "Trần Văn Người Khác")
    services.assignment_set(actor=None, household=other, member=world.anhoa_secretary.member, day=date(2021, 1, 1))
    with pytest.raises(ChiboError) as refused:
        services.event_record(
            actor=world.anhoa_member, household=other, kind="opinion", occurred_on=date(2021, 4, 2), text="Đường ngập"
        )
    assert "không phụ trách hộ này" in refused.value.message
    assert not LiaisonEvent.objects.exists()


def test_an_arrival_needs_where_from_and_when(world, assigned):  # type: ignore[no-untyped-def]
    with pytest.raises(ChiboError) as missing:
        services.event_record(
            actor=world.anhoa_member, household=assigned, kind="arrival", occurred_on=date(2021, 4, 2)
        )
    assert missing.value.field == "arrived_from"
    with pytest.raises(ChiboError) as when:
        services.event_record(
            actor=world.anhoa_member,
            household=assigned,
            kind="arrival",
            occurred_on=date(2021, 4, 2),
            arrived_from="Cà Mau",
        )
    assert when.value.field == "arrived_on"


def test_a_member_sees_only_the_households_in_their_charge(world, assigned):  # type: ignore[no-untyped-def]
    add(world, "Trần Văn Người Khác")
    assert list(households_visible_to(world.anhoa_member)) == [assigned]
    assert households_visible_to(world.anhoa_secretary).count() == 2
    assert households_visible_to(world.outsider).count() == 0
    event = services.event_record(
        actor=world.anhoa_member, household=assigned, kind="opinion", occurred_on=date(2021, 4, 2), text="Xin đèn đường"
    )
    assert list(liaison_events_visible_to(world.other_cell_secretary)) == []
    assert list(liaison_events_visible_to(world.ward_officer)) == [event]


def test_a_follow_up_that_comes_due_reminds_the_member_once(world, assigned, settings):  # type: ignore[no-untyped-def]
    member = world.member_of_anhoa
    member.email = "thuong@example.vn"
    member.save(update_fields=["email"])
    services.event_record(
        actor=world.anhoa_member,
        household=assigned,
        kind="follow_up",
        occurred_on=date(2021, 4, 2),
        text="Theo dõi sức khỏe 14 ngày",
        follow_up_on=date(2021, 4, 16),
    )
    assert services.follow_up_reminders_send(day=date(2021, 4, 15)) == 0
    assert services.follow_up_reminders_send(day=date(2021, 4, 16)) == 1
    assert services.follow_up_reminders_send(day=date(2021, 4, 17)) == 0
    assert len(mail.outbox) == 1 and "Lê Văn Chủ Hộ" in mail.outbox[0].body
    from chibo.notices.models import Notice

    notice = Notice.objects.get(kind="follow_up")  # in the member's inbox too
    assert (notice.user, notice.member) == (world.anhoa_member, member) and "Lê Văn Chủ Hộ" in notice.body


def test_the_agenda_gets_the_months_opinions_and_the_minutes_list_them(world, assigned):  # type: ignore[no-untyped-def]
    from chibo.meetings import services as meeting_services
    from chibo.scheduling.services import meeting_plan

    day = today() + timedelta(days=3)
    services.event_record(
        actor=world.anhoa_member, household=assigned, kind="opinion", occurred_on=today(), text="Đề nghị sửa cầu khỉ"
    )
    services.event_record(
        actor=world.anhoa_member,
        household=assigned,
        kind="opinion",
        occurred_on=today() - timedelta(days=45),
        text="Ý kiến quá cũ",
    )
    meeting = meeting_plan(actor=None, org=world.anhoa, kind="regular", scheduled_date=day, notify=False)
    items = meeting_services.agenda_from_template(actor=None, meeting=meeting)
    residents = next(i for i in items if i.kind == "residents")
    assert "An Hòa" in residents.notes and "Đề nghị sửa cầu khỉ" in residents.notes
    assert "Ý kiến quá cũ" not in residents.notes
    assert "Lê Văn Chủ Hộ" not in residents.notes  # the hamlet, never the resident
    from chibo.documents import compose

    lines = compose._agenda(compose.read_record(meeting))
    assert any("Đề nghị sửa cầu khỉ" in line for line in lines)


def test_the_notice_can_be_recorded_after_the_arrival(world, assigned):  # type: ignore[no-untyped-def]
    event = services.event_record(
        actor=world.anhoa_member,
        household=assigned,
        kind="arrival",
        occurred_on=date(2021, 4, 2),
        arrived_from="Long An",
        arrived_on=date(2021, 4, 2),
    )
    at = datetime(2021, 4, 2, 9, 0, tzinfo=timezone.get_current_timezone())
    services.event_mark_notified(actor=world.anhoa_member, event=event, notified="ward_police", contact="", at=at)
    event.refresh_from_db()
    assert (event.notified, event.notified_at) == ("ward_police", at)
    with pytest.raises(ChiboError):
        services.event_mark_notified(
            actor=world.anhoa_member,
            event=event,
            notified="health_station",
            contact="",
            at=timezone.now() + timedelta(days=1),
        )


def test_the_list_and_the_map_take_as_many_queries_for_thirty_households_as_for_three(world, area, client):  # type: ignore[no-untyped-def]
    client.force_login(world.anhoa_secretary)
    pages = (f"/households/?org={world.anhoa.pk}", f"/households/map/?org={world.anhoa.pk}")

    def fill(n: int) -> None:
        for i in range(n):
            h = add(world, f"Hộ Thứ {Household.objects.count() + 1} Số", lat="9.680100", lon=f"105.57{i:04d}")
            services.assignment_set(actor=None, household=h, member=world.member_of_anhoa, day=date(2025, 1, 1))

    def queries() -> list[int]:
        counted = []
        for url in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counted.append(len(captured))
        return counted

    fill(3)
    queries()  # the session and the caches, once
    few = queries()
    fill(27)
    assert queries() == few


def test_the_members_home_shows_on_their_record_and_in_the_api(world, client):  # type: ignore[no-untyped-def]
    member_set_home(
        actor=None, member=world.member_of_anhoa, hamlet="Tổ 3", lat=Decimal("9.681234"), lon=Decimal("105.571234")
    )
    client.force_login(world.anhoa_secretary)
    page = client.get(f"/members/{world.member_of_anhoa.pk}/").content.decode()
    assert "Tổ 3 (9.681234, 105.571234)" in page
    with pytest.raises(ChiboError) as impossible:
        member_set_home(actor=None, member=world.member_of_anhoa, hamlet="Tổ 3", lat=Decimal("91"), lon=Decimal("105"))
    assert impossible.value.field == "lat"
    world.member_of_anhoa.refresh_from_db()
    assert world.member_of_anhoa.home_lat == Decimal("9.681234")


def test_changes_to_a_household_and_its_log_name_who_made_them(world, assigned, client):  # type: ignore[no-untyped-def]
    from auditlog.models import LogEntry

    client.force_login(world.anhoa_secretary)
    response = client.post(
        f"/households/{assigned.pk}/edit/", {"head_name": "Lê Văn Chủ Hộ", "hamlet": "An Hòa", "people": 6}
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(assigned).latest("timestamp")
    assert entry.actor == world.anhoa_secretary and "people" in entry.changes_dict


def test_a_broken_or_hostile_workbook_is_refused_at_the_file_before_any_row(world, area):  # type: ignore[no-untyped-def]
    import zipfile

    hostile = BytesIO()
    with zipfile.ZipFile(hostile, "w") as z:
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><workbook/>')
    for source in (BytesIO(b"PK\x03\x04 not really a zip"), hostile):
        source.seek(0)
        with pytest.raises(ChiboError) as refused:
            excel.import_households(actor=world.admin, cell=world.anhoa, area=area, source=source, dry_run=False)
        assert refused.value.field == "file"
    assert not Household.objects.exists()
