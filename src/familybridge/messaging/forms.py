from django import forms

from familybridge.agencies.models import Agency
from familybridge.messaging.models import MESSAGE_CATEGORIES
from familybridge.people.models import Person


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
