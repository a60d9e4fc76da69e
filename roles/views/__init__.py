from roles.views.compare import compare, compare_index
from roles.views.content import RoleDetailView, RoleListView, home
from roles.views.glossary import glossary
from roles.views.quiz import quiz, quiz_feedback, quiz_result, quiz_result_image
from roles.views.search import search

__all__ = [
    "RoleDetailView",
    "RoleListView",
    "compare",
    "compare_index",
    "glossary",
    "home",
    "quiz",
    "quiz_feedback",
    "quiz_result",
    "quiz_result_image",
    "search",
]
