"""Scope of commitments and the cell's summary of a year.

A member sees and notes progress on their own commitments; whoever sees the member's record (Perm.LIST_MEMBERS)
sees them; the cell committee and officers (Perm.EDIT_MEMBERS) register for a member and review them."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from chibo.accounts.scope import AnyUser, Perm, has_perm_on, members_with
from chibo.commitments.models import Commitment
from chibo.core.dates import today
from chibo.members.models import Member
from chibo.members.selectors import in_name_order
from chibo.organizations.models import Organization
from chibo.tasks.selectors import exempt_now


def commitments_with(user: AnyUser) -> QuerySet[Commitment]:
    return Commitment.objects.filter(member__in=members_with(user, Perm.LIST_MEMBERS))


def is_own(user: AnyUser, member_id: int) -> bool:
    return getattr(user, "member_id", None) == member_id


def get_commitment_for_user(user: AnyUser, pk: int | str, *, action: str = "") -> Commitment:
    """404 outside scope; for `action` "note" the member themselves or an editor, for "review" an editor
    only: someone who sees the commitment but may not act gets 403."""
    try:
        commitment = commitments_with(user).select_related("member", "org").get(pk=pk)
    except (Commitment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    editor = has_perm_on(user, commitment.member.org, Perm.EDIT_MEMBERS)
    if action == "note" and not (editor or is_own(user, commitment.member_id)):
        raise PermissionDenied(_("Chỉ đảng viên đăng ký hoặc chi ủy được ghi tiến độ."))
    if action == "review" and not editor:
        raise PermissionDenied(_("Chỉ chi ủy được đánh giá bản đăng ký."))
    return commitment


def get_member_to_register(user: AnyUser, pk: int | str) -> Member:
    from chibo.accounts.scope import get_member_for_user

    member = get_member_for_user(user, pk)  # type: ignore[arg-type]
    if not (is_own(user, member.pk) or has_perm_on(user, member.org, Perm.EDIT_MEMBERS)):
        raise PermissionDenied(_("Chỉ đảng viên hoặc chi ủy được đăng ký."))
    return member


@dataclass(frozen=True)
class Summary:
    org: Organization
    year: int
    registered: int
    reviewed: int
    by_level: list[tuple[str, str, int]]  # (level, label, count)
    not_registered: list[Member]
    required: int  # members on the roll now and not exempt: who should register

    @property
    def registered_pct(self) -> str:
        if not self.required:
            return "—"
        return f"{self.registered * 100 / self.required:.1f}%".replace(".", ",")


def cell_summary(org: Organization, year: int) -> Summary:
    """Counts by status and level, and who on the roll (not exempt) has not registered. Two queries."""
    c = Commitment.objects.filter(org=org, year=year).aggregate(
        registered=Count("pk"),
        reviewed=Count("pk", filter=Q(status=Commitment.Status.REVIEWED)),
        **{f"level_{lv}": Count("pk", filter=Q(level=lv)) for lv in Commitment.Level.values},
    )
    on_roll = (
        Member.objects.filter(org=org)
        .current()
        .annotate(
            is_exempt=exempt_now(today()),
            has_commitment=Exists(Commitment.objects.filter(member=OuterRef("pk"), year=year)),
        )
        .filter(is_exempt=False)
    )
    members = list(in_name_order(on_roll))
    return Summary(
        org=org,
        year=year,
        registered=c["registered"],
        reviewed=c["reviewed"],
        by_level=[(lv, str(label), c[f"level_{lv}"]) for lv, label in Commitment.Level.choices],
        not_registered=[m for m in members if not m.has_commitment],  # type: ignore[attr-defined]
        required=len(members),
    )
