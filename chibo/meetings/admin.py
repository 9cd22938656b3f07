"""Read-mostly admin for support: the live record is written through chibo.meetings.services only."""

from django.contrib import admin

from chibo.meetings.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Guest,
    Meeting,
    Preparation,
    SpeakingTurn,
    SupervisorRemark,
    Vote,
)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "org", "kind", "scheduled_date", "status"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["org", "ruleset", "chair", "recorder", "created_by"]
    date_hierarchy = "scheduled_date"


for model in (Preparation, AgendaItem, Attachment, Attendance, Guest, SpeakingTurn, Vote, SupervisorRemark):
    foreign_keys = [f.name for f in model._meta.get_fields() if f.many_to_one and f.concrete]
    admin.site.register(model, raw_id_fields=foreign_keys)
