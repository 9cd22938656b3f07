"""Dashboards and early warnings (C16).

CellMonth is the summary the dashboards read: one row per cell and month, recomputed from the record
(meetings, attendance, speaking turns, tasks, quality scores, attendance from above, directives, the
year-end classification) by `summary_refresh` in the background, never scanned
from years of attendance on a request. SummaryRefresh logs each run, so a page shows how old its
figures are. A row belongs to the cell, not to the ward it sat under: a dashboard sums the cells of
the tree as it stood on the chosen day, so a ward formed in 2025 shows its cells' 2021 history too.

WarningAck keeps each acknowledgement of an early warning (who, when, the note); a warning is named by
a stable key (kind, the cell or member, the month), so it is found again, and the history stays.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chibo.organizations.models import Organization


class CellMonth(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("tháng"))  # the first day
    # Meetings of the month (regular ones by the month they belong to, others by their day), cancelled
    # ones excluded; "on the day" = opened on the day it was planned for.
    planned = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    held_on_day = models.PositiveIntegerField(default=0)
    regular_held = models.PositiveIntegerField(default=0)
    thematic_held = models.PositiveIntegerField(default=0)
    # Over the meetings held: members required to attend (exempt ones not), those present (late
    # included), everyone from the roll in the room (exempt who came included), distinct speakers.
    required = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    present_total = models.PositiveIntegerField(default=0)
    speakers = models.PositiveIntegerField(default=0)
    # Task assignments falling due in the month: done (by any day), still open past due on refresh.
    tasks_due = models.PositiveIntegerField(default=0)
    tasks_done = models.PositiveIntegerField(default=0)
    tasks_overdue = models.PositiveIntegerField(default=0)
    # The meeting quality scores of the meetings held (chibo.quality), by level, and those confirmed by
    # the cadre who attended from above.
    score_good = models.PositiveIntegerField(default=0)
    score_fair = models.PositiveIntegerField(default=0)
    score_average = models.PositiveIntegerField(default=0)
    score_poor = models.PositiveIntegerField(default=0)
    score_confirmed = models.PositiveIntegerField(default=0)
    # Meetings held that someone attended from above (chibo.supervision's one rule).
    supervised = models.PositiveIntegerField(default=0)
    # Directives whose dissemination deadline falls in the month (chibo.directives): done on time, late,
    # not done past the deadline on refresh (the rest are still pending).
    directives_due = models.PositiveIntegerField(default=0)
    directives_on_time = models.PositiveIntegerField(default=0)
    directives_late = models.PositiveIntegerField(default=0)
    directives_overdue = models.PositiveIntegerField(default=0)
    # The year-end classification of members (chibo.reviews), on the December row of the review's year:
    # members reviewed, not rated, and per level as it stands.
    reviewed = models.PositiveIntegerField(default=0)
    review_not_rated = models.PositiveIntegerField(default=0)
    review_excellent = models.PositiveIntegerField(default=0)
    review_good = models.PositiveIntegerField(default=0)
    review_fair = models.PositiveIntegerField(default=0)
    review_poor = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "month"], name="cellmonth_one_per_cell_month")]
        indexes = [
            # Serves the dashboards: a period's rows of the cells under a node (joined on org_id).
            models.Index(fields=["month", "org"], name="cellmonth_month_org"),
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.month:%m/%Y}"


class SummaryRefresh(models.Model):
    """One run of summary_refresh: what it covered and when it finished (the lag a page shows)."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    first_month = models.DateField()
    last_month = models.DateField()
    rows = models.PositiveIntegerField()
    full = models.BooleanField(default=False)
    by = models.CharField(max_length=100)  # "celery", "command", a username

    class Meta:
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"{self.finished_at:%d/%m/%Y %H:%M} ({self.rows})"


class WarningAck(models.Model):
    """An acknowledgement of an early warning, with a note; several over time, all kept."""

    key = models.CharField(max_length=120, db_index=True)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24)
    note = models.TextField(_("ghi chú"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-acknowledged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.key}: {self.note[:40]}"
