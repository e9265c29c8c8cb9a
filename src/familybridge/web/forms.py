from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.db.models import QuerySet
from django_otp import match_token

from familybridge.agencies.models import Agency, User
from familybridge.agencies.roles import ROLES_BY_AGENCY_KIND
from familybridge.web import otp

# Django's validators (settings.AUTH_PASSWORD_VALIDATORS), said in one sentence instead of Django's list.
NEW_PASSWORD_HINT = "At least 12 characters, not a common password, not only digits, and not like your name."  # noqa: S105


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


class ResetSecondFactorForm(OneTimePasswordForm):
    """The code of the account's own authenticator, checked before a new password is taken: a reset link
    alone, from a mailbox someone else may read, does not change a password."""

    def __init__(self, user: User, *args, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        if match_token(self.user, token) is None:
            raise forms.ValidationError("That code is not right, or has expired. Try the current one.")
        return token


class NewPasswordForm(SetPasswordForm):
    error_messages = {
        **SetPasswordForm.error_messages,
        "password_mismatch": "The two new passwords are not the same. Type the new password twice.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = NEW_PASSWORD_HINT
        self.fields["new_password2"].label = "New password again"


class ChangePasswordForm(PasswordChangeForm, NewPasswordForm):
    error_messages = {
        **NewPasswordForm.error_messages,
        "password_incorrect": "That is not your current password. Type it again.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"


class ResetRequestForm(PasswordResetForm):
    """Django's reset request, except that an account without a confirmed authenticator is told to ask its
    administrator instead of getting a link: its second factor could not be checked."""

    email = forms.EmailField(
        label="Your work email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.emailed: list[tuple[User, str]] = []

    def send_mail(self, subject_template_name: str, email_template_name: str, context: dict, *args, **kwargs) -> None:
        user = context["user"]
        if otp.has_confirmed_device(user):
            self.emailed.append((user, "reset link"))
        else:
            self.emailed.append((user, "ask your administrator"))
            email_template_name = "web/password_reset_no_authenticator_email.txt"
            context = {name: value for name, value in context.items() if name not in ("uid", "token")}
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


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



class SuccessorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        roles = ", ".join(role.get_role_display() for role in user.staff_roles.all())
        return f"{user} ({roles})"


class DeactivateForm(forms.Form):
    """The confirmation of a deactivation; with a caseload, the colleague who takes it over and from when."""

    def __init__(self, *args, colleagues: QuerySet[User] | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if colleagues is None:
            return
        self.fields["colleague"] = SuccessorChoiceField(
            queryset=colleagues,
            label="Colleague who takes over the caseload",
            empty_label="Choose a colleague",
            help_text="Only active colleagues whose roles can take this caseload are listed.",
        )
        self.fields["effective"] = forms.DateField(
            label="Hand-over date",
            widget=forms.DateInput(attrs={"type": "date"}),
            help_text="The day the colleague takes the caseload over: today, or the day the staff member left.",
        )
