"""Account management by administrators within their subtree (C3)."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from chibo.accounts import services
from chibo.accounts.models import ApiToken, Role, RoleGrant, User
from chibo.accounts.scope import Perm, has_perm_on, roles_of
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.testing.factories import PASSWORD, MemberFactory, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "một-mật-khẩu-dài-2025"


@pytest.fixture
def ward_admin(world):
    """An administrator of Phường Bình Thạnh only: manages accounts in the ward and its cells."""
    return make_user("ward_admin", (Role.ADMIN, world.ward))


def _create_form(world, **overrides):
    data = {
        "username": "nguyenvana",
        "full_name": "Nguyễn Văn A",
        "email": "a@example.vn",
        "member_card": "",
        "password": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "role": Role.VIEWER,
        "org": world.anhoa.pk,
        "valid_from": "",
    }
    data.update(overrides)
    return data


# --- Services ---------------------------------------------------------------------------------------


def test_it_creates_a_user_with_a_first_role_in_the_admins_subtree(world, ward_admin):
    user = services.user_create(
        actor=ward_admin,
        username="nguyenvana",
        password=NEW_PASSWORD,
        full_name="nguyễn  văn a",
        role=Role.VIEWER,
        org=world.anhoa,
    )
    user.refresh_from_db()
    assert user.get_full_name() == "Nguyễn Văn A"
    assert user.check_password(NEW_PASSWORD)
    grant = RoleGrant.objects.get(user=user)
    assert (grant.role, grant.org, grant.valid_from, grant.valid_to, grant.granted_by) == (
        Role.VIEWER,
        world.anhoa,
        today(),
        None,
        ward_admin,
    )
    assert roles_of(user) == {Role.VIEWER}


def test_it_links_a_new_user_to_a_member_the_admin_can_see_and_takes_the_members_name(world, ward_admin):
    member = MemberFactory(full_name="Lê Thị Hoa", org=world.other_cell)
    user = services.user_create(
        actor=ward_admin, username="hoa", password=NEW_PASSWORD, member=member, role=Role.MEMBER, org=world.other_cell
    )
    assert user.member == member
    assert user.get_full_name() == "Lê Thị Hoa"


def test_it_refuses_to_link_a_member_outside_the_admins_subtree(world, ward_admin):
    stranger = MemberFactory(org=world.other_ward_cell)
    with pytest.raises(ChiboError) as err:
        services.user_create(
            actor=ward_admin, username="x", password=NEW_PASSWORD, member=stranger, role=Role.MEMBER, org=world.anhoa
        )
    assert err.value.field == "member"
    assert not User.objects.filter(username="x").exists()


def test_it_refuses_a_member_who_already_has_an_account(world):
    with pytest.raises(ChiboError, match="đã có tài khoản"):
        services.user_create(
            actor=world.admin,
            username="second",
            password=NEW_PASSWORD,
            member=world.member_of_anhoa,
            role=Role.MEMBER,
            org=world.anhoa,
        )


def test_it_refuses_a_taken_username_whatever_its_case(world):
    with pytest.raises(ChiboError) as err:
        services.user_create(actor=world.admin, username="Viewer", password=NEW_PASSWORD, role="viewer", org=world.ward)
    assert err.value.field == "username"


def test_it_refuses_a_weak_password_and_saves_nothing(world):
    with pytest.raises(ChiboError) as err:
        services.user_create(actor=world.admin, username="weak", password="123", role=Role.VIEWER, org=world.ward)
    assert err.value.field == "password"
    assert not User.objects.filter(username="weak").exists()


def test_an_admin_must_give_the_first_role(world):
    with pytest.raises(ChiboError):
        services.user_create(actor=world.admin, username="norole", password=NEW_PASSWORD)
    assert not User.objects.filter(username="norole").exists()


def test_an_admin_cannot_grant_at_a_node_outside_their_subtree(world, ward_admin):
    with pytest.raises(ChiboError):
        services.role_grant(actor=ward_admin, user=world.viewer, org=world.other_ward, role=Role.VIEWER)
    assert not RoleGrant.objects.filter(user=world.viewer, org=world.other_ward).exists()


def test_an_admin_cannot_grant_admin_above_themselves(world, ward_admin):
    with pytest.raises(ChiboError):
        services.role_grant(actor=ward_admin, user=world.viewer, org=world.town, role=Role.ADMIN)
    assert not has_perm_on(world.viewer, world.town, Perm.MANAGE_ACCOUNTS)


def test_an_admin_may_grant_admin_within_their_subtree(world, ward_admin):
    services.role_grant(actor=ward_admin, user=world.anhoa_secretary, org=world.anhoa, role=Role.ADMIN)
    assert has_perm_on(world.anhoa_secretary, world.anhoa, Perm.MANAGE_ACCOUNTS)
    assert not has_perm_on(world.anhoa_secretary, world.ward, Perm.MANAGE_ACCOUNTS)


def test_an_officer_is_not_an_admin_and_cannot_grant(world):
    with pytest.raises(ChiboError):
        services.role_grant(actor=world.ward_officer, user=world.viewer, org=world.anhoa, role=Role.VIEWER)


def test_an_admin_cannot_grant_to_themselves(world, ward_admin):
    with pytest.raises(ChiboError):
        services.role_grant(actor=ward_admin, user=ward_admin, org=world.anhoa, role=Role.OFFICER)


def test_it_refuses_a_second_open_grant_of_the_same_role_at_the_same_node(world):
    with pytest.raises(ChiboError, match="đã có vai trò"):
        services.role_grant(actor=world.admin, user=world.viewer, org=world.ward, role=Role.VIEWER)


def test_a_grant_may_start_in_the_future_and_applies_from_then(world):
    grant = services.role_grant(
        actor=world.admin,
        user=world.viewer,
        org=world.anhoa,
        role=Role.CELL_COMMITTEE,
        valid_from=today() + timedelta(days=7),
    )
    assert grant.valid_from == today() + timedelta(days=7)
    assert Role.CELL_COMMITTEE not in roles_of(world.viewer)


def test_a_grant_cannot_start_in_the_past(world):
    with pytest.raises(ChiboError) as err:
        services.role_grant(
            actor=world.admin,
            user=world.viewer,
            org=world.anhoa,
            role=Role.OFFICER,
            valid_from=today() - timedelta(days=1),
        )
    assert err.value.field == "valid_from"


def test_revoking_ends_the_grant_and_keeps_it_as_history(world, ward_admin):
    grant = RoleGrant.objects.get(user=world.viewer)
    services.role_revoke(actor=ward_admin, grant=grant)
    grant.refresh_from_db()
    assert grant.valid_to == today()
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
    assert roles_of(User.objects.get(pk=world.viewer.pk)) == set()


def test_revoking_twice_is_refused(world):
    grant = RoleGrant.objects.get(user=world.viewer)
    services.role_revoke(actor=world.admin, grant=grant)
    with pytest.raises(ChiboError, match="đã được thu hồi"):
        services.role_revoke(actor=world.admin, grant=grant)


def test_an_admin_cannot_revoke_a_grant_outside_their_subtree(world, ward_admin):
    grant = RoleGrant.objects.get(user=world.outsider)
    with pytest.raises(ChiboError):
        services.role_revoke(actor=ward_admin, grant=grant)
    grant.refresh_from_db()
    assert grant.valid_to is None


def test_an_admin_cannot_revoke_their_own_grant(world):
    with pytest.raises(ChiboError):
        services.role_revoke(actor=world.admin, grant=RoleGrant.objects.get(user=world.admin))


def test_deactivating_locks_the_account_revokes_its_tokens_and_keeps_its_grants(world, ward_admin):
    ApiToken.objects.create(user=world.viewer, key_hash=ApiToken.hash("x"))
    services.user_deactivate(actor=ward_admin, user=world.viewer)
    world.viewer.refresh_from_db()
    assert not world.viewer.is_active
    assert not ApiToken.objects.filter(user=world.viewer, revoked_at__isnull=True).exists()
    assert RoleGrant.objects.filter(user=world.viewer, valid_to__isnull=True).exists()
    services.user_reactivate(actor=ward_admin, user=world.viewer)
    world.viewer.refresh_from_db()
    assert world.viewer.is_active


def test_a_ward_admin_cannot_deactivate_someone_who_also_holds_a_role_elsewhere(world, ward_admin):
    RoleGrant.objects.create(user=world.town_officer, org=world.anhoa, role=Role.MEMBER)
    with pytest.raises(ChiboError, match="ngoài phạm vi"):
        services.user_deactivate(actor=ward_admin, user=world.town_officer)
    world.town_officer.refresh_from_db()
    assert world.town_officer.is_active


def test_a_signed_in_deactivated_user_is_signed_out_at_the_next_request(client, world):
    client.force_login(world.viewer)
    services.user_deactivate(actor=world.admin, user=world.viewer)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_resetting_the_second_factor_removes_the_devices(world, ward_admin):
    TOTPDevice.objects.create(user=world.ward_officer, confirmed=True)
    StaticDevice.objects.create(user=world.ward_officer, confirmed=True)
    assert services.user_reset_second_factor(actor=ward_admin, user=world.ward_officer) == 2
    assert not TOTPDevice.objects.filter(user=world.ward_officer).exists()
    assert not StaticDevice.objects.filter(user=world.ward_officer).exists()


def test_an_admin_sets_a_new_password(world, ward_admin):
    services.user_set_password(actor=ward_admin, user=world.anhoa_member, password=NEW_PASSWORD)
    world.anhoa_member.refresh_from_db()
    assert world.anhoa_member.check_password(NEW_PASSWORD)


def test_every_account_change_is_in_the_history_with_its_actor(world, ward_admin):
    user = services.user_create(
        actor=ward_admin, username="audited", password=NEW_PASSWORD, role=Role.VIEWER, org=world.anhoa
    )
    grant = RoleGrant.objects.get(user=user)
    services.role_revoke(actor=ward_admin, grant=grant)
    services.user_deactivate(actor=ward_admin, user=user)
    services.user_reset_second_factor(actor=ward_admin, user=user)

    user_entries = LogEntry.objects.get_for_object(user).filter(actor=ward_admin)
    assert user_entries.filter(action=LogEntry.Action.CREATE).exists()
    assert any(e.changes_dict.get("is_active") == ["True", "False"] for e in user_entries)
    assert any("xác thực hai lớp" in e.changes_dict for e in user_entries)
    grant_entries = LogEntry.objects.get_for_object(grant).filter(actor=ward_admin)
    assert [e.action for e in grant_entries.order_by("timestamp", "id")] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
    ]
    assert all("password" not in e.changes_dict and "last_login" not in e.changes_dict for e in user_entries)


# --- Pages ------------------------------------------------------------------------------------------


def test_the_users_page_lists_the_users_of_the_admins_subtree_only(client, world, ward_admin):
    client.force_login(ward_admin)
    response = client.get(reverse("accounts:user_list"))
    names = {u.username for u in response.context["page"]}
    assert {"ward_officer", "anhoa_secretary", "anhoa_member", "other_cell_secretary", "viewer", "supervisor"} <= names
    assert not names & {"admin", "town_officer", "outsider"}


def test_the_users_page_is_not_there_for_a_non_admin(client, world):
    client.force_login(world.ward_officer)
    assert client.get(reverse("accounts:user_list")).status_code == 404


def test_the_users_page_searches_by_name(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("accounts:user_list"), {"q": "anhoa"})
    assert {u.username for u in response.context["page"]} == {"anhoa_secretary", "anhoa_member"}


def test_the_users_page_costs_the_same_queries_with_more_users(client, world, ward_admin, django_assert_num_queries):
    client.force_login(ward_admin)
    client.get(reverse("accounts:user_list"))  # warm the session and content types

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("accounts:user_list")).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(15):
        make_user(f"extra{i}", (Role.MEMBER, world.anhoa), (Role.VIEWER, world.other_cell))
    with django_assert_num_queries(before):
        client.get(reverse("accounts:user_list"))


def test_an_admin_creates_a_user_through_the_page(client, world, ward_admin):
    client.force_login(ward_admin)
    response = client.post(reverse("accounts:user_create"), _create_form(world))
    user = User.objects.get(username="nguyenvana")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert RoleGrant.objects.filter(user=user, org=world.anhoa, role=Role.VIEWER, granted_by=ward_admin).exists()


def test_the_create_page_links_a_member_by_card_number(client, world, ward_admin):
    member = MemberFactory(org=world.anhoa, card_number="12345678")
    client.force_login(ward_admin)
    client.post(reverse("accounts:user_create"), _create_form(world, member_card="12345678", full_name=""))
    assert User.objects.get(username="nguyenvana").member == member


def test_the_create_page_does_not_find_a_member_outside_the_subtree(client, world, ward_admin):
    MemberFactory(org=world.other_ward_cell, card_number="87654321")
    client.force_login(ward_admin)
    response = client.post(reverse("accounts:user_create"), _create_form(world, member_card="87654321"))
    assert response.status_code == 400
    assert "member_card" in response.context["form"].errors
    assert not User.objects.filter(username="nguyenvana").exists()


def test_the_create_page_offers_only_nodes_of_the_subtree(client, world, ward_admin):
    client.force_login(ward_admin)
    response = client.post(reverse("accounts:user_create"), _create_form(world, org=world.other_ward.pk))
    assert response.status_code == 400
    assert "org" in response.context["form"].errors
    assert set(response.context["form"].fields["org"].queryset) == {world.ward, world.anhoa, world.other_cell}


def test_the_create_page_shows_vietnamese_errors(client, world, ward_admin):
    client.force_login(ward_admin)
    response = client.post(reverse("accounts:user_create"), _create_form(world, password2="khác"))
    assert "Hai mật khẩu không khớp." in response.content.decode()


def test_granting_through_the_page(client, world, ward_admin):
    client.force_login(ward_admin)
    response = client.post(
        reverse("accounts:grant_create", args=[world.anhoa_member.pk]),
        {"role": Role.CELL_COMMITTEE, "org": world.anhoa.pk},
    )
    assert response.status_code == 302
    assert Role.CELL_COMMITTEE in roles_of(User.objects.get(pk=world.anhoa_member.pk))


def test_granting_at_a_node_outside_the_subtree_is_refused(client, world, ward_admin):
    client.force_login(ward_admin)
    response = client.post(
        reverse("accounts:grant_create", args=[world.anhoa_member.pk]), {"role": Role.ADMIN, "org": world.town.pk}
    )
    assert response.status_code == 400
    assert not RoleGrant.objects.filter(user=world.anhoa_member, org=world.town).exists()


def test_a_user_outside_the_subtree_answers_404(client, world, ward_admin):
    client.force_login(ward_admin)
    assert client.get(reverse("accounts:user_detail", args=[world.outsider.pk])).status_code == 404
    assert client.post(reverse("accounts:user_deactivate", args=[world.outsider.pk])).status_code == 404
    assert client.post(reverse("accounts:grant_create", args=[world.outsider.pk]), {}).status_code == 404
    world.outsider.refresh_from_db()
    assert world.outsider.is_active


def test_a_grant_outside_the_subtree_answers_404(client, world, ward_admin):
    client.force_login(ward_admin)
    grant = RoleGrant.objects.get(user=world.town_officer)
    assert client.post(reverse("accounts:grant_revoke", args=[grant.pk])).status_code == 404
    grant.refresh_from_db()
    assert grant.valid_to is None


def test_revoking_through_the_page(client, world, ward_admin):
    client.force_login(ward_admin)
    grant = RoleGrant.objects.get(user=world.viewer)
    response = client.post(reverse("accounts:grant_revoke", args=[grant.pk]))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.valid_to == today()


def test_the_user_page_shows_grants_with_history_and_who_granted(client, world, ward_admin):
    services.role_grant(actor=ward_admin, user=world.viewer, org=world.anhoa, role=Role.CELL_COMMITTEE)
    services.role_revoke(actor=ward_admin, grant=RoleGrant.objects.get(user=world.viewer, org=world.ward))
    client.force_login(ward_admin)
    response = client.get(reverse("accounts:user_detail", args=[world.viewer.pk]))
    assert response.status_code == 200
    assert len(response.context["grants"]) == 2
    assert {g.can_revoke for g in response.context["grants"]} == {True, False}
    assert response.context["events"]


def test_deactivate_and_reset_through_the_page(client, world, ward_admin):
    TOTPDevice.objects.create(user=world.ward_officer, confirmed=True)
    client.force_login(ward_admin)
    client.post(reverse("accounts:user_reset_2fa", args=[world.ward_officer.pk]))
    client.post(reverse("accounts:user_deactivate", args=[world.ward_officer.pk]))
    world.ward_officer.refresh_from_db()
    assert not world.ward_officer.is_active
    assert not TOTPDevice.objects.filter(user=world.ward_officer).exists()


def test_an_admin_resets_a_password_through_the_page(client, world, ward_admin):
    client.force_login(ward_admin)
    client.post(
        reverse("accounts:user_set_password", args=[world.anhoa_member.pk]),
        {"password": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    world.anhoa_member.refresh_from_db()
    assert world.anhoa_member.check_password(NEW_PASSWORD)
    assert not world.anhoa_member.check_password(PASSWORD)


def test_a_user_changes_their_own_password(client, world):
    client.force_login(world.anhoa_member)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    world.anhoa_member.refresh_from_db()
    assert world.anhoa_member.check_password(NEW_PASSWORD)
