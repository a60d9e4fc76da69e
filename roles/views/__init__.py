from .compare import compare, compare_index
from .content import RoleDetailView, RoleListView, home
from .quiz import quiz, quiz_feedback, quiz_result, quiz_result_image

__all__ = [
    "RoleDetailView",
    "RoleListView",
    "compare",
    "compare_index",
    "home",
    "quiz",
    "quiz_feedback",
    "quiz_result",
    "quiz_result_image",
]
