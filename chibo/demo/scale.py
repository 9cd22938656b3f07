"""A synthetic tree (provinces → ward committees → cells) and N members, fast, for benchmarks.

Unlike the demo it does not go through the services one row at a time: 500,000 members through
member_create() would take an hour. It writes the same rows the services would (treebeard paths,
one OrgVersion per node, one open Membership per member, the derived name and search fields), with
bulk_create in batches, and checks nothing a service would refuse can arise from what it generates.
"""

import math
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from django.db import connection, models, transaction
from django.db.models import Max

from chibo.core.dates import today
from chibo.core.vietnamese import name_sort_key, normalize_name, search_text, split_full_name, unaccent
from chibo.demo.names import NameGenerator
from chibo.members.models import Member, Membership
from chibo.organizations.models import Organization, OrgVersion

Kind = Organization.Kind
CODE_PREFIX = "SEED"  # every synthetic node's code starts with it
FOUNDED = date(2000, 1, 1)


T = TypeVar("T")


class SeedRefused(Exception):
    pass


@dataclass(frozen=True)
class Shape:
    """How many nodes of each level, and how many members each cell gets."""

    provinces: int
    wards_per_province: list[int]
    cell_sizes: list[list[int]]  # by ward (in province order), members of each of its cells

    @property
    def wards(self) -> int:
        return sum(self.wards_per_province)

    @property
    def cells(self) -> int:
        return sum(len(s) for s in self.cell_sizes)


def plan_shape(
    *, members: int, cells_per_ward: int, members_per_cell: int, provinces: int, rng: random.Random
) -> Shape:
    """Cells of about `members_per_cell` (±50%) adding up to exactly `members`, grouped into wards of
    `cells_per_ward` cells, spread round-robin over at most `provinces` provinces."""
    n_cells = max(1, math.ceil(members / members_per_cell))
    weights = [rng.uniform(0.5, 1.5) for _ in range(n_cells)]
    total = sum(weights)
    sizes = [int(members * w / total) for w in weights]
    for i in range(members - sum(sizes)):
        sizes[i % n_cells] += 1
    n_wards = max(1, math.ceil(n_cells / cells_per_ward))
    by_ward = [sizes[i * cells_per_ward : (i + 1) * cells_per_ward] for i in range(n_wards)]
    n_provinces = min(provinces, n_wards)
    per_province = [n_wards // n_provinces + (1 if p < n_wards % n_provinces else 0) for p in range(n_provinces)]
    return Shape(provinces=n_provinces, wards_per_province=per_province, cell_sizes=by_ward)


@dataclass
class SeedReport:
    members: int = 0
    orgs: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def _timed(report: SeedReport, label: str, fn: Callable[[], T]) -> T:
    started = time.monotonic()
    result = fn()
    report.timings[label] = time.monotonic() - started
    return result


def _build_tree(shape: Shape) -> list[tuple[Organization, int]]:
    """Insert every node with computed materialized paths; returns each cell with its members' sizes."""
    last_root = Organization.objects.filter(depth=1).order_by("-path").first()
    first_root = (Organization._str2int(last_root.path) + 1) if last_root else 1
    step = Organization._get_path
    provinces, wards, cells = [], [], []
    ward_sizes = iter(shape.cell_sizes)
    for p in range(shape.provinces):
        p_path = step(None, 1, first_root + p)
        provinces.append(
            Organization(
                path=p_path,
                depth=1,
                numchild=shape.wards_per_province[p],
                kind=Kind.PROVINCE_COMMITTEE,
                code=f"{CODE_PREFIX}.{p + 1:02d}",
                name=f"Đảng bộ tỉnh Giả Lập {p + 1:02d}",
                established_on=FOUNDED,
            )
        )
        for w in range(shape.wards_per_province[p]):
            sizes = next(ward_sizes)
            w_path = step(p_path, 2, w + 1)
            ward = Organization(
                path=w_path,
                depth=2,
                numchild=len(sizes),
                kind=Kind.GRASSROOTS_COMMITTEE,
                code=f"{CODE_PREFIX}.{p + 1:02d}.{w + 1:03d}",
                name=f"Đảng bộ phường Giả Lập {p + 1:02d}-{w + 1:03d}",
                established_on=FOUNDED,
            )
            wards.append((ward, provinces[-1]))
            for c, size in enumerate(sizes):
                cell = Organization(
                    path=step(w_path, 3, c + 1),
                    depth=3,
                    numchild=0,
                    kind=Kind.CELL,
                    code=f"{ward.code}.{c + 1:03d}",
                    name=f"Chi bộ khu vực {c + 1}",
                    meeting_day=5,
                    established_on=FOUNDED,
                )
                cells.append((cell, ward, size))
    nodes = provinces + [w for w, _ in wards] + [c for c, _, _ in cells]
    Organization.objects.bulk_create(nodes, batch_size=2000)
    versions = [OrgVersion(org=p, valid_from=FOUNDED, name=p.name, kind=p.kind) for p in provinces]
    versions += [OrgVersion(org=w, valid_from=FOUNDED, name=w.name, kind=w.kind, parent=p) for w, p in wards]
    versions += [OrgVersion(org=c, valid_from=FOUNDED, name=c.name, kind=c.kind, parent=w) for c, w, _ in cells]
    for v in versions:
        v.search_name = search_text(v.name)
    OrgVersion.objects.bulk_create(versions, batch_size=2000)
    return [(c, size) for c, _, size in cells]


class _NameParts:
    """full_name → the derived fields Member.set_name() computes, cached: names repeat a lot."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[str, str, str, str, str, str]] = {}

    def __call__(self, raw: str) -> tuple[str, str, str, str, str, str]:
        parts = self._cache.get(raw)
        if parts is None:
            full = normalize_name(raw)
            family, middle, given = split_full_name(full)
            parts = (full, family, middle, given, name_sort_key(full), unaccent(full))
            self._cache[raw] = parts
        return parts


def _members(cells: list[tuple[Organization, int]], gen: NameGenerator, run_day: date) -> Iterator[Member]:
    rng = gen.rng
    names = _NameParts()
    recent_from = run_day - timedelta(days=330)
    number = 0
    for cell, size in cells:
        for _ in range(size):
            number += 1
            person = gen.person()
            full, family, middle, given, sort_key, plain = names(person.full_name)
            birth = date(1940, 1, 1) + timedelta(days=rng.randrange(60 * 365))
            probationary = rng.random() < 0.08
            if probationary:
                joined = recent_from + timedelta(days=rng.randrange(300))
                birth = min(birth, joined.replace(year=joined.year - 19, day=1))
                official = None
            else:
                earliest = date(birth.year + 19, 1, 1)
                joined = earliest + timedelta(days=rng.randrange(max(1, (recent_from - earliest).days - 400)))
                official = joined + timedelta(days=365)
            card = f"{number:010d}"
            phone = gen.phone() if rng.random() < 0.9 else ""
            yield Member(
                full_name=full,
                family_name=family,
                middle_name=middle,
                given_name=given,
                name_sort_key=sort_key,
                # The same text Member.refresh_search_text() builds (name, card, phone), name unaccented once.
                search_text=" ".join(p for p in (plain, search_text(card), search_text(phone)) if p),
                gender=person.gender,
                birth_date=birth,
                card_number=card,
                joined_on=joined,
                official_on=official,
                status=Member.Status.PROBATIONARY if probationary else Member.Status.OFFICIAL,
                org_id=cell.pk,
                phone=phone,
            )


def _batches(items: Iterator[Member], size: int) -> Iterator[list[Member]]:
    batch: list[Member] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _copy(model: type[models.Model], objs: Iterable[models.Model]) -> None:
    """PostgreSQL COPY of unsaved objects, every concrete column but the key, values prepared by the
    fields themselves (so a column another app adds later is written like bulk_create would)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objs:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields])


def _insert_members(members: Iterator[Member], batch: int, progress: Callable[[int], None]) -> int:
    """Members, then their rolls (one open official membership each, from the day they joined)."""
    done = 0
    for chunk in _batches(members, batch):
        if connection.vendor == "postgresql":
            # COPY is several times faster than INSERT; the new ids are read back for the rolls.
            last_id = Member.objects.aggregate(m=Max("pk"))["m"] or 0
            _copy(Member, chunk)
            rows = Member.objects.filter(pk__gt=last_id).values_list("pk", "org_id", "joined_on")
            _copy(Membership, (Membership(member_id=pk, org_id=org, started_on=max(j, FOUNDED)) for pk, org, j in rows))
        else:
            Member.objects.bulk_create(chunk, batch_size=batch)
            Membership.objects.bulk_create(
                [Membership(member_id=m.pk, org_id=m.org_id, started_on=max(m.joined_on, FOUNDED)) for m in chunk],
                batch_size=batch,
            )
        done += len(chunk)
        progress(done)
    return done


def seed_exists() -> bool:
    return Organization.objects.filter(code__startswith=f"{CODE_PREFIX}.").exists()


def seed_scale(
    *,
    members: int,
    cells_per_ward: int = 40,
    members_per_cell: int = 25,
    provinces: int = 34,
    seed: int = 1,
    batch: int = 5000,
    progress: Callable[[int], None] = lambda done: None,
) -> SeedReport:
    """Seed in one transaction, then (PostgreSQL) VACUUM ANALYZE: fresh statistics for the planner, and
    a visibility map so that counts can be answered from an index alone, as on a settled database."""
    if members < 1 or cells_per_ward < 1 or members_per_cell < 1 or provinces < 1:
        raise SeedRefused("Các số lượng phải lớn hơn 0.")
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    report = SeedReport()
    with transaction.atomic():
        if seed_exists():
            raise SeedRefused("Cơ sở dữ liệu đã có cây giả lập (mã SEED.*); dùng một cơ sở dữ liệu trống.")
        shape = plan_shape(
            members=members,
            cells_per_ward=cells_per_ward,
            members_per_cell=members_per_cell,
            provinces=provinces,
            rng=rng,
        )
        cells = _timed(report, "tree", lambda: _build_tree(shape))
        report.orgs = shape.provinces + shape.wards + shape.cells
        gen = NameGenerator(rng)
        with _indexes_built_after(Member, report):
            report.members = _timed(
                report, "members", lambda: _insert_members(_members(cells, gen, today()), batch, progress)
            )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:  # VACUUM cannot run in one
        _timed(report, "vacuum analyze", _vacuum_analyze)
    return report


@contextmanager
def _indexes_built_after(model: type[models.Model], report: SeedReport) -> Iterator[None]:
    """On PostgreSQL and an empty table, drop the secondary indexes and build them after the load:
    one sorted build is much faster than 500,000 insertions into a trigram and an ICU-collated index.
    Indexes that back a constraint (primary key, unique) stay, so that nothing invalid gets in."""
    table = model._meta.db_table
    if connection.vendor != "postgresql" or model._default_manager.exists():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = %s
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield

    def rebuild() -> None:
        with connection.cursor() as cursor:
            # The deferred foreign-key checks of the rows just written must run before an index is built.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _name, definition in indexes:
                cursor.execute(definition)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    _timed(report, "indexes", rebuild)


def _vacuum_analyze() -> None:
    with connection.cursor() as cursor:
        for model in (Organization, OrgVersion, Member, Membership):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
