"""The demo of `make demo`: the article's organization in 2021, the 2025 reform, the seven accounts."""

import random
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.urls import reverse

from chibo.accounts.models import User
from chibo.core.dates import today
from chibo.demo.builder import ARTICLE_DAY, PASSWORD, REFORM_DAY, Demo, build_demo
from chibo.demo.names import REAL_PEOPLE, NameGenerator
from chibo.members.models import Member, Membership, Position
from chibo.organizations.models import Organization, RestructuringEvent
from chibo.organizations.selectors import children_on, member_ids_on_roll, subtree_on, version_on

DEMO_SETTINGS = {"DEBUG": True, "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}


# --- The command (first in the module: these tests need a database without the shared demo) --------


@pytest.mark.django_db
def test_load_demo_refuses_without_debug_and_creates_nothing(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())
    assert not Organization.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
@override_settings(**DEMO_SETTINGS)
def test_load_demo_twice_loads_once_and_prints_the_logins_both_times():
    first, second = StringIO(), StringIO()
    call_command("load_demo", stdout=first)
    counts = (Organization.objects.count(), Member.objects.count(), User.objects.count())
    call_command("load_demo", stdout=second)
    assert (Organization.objects.count(), Member.objects.count(), User.objects.count()) == counts
    assert "đã có" in second.getvalue()
    for output in (first.getvalue(), second.getvalue()):
        assert "http://127.0.0.1:8000/" in output
        assert PASSWORD in output
        for username in ("admin", "bantochuc", "danguy.binhthanh", "bithu.anhoa", "dangvien.anhoa"):
            assert username in output


def test_the_same_seed_gives_the_same_people_and_never_the_articles_real_people():
    first = [NameGenerator(random.Random(7)).person() for _ in range(5)]
    again = [NameGenerator(random.Random(7)).person() for _ in range(5)]
    assert first == again
    generator = NameGenerator(random.Random(1))
    names = {generator.person().full_name for _ in range(20_000)}
    assert not names & REAL_PEOPLE


# --- The demo, built once for the tests below and rolled back at the end of the module -------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), override_settings(**DEMO_SETTINGS), transaction.atomic():
        yield build_demo()
        transaction.set_rollback(True)


def _cells_under(org: Organization, day: date) -> list[int]:
    return [v.org_id for v in subtree_on(org, day) if v.kind in Organization.CELL_KINDS]


def test_binh_thanh_has_eleven_cells_of_12_to_40_members_on_the_article_day(demo: Demo, db):
    binh_thanh = demo.orgs["binh_thanh"]
    chain = [v.name for v in subtree_on(demo.orgs["hau_giang"], ARTICLE_DAY)[:3]]
    assert chain == ["Đảng bộ tỉnh Hậu Giang", "Đảng bộ thị xã Long Mỹ", "Đảng bộ phường Bình Thạnh"]
    cells = children_on(binh_thanh, ARTICLE_DAY)
    assert len(cells) == 11
    assert "Chi bộ khu vực An Hòa" in [c.name for c in cells]
    for cell in cells:
        on_roll = member_ids_on_roll([cell.org_id], ARTICLE_DAY).count()
        assert 12 <= on_roll <= 40, cell.name
        assert 12 <= Member.objects.current().filter(org_id=cell.org_id).count() <= 40, cell.name


def test_the_tree_today_is_the_one_after_the_2025_reform(demo: Demo, db):
    day = today()
    assert [v.name for v in children_on(None, day)] == ["Đảng bộ thành phố Cần Thơ"]
    assert version_on(demo.orgs["town"], day) is None
    assert demo.orgs["town"].dissolved_on == REFORM_DAY
    long_binh = demo.orgs["long_binh_new"]
    assert version_on(long_binh, day).parent == demo.orgs["can_tho"]
    anhoa = demo.cells["anhoa"]
    assert version_on(anhoa, ARTICLE_DAY).parent == demo.orgs["binh_thanh"]
    assert version_on(anhoa, day).parent == long_binh
    assert set(_cells_under(demo.orgs["binh_thanh"], ARTICLE_DAY)) <= set(_cells_under(long_binh, day))
    merges = RestructuringEvent.objects.filter(kind=RestructuringEvent.Kind.MERGE, effective_on=REFORM_DAY)
    assert merges.filter(org=demo.orgs["binh_thanh"], related_org=long_binh).exists()
    assert merges.filter(org=demo.orgs["hau_giang"], related_org=demo.orgs["can_tho"]).exists()
    assert RestructuringEvent.objects.filter(
        kind=RestructuringEvent.Kind.DISSOLVE, org=demo.orgs["town"], effective_on=REFORM_DAY
    ).exists()
    assert demo.orgs["binh_thanh"].admin_unit.is_current is False
    assert long_binh.admin_unit.is_current and long_binh.admin_unit.code == "W31473"


def test_nobody_is_counted_twice_before_or_after_the_reform(demo: Demo, db):
    cells = list(Organization.objects.filter(kind__in=Organization.CELL_KINDS).values_list("pk", flat=True))
    for day in (ARTICLE_DAY, REFORM_DAY - timedelta(days=1), REFORM_DAY, today()):
        rolls = member_ids_on_roll(cells, day)
        assert rolls.count() == rolls.values("member").distinct().count(), day
    joined_that_day = Membership.objects.filter(started_on=REFORM_DAY).count()
    before = member_ids_on_roll(cells, REFORM_DAY - timedelta(days=1)).count()
    assert member_ids_on_roll(cells, REFORM_DAY).count() == before + joined_that_day
    open_rolls = Membership.objects.filter(ended_on__isnull=True, kind=Membership.Kind.OFFICIAL)
    assert open_rolls.count() == Member.objects.current().count()
    assert not open_rolls.values("member").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_members_are_realistic_and_each_cell_has_a_committee(demo: Demo, db):
    members = Member.objects.all()
    total = members.count()
    probationary = members.filter(status=Member.Status.PROBATIONARY)
    assert 0.05 * total <= probationary.count() <= 0.2 * total
    assert not probationary.filter(joined_on__lt=today() - timedelta(days=365)).exists()
    assert Member.objects.exempt_on(ARTICLE_DAY).exists()
    assert not members.filter(full_name__in=REAL_PEOPLE).exists()
    assert all(m.joined_on.year - m.birth_date.year >= 18 for m in members)
    assert members.exclude(strengths="").exists() and members.exclude(aspirations="").exists()
    assert members.filter(org=demo.cells["anhoa"], residence_address__contains="khu vực An Hòa").count() == 27
    for cell in demo.cells.values():
        secretaries = Position.objects.filter(org=cell, title=Position.Title.SECRETARY, ended_on__isnull=True)
        assert secretaries.count() == 1, cell.name


# --- The seven accounts ------------------------------------------------------------------------------


def _members_of(*orgs: Organization) -> set[int]:
    cells = Organization.objects.none()
    for org in orgs:
        cells |= Organization.objects.filter(path__startswith=org.path)
    return set(Member.objects.current().filter(org__in=cells).values_list("pk", flat=True))


def _login(client, username: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"{username} could not sign in"


def _listed(client) -> set[int]:  # type: ignore[no-untyped-def]
    response = client.get(reverse("members:list"), {"page": 1})
    assert response.status_code == 200
    page = response.context["page"]
    ids = {m.pk for m in page.paginator.object_list}
    assert len(ids) == page.paginator.count
    return ids


def test_all_seven_accounts_sign_in_and_see_what_their_role_allows(demo: Demo, db, client):
    o, c = demo.orgs, demo.cells
    everyone = set(Member.objects.current().values_list("pk", flat=True))
    anhoa_secretary = demo.secretaries["anhoa"]
    plain = User.objects.get(username="dangvien.anhoa").member
    expected = {
        "admin": everyone,
        "bantochuc": _members_of(o["long_binh_new"], o["long_my_new"], o["long_phu_1"]),
        "danguy.binhthanh": _members_of(o["long_binh_new"]),
        "bithu.anhoa": _members_of(c["anhoa"]),
        "dangvien.anhoa": {plain.pk},
        "bithu.cellkhac": _members_of(c["bt_a"]),
        "canbo.phuongkhac": _members_of(o["long_my_new"]),
    }
    assert expected["bantochuc"] == everyone  # the three new wards cover the old town
    assert _members_of(c["anhoa"]) <= expected["danguy.binhthanh"] < everyone
    for username, ids in expected.items():
        client.logout()
        _login(client, username)
        assert _listed(client) == ids, username
        can_open_anhoa = client.get(reverse("members:detail", args=[anhoa_secretary.pk])).status_code
        assert can_open_anhoa == (200 if anhoa_secretary.pk in ids else 404), username
    assert User.objects.get(username="bithu.anhoa").member == anhoa_secretary
    assert User.objects.get(username="bithu.cellkhac").member == demo.secretaries["bt_a"]
    assert plain.org == c["anhoa"] and not plain.positions.exists()


def test_the_orgs_page_shows_the_2021_tree_on_the_article_day_and_the_new_one_today(demo: Demo, db, client):
    _login(client, "admin")
    then = client.get(reverse("organizations:tree"), {"as_of": ARTICLE_DAY.isoformat()}).content.decode()
    now = client.get(reverse("organizations:tree")).content.decode()
    assert "Đảng bộ thị xã Long Mỹ" in then and "Đảng bộ phường Long Bình" not in then
    assert "Đảng bộ phường Long Bình" in now and "Đảng bộ thị xã Long Mỹ" not in now
