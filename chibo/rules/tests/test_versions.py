import json
from datetime import date, time

import pytest

from chibo.core.errors import ChiboError
from chibo.meetings.models import Meeting
from chibo.rules.models import RuleSetVersion, default_classification, default_households, default_scoring
from chibo.rules.selectors import RulesetResolver, meeting_day_for, rule_values, ruleset_for
from chibo.rules.services import ruleset_create_version

pytestmark = pytest.mark.django_db


def _meeting(org, day, rules, status=Meeting.Status.PLANNED):
    return Meeting.objects.create(
        org=org, kind="extraordinary", scheduled_date=day, scheduled_time=time(19), ruleset=rules, status=status
    )


def test_a_new_version_copies_the_one_in_force_and_numbers_itself_per_node(world):
    town_v1 = ruleset_create_version(
        actor=world.town_officer, org=world.town, effective_from=date(2024, 1, 1), attendance_threshold_pct=80
    )
    ward_v1 = ruleset_create_version(
        actor=world.ward_officer, org=world.ward, effective_from=date(2025, 1, 1), reminder_hours_before=12
    )
    ward_v2 = ruleset_create_version(
        actor=world.ward_officer, org=world.ward, effective_from=date(2025, 6, 1), notice_lead_days=2
    )
    assert (town_v1.version, ward_v1.version, ward_v2.version) == (1, 1, 2)
    # The ward's first version inherits the town's 80 %; the second keeps its own 12 hours.
    assert ward_v1.attendance_threshold_pct == 80
    assert (ward_v2.reminder_hours_before, ward_v2.notice_lead_days, ward_v2.attendance_threshold_pct) == (12, 2, 80)
    assert ward_v2.created_by == world.ward_officer
    assert ruleset_for(world.anhoa, date(2025, 5, 31)) == ward_v1
    assert ruleset_for(world.anhoa, date(2025, 6, 1)) == ward_v2


def test_a_new_version_never_changes_a_meeting_already_held(world):
    old = ruleset_for(world.anhoa, date(2025, 3, 1))
    held = _meeting(world.anhoa, date(2025, 3, 5), old, status=Meeting.Status.CLOSED)
    planned = _meeting(world.anhoa, date(2025, 4, 5), old)
    elsewhere = _meeting(world.other_ward_cell, date(2025, 4, 5), old)
    new = ruleset_create_version(
        actor=world.ward_officer, org=world.ward, effective_from=date(2025, 3, 1), min_duration_minutes=100
    )
    held.refresh_from_db()
    planned.refresh_from_db()
    elsewhere.refresh_from_db()
    assert held.ruleset == old and held.min_duration_minutes == 90
    assert planned.ruleset == new and planned.min_duration_minutes == 100
    assert elsewhere.ruleset == old  # another ward is not under the new version


def _scheme_with(change):
    scheme = default_scoring()
    change(scheme)
    return scheme


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"meeting_day": 30}, "meeting_day", "từ ngày 1 đến ngày 28"),
        ({"min_duration_minutes": 130}, "min_duration_thematic_minutes", "không được ít hơn"),
        ({"attendance_threshold_pct": 120}, "attendance_threshold_pct", "từ 1% đến 100%"),
        ({"thematic_per_quarter": 0}, "thematic_per_quarter", "ít nhất 1 buổi"),
        ({"reminder_hours_before": 0}, "reminder_hours_before", "từ 1 đến 168"),
        ({"holiday_shift": "sideways"}, "holiday_shift", "không hợp lệ"),
        ({"task_carry_over_min_days": 0}, "task_carry_over_min_days", "từ 1 đến 90 ngày"),
        ({"notice_horizon_days": 3}, "notice_horizon_days", "từ 7 đến 120 ngày"),
        (
            {"scoring": _scheme_with(lambda s: s["groups"][2].update(points=40))},
            "scoring",
            r"khác điểm của nhóm \(40\)",
        ),
        (
            {
                "scoring": _scheme_with(
                    lambda s: s["groups"][0]["criteria"][0].update(points=10) or s["groups"][0].update(points=20)
                )
            },
            "scoring",
            r"cộng lại là 105, khác tổng điểm \(100\)",
        ),
        ({"scoring": _scheme_with(lambda s: s["levels"].update(good=70, fair=90))}, "scoring", "Mức Tốt phải cao hơn"),
        (
            {"scoring": _scheme_with(lambda s: s["groups"][0]["criteria"][0].update(check="luck"))},
            "scoring",
            "cách đo không có",
        ),
    ],
)
def test_bad_settings_are_refused_in_vietnamese(world, values, field, message):
    with pytest.raises(ChiboError, match=message) as err:
        ruleset_create_version(actor=None, org=world.ward, effective_from=date(2025, 1, 1), **values)
    assert err.value.field == field
    assert not RuleSetVersion.objects.filter(org=world.ward).exists()


def test_a_version_cannot_go_back_before_the_latest_one(world):
    ruleset_create_version(actor=None, org=world.ward, effective_from=date(2025, 6, 1))
    with pytest.raises(ChiboError, match="từ ngày 01/06/2025") as err:
        ruleset_create_version(actor=None, org=world.ward, effective_from=date(2025, 1, 1))
    assert err.value.field == "effective_from"


def test_each_value_shows_the_level_it_comes_from(world):
    ruleset_create_version(actor=None, org=world.town, effective_from=date(2024, 1, 1), attendance_threshold_pct=80)
    ruleset_create_version(actor=None, org=world.ward, effective_from=date(2024, 1, 1), reminder_hours_before=12)
    values = {v.field: v for v in rule_values(world.other_cell, date(2025, 1, 1))}
    assert values["attendance_threshold_pct"].source.org == world.town
    assert values["attendance_threshold_pct"].value == 80
    assert values["reminder_hours_before"].source.org == world.ward
    assert values["min_duration_minutes"].source.org is None  # the system default
    assert not values["reminder_hours_before"].own


def test_the_cells_own_meeting_day_overrides_the_rule_set(world):
    ruleset_create_version(actor=None, org=world.ward, effective_from=date(2024, 1, 1), meeting_day=3)
    rules = ruleset_for(world.anhoa, date(2025, 1, 1))
    assert meeting_day_for(world.anhoa, rules) == 5  # An Hòa meets on the 5th
    assert meeting_day_for(world.other_cell, rules) == 3
    values = {v.field: v for v in rule_values(world.anhoa, date(2025, 1, 1))}
    assert values["meeting_day"].value == 5 and values["meeting_day"].own


def test_the_resolver_agrees_with_ruleset_for_in_two_queries(world, django_assert_num_queries):
    ruleset_create_version(actor=None, org=world.town, effective_from=date(2024, 1, 1), attendance_threshold_pct=80)
    ruleset_create_version(actor=None, org=world.ward, effective_from=date(2025, 1, 1), attendance_threshold_pct=90)
    cells = [world.anhoa, world.other_cell, world.other_ward_cell]
    with django_assert_num_queries(2):
        resolver = RulesetResolver(cells)
    for cell in cells:
        for day in (date(2023, 1, 1), date(2024, 6, 1), date(2025, 6, 1)):
            assert resolver.for_org(cell, day) == ruleset_for(cell, day)


def test_the_officer_page_shows_sources_and_creates_a_version(client, world):
    client.force_login(world.ward_officer)
    page = client.get(f"/rules/{world.ward.pk}/")
    assert page.status_code == 200
    assert "Mặc định" in page.content.decode()
    form = client.get(f"/rules/{world.ward.pk}/new/")
    assert form.context["form"].initial["attendance_threshold_pct"] == 85
    data = {k: v for k, v in form.context["form"].initial.items()}
    data.update(
        effective_from="2026-01-01",
        default_start_time="07:30",
        scoring=json.dumps(default_scoring()),
        classification=json.dumps(default_classification()),
        households=json.dumps(default_households()),
        speakers_threshold_pct=40,
        note="Nghị quyết BCH phường",
        excellent_quota_enabled="on",
        rate_probationary="on",
    )
    response = client.post(f"/rules/{world.ward.pk}/new/", data)
    assert response.status_code == 302
    created = RuleSetVersion.objects.get(org=world.ward)
    assert (created.version, created.speakers_threshold_pct, created.default_start_time) == (1, 40, time(7, 30))


def test_the_page_rerenders_with_the_services_message(client, world):
    client.force_login(world.ward_officer)
    data = {k: v for k, v in client.get(f"/rules/{world.ward.pk}/new/").context["form"].initial.items()}
    data.update(
        effective_from="2026-01-01",
        default_start_time="19:00",
        scoring=json.dumps(
            {
                "total": 100,
                "groups": [{"key": "a", "points": 10, "criteria": [{"key": "d", "check": "duration", "points": 10}]}],
            }
        ),
        classification=json.dumps(default_classification()),
        households=json.dumps(default_households()),
        min_duration_minutes=90,
    )
    response = client.post(f"/rules/{world.ward.pk}/new/", data)
    assert response.status_code == 400
    assert "Điểm các nhóm tiêu chí cộng lại là 10, khác tổng điểm (100)." in response.content.decode()
    assert not RuleSetVersion.objects.filter(org=world.ward).exists()


def test_new_versions_are_for_officers_of_the_node(client, world):
    for user, status in ((world.viewer, 403), (world.anhoa_secretary, 404), (world.outsider, 404)):
        client.force_login(user)
        assert client.post(f"/rules/{world.ward.pk}/new/", {}).status_code == status
    assert not RuleSetVersion.objects.filter(org=world.ward).exists()


def test_a_cell_secretary_reads_the_cells_rules_without_the_button_to_change_them(client, world):
    client.force_login(world.anhoa_secretary)
    response = client.get(f"/rules/{world.anhoa.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Quy định đang áp dụng ngày" in page and "Chỉ xem" in page
    assert f"/rules/{world.anhoa.pk}/new/" not in page
    assert client.get(f"/rules/{world.anhoa.pk}/new/").status_code == 403
    assert client.get(f"/rules/{world.ward.pk}/").status_code == 404  # the ward is outside their scope
    client.force_login(world.ward_officer)
    assert f"/rules/{world.anhoa.pk}/new/" in client.get(f"/rules/{world.anhoa.pk}/").content.decode()


def test_classification_settings_are_checked_like_every_other_setting(world):
    from chibo.core.errors import ChiboError
    from chibo.rules.services import ruleset_create_version

    bad_cutoffs = default_classification() | {"cutoffs": {"excellent": 70, "good": 90, "fair": 50}}
    with pytest.raises(ChiboError, match="HTXSNV phải cao hơn HTTNV") as err:
        ruleset_create_version(actor=None, org=world.ward, effective_from=date(2026, 1, 1), classification=bad_cutoffs)
    assert err.value.field == "classification"
    bad_weights = default_classification() | {
        "weights": {"attendance": 50, "tasks": 40, "speaking": 0, "commitment": 0, "criticism": 0}
    }
    with pytest.raises(ChiboError, match="bằng 100"):
        ruleset_create_version(actor=None, org=world.ward, effective_from=date(2026, 1, 1), classification=bad_weights)
    ok = ruleset_create_version(
        actor=None,
        org=world.ward,
        effective_from=date(2026, 1, 1),
        classification=default_classification() | {"cutoffs": {"excellent": 95, "good": 75, "fair": 50}},
    )
    assert ok.classification["cutoffs"]["excellent"] == 95
    assert RuleSetVersion.objects.filter(org=world.ward).count() == 1
