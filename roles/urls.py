"""The public site's addresses, and the sitemap's sections."""

from django.urls import path, re_path, register_converter

from roles.catalogue import glossary_views
from roles.catalogue import views as catalogue
from roles.catalogue.sitemaps import PageSitemap, RoleSitemap
from roles.comparisons import views as comparisons
from roles.comparisons.converters import RoleSetConverter
from roles.comparisons.sitemaps import ComparisonSitemap, RolePairSitemap
from roles.core.http import read_only
from roles.publishing.cache import public_page
from roles.questionnaire import views as questionnaire
from roles.search import views as search

register_converter(RoleSetConverter, "roles")

app_name = "roles"

SITEMAPS = {
    "pages": PageSitemap,
    "roles": RoleSitemap,
    "comparisons": ComparisonSitemap,
    "role-pairs": RolePairSitemap,
}

urlpatterns = [
    path("", catalogue.home, name="home"),
    path(
        "roles/",
        read_only(public_page(catalogue.RoleListView.as_view())),
        name="role_list",
    ),
    path(
        "roles/<slug:slug>/",
        read_only(public_page(catalogue.RoleDetailView.as_view())),
        name="role_detail",
    ),
    path("compare/", comparisons.compare_index, name="compare_index"),
    path("compare/<roles:slugs>/", comparisons.compare, name="compare"),
    path("glossary/", glossary_views.glossary, name="glossary"),
    path("search/", search.search, name="search"),
    path("quiz/", questionnaire.quiz_start, name="quiz"),
    path("quiz/start/", questionnaire.quiz_begin, name="quiz_begin"),
    # Any text, not only a slug: a made-up address gets the quiz's own 404.
    path("quiz/q/<str:key>/", questionnaire.quiz_step, name="quiz_step"),
    path("quiz/all/", questionnaire.quiz, name="quiz_all"),
    path("quiz/how-scoring-works/", questionnaire.quiz_scoring, name="quiz_scoring"),
    path("quiz/results/<uuid:pk>/", questionnaire.quiz_result, name="quiz_result"),
    # A result's address with capitals in its id (retyped, or changed by a
    # tool): redirected to the one address (Django's uuid takes lower case).
    re_path(
        r"^quiz/results/(?P<pk>[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})/$",
        questionnaire.quiz_result_any_case,
        name="quiz_result_any_case",
    ),
    path(
        "quiz/results/<uuid:pk>/feedback/",
        questionnaire.quiz_feedback,
        name="quiz_feedback",
    ),
    path(
        "quiz/results/<uuid:pk>/continue/",
        questionnaire.quiz_continue,
        name="quiz_continue",
    ),
    path(
        "quiz/results/<uuid:pk>/card.png",
        questionnaire.quiz_result_image,
        name="quiz_result_image",
    ),
]
