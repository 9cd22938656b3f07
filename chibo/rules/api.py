"""Rule sets over the API (C17, C20): the version in force at a node on a date."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from chibo.accounts.scope import Perm, get_org_for_user
from chibo.core.api_tools import ErrorOut, parse_day
from chibo.core.dates import today
from chibo.rules.models import RuleSetVersion
from chibo.rules.selectors import meeting_day_for, ruleset_for

router = Router(tags=["Bộ quy định"])


class RuleSetOut(Schema):
    id: int
    version: int
    effective_from: dt.date
    # The node whose version this is; null for the system default.
    source_org_id: int | None
    source_org_name: str | None
    note: str
    # The day the asked node meets: its own fixed day when it has one, else the rule set's.
    meeting_day: int
    ruleset_meeting_day: int
    holiday_shift: RuleSetVersion.HolidayShift
    default_start_time: dt.time
    min_duration_minutes: int
    min_duration_thematic_minutes: int
    attendance_threshold_pct: int
    speakers_threshold_pct: int
    notice_lead_days: int
    reminder_hours_before: int
    thematic_per_quarter: int
    vote_pass_rule: RuleSetVersion.VotePassRule
    scoring: dict
    excellent_quota_enabled: bool
    excellent_quota_pct: int
    rate_probationary: bool
    task_carry_over_min_days: int
    task_reminder_every_days: int
    notice_horizon_days: int
    minutes_sign_within_days: int
    basis: dict = {}
    classification: dict
    households: dict


@router.get("/in-force", response={200: RuleSetOut, 404: ErrorOut})
def ruleset_in_force(request: HttpRequest, org: int, date: str | None = None) -> dict:
    """Bộ quy định đang áp dụng cho tổ chức `org` vào ngày `date` (YYYY-MM-DD; mặc định hôm nay)."""
    node = get_org_for_user(request.user, org, Perm.VIEW_ORG)
    day = parse_day(date, param="date") or today()
    rules = ruleset_for(node, day)
    fields = {f.name: getattr(rules, f.name) for f in RuleSetVersion._meta.concrete_fields}
    return fields | {
        "source_org_id": rules.org_id,
        "source_org_name": rules.org.name if rules.org else None,
        "meeting_day": meeting_day_for(node, rules),
        "ruleset_meeting_day": rules.meeting_day,
    }
