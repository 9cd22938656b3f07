"""The document pages and the API (C7): thin views over the services, scoped through chibo.accounts.scope."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from chibo.accounts.tokens import token_issue
from chibo.audit.models import AccessLog
from chibo.documents import services
from chibo.documents.models import Amendment, MeetingDocument, Signature
from chibo.documents.tests.conftest import APRIL, Held, docx_text, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def minutes(held: Held) -> MeetingDocument:
    return services.document_compose(actor=None, meeting=held.meeting, kind=MeetingDocument.Kind.MINUTES)


def _lock(held: Held, document: MeetingDocument) -> None:
    services.document_sign(actor=held.world.anhoa_secretary, document=document, role="chair")
    services.document_sign(actor=held.world.anhoa_member, document=document, role="recorder")


def test_the_secretary_composes_the_minutes_from_the_meeting_page(held: Held, client):
    client.force_login(held.world.anhoa_secretary)
    page = client.get(reverse("documents:meeting", args=[held.meeting.pk]))
    assert page.status_code == 200 and "Lập dự thảo" in page.content.decode()
    response = client.post(reverse("documents:compose", args=[held.meeting.pk, "minutes"]))
    document = MeetingDocument.objects.get(meeting=held.meeting, kind="minutes")
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert document.created_by == held.world.anhoa_secretary


def test_composing_for_a_meeting_still_planned_shows_the_refusal(world, client):
    meeting = plan(world.anhoa, APRIL)
    client.force_login(world.anhoa_secretary)
    response = client.post(reverse("documents:compose", args=[meeting.pk, "minutes"]), follow=True)
    assert "chưa bế mạc" in response.content.decode()
    assert not MeetingDocument.objects.exists()


def test_a_member_reads_the_draft_but_may_neither_compose_nor_edit_it(held: Held, minutes: MeetingDocument, client):
    client.force_login(held.world.anhoa_member)
    page = client.get(minutes.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200 and "DỰ THẢO" in body and "Lê Văn Ốm" in body and "Sửa dự thảo" not in body
    assert client.get(reverse("documents:edit", args=[minutes.pk])).status_code == 403
    assert client.post(reverse("documents:compose", args=[held.meeting.pk, "resolution"])).status_code == 403
    assert not MeetingDocument.objects.filter(kind="resolution").exists()


def test_someone_outside_the_cell_gets_404_everywhere(held: Held, minutes: MeetingDocument, client):
    client.force_login(held.world.other_cell_secretary)
    for url in (
        minutes.get_absolute_url(),
        reverse("documents:docx", args=[minutes.pk]),
        reverse("documents:print", args=[minutes.pk]),
        reverse("documents:meeting", args=[held.meeting.pk]),
        reverse("documents:book", args=[held.world.anhoa.pk, 2021]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_draft_is_edited_through_its_form(held: Held, minutes: MeetingDocument, client):
    client.force_login(held.world.anhoa_secretary)
    url = reverse("documents:edit", args=[minutes.pk])
    form = client.get(url)
    assert form.status_code == 200 and "Lê Văn Ốm" in form.content.decode()  # prefilled with the composed text
    data = {
        "number": "3",
        "place": "Bình Thạnh",
        "issued_on": "05/04/2021",
        "subtitle": "họp chi bộ tháng 4 năm 2021",
        **{f"section_{k}": v for k, v in minutes.sections.items()},
        "section_closing": "Cuộc họp kết thúc lúc 21 giờ 10 phút.",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert (minutes.number, minutes.section("closing")) == (3, "Cuộc họp kết thúc lúc 21 giờ 10 phút.")
    refused = client.post(url, data | {"issued_on": "04/04/2021"})
    assert refused.status_code == 400 and "không được trước ngày họp" in refused.content.decode()


def test_the_chair_and_the_recorder_sign_from_the_page_and_the_minutes_lock(
    held: Held, minutes: MeetingDocument, client
):
    url = reverse("documents:sign", args=[minutes.pk])
    client.force_login(held.world.anhoa_member)
    assert "Ký với tư cách thư ký" in client.get(minutes.get_absolute_url()).content.decode()
    refused = client.post(url, {"role": "chair"}, follow=True)
    assert "Chỉ đồng chí Trần Văn Bí Thư (chủ trì) mới ký được." in refused.content.decode()
    client.post(url, {"role": "recorder"})
    client.force_login(held.world.anhoa_secretary)
    signed = client.post(url, {"role": "chair"}, follow=True)
    assert "Đã ký; văn bản đã khóa." in signed.content.decode()
    minutes.refresh_from_db()
    assert minutes.status == MeetingDocument.Status.LOCKED
    assert set(Signature.objects.values_list("role", "signed_by__username")) == {
        ("recorder", "anhoa_member"),
        ("chair", "anhoa_secretary"),
    }


def test_editing_a_locked_document_is_refused_with_a_vietnamese_message(held: Held, minutes: MeetingDocument, client):
    _lock(held, minutes)
    client.force_login(held.world.anhoa_secretary)
    response = client.get(reverse("documents:edit", args=[minutes.pk]), follow=True)
    assert "Biên bản đã ký và khóa, không sửa được; hãy lập đính chính." in response.content.decode()


def test_an_amendment_is_made_from_its_form_and_shown_on_the_document(held: Held, minutes: MeetingDocument, client):
    _lock(held, minutes)
    client.force_login(held.world.anhoa_secretary)
    url = reverse("documents:amend", args=[minutes.pk])
    form = client.get(url, {"field": "place"})
    assert form.status_code == 200 and "Bình Thạnh</textarea>" in form.content.decode()  # the current text
    missing = client.post(url, {"field": "place", "new_value": "Long Mỹ", "reason": ""})
    assert missing.status_code == 400 and not Amendment.objects.exists()
    done = client.post(url, {"field": "place", "new_value": "Long Mỹ", "reason": "Ghi nhầm địa danh."})
    assert done.status_code == 302
    page = client.get(minutes.get_absolute_url()).content.decode()
    assert (
        "ĐÍNH CHÍNH SAU KHI KÝ" in page and "Ghi nhầm địa danh." in page and "Long Mỹ, ngày 05 tháng 4 năm 2021" in page
    )
    client.force_login(held.world.anhoa_member)
    assert client.get(url).status_code == 403


def test_the_printable_page_is_the_document_alone(held: Held, minutes: MeetingDocument, client):
    client.force_login(held.world.supervisor)
    body = client.get(reverse("documents:print", args=[minutes.pk])).content.decode()
    assert "@page" in body and "ĐẢNG CỘNG SẢN VIỆT NAM" in body and "Số 01-BB/CB" in body
    assert 'class="topbar"' not in body


def test_the_book_page_lists_the_year_s_minutes(held: Held, minutes: MeetingDocument, client):
    client.force_login(held.world.viewer)
    body = client.get(reverse("documents:book", args=[held.world.anhoa.pk, 2021])).content.decode()
    assert "Số 01-BB/CB" in body and "họp chi bộ tháng 4 năm 2021" in body
    assert client.get(reverse("documents:book", args=[held.world.ward.pk, 2021])).status_code == 404  # not a cell


# --- API -----------------------------------------------------------------------------------------------


def _api(client, user, path):  # type: ignore[no-untyped-def]
    token = token_issue(user=user)[1]
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def test_the_api_returns_the_minutes_and_the_resolution_as_word_files(held: Held, minutes: MeetingDocument, client):
    services.document_compose(actor=None, meeting=held.meeting, kind=MeetingDocument.Kind.RESOLUTION)
    base = f"/api/v1/meetings/{held.meeting.pk}"
    response = _api(client, held.world.anhoa_member, f"{base}/minutes.docx")
    assert response.status_code == 200
    assert "- Đồng chí Lê Văn Ốm: Đi viện điều trị." in docx_text(response.content)
    resolution = _api(client, held.world.supervisor, f"{base}/resolution.docx")
    assert "CHI BỘ QUYẾT NGHỊ:" in [p.text for p in Document(BytesIO(resolution.content)).paragraphs]
    assert resolution["Content-Disposition"] == 'attachment; filename="nghi-quyet-01-NQ-CB-2021.docx"'
    logged = AccessLog.objects.filter(action=AccessLog.Action.EXPORT, org=held.world.anhoa)
    assert set(logged.values_list("user__username", "detail")) == {
        ("anhoa_member", "bien-ban-01-BB-CB-2021.docx"),
        ("supervisor", "nghi-quyet-01-NQ-CB-2021.docx"),
    }


def test_the_api_answers_404_outside_scope_and_before_the_document_exists(held: Held, client):
    base = f"/api/v1/meetings/{held.meeting.pk}"
    assert _api(client, held.world.anhoa_member, f"{base}/minutes.docx").status_code == 404  # not composed yet
    services.document_compose(actor=None, meeting=held.meeting, kind=MeetingDocument.Kind.MINUTES)
    outside = _api(client, held.world.outsider, f"{base}/minutes.docx")
    assert outside.status_code == 404 and outside.json() == {"detail": "Không tìm thấy."}
    assert client.get(f"{base}/minutes.docx").status_code == 401
