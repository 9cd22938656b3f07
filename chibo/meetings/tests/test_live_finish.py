"""The live page as a secretary's instrument: everyone present in one tap, then the exceptions; the sticky bar
with the current point and the next action; a speaker in one tap on their name; the list the secretary's page
fetches; a criticism turn offered to the criticism record in one tap."""

from django.urls import reverse

from chibo.criticism.models import CriticismRecord
from chibo.meetings import services
from chibo.meetings.models import Attendance, SpeakingTurn
from chibo.meetings.tests.conftest import Cell


def _open(cell: Cell):  # type: ignore[no-untyped-def]
    services.agenda_from_template(actor=None, meeting=cell.meeting)
    return services.meeting_open(actor=None, meeting=cell.meeting, chair=cell.official[0], recorder=cell.official[1])


def test_everyone_present_in_one_tap_marks_the_unmarked_required_and_folds_the_section(client, cell: Cell):
    meeting = _open(cell)
    absent = cell.required[3]
    services.attendance_record(actor=None, meeting=meeting, member=absent, status=Attendance.Status.UNEXCUSED)
    client.force_login(cell.world.anhoa_secretary)
    page = client.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    assert "Tất cả có mặt (còn 17 người chưa điểm danh)" in page and "Còn 17 người chưa điểm danh" in page
    answer = client.post(reverse("meetings:attendance_all", args=[meeting.pk]), HTTP_HX_REQUEST="true")
    html = answer.content.decode()
    statuses = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status"))
    assert statuses[absent.pk] == "unexcused"  # an exception already marked stays
    assert [statuses[m.pk] for m in cell.required if m != absent] == ["present"] * 17
    assert [statuses[m.pk] for m in cell.exempt] == ["unmarked", "unmarked"]  # exempt members are not required
    assert "<details>" in html and "Tất cả có mặt" not in html  # folded, the button gone
    assert "có mặt 17 (muộn 0), vắng có lý do 0, vắng không lý do 1" in html
    assert 'id="totals"' in html and 'id="live-bar"' in html  # totals and bar refreshed out of band
    assert "chưa điểm danh" not in html.split('id="live-bar"')[1]


def test_the_bar_shows_the_current_point_and_the_next_action(client, cell: Cell):
    meeting = _open(cell)
    services.attendance_mark_rest_present(actor=None, meeting=meeting)
    client.force_login(cell.world.anhoa_secretary)
    items = list(meeting.agenda_items.order_by("position"))
    page = client.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    bar = page[page.index('id="live-bar"') : page.index("</nav>", page.index('id="live-bar"'))]
    for anchor in ("#attendance", "#agenda", "#speakers", "#vote", "#closing"):
        assert f'href="{anchor}"' in bar
    assert f"Đang:</span> 1. {items[0].title[:20]}" in bar and f"Tiếp: 2. {items[1].title[:20]}" in bar
    answer = client.post(reverse("meetings:agenda_advance", args=[meeting.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="live-bar" class="live-bar" aria-label="Các phần của buổi sinh hoạt" hx-swap-oob="true"' in answer
    assert f"Tiếp: 3. {items[2].title[:20]}" in answer


def test_a_speaker_is_one_tap_on_their_name_and_the_list_can_be_fetched_alone(client, cell: Cell):
    meeting = _open(cell)
    services.attendance_mark_rest_present(actor=None, meeting=meeting)
    member = cell.required[5]
    client.force_login(cell.world.anhoa_secretary)
    page = client.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    assert f'name="member" value="{member.pk}" class="chip"' in page
    client.post(reverse("meetings:speaker_add", args=[meeting.pk]), {"member": member.pk, "kind": "opinion"})
    turn = SpeakingTurn.objects.get(meeting=meeting)
    assert (turn.member, turn.status) == (member, "queued")
    listed = client.get(reverse("meetings:live_speakers", args=[meeting.pk])).content.decode()
    assert f'value="{member.pk}" class="chip"' not in listed  # already waiting: not offered again
    assert "Mời phát biểu" in listed and 'data-poll-url="' in listed
    version = listed.split('data-version="')[1].split('"')[0]
    # A member asks from their phone: the version the secretary's page compares changes.
    services.attendance_record(actor=None, meeting=meeting, member=cell.world.member_of_anhoa, status="present")
    services.speaker_request(actor=cell.world.anhoa_member, meeting=meeting)
    again = client.get(reverse("meetings:live_speakers", args=[meeting.pk])).content.decode()
    assert again.split('data-version="')[1].split('"')[0] != version
    assert cell.world.member_of_anhoa.full_name in again


def test_a_self_criticism_turn_is_offered_to_the_criticism_record_in_one_tap(client, cell: Cell):
    meeting = _open(cell)
    services.attendance_mark_rest_present(actor=None, meeting=meeting)
    member = cell.required[4]
    turn = services.speaker_add(actor=None, meeting=meeting, member=member, kind=SpeakingTurn.Kind.SELF_CRITICISM)
    services.turn_start(actor=None, turn=turn)
    services.turn_finish(actor=None, turn=turn, summary="Chưa đóng đảng phí đúng hạn hai tháng")
    client.force_login(cell.world.anhoa_secretary)
    page = client.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    offer = f"{reverse('criticism:create', args=[meeting.pk])}?turn={turn.pk}"
    assert offer in page and "Ghi vào sổ kiểm điểm" in page
    form = client.get(offer).context["form"]
    assert form.initial == {
        "member": member.pk, "kind": "self_criticism", "turn": turn.pk,
        "content": "Chưa đóng đảng phí đúng hạn hai tháng",
    }  # fmt: skip
    data = {**form.initial, "commitment": "Đóng đủ trước ngày 10 hằng tháng"}
    assert client.post(offer, data).status_code == 302
    record = CriticismRecord.objects.get(meeting=meeting)
    assert (record.member, record.turn, record.kind) == (member, turn, "self_criticism")
