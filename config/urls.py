from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import RedirectView

from roles import admin_views, seo
from roles.api import api_urls
from roles.caching import public_page

admin.site.site_header = "Role Guides editing"
admin.site.site_title = "Role Guides editing"
admin.site.index_title = "Content"

urlpatterns = [
    path(
        f"{settings.ADMIN_URL}tools/markdown-preview/",
        admin_views.markdown_preview,
        name="markdown_preview",
    ),
    path(
        f"{settings.ADMIN_URL}tools/quiz-health/",
        admin_views.quiz_health,
        name="quiz_health",
    ),
    path(
        f"{settings.ADMIN_URL}tools/quiz-analytics/",
        admin_views.quiz_analytics,
        name="quiz_analytics",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path(
        "sitemap.xml",
        public_page(sitemap),
        {"sitemaps": seo.SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("api/v1/", api_urls()),
    path(
        "favicon.ico",
        RedirectView.as_view(url=settings.STATIC_URL + "favicon.svg", permanent=True),
    ),
    path("", include("roles.urls")),
]

if settings.BENCH_FLOOR:
    # make bench's floor: the cheapest Django view, behind the same middleware.
    from django.http import HttpResponse

    def _floor(request):
        return HttpResponse("ok", content_type="text/plain")

    urlpatterns.append(path("bench/floor/", _floor))
