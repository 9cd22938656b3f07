"""The demo of `make demo`: the article's organization in 2021, the 2025 reform, the accounts, a year of meetings."""

import random
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from chibo.accounts.models import User
from chibo.core.dates import today
from chibo.demo.article import ARTICLE_TASKS
from chibo.demo.builder import (
    ARTICLE_DAY,
    BINH_THANH_CELLS,
    LOGINS,
    PASSWORD,
    REFORM_DAY,
    STEPS,
    Demo,
    add_follow_up,
    add_meetings,
    add_minutes,
    add_quality,
    add_recent_history,
    add_reviews,
    add_upcoming_meetings,
    build_demo,
)
from chibo.demo.content import AWAY_REASON
from chibo.demo.management.commands import load_demo
from chibo.demo.meetings import DRAFTS, PERIODS, SKIPPED
from chibo.demo.meetings import SEPARATE_THEMATIC as SEPARATE
from chibo.demo.names import REAL_PEOPLE, NameGenerator
from chibo.documents.models import MeetingDocument
from chibo.documents.tests.conftest import docx_text
from chibo.meetings.models import Attendance, Meeting, SpeakingTurn
from chibo.meetings.selectors import live_totals
from chibo.members.models import Member, Membership, Position
from chibo.organizations.models import Organization, RestructuringEvent
from chibo.organizations.selectors import children_on, member_ids_on_roll, subtree_on, version_on
from chibo.rules.models import RuleSetVersion
from chibo.rules.services import system_versions_ensure
from chibo.scheduling.selectors import month_calendar

# The demo is built once per module; on one xdist worker only (make test runs --dist loadgroup).
pytestmark = pytest.mark.xdist_group("demo")

DEMO_SETTINGS = {"CHIBO_DEMO_ACCOUNTS": True, "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}


# --- The command (first in the module: these tests need a database without the shared demo) --------


@pytest.mark.django_db
def test_load_demo_refuses_without_the_demo_accounts_setting_and_creates_nothing(settings):
    settings.DEBUG = True  # DEBUG alone no longer lets the published password in
    settings.CHIBO_DEMO_ACCOUNTS = False
    with pytest.raises(CommandError, match="CHIBO_DEMO_ACCOUNTS"):
        call_command("load_demo", stdout=StringIO())
    assert not Organization.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
@override_settings(**DEMO_SETTINGS)
def test_load_demo_prints_what_it_loaded_and_the_logins(monkeypatch):
    # The tree, members and accounts only: the meetings are built once, by the module's fixture below.
    meetings = {
        add_meetings,
        add_upcoming_meetings,
        add_follow_up,
        add_quality,
        add_minutes,
        add_recent_history,
        add_reviews,
    }
    monkeypatch.setattr(load_demo, "build_demo", lambda: build_demo(steps=[s for s in STEPS if s not in meetings]))
    output = StringIO()
    call_command("load_demo", stdout=output)
    text = output.getvalue()
    assert "Đã nạp dữ liệu mẫu: 43 tổ chức, 28 chi bộ, 704 đảng viên" in text
    assert "http://127.0.0.1:8000/" in text and PASSWORD in text
    for username in LOGINS:
        assert username in text


def test_the_same_seed_gives_the_same_people_and_never_the_articles_real_people():
    first = [NameGenerator(random.Random(7)).person() for _ in range(5)]
    again = [NameGenerator(random.Random(7)).person() for _ in range(5)]
    assert first == again
    generator = NameGenerator(random.Random(1))
    names = {generator.person().full_name for _ in range(20_000)}
    assert not names & REAL_PEOPLE


# --- The demo, built once for the tests below and rolled back at the end of the module -------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(**DEMO_SETTINGS, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        if not RuleSetVersion.objects.filter(org__isnull=True).exists():  # flushed by a transactional test
            system_versions_ensure()
        yield build_demo()
        transaction.set_rollback(True)


def _cells_under(org: Organization, day: date) -> list[int]:
    return [v.org_id for v in subtree_on(org, day) if v.kind in Organization.CELL_KINDS]


def test_binh_thanh_has_eleven_cells_of_12_to_40_members_on_the_article_day(demo: Demo, db):
    binh_thanh = demo.orgs["binh_thanh"]
    chain = [v.name for v in subtree_on(demo.orgs["hau_giang"], ARTICLE_DAY)[:3]]
    assert chain == ["Đảng bộ tỉnh Hậu Giang", "Đảng bộ thị xã Long Mỹ", "Đảng bộ phường Bình Thạnh"]
    cells = children_on(binh_thanh, ARTICLE_DAY)
    assert len(cells) == 11
    assert "Chi bộ khu vực An Hòa" in [c.name for c in cells]
    for cell in cells:
        on_roll = member_ids_on_roll([cell.org_id], ARTICLE_DAY).count()
        assert 12 <= on_roll <= 40, cell.name
        assert 12 <= Member.objects.current().filter(org_id=cell.org_id).count() <= 40, cell.name


def test_the_tree_today_is_the_one_after_the_2025_reform(demo: Demo, db):
    day = today()
    assert [v.name for v in children_on(None, day)] == ["Đảng bộ thành phố Cần Thơ"]
    assert version_on(demo.orgs["town"], day) is None
    assert demo.orgs["town"].dissolved_on == REFORM_DAY
    long_binh = demo.orgs["long_binh_new"]
    assert version_on(long_binh, day).parent == demo.orgs["can_tho"]
    anhoa = demo.cells["anhoa"]
    assert version_on(anhoa, ARTICLE_DAY).parent == demo.orgs["binh_thanh"]
    assert version_on(anhoa, day).parent == long_binh
    assert set(_cells_under(demo.orgs["binh_thanh"], ARTICLE_DAY)) <= set(_cells_under(long_binh, day))
    merges = RestructuringEvent.objects.filter(kind=RestructuringEvent.Kind.MERGE, effective_on=REFORM_DAY)
    assert merges.filter(org=demo.orgs["binh_thanh"], related_org=long_binh).exists()
    assert merges.filter(org=demo.orgs["hau_giang"], related_org=demo.orgs["can_tho"]).exists()
    assert RestructuringEvent.objects.filter(
        kind=RestructuringEvent.Kind.DISSOLVE, org=demo.orgs["town"], effective_on=REFORM_DAY
    ).exists()
    assert demo.orgs["binh_thanh"].admin_unit.is_current is False
    assert long_binh.admin_unit.is_current and long_binh.admin_unit.code == "W31473"


def test_nobody_is_counted_twice_before_or_after_the_reform(demo: Demo, db):
    cells = list(Organization.objects.filter(kind__in=Organization.CELL_KINDS).values_list("pk", flat=True))
    for day in (ARTICLE_DAY, REFORM_DAY - timedelta(days=1), REFORM_DAY, today()):
        rolls = member_ids_on_roll(cells, day)
        assert rolls.count() == rolls.values("member").distinct().count(), day
    joined_that_day = Membership.objects.filter(started_on=REFORM_DAY).count()
    before = member_ids_on_roll(cells, REFORM_DAY - timedelta(days=1)).count()
    assert member_ids_on_roll(cells, REFORM_DAY).count() == before + joined_that_day
    open_rolls = Membership.objects.filter(ended_on__isnull=True, kind=Membership.Kind.OFFICIAL)
    assert open_rolls.count() == Member.objects.current().count()
    assert not open_rolls.values("member").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_members_are_realistic_and_each_cell_has_a_committee(demo: Demo, db):
    members = Member.objects.all()
    total = members.count()
    probationary = members.filter(status=Member.Status.PROBATIONARY)
    assert 0.05 * total <= probationary.count() <= 0.2 * total
    assert not probationary.filter(joined_on__lt=today() - timedelta(days=365)).exists()
    assert Member.objects.exempt_on(ARTICLE_DAY).exists()
    assert not members.filter(full_name__in=REAL_PEOPLE).exists()
    assert all(m.joined_on.year - m.birth_date.year >= 18 for m in members)
    assert members.exclude(strengths="").exists() and members.exclude(aspirations="").exists()
    assert members.filter(org=demo.cells["anhoa"], residence_address__contains="khu vực An Hòa").count() == 27
    for cell in demo.cells.values():
        secretaries = Position.objects.filter(org=cell, title=Position.Title.SECRETARY, ended_on__isnull=True)
        assert secretaries.count() == 1, cell.name


# --- The seven accounts ------------------------------------------------------------------------------


def _members_of(*orgs: Organization) -> set[int]:
    cells = Organization.objects.none()
    for org in orgs:
        cells |= Organization.objects.filter(path__startswith=org.path)
    return set(Member.objects.current().filter(org__in=cells).values_list("pk", flat=True))


def _login(client, username: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"{username} could not sign in"


def _listed(client) -> set[int]:  # type: ignore[no-untyped-def]
    response = client.get(reverse("members:list"), {"page": 1})
    assert response.status_code == 200
    page = response.context["page"]
    ids = {m.pk for m in page.paginator.object_list}
    assert len(ids) == page.paginator.count
    return ids


def test_all_seven_accounts_sign_in_and_see_what_their_role_allows(demo: Demo, db, client):
    o, c = demo.orgs, demo.cells
    everyone = set(Member.objects.current().values_list("pk", flat=True))
    anhoa_secretary = demo.secretaries["anhoa"]
    plain = User.objects.get(username="dangvien.anhoa").member
    expected = {
        "admin": everyone,
        "bantochuc": _members_of(o["long_binh_new"], o["long_my_new"], o["long_phu_1"]),
        "danguy.binhthanh": _members_of(o["long_binh_new"]),
        "bithu.anhoa": _members_of(c["anhoa"]),
        "dangvien.anhoa": {plain.pk},
        "bithu.cellkhac": _members_of(c["bt_a"]),
        "canbo.phuongkhac": _members_of(o["long_my_new"]),
    }
    assert expected["bantochuc"] == everyone  # the three new wards cover the old town
    assert _members_of(c["anhoa"]) <= expected["danguy.binhthanh"] < everyone
    for username, ids in expected.items():
        client.logout()
        _login(client, username)
        assert _listed(client) == ids, username
        can_open_anhoa = client.get(reverse("members:detail", args=[anhoa_secretary.pk])).status_code
        assert can_open_anhoa == (200 if anhoa_secretary.pk in ids else 404), username
    assert User.objects.get(username="bithu.anhoa").member == anhoa_secretary
    assert User.objects.get(username="bithu.cellkhac").member == demo.secretaries["bt_a"]
    assert plain.org == c["anhoa"] and not plain.positions.exists()


def test_the_orgs_page_shows_the_2021_tree_on_the_article_day_and_the_new_one_today(demo: Demo, db, client):
    _login(client, "admin")
    then = client.get(reverse("organizations:tree"), {"as_of": ARTICLE_DAY.isoformat()}).content.decode()
    now = client.get(reverse("organizations:tree")).content.decode()
    assert "Đảng bộ thị xã Long Mỹ" in then and "Đảng bộ phường Long Bình" not in then
    assert "Đảng bộ phường Long Bình" in now and "Đảng bộ thị xã Long Mỹ" not in now


def test_the_supervisor_account_sees_the_meetings_of_an_hoa_and_no_other_cell(demo: Demo, db, client):
    _login(client, "canbo.duhop")
    anhoa = Meeting.objects.filter(org=demo.cells["anhoa"]).first()
    other = Meeting.objects.filter(org=demo.cells["bt_a"]).first()
    assert client.get(reverse("meetings:detail", args=[anhoa.pk])).status_code == 200
    assert client.get(reverse("meetings:detail", args=[other.pk])).status_code == 404


# --- A year of meetings ----------------------------------------------------------------------------


def _regular(cell: Organization) -> QuerySet[Meeting]:
    return Meeting.objects.filter(org=cell, kind=Meeting.Kind.REGULAR, period__in=PERIODS)


def test_every_binh_thanh_cell_met_each_month_of_the_year_but_the_school_in_july(demo: Demo, db):
    for spec in BINH_THANH_CELLS:
        meetings = _regular(demo.cells[spec.key]).exclude(status=Meeting.Status.CANCELLED)
        expected = [p for p in PERIODS if (spec.key, p) != SKIPPED]
        assert sorted(meetings.values_list("period", flat=True)) == expected, spec.name
        assert not meetings.exclude(status=Meeting.Status.CLOSED).exists(), spec.name
        for m in meetings:
            # On the fixed day, or the next working day when it is a weekend or a holiday.
            fixed = m.period.replace(day=demo.cells[spec.key].meeting_day)
            assert fixed <= m.scheduled_date <= fixed + timedelta(days=4), (spec.name, m.period)
            assert m.started_at is not None and timezone.localdate(m.started_at) == m.scheduled_date
    assert SKIPPED[0] == "bt_th" and SKIPPED[1] == date(2021, 7, 1)
    # New Year's Day 2021 moved the agency cells' meeting to Monday 04/01/2021.
    assert _regular(demo.cells["bt_ubnd"]).get(period=date(2021, 1, 1)).scheduled_date == date(2021, 1, 4)


def test_the_calendar_warns_of_the_skipped_month_and_of_the_quarter_without_thematic_session(demo: Demo, db):
    admin = User.objects.get(username="admin")
    binh_thanh = {demo.cells[s.key].pk for s in BINH_THANH_CELLS}
    # The ward's calendar of 2021 lists the cells it had in 2021; the ward formed in 2025 had none then.
    assert month_calendar(admin, demo.orgs["long_binh_new"], date(2021, 7, 1)).rows == []
    july = month_calendar(admin, demo.orgs["binh_thanh"], date(2021, 7, 1))
    assert {r.cell.pk for r in july.without_regular} & binh_thanh == {demo.cells["bt_th"].pk}
    for month in (date(2021, 4, 1), date(2021, 5, 1)):
        calendar = month_calendar(admin, demo.orgs["binh_thanh"], month)
        assert {r.cell.pk for r in calendar.without_thematic} & binh_thanh == {demo.cells["bt_ca"].pk}
        assert not {r.cell.pk for r in calendar.without_regular} & binh_thanh
    for month in (date(2020, 11, 1), date(2021, 2, 1), date(2021, 8, 1)):
        calendar = month_calendar(admin, demo.orgs["binh_thanh"], month)
        assert not {r.cell.pk for r in calendar.without_thematic} & binh_thanh, month


# The 2021 year and An Hòa's meetings around today are replayed in full (preparation, agenda, minutes);
# the recent history of every cell (chibo.demo.recent) is lighter and has tests of its own below.
def _replayed_in_full(demo: Demo) -> Q:
    from chibo.demo.recent import _months_before

    return Q(scheduled_date__lt=_months_before(today())[0]) | Q(
        scheduled_date__gte=today().replace(day=1), org=demo.cells["anhoa"]
    )


def test_meetings_are_prepared_and_attended_as_a_cell_would(demo: Demo, db):
    held = Meeting.objects.filter(org__in=demo.cells.values(), status=Meeting.Status.CLOSED).filter(
        _replayed_in_full(demo)
    )
    assert held.count() >= 11 * 12
    assert not held.filter(preparation__isnull=True).exists()
    assert not held.filter(agenda_items__isnull=True).exists()
    assert not held.filter(draft_resolution="").exists()
    rows = Attendance.objects.filter(meeting__in=held, is_exempt=False)
    counts = dict(rows.values_list("status").annotate(n=Count("id")))
    total = sum(counts.values())
    assert counts.get(Attendance.Status.UNMARKED, 0) == 0
    assert 0.85 * total <= counts[Attendance.Status.PRESENT] + counts[Attendance.Status.LATE] < 0.99 * total
    assert 0 < counts[Attendance.Status.UNEXCUSED] < counts[Attendance.Status.EXCUSED] < 0.1 * total
    reasons = set(rows.filter(status=Attendance.Status.EXCUSED).values_list("reason", flat=True))
    assert AWAY_REASON in reasons and len(reasons) >= 8
    # Exempt members are listed, not required: mostly not marked, now and then present.
    exempt = Attendance.objects.filter(meeting__in=held, is_exempt=True)
    assert exempt.filter(status=Attendance.Status.UNMARKED).exists()
    kinds = set(SpeakingTurn.objects.filter(meeting__in=held).values_list("kind", flat=True))
    assert kinds == set(SpeakingTurn.Kind.values)
    assert not SpeakingTurn.objects.filter(meeting__in=held, summary="").exists()
    thematic = held.filter(kind=Meeting.Kind.THEMATIC)
    # Five quarters with a thematic session: IV/2020 to IV/2021.
    assert thematic.count() == 3 * 5 and not thematic.exclude(org__in=[demo.cells[k] for k in SEPARATE]).exists()


def test_minutes_are_signed_and_locked_but_two_drafts(demo: Demo, db):
    held = Meeting.objects.filter(org__in=demo.cells.values(), status=Meeting.Status.CLOSED).filter(
        _replayed_in_full(demo)
    )
    minutes = MeetingDocument.objects.filter(meeting__in=held, kind=MeetingDocument.Kind.MINUTES)
    assert minutes.count() == held.count()
    drafts = minutes.exclude(status=MeetingDocument.Status.LOCKED)
    assert {(d.meeting.org_id, d.meeting.period) for d in drafts} == {
        (demo.cells[key].pk, period) for key, period in DRAFTS
    }
    assert not drafts.exclude(status=MeetingDocument.Status.DRAFT).exists()
    # Every regular meeting voted its resolution: attendance below the threshold (Bình Thạnh C in September)
    # loses points and warns, but never stops the vote (DOMAIN.md).
    regular = held.filter(kind=Meeting.Kind.REGULAR)
    assert not regular.filter(votes__isnull=True).exists()
    resolutions = MeetingDocument.objects.filter(meeting__in=regular, kind=MeetingDocument.Kind.RESOLUTION)
    assert resolutions.count() == regular.count()


def test_attendance_at_binh_thanh_c_falls_three_months_running(demo: Demo, db):
    meetings = (
        _regular(demo.cells["bt_c"])
        .filter(period__gte=date(2021, 6, 1), period__lte=date(2021, 9, 1))
        .order_by("period")
    )
    rates = [live_totals(m).attendance_rate for m in meetings]
    assert len(rates) == 4 and all(r is not None for r in rates)
    assert rates[0] > rates[1] > rates[2] > rates[3], rates


def test_at_binh_an_the_same_three_members_speak_at_every_meeting(demo: Demo, db):
    meetings = Meeting.objects.filter(org=demo.cells["bt_an"], status=Meeting.Status.CLOSED)
    speakers = [set(m.turns.values_list("member_id", flat=True)) for m in meetings]
    assert len(speakers) == 15 + 12 and len(speakers[0]) == 3  # the article's year and the recent one
    assert all(s == speakers[0] for s in speakers)
    elsewhere = [
        set(
            Meeting.objects.filter(org=demo.cells[k], status=Meeting.Status.CLOSED).values_list(
                "turns__member_id", flat=True
            )
        )
        for k in ("anhoa", "bt_a", "bt_b")
    ]
    assert all(len(s) > 6 for s in elsewhere)


def _article_meeting(demo: Demo) -> Meeting:
    return Meeting.objects.get(org=demo.cells["anhoa"], kind=Meeting.Kind.REGULAR, period=date(2021, 4, 1))


def test_the_an_hoa_meeting_of_april_2021_is_recorded_in_full(demo: Demo, db):
    meeting = _article_meeting(demo)
    assert meeting.scheduled_date == ARTICLE_DAY and meeting.status == Meeting.Status.CLOSED
    assert meeting.preparation.held_on == date(2021, 4, 1)
    assert set(meeting.preparation.attendees.all()) == set(
        Member.objects.filter(positions__org=demo.cells["anhoa"], positions__ended_on__isnull=True)
    )
    assert meeting.attachments.filter(kind="draft_report").exists()
    assert meeting.agenda_items.count() == 9 and not meeting.agenda_items.filter(started_at__isnull=True).exists()
    assert meeting.chair == demo.secretaries["anhoa"]
    assert meeting.recorder == User.objects.get(username="dangvien.anhoa").member
    supervisor = meeting.guests.get(user__username="canbo.duhop")
    assert supervisor.is_supervisor and meeting.remarks.filter(author__username="canbo.duhop").exists()
    absent = meeting.attendances.filter(is_exempt=False, status=Attendance.Status.EXCUSED)
    assert absent.count() == 2 and not absent.filter(reason="").exists()
    assert meeting.attendances.filter(status=Attendance.Status.LATE).count() == 1
    kinds = list(meeting.turns.values_list("kind", flat=True))
    assert SpeakingTurn.Kind.SELF_CRITICISM in kinds and SpeakingTurn.Kind.CRITICISM in kinds
    totals = live_totals(meeting)
    assert totals.attendance_met and totals.speakers_met
    vote = meeting.votes.get()
    assert vote.passed and vote.votes_for == totals.voters
    # Everything happened that evening: the clock of the replay, not the day the demo was loaded.
    start, end = meeting.started_at, meeting.ended_at
    assert timezone.localtime(start).strftime("%d/%m/%Y %H:%M") == "05/04/2021 19:03"
    assert (end - start).total_seconds() >= 90 * 60
    for turn in meeting.turns.all():
        assert start <= turn.started_at < turn.ended_at <= end
    assert meeting.notices.filter(audience="supervisor", user__username="canbo.duhop").exists()


def test_the_april_2021_minutes_are_signed_by_chair_and_recorder_and_locked(demo: Demo, db):
    meeting = _article_meeting(demo)
    minutes = meeting.documents.get(kind=MeetingDocument.Kind.MINUTES)
    assert minutes.status == MeetingDocument.Status.LOCKED
    signatures = {s.role: s for s in minutes.signatures.select_related("signed_by")}
    assert set(signatures) == {"chair", "recorder"}
    assert signatures["chair"].signed_by.username == "bithu.anhoa"
    assert signatures["recorder"].signed_by.username == "dangvien.anhoa"
    assert not any(s.on_paper for s in signatures.values())
    assert timezone.localdate(signatures["chair"].signed_at) == date(2021, 4, 6)
    text = "\n".join(minutes.sections.values())
    assert "Chỉ thị số 45-CT/TW" in text and "tự phê bình" in text and "Vắng có lý do" in text
    assert minutes.issuer_name == "Chi bộ khu vực An Hòa" and minutes.superior_name == "Đảng bộ phường Bình Thạnh"
    resolution = meeting.documents.get(kind=MeetingDocument.Kind.RESOLUTION)
    assert resolution.status == MeetingDocument.Status.LOCKED
    assert resolution.signatures.get().signed_by.username == "bithu.anhoa"
    clauses = list(resolution.clauses.values_list("text", flat=True))
    for text, due in ARTICLE_TASKS:
        assert any(c.startswith(text) and f"hạn hoàn thành {due:%d/%m/%Y}" in c for c in clauses), text
    assert "Kiểm điểm" in minutes.section("discussion")  # March's tasks reviewed


def test_the_april_2021_meeting_has_a_confirmed_score_under_the_2018_rules(demo: Demo, db, client):
    from chibo.quality.models import MeetingScore

    meeting = _article_meeting(demo)
    score = MeetingScore.objects.get(meeting=meeting)
    # Judged by the version in force on 05/04/2021: HD 12-HD/BTCTW (06/7/2018), Phú Thọ's scheme.
    assert score.ruleset.effective_from == date(2018, 7, 6) and "12-HD/BTCTW" in score.ruleset.note
    assert score.scheme["scheme"] == "phu_tho" and score.max_total == 100
    assert score.state == "locked" and score.confirmed_by.username == "canbo.duhop"
    assert score.votes_for == live_totals(meeting).voters and score.votes_against == 0
    items = list(score.items.all())
    assert len(items) == 13 and all(i.evidence for i in items)
    assert score.total == sum(i.points for i in items)
    assert (score.total, score.level) == (100, "good")  # signed the next morning: the minutes' points too
    assert score.items.get(key="minutes_signed").evidence.startswith("Biên bản Số")
    minutes = meeting.documents.get(kind=MeetingDocument.Kind.MINUTES)
    assert minutes.section("score").startswith("Tổng điểm:")
    client.force_login(demo.users["canbo.duhop"])
    page = client.get(reverse("quality:score", args=[meeting.pk])).content.decode()
    assert "đã xác nhận lúc" in page and "Họp 117 phút, tối thiểu 90 phút." in page


def test_a_demo_meeting_closed_short_shows_its_warning_and_the_points_it_lost(demo: Demo, db, client):
    from chibo.demo.quality import closed_short

    meeting = closed_short(demo)
    assert meeting is not None and meeting.closing_shortfalls
    criterion = {"duration": "duration", "speakers": "speakers", "attendance": "attendance_rate",
                 "vote": "resolution_voted", "criticism": "criticism", "tasks": "tasks_assigned"}  # fmt: skip
    lost = {i.key: i for i in meeting.score.items.all() if i.points < i.max_points}
    for shortfall in meeting.closing_shortfalls:
        if shortfall["key"] in criterion:
            assert criterion[shortfall["key"]] in lost, shortfall
    client.force_login(demo.users["bithu.anhoa"])
    page = client.get(reverse("quality:score", args=[meeting.pk])).content.decode()
    assert "Cảnh báo khi bế mạc" in page and meeting.closing_shortfalls[0]["message"] in page and "mất điểm" in page


def test_the_april_2021_minutes_download_as_a_word_file_and_the_pages_show_the_meeting(demo: Demo, db, client):
    meeting = _article_meeting(demo)
    minutes = meeting.documents.get(kind=MeetingDocument.Kind.MINUTES)
    _login(client, "bithu.anhoa")
    response = client.get(reverse("documents:docx", args=[minutes.pk]))
    assert response.status_code == 200
    text = docx_text(response.content)
    assert "CHI BỘ KHU VỰC AN HÒA" in text and "Bình Thạnh, ngày 05 tháng 4 năm 2021" in text
    for row in meeting.attendances.filter(status=Attendance.Status.EXCUSED).select_related("member"):
        assert row.member.full_name in text and row.reason in text
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "05/04/2021" in page and "Đã kết thúc" in page
    live = client.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    assert User.objects.get(username="canbo.duhop").first_name in live and "Chỉ thị số 45-CT/TW" in live


def test_an_hoa_has_its_next_meeting_planned_on_a_real_date(demo: Demo, db):
    now = today()
    ahead = Meeting.objects.filter(
        org=demo.cells["anhoa"], kind=Meeting.Kind.REGULAR, status=Meeting.Status.PLANNED, scheduled_date__gte=now
    ).order_by("scheduled_date")
    assert ahead.exists()
    nearest = ahead.first()
    assert nearest.agenda_items.exists() and nearest.draft_resolution
    assert nearest.notices.filter(kind="invitation").exists()
    this_month = Meeting.objects.get(org=demo.cells["anhoa"], kind=Meeting.Kind.REGULAR, period=now.replace(day=1))
    assert this_month.status == (Meeting.Status.CLOSED if this_month.scheduled_date < now else Meeting.Status.PLANNED)


def test_loading_sent_no_sms_and_only_an_hoa_was_notified(demo: Demo, db):
    from chibo.notices.models import Notice

    assert Notice.objects.exists()
    assert not Notice.objects.filter(sms_at__isnull=False).exists()
    assert not Notice.objects.exclude(meeting__org=demo.cells["anhoa"]).exists()


def test_load_demo_again_changes_nothing(demo: Demo, db):
    def counts() -> list[int]:
        models = (Organization, Member, User, Meeting, Attendance, SpeakingTurn, MeetingDocument)
        return [model.objects.count() for model in models]

    before = counts()
    output = StringIO()
    with override_settings(CHIBO_DEMO_ACCOUNTS=True):
        call_command("load_demo", stdout=output)
    assert counts() == before
    assert "đã có" in output.getvalue() and "canbo.duhop" in output.getvalue()


# --- The year 2021 reviewed (chibo.demo.reviews) ----------------------------------------------------


def test_binh_thanhs_cells_reviewed_2021_in_december_with_the_quota_met_and_the_ward_deciding(demo: Demo, db):
    from chibo.members.models import LifeEvent
    from chibo.reviews.models import CellReview, MemberReview
    from chibo.reviews.selectors import summary

    years = CellReview.objects.filter(year=2021, org__in=demo.cells.values())
    assert years.count() == 11 and not years.exclude(status="locked").exists()
    assert {timezone.localdate(y.locked_at) for y in years} == {date(2021, 12, 27)}
    assert not years.exclude(meeting_date=date(2021, 12, 20)).exists()
    for cell_review in years:
        levels = list(cell_review.member_reviews.filter(not_rated="").values_list("cell_level", flat=True))
        assert levels.count("htxsnv") <= levels.count("httnv") * 20 // 100, cell_review.org.name
        assert not cell_review.quota_exception
    rated = MemberReview.objects.filter(cell_review__in=years, not_rated="")
    assert not rated.filter(self_submitted_at__isnull=True).exists()
    assert not rated.filter(decided_level="").exists()
    _cells, total = summary(demo.orgs["binh_thanh"], 2021)
    # A realistic spread: most HTTNV, a few at each other level, exempt members listed and not rated.
    assert total.counts["httnv"] > total.rated / 2
    assert total.counts["htxsnv"] >= 3 and total.counts["htnv"] >= 1 and total.counts["khtnv"] >= 1
    assert total.not_rated >= 5
    # One member reprimanded in August 2021: KHTNV, with the decision in the reasons.
    event = LifeEvent.objects.get(kind="discipline", decided_on__year=2021)
    assert (event.discipline, event.decision_number, event.member.org) == ("reprimand", "12-QĐ/ĐU", demo.cells["bt_b"])
    disciplined = rated.get(member=event.member)
    assert disciplined.decided_level == "khtnv" and any("12-QĐ/ĐU" in str(r) for r in disciplined.reasons)
    # The ward changed one level with its reason.
    changed = rated.exclude(decision_reason="")
    assert changed.count() == 1 and changed.get().decided_level != changed.get().cell_level


def test_past_levels_were_imported_and_an_hoa_is_at_the_top_six_years_running(demo: Demo, db, client):
    from chibo.reviews.models import MemberReview, OrgRating
    from chibo.reviews.selectors import consecutive_top_years

    imported = MemberReview.objects.filter(cell_review__source="imported")
    assert set(imported.values_list("cell_review__year", flat=True)) == {2016, 2017, 2018, 2019, 2020}
    anhoa = list(OrgRating.objects.filter(org=demo.cells["anhoa"]))
    assert [r.year for r in sorted(anhoa, key=lambda r: r.year)] == [2016, 2017, 2018, 2019, 2020, 2021]
    assert consecutive_top_years(anhoa) == 6
    assert OrgRating.objects.filter(year=2021, org__in=demo.cells.values()).exclude(level="").count() == 11
    _login(client, "bithu.anhoa")
    page = client.get(reverse("reviews:org", args=[demo.cells["anhoa"].pk])).content.decode()
    assert "6 năm liền hoàn thành xuất sắc nhiệm vụ." in page


# --- The recent history (chibo.demo.recent): a living ward today, and every early warning once -----


def test_every_cell_of_the_2025_wards_met_in_each_of_the_twelve_months_before_this_one(demo: Demo, db):
    from chibo.demo.recent import SKIP, _months_before

    months = _months_before(today())
    held = set(
        Meeting.objects.filter(kind=Meeting.Kind.REGULAR, status=Meeting.Status.CLOSED, period__in=months).values_list(
            "org_id", "period"
        )
    )
    for key, cell in demo.cells.items():
        missing = [m for m in months if (cell.pk, m) not in held]
        assert missing == ([months[-1]] if key == SKIP else []), key


def test_the_ward_officer_sees_every_kind_of_warning_today(demo: Demo, db):
    from chibo.dashboards.warnings import KINDS, warnings_for

    day = today()
    found = [
        w
        for key in ("long_binh_new", "long_my_new", "long_phu_1")
        for w in warnings_for(demo.users["admin"], demo.orgs[key], day)
    ]
    assert set(KINDS) <= {w.kind for w in found}
    # The Long Bình ward's cadre for its People's Committee cell never came (chibo.demo.recent.FOLLOWERS); the one
    # who follows An Hòa and Bình An did.
    unattended = [w for w in found if w.kind == "unattended"]
    assert [w.cell for w in unattended] == [demo.cells["bt_ubnd"]]
    similar = [w for w in found if w.kind == "similar_resolution"]
    assert [w.cell for w in similar] == [demo.cells["anhoa"]]
    assert "/2021" in similar[0].text  # this month's draft repeats a 2021 resolution
    falling = next(w for w in found if w.kind == "attendance_falling")
    assert falling.cell == demo.cells["bt_c"]


def test_the_dashboards_summary_is_ready_and_sums_the_ward(demo: Demo, db):
    from chibo.dashboards.selectors import dashboard, period_for

    long_binh = demo.orgs["long_binh_new"]
    figures = dashboard(long_binh, period_for(long_binh)).totals
    assert figures.held >= 16 * 11 and 80 <= figures.attendance_pct <= 100
    assert figures.speakers_pct is not None and figures.tasks_due > 0


def test_an_hoa_has_its_households_in_charge_and_the_april_2021_minutes_list_residents_opinions(demo: Demo, db):
    from chibo.households.models import Assignment, Household, LiaisonEvent

    cell = demo.cells["anhoa"]
    households = Household.objects.filter(cell=cell)
    assert 390 <= households.count() <= 400 and not households.filter(lat__isnull=True).exists()
    current = Assignment.objects.current().filter(household__cell=cell)
    assert current.count() == households.count() and not current.exclude(member__org=cell).exists()
    arrivals = LiaisonEvent.objects.filter(household__cell=cell, kind="arrival", arrived_on__year=2021)
    assert arrivals.count() == 6 and not arrivals.exclude(notified="health_station").exists()
    minutes = _article_meeting(demo).documents.get(kind=MeetingDocument.Kind.MINUTES)
    assert "sạt lở gần cầu kênh Ba Ngàn" in minutes.section("agenda")


def test_the_ward_followed_its_cells_and_had_the_2021_directives_disseminated_one_cell_late(demo: Demo, db):
    from chibo.directives.models import Directive
    from chibo.directives.selectors import LATE, ON_TIME, compliance
    from chibo.supervision.models import Assignment, RemarkFollowUp
    from chibo.supervision.selectors import coverage

    ward = demo.orgs["binh_thanh"]
    assignments = Assignment.objects.filter(committee=ward)
    assert set(assignments.values_list("cell_id", flat=True)) == {demo.cells[s.key].pk for s in BINH_THANH_CELLS}
    assert assignments.values("cadre").distinct().count() == 6
    assert assignments.filter(kind=Assignment.Kind.LEADER).values("cadre").distinct().count() == 2
    q2 = coverage(ward, date(2021, 4, 1), date(2021, 7, 1))
    assert len(q2.cells) == 11 and q2.visited_cells == 11 and not q2.overdue_cells
    asked = RemarkFollowUp.objects.filter(asks_action=True)
    assert asked.count() >= 5 and asked.exclude(reply="").count() == asked.count() - 1
    locked = MeetingDocument.objects.filter(
        kind=MeetingDocument.Kind.MINUTES, status=MeetingDocument.Status.LOCKED, meeting__remarks__isnull=False
    ).first()
    assert locked is not None and "Ý kiến chỉ đạo:" in locked.section("discussion")
    statuses = {
        d.number: {(c.cell_name, c.status) for c in compliance(d).cells if c.status != ON_TIME}
        for d in Directive.objects.filter(target=ward)
    }
    assert statuses == {"45-CT/TW": set(), "01-CT/TW": set(), "01-KL/TW": {("Chi bộ Trạm Y tế phường", LATE)}}
    article = _article_meeting(demo).documents.get(kind=MeetingDocument.Kind.MINUTES)
    assert "Quán triệt văn bản cấp trên:" in article.section("agenda")
