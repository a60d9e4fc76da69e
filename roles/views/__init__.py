from .compare import compare, compare_index
from .content import RoleDetailView, RoleListView, home
from .glossary import glossary
from .quiz import quiz, quiz_feedback, quiz_result, quiz_result_image
from .search import search

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
