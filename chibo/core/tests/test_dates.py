"""One date field everywhere: typed dd/mm/yyyy or chosen on the phone's picker; an impossible day says it does
not exist; a bad date in a filter is reported; empty choices read "— Chọn … —"."""

from datetime import date

import pytest
from django import forms

from chibo.core.dates import BadDate, parse_day
from chibo.core.forms import DateField, label_empty_choices
from chibo.meetings.forms import AgendaItemForm
from chibo.members.models import Member
from chibo.scheduling.forms import PlanForm


@pytest.mark.parametrize(
    ("text", "day"),
    [("05/04/2021", date(2021, 4, 5)), ("5/4/2021", date(2021, 4, 5)), ("05-04-2021", date(2021, 4, 5)),
     ("05.04.2021", date(2021, 4, 5)), ("2021-04-05", date(2021, 4, 5)), (" 29/02/2024 ", date(2024, 2, 29))],
)  # fmt: skip
def test_a_day_is_read_as_typed_or_as_the_picker_sends_it(text, day):
    assert parse_day(text) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2010", "Ngày 31/02/2010 không tồn tại: tháng 2 năm 2010 chỉ có 28 ngày."),
        ("29/02/2023", "Ngày 29/02/2023 không tồn tại: tháng 2 năm 2023 chỉ có 28 ngày."),
        ("31/04/2021", "Ngày 31/04/2021 không tồn tại: tháng 4 năm 2021 chỉ có 30 ngày."),
        ("2010-02-30", "Ngày 2010-02-30 không tồn tại: tháng 2 năm 2010 chỉ có 28 ngày."),
        ("05/13/2021", "Ngày 05/13/2021 không tồn tại: không có tháng 13."),
        ("hôm qua", "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 05/04/2021."),
        ("2021", "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 05/04/2021."),
    ],
)
def test_text_that_is_not_a_day_says_why(text, message):
    with pytest.raises(BadDate) as err:
        parse_day(text)
    assert str(err.value) == message


def test_every_date_field_is_the_one_widget_typed_box_beside_the_phones_picker():
    class F(forms.Form):
        day = DateField(label="Ngày")

    html = str(F(initial={"day": date(2021, 4, 5)})["day"])
    assert 'type="text"' in html and 'value="05/04/2021"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert 'type="date"' in html and 'value="2021-04-05"' in html and 'data-for="id_day"' in html
    # The pages that used the browser's bare picker use the same field now.
    assert isinstance(PlanForm().fields["scheduled_date"], DateField)
    assert isinstance(AgendaItemForm(members=Member.objects.none()).fields["approved_on"], DateField)
    bad = F({"day": "31/02/2010"})
    assert bad.errors["day"] == ["Ngày 31/02/2010 không tồn tại: tháng 2 năm 2010 chỉ có 28 ngày."]
    assert 'value="31/02/2010"' in str(bad["day"])  # what was typed stays, to be corrected


def test_a_bad_as_of_date_on_the_tree_is_reported_beside_the_field(client, world):
    client.force_login(world.ward_officer)
    page = client.get("/orgs/?as_of=31/02/2010").content.decode()
    assert "Ngày 31/02/2010 không tồn tại" in page and 'role="alert"' in page
    good = client.get("/orgs/?as_of=05/04/2021")
    assert good.context["as_of"] == date(2021, 4, 5) and "không tồn tại" not in good.content.decode()
    detail = client.get(f"/orgs/{world.anhoa.pk}/?as_of=2021-13-01").content.decode()
    assert "không có tháng 13" in detail


def test_a_bad_day_on_the_rule_set_page_is_reported(client, world):
    client.force_login(world.anhoa_secretary)
    page = client.get(f"/rules/{world.anhoa.pk}/?on=30/02/2026").content.decode()
    assert "Ngày 30/02/2026 không tồn tại" in page


def test_empty_choices_say_what_to_choose(db):
    form = label_empty_choices(PlanForm())
    html = str(form["org"])
    assert "— Chọn chi bộ —" in html and "---------" not in html
    agenda = label_empty_choices(AgendaItemForm(members=Member.objects.none()))
    assert "— Chọn người trình bày —" in str(agenda["presenter"])


def test_forms_rendered_by_the_shared_template_never_show_dashes(client, world):
    client.force_login(world.ward_officer)
    page = client.get("/calendar/plan/").content.decode()
    assert "— Chọn chi bộ —" in page and "---------" not in page
