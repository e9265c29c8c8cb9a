from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from familybridge.cases.models import Hearing
from familybridge.courts.models import CourtReport
from familybridge.courts.selectors import compile_for_author


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
    return CourtReport.objects.create(
        owner_agency=hearing.owner_agency,
        subject=hearing.subject,
        hearing=hearing,
        author=author,
        purpose=purpose,
        included=compiled.included,
    )
