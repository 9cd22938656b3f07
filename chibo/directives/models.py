"""Directives and resolutions from above (C12) and their dissemination (quán triệt) in every targeted cell.

A committee registers a document from above — number and symbol ("45-CT/TW"), date, issuing body, summary,
the file — for the part of the tree it directs, with a deadline to disseminate it. The cells it reaches are
those of the targeted subtree **as the tree stood on the document's date** (chibo.organizations.selectors.
subtree_on), written once as DirectiveTarget rows: a directive to the old Long Mỹ town keeps reaching the
cells that belonged to it then, whatever the tree became. A document is keyed by number *and* date
(DOMAIN.md: "12-HD/BTCTW" and "45-CT/TW" were each used twice).

Each target is disseminated once, in one of the cell's meetings (Dissemination: which meeting, who presented,
the members present — taken from the meeting's attendance). Compliance (selectors.compliance) reads these rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chibo.meetings.models import Meeting
from chibo.members.models import Member
from chibo.organizations.models import Organization


def directive_path(instance: "Directive", filename: str) -> str:
    # Never the uploaded name (kept in original_name): it can carry path tricks.
    return f"directives/{instance.sha256[:16]}{instance.extension}"


class Directive(models.Model):
    class Kind(models.TextChoices):
        DIRECTIVE = "directive", _("Chỉ thị")
        RESOLUTION = "resolution", _("Nghị quyết")
        CONCLUSION = "conclusion", _("Kết luận")
        REGULATION = "regulation", _("Quy định")
        GUIDANCE = "guidance", _("Hướng dẫn")
        OTHER = "other", _("Văn bản khác")

    kind = models.CharField(_("loại văn bản"), max_length=12, choices=Kind.choices, default=Kind.DIRECTIVE)
    number = models.CharField(_("số và ký hiệu"), max_length=40)
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    summary = models.TextField(_("trích yếu"))
    # The committee that directs its cells to disseminate it; its subtree on `issued_on` is the target.
    target = models.ForeignKey(
        Organization, verbose_name=_("phạm vi quán triệt"), on_delete=models.PROTECT, related_name="directives"
    )
    deadline = models.DateField(_("hạn quán triệt"))
    file = models.FileField(_("tệp văn bản"), upload_to=directive_path, max_length=255, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    extension = models.CharField(max_length=8, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản cấp trên")
        verbose_name_plural = _("văn bản cấp trên")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["number", "issued_on", "target"], name="directive_once_per_target"),
            models.CheckConstraint(condition=Q(deadline__gte=models.F("issued_on")), name="directive_deadline_after"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number} ({self.issued_on:%d/%m/%Y})"

    @property
    def label(self) -> str:
        """ "Chỉ thị 45-CT/TW ngày 20/6/2020", as the agenda and the minutes name it."""
        d = self.issued_on
        return f"{self.get_kind_display()} số {self.number} ngày {d.day}/{d.month}/{d.year}"


class DirectiveTarget(models.Model):
    """A cell the directive reaches (fixed when it is registered, from the tree on its date)."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="targets")
    cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="directive_targets")
    # The committee directly above the cell on the directive's date: compliance per committee groups by it.
    parent = models.ForeignKey(Organization, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("chi bộ phải quán triệt")
        verbose_name_plural = _("chi bộ phải quán triệt")
        constraints = [models.UniqueConstraint(fields=["directive", "cell"], name="directive_target_once")]
        indexes = [
            # Serves a cell's pending directives (the next meeting's agenda).
            models.Index(fields=["cell", "directive"], name="directive_target_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.directive} → {self.cell}"


class Dissemination(models.Model):
    """The meeting where the cell disseminated the directive: recorded in one action."""

    target = models.OneToOneField(DirectiveTarget, on_delete=models.CASCADE, related_name="dissemination")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="disseminations")
    presenter = models.ForeignKey(
        Member, verbose_name=_("người quán triệt"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_on = models.DateField(_("ngày quán triệt"))
    members_present = models.ManyToManyField(Member, verbose_name=_("đảng viên có mặt"), related_name="+", blank=True)
    present_count = models.PositiveSmallIntegerField(_("số đảng viên có mặt"))
    required_count = models.PositiveSmallIntegerField(_("số đảng viên phải dự"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quán triệt văn bản")
        verbose_name_plural = _("quán triệt văn bản")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.target} @ {self.meeting}"
