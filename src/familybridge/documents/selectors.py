"""Reading documents, only through the policy point.

Listing a document is a read of its record (title, kind, who it is about) and is accounted for like any record; the
file itself is read only by the download, which asks the policy point again for that one document. Documents withheld
for a reason are shown as withheld (by category, agency and reason); a Part 2 program's documents that nothing opens
leave no trace.
"""

from django.apps import apps
from django.db.models import QuerySet

from familybridge.agencies.models import User
from familybridge.consent import policy
from familybridge.consent.policy import Withheld
from familybridge.consent.withheld import WithheldGroup, group_withheld
from familybridge.documents.models import Document
from familybridge.people.models import Family, FamilyMember, ProtectedRecord, record_label


def _documents() -> QuerySet[Document]:
    return Document.objects.select_related("subject", "owner_agency", "recorded_by", "family")


def family_documents(family: Family) -> QuerySet[Document]:
    """Every document of the family (on it or on its records), about one of its members: a member whose membership
    was voided leaves with theirs."""
    members = FamilyMember.objects.filter(family=family).values("subject_id")
    return _documents().filter(family=family, subject__in=members)


def record_documents(record: ProtectedRecord) -> QuerySet[Document]:
    return _documents().filter(attached_record=record_label(record))


def documents_for(user: User, family_or_record: Family | ProtectedRecord, purpose: str) -> list[Document | Withheld]:
    """A family's documents (all of them, on the family and on its records) or a record's attachments, newest first,
    each the document or a Withheld marker: a constant number of queries whatever their number."""
    documents = (
        family_documents(family_or_record)
        if isinstance(family_or_record, Family)
        else record_documents(family_or_record)
    )
    return policy.read(user, documents, purpose)


def attachments_of(user: User, records: list[ProtectedRecord], purpose: str) -> dict[str, list[Document]]:
    """The attachments the user may see of several records, keyed by record label: one read through the policy
    point (accounted for), a constant number of queries whatever the number of records. An attachment the user may
    not see is left out: the record's own page lists it as withheld (`documents_for`)."""
    labels = [record_label(record) for record in records]
    attached: dict[str, list[Document]] = {label: [] for label in labels}
    for document in policy.permitted(user, _documents().filter(attached_record__in=labels), purpose).order_by(
        "created_at", "pk"
    ):
        attached[document.attached_record].append(document)
    return attached


def shown_family_documents(user: User, family: Family, purpose: str) -> QuerySet[Document]:
    """The family's documents the user may see, newest first: a queryset to page through (the page's records are
    read, and accounted for, by the policy point)."""
    return policy.permitted(user, family_documents(family), purpose)


def withheld_family_documents(user: User, family: Family, purpose: str) -> list[WithheldGroup]:
    """The family's documents the user may not see but may know of, counted by category, agency and reason."""
    documents = family_documents(family)
    shown = policy.permitted(user, documents, purpose).values("pk")
    markers = policy.read(user, documents.exclude(pk__in=shown), purpose)
    return group_withheld([item for item in markers if isinstance(item, Withheld)])


def document_for(user: User, pk: int, purpose: str) -> Document | None:
    """One document as the policy point shows it to the user (None when it does not): a read, accounted for."""
    return policy.permitted(user, _documents().filter(pk=pk), purpose).first()


def attached_record_of(document: Document) -> str:
    """What the document is attached to, as a label people read ("" for a document on the family)."""
    if not document.attached_record:
        return ""
    model_label = document.attached_record.split(":", 1)[0]
    try:
        return str(apps.get_model(model_label)._meta.verbose_name)
    except (LookupError, ValueError):
        return "record"
