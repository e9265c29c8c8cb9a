from typing import Any

from django import forms
from django.db.models import QuerySet

from familybridge.agencies.models import Agency
from familybridge.messaging.models import MESSAGE_CATEGORIES, NotificationKind
from familybridge.messaging.selectors import REPORT_STATUS_LABELS
from familybridge.people.models import Person
from familybridge.web.filters import DateInput, ListFilterForm


class MessageForm(forms.Form):
    about = forms.ModelChoiceField(queryset=Person.objects.none(), label="About")
    category = forms.ChoiceField(
        choices=MESSAGE_CATEGORIES,
        label="What kind of information it holds",
        help_text="The category decides who can read it: partners see it only where consent, a court order or "
        "an agreement covers that category.",
    )
    recipient_agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple, label="To"
    )
    subject_line = forms.CharField(max_length=200, label="Subject")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Message")

    def __init__(self, *args, people, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["about"].queryset = people
        self.fields["recipient_agencies"].queryset = agencies


class InboxFilterForm(ListFilterForm):
    since = forms.DateField(label="Sent on or after", widget=DateInput())
    until = forms.DateField(label="Sent on or before", widget=DateInput())
    from_agency = forms.ModelChoiceField(label="From", queryset=Agency.objects.none(), empty_label="Any agency")

    def __init__(self, data: Any, *, agencies: QuerySet[Agency]) -> None:
        super().__init__(data)
        self.fields["from_agency"].queryset = agencies


class NotificationFilterForm(ListFilterForm):
    unread_only = forms.BooleanField(label="Only unread")
    kind = forms.ChoiceField(label="Kind", choices=[("", "Any kind"), *NotificationKind.choices])


class ReportFilterForm(ListFilterForm):
    status = forms.ChoiceField(label="Status", choices=[("", "Any status"), *REPORT_STATUS_LABELS.items()])
    since = forms.DateField(label="Due on or after", widget=DateInput())
    until = forms.DateField(label="Due on or before", widget=DateInput())
    owed_by = forms.ModelChoiceField(label="Owed by", queryset=Agency.objects.none(), empty_label="Any agency")

    def __init__(self, data: Any, *, agencies: QuerySet[Agency]) -> None:
        super().__init__(data)
        self.fields["owed_by"].queryset = agencies

    def clean_owed_by(self) -> int | None:
        agency = self.cleaned_data.get("owed_by")
        return agency.pk if agency else None


class ReportDraftForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}),
        label="Report text",
        help_text="Recipients read exactly this text. It is saved as a draft; nothing is sent until you confirm.",
    )


class SendReportForm(forms.Form):
    """Sending asks for nothing more: the confirmation page says what is sent and to whom."""
