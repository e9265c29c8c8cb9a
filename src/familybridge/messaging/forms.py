from typing import Any

from django import forms
from django.db.models import QuerySet

from familybridge.agencies.models import Agency, User
from familybridge.messaging.models import NotificationKind
from familybridge.messaging.selectors import REPORT_STATUS_LABELS, default_category, message_categories
from familybridge.people.models import Person
from familybridge.web.filters import DateInput, ListFilterForm


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        title = f", {obj.job_title}" if obj.job_title else ""
        return f"{obj}{title} ({obj.agency.name})"


class MessageForm(forms.Form):
    """A new message, or (`reply=True`) a reply, whose person is the thread's. The category's choices and
    default follow the sender's agency (`selectors.message_categories`, `selectors.default_category`).
    Attachments (documents of the family) are one more field here, passed to `send_message` like the others."""

    about = forms.ModelChoiceField(queryset=Person.objects.none(), label="About")
    category = forms.ChoiceField(
        label="What kind of information it holds",
        help_text="The category decides who can read it: partners see it only where consent, a court order or "
        "an agreement covers that category. Before it is sent you see who will be able to read it.",
    )
    recipient_agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="To partner agencies",
        help_text="Their staff who work this family.",
        required=False,
    )
    recipient_staff = StaffChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="To named staff",
        help_text="Staff of partner agencies who work this family.",
        required=False,
    )
    subject_line = forms.CharField(max_length=200, label="Subject")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Message")

    def __init__(
        self,
        data: Any = None,
        *,
        sender: User,
        people: QuerySet[Person] | None = None,
        agencies: QuerySet[Agency],
        staff: QuerySet[User],
        initial: dict | None = None,
    ) -> None:
        super().__init__(data, initial={"category": default_category(sender), **(initial or {})})
        if people is None:
            del self.fields["about"]
        else:
            self.fields["about"].queryset = people
        self.fields["category"].choices = message_categories(sender)
        self.fields["recipient_agencies"].queryset = agencies
        self.fields["recipient_staff"].queryset = staff
        if not staff.exists():
            del self.fields["recipient_staff"]


class SentFilterForm(ListFilterForm):
    since = forms.DateField(label="Sent on or after", widget=DateInput())
    until = forms.DateField(label="Sent on or before", widget=DateInput())


class InboxFilterForm(SentFilterForm):
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
