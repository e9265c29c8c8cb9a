"""The upload form of a family's documents."""

from django import forms

from familybridge.agencies.models import User
from familybridge.cases.selectors import recordable_members
from familybridge.documents.models import DocumentKind
from familybridge.documents.services import ALLOWED_LABELS, category_choices, max_upload_bytes, size_label
from familybridge.people.models import Family, Person

USUAL_CATEGORY = "The usual category for this kind of document"


class UploadForm(forms.Form):
    uploaded_file = forms.FileField(label="File", allow_empty_file=True)
    subject = forms.ModelChoiceField(queryset=Person.objects.none(), label="About")
    kind = forms.ChoiceField(label="Kind of document", choices=DocumentKind.choices)
    title = forms.CharField(max_length=200)
    category = forms.ChoiceField(
        required=False,
        help_text="Who outside your agency may read it follows from its category: the consents, orders and "
        "agreements that name it.",
    )

    def __init__(self, *args, user: User, family: Family, purpose: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The service checks the file itself (empty, size, type); the form only says what it takes.
        self.fields["uploaded_file"].help_text = f"A {ALLOWED_LABELS} file of at most {size_label(max_upload_bytes())}."
        self.fields["uploaded_file"].widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg,.txt"
        self.fields["subject"].queryset = recordable_members(user, family, purpose)
        self.fields["category"].choices = [("", USUAL_CATEGORY), *category_choices(user)]
