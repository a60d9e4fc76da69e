from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import RedirectView

from roles.api.routes import api_urls
from roles.core import seo
from roles.core.http import read_only
from roles.editorial import admin_views as editorial_tools
from roles.publishing.cache import public_page
from roles.questionnaire import admin_views as questionnaire_tools
from roles.urls import SITEMAPS

admin.site.site_header = "Role Guides editing"
admin.site.site_title = "Role Guides editing"
admin.site.index_title = "Content"

urlpatterns = [
    path(
        f"{settings.ADMIN_URL}tools/markdown-preview/",
        editorial_tools.markdown_preview,
        name="markdown_preview",
    ),
    path(
        f"{settings.ADMIN_URL}tools/search/",
        editorial_tools.admin_search_view,
        name="admin_search",
    ),
    path(
        f"{settings.ADMIN_URL}tools/quiz-health/",
        questionnaire_tools.quiz_health,
        name="quiz_health",
    ),
    path(
        f"{settings.ADMIN_URL}tools/quiz-analytics/",
        questionnaire_tools.quiz_analytics,
        name="quiz_analytics",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path(
        "sitemap.xml",
        read_only(public_page(sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("api/v1/", api_urls()),
    path(
        "favicon.ico",
        read_only(
            RedirectView.as_view(
                url=settings.STATIC_URL + "favicon.svg", permanent=True
            )
        ),
    ),
    path("", include("roles.urls")),
]

handler400 = "roles.core.views.bad_request"
handler403 = "roles.core.views.permission_denied"
handler404 = "roles.core.views.page_not_found"
handler500 = "roles.core.views.server_error"
