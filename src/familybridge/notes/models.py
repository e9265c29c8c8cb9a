"""Case notes and the contact log: what staff of each agency write down about a family, each note a record owned
by the writer's agency, in a category, about one person, read only through the policy point."""

from django.db import models

from familybridge.people.models import ProtectedRecord


class CaseNote(ProtectedRecord):
    """A note about one member of a family: a title and a narrative, dated, in a category the writer's agency
    writes (a Part 2 program's note is Part 2 whatever its category: the owner makes it so)."""

    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="case_notes")
    note_date = models.DateField("date")
    title = models.CharField(max_length=200)
    narrative = models.TextField("note")

    class Meta(ProtectedRecord.Meta):
        ordering = ["-note_date", "-created_at"]
        indexes = [*ProtectedRecord.Meta.indexes, models.Index(fields=["family", "note_date"])]

    def __str__(self) -> str:
        return self.title


class ContactType(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    OFFICE_VISIT = "office_visit", "Office visit"
    PHONE_CALL = "phone_call", "Phone call"
    VIDEO_CALL = "video_call", "Video call"
    TEXT_OR_EMAIL = "text_or_email", "Text or email"
    COLLATERAL = "collateral", "Collateral contact"
    ATTEMPTED = "attempted", "Attempted contact"


# Visits in person: whether the child was seen is asked of these (caseworker visits count in federal measures).
IN_PERSON_CONTACTS = frozenset({ContactType.HOME_VISIT, ContactType.OFFICE_VISIT})


class ContactLogEntry(ProtectedRecord):
    """A contact with or about a family: when, how, where, who took part and what happened.

    The subject is the person the contact is filed under; who else took part is one `ContactParticipant` record
    per person, so each name is shown only to those the policy point opens that person's part to."""

    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="contacts")
    occurred_at = models.DateTimeField("date and time")
    contact_type = models.CharField("type of contact", max_length=20, choices=ContactType.choices)
    location = models.CharField(max_length=200, blank=True)
    child_seen = models.BooleanField("child seen", null=True, blank=True)
    narrative = models.TextField("what happened")

    class Meta(ProtectedRecord.Meta):
        ordering = ["-occurred_at", "-pk"]
        indexes = [*ProtectedRecord.Meta.indexes, models.Index(fields=["family", "occurred_at"])]
        verbose_name_plural = "contact log entries"

    def __str__(self) -> str:
        return f"{self.get_contact_type_display()} about {self.subject}"


class ContactParticipant(ProtectedRecord):
    """That a person (the subject) took part in a contact: the contact's owner and category, about this person.

    A record of its own so that the policy point decides, person by person, whose name a viewer may read; it is
    voided with its contact, and its category follows the contact's when that is corrected."""

    contact = models.ForeignKey(ContactLogEntry, on_delete=models.CASCADE, related_name="participants")

    class Meta(ProtectedRecord.Meta):
        constraints = [models.UniqueConstraint(fields=["contact", "subject"], name="one_participation_per_person")]
        ordering = ["subject__last_name", "subject__first_name", "pk"]

    def __str__(self) -> str:
        return f"{self.subject} in {self.contact}"
