"""Writes to rule sets (C20). A new version is appended at a node with its effective date; it never
changes a meeting already held: meetings keep the version they were planned under (`Meeting.ruleset`).
Only meetings still planned on or after the effective date move to the new version, since nothing has
been recorded or scored for them yet."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.core.errors import ChiboError
from chibo.meetings.models import Meeting
from chibo.organizations.models import Organization
from chibo.rules.models import RULE_FIELDS, RuleSetVersion
from chibo.rules.selectors import RulesetResolver, ruleset_for

LEVEL_KEYS = ("good", "fair", "average")


def _default_in_force(on: date) -> RuleSetVersion:
    found = (
        RuleSetVersion.objects.filter(org__isnull=True, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )
    return found or RuleSetVersion.objects.filter(org__isnull=True).order_by("effective_from").first()  # type: ignore[return-value]


def _check_range(values: dict[str, Any], name: str, low: int, high: int, message: str) -> None:
    value = values[name]
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ChiboError(message, field=name)


def _check_scoring(scoring: Any) -> None:
    if not isinstance(scoring, dict):
        raise ChiboError(_("Cách chấm điểm phải là một đối tượng JSON."), field="scoring")
    weights = scoring.get("weights")
    if not isinstance(weights, dict) or not weights:
        raise ChiboError(_("Cách chấm điểm phải có trọng số (weights) cho từng nhóm tiêu chí."), field="scoring")
    if any(not isinstance(w, int) or isinstance(w, bool) or w < 0 for w in weights.values()):
        raise ChiboError(_("Trọng số chấm điểm phải là số nguyên không âm."), field="scoring")
    if sum(weights.values()) != 100:
        raise ChiboError(
            _("Tổng trọng số chấm điểm phải bằng 100 (hiện là %(total)s).") % {"total": sum(weights.values())},
            field="scoring",
        )
    levels = scoring.get("levels")
    if not isinstance(levels, dict) or set(levels) != set(LEVEL_KEYS):
        raise ChiboError(_("Mức xếp loại (levels) phải có đủ good, fair, average."), field="scoring")
    cuts = [levels[k] for k in LEVEL_KEYS]
    if any(not isinstance(c, int) or isinstance(c, bool) or not 0 < c <= 100 for c in cuts):
        raise ChiboError(_("Điểm của mỗi mức xếp loại phải từ 1 đến 100."), field="scoring")
    if not cuts[0] > cuts[1] > cuts[2]:
        raise ChiboError(_("Mức Tốt phải cao hơn mức Khá, mức Khá cao hơn mức Trung bình."), field="scoring")
    good_year = scoring.get("good_year", {})
    if not isinstance(good_year, dict):
        raise ChiboError(_("Điều kiện năm tốt (good_year) phải là một đối tượng JSON."), field="scoring")
    min_good = good_year.get("min_good_meetings", 0)
    if not isinstance(min_good, int) or not 0 <= min_good <= 12:
        raise ChiboError(_("Số buổi đạt mức Tốt trong năm phải từ 0 đến 12."), field="scoring")
    if good_year.get("min_level_each", "fair") not in LEVEL_KEYS:
        raise ChiboError(_("Mức tối thiểu của mỗi buổi phải là good, fair hoặc average."), field="scoring")


CLASSIFICATION_FLAGS = (
    "excellent_all_on_time",
    "good_all_on_time",
    "fair_all_done",
    "discipline_means_not_completed",
    "discipline_exception_allowed",
    "poor_criterion_means_not_completed",
)
CLASSIFICATION_WEIGHTS = ("attendance", "tasks", "speaking", "commitment", "criticism")


def _is_int(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _check_classification(c: Any) -> None:
    """The year-end classification settings (C15): cut-offs 100 > HTXSNV > HTTNV > HTNV > 0, the conditions
    as true/false, evidence weights summing to 100."""
    field = "classification"
    if not isinstance(c, dict):
        raise ChiboError(_("Cách xếp loại cuối năm phải là một đối tượng JSON."), field=field)
    cutoffs = c.get("cutoffs")
    keys = ("excellent", "good", "fair")
    if not isinstance(cutoffs, dict) or any(not _is_int(cutoffs.get(k), 1, 100) for k in keys):
        raise ChiboError(_("Mức điểm xếp loại (cutoffs) phải có excellent, good, fair từ 1 đến 100."), field=field)
    if not cutoffs["excellent"] > cutoffs["good"] > cutoffs["fair"]:
        raise ChiboError(_("Mức điểm HTXSNV phải cao hơn HTTNV, HTTNV cao hơn HTNV."), field=field)
    if any(not isinstance(c.get(flag), bool) for flag in CLASSIFICATION_FLAGS):
        raise ChiboError(
            _("Các điều kiện xếp loại phải là true hoặc false: %(flags)s.")
            % {"flags": ", ".join(CLASSIFICATION_FLAGS)},
            field=field,
        )
    weights = c.get("weights")
    if not isinstance(weights, dict) or any(not _is_int(weights.get(k), 0, 100) for k in CLASSIFICATION_WEIGHTS):
        raise ChiboError(
            _("Trọng số chứng cứ phải có %(keys)s, là số nguyên không âm.")
            % {"keys": ", ".join(CLASSIFICATION_WEIGHTS)},
            field=field,
        )
    if sum(weights[k] for k in CLASSIFICATION_WEIGHTS) != 100:
        raise ChiboError(_("Tổng trọng số chứng cứ xếp loại phải bằng 100."), field=field)
    for name, high in (
        ("above_requirement_pct", 100),
        ("admitted_months_before_rating", 24),
        ("sick_leave_months_cap", 12),
        ("unexcused_penalty", 100),
        ("reminder_penalty", 100),
    ):
        if not _is_int(c.get(name), 0, high):
            raise ChiboError(
                _("%(name)s phải là số nguyên từ 0 đến %(high)s.") % {"name": name, "high": high}, field=field
            )


def _check_households(settings: Any) -> None:
    if not isinstance(settings, dict):
        raise ChiboError(_("Phân công phụ trách hộ dân phải là một đối tượng JSON."), field="households")
    if settings.get("exempt") not in ("exclude", "lighter"):
        raise ChiboError(_("Đảng viên được miễn (exempt) phải là exclude hoặc lighter."), field="households")
    for key, low, high in (("old_age", 50, 120), ("lighter_pct", 0, 100), ("apart_pct", 0, 100)):
        value = settings.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ChiboError(
                _("%(key)s phải là số nguyên từ %(low)s đến %(high)s.") % {"key": key, "low": low, "high": high},
                field="households",
            )


def validate_rules(values: dict[str, Any]) -> None:
    """The bounds every version must respect, whichever way it arrives (page, API, command)."""
    _check_range(values, "meeting_day", 1, 28, _("Ngày sinh hoạt cố định phải từ ngày 1 đến ngày 28."))
    if values["holiday_shift"] not in RuleSetVersion.HolidayShift.values:
        raise ChiboError(_("Cách dời ngày khi trùng ngày nghỉ không hợp lệ."), field="holiday_shift")
    if values["vote_pass_rule"] not in RuleSetVersion.VotePassRule.values:
        raise ChiboError(_("Điều kiện thông qua nghị quyết không hợp lệ."), field="vote_pass_rule")
    _check_range(values, "min_duration_minutes", 30, 480, _("Thời lượng tối thiểu phải từ 30 đến 480 phút."))
    _check_range(
        values,
        "min_duration_thematic_minutes",
        30,
        480,
        _("Thời lượng tối thiểu khi kết hợp chuyên đề phải từ 30 đến 480 phút."),
    )
    if values["min_duration_thematic_minutes"] < values["min_duration_minutes"]:
        raise ChiboError(
            _("Thời lượng khi kết hợp chuyên đề không được ít hơn thời lượng tối thiểu của buổi thường kỳ."),
            field="min_duration_thematic_minutes",
        )
    _check_range(values, "attendance_threshold_pct", 1, 100, _("Tỷ lệ dự họp tối thiểu phải từ 1% đến 100%."))
    _check_range(values, "speakers_threshold_pct", 0, 100, _("Tỷ lệ đảng viên phát biểu phải từ 0% đến 100%."))
    _check_range(values, "notice_lead_days", 0, 30, _("Số ngày gửi thông báo trước phải từ 0 đến 30."))
    _check_range(values, "reminder_hours_before", 1, 168, _("Số giờ nhắc lịch trước phải từ 1 đến 168 (7 ngày)."))
    _check_range(
        values,
        "thematic_per_quarter",
        1,
        3,
        _("Mỗi quý phải có ít nhất 1 buổi sinh hoạt chuyên đề (tối đa 3 theo cài đặt này)."),
    )
    _check_range(values, "excellent_quota_pct", 0, 100, _("Tỷ lệ HTXSNV tối đa phải từ 0% đến 100%."))
    _check_range(
        values, "supervision_gap_days", 28, 366, _("Thời gian tối đa không có cấp trên dự phải từ 28 đến 366 ngày.")
    )
    _check_range(
        values, "rota_max_visits_per_month", 1, 31, _("Số buổi tối đa mỗi tháng của một cán bộ phải từ 1 đến 31.")
    )
    _check_range(values, "directive_reminder_days", 0, 60, _("Số ngày nhắc trước hạn phải từ 0 đến 60."))
    _check_scoring(values["scoring"])
    _check_classification(values["classification"])
    _check_range(values, "dashboard_max_months", 1, 120, _("Kỳ xem bảng theo dõi phải từ 1 đến 120 tháng."))
    _check_range(values, "warn_attendance_fall_months", 2, 12, _("Số tháng giảm liên tiếp phải từ 2 đến 12."))
    _check_range(values, "warn_absent_run", 2, 12, _("Số buổi vắng liên tiếp phải từ 2 đến 12."))
    _check_range(values, "warn_silent_months", 1, 24, _("Số tháng không phát biểu phải từ 1 đến 24."))
    _check_range(values, "warn_similarity_pct", 1, 100, _("Mức giống nhau phải từ 1% đến 100%."))
    _check_range(values, "warn_overdue_days", 0, 365, _("Số ngày quá hạn phải từ 0 đến 365."))
    _check_households(values["households"])


@transaction.atomic
def ruleset_create_version(
    *,
    actor: User | None,
    org: Organization | None,
    effective_from: date,
    note: str = "",
    **values: Any,
) -> RuleSetVersion:
    """Append a version at `org` (None: the system default). Settings not given are taken from the version
    in force at `org` on `effective_from`, so a version is always complete. The number is the node's next."""
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"not rule settings: {sorted(unknown)}")
    if effective_from is None:
        raise ChiboError(_("Hãy nhập ngày hiệu lực."), field="effective_from")
    if org is not None:
        # The row lock serialises version numbering at this node.
        org = Organization.objects.select_for_update().get(pk=org.pk)
        if not org.is_active:
            raise ChiboError(_("%(org)s đã giải thể, không thể đặt quy định mới.") % {"org": org.name})
    base = ruleset_for(org, effective_from) if org is not None else _default_in_force(effective_from)
    merged = {name: getattr(base, name) for name in RULE_FIELDS} | values
    validate_rules(merged)
    latest = RuleSetVersion.objects.filter(org=org).order_by("-version").first()
    if latest is not None and effective_from < latest.effective_from:
        raise ChiboError(
            _("Ngày hiệu lực phải từ ngày %(effective_from)s (ngày hiệu lực của phiên bản %(version)s) trở đi.")
            % {"effective_from": format(latest.effective_from, "%d/%m/%Y"), "version": latest.version},
            field="effective_from",
        )
    try:
        with transaction.atomic():
            version = RuleSetVersion.objects.create(
                org=org,
                version=(latest.version + 1) if latest else 1,
                effective_from=effective_from,
                note=note.strip()[:255],
                created_by=actor,
                **merged,
            )
    except IntegrityError as exc:  # the default (org NULL) has no row to lock
        raise ChiboError(_("Vừa có người tạo phiên bản khác, hãy thử lại.")) from exc
    _repoint_planned_meetings(org, effective_from)
    return version


def _repoint_planned_meetings(org: Organization | None, effective_from: date) -> None:
    """Meetings still planned on or after the effective date follow the rules in force on their day."""
    planned = Meeting.objects.filter(status=Meeting.Status.PLANNED, scheduled_date__gte=effective_from)
    if org is not None:
        planned = planned.filter(org__path__startswith=org.path)
    planned_list = list(planned.select_related("org"))
    if not planned_list:
        return
    resolver = RulesetResolver({m.org for m in planned_list})
    changed = []
    for meeting in planned_list:
        rules = resolver.for_org(meeting.org, meeting.scheduled_date)
        if rules.pk != meeting.ruleset_id:
            meeting.ruleset = rules
            changed.append(meeting)
    Meeting.objects.bulk_update(changed, ["ruleset"], batch_size=500)
