"""Names sort by given name, then by the rest as written (family name, then middle names; DOMAIN.md:
"Hồ Văn Thành" before "Trần Quốc Thành"): the precomputed key every member carries is recomputed, and on
PostgreSQL the ICU-collated index follows the new column order."""

from django.db import migrations

from chibo.core.vietnamese import name_sort_key

OLD_INDEX = (
    'CREATE INDEX IF NOT EXISTS member_vi_name_order ON members_member ('
    '(given_name COLLATE "vi-x-icu"), (middle_name COLLATE "vi-x-icu"), (family_name COLLATE "vi-x-icu"), id'
    ") WHERE left_on IS NULL"
)
NEW_INDEX = (
    'CREATE INDEX IF NOT EXISTS member_vi_name_order ON members_member ('
    '(given_name COLLATE "vi-x-icu"), (family_name COLLATE "vi-x-icu"), (middle_name COLLATE "vi-x-icu"), id'
    ") WHERE left_on IS NULL"
)


def _recompute_keys(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    batch = []
    for member in Member.objects.only("pk", "full_name", "name_sort_key").iterator(chunk_size=2000):
        key = name_sort_key(member.full_name)
        if key != member.name_sort_key:
            member.name_sort_key = key
            batch.append(member)
        if len(batch) >= 2000:
            Member.objects.bulk_update(batch, ["name_sort_key"])
            batch = []
    if batch:
        Member.objects.bulk_update(batch, ["name_sort_key"])


def _index(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("DROP INDEX IF EXISTS member_vi_name_order")
        schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_member_search_indexes"),
        ("members", "0003_life_events_and_removal_apart_from_expulsion"),
    ]

    operations = [
        migrations.RunPython(_index(NEW_INDEX), _index(OLD_INDEX)),
        migrations.RunPython(_recompute_keys, migrations.RunPython.noop),
    ]
