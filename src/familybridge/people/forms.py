"""The forms of the family and people pages: search, opening a family, the duplicate check and adding members."""

import unicodedata

from django import forms
from django.utils import timezone

from familybridge.people.matching import Typed
from familybridge.people.models import MemberRole, RelationshipKind, Sex

# Long enough for any name, number or date a person types; a longer query is refused, not cut.
MAX_QUERY_LENGTH = 100


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in text)


class SearchForm(forms.Form):
    """What to look for, and which families: open, closed or all. Bad input gets an error, never a crash."""

    STATUSES = [("", "Open and closed"), ("open", "Open"), ("closed", "Closed")]

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": f"Search for at most {MAX_QUERY_LENGTH} characters."},
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(label="Families", choices=STATUSES, required=False)

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if has_control_characters(query):
            raise forms.ValidationError("Use letters, digits, spaces and punctuation only.")
        return query

    @staticmethod
    def loggable(data: dict) -> str:
        """The query as the audit log keeps it: control characters dropped, at most the longest query allowed."""
        text = str(data.get("q", ""))
        return "".join(char for char in text if unicodedata.category(char) != "Cc")[:MAX_QUERY_LENGTH]


class OpenFamilyForm(forms.Form):
    name = forms.CharField(
        label="Family name", max_length=200, help_text="How staff will refer to the family, e.g. “Garcia family”."
    )
    case_number = forms.CharField(
        label="Case number (optional)",
        max_length=64,
        required=False,
        help_text="Your agency's case number. Each case number is used once at your agency.",
    )
    opened_on = forms.DateField(label="Case opened on", widget=_date_input())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("opened_on", timezone.localdate())


class PersonCheckForm(forms.Form):
    """Who is being added: first the people already recorded who may be them are looked for."""

    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    birth_date = forms.DateField(label="Date of birth", required=False, widget=_date_input())
    identifier = forms.CharField(
        label="Identifier (optional)",
        max_length=64,
        required=False,
        help_text="A number an agency gave this person, if you have one: your agency's or a partner's.",
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in ("first_name", "last_name", "identifier"):
            if has_control_characters(cleaned.get(name) or ""):
                self.add_error(name, "Use letters, digits, spaces and punctuation only.")
        return cleaned

    def typed(self) -> Typed:
        """What was typed, for the duplicate check (the form is valid)."""
        data = self.cleaned_data
        return Typed(data["first_name"], data["last_name"], data.get("birth_date"), data.get("identifier") or "")

    @classmethod
    def holding(cls, typed: Typed, **more: str) -> "PersonCheckForm":
        """The check form holding what was typed (and `more` of its fields), so the links beside each candidate
        carry it along."""
        form = cls(
            {
                "first_name": typed.first_name,
                "last_name": typed.last_name,
                "birth_date": typed.birth_date.isoformat() if typed.birth_date else "",
                "identifier": typed.identifier,
                **more,
            }
        )
        form.is_valid()
        return form


class NewPersonForm(PersonCheckForm):
    """A person no one has recorded yet, added to the family; `none_of_these` confirms the check was read."""

    identifier = forms.CharField(required=False, widget=forms.HiddenInput)
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN)
    role = forms.ChoiceField(label="Role in this family", choices=MemberRole.choices)
    agency_identifier = forms.CharField(
        label="Your agency's number for this person (optional)", max_length=64, required=False
    )
    none_of_these = forms.BooleanField(label="None of the people listed above is this person", required=False)

    def confirms_none_of(self, candidates: list) -> bool:
        """A new person is recorded only once the user has said that none of the people the check found is them."""
        if candidates and not self.cleaned_data["none_of_these"]:
            self.add_error(
                "none_of_these",
                "Look at the people listed first: if one of them is this person, add them instead. "
                "If none is, tick this box.",
            )
            return False
        return True


class LinkMemberForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label="Role in this family", choices=MemberRole.choices)


class RelationshipForm(forms.Form):
    """Read as a sentence: the person is the mother (father, …) of the related person."""

    person = forms.TypedChoiceField(label="Person", coerce=int)
    kind = forms.ChoiceField(
        label="Relationship",
        choices=[("", "Choose…"), *RelationshipKind.choices],
        help_text="The person is the mother (father, grandparent, …) of the related person. Siblings and "
        "partners read the same both ways.",
    )
    relative = forms.TypedChoiceField(label="Related to", coerce=int)

    def __init__(self, *args, members: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Choose…"), *members]
        self.fields["person"].choices = choices
        self.fields["relative"].choices = choices
