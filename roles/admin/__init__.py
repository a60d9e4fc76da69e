"""The editors' admin, one module per area; importing registers the models."""

from roles.admin import comparison, content, questionnaire, workflow  # noqa: F401
