"""The versioned REST API (C17): /api/v1/, its OpenAPI document at /api/v1/openapi.json, docs at /api/v1/docs.

Each app keeps its operations in `chibo/<app>/api.py` as a ninja `Router` named `router` and adds it below
with one line. Every operation needs a bearer token (`auth=None` opts out, as sign-in does), reads scope
only through chibo.accounts.scope (outside scope is 404), and is listed in its app's tests/scope_cases.py,
or the scope matrix (chibo/core/tests/test_scope_matrix.py) fails. Shared pieces (pagination, date
parameters, error shapes) are in chibo/core/api_tools.py; the bearer-token auth in chibo/accounts/tokens.py.
"""

from ninja import NinjaAPI

from chibo.accounts.tokens import TokenAuth
from chibo.core.api_tools import Utf8JSONRenderer, install_error_handlers

api = NinjaAPI(
    title="Chi bộ số API",
    version="1",
    description=(
        "API của Chi bộ số cho ứng dụng di động và hệ thống đối tác. Lấy mã truy cập bằng "
        "`POST /api/v1/auth/token`, rồi gửi `Authorization: Bearer <mã>` với mọi yêu cầu. "
        "Mỗi tài khoản chỉ thấy dữ liệu trong phạm vi được phân quyền; ngoài phạm vi trả về 404."
    ),
    urls_namespace="api-v1",
    auth=TokenAuth(),
    renderer=Utf8JSONRenderer(),
)
install_error_handlers(api)

api.add_router("/auth", "chibo.accounts.api.router")
api.add_router("/orgs", "chibo.organizations.api.router")
api.add_router("/members", "chibo.members.api.router")
api.add_router("/rules", "chibo.rules.api.router")
api.add_router("/calendar", "chibo.scheduling.api.router")
api.add_router("/notices", "chibo.notices.api.router")
api.add_router("/meetings", "chibo.meetings.api.router")
# A meeting's minutes and resolution files, under /meetings/{id}/ beside the meetings' own operations.
api.add_router("/meetings", "chibo.documents.api.router")
api.add_router("/tasks", "chibo.tasks.api.router")
# A meeting's quality score (C14), under /meetings/{id}/ beside the meetings' own operations.
api.add_router("/meetings", "chibo.quality.api.router")
# A member's record (C9), under /members/{id}/ beside the members' own operations.
api.add_router("/members", "chibo.tasks.api.record_router")
api.add_router("/criticism", "chibo.criticism.api.router")
api.add_router("/commitments", "chibo.commitments.api.router")
api.add_router("/reviews", "chibo.reviews.api.router")
api.add_router("/supervision", "chibo.supervision.api.router")
api.add_router("/directives", "chibo.directives.api.router")
api.add_router("/households", "chibo.households.api.router")
