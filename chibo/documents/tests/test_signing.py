"""Signing, locking and amending minutes and resolutions (C7)."""

from datetime import date

import pytest
from django.urls import reverse

from chibo.accounts.models import User
from chibo.core.errors import ChiboError
from chibo.documents import services
from chibo.documents.models import Amendment, MeetingDocument, Signature
from chibo.documents.selectors import may_sign
from chibo.documents.tests.conftest import Held, hold
from chibo.meetings.models import Vote
from chibo.testing.factories import MemberFactory

pytestmark = pytest.mark.django_db
CHAIR, RECORDER, SECRETARY = Signature.Role.CHAIR, Signature.Role.RECORDER, Signature.Role.SECRETARY


@pytest.fixture
def minutes(held: Held) -> MeetingDocument:
    return services.document_compose(actor=None, meeting=held.meeting, kind=MeetingDocument.Kind.MINUTES)


@pytest.fixture
def locked(held: Held, minutes: MeetingDocument) -> MeetingDocument:
    services.document_sign(actor=held.world.anhoa_secretary, document=minutes, role=CHAIR)
    services.document_sign(actor=held.world.anhoa_member, document=minutes, role=RECORDER)
    minutes.refresh_from_db()
    return minutes


def _edit(document: MeetingDocument, **changes: object) -> MeetingDocument:
    fields = {
        "number": document.number,
        "place": document.place,
        "issued_on": document.issued_on,
        "subtitle": document.subtitle,
        "sections": {},
    }
    return services.document_update(actor=None, document=document, **(fields | changes))


def test_the_minutes_lock_when_both_the_chair_and_the_recorder_have_signed(held: Held, minutes: MeetingDocument):
    w = held.world
    chair = services.document_sign(actor=w.anhoa_secretary, document=minutes, role=CHAIR)
    minutes.refresh_from_db()
    assert minutes.status == MeetingDocument.Status.SIGNED and minutes.locked_at is None
    assert (chair.member, chair.title, chair.signed_by, chair.on_paper) == (
        w.anhoa_secretary.member,
        "CHỦ TRÌ",
        w.anhoa_secretary,
        False,
    )
    held.meeting.refresh_from_db()
    assert held.meeting.minutes_locked_at is None
    services.document_sign(actor=w.anhoa_member, document=minutes, role=RECORDER)
    minutes.refresh_from_db()
    assert minutes.status == MeetingDocument.Status.LOCKED and minutes.locked_at is not None
    held.meeting.refresh_from_db()
    assert held.meeting.minutes_locked_at == minutes.locked_at


def test_only_the_member_named_chair_signs_as_chair(held: Held, minutes: MeetingDocument):
    w = held.world
    for outsider in (w.anhoa_member, w.ward_officer, w.admin):
        with pytest.raises(ChiboError, match="Chỉ đồng chí Trần Văn Bí Thư \\(chủ trì\\) mới ký được."):
            services.document_sign(actor=outsider, document=minutes, role=CHAIR)
    assert not Signature.objects.exists()
    minutes.refresh_from_db()
    assert minutes.status == MeetingDocument.Status.DRAFT


def test_signing_twice_or_for_a_role_the_document_has_not_is_refused(held: Held, minutes: MeetingDocument):
    w = held.world
    services.document_sign(actor=w.anhoa_secretary, document=minutes, role=CHAIR)
    with pytest.raises(ChiboError, match="rồi"):
        services.document_sign(actor=w.anhoa_secretary, document=minutes, role=CHAIR)
    with pytest.raises(ChiboError, match="không có chữ ký"):
        services.document_sign(actor=w.anhoa_secretary, document=minutes, role=SECRETARY)
    assert Signature.objects.count() == 1


def test_a_signer_without_an_account_is_recorded_as_signed_on_paper_by_whoever_runs_the_meetings(held: Held):
    w = held.world
    recorder = MemberFactory(org=w.anhoa, full_name="Mai Văn Giấy")
    meeting = held.meeting
    type(meeting).objects.filter(pk=meeting.pk).update(recorder=recorder)
    meeting.refresh_from_db()
    document = services.document_compose(actor=None, meeting=meeting, kind=MeetingDocument.Kind.MINUTES)
    with pytest.raises(ChiboError, match="Chỉ đồng chí Mai Văn Giấy"):
        services.document_sign(actor=w.anhoa_member, document=document, role=RECORDER)  # a plain member may not
    signature = services.document_sign(actor=w.anhoa_secretary, document=document, role=RECORDER)
    assert (signature.member, signature.signed_by, signature.on_paper) == (recorder, w.anhoa_secretary, True)


def test_the_resolution_is_signed_for_the_cell_by_its_secretary_and_locks(held: Held):
    w = held.world
    document = services.document_compose(actor=None, meeting=held.meeting, kind=MeetingDocument.Kind.RESOLUTION)
    with pytest.raises(ChiboError, match="Chỉ đồng chí Trần Văn Bí Thư \\(bí thư\\)"):
        services.document_sign(actor=w.anhoa_member, document=document, role=SECRETARY)
    signature = services.document_sign(actor=w.anhoa_secretary, document=document, role=SECRETARY)
    document.refresh_from_db()
    assert (signature.title, document.status) == ("BÍ THƯ", MeetingDocument.Status.LOCKED)


def test_a_resolution_of_a_cell_without_secretary_or_deputy_cannot_be_signed(world):
    meeting = hold(world, date(2021, 5, 5))
    Vote.objects.create(
        meeting=meeting, votes_for=2, votes_against=0, votes_abstain=0, voters_present=2,
        official_required=2, pass_rule="majority_of_voters", passed=True,
    )  # fmt: skip
    document = services.document_compose(actor=None, meeting=meeting, kind=MeetingDocument.Kind.RESOLUTION)
    with pytest.raises(ChiboError, match="chưa có bí thư hoặc phó bí thư"):
        services.document_sign(actor=world.anhoa_secretary, document=document, role=SECRETARY)


def test_a_signed_draft_is_not_edited_until_its_signer_takes_the_signature_back(held: Held, minutes: MeetingDocument):
    w = held.world
    services.document_sign(actor=w.anhoa_secretary, document=minutes, role=CHAIR)
    with pytest.raises(ChiboError, match="Biên bản đã có chữ ký, không sửa được"):
        _edit(minutes, place="Nơi khác")
    with pytest.raises(ChiboError, match="Chỉ người đã ký"):
        services.document_unsign(actor=w.anhoa_member, document=minutes, role=CHAIR)
    services.document_unsign(actor=w.anhoa_secretary, document=minutes, role=CHAIR)
    minutes.refresh_from_db()
    assert minutes.status == MeetingDocument.Status.DRAFT and not minutes.signatures.exists()
    _edit(minutes, place="Nơi khác")
    minutes.refresh_from_db()
    assert minutes.place == "Nơi khác"


def test_a_locked_document_refuses_edits_recomposing_and_unsigning_in_vietnamese(held: Held, locked: MeetingDocument):
    message = "Biên bản đã ký và khóa, không sửa được; hãy lập đính chính."
    with pytest.raises(ChiboError, match=message):
        _edit(locked, sections={"closing": "Viết lại lịch sử."})
    with pytest.raises(ChiboError, match=message):
        services.document_compose(actor=None, meeting=held.meeting, kind=MeetingDocument.Kind.MINUTES, replace=True)
    with pytest.raises(ChiboError, match=message):
        services.document_unsign(actor=held.world.anhoa_secretary, document=locked, role=CHAIR)
    locked.refresh_from_db()
    assert locked.section("closing").startswith("Cuộc họp kết thúc") and locked.status == MeetingDocument.Status.LOCKED


def test_an_amendment_changes_the_field_and_keeps_who_when_why_before_and_after(held: Held, locked: MeetingDocument):
    w = held.world
    before = locked.section("attendance")
    after = before.replace("Đi viện điều trị", "Đi công tác tỉnh")
    amendment = services.document_amend(
        actor=w.anhoa_secretary, document=locked, field="attendance", new_value=after, reason="Ghi nhầm lý do vắng."
    )
    locked.refresh_from_db()
    assert locked.section("attendance") == after and locked.status == MeetingDocument.Status.LOCKED
    assert (amendment.field, amendment.field_label, amendment.before, amendment.after) == (
        "attendance",
        "II. TÌNH HÌNH ĐẢNG VIÊN DỰ HỌP",
        before,
        after,
    )
    assert (amendment.author, amendment.reason) == (w.anhoa_secretary, "Ghi nhầm lý do vắng.")
    assert amendment.created_at is not None


def test_header_fields_are_amended_too_and_checked(held: Held, locked: MeetingDocument):
    actor = held.world.anhoa_secretary
    services.document_amend(actor=actor, document=locked, field="number", new_value="4", reason="Theo sổ văn bản.")
    services.document_amend(
        actor=actor, document=locked, field="issued_on", new_value="06/04/2021", reason="Ký hôm sau."
    )
    locked.refresh_from_db()
    assert (locked.number_display, locked.issued_on) == ("Số 04-BB/CB", date(2021, 4, 6))
    assert list(Amendment.objects.values_list("before", "after")) == [("01", "04"), ("05/04/2021", "06/04/2021")]
    with pytest.raises(ChiboError, match="dd/mm/yyyy"):
        services.document_amend(actor=actor, document=locked, field="issued_on", new_value="6 tháng 4", reason="x")
    with pytest.raises(ChiboError, match="không được đổi năm"):
        services.document_amend(actor=actor, document=locked, field="issued_on", new_value="06/01/2022", reason="x")


def test_an_amendment_needs_a_reason_a_change_and_a_locked_document(held: Held, minutes: MeetingDocument):
    actor = held.world.anhoa_secretary
    with pytest.raises(ChiboError, match="dự thảo thì sửa trực tiếp"):
        services.document_amend(actor=actor, document=minutes, field="place", new_value="X", reason="y")
    services.document_sign(actor=actor, document=minutes, role=CHAIR)
    services.document_sign(actor=held.world.anhoa_member, document=minutes, role=RECORDER)
    with pytest.raises(ChiboError, match="Ghi lý do") as refused:
        services.document_amend(actor=actor, document=minutes, field="place", new_value="X", reason="  ")
    assert refused.value.field == "reason"
    with pytest.raises(ChiboError, match="trùng"):
        services.document_amend(actor=actor, document=minutes, field="place", new_value="Bình Thạnh", reason="y")
    with pytest.raises(ChiboError, match="Chọn mục"):
        services.document_amend(actor=actor, document=minutes, field="status", new_value="draft", reason="y")
    assert not Amendment.objects.exists()


def test_a_clause_of_a_locked_resolution_is_amended_by_its_number(held: Held):
    actor = held.world.anhoa_secretary
    document = services.document_compose(actor=None, meeting=held.meeting, kind=MeetingDocument.Kind.RESOLUTION)
    services.document_sign(actor=actor, document=document, role=SECRETARY)
    services.document_amend(
        actor=actor, document=document, field="clause:2", new_value="Vận động 90% hộ dân.", reason="Sửa chỉ tiêu."
    )
    assert document.clauses.get(position=2).text == "Vận động 90% hộ dân."
    assert Amendment.objects.get().field_label == "Quyết nghị 2"


def test_a_signer_whose_account_is_inactive_is_signed_for_on_paper(held: Held):
    w = held.world
    User.objects.filter(pk=w.anhoa_member.pk).update(is_active=False)
    document = services.document_compose(actor=None, meeting=held.meeting, kind=MeetingDocument.Kind.MINUTES)
    signature = services.document_sign(actor=w.anhoa_secretary, document=document, role=RECORDER)
    assert signature.on_paper and signature.member == w.member_of_anhoa


def test_the_page_offers_to_sign_on_paper_for_a_signer_whose_account_is_inactive(held: Held, client):
    """The page and the service read one rule (documents.selectors.may_sign): an inactive account counts as none."""
    w = held.world
    document = services.document_compose(actor=None, meeting=held.meeting, kind=MeetingDocument.Kind.MINUTES)
    assert not may_sign(w.anhoa_secretary, document, RECORDER)
    User.objects.filter(pk=w.anhoa_member.pk).update(is_active=False)
    assert may_sign(w.anhoa_secretary, document, RECORDER)
    client.force_login(w.anhoa_secretary)
    page = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert f'value="{RECORDER}"' in page


def test_the_minutes_wait_on_the_recorders_home_page_until_signed(held: Held, minutes: MeetingDocument, client):
    w = held.world
    client.force_login(w.anhoa_member)  # the recorder of the meeting
    page = client.get("/").content.decode()
    assert 'id="to-sign"' in page and minutes.number_display in page and "(thư ký)" in page
    services.document_sign(actor=w.anhoa_member, document=minutes, role=RECORDER)
    assert 'id="to-sign"' not in client.get("/").content.decode()
    # The chair has not signed yet: it waits on theirs.
    client.force_login(w.anhoa_secretary)
    assert "(chủ trì)" in client.get("/").content.decode()


def test_the_secretary_sees_the_minutes_and_the_resolution_to_sign_once_each_in_one_list(
    held: Held, minutes: MeetingDocument, client
):
    w = held.world
    resolution = services.document_compose(actor=None, meeting=held.meeting, kind=MeetingDocument.Kind.RESOLUTION)
    client.force_login(w.anhoa_secretary)  # chairs the meeting and is the cell's secretary
    page = client.get("/").content.decode()
    assert page.count('id="to-sign"') == 1
    assert page.count(minutes.get_absolute_url()) == 1 and "(chủ trì)" in page
    assert page.count(resolution.get_absolute_url()) == 1 and "(T/M Chi bộ)" in page
    services.document_sign(actor=w.anhoa_secretary, document=resolution, role=SECRETARY)
    assert resolution.get_absolute_url() not in client.get("/").content.decode()
