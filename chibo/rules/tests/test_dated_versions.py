"""The system's versions by date (C20): HD 09 before 2018, HD 12 from 06/07/2018, HD 42 from 28/10/2025;
each figure says whether it is national or local and where it comes from."""

import json
from datetime import date, time

import pytest

from chibo.core.errors import ChiboError
from chibo.meetings.models import Meeting
from chibo.rules.models import RuleSetVersion
from chibo.rules.selectors import rule_values, ruleset_for
from chibo.rules.services import system_version_put

pytestmark = pytest.mark.django_db


def test_the_2021_meeting_is_judged_by_hd_12_and_a_2026_one_by_hd_42(world):
    in_2021 = ruleset_for(world.anhoa, date(2021, 4, 5))
    in_2026 = ruleset_for(world.anhoa, date(2026, 1, 5))
    before = ruleset_for(world.anhoa, date(2015, 1, 5))
    assert in_2021.effective_from == date(2018, 7, 6) and "12-HD/BTCTW" in in_2021.note
    assert in_2026.effective_from == date(2025, 10, 28) and "42-HD/BTCTW" in in_2026.note
    assert before.effective_from == date(2000, 1, 1) and "09-HD/BTCTW" in before.note
    assert (in_2021.min_duration_minutes, in_2021.min_duration_thematic_minutes) == (90, 120)
    # The last day before HD 42 is still HD 12's (under the review rules of QĐ 366 from 30/08/2025).
    last = ruleset_for(world.anhoa, date(2025, 10, 27))
    assert "12-HD/BTCTW" in last.note and last.effective_from == date(2025, 8, 30)


def test_each_years_review_is_classified_by_the_text_in_force_on_31_december(world):
    """QĐ 132 (2018) for the years up to 2022, QĐ 124 from 04/10/2023, QĐ 366 / HD 43 from 30/08/2025."""

    def on(day: date) -> dict:
        return ruleset_for(world.anhoa, day).classification

    for year in (2016, 2021, 2022):
        c = on(date(year, 12, 31))
        assert c["basis"].startswith("QĐ 132") and not c["discipline_exception_allowed"]
        assert (c["good_all_on_time"], c["fair_all_done"], c["above_requirement_pct"]) == (False, False, 0)
    assert on(date(2023, 10, 3))["basis"].startswith("QĐ 132")
    for day in (date(2023, 10, 4), date(2023, 12, 31), date(2024, 12, 31), date(2025, 8, 29)):
        c = on(day)
        assert c["basis"].startswith("QĐ 124") and c["discipline_exception_allowed"]
        assert c["poor_criterion_means_not_completed"] and not c["good_all_on_time"]
    for day in (date(2025, 8, 30), date(2025, 12, 31), date(2026, 12, 31)):
        c = on(day)
        assert c["basis"].startswith("QĐ 366") and c["cutoffs"] == {"excellent": 90, "good": 70, "fair": 50}
        assert (c["good_all_on_time"], c["fair_all_done"], c["above_requirement_pct"]) == (True, True, 30)
    # The meeting rules stay HD 12's until 28/10/2025, whatever the review rules.
    assert ruleset_for(world.anhoa, date(2025, 9, 15)).notice_lead_days == 1
    assert "12-HD/BTCTW" in ruleset_for(world.anhoa, date(2024, 4, 5)).note
    basis = {v.field: v for v in rule_values(world.anhoa, date(2024, 4, 5))}["classification"]
    assert basis.basis_kind == "unconfirmed" and "QĐ 124-QĐ/TW (04/10/2023)" in basis.basis_source
    assert "HTXSNV ≥ 90, HTTNV ≥ 70, HTNV ≥ 50 điểm (QĐ 124" in basis.display


def test_each_figure_says_national_or_local_and_its_source(world):
    values = {v.field: v for v in rule_values(world.anhoa, date(2021, 4, 5))}
    assert values["min_duration_minutes"].basis_kind == "national"
    assert "tiết 3.3" in values["min_duration_minutes"].basis_source
    assert values["attendance_threshold_pct"].basis_kind == "local"
    assert values["thematic_per_quarter"].basis_kind == "unconfirmed"
    assert values["task_carry_over_min_days"].value == 7 and values["notice_horizon_days"].value == 31


def test_the_rule_set_page_shows_each_figures_basis(client, world):
    client.force_login(world.ward_officer)
    page = client.get(f"/rules/{world.ward.pk}/?on=2021-04-05").content.decode()
    assert "Quy định toàn quốc" in page and "Thực tiễn địa phương" in page and "Chưa xác nhận" in page
    assert "HD 12-HD/BTCTW (06/7/2018), tiết 3.3" in page


def test_a_national_version_can_be_put_between_two_and_planned_meetings_follow_it(world):
    rules_2024 = ruleset_for(world.anhoa, date(2024, 3, 5))
    planned = Meeting.objects.create(
        org=world.anhoa, kind="extraordinary", scheduled_date=date(2024, 3, 5), scheduled_time=time(19),
        ruleset=rules_2024,
    )  # fmt: skip
    count = RuleSetVersion.objects.filter(org__isnull=True).count()
    version = system_version_put(
        actor=None,
        effective_from=date(2024, 1, 1),
        note="Một văn bản giả định (01/01/2024)",
        basis={"excellent_quota_pct": {"kind": "unconfirmed", "source": "chưa xác nhận"}},
        excellent_quota_pct=25,
    )
    assert version.version == count + 1 and version.min_duration_minutes == 90  # copied from HD 12
    assert version.classification["basis"].startswith("QĐ 124")  # copied from the version before it
    assert version.basis["excellent_quota_pct"]["kind"] == "unconfirmed"
    assert version.basis["min_duration_minutes"]["kind"] == "national"  # kept from the one before
    planned.refresh_from_db()
    assert planned.ruleset == version
    assert ruleset_for(world.anhoa, date(2025, 11, 1)).excellent_quota_pct == 20  # HD 42's own figures
    # Putting the same date again updates it rather than adding one.
    again = system_version_put(actor=None, effective_from=date(2024, 1, 1), note="Giả định", excellent_quota_pct=30)
    assert again.pk == version.pk and RuleSetVersion.objects.filter(org__isnull=True).count() == count + 1


def test_a_basis_without_its_kind_is_refused(world):
    with pytest.raises(ChiboError, match="toàn quốc, địa phương hoặc chưa xác nhận") as err:
        system_version_put(actor=None, effective_from=date(2024, 1, 1), note="x", basis={"meeting_day": {"x": 1}})
    assert err.value.field == "basis"
    assert not RuleSetVersion.objects.filter(effective_from=date(2024, 1, 1)).exists()


def test_bình_thuận_is_a_second_scheme_an_officer_can_choose(client, world):
    client.force_login(world.ward_officer)
    initial = client.get(f"/rules/{world.ward.pk}/new/").context["form"].initial
    # JSON settings post as JSON, the rest as they are.
    data = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in initial.items()}
    data.update(
        effective_from="2026-01-01", default_start_time="19:00", scoring="{}", scoring_scheme="binh_thuan",
        excellent_quota_enabled="on", rate_probationary="on",
    )  # fmt: skip
    response = client.post(f"/rules/{world.ward.pk}/new/", data)
    assert response.status_code == 302
    scheme = RuleSetVersion.objects.get(org=world.ward).scoring
    assert scheme["scheme"] == "binh_thuan" and scheme["good_year"]["min_good_meetings"] == 10
    assert sum(g["points"] for g in scheme["groups"]) == 100


def test_a_figure_a_committee_sets_for_itself_becomes_its_local_practice(world):
    from chibo.rules.services import ruleset_create_version

    version = ruleset_create_version(
        actor=None, org=world.ward, effective_from=date(2026, 1, 1), note="NQ 05 của Đảng ủy", min_duration_minutes=100
    )
    assert version.basis["min_duration_minutes"] == {
        "kind": "local",
        "source": "Đảng bộ phường Bình Thạnh: NQ 05 của Đảng ủy",
    }
    assert version.basis["notice_lead_days"]["kind"] == "national"  # unchanged: HD 42's, kept
