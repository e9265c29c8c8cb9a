"""The filters of a list page, read from the address (`?status=received&since=2026-01-01`)."""

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ListFilterForm(forms.Form):
    """Every field optional; a value that does not fit is shown next to its field and that filter is left out,
    so an edited address never breaks the page. `since`/`until` fields, when a form has them, must be in order."""

    use_required_attribute = False

    def __init__(self, data: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        for field in self.fields.values():
            field.required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "Choose a day on or after the first day.")
        return cleaned

    @property
    def filters(self) -> dict[str, Any]:
        """The filters that apply: the fields given and valid."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", [])}
