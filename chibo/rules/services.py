"""Writes to rule sets (C20). A new version is appended at a node with its effective date; it never
changes a meeting already held: meetings keep the version they were planned under (`Meeting.ruleset`).
Only meetings still planned on or after the effective date move to the new version, since nothing has
been recorded or scored for them yet."""

from datetime import date
from typing import Any

from auditlog.models import LogEntry
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.core.errors import ChiboError
from chibo.core.history import history_of_bulk, records_actor
from chibo.meetings.models import Meeting
from chibo.organizations.models import Organization
from chibo.rules.catalogue import BASIS_KINDS, LOCAL
from chibo.rules.models import RULE_FIELDS, RuleSetVersion
from chibo.rules.scoring import validate_scheme
from chibo.rules.selectors import RulesetResolver, ruleset_for


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
    problems = validate_scheme(scoring)
    if problems:
        message, field = problems[0]
        raise ChiboError(message, field=field)


def _check_basis(value: Any) -> None:
    if not isinstance(value, dict) or any(
        not isinstance(v, dict) or v.get("kind") not in BASIS_KINDS for v in value.values()
    ):
        raise ChiboError(
            _("Căn cứ từng chỉ tiêu phải ghi rõ loại: toàn quốc, địa phương hoặc chưa xác nhận."), field="basis"
        )


CLASSIFICATION_FLAGS = (
    "excellent_all_on_time",
    "good_all_on_time",
    "fair_all_done",
    "discipline_means_not_completed",
    "discipline_exception_allowed",
    "poor_criterion_means_not_completed",
)
CLASSIFICATION_WEIGHTS = ("attendance", "tasks", "speaking", "commitment", "criticism")
ORG_WEIGHTS = ("members", "tasks", "meetings", "quality", "supervision", "directives")


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
    org_weights = c.get("org_weights")
    if org_weights is not None and (
        not isinstance(org_weights, dict)
        or any(not _is_int(org_weights.get(k), 0, 100) for k in ORG_WEIGHTS)
        or sum(org_weights[k] for k in ORG_WEIGHTS) != 100
    ):
        raise ChiboError(
            _("Trọng số xếp loại tổ chức (org_weights) phải có %(keys)s, là số nguyên không âm, tổng bằng 100.")
            % {"keys": ", ".join(ORG_WEIGHTS)},
            field=field,
        )
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
        values, "task_carry_over_min_days", 1, 90, _("Hạn tối thiểu khi chuyển nhiệm vụ phải từ 1 đến 90 ngày.")
    )
    _check_range(values, "task_reminder_every_days", 1, 60, _("Chu kỳ nhắc nhiệm vụ phải từ 1 đến 60 ngày."))
    _check_range(values, "notice_horizon_days", 7, 120, _("Khoảng lập thông báo phải từ 7 đến 120 ngày."))
    _check_range(values, "minutes_sign_within_days", 0, 60, _("Hạn ký biên bản phải từ 0 đến 60 ngày."))
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


@records_actor
@transaction.atomic
def ruleset_create_version(
    *,
    actor: User | None,
    org: Organization | None,
    effective_from: date,
    note: str = "",
    basis: dict[str, Any] | None = None,
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
    merged_basis = dict(base.basis or {}) | (basis or {})
    if org is not None:
        # A figure a committee sets for itself is its own local practice, whatever it replaced.
        source = f"{org.name}" + (f": {note.strip()}" if note.strip() else "")
        for name in RULE_FIELDS:
            if merged[name] != getattr(base, name) and name not in (basis or {}):
                merged_basis[name] = {"kind": LOCAL, "source": source[:255]}
    _check_basis(merged_basis)
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
                note=note.strip(),
                basis=merged_basis,
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
    history = []
    for meeting in planned_list:
        rules = resolver.for_org(meeting.org, meeting.scheduled_date)
        if rules.pk != meeting.ruleset_id:
            history.append((meeting.pk, str(meeting), {"ruleset": [meeting.ruleset_id, rules.pk]}))
            meeting.ruleset = rules
            changed.append(meeting)
    Meeting.objects.bulk_update(changed, ["ruleset"], batch_size=500)
    history_of_bulk(Meeting, history, action=LogEntry.Action.UPDATE)


@records_actor
@transaction.atomic
def system_version_put(
    *,
    actor: User | None,
    effective_from: date,
    note: str,
    basis: dict[str, Any] | None = None,
    correct_history: bool = False,
    **values: Any,
) -> RuleSetVersion:
    """Define the system's version (org NULL) taking effect on `effective_from`: the one place national
    texts enter the system (chibo.rules.catalogue ships HD 09/HD 12/HD 42; the review rules QĐ 124 and
    QĐ 366 come the same way). Unlike a node's versions it may fall between two existing ones: settings not
    given are copied from the version in force just before, and a version already on that date is updated.

    Planned meetings from that date follow it. With `correct_history`, held meetings on a system version
    whose date it covers move too, unless their score is already confirmed (a result keeps its rules)."""
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"not rule settings: {sorted(unknown)}")
    existing = (
        RuleSetVersion.objects.select_for_update().filter(org__isnull=True, effective_from=effective_from).first()
    )
    base = existing or _default_in_force(effective_from)
    merged = {name: getattr(base, name) for name in RULE_FIELDS} | values
    validate_rules(merged)
    merged_basis = dict(base.basis or {}) | (basis or {})
    _check_basis(merged_basis)
    if existing is not None:
        for name, value in merged.items():
            setattr(existing, name, value)
        existing.note, existing.basis = note.strip(), merged_basis
        existing.save(update_fields=[*RULE_FIELDS, "note", "basis"])
        version = existing
    else:
        latest = RuleSetVersion.objects.filter(org__isnull=True).order_by("-version").first()
        version = RuleSetVersion.objects.create(
            org=None,
            version=(latest.version + 1) if latest else 1,
            effective_from=effective_from,
            note=note.strip(),
            basis=merged_basis,
            created_by=actor,
            **merged,
        )
    _repoint_planned_meetings(None, effective_from)
    if correct_history:
        _repoint_held_meetings(effective_from)
    return version


def _repoint_held_meetings(effective_from: date) -> None:
    """Held meetings on a system version, from `effective_from`, to the system version in force on their
    day — except those whose score was confirmed under the rules they had."""
    held = Meeting.objects.filter(ruleset__org__isnull=True, scheduled_date__gte=effective_from).exclude(
        status=Meeting.Status.PLANNED
    )
    if apps.is_installed("chibo.quality"):
        # The quality app is built on this one; looked up by name to keep imports pointing down.
        score = apps.get_model("quality", "MeetingScore")
        held = held.exclude(pk__in=score.objects.filter(confirmed_at__isnull=False).values("meeting_id"))
    defaults = sorted(RuleSetVersion.objects.filter(org__isnull=True), key=lambda v: (v.effective_from, v.version))
    changed = []
    for meeting in held.only("pk", "scheduled_date", "ruleset_id"):
        right = next((v for v in reversed(defaults) if v.effective_from <= meeting.scheduled_date), defaults[0])
        if right.pk != meeting.ruleset_id:
            meeting.ruleset = right
            changed.append(meeting)
    Meeting.objects.bulk_update(changed, ["ruleset"], batch_size=500)


def system_versions_ensure() -> None:
    """The shipped system versions (chibo.rules.catalogue), created if missing: what the data migration
    made, again after a test flushed the database. Every figure not named takes the model's default."""
    from chibo.rules.catalogue import system_versions
    from chibo.rules.models import default_scoring

    existing = set(RuleSetVersion.objects.filter(org__isnull=True).values_list("effective_from", flat=True))
    number = max(RuleSetVersion.objects.filter(org__isnull=True).values_list("version", flat=True), default=0)
    for entry in system_versions():
        if entry["effective_from"] in existing:
            continue
        number += 1
        RuleSetVersion.objects.create(
            org=None,
            version=number,
            effective_from=entry["effective_from"],
            note=entry["note"],
            basis=entry["basis"],
            scoring=default_scoring(),
            **entry["values"],
        )
