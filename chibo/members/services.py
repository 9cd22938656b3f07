"""Writes to members and their history. Pages, API, imports, commands and tests all call these."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.history import records_actor, update_with_history
from chibo.members.models import Exemption, LifeEvent, Member, Membership, Position
from chibo.organizations.models import Organization

EDITABLE_FIELDS = (
    "gender",
    "birth_date",
    "card_number",
    "joined_on",
    "official_on",
    "residence_address",
    "phone",
    "email",
    "occupation",
    "strengths",
    "aspirations",
)


def validate_member_fields(fields: dict[str, Any]) -> None:
    """Rules that hold for every member, whichever way it arrives (form, API, import)."""
    birth, joined, official = fields.get("birth_date"), fields.get("joined_on"), fields.get("official_on")
    if birth and birth > today():
        raise ChiboError(_("Ngày sinh không được ở tương lai."), field="birth_date")
    if birth and joined and (joined.year - birth.year) < 18:
        raise ChiboError(_("Ngày vào Đảng phải khi đã đủ 18 tuổi."), field="joined_on")
    if joined and joined > today():
        raise ChiboError(_("Ngày vào Đảng không được ở tương lai."), field="joined_on")
    if official and joined and official < joined:
        raise ChiboError(_("Ngày chính thức không được trước ngày vào Đảng."), field="official_on")
    if official and official > today():
        raise ChiboError(_("Ngày chính thức không được ở tương lai."), field="official_on")


def _status_for(official_on: date | None) -> str:
    return Member.Status.OFFICIAL if official_on else Member.Status.PROBATIONARY


def _check_card_unique(card_number: str | None, exclude_pk: int | None = None) -> None:
    if not card_number:
        return
    qs = Member.objects.filter(card_number=card_number)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ChiboError(
            _("Số thẻ đảng viên %(card_number)s đã có trong hệ thống.") % {"card_number": card_number},
            field="card_number",
        )


def _check_cell(org: Organization) -> None:
    if not org.is_cell:
        raise ChiboError(_("Đảng viên phải sinh hoạt tại một chi bộ."), field="org")
    if not org.is_active:
        raise ChiboError(_("%(org)s đã giải thể.") % {"org": org.name}, field="org")


def build_member(*, full_name: str, org: Organization, **fields: Any) -> Member:
    """An unsaved member with derived fields set (used by member_create and the bulk import)."""
    fields["card_number"] = (fields.get("card_number") or "").strip() or None
    member = Member(org=org, **fields)
    member.set_name(full_name)
    member.status = _status_for(member.official_on)
    return member


@records_actor
@transaction.atomic
def member_create(
    *, actor: User | None, full_name: str, org: Organization, roll_started_on: date | None = None, **fields: Any
) -> Member:
    """Put a new member on a cell's roll from `roll_started_on` (default: the day they joined)."""
    if not full_name.strip():
        raise ChiboError(_("Họ và tên không được để trống."), field="full_name")
    _check_cell(org)
    validate_member_fields(fields)
    _check_card_unique(fields.get("card_number"))
    member = build_member(full_name=full_name, org=org, **fields)
    try:
        member.save()
    except IntegrityError as exc:  # a concurrent insert of the same card number
        raise ChiboError(_("Số thẻ đảng viên đã có trong hệ thống."), field="card_number") from exc
    Membership.objects.create(member=member, org=org, started_on=roll_started_on or member.joined_on)
    return member


@records_actor
@transaction.atomic
def member_update(*, actor: User | None, member: Member, full_name: str | None = None, **fields: Any) -> Member:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    merged = {f: getattr(member, f) for f in EDITABLE_FIELDS} | fields
    if "card_number" in fields:
        fields["card_number"] = (fields["card_number"] or "").strip() or None
        merged["card_number"] = fields["card_number"]
    validate_member_fields(merged)
    _check_card_unique(merged["card_number"], exclude_pk=member.pk)
    for name, value in fields.items():
        setattr(member, name, value)
    if full_name is not None:
        if not full_name.strip():
            raise ChiboError(_("Họ và tên không được để trống."), field="full_name")
        member.set_name(full_name)
    member.refresh_search_text()
    member.status = _status_for(member.official_on)
    member.save()
    return member


@records_actor
@transaction.atomic
def member_transfer(
    *,
    actor: User | None,
    member: Member,
    to_org: Organization,
    effective_on: date,
    kind: str = Membership.Kind.OFFICIAL,
    reason: str = "",
) -> Membership:
    """Chuyển sinh hoạt đảng: officially (the roll moves) or temporarily (a stay beside the roll)."""
    _check_cell(to_org)
    _require_on_roll(member)
    if effective_on > today():
        raise ChiboError(_("Ngày chuyển không được ở tương lai."), field="effective_on")
    if kind == Membership.Kind.TEMPORARY:
        if to_org.pk == member.org_id:
            raise ChiboError(_("Không thể sinh hoạt tạm thời tại chính chi bộ của mình."), field="to_org")
        stays = Membership.objects.select_for_update().filter(member=member, kind=kind, ended_on__isnull=True)
        latest = stays.order_by("-started_on").first()
        if latest is not None and effective_on <= latest.started_on:
            raise ChiboError(
                _("Ngày chuyển phải sau ngày %(started_on)s (ngày bắt đầu sinh hoạt tạm thời hiện tại).")
                % {"started_on": format(latest.started_on, "%d/%m/%Y")},
                field="effective_on",
            )
        update_with_history(stays, ended_on=effective_on)
        return Membership.objects.create(member=member, org=to_org, started_on=effective_on, kind=kind, reason=reason)
    current = Membership.objects.select_for_update().get(
        member=member, kind=Membership.Kind.OFFICIAL, ended_on__isnull=True
    )
    if current.org_id == to_org.pk:
        raise ChiboError(_("Đảng viên đang sinh hoạt tại chi bộ này."), field="to_org")
    if effective_on <= current.started_on:
        raise ChiboError(
            _("Ngày chuyển phải sau ngày %(started_on)s (ngày bắt đầu sinh hoạt tại chi bộ hiện tại).")
            % {"started_on": format(current.started_on, "%d/%m/%Y")},
            field="effective_on",
        )
    current.ended_on = effective_on
    current.save(update_fields=["ended_on"])
    # Positions held in the old cell end with the transfer.
    update_with_history(
        Position.objects.filter(member=member, org_id=current.org_id, ended_on__isnull=True), ended_on=effective_on
    )
    new = Membership.objects.create(member=member, org=to_org, started_on=effective_on, reason=reason)
    member.org = to_org
    member.save(update_fields=["org", "updated_at"])
    return new


@records_actor
@transaction.atomic
def member_exempt(
    *,
    actor: User | None,
    member: Member,
    reason: str,
    started_on: date,
    ended_on: date | None = None,
    scope: str = Exemption.Scope.WORK_AND_MEETINGS,
    note: str = "",
    wants_notices: bool = False,
) -> Exemption:
    _require_on_roll(member)
    if ended_on is not None and ended_on <= started_on:
        raise ChiboError(_("Ngày kết thúc phải sau ngày bắt đầu."), field="ended_on")
    if reason == Exemption.Reason.WORKING_FAR:
        # DOMAIN.md: a temporary exemption for members working far away lasts under 12 months.
        if ended_on is None or (ended_on - started_on).days > 365:
            raise ChiboError(_("Tạm miễn vì đi làm ăn xa phải có ngày kết thúc, dưới 12 tháng."), field="ended_on")
    overlapping = member.exemptions.filter(started_on__lt=ended_on or date.max).exclude(ended_on__lte=started_on)
    if overlapping.exists():
        raise ChiboError(_("Đảng viên đã được miễn sinh hoạt trong khoảng thời gian này."), field="started_on")
    return Exemption.objects.create(
        member=member,
        reason=reason,
        started_on=started_on,
        ended_on=ended_on,
        scope=scope,
        note=note,
        wants_notices=wants_notices,
    )


@records_actor
@transaction.atomic
def member_end_exemption(*, actor: User | None, exemption: Exemption, ended_on: date) -> Exemption:
    """The cell reverses an exemption (the member is well again, or back home)."""
    if ended_on <= exemption.started_on:
        raise ChiboError(_("Ngày kết thúc phải sau ngày bắt đầu miễn."), field="ended_on")
    exemption.ended_on = ended_on
    exemption.save(update_fields=["ended_on"])
    return exemption


@records_actor
@transaction.atomic
def position_assign(*, actor: User | None, member: Member, title: str, started_on: date) -> Position:
    """Give a member a position in their cell; a secretary or deputy replaces the previous holder."""
    _require_on_roll(member)
    if started_on > today():
        raise ChiboError(_("Ngày bắt đầu không được ở tương lai."), field="started_on")
    if Position.objects.filter(member=member, org=member.org, title=title, ended_on__isnull=True).exists():
        raise ChiboError(_("Đảng viên đang giữ chức vụ này."), field="title")
    if title in (Position.Title.SECRETARY, Position.Title.DEPUTY):
        holders = Position.objects.select_for_update().filter(org=member.org, title=title, ended_on__isnull=True)
        for holder in holders.exclude(member=member).select_related("member"):
            if started_on <= holder.started_on:
                raise ChiboError(
                    _("%(member)s giữ chức vụ này từ %(started_on)s; ngày bắt đầu phải sau ngày đó.")
                    % {"member": holder.member.full_name, "started_on": format(holder.started_on, "%d/%m/%Y")},
                    field="started_on",
                )
        update_with_history(holders.exclude(member=member), ended_on=started_on)
    return Position.objects.create(member=member, org=member.org, title=title, started_on=started_on)


@records_actor
@transaction.atomic
def member_leave(*, actor: User | None, member: Member, left_on: date, reason: str) -> Member:
    """Take a member off the roll (moved out of the system, deceased, removed); the history stays."""
    if not member.is_active:
        raise ChiboError(_("Đảng viên này đã ra khỏi danh sách."))
    if reason not in Member.LeftReason.values:
        raise ChiboError(_("Chọn lý do."), field="reason")
    if left_on > today():
        raise ChiboError(_("Ngày ra khỏi danh sách không được ở tương lai."), field="left_on")
    open_rolls = Membership.objects.select_for_update().filter(member=member, ended_on__isnull=True)
    open_positions = Position.objects.filter(member=member, ended_on__isnull=True)
    starts = [*open_rolls.values_list("started_on", flat=True), *open_positions.values_list("started_on", flat=True)]
    if starts and left_on <= max(starts):
        raise ChiboError(
            _("Ngày ra khỏi danh sách phải sau ngày %(starts)s (lần thay đổi sinh hoạt, chức vụ gần nhất).")
            % {"starts": format(max(starts), "%d/%m/%Y")},
            field="left_on",
        )
    update_with_history(open_rolls, ended_on=left_on)
    update_with_history(open_positions, ended_on=left_on)
    member.left_on = left_on
    member.left_reason = reason
    member.save(update_fields=["left_on", "left_reason", "updated_at"])
    return member


def check_coordinates(lat: Any, lon: Any, *, field: str = "lat") -> None:
    """Both or neither; each within the Earth's range (chibo.households checks the cell's area on top)."""
    if (lat is None) != (lon is None):
        raise ChiboError(_("Ghi cả vĩ độ và kinh độ, hoặc để trống cả hai."), field=field)
    if lat is None:
        return
    if not -90 <= lat <= 90:
        raise ChiboError(_("Vĩ độ %(lat)s không thể có (từ -90 đến 90).") % {"lat": lat}, field="lat")
    if not -180 <= lon <= 180:
        raise ChiboError(_("Kinh độ %(lon)s không thể có (từ -180 đến 180).") % {"lon": lon}, field="lon")


@records_actor
@transaction.atomic
def member_set_home(
    *, actor: User | None, member: Member, hamlet: str, lat: Any = None, lon: Any = None, address: str | None = None
) -> Member:
    """Where the member lives (C13): the hamlet and, when known, the coordinates of their home."""
    check_coordinates(lat, lon)
    member.home_hamlet = hamlet.strip()[:80]
    member.home_lat, member.home_lon = lat, lon
    fields = ["home_hamlet", "home_lat", "home_lon", "updated_at"]
    if address is not None:
        member.residence_address = address.strip()[:255]
        fields.append("residence_address")
    member.save(update_fields=fields)
    return member


# --- Life-cycle decisions (C15 needs them: discipline and suspension bar or lower a classification) ------


def _check_decision(member: Member, decided_on: date | None, decision_number: str, issued_by: str) -> None:
    if decided_on is None:
        raise ChiboError(_("Hãy nhập ngày quyết định."), field="decided_on")
    if decided_on > today():
        raise ChiboError(_("Ngày quyết định không được ở tương lai."), field="decided_on")
    if decided_on < member.joined_on:
        raise ChiboError(_("Ngày quyết định không được trước ngày vào Đảng."), field="decided_on")
    if not decision_number.strip():
        raise ChiboError(_("Hãy nhập số quyết định."), field="decision_number")
    if not issued_by.strip():
        raise ChiboError(_("Hãy nhập cơ quan ra quyết định."), field="issued_by")


def _require_on_roll(member: Member) -> None:
    if not member.is_active:
        raise ChiboError(_("Đảng viên này không còn trong danh sách."))


def _event(
    member: Member,
    actor: User | None,
    kind: str,
    decided_on: date,
    decision_number: str,
    issued_by: str,
    **fields: Any,
) -> LifeEvent:
    """The decision recorded as a life event (every decision has its date, number and issuing body)."""
    return LifeEvent.objects.create(
        member=member,
        recorded_by=actor,
        kind=kind,
        decided_on=decided_on,
        decision_number=decision_number.strip(),
        issued_by=issued_by.strip(),
        **fields,
    )


@records_actor
@transaction.atomic
def member_discipline(
    *,
    actor: User | None,
    member: Member,
    discipline: str,
    decided_on: date,
    decision_number: str,
    issued_by: str,
    reason: str = "",
) -> LifeEvent:
    """Kỷ luật: khiển trách, cảnh cáo, cách chức, khai trừ. Expulsion also takes the member off the roll
    (reason "expelled", never "removed": xóa tên is not a discipline)."""
    _require_on_roll(member)
    if discipline not in LifeEvent.Discipline.values:
        raise ChiboError(_("Chọn hình thức kỷ luật."), field="discipline")
    _check_decision(member, decided_on, decision_number, issued_by)
    event = _event(
        member,
        actor,
        LifeEvent.Kind.DISCIPLINE,
        decided_on,
        decision_number,
        issued_by,
        discipline=discipline,
        reason=reason,
    )
    if discipline == LifeEvent.Discipline.EXPULSION:
        member_leave(actor=actor, member=member, left_on=decided_on, reason=Member.LeftReason.EXPELLED)
    return event


@records_actor
@transaction.atomic
def member_suspend(
    *,
    actor: User | None,
    member: Member,
    decided_on: date,
    decision_number: str,
    issued_by: str,
    ends_on: date | None = None,
    reason: str = "",
) -> LifeEvent:
    """Đình chỉ sinh hoạt đảng from `decided_on` until the day before `ends_on` (open if unknown)."""
    _require_on_roll(member)
    _check_decision(member, decided_on, decision_number, issued_by)
    if ends_on is not None and ends_on <= decided_on:
        raise ChiboError(_("Ngày kết thúc phải sau ngày quyết định."), field="ends_on")
    overlapping = LifeEvent.objects.filter(member=member).suspensions_during(decided_on, ends_on or date.max)
    if overlapping.exists():
        raise ChiboError(_("Đảng viên đã bị đình chỉ sinh hoạt trong khoảng thời gian này."), field="decided_on")
    return _event(
        member, actor, LifeEvent.Kind.SUSPENSION, decided_on, decision_number, issued_by, ends_on=ends_on, reason=reason
    )


@records_actor
@transaction.atomic
def member_recognize_official(
    *, actor: User | None, member: Member, decided_on: date, decision_number: str, issued_by: str
) -> LifeEvent:
    """Công nhận đảng viên chính thức: the member becomes official from `decided_on`."""
    _require_on_roll(member)
    if member.status != Member.Status.PROBATIONARY:
        raise ChiboError(_("Đảng viên này đã là đảng viên chính thức."))
    _check_decision(member, decided_on, decision_number, issued_by)
    member.official_on = decided_on
    member.status = Member.Status.OFFICIAL
    member.save(update_fields=["official_on", "status", "updated_at"])
    return _event(member, actor, LifeEvent.Kind.OFFICIAL, decided_on, decision_number, issued_by)


@records_actor
@transaction.atomic
def member_remove_from_rolls(
    *, actor: User | None, member: Member, decided_on: date, decision_number: str, issued_by: str, reason: str = ""
) -> LifeEvent:
    """Xóa tên: the member is taken off the rolls (not a discipline; kept apart from expulsion)."""
    _require_on_roll(member)
    _check_decision(member, decided_on, decision_number, issued_by)
    event = _event(member, actor, LifeEvent.Kind.REMOVAL, decided_on, decision_number, issued_by, reason=reason)
    member_leave(actor=actor, member=member, left_on=decided_on, reason=Member.LeftReason.REMOVED)
    return event
