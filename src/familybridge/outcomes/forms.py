from django import forms

from familybridge.outcomes.indicators import INDICATORS


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
