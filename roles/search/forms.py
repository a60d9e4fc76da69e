"""The search box on /search/, drawn by crispy through the site's pack."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout
from django import forms

from roles.core.crispy import Control, SubmitButton
from roles.search.selectors import MAX_QUERY

HINT = (
    "For example a title (“Product Owner”), an abbreviation (“PO”, “RTE”) or "
    "something a role does (“backlog”)."
)


class SearchForm(forms.Form):
    """A GET form (no CSRF token). The view reads ``q`` through
    ``selectors.clean_query`` and shows the cleaned query back as the initial
    value, so the form only draws the box. It is not a search landmark: the
    header's form is the page's one (axe's landmark-unique)."""

    q = forms.CharField(
        label="Role, job title, term or comparison",
        required=False,
        max_length=MAX_QUERY,
        widget=forms.SearchInput(attrs={"aria-describedby": "search-hint"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "search-%s")  # the box is #search-q
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = "roles:search"
        self.helper.form_class = "search-form"
        self.helper.layout = Layout(
            Control("q"),
            SubmitButton("Search", css_class=""),
            HTML(f'<p id="search-hint" class="muted">{HINT}</p>'),
        )
