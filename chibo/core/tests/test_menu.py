"""Everything reachable from the menu, for those who may use it: criticism records, one's commitments,
the rule set, the calendar feed and one's own data; nothing needs a typed URL."""

from django.urls import reverse


def _menu(client, user) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    page = client.get(reverse("core:home")).content.decode()
    return page[page.index('<nav class="mainnav">') : page.index("</nav>")]


def test_a_cell_secretary_finds_criticism_commitments_rules_feed_and_own_data_in_the_menu(client, world):
    menu = _menu(client, world.anhoa_secretary)
    assert reverse("criticism:list") in menu
    assert reverse("commitments:mine") in menu
    assert reverse("rules:org", args=[world.anhoa.pk]) in menu
    assert reverse("scheduling:feed_settings") in menu
    assert reverse("audit:privacy") in menu
    # Each entry leads to a page that opens.
    for url in (reverse("criticism:list"), reverse("commitments:mine"), reverse("rules:org", args=[world.anhoa.pk])):
        assert client.get(url).status_code == 200, url


def test_a_plain_member_is_not_shown_what_they_may_not_open(client, world):
    menu = _menu(client, world.anhoa_member)
    assert reverse("criticism:list") not in menu
    assert client.get(reverse("criticism:list")).status_code == 404
    assert reverse("commitments:mine") in menu and reverse("scheduling:feed_settings") in menu
    assert reverse("rules:org", args=[world.anhoa.pk]) in menu


def test_an_officer_without_a_member_record_gets_the_rules_of_the_highest_node_they_hold(client, world):
    menu = _menu(client, world.ward_officer)
    assert reverse("rules:org", args=[world.ward.pk]) in menu
    assert reverse("criticism:list") in menu
    assert reverse("commitments:mine") not in menu and reverse("scheduling:feed_settings") not in menu
