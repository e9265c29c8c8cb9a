from django import forms
from django.contrib.auth.forms import AuthenticationForm

from familybridge.agencies.models import Agency
from familybridge.agencies.roles import ROLES_BY_AGENCY_KIND


class AgencyRolesField(forms.MultipleChoiceField):
    """The roles that fit the agency's kind, and only those."""

    def __init__(self, agency: Agency, **kwargs) -> None:
        choices = [(role.value, role.label) for role in ROLES_BY_AGENCY_KIND.get(agency.kind, ())]
        hint = f"Only the roles that fit this kind of agency ({agency.get_kind_display()}) are offered."
        super().__init__(choices=choices, widget=forms.CheckboxSelectMultiple, help_text=hint, **kwargs)


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True})
    )
    password = forms.CharField(strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class OneTimePasswordForm(forms.Form):
    token = forms.CharField(
        label="Six-digit code from your authenticator app",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class StaffForm(forms.Form):
    username = forms.CharField(max_length=150)
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    job_title = forms.CharField(max_length=120, required=False)
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters, not a common password. The staff member should change it.",
    )

    def __init__(self, *args, agency: Agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"] = AgencyRolesField(agency)


class RolesForm(forms.Form):
    def __init__(self, *args, agency: Agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"] = AgencyRolesField(agency)

