from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from chibo.accounts.views import home
from chibo.api import api
from chibo.core.views import healthz

# Namespace "core": the site's own pages. The home page's view lives in accounts (it reads the person's
# roles; core draws the apps' sections and imports no app).
core_urls = ([path("", home, name="home"), path("healthz", healthz, name="healthz")], "core")

urlpatterns = [
    path("", include(core_urls)),
    path("accounts/", include("chibo.accounts.urls")),
    path("orgs/", include("chibo.organizations.urls")),
    path("members/", include("chibo.members.urls")),
    path("meetings/", include("chibo.meetings.urls")),
    path("documents/", include("chibo.documents.urls")),
    path("rules/", include("chibo.rules.urls")),
    path("calendar/", include("chibo.scheduling.urls")),
    path("notices/", include("chibo.notices.urls")),
    path("tasks/", include("chibo.tasks.urls")),
    path("criticism/", include("chibo.criticism.urls")),
    path("commitments/", include("chibo.commitments.urls")),
    path("quality/", include("chibo.quality.urls")),
    path("reviews/", include("chibo.reviews.urls")),
    path("dashboards/", include("chibo.dashboards.urls")),
    path("supervision/", include("chibo.supervision.urls")),
    path("directives/", include("chibo.directives.urls")),
    path("households/", include("chibo.households.urls")),
    path("", include("chibo.audit.urls")),  # audit/…, privacy/…
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
if settings.CHIBO_BENCH_FLOOR:  # bench/run.py's yardsticks (chibo.operations.bench_floor); never in production
    from chibo.operations.bench_floor import floor

    urlpatterns.append(path("_bench/", include([path("floor/<str:case>", floor)])))
