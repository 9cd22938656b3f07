"""The year-end classification (C15) by date: QĐ 132 (2018) on the versions up to 2023, QĐ 124 from
04/10/2023, QĐ 366 / HD 43 from 30/08/2025 (chibo.rules.catalogue). Versions missing on those dates are
added with the figures of the one in force before; the others get their classification and basis. Meetings
on a system version follow the one in force on their day, except those whose score was confirmed."""

from django.db import migrations

_SKIP = ("id", "org", "version", "effective_from", "note", "basis", "created_by", "created_at")


def classification_by_date(apps, schema_editor):
    from chibo.rules.catalogue import system_versions

    RuleSetVersion = apps.get_model("rules", "RuleSetVersion")
    Meeting = apps.get_model("meetings", "Meeting")
    system = RuleSetVersion.objects.filter(org__isnull=True)
    if not system.exists():
        return  # a database made without the shipped default: the test setup adds them (system_versions_ensure)
    copied = [
        f.name for f in RuleSetVersion._meta.concrete_fields if f.name not in _SKIP and not f.name.endswith("_id")
    ]
    for entry in system_versions():
        version = system.filter(effective_from=entry["effective_from"]).first()
        if version is None:
            before = system.filter(effective_from__lt=entry["effective_from"]).order_by("-effective_from", "-version")
            base = before.first() or system.order_by("effective_from", "version").first()
            number = system.order_by("-version").first().version + 1
            figures = {name: getattr(base, name) for name in copied} | entry["values"]
            RuleSetVersion.objects.create(
                org=None,
                version=number,
                effective_from=entry["effective_from"],
                note=entry["note"],
                basis=dict(base.basis or {}) | entry["basis"],
                **figures,
            )
            continue
        for name, value in entry["values"].items():
            setattr(version, name, value)
        version.basis = dict(version.basis or {}) | entry["basis"]
        version.note = entry["note"]
        version.save()
    defaults = list(system.order_by("-effective_from", "-version"))
    held = Meeting.objects.filter(ruleset__org__isnull=True)
    try:
        score = apps.get_model("quality", "MeetingScore")
    except LookupError:
        score = None
    if score is not None:
        held = held.exclude(pk__in=score.objects.filter(confirmed_at__isnull=False).values("meeting_id"))
    for meeting in held.only("pk", "scheduled_date", "ruleset_id"):
        right = next((v for v in defaults if v.effective_from <= meeting.scheduled_date), defaults[-1])
        if right.pk != meeting.ruleset_id:
            Meeting.objects.filter(pk=meeting.pk).update(ruleset=right)


class Migration(migrations.Migration):
    dependencies = [
        ("rules", "0007_dated_system_versions"),
        ("meetings", "0004_closing_shortfalls"),
    ]

    operations = [migrations.RunPython(classification_by_date, migrations.RunPython.noop)]
