from django.urls import path, register_converter

from roles import views
from roles.caching import public_page
from roles.converters import RoleSetConverter

register_converter(RoleSetConverter, "roles")

app_name = "roles"

urlpatterns = [
    path("", views.home, name="home"),
    path("roles/", public_page(views.RoleListView.as_view()), name="role_list"),
    path(
        "roles/<slug:slug>/",
        public_page(views.RoleDetailView.as_view()),
        name="role_detail",
    ),
    path("compare/", views.compare_index, name="compare_index"),
    path("compare/<roles:slugs>/", views.compare, name="compare"),
    path("glossary/", views.glossary, name="glossary"),
    path("search/", views.search, name="search"),
    path("quiz/", views.quiz, name="quiz"),
    path("quiz/results/<uuid:pk>/", views.quiz_result, name="quiz_result"),
    path("quiz/results/<uuid:pk>/feedback/", views.quiz_feedback, name="quiz_feedback"),
    path(
        "quiz/results/<uuid:pk>/card.png",
        views.quiz_result_image,
        name="quiz_result_image",
    ),
]
