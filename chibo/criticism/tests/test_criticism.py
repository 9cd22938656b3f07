"""Criticism and self-criticism records: linked to the member, the meeting and its turn; commitments
followed up at later meetings; seen by the cell committee and above only."""

from datetime import date

import pytest
from django.urls import reverse

from chibo.accounts.tokens import token_issue
from chibo.core.errors import ChiboError
from chibo.criticism import services
from chibo.criticism.models import CriticismRecord, FollowUp
from chibo.meetings import services as meeting_services
from chibo.meetings.models import SpeakingTurn
from chibo.tasks.tests.conftest import Cell, hold, lock_minutes


def _turn(meeting, member, kind):  # type: ignore[no-untyped-def]
    turn = meeting_services.speaker_add(actor=None, meeting=meeting, member=member, kind=kind)
    return meeting_services.turn_finish(actor=None, turn=meeting_services.turn_start(actor=None, turn=turn))


def _record(cell: Cell, meeting, **kw):  # type: ignore[no-untyped-def]
    fields = {
        "member": cell.plain,
        "kind": CriticismRecord.Kind.CRITICISM,
        "content": "Chưa đóng đảng phí đúng hạn",
        "commitment": "Đóng đủ trước ngày 10 hằng tháng",
    } | kw
    return services.criticism_record(actor=None, meeting=meeting, **fields)


def test_a_criticism_is_recorded_with_the_turn_that_voiced_it(cell: Cell) -> None:
    m = hold(cell.org, date(2025, 4, 5), close=False)
    turn = _turn(m, cell.secretary, SpeakingTurn.Kind.CRITICISM)  # the secretary criticises the member
    record = _record(cell, m, turn=turn, fix_by=date(2025, 5, 10))
    assert (record.org, record.meeting, record.member, record.turn, record.status) == (
        cell.org, m, cell.plain, turn, "open",
    )  # fmt: skip


def test_a_self_criticism_must_be_the_members_own_turn(cell: Cell) -> None:
    m = hold(cell.org, date(2025, 4, 5), close=False)
    someone_else = _turn(m, cell.secretary, SpeakingTurn.Kind.SELF_CRITICISM)
    with pytest.raises(ChiboError, match="lượt tự phê bình của chính đảng viên đó"):
        _record(cell, m, kind=CriticismRecord.Kind.SELF_CRITICISM, turn=someone_else)
    opinion = _turn(m, cell.secretary, SpeakingTurn.Kind.OPINION)
    with pytest.raises(ChiboError, match="lượt phát biểu loại phê bình"):
        _record(cell, m, turn=opinion)
    assert not CriticismRecord.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"commitment": " "}, "Ghi điều đảng viên hứa khắc phục."),
        ({"content": ""}, "Ghi khuyết điểm, hạn chế được nêu."),
        ({"kind": "praise"}, "Chọn hình thức: phê bình hoặc tự phê bình."),
        ({"fix_by": date(2025, 4, 1)}, "Hạn khắc phục không được trước ngày họp."),
    ],
)
def test_a_record_missing_what_matters_is_refused(cell: Cell, change, message) -> None:  # type: ignore[no-untyped-def]
    m = hold(cell.org, date(2025, 4, 5))
    with pytest.raises(ChiboError) as err:
        _record(cell, m, **change)
    assert err.value.message == message and not CriticismRecord.objects.exists()


def test_a_member_of_another_cell_or_a_meeting_not_held_is_refused(cell: Cell) -> None:
    m = hold(cell.org, date(2025, 4, 5))
    with pytest.raises(ChiboError, match="Tô Văn Khác không thuộc chi bộ"):
        _record(cell, m, member=cell.stranger)
    from chibo.tasks.tests.builders import plan

    with pytest.raises(ChiboError, match="đang họp hoặc đã họp"):
        _record(cell, plan(cell.org, date(2025, 5, 5)))


def test_nothing_is_recorded_once_the_minutes_are_locked(cell: Cell) -> None:
    m = hold(cell.org, date(2025, 4, 5), chair=cell.secretary, recorder=cell.lawyer)
    lock_minutes(m, cell.world.anhoa_secretary)
    with pytest.raises(ChiboError, match="Biên bản buổi họp đã ký và khóa"):
        _record(cell, m)


def test_the_commitment_is_followed_up_at_later_meetings_until_kept(cell: Cell) -> None:
    april, may, june = (hold(cell.org, date(2025, mo, 5)) for mo in (4, 5, 6))
    record = _record(cell, april)
    with pytest.raises(ChiboError, match="sau buổi đã ghi phê bình"):
        services.follow_up_record(actor=None, record=record, meeting=april, progress=FollowUp.Progress.KEPT)
    services.follow_up_record(
        actor=None, record=record, meeting=may, progress=FollowUp.Progress.PARTLY, note="Đóng 1/2"
    )
    record.refresh_from_db()
    assert record.status == "open"
    with pytest.raises(ChiboError, match="Đã ghi theo dõi tại buổi sinh hoạt này"):
        services.follow_up_record(actor=None, record=record, meeting=may, progress=FollowUp.Progress.KEPT)
    services.follow_up_record(actor=None, record=record, meeting=june, progress=FollowUp.Progress.KEPT)
    record.refresh_from_db()
    assert record.status == "resolved"
    assert list(record.follow_ups.values_list("progress", flat=True)) == ["partly", "kept"]
    other_cell_meeting = hold(cell.world.other_cell, date(2025, 7, 5))
    with pytest.raises(ChiboError, match="không thuộc chi bộ đã ghi phê bình"):
        services.follow_up_record(actor=None, record=record, meeting=other_cell_meeting, progress="kept")


def test_the_cell_committee_records_through_the_page(cell: Cell, client) -> None:  # type: ignore[no-untyped-def]
    m = hold(cell.org, date(2025, 4, 5))
    client.force_login(cell.world.anhoa_secretary)
    url = reverse("criticism:create", args=[m.pk])
    form = {"member": cell.plain.pk, "kind": "self_criticism", "content": "Đi họp muộn", "commitment": "Đúng giờ"}
    response = client.post(url, form)
    record = CriticismRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert client.get(reverse("criticism:list")).content.decode().count("Nguyễn Thị Thường") == 1
    refused = client.post(url, form | {"commitment": " "})
    assert refused.status_code == 400 and CriticismRecord.objects.count() == 1


def test_plain_members_never_see_criticism_not_even_their_own(cell: Cell, client) -> None:  # type: ignore[no-untyped-def]
    record = _record(cell, hold(cell.org, date(2025, 4, 5)))
    client.force_login(cell.world.anhoa_member)  # the member the record is about
    assert client.get(reverse("criticism:list")).status_code == 404
    assert client.get(reverse("criticism:detail", args=[record.pk])).status_code == 404
    _t, raw = token_issue(user=cell.world.anhoa_member, label="t")
    auth = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/criticism", headers=auth).status_code == 404
    assert client.get(f"/api/v1/criticism/{record.pk}", headers=auth).status_code == 404
    body = client.get(reverse("tasks:record", args=[cell.plain.pk])).content.decode()
    assert "Phê bình, tự phê bình" not in body and "Đóng đủ trước ngày 10" not in body


def test_the_api_records_and_follows_up(cell: Cell, client) -> None:  # type: ignore[no-untyped-def]
    april, may = hold(cell.org, date(2025, 4, 5)), hold(cell.org, date(2025, 5, 5))
    _t, raw = token_issue(user=cell.world.anhoa_secretary, label="t")
    auth = {"Authorization": f"Bearer {raw}"}
    created = client.post(
        f"/api/v1/criticism/meetings/{april.pk}",
        {"member_id": cell.plain.pk, "kind": "criticism", "content": "Vắng họp", "commitment": "Dự đủ"},
        content_type="application/json",
        headers=auth,
    )
    assert created.status_code == 201, created.content
    rid = created.json()["id"]
    followed = client.post(
        f"/api/v1/criticism/{rid}/follow-ups",
        {"meeting_id": may.pk, "progress": "kept"},
        content_type="application/json",
        headers=auth,
    )
    assert followed.status_code == 201 and followed.json()["status"] == "resolved"
    listed = client.get("/api/v1/criticism", {"org": cell.org.pk}, headers=auth).json()
    assert listed["count"] == 1 and listed["items"][0]["follow_ups"][0]["progress"] == "kept"
