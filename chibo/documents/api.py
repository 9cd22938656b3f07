"""A meeting's minutes and resolution as Word files over the API (C7, C17), scoped as the pages are: whoever
may see the meeting (Perm.ATTEND_MEETINGS on its cell) may download them; otherwise 404."""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router

from chibo.audit.models import AccessLog
from chibo.audit.services import record_access
from chibo.core.api_tools import ErrorOut
from chibo.documents import docx_builder, selectors
from chibo.documents.models import MeetingDocument
from chibo.meetings.selectors import get_meeting_for_user

router = Router(tags=["Biên bản, nghị quyết"])

_DOCX_RESPONSE = {
    "responses": {
        200: {
            "description": "Tệp Word (DOCX) theo thể thức văn bản của Đảng.",
            "content": {docx_builder.CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _docx(request: HttpRequest, meeting_id: int, kind: str) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_id)
    document = selectors.document_of(meeting, kind)
    if document is None:
        raise Http404
    filename = docx_builder.filename_for(document)
    record_access(user=request.user, action=AccessLog.Action.EXPORT, org=document.org, detail=filename)  # C19
    response = HttpResponse(
        docx_builder.document_docx(selectors.render(document)), content_type=docx_builder.CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get(
    "/{meeting_id}/minutes.docx",
    response={404: ErrorOut},
    openapi_extra=_DOCX_RESPONSE,
    summary="Biên bản của buổi họp (DOCX)",
)
def minutes_docx(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """404 when the meeting is outside the caller's scope or has no minutes yet."""
    return _docx(request, meeting_id, MeetingDocument.Kind.MINUTES)


@router.get(
    "/{meeting_id}/resolution.docx",
    response={404: ErrorOut},
    openapi_extra=_DOCX_RESPONSE,
    summary="Nghị quyết của buổi họp (DOCX)",
)
def resolution_docx(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """404 when the meeting is outside the caller's scope or has no resolution yet."""
    return _docx(request, meeting_id, MeetingDocument.Kind.RESOLUTION)
