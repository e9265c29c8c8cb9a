from typing import Any

from django import forms
from django.db.models import QuerySet

from familybridge.agencies.models import Agency, User
from familybridge.referrals.models import ReferralStatus
from familybridge.referrals.selectors import UNASSIGNED
from familybridge.web.filters import DateInput, ListFilterForm


class ReferralForm(forms.Form):
    """Refer a parent to a treatment program: whom, where, when and why."""

    provider = forms.ChoiceField(label="Treatment provider")
    referral_date = forms.DateField(label="Date of referral", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="Reason for referral", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, providers, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Choose a provider")] + [(str(p.pk), p.name) for p in providers]
        if people is not None:
            self.fields = {
                "subject": forms.ChoiceField(label="Who is referred", choices=[(str(p.pk), str(p)) for p in people]),
                **self.fields,
            }


class StepForm(forms.Form):
    status = forms.ChoiceField(label="Next step", choices=ReferralStatus.choices)
    scheduled_for = forms.DateField(
        label="Assessment date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When you schedule the assessment.",
    )
    level_of_care = forms.CharField(
        label="ASAM level of care", required=False, max_length=8, help_text="When you admit, such as 1, 2.1 or 3.5."
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=300,
        help_text="Required when you decline: the reason, so the referrer can act on it.",
    )

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, ReferralStatus(s).label) for s in allowed]


class CloseFollowUpForm(forms.Form):
    """The referrer closes the follow-up of a declined or not-engaged referral: why no other referral is needed."""

    note = forms.CharField(
        label="Why no other referral is needed",
        max_length=300,
        help_text="For example: the parent entered treatment elsewhere, or the case closed.",
    )


class WorklistFilterForm(ListFilterForm):
    """The referral list's filters: status, the referral date, the referring agency, and who works it."""

    status = forms.ChoiceField(label="Status", choices=[("", "Any status"), *ReferralStatus.choices])
    since = forms.DateField(label="Referred on or after", widget=DateInput())
    until = forms.DateField(label="Referred on or before", widget=DateInput())
    referring_agency = forms.ModelChoiceField(
        label="Referred by", queryset=Agency.objects.none(), empty_label="Any agency"
    )
    worker = forms.ChoiceField(label="Worked by")

    def __init__(self, data: Any, *, agencies: QuerySet[Agency], workers: QuerySet[User]) -> None:
        super().__init__(data)
        self.fields["referring_agency"].queryset = agencies
        self.workers = {str(worker.pk): worker for worker in workers}
        self.fields["worker"].choices = [
            ("", "Anyone or no one"),
            (UNASSIGNED, "Not assigned yet"),
            *((pk, str(worker)) for pk, worker in self.workers.items()),
        ]

    def clean_worker(self) -> User | str | None:
        chosen = self.cleaned_data.get("worker")
        return self.workers.get(chosen) or (UNASSIGNED if chosen == UNASSIGNED else None)
