from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Derived or bookkeeping columns: recomputed from what is logged, so logging them is noise.
_MEMBER_DERIVED = [
    "family_name",
    "middle_name",
    "given_name",
    "name_sort_key",
    "search_text",
    "created_at",
    "updated_at",
]


class AuditConfig(AppConfig):
    name = "chibo.audit"
    label = "audit"
    verbose_name = _("Nhật ký và dữ liệu cá nhân")

    def ready(self) -> None:
        """Register the models whose changes matter here, so other apps' files stay free of audit code."""
        from auditlog.models import LogEntry
        from auditlog.registry import auditlog
        from auditlog.signals import post_log
        from django.db.models.signals import pre_save

        from chibo.accounts.models import RoleGrant, User
        from chibo.audit.context import fill_actor
        from chibo.core.history import bulk_history_written
        from chibo.directives.models import Directive, Dissemination
        from chibo.households.models import Area, Assignment, Household, LiaisonEvent
        from chibo.meetings.models import Meeting
        from chibo.members.models import Exemption, Member, Membership, Position
        from chibo.organizations.models import Organization, OrgVersion, RestructuringEvent
        from chibo.rules.models import RuleSetVersion
        from chibo.supervision.models import Assignment as CadreAssignment
        from chibo.supervision.models import RemarkFollowUp

        auditlog.register(Member, exclude_fields=_MEMBER_DERIVED)
        for plain in (Membership, Position, Exemption, OrgVersion, RestructuringEvent, RuleSetVersion):
            auditlog.register(plain)
        auditlog.register(Organization, exclude_fields=["numchild"])
        auditlog.register(Meeting, exclude_fields=["created_at", "updated_at", "live_version"])
        auditlog.register(RoleGrant, exclude_fields=["created_at"])
        # Residents' data (C13): who changed a household, its member in charge or a liaison entry.
        auditlog.register(Household, exclude_fields=["dedup_key", "name_sort_key", "search_text", "updated_at"])
        for resident_data in (Area, Assignment, LiaisonEvent):
            auditlog.register(resident_data)
        # Supervision and directives (C11, C12): who assigned a cadre, answered a remark, registered a
        # directive or recorded its dissemination.
        for followed in (CadreAssignment, RemarkFollowUp, Directive, Dissemination):
            auditlog.register(followed)
        # Never the password hash; last_login changes at every sign-in and says nothing about who changed what.
        auditlog.register(User, exclude_fields=["password", "last_login"])

        pre_save.connect(fill_actor, sender=LogEntry, dispatch_uid="chibo_audit_fill_actor")
        bulk_history_written.connect(_link_bulk_member_changes, dispatch_uid="chibo_audit_bulk_member_changes")
        for model in (Member, Membership, Position, Exemption):
            post_log.connect(_link_member_change, sender=model, dispatch_uid=f"chibo_audit_member_{model.__name__}")


def _link_member_change(sender: type, instance: Any, log_entry: Any = None, **kwargs: Any) -> None:
    from chibo.audit.models import MemberChange
    from chibo.members.models import Member

    member_id = instance.pk if sender is Member else getattr(instance, "member_id", None)
    if log_entry is not None and member_id:
        MemberChange.objects.create(log_entry=log_entry, member_id=member_id)


def _link_bulk_member_changes(sender: Any, entries: list[tuple[Any, Any]], **kwargs: Any) -> None:
    """History rows written in bulk by a service reach the member's history page like the others."""
    from chibo.audit.models import MemberChange
    from chibo.members.models import Member, Membership, Position

    if sender is Member:
        links = [MemberChange(log_entry=e, member_id=pk) for pk, e in entries]
    elif sender in (Membership, Position):
        member_of = dict(sender.objects.filter(pk__in=[pk for pk, _e in entries]).values_list("pk", "member_id"))
        links = [MemberChange(log_entry=e, member_id=member_of[pk]) for pk, e in entries if pk in member_of]
    else:
        return
    MemberChange.objects.bulk_create(links, batch_size=500)
