from datetime import date

from django.db import migrations


def create_default(apps, schema_editor):
    RuleSetVersion = apps.get_model("rules", "RuleSetVersion")
    if not RuleSetVersion.objects.filter(org__isnull=True).exists():
        # Every field's default is the DOMAIN.md default; see chibo.rules.models.
        from chibo.rules.models import default_scoring

        RuleSetVersion.objects.create(
            org=None,
            version=1,
            effective_from=date(2000, 1, 1),
            note="Mặc định theo Điều lệ Đảng, HD 42-HD/BTCTW, QĐ 366-QĐ/TW",
            scoring=default_scoring(),
        )


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]
    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
