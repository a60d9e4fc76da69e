"""The editors' admin lives with each domain; importing them here registers
the models when Django's admin autodiscovers ``roles.admin``."""

from roles.catalogue import admin as catalogue_admin
from roles.comparisons import admin as comparisons_admin
from roles.editorial import admin as editorial_admin
from roles.questionnaire import admin as questionnaire_admin

__all__ = [
    "catalogue_admin",
    "comparisons_admin",
    "editorial_admin",
    "questionnaire_admin",
]
