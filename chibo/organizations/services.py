"""Writes to the organization tree. Every restructuring takes an effective date and records an event.

The current tree (`Organization` paths) always shows the state after the latest change; `OrgVersion`
keeps each period so that selectors can answer for any past date. Effective dates may be in the past
(recording what happened) but not in the future, and not before the node's current period began: a
change is appended to history, never inserted into the middle of it.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.history import records_actor, update_with_history
from chibo.core.vietnamese import search_text
from chibo.members.models import Member, Membership
from chibo.organizations.models import AdministrativeUnit, Organization, OrgVersion, RestructuringEvent

Kind = Organization.Kind
EventKind = RestructuringEvent.Kind

# Which kinds may sit under which (None: a root).
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    Kind.PROVINCE_COMMITTEE: (None,),
    Kind.DISTRICT_COMMITTEE: (Kind.PROVINCE_COMMITTEE,),
    Kind.GRASSROOTS_COMMITTEE: (Kind.PROVINCE_COMMITTEE, Kind.DISTRICT_COMMITTEE, None),
    Kind.GRASSROOTS_CELL: (Kind.PROVINCE_COMMITTEE, Kind.DISTRICT_COMMITTEE, None),
    Kind.CELL: (Kind.GRASSROOTS_COMMITTEE,),
}


def _check_parent(kind: str, parent: Organization | None) -> None:
    parent_kind = parent.kind if parent else None
    if parent_kind not in ALLOWED_PARENTS[kind]:
        raise ChiboError(
            _("Không thể đặt %(kind)s trực thuộc %(parent_kind)s.")
            % {
                "kind": Kind(kind).label.lower(),
                "parent_kind": Kind(parent_kind).label.lower() if parent_kind else _("cấp cao nhất"),
            },
            field="parent",
        )
    if parent is not None and not parent.is_active:
        raise ChiboError(_("%(parent)s đã giải thể, không thể trực thuộc.") % {"parent": parent.name}, field="parent")


def _check_date(org: Organization, effective_on: date) -> OrgVersion:
    """The node's open version, after checking that a change on `effective_on` may be appended."""
    if effective_on > today():
        raise ChiboError(_("Ngày hiệu lực không được ở tương lai."), field="effective_on")
    if not org.is_active:
        raise ChiboError(
            _("%(org)s đã giải thể từ %(dissolved_on)s.")
            % {"org": org.name, "dissolved_on": format(org.dissolved_on, "%d/%m/%Y")}
        )
    current = OrgVersion.objects.select_for_update().get(org=org, valid_to__isnull=True)
    if effective_on <= current.valid_from:
        raise ChiboError(
            _("Ngày hiệu lực phải sau ngày %(valid_from)s (lần thay đổi gần nhất).")
            % {"valid_from": format(current.valid_from, "%d/%m/%Y")},
            field="effective_on",
        )
    return current


def _new_period(current: OrgVersion, effective_on: date, **changes: object) -> OrgVersion:
    current.valid_to = effective_on
    current.save(update_fields=["valid_to"])
    fields: dict[str, object] = {
        "name": current.name,
        "kind": current.kind,
        "parent": current.parent,
        "admin_unit": current.admin_unit,
    }
    fields.update(changes)
    fields["search_name"] = search_text(str(fields["name"]))
    return OrgVersion.objects.create(org=current.org, valid_from=effective_on, **fields)  # type: ignore[arg-type]


@records_actor
@transaction.atomic
def org_create(
    *,
    actor: User | None,
    kind: str,
    name: str,
    code: str,
    parent: Organization | None,
    established_on: date,
    admin_unit: AdministrativeUnit | None = None,
    meeting_day: int | None = None,
    decision: str = "",
) -> Organization:
    _check_parent(kind, parent)
    if established_on > today():
        raise ChiboError(_("Ngày thành lập không được ở tương lai."), field="established_on")
    if Organization.objects.filter(code=code).exists():
        raise ChiboError(_("Mã %(code)s đã được dùng cho tổ chức khác.") % {"code": code}, field="code")
    if parent is not None and established_on < parent.established_on:
        raise ChiboError(
            _("Ngày thành lập không được trước ngày thành lập của tổ chức cấp trên."), field="established_on"
        )
    fields = {
        "kind": kind,
        "name": name.strip(),
        "code": code,
        "admin_unit": admin_unit,
        "meeting_day": meeting_day,
        "established_on": established_on,
    }
    org = Organization.objects.add_child(parent, fields) if parent else Organization.objects.add_root(fields)
    OrgVersion.objects.create(
        org=org,
        valid_from=established_on,
        name=org.name,
        search_name=search_text(org.name),
        kind=kind,
        parent=parent,
        admin_unit=admin_unit,
    )
    RestructuringEvent.objects.create(
        kind=EventKind.CREATE,
        effective_on=established_on,
        org=org,
        related_org=parent,
        decision=decision,
        actor=actor,
    )
    return org


@records_actor
@transaction.atomic
def org_rename(
    *, actor: User | None, org: Organization, name: str, effective_on: date, decision: str = "", note: str = ""
) -> Organization:
    name = name.strip()
    if not name:
        raise ChiboError(_("Tên mới không được để trống."), field="name")
    current = _check_date(org, effective_on)
    if name == current.name:
        raise ChiboError(_("Tên mới trùng tên hiện tại."), field="name")
    _new_period(current, effective_on, name=name)
    old_name = org.name
    org.name = name
    org.save(update_fields=["name"])
    RestructuringEvent.objects.create(
        kind=EventKind.RENAME,
        effective_on=effective_on,
        org=org,
        decision=decision,
        note=note,
        actor=actor,
        details={"old_name": old_name, "new_name": name},
    )
    return org


def _move_node(org: Organization, new_parent: Organization | None) -> Organization:
    if new_parent is None:
        Organization.objects.move(org, Organization.objects.get_first_root_node(), "last-sibling")
    else:
        Organization.objects.move(org, new_parent, "last-child")
    return Organization.objects.get(pk=org.pk)


@records_actor
@transaction.atomic
def org_move(
    *,
    actor: User | None,
    org: Organization,
    new_parent: Organization | None,
    effective_on: date,
    kind: str | None = None,
    decision: str = "",
    note: str = "",
) -> Organization:
    """Put `org` under `new_parent` (with its whole subtree), optionally changing its kind.

    A cell that leaves a committee to sit directly under a province becomes a grassroots cell, hence `kind`.
    """
    new_kind = kind or org.kind
    _check_parent(new_kind, new_parent)
    if new_parent is not None and new_parent.path.startswith(org.path):
        raise ChiboError(_("Không thể chuyển một tổ chức vào bên trong chính nó."), field="parent")
    current = _check_date(org, effective_on)
    old_parent = Organization.objects.get_parent(org)
    _new_period(current, effective_on, parent=new_parent, kind=new_kind)
    org = _move_node(org, new_parent)
    if new_kind != org.kind:
        org.kind = new_kind
        org.save(update_fields=["kind"])
    RestructuringEvent.objects.create(
        kind=EventKind.MOVE,
        effective_on=effective_on,
        org=org,
        related_org=new_parent,
        decision=decision,
        note=note,
        actor=actor,
        details={"old_parent_id": old_parent.pk if old_parent else None, "new_kind": new_kind},
    )
    return org


def _transfer_roll(members: list[Member], target: Organization, effective_on: date, reason: str) -> int:
    """Move members' rolls to `target` on `effective_on`; returns how many moved. One roll per member."""
    moved = 0
    for member in members:
        open_roll = (
            Membership.objects.select_for_update()
            .filter(member=member, ended_on__isnull=True, kind=Membership.Kind.OFFICIAL)
            .first()
        )
        if open_roll is not None:
            if open_roll.org_id == target.pk:
                continue
            if effective_on <= open_roll.started_on:
                raise ChiboError(
                    _("Đảng viên %(member)s mới chuyển đến ngày %(started_on)s; ngày hiệu lực phải sau ngày đó.")
                    % {"member": member.full_name, "started_on": format(open_roll.started_on, "%d/%m/%Y")}
                )
            open_roll.ended_on = effective_on
            open_roll.save(update_fields=["ended_on"])
        Membership.objects.create(member=member, org=target, started_on=effective_on, reason=reason)
        member.org = target
        member.save(update_fields=["org", "updated_at"])
        moved += 1
    return moved


def _dissolve(org: Organization, current: OrgVersion, effective_on: date) -> None:
    current.valid_to = effective_on
    current.save(update_fields=["valid_to"])
    org.dissolved_on = effective_on
    org.save(update_fields=["dissolved_on"])
    # Temporary stays and positions in a dissolved node end with it.
    update_with_history(Membership.objects.filter(org=org, ended_on__isnull=True), ended_on=effective_on)
    update_with_history(org.positions.filter(ended_on__isnull=True), ended_on=effective_on)


@records_actor
@transaction.atomic
def org_merge(
    *,
    actor: User | None,
    sources: list[Organization],
    target: Organization,
    effective_on: date,
    decision: str = "",
    note: str = "",
) -> Organization:
    """Merge `sources` into `target`: their members and child nodes move to the target, then they end.

    Nobody is lost or counted twice: each active member of a source has exactly one open roll, now in
    the target, and the event records how many moved.
    """
    if not sources:
        raise ChiboError(_("Chọn ít nhất một tổ chức để sáp nhập."), field="sources")
    if target in sources:
        raise ChiboError(_("Không thể sáp nhập một tổ chức vào chính nó."), field="target")
    target_version = _check_date(target, effective_on) if target.is_active else None
    if target_version is None:
        raise ChiboError(_("%(target)s đã giải thể.") % {"target": target.name}, field="target")
    for source in sources:
        current = _check_date(source, effective_on)
        if target.path.startswith(source.path):
            raise ChiboError(
                _("%(target)s nằm trong %(source)s, không thể sáp nhập.")
                % {"target": target.name, "source": source.name},
                field="target",
            )
        children = list(Organization.objects.filter(path__startswith=source.path, depth=source.depth + 1))
        for child in children:
            if child.is_active:
                org_move(actor=actor, org=child, new_parent=target, effective_on=effective_on, decision=decision)
        members = list(Member.objects.current().filter(org=source).order_by("pk"))
        moved = _transfer_roll(members, target, effective_on, reason=f"Sáp nhập {source.name}")
        source.refresh_from_db()
        _dissolve(source, current, effective_on)
        RestructuringEvent.objects.create(
            kind=EventKind.MERGE,
            effective_on=effective_on,
            org=source,
            related_org=target,
            decision=decision,
            note=note,
            actor=actor,
            details={"members_moved": moved, "children_moved": [c.pk for c in children if c.is_active]},
        )
    target.refresh_from_db()
    return target


@dataclass(frozen=True)
class SplitPart:
    name: str
    code: str
    member_ids: list[int]
    meeting_day: int | None = None


@records_actor
@transaction.atomic
def org_split(
    *,
    actor: User | None,
    org: Organization,
    parts: list[SplitPart],
    effective_on: date,
    decision: str = "",
    note: str = "",
) -> list[Organization]:
    """Split a cell into new cells under the same parent; every active member goes to exactly one part."""
    if not org.is_cell:
        raise ChiboError(_("Chỉ chia tách được chi bộ; với đảng bộ, hãy chuyển các chi bộ trực thuộc."))
    if len(parts) < 2:
        raise ChiboError(_("Chia tách cần ít nhất hai chi bộ mới."), field="parts")
    current = _check_date(org, effective_on)
    active = {m.pk: m for m in Member.objects.current().filter(org=org)}
    assigned = [pk for part in parts for pk in part.member_ids]
    if len(assigned) != len(set(assigned)):
        raise ChiboError(_("Một đảng viên được xếp vào hai chi bộ mới."), field="parts")
    if set(assigned) != set(active):
        missing = [active[pk].full_name for pk in sorted(set(active) - set(assigned))]
        if missing:
            raise ChiboError(_("Chưa xếp chi bộ mới cho: %(names)s.") % {"names": ", ".join(missing)}, field="parts")
        raise ChiboError(_("Có đảng viên không thuộc chi bộ đang chia tách."), field="parts")
    parent = Organization.objects.get_parent(org)
    created = []
    for part in parts:
        new = org_create(
            actor=actor,
            kind=org.kind,
            name=part.name,
            code=part.code,
            parent=parent,
            established_on=effective_on,
            admin_unit=org.admin_unit,
            meeting_day=part.meeting_day or org.meeting_day,
            decision=decision,
        )
        _transfer_roll([active[pk] for pk in part.member_ids], new, effective_on, reason=f"Chia tách {org.name}")
        created.append(new)
    org.refresh_from_db()
    _dissolve(org, current, effective_on)
    RestructuringEvent.objects.create(
        kind=EventKind.SPLIT,
        effective_on=effective_on,
        org=org,
        related_org=created[0],
        decision=decision,
        note=note,
        actor=actor,
        details={
            "parts": [{"org_id": c.pk, "members": len(p.member_ids)} for c, p in zip(created, parts, strict=True)]
        },
    )
    return created


@records_actor
@transaction.atomic
def org_dissolve(
    *, actor: User | None, org: Organization, effective_on: date, decision: str = "", note: str = ""
) -> Organization:
    """End a node that no longer has members or active children (move or merge them first)."""
    current = _check_date(org, effective_on)
    if Member.objects.current().filter(org=org).exists():
        raise ChiboError(_("Còn đảng viên sinh hoạt tại đây: hãy chuyển sinh hoạt hoặc sáp nhập trước khi giải thể."))
    if Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, dissolved_on__isnull=True).exists():
        raise ChiboError(_("Còn tổ chức trực thuộc đang hoạt động: hãy chuyển hoặc sáp nhập trước."))
    _dissolve(org, current, effective_on)
    RestructuringEvent.objects.create(
        kind=EventKind.DISSOLVE, effective_on=effective_on, org=org, decision=decision, note=note, actor=actor
    )
    return org
