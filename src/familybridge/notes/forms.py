"""The forms of a case note and a contact (added from the family page's menu), and the contact log's filters."""

from django import forms
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.cases.forms import FORM_BY_KIND, RecordFormMixin
from familybridge.cases.selectors import recordable_members
from familybridge.notes.models import CaseNote, ContactLogEntry, ContactType
from familybridge.notes.services import category_choices
from familybridge.people.models import Family, Person

CATEGORY_HINT = (
    "Who outside your agency may read it follows from its category: the consents, orders and agreements that name it."
)
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseNoteForm(RecordFormMixin, forms.ModelForm):
    class Meta:
        model = CaseNote
        fields = ["subject", "note_date", "category", "title", "narrative"]
        labels = {"subject": "About", "note_date": "Date", "narrative": "Note"}
        help_texts = {"category": CATEGORY_HINT}
        widgets = {"narrative": forms.Textarea(attrs={"rows": 8})}

    def limit_choices(self, user: User, family: Family, purpose: str) -> None:
        self.fields["subject"].queryset = recordable_members(user, family, purpose)
        self.fields["category"].choices = category_choices(user, counseling_notes=True)


class ChildSeenSelect(forms.NullBooleanSelect):
    """Yes or no for a visit in person; nothing to say for a call or a message."""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", "Not a visit in person"), ("true", "Yes"), ("false", "No")]


class ContactForm(RecordFormMixin, forms.ModelForm):
    participants = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Who took part",
        help_text="Members of the family you work with. Leave empty for an attempted or collateral contact.",
    )
    field_order = [
        "subject",
        "occurred_at",
        "contact_type",
        "participants",
        "location",
        "child_seen",
        "category",
        "narrative",
    ]

    class Meta:
        model = ContactLogEntry
        fields = ["subject", "occurred_at", "contact_type", "location", "child_seen", "category", "narrative"]
        labels = {
            "subject": "Filed under",
            "occurred_at": "Date and time",
            "child_seen": "Was the child seen?",
            "narrative": "What happened",
        }
        help_texts = {
            "subject": "The member whose records the contact is filed with: the child, for a caseworker visit.",
            "child_seen": "Asked of home and office visits: they count toward caseworker visit measures.",
            "category": CATEGORY_HINT,
        }
        widgets = {
            "occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "child_seen": ChildSeenSelect,
            "narrative": forms.Textarea(attrs={"rows": 6}),
        }

    def limit_choices(self, user: User, family: Family, purpose: str) -> None:
        members = recordable_members(user, family, purpose)
        self.fields["subject"].queryset = members
        self.fields["participants"].queryset = members
        self.fields["category"].choices = category_choices(user)
        self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))


# The family page's record views find each kind's form here, as they find the kind in the registry.
FORM_BY_KIND.update({"case-note": CaseNoteForm, "contact": ContactForm})


class ContactLogFilterForm(forms.Form):
    """The contact log's filters: type, a range of days, and who wrote it (among the writers the user may see)."""

    contact_type = forms.ChoiceField(label="Type", required=False, choices=[("", "All types"), *ContactType.choices])
    since = forms.DateField(label="From", required=False, widget=DATE_INPUT)
    until = forms.DateField(label="To", required=False, widget=DATE_INPUT)
    author = forms.ModelChoiceField(
        label="Written by", queryset=User.objects.none(), required=False, empty_label="Anyone"
    )

    def __init__(self, *args, authors, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = authors

    def clean(self) -> dict:
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The last day cannot be before the first.")
        return cleaned
