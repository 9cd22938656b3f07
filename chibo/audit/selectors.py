"""Reads of the audit app: a member's change history, who viewed it, the access log, one's own data."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.accounts.models import RoleGrant, User
from chibo.accounts.scope import AnyUser, Perm, get_member_for_user, orgs_with
from chibo.audit.models import AccessLog
from chibo.members.models import Member

# Who may read a member's change history and who viewed it: those who may read the sensitive notes
# (cell committee and above), since the history carries them.
AUDIT_PERM = Perm.SEE_SENSITIVE


def get_member_for_auditor(user: AnyUser, pk: int) -> Member:
    return get_member_for_user(user, pk, AUDIT_PERM)


def member_changes(member: Member) -> QuerySet[LogEntry]:
    """Every change to the member's record, rolls, positions and exemptions, newest first."""
    return (
        LogEntry.objects.filter(member_change__member_id=member.pk)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")
    )


def member_views(member: Member) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(member=member).select_related("user").order_by("-at", "-id")


def access_log_visible_to(user: AnyUser) -> QuerySet[AccessLog]:
    """The access log of the nodes where the user manages accounts (administrators); rows with no node
    (a list exported across a whole scope) are for superusers only."""
    qs = AccessLog.objects.select_related("user", "member", "org").order_by("-at", "-id")
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(org__in=orgs_with(user, Perm.MANAGE_ACCOUNTS))


# --- Change history for display -------------------------------------------------------------------------


@dataclass
class ChangeLine:
    field: str
    old: str
    new: str


@dataclass
class ChangeView:
    entry: LogEntry
    kind: str  # what changed: the model's verbose name
    lines: list[ChangeLine]


def _display_value(field: models.Field | None, raw: Any, related: dict[tuple[type, str], str]) -> str:
    if raw in (None, "None", ""):
        return "—"
    raw = str(raw)
    if field is None:
        return raw
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if field.is_relation and field.related_model is not None:
        return related.get((field.related_model, raw)) or raw  # type: ignore[arg-type]
    if isinstance(field, models.DateTimeField):
        try:
            return timezone.localtime(datetime.fromisoformat(raw)).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return raw
    if isinstance(field, models.DateField):
        try:
            return date.fromisoformat(raw).strftime("%d/%m/%Y")
        except ValueError:
            return raw
    if isinstance(field, models.BooleanField):
        return _("có") if raw == "True" else _("không")
    return raw


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def changes_for_display(entries: list[LogEntry]) -> list[ChangeView]:
    """Field names in Vietnamese, choices by label, dates dd/mm/yyyy, related rows by name.

    Related rows are fetched in one query per model for the whole page, not one per value.
    """
    wanted: dict[type[models.Model], set[str]] = {}
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes_dict or {}).items():
            field = _field(model, name)
            if field is not None and field.is_relation and field.related_model is not None:
                ids = {str(v) for v in values if v not in (None, "None", "")}
                wanted.setdefault(field.related_model, set()).update(ids)  # type: ignore[arg-type]
    related: dict[tuple[type, str], str] = {}
    for rel_model, ids in wanted.items():
        for obj in rel_model._default_manager.filter(pk__in=[i for i in ids if i.isdigit()]):
            related[(rel_model, str(obj.pk))] = str(obj)

    views = []
    for entry in entries:
        model = entry.content_type.model_class()
        lines = []
        for name, values in (entry.changes_dict or {}).items():
            field = _field(model, name)
            old, new = (list(values) + [None, None])[:2]
            label = str(field.verbose_name) if field is not None else name
            lines.append(ChangeLine(label, _display_value(field, old, related), _display_value(field, new, related)))
        kind = str(model._meta.verbose_name) if model is not None else entry.content_type.model
        views.append(ChangeView(entry=entry, kind=kind, lines=lines))
    return views


# --- One's own data (the right of access) ---------------------------------------------------------------


def _period(started: date, ended: date | None) -> dict[str, str | None]:
    return {"from": started.isoformat(), "to": ended.isoformat() if ended else None}


def personal_data_of(user: User) -> dict[str, Any]:
    """What the system holds about the signed-in person: account, roles, and the linked member's record.

    The cell committee's notes on strengths and aspirations are left out, as on the member's own page:
    they are for the cell committee and above (PRODUCT.md, C2).
    """
    grants = RoleGrant.objects.filter(user=user).select_related("org").order_by("valid_from", "id")
    data: dict[str, Any] = {
        "account": {
            "username": user.username,
            "full_name": user.get_full_name(),
            "email": user.email,
            "date_joined": timezone.localtime(user.date_joined).date().isoformat(),
            "roles": [
                {
                    "role": g.get_role_display(),
                    "organization": g.org.name,
                    **_period(g.valid_from, g.valid_to),
                }
                for g in grants
            ],
        },
        "member": None,
    }
    if user.member_id is None:
        return data
    member = Member.objects.select_related("org").get(pk=user.member_id)
    data["member"] = {
        "full_name": member.full_name,
        "gender": member.get_gender_display(),
        "birth_date": member.birth_date.isoformat(),
        "card_number": member.card_number,
        "joined_on": member.joined_on.isoformat(),
        "official_on": member.official_on.isoformat() if member.official_on else None,
        "status": member.get_status_display(),
        "cell": member.org.name,
        "residence_address": member.residence_address,
        "phone": member.phone,
        "email": member.email,
        "occupation": member.occupation,
        "left_on": member.left_on.isoformat() if member.left_on else None,
        "left_reason": member.get_left_reason_display() if member.left_reason else "",
        "memberships": [
            {"cell": m.org.name, "kind": m.get_kind_display(), "reason": m.reason, **_period(m.started_on, m.ended_on)}
            for m in member.memberships.select_related("org").order_by("started_on", "id")
        ],
        "positions": [
            {"title": p.get_title_display(), "cell": p.org.name, **_period(p.started_on, p.ended_on)}
            for p in member.positions.select_related("org").order_by("started_on", "id")
        ],
        "exemptions": [
            {
                "scope": e.get_scope_display(),
                "reason": e.get_reason_display(),
                "note": e.note,
                **_period(e.started_on, e.ended_on),
            }
            for e in member.exemptions.order_by("started_on", "id")
        ],
    }
    return data
