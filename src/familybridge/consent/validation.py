"""Whether a consent holds every element 42 CFR Part 2 §2.31 (2024) requires, and which one is missing."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from familybridge.agencies.roles import Purpose
from familybridge.consent.categories import SEPARATE_CONSENT_CATEGORIES, Category

# The elements in the order of §2.31, each under the field that holds it, in plain language.
ELEMENTS = {
    "subject": "the name of the person the records are about",
    "disclosers": "who may disclose the information (a named agency or a class)",
    "categories": "what information may be disclosed",
    "recipients": "who may receive the information (agencies, named staff or a class)",
    "purposes": "the purpose of the disclosure",
    "revocation_statement": "the statement of the right to revoke",
    "expires_on": "when the consent ends (a date or an event)",
    "signer_name": "the signature (the signer's typed name)",
    "signed_at": "the date signed",
}


@dataclass
class ConsentTerms:
    """What a consent says, before it is saved: the form and the scenario loader both build one."""

    subject: Any
    kind: str
    disclosers: list = field(default_factory=list)
    discloser_class: str = ""
    recipients: list = field(default_factory=list)
    recipient_staff: list = field(default_factory=list)
    recipient_class: str = ""
    purposes: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    expires_on: date | None = None
    expires_on_event: str = ""
    signer_name: str = ""
    signer_relationship: str = "self"
    signed_at: datetime | None = None
    revocation_statement: str = ""

    @classmethod
    def of(cls, consent: Any) -> "ConsentTerms":
        return cls(
            subject=consent.subject,
            kind=consent.kind,
            disclosers=list(consent.disclosers.all()),
            discloser_class=consent.discloser_class,
            recipients=list(consent.recipients.all()),
            recipient_staff=list(consent.recipient_staff.all()),
            recipient_class=consent.recipient_class,
            purposes=list(consent.purposes),
            categories=list(consent.categories),
            expires_on=consent.expires_on,
            expires_on_event=consent.expires_on_event,
            signer_name=consent.signer_name,
            signer_relationship=consent.signer_relationship,
            signed_at=consent.signed_at,
            revocation_statement=consent.revocation_statement,
        )


def missing_elements(terms: ConsentTerms) -> dict[str, str]:
    """Each problem under the field it concerns, naming the missing element; empty when the consent is valid."""
    from familybridge.consent.models import TPO_PURPOSES, ConsentKind

    present = {
        "subject": terms.subject is not None,
        "disclosers": bool(terms.disclosers or terms.discloser_class),
        "categories": bool(terms.categories),
        "recipients": bool(terms.recipients or terms.recipient_staff or terms.recipient_class),
        "purposes": bool(terms.purposes),
        "revocation_statement": bool(terms.revocation_statement.strip()),
        "expires_on": bool(terms.expires_on or terms.expires_on_event),
        "signer_name": bool(terms.signer_name.strip()),
        "signed_at": terms.signed_at is not None,
    }
    problems = {name: f"Missing: {ELEMENTS[name]}." for name, ok in present.items() if not ok}
    unknown = [c for c in terms.categories if c not in Category.values] + [
        p for p in terms.purposes if p not in Purpose.values
    ]
    if unknown:
        problems["categories"] = f"Unknown categories or purposes: {', '.join(unknown)}."
    notes = set(terms.categories) & SEPARATE_CONSENT_CATEGORIES
    if terms.kind == ConsentKind.COUNSELING_NOTES and set(terms.categories) - SEPARATE_CONSENT_CATEGORIES:
        problems["categories"] = "A consent for counseling notes covers counseling notes alone."
    if terms.kind != ConsentKind.COUNSELING_NOTES and notes:
        problems["categories"] = "Counseling notes need a consent of their own, never combined with other records."
    if Purpose.COURT_PROCEEDING in terms.purposes and terms.kind != ConsentKind.PROCEEDINGS:
        problems["purposes"] = "Use in a court proceeding needs a consent of the kind 'use in a court proceeding'."
    if terms.kind == ConsentKind.PROCEEDINGS and Purpose.COURT_PROCEEDING not in terms.purposes:
        problems["purposes"] = "A consent for use in a court proceeding must name that purpose."
    if terms.kind == ConsentKind.TPO and set(terms.purposes) - set(TPO_PURPOSES):
        problems["purposes"] = "A treatment, payment and operations consent covers those purposes only."
    if terms.kind not in ConsentKind.values:
        problems["kind"] = "Missing: the kind of consent."
    if terms.expires_on and terms.signed_at and terms.expires_on < timezone.localdate(terms.signed_at):
        problems["expires_on"] = "The consent would end before it is signed."
    return problems


def missing_elements_of(consent: Any) -> dict[str, str]:
    return missing_elements(ConsentTerms.of(consent))
