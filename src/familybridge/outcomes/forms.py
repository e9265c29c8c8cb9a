from typing import Any

from django import forms
from django.db.models import QuerySet

from familybridge.agencies.models import Agency
from familybridge.outcomes.indicators import INDICATORS
from familybridge.web.filters import ListFilterForm


class TargetsForm(forms.Form):
    """One optional target per indicator, in the indicator's own unit."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for indicator in INDICATORS:
            label = f"{indicator.code} {indicator.name}"
            if indicator.code == "J2":
                label += " (children whose parent completed treatment)"
            self.fields[indicator.code] = forms.DecimalField(
                label=label,
                required=False,
                min_value=0,
                max_digits=10,
                decimal_places=2,
                help_text=f"{'At least' if indicator.higher_is_better else 'At most'}, {indicator.scale.unit.strip()}",
            )


class CohortFilterForm(ListFilterForm):
    """The drill-down's filters: counted in the numerator or not (where the record says), and who holds it."""

    counted = forms.ChoiceField(
        label="Counted in the numerator", choices=[("", "Counted or not"), ("yes", "Counted"), ("no", "Not counted")]
    )
    held_by = forms.ModelChoiceField(label="Held by", queryset=Agency.objects.none(), empty_label="Any agency")

    def __init__(self, data: Any, *, agencies: QuerySet[Agency], shows_counted: bool) -> None:
        super().__init__(data)
        self.fields["held_by"].queryset = agencies
        if not shows_counted:
            del self.fields["counted"]

    def clean_counted(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("counted") or "")
