"""PostgreSQL-only indexes for the member list and search at national scale (5.6 million members).

SQLite has neither pg_trgm nor ICU collations; there the list sorts by the precomputed name_sort_key
(already indexed) and search scans, which is fine at the sizes SQLite serves.
"""

from django.db import migrations

INDEXES = [
    # Serves Member.objects.search(): `search_text LIKE '%word%'` (diacritic-free names, card, phone),
    # which a B-tree cannot answer; a trigram GIN index can, for every word of three letters or more.
    (
        "member_search_trgm",
        "CREATE INDEX IF NOT EXISTS member_search_trgm ON members_member USING gin (search_text gin_trgm_ops)",
    ),
    # Serves every scoped member list and its count: current members of the cells under a node
    # (org_id IN …, left_on IS NULL), and the national count(*) answered from this small index alone.
    (
        "member_current_org",
        "CREATE INDEX IF NOT EXISTS member_current_org ON members_member (org_id) WHERE left_on IS NULL",
    ),
    # Serves the member list in Vietnamese name order (chibo.members.selectors.vietnamese_order):
    # ORDER BY given, middle, family name under the ICU Vietnamese collation, id; current members only
    # (0002 reorders it to given, family, middle).
    # With LIMIT, a wide scope (a province, the country) reads the first page from the index.
    (
        "member_vi_name_order",
        'CREATE INDEX IF NOT EXISTS member_vi_name_order ON members_member ('
        '(given_name COLLATE "vi-x-icu"), (middle_name COLLATE "vi-x-icu"), (family_name COLLATE "vi-x-icu"), id'
        ") WHERE left_on IS NULL",
    ),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for _name, sql in INDEXES:
        schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _sql in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
