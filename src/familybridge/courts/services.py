from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from familybridge.cases.models import Hearing, TreatmentEpisode
from familybridge.consent import policy
from familybridge.courts.models import CourtReport
from familybridge.courts.selectors import CompiledReport, compile_for_author
from familybridge.people.models import FamilyMember, derive_provenance, program_provenance


@transaction.atomic
def send_court_report(author: Any, hearing: Hearing, purpose: str) -> CourtReport:
    """File the report in the court's case: the records of the preview the court may see, nothing else."""
    if author.agency_id == hearing.owner_agency_id:
        raise PermissionDenied("The court does not send reports to itself.")
    compiled = compile_for_author(author, hearing, purpose)
    if compiled.court_reader is None:
        raise ValidationError("No judge or court coordinator has this family on their caseload yet.")
    if not compiled.included:
        raise ValidationError("Nothing in this report may be shown to the court: there is nothing to send.")
    report = CourtReport.objects.create(
        owner_agency=hearing.owner_agency,
        subject=hearing.subject,
        hearing=hearing,
        author=author,
        recorded_by=author,
        purpose=purpose,
        included=compiled.included,
        **_provenance(author, compiled),
    )
    if not policy.permitted(compiled.court_reader, CourtReport.objects.filter(pk=report.pk), purpose).exists():
        raise ValidationError(
            f"No consent or court order lets {author.agency.name} tell the court that it works with this family, "
            "so the court could not open the report. Nothing was sent."
        )
    return report


def _provenance(author: Any, compiled: CompiledReport) -> dict:
    """A report a Part 2 program files is the program's information: that it works with the family is Part 2
    even when the report holds only other agencies' records. It is derived from the first of the program's
    own records it includes, else from the program's treatment episode with the family's client."""
    program = author.agency
    if not program.is_part2_program:
        return {}
    own = next((r for r in compiled.records if r.owner_agency_id == program.pk), None)
    if own is not None:
        return derive_provenance(own)
    members = FamilyMember.unrestricted.filter(family=compiled.hearing.court_case.family).values("subject_id")
    episodes = TreatmentEpisode.unrestricted.filter(owner_agency=program, subject__in=members)
    client = episodes.select_related("owner_agency", "subject").order_by("-admission_date").first()
    if client is not None:
        return derive_provenance(client)
    return program_provenance(program, compiled.hearing.subject)
