from datetime import date

import pytest

from chibo.core.errors import ChiboError
from chibo.members import services
from chibo.members.models import Member
from chibo.members.selectors import in_name_order
from chibo.organizations.selectors import cell_of_member_on
from chibo.testing.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_duplicate_card_numbers_are_rejected(world):
    MemberFactory(org=world.anhoa, card_number="12345678")
    with pytest.raises(ChiboError, match="12345678") as err:
        MemberFactory(org=world.anhoa, card_number="12345678")
    assert err.value.field == "card_number"
    assert Member.objects.filter(card_number="12345678").count() == 1


def test_status_follows_the_official_date(world):
    member = MemberFactory(org=world.anhoa, official_on=None, joined_on=date(2025, 1, 10))
    assert member.status == Member.Status.PROBATIONARY
    services.member_update(actor=None, member=member, official_on=date(2026, 1, 10))
    assert member.status == Member.Status.OFFICIAL


def test_official_date_before_joining_is_refused(world):
    with pytest.raises(ChiboError, match="không được trước ngày vào Đảng"):
        MemberFactory(org=world.anhoa, joined_on=date(2010, 1, 1), official_on=date(2009, 1, 1))


def test_transfer_closes_one_roll_and_opens_another(world):
    member = world.member_of_anhoa
    services.member_transfer(actor=None, member=member, to_org=world.other_cell, effective_on=date(2024, 3, 1))
    assert cell_of_member_on(member, date(2024, 2, 29)) == world.anhoa
    assert cell_of_member_on(member, date(2024, 3, 1)) == world.other_cell
    assert member.memberships.filter(ended_on__isnull=True, kind="official").count() == 1


def test_search_matches_with_and_without_diacritics(world):
    MemberFactory(org=world.anhoa, full_name="Võ Văn Trường")
    assert Member.objects.search("truong").count() == 1
    assert Member.objects.search("Trường").count() == 1
    assert Member.objects.search("vo truong").count() == 1
    assert Member.objects.search("tuong").count() == 0


def test_members_list_in_vietnamese_order_on_this_database(world):
    for name in ["Trần Văn Út Nhỏ", "Lê Văn Ân", "Lê Văn An", "Phạm Thị Đào", "Ngô Văn Dũng"]:
        MemberFactory(org=world.other_cell, full_name=name)
    names = [m.full_name for m in in_name_order(Member.objects.filter(org=world.other_cell))]
    assert names == ["Lê Văn An", "Lê Văn Ân", "Ngô Văn Dũng", "Phạm Thị Đào", "Trần Văn Út Nhỏ"]


def test_namesakes_of_the_given_name_sort_by_the_rest_as_written_on_this_database(world):
    # DOMAIN.md: "Hồ Văn Thành" before "Trần Quốc Thành" (family name first, then middle names); the same
    # order on SQLite (the precomputed key) and PostgreSQL (ICU columns given, family, middle).
    names = ["Trần Quốc Thành", "Hồ Văn Thành", "Bùi Văn An", "An Văn Án", "Nguyễn Thành", "Nguyễn Văn Thành"]
    for name in names:
        MemberFactory(org=world.other_cell, full_name=name)
    listed = [m.full_name for m in in_name_order(Member.objects.filter(org=world.other_cell))]
    expected = ["Bùi Văn An", "An Văn Án", "Hồ Văn Thành", "Nguyễn Thành", "Nguyễn Văn Thành", "Trần Quốc Thành"]
    assert listed == expected
    assert [m.full_name for m in Member.objects.filter(org=world.other_cell).order_by("name_sort_key")] == expected


def test_working_far_exemption_lasts_under_twelve_months(world):
    with pytest.raises(ChiboError, match="dưới 12 tháng"):
        services.member_exempt(
            actor=None, member=world.member_of_anhoa, reason="working_far", started_on=date(2025, 1, 1)
        )
    exemption = services.member_exempt(
        actor=None,
        member=world.member_of_anhoa,
        reason="working_far",
        started_on=date(2025, 1, 1),
        ended_on=date(2025, 10, 1),
    )
    assert list(Member.objects.exempt_on(date(2025, 5, 1))) == [world.member_of_anhoa]
    assert not Member.objects.exempt_on(date(2025, 10, 1)).exists()
    assert exemption.covers(date(2025, 9, 30))


def test_namesakes_are_told_apart_by_year_of_birth_wherever_a_member_is_picked(world):
    from chibo.criticism.forms import RecordForm
    from chibo.meetings.forms import AgendaItemForm
    from chibo.meetings.models import SpeakingTurn
    from chibo.members.selectors import member_label, shared_names
    from chibo.tasks.forms import TaskForm

    older = MemberFactory(org=world.other_cell, full_name="Nguyễn Văn An", birth_date=date(1958, 3, 1))
    younger = MemberFactory(org=world.other_cell, full_name="Nguyễn Văn An", birth_date=date(1975, 7, 9))
    alone = MemberFactory(org=world.other_cell, full_name="Lê Thị Bé")
    members = in_name_order(Member.objects.filter(org=world.other_cell))
    assert shared_names(members) == {"Nguyễn Văn An"} == shared_names(list(members))
    assert [member_label(m, {"Nguyễn Văn An"}) for m in (older, younger, alone)] == [
        "Nguyễn Văn An (1958)", "Nguyễn Văn An (1975)", "Lê Thị Bé"
    ]  # fmt: skip
    for html in (
        str(AgendaItemForm(members=members)["presenter"]),
        str(RecordForm(members=members, turns=SpeakingTurn.objects.none())["member"]),
        str(TaskForm(members=members)["assignees"]),
    ):
        assert "Nguyễn Văn An (1958)" in html and "Nguyễn Văn An (1975)" in html
        assert "Lê Thị Bé (" not in html
