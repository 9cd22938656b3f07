"""Early warnings (C16), each with real numbers, its evidence, its link and its rule-set threshold; a
warning acknowledged with a note keeps the note in its history."""

from datetime import date

import pytest
from django.urls import reverse

from chibo.dashboards import services
from chibo.dashboards.models import WarningAck
from chibo.dashboards.tests.builders import held, planned, refresh
from chibo.dashboards.tests.test_similarity import TEXT_2021
from chibo.dashboards.warnings import warnings_for
from chibo.rules.models import RuleSetVersion
from chibo.tasks import services as task_services
from chibo.testing.factories import MemberFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    for module in ("chibo.dashboards.warnings", "chibo.dashboards.services"):
        monkeypatch.setattr(f"{module}.today", lambda: TODAY, raising=False)


def _roll(world, n: int) -> list:
    return [MemberFactory(org=world.anhoa, full_name=f"Đỗ Văn Số {i}") for i in range(n)]


def _of(kind: str, world) -> list:  # type: ignore[no-untyped-def]
    return [w for w in warnings_for(world.admin, world.ward, TODAY) if w.kind == kind]


def test_a_month_without_a_meeting_is_the_calendars_check(world):
    held(world.anhoa, date(2026, 12, 1))  # An Hòa met this month; November: nothing at all
    warnings = _of("no_meeting", world)
    anhoa = [w for w in warnings if w.cell == world.anhoa]
    assert [w.key for w in anhoa] == [f"no_meeting:{world.anhoa.pk}:2026-11"]
    assert "11/2026" in anhoa[0].text and "05/11/2026" in anhoa[0].evidence[0]
    # Bình Hòa met in neither month; this month's fixed day (1/12) has passed as well
    assert {w.key for w in warnings if w.cell == world.other_cell} == {
        f"no_meeting:{world.other_cell.pk}:2026-11",
        f"no_meeting:{world.other_cell.pk}:2026-12",
    }


def test_a_quarter_without_a_thematic_meeting_is_flagged_after_it_ends(world):
    warnings = [w for w in _of("no_thematic", world) if w.cell == world.anhoa]
    assert len(warnings) == 1 and "3/2026" in warnings[0].text  # July – September 2026
    assert "0" in warnings[0].evidence[0] and "1" in warnings[0].evidence[0]


def test_attendance_falling_three_months_running_is_flagged_with_each_months_rate(world):
    roll = _roll(world, 8)  # 10 required
    for month, absent in ((8, 0), (9, 1), (10, 2), (11, 4)):
        held(world.anhoa, date(2026, month, 5), absent=roll[:absent])
    refresh(date(2026, 8, 1), date(2026, 12, 1))
    [warning] = _of("attendance_falling", world)
    assert warning.cell == world.anhoa
    assert warning.evidence == ["08/2026: 10/10 (100,0%)", "09/2026: 9/10 (90,0%)", "10/2026: 8/10 (80,0%)",
                                "11/2026: 6/10 (60,0%)"]  # fmt: skip
    assert "60,0%" in warning.text


def test_attendance_that_falls_then_rises_is_not_flagged(world):
    roll = _roll(world, 8)
    for month, absent in ((8, 0), (9, 1), (10, 2), (11, 1)):
        held(world.anhoa, date(2026, month, 5), absent=roll[:absent])
    refresh(date(2026, 8, 1), date(2026, 12, 1))
    assert _of("attendance_falling", world) == []


def test_the_falling_months_are_a_rule_set_setting(world):
    roll = _roll(world, 8)
    for month, absent in ((9, 1), (10, 2), (11, 4)):
        held(world.anhoa, date(2026, month, 5), absent=roll[:absent])
    refresh(date(2026, 8, 1), date(2026, 12, 1))
    assert _of("attendance_falling", world) == []  # two falls; the default asks three
    RuleSetVersion.objects.filter(org__isnull=True).update(warn_attendance_fall_months=2)
    assert len(_of("attendance_falling", world)) == 1


def test_a_member_absent_three_meetings_running_is_flagged_with_the_dates_and_reasons(world):
    roll = _roll(world, 2)
    held(world.anhoa, date(2026, 8, 5))
    for month in (9, 10, 11):
        held(world.anhoa, date(2026, month, 5), absent=[roll[0], roll[1]] if month > 9 else [roll[0]])
    [warning] = _of("absent_run", world)
    assert "Đỗ Văn Số 0" in warning.text
    assert warning.evidence == ["05/09/2026: vắng có lý do (Ốm)", "05/10/2026: vắng có lý do (Ốm)",
                                "05/11/2026: vắng có lý do (Ốm)"]  # fmt: skip
    assert warning.link == reverse("members:detail", args=[roll[0].pk])


def test_members_present_for_six_months_who_never_spoke_are_one_warning_of_their_cell(world):
    roll = _roll(world, 3)
    for month in range(6, 12):
        held(world.anhoa, date(2026, month, 5), speakers=[roll[0]])
    coming = planned(world.anhoa, date(2026, 12, 5))
    [warning] = _of("silent", world)
    assert warning.cell == world.anhoa and warning.key == f"silent:{world.anhoa.pk}:2026-12"
    assert warning.text == "2 đảng viên có mặt nhưng không phát biểu lần nào trong 6 tháng."
    assert warning.evidence == [
        "Đỗ Văn Số 1: có mặt 6/6 buổi từ 06/2026.",
        "Đỗ Văn Số 2: có mặt 6/6 buổi từ 06/2026.",
    ]  # not the speaker; nor the secretary who chaired, nor the member who took the minutes
    assert warning.link == reverse("meetings:prepare", args=[coming.pk])  # where speakers are invited


def test_the_silent_months_are_a_rule_set_setting(world):
    roll = _roll(world, 2)
    for month in range(6, 12):
        held(world.anhoa, date(2026, month, 5), speakers=roll if month == 7 else [roll[0]])
    assert _of("silent", world) == []  # Số 1 spoke in July, within the six months asked
    RuleSetVersion.objects.filter(org__isnull=True).update(warn_silent_months=3)
    [warning] = _of("silent", world)
    assert "trong 3 tháng" in warning.text and warning.evidence == ["Đỗ Văn Số 1: có mặt 3/3 buổi từ 09/2026."]


def test_a_newcomer_is_not_flagged_for_months_before_they_came(world):
    for month in range(6, 12):
        held(world.anhoa, date(2026, month, 5), speakers=[world.member_of_anhoa])
    MemberFactory(org=world.anhoa, full_name="Người Mới Đến", joined_on=date(2026, 10, 1), official_on=None)
    held(world.anhoa, date(2026, 12, 1), speakers=[world.member_of_anhoa])
    assert not any("Người Mới Đến" in w.text for w in _of("silent", world))


def test_a_draft_resolution_repeating_an_earlier_one_is_flagged_and_an_honest_one_is_not(world):
    held(world.anhoa, date(2021, 4, 5), draft=TEXT_2021)
    copy = planned(world.anhoa, date(2026, 12, 5), draft=TEXT_2021.replace("2021", "2026"))
    planned(world.other_cell, date(2026, 12, 1), draft=TEXT_2021)  # another cell's first resolution: nothing to repeat
    [warning] = _of("similar_resolution", world)
    assert warning.cell == world.anhoa and warning.key == f"similar_resolution:{copy.pk}"
    assert "100%" in warning.text and "05/04/2021" in warning.text
    assert warning.link == reverse("meetings:prepare", args=[copy.pk])  # where the draft is rewritten


def test_overdue_tasks_are_counted_per_cell_with_the_oldest_first(world):
    meeting = held(world.anhoa, date(2026, 10, 5))
    task_services.task_create(
        actor=None, meeting=meeting, description="Thu quỹ", assignees=[world.member_of_anhoa], due_on=date(2026, 11, 1)
    )
    task_services.task_create(
        actor=None,
        meeting=meeting,
        description="Vận động",
        assignees=[world.member_of_anhoa],
        due_on=date(2026, 12, 20),
    )
    [warning] = _of("overdue_tasks", world)
    assert warning.text.startswith("1 ") and "hạn 01/11/2026" in warning.evidence[0]
    RuleSetVersion.objects.filter(org__isnull=True).update(warn_overdue_days=31)
    assert _of("overdue_tasks", world) == []  # 31 days late, not more


def test_an_acknowledged_warning_keeps_its_notes_and_goes_to_the_end(world):
    key = f"no_meeting:{world.anhoa.pk}:2026-11"
    services.warning_acknowledge(actor=world.ward_officer, key=key, org=world.anhoa, kind="no_meeting", note="Đã nhắc")
    services.warning_acknowledge(
        actor=world.anhoa_secretary, key=key, org=world.anhoa, kind="no_meeting", note="Họp bù ngày 10/12"
    )
    warnings = warnings_for(world.admin, world.ward, TODAY)
    mine = next(w for w in warnings if w.key == key)
    assert [a.note for a in mine.acks] == ["Họp bù ngày 10/12", "Đã nhắc"]
    assert warnings[-1].acknowledged and not warnings[0].acknowledged
    assert WarningAck.objects.count() == 2


def test_an_acknowledgement_needs_a_note(world):
    from chibo.core.errors import ChiboError

    with pytest.raises(ChiboError) as err:
        services.warning_acknowledge(actor=world.ward_officer, key="k", org=world.anhoa, kind="no_meeting", note="  ")
    assert err.value.field == "note" and not WarningAck.objects.exists()


def _assign(world, valid_from: date):  # type: ignore[no-untyped-def]
    from chibo.supervision.models import Assignment

    return Assignment.objects.create(
        committee=world.ward, cadre=world.ward_officer, cell=world.anhoa, title="Đảng ủy viên", valid_from=valid_from
    )


def test_a_cadre_assigned_to_a_cell_who_attended_none_of_its_meetings_in_the_period_is_flagged(world):
    from chibo.meetings.models import Guest

    assignment = _assign(world, date(2026, 6, 1))
    for month in (9, 10, 11):
        held(world.anhoa, date(2026, month, 5))
    [warning] = _of("unattended", world)
    assert warning.key == f"unattended:{assignment.pk}:2026-12" and warning.cell == world.anhoa
    assert "92 ngày" in warning.text  # the rule set's supervision_gap_days
    assert "3 buổi (05/09/2026, 05/10/2026, 05/11/2026)" in warning.evidence[1]
    assert warning.link == reverse("supervision:assignments") + f"?org={world.ward.pk}"
    # attending one of them from above (the meeting's own record) clears it
    meeting = world.anhoa.meetings.get(scheduled_date=date(2026, 10, 5))
    Guest.objects.create(meeting=meeting, name="Cán bộ phường", is_supervisor=True, user=world.ward_officer)
    assert _of("unattended", world) == []


def test_a_cadre_assigned_lately_or_whose_attendance_is_older_than_the_period_is_judged_by_the_rule_set(world):
    from chibo.meetings.models import Guest

    _assign(world, date(2026, 11, 1))
    held(world.anhoa, date(2026, 7, 5))
    held(world.anhoa, date(2026, 11, 25))
    assert _of("unattended", world) == []  # assigned a month ago, the period is 92 days: not yet expected
    RuleSetVersion.objects.filter(org__isnull=True).update(supervision_gap_days=20)
    assert len(_of("unattended", world)) == 1  # assigned for the 20 days asked; 25/11 held without them
    july = world.anhoa.meetings.get(scheduled_date=date(2026, 7, 5))
    Guest.objects.create(meeting=july, name="Cán bộ phường", is_supervisor=True, user=world.ward_officer)
    assert len(_of("unattended", world)) == 1  # July is before the period
