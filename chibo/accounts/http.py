"""The request a signed-in page or API operation receives, typed once (issue 15).

Pages behind @login_required and API operations behind the bearer token (chibo.accounts.tokens) always have
a User; django-htmx's middleware sets `htmx` on every request. Annotate `request: AuthenticatedHttpRequest`
instead of asserting the user's type in each module or silencing the type checker.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from chibo.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
