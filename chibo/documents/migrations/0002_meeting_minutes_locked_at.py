"""Meetings whose minutes are already locked carry the fact on the meeting (Meeting.minutes_locked_at)."""

from django.db import migrations


def fill(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    MeetingDocument = apps.get_model("documents", "MeetingDocument")
    locked = MeetingDocument.objects.filter(kind="minutes", status="locked").values_list("meeting_id", "locked_at")
    for meeting_id, locked_at in locked:
        Meeting.objects.filter(pk=meeting_id).update(minutes_locked_at=locked_at)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_minutes_and_resolutions"),
        ("meetings", "0005_minutes_locked_at"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
