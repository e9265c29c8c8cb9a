"""Correcting the record in the demo: a supervisor corrects a family time visit entered as missed, and a caseworker
voids a visit she entered twice. Both through the services staff use, so the history pages show them."""

from familybridge.agencies.models import User
from familybridge.cases import corrections, services
from familybridge.cases.models import Visitation
from familybridge.people.models import CaseloadAssignment, FamilyMember, MemberRole

CORRECTED_NOTE = "The parent arrived 20 minutes late; the visit went ahead."
CORRECTION_REASON = "The foster parent confirmed the parent attended: it was entered as missed."
VOID_REASON = "Entered twice: this visit is already recorded."


def load_corrections(caseworker: User, supervisor: User) -> None:
    """One corrected and one voided record; loading again adds neither."""
    families = CaseloadAssignment.objects.filter(staff=caseworker, ended_on=None).order_by("family__case_number")
    visits = Visitation.unrestricted.filter(family__in=families.values("family_id")).order_by("visit_date", "pk")
    if not Visitation.unrestricted.filter(note=CORRECTED_NOTE).exists():
        missed = visits.filter(attended=False).select_related("family").first()
        if missed is not None:
            corrections.correct_record(
                supervisor, missed.family, missed, {"attended": True, "note": CORRECTED_NOTE}, CORRECTION_REASON
            )
    if not Visitation.unrestricted_with_voided.exclude(voided_at=None).exists():
        visit = visits.select_related("family", "subject", "parent").first()
        if visit is None or not FamilyMember.unrestricted.filter(
            family=visit.family, subject=visit.parent, role=MemberRole.PARENT
        ).exists():
            return
        twice = services.record_visit(
            caseworker,
            visit.family,
            subject=visit.subject,
            parent=visit.parent,
            visit_date=visit.visit_date,
            attended=visit.attended,
            supervised=visit.supervised,
        )
        corrections.void_record(caseworker, visit.family, twice, VOID_REASON)
